"""The bridge rules on hand-made data sets, through the IR alone and through both models."""

from __future__ import annotations

import base64
import warnings
from collections.abc import Callable

import pytest
from dataset_compare import element_differences, written_bytes
from handmade import (
    all_vrs,
    file_dataset,
    iso2022_with_item_charset,
    private_elements,
    sequences,
)
from pydicom import dcmread
from pydicom.data import get_testdata_file
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset, FileDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian

from dicombind import json as dicom_json
from dicombind import xml as dicom_xml
from dicombind.bridge import dataset_to_ir, ir_to_dataset
from dicombind.errors import BulkDataError, DatasetError, DicombindError
from dicombind.ir import Element
from dicombind.options import BulkDataReadOptions

Codec = Callable[[Dataset], Dataset]
CODECS: dict[str, Codec] = {
    "ir": lambda ds: ir_to_dataset(dataset_to_ir(ds)),
    "xml": lambda ds: dicom_xml.loads(dicom_xml.dumps(ds)),
    "json": lambda ds: dicom_json.loads(dicom_json.dumps(ds)),
}


@pytest.fixture(params=sorted(CODECS))
def codec(request: pytest.FixtureRequest) -> Codec:
    return CODECS[request.param]


def _round_trip_is_exact(original: Dataset, codec: Codec) -> Dataset:
    back = codec(original)
    assert element_differences(original, back) == []
    assert written_bytes(original, ExplicitVRLittleEndian) == written_bytes(
        back, ExplicitVRLittleEndian
    )
    return back


def test_all_34_vrs(codec: Codec) -> None:
    original = all_vrs()
    vrs = {elem.VR for elem in original}
    assert len(vrs) == 34
    back = _round_trip_is_exact(original, codec)
    assert list(back.ImageType) == ["ORIGINAL", "", "AXIAL"]
    assert back["PatientName"].is_empty and back["Rows"].is_empty
    assert back["DirectoryRecordSequence"].VR == "SQ" and len(back.DirectoryRecordSequence) == 0


def test_ds_and_is_keep_their_text(codec: Codec) -> None:
    back = codec(all_vrs())
    assert [str(v) for v in back.EventElapsedTimes] == ["1.0E+02", "-0.5", "007.50", "", "3"]
    assert [str(v) for v in back.ReferencedFrameNumber] == ["+012", "-7", "0"]


def test_person_name_groups_and_components(codec: Codec) -> None:
    back = codec(all_vrs())
    names = back.ConsultingPhysicianName
    assert str(names[0]) == "Yamada^Tarou^Jirou^Dr.^III=山田^太郎=やまだ^たろう"
    assert names[0].ideographic == "山田^太郎" and names[0].phonetic == "やまだ^たろう"
    assert names[0].name_suffix == "III" and names[0].name_prefix == "Dr."
    assert str(names[1]) == "" and str(names[2]) == "Doe^Jane"


def test_at_values(codec: Codec) -> None:
    assert list(codec(all_vrs()).FrameIncrementPointer) == [0x00100020, 0x7FE00010]


def test_sequences_nested_empty_items_and_no_items(codec: Codec) -> None:
    back = _round_trip_is_exact(sequences(), codec)
    assert len(back.ReferencedImageSequence) == 3
    assert len(back.ReferencedImageSequence[1]) == 0
    assert back.ReferencedImageSequence[0].AnatomicRegionSequence[0].CodeMeaning == "Head"
    assert len(back.ProcedureCodeSequence) == 0


def test_private_blocks_and_creators(codec: Codec) -> None:
    back = _round_trip_is_exact(private_elements(), codec)
    assert back.private_block(0x0009, "CREATOR A")[0x10].value == "from A"
    assert back.private_block(0x0009, "CREATOR B")[0x11].value == [1, 2]
    assert back[0x00091110].private_creator == "CREATOR B"


def test_character_sets_iso2022_and_per_item(codec: Codec) -> None:
    original = iso2022_with_item_charset()
    back = _round_trip_is_exact(original, codec)
    assert list(back.SpecificCharacterSet) == ["", "ISO 2022 IR 87"]
    assert str(back.PatientName) == "Yamada^Tarou=山田^太郎=やまだ^たろう"
    item = back.OtherPatientIDsSequence[0]
    assert item.SpecificCharacterSet == "ISO_IR 100"
    assert str(item.PatientName) == "Buc^Jérôme"


def test_file_meta_comes_back_as_file_dataset(codec: Codec) -> None:
    original = file_dataset()
    back = codec(original)
    assert isinstance(back, FileDataset)
    assert back.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
    assert back.file_meta.MediaStorageSOPInstanceUID == "1.2.3.4.5"
    assert "TransferSyntaxUID" not in back  # group 0002 is not in the data set itself
    # (0002,0000) is added on reading (PS3.10 requires it), with the right value
    assert back.file_meta.FileMetaInformationGroupLength > 0
    assert element_differences(original, back) == []


def test_group_length_elements_are_left_out() -> None:
    ds = Dataset()
    ds.add_new(0x00080000, "UL", 123)
    ds.add_new(0x00100000, "UL", 45)
    ds.PatientID = "P"
    assert [e.tag for e in dataset_to_ir(ds)] == [0x00100020]
    assert 'tag="00080000"' not in dicom_xml.dumps(ds)
    assert '"00080000"' not in dicom_json.dumps(ds)


def test_padding_is_not_written_and_comes_back_on_writing(codec: Codec) -> None:
    ds = Dataset()
    ds.PatientID = "ODD"  # 3 bytes: a DICOM file pads it to "ODD "
    ds.SOPInstanceUID = "1.2.345"  # 7 bytes: padded with NUL
    assert ">ODD<" in dicom_xml.dumps(ds) and '["ODD"]' in dicom_json.dumps(ds)
    back = codec(ds)
    assert back.PatientID == "ODD"
    data = written_bytes(back, ExplicitVRLittleEndian)
    assert b"ODD " in data and b"1.2.345\x00" in data


def test_big_endian_source_is_written_little_endian() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        big = dcmread(get_testdata_file("MR_small_bigendian.dcm"))
        little = dcmread(get_testdata_file("MR_small.dcm"))
    ir = {e.tag: e for e in dataset_to_ir(big)}
    assert ir[0x7FE00010].inline_binary == little.PixelData
    text = dicom_xml.dumps(big)
    assert base64.b64encode(little.PixelData).decode() in text
    # reading back with the big endian file meta gives pydicom's big endian bytes again
    back = dicom_xml.loads(text)
    assert back.PixelData == big.PixelData
    assert element_differences(big, back) == []


def test_encapsulated_pixel_data_without_file_meta() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        jpeg = dcmread(get_testdata_file("JPEG-lossy.dcm"))
    body = Dataset(jpeg)  # the data set alone: no transfer syntax to tell it is compressed
    back = ir_to_dataset(dataset_to_ir(body))
    assert back.PixelData == jpeg.PixelData
    assert back["PixelData"].is_undefined_length


def _handler_log() -> tuple[list[DataElement], Callable[[DataElement], str | None]]:
    seen: list[DataElement] = []

    def handler(elem: DataElement) -> str | None:
        seen.append(elem)
        return f"https://example.com/bulk/{elem.tag:08X}" if elem.VR != "OB" else None

    return seen, handler


@pytest.mark.parametrize("api", [dicom_xml, dicom_json], ids=["xml", "json"])
def test_bulk_data_written_by_handler_and_read_by_uri_handler(api: object) -> None:
    ds = Dataset()
    ds.RedPaletteColorLookupTableData = bytes(range(256)) * 8  # 2048 bytes: over threshold
    ds.add_new(0x00091010, "OB", b"\x01" * 2000)  # handler declines: stays inline
    ds.GreenPaletteColorLookupTableData = b"\x00\x01"  # under threshold: inline
    seen, handler = _handler_log()
    text = api.dumps(  # type: ignore[attr-defined]
        ds, bulk_data_threshold=1024, bulk_data_element_handler=handler
    )
    assert {e.tag for e in seen} == {0x00281201, 0x00091010}
    assert "https://example.com/bulk/00281201" in text

    def load_uri(tag: str, vr: str, uri: str) -> bytes:
        assert (tag, vr) == ("00281201", "OW") and uri.endswith("/00281201")
        return bytes(ds.RedPaletteColorLookupTableData)

    back = api.loads(text, bulk_data_uri_handler=load_uri)  # type: ignore[attr-defined]
    assert element_differences(ds, back) == []
    one_argument = api.loads(  # type: ignore[attr-defined]
        text, bulk_data_uri_handler=lambda uri: bytes(ds.RedPaletteColorLookupTableData)
    )
    assert one_argument.RedPaletteColorLookupTableData == ds.RedPaletteColorLookupTableData
    with pytest.raises(BulkDataError) as failure:
        api.loads(text)  # type: ignore[attr-defined]
    assert failure.value.tag == 0x00281201 and "bulk_data_uri_handler" in str(failure.value)


def test_bulk_data_text_value_decoded_with_the_character_set() -> None:
    ir = [
        Element(0x00080005, "CS", ["ISO_IR 100"]),
        Element(0x00081030, "LO", bulk_data_uri="https://example.com/1"),
    ]
    with pytest.raises(BulkDataError) as failure:
        ir_to_dataset(ir)
    assert failure.value.tag == 0x00081030
    loaded = ir_to_dataset(ir, BulkDataReadOptions(lambda uri: "Jérôme ".encode("latin-1")))
    assert loaded.StudyDescription == "Jérôme"


def test_dataset_errors_say_where() -> None:
    item = Dataset()
    item.add(DataElement(0x00280010, "US", "not a number"))
    ds = Dataset()
    ds.ReferencedImageSequence = Sequence([Dataset(), item])
    with pytest.raises(DicombindError) as failure:
        dicom_xml.dumps(ds)
    assert failure.value.tag == 0x00280010
    assert failure.value.path == "ReferencedImageSequence[1]"
    assert "ReferencedImageSequence[1] (0028,0010)" in str(failure.value)


def test_backslash_inside_a_multi_valued_text_value_is_refused() -> None:
    with pytest.raises(DicombindError) as failure:
        ir_to_dataset([Element(0x00100020, "LO", ["a\\b"])])
    assert failure.value.tag == 0x00100020 and "backslash" in str(failure.value)


def test_value_errors_are_dataset_errors() -> None:
    assert issubclass(DatasetError, DicombindError)


@pytest.mark.parametrize(
    ("element", "message"),
    [
        (Element(0x00080060, "CS", ["MRÄ"]), "default character repertoire"),
        (Element(0x00020010, "UI", ["1.2.840.10008.1.2.1é"]), "ASCII"),
        (Element(0x00020013, "SH", ["Ünicode 1"]), "ASCII"),  # file meta: ASCII only
    ],
)
def test_text_no_character_set_can_encode_is_refused(element: Element, message: str) -> None:
    with pytest.raises(DicombindError, match=message) as failure:
        ir_to_dataset([element])
    assert failure.value.tag == element.tag


def test_group_0002_in_both_file_meta_and_data_set_is_refused() -> None:
    fds = file_dataset()
    fds.add_new(0x00020010, "UI", "1.2.840.10008.1.2")
    with pytest.raises(DatasetError, match="both file_meta and the data set") as failure:
        dataset_to_ir(fds)
    assert failure.value.tag == 0x00020010
