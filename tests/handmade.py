"""Small hand-made data sets that exercise every rule of the bridge."""

from __future__ import annotations

import io
import math
import struct

from pydicom import dcmread, dcmwrite
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian


def all_vrs() -> Dataset:
    """All 34 VRs, multi-values with empty values, and zero-length elements."""
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.RetrieveAETitle = ["STORE_SCP", "ARCHIVE"]
    ds.SelectorASValue = ["045Y", "003M"]
    ds.FrameIncrementPointer = [0x00100020, 0x7FE00010]
    ds.ImageType = ["ORIGINAL", "", "AXIAL"]
    ds.CalibrationDate = ["20240102", "19991231"]
    ds.EventElapsedTimes = ["1.0E+02", "-0.5", "007.50", "", "3"]
    ds.ReferencedDateTime = "20240102123456.123456+0100"
    ds.TableOfParameterValues = [0.1, -2.5, math.inf, 3.4028234663852886e38]
    ds.TableOfYBreakPoints = [math.pi, 1e-300, -math.inf, math.nan]
    ds.ReferencedFrameNumber = ["+012", "-7", "0"]
    ds.AdmittingDiagnosesDescription = ["First & <second>", "ünïcödé"]
    ds.ExtendedCodeMeaning = "line one\r\nline two with a \\ backslash\tand a tab"
    ds.add_new(0x00091010, "OB", b"\x00\x01\x02\x03")  # private, for the OB VR
    ds.FilterLookupTableData = struct.pack("<2d", 1.5, -2.0)
    ds.VerticesOfThePolygonalOutline = struct.pack("<2f", 0.25, -8.0)
    ds.LongPrimitivePointIndexList = struct.pack("<2I", 1, 4294967295)
    ds.SelectorOVValue = struct.pack("<2Q", 1, 2**64 - 1)
    ds.RedPaletteColorLookupTableData = struct.pack("<3H", 0, 256, 65535)
    ds.ConsultingPhysicianName = [
        "Yamada^Tarou^Jirou^Dr.^III=山田^太郎=やまだ^たろう",
        "",
        "Doe^Jane",
    ]
    ds.ReferringPhysicianTelephoneNumbers = ["555-0100"]
    ds.RationalNumeratorValue = [-(2**31), 2**31 - 1]
    ds.VerticesOfThePolygonalExposureControlSensingRegion = [-32768, 32767]
    ds.InstitutionAddress = "1 Main Street, Springfield"
    ds.SelectorSVValue = [-(2**63), 2**63 - 1, 2**53 + 1]
    ds.CalibrationTime = ["235959.999999", "0000"]
    ds.OECFColumnNames = ["unlimited", "characters"]
    ds.ReferencedRelatedGeneralSOPClassUIDInFile = ["1.2.840.10008.5.1.4.1.1.7", "1.2.3"]
    ds.SimpleFrameList = [0, 4294967295]
    ds.SelectorUNValue = b"\x01\x02\x03"
    ds.RetrieveURL = "https://example.com/studies/1?a=b&c=d"
    ds.NonidentifyingPrivateElements = [0, 65535]
    ds.PrivateDataElementDescription = "unlimited text\\with a backslash"
    ds.SelectorUVValue = [0, 2**64 - 1]
    # zero-length elements of several kinds
    ds.StudyDate = ""
    ds.PatientName = ""
    ds.Rows = None
    ds.add_new(0x7FE00010, "OW", None)
    ds.DirectoryRecordSequence = Sequence()
    return ds


def sequences() -> Dataset:
    """Nested sequences, an empty item, a sequence without items."""
    inner = Dataset()
    inner.CodeValue = "T-D1100"
    inner.CodeMeaning = "Head"
    item1 = Dataset()
    item1.ReferencedSOPInstanceUID = "1.2.3.4"
    item1.AnatomicRegionSequence = Sequence([inner, Dataset()])
    ds = Dataset()
    ds.ReferencedImageSequence = Sequence([item1, Dataset(), item1_copy()])
    ds.ProcedureCodeSequence = Sequence()
    return ds


def item1_copy() -> Dataset:
    item = Dataset()
    item.ReferencedSOPInstanceUID = "1.2.3.5"
    item.ReferencedFrameNumber = "2"
    return item


def private_elements() -> Dataset:
    """Two creators in one group; their elements share the masked tag 0009xx10."""
    ds = Dataset()
    ds.PatientID = "P1"
    block_a = ds.private_block(0x0009, "CREATOR A", create=True)
    block_a.add_new(0x10, "LO", "from A")
    block_b = ds.private_block(0x0009, "CREATOR B", create=True)
    block_b.add_new(0x10, "LO", "from B")
    block_b.add_new(0x11, "US", [1, 2])
    return ds


def iso2022_with_item_charset() -> Dataset:
    """Japanese ISO 2022 at the top, Latin-1 declared inside an item."""
    ds = Dataset()
    ds.SpecificCharacterSet = ["", "ISO 2022 IR 87"]
    ds.PatientName = "Yamada^Tarou=山田^太郎=やまだ^たろう"
    item = Dataset()
    item.SpecificCharacterSet = "ISO_IR 100"
    item.PatientName = "Buc^Jérôme"
    ds.OtherPatientIDsSequence = Sequence([item])
    return ds


def file_dataset() -> FileDataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    meta.MediaStorageSOPInstanceUID = "1.2.3.4.5"
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = "1.2.3.4"
    ds = Dataset()
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.PatientName = "Doe^John"
    fds = FileDataset("", ds, file_meta=meta, preamble=b"\x00" * 128)
    buffer = io.BytesIO()
    dcmwrite(buffer, fds, enforce_file_format=True)  # as a real file: (0002,0000) included
    buffer.seek(0)
    return dcmread(buffer)
