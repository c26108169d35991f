"""A large, realistic RT Plan (VMAT-like, multi-leaf collimator) built deterministically.

The default size gives about 10,000 data elements: most of them sit in the control points,
each of which carries a 120-value MLC leaf-position DS multi-value.

Run ``python -m bench.build_dataset OUT.dcm`` from the repository root to write it to disk.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence as SequenceOf
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import (
    PYDICOM_IMPLEMENTATION_UID,
    UID,
    ExplicitVRLittleEndian,
    RTPlanStorage,
    generate_uid,
)

from bench.elements import count_elements

DEFAULT_BEAMS = 8
DEFAULT_CONTROL_POINTS = 96
LEAF_PAIRS = 60
PRIVATE_GROUP = 0x3253
PRIVATE_CREATOR = "DICOMBIND BENCH"


def build_rt_plan(
    n_beams: int = DEFAULT_BEAMS, n_control_points: int = DEFAULT_CONTROL_POINTS
) -> FileDataset:
    """Build the benchmark RT Plan: same input, same data set, every time (no randomness)."""
    if n_beams < 1 or n_control_points < 2:
        raise ValueError("an RT Plan needs at least 1 beam and 2 control points per beam")
    ds = FileDataset("rtplan.dcm", Dataset(), file_meta=_file_meta(), preamble=b"\0" * 128)
    _add_patient_study_series(ds)
    _add_rt_general_plan(ds)
    ds.FractionGroupSequence = Sequence([_fraction_group(n_beams, n_control_points)])
    ds.BeamSequence = Sequence(
        [_beam(number, n_control_points) for number in range(1, n_beams + 1)]
    )
    _add_private_block(ds)
    return ds


def _uid(name: str) -> UID:
    """A fixed UID derived from ``name`` (generate_uid hashes its entropy sources)."""
    return generate_uid(entropy_srcs=["dicombind-bench", name])


def _file_meta() -> FileMetaDataset:
    meta = FileMetaDataset()
    meta.FileMetaInformationVersion = b"\x00\x01"
    meta.MediaStorageSOPClassUID = RTPlanStorage
    meta.MediaStorageSOPInstanceUID = _uid("sop-instance")
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = PYDICOM_IMPLEMENTATION_UID
    meta.ImplementationVersionName = "DICOMBIND_BENCH"
    return meta


def _add_patient_study_series(ds: Dataset) -> None:
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.InstanceCreationDate = "20240315"
    ds.InstanceCreationTime = "101530.250000"
    ds.SOPClassUID = RTPlanStorage
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.StudyDate = "20240301"
    ds.StudyTime = "083000"
    ds.AccessionNumber = "ACC20240301"
    ds.Modality = "RTPLAN"
    ds.Manufacturer = "Dicombind Linac Systems"
    ds.InstitutionName = "Bench General Hospital"
    ds.ReferringPhysicianName = "Curie^Marie^^Dr."
    ds.StationName = "TPS01"
    ds.StudyDescription = "Prostate VMAT"
    ds.SeriesDescription = "Plan 1 (8 arcs)"
    ds.OperatorsName = ["Planner^Paula", "Physicist^Pat^^^PhD"]
    ds.ManufacturerModelName = "BenchPlan"
    ds.PatientName = "Yamada^Tarou=山田^太郎=やまだ^たろう"
    ds.PatientID = "BENCH-000123"
    ds.PatientBirthDate = "19560704"
    ds.PatientSex = "M"
    ds.PatientAge = "067Y"
    ds.PatientWeight = "81.5"
    ds.DeviceSerialNumber = "SN-4711"
    ds.SoftwareVersions = ["4.2.1", "build 1877"]
    ds.StudyInstanceUID = _uid("study")
    ds.SeriesInstanceUID = _uid("series")
    ds.StudyID = "S1"
    ds.SeriesNumber = 3
    ds.InstanceNumber = 1
    ds.FrameOfReferenceUID = _uid("frame-of-reference")
    ds.PositionReferenceIndicator = ""


def _add_rt_general_plan(ds: Dataset) -> None:
    ds.RTPlanLabel = "PROST_VMAT"
    ds.RTPlanName = "Prostate 78 Gy"
    ds.RTPlanDescription = "Two-phase prostate plan; benchmark data, not for clinical use."
    ds.RTPlanDate = "20240314"
    ds.RTPlanTime = "171205"
    ds.RTPlanGeometry = "PATIENT"
    ds.ApprovalStatus = "APPROVED"
    ds.ReviewDate = "20240315"
    ds.ReviewTime = "090000"
    ds.ReviewerName = "Physician^Approving"

    structure_set = Dataset()
    structure_set.ReferencedSOPClassUID = "1.2.840.10008.5.1.4.1.1.481.3"
    structure_set.ReferencedSOPInstanceUID = _uid("structure-set")
    ds.ReferencedStructureSetSequence = Sequence([structure_set])

    dose_reference = Dataset()
    dose_reference.DoseReferenceNumber = 1
    dose_reference.DoseReferenceUID = _uid("dose-reference")
    dose_reference.DoseReferenceStructureType = "SITE"
    dose_reference.DoseReferenceDescription = "PTV"
    dose_reference.DoseReferenceType = "TARGET"
    dose_reference.DeliveryMaximumDose = "80.0"
    dose_reference.TargetPrescriptionDose = "78.0"
    ds.DoseReferenceSequence = Sequence([dose_reference])

    tolerance = Dataset()
    tolerance.ToleranceTableNumber = 1
    tolerance.ToleranceTableLabel = "T1"
    tolerance.GantryAngleTolerance = "0.5"
    tolerance.PatientSupportAngleTolerance = "1"
    tolerance.TableTopPitchAngleTolerance = 0.5  # FL
    tolerance.TableTopRollAngleTolerance = 0.5  # FL
    ds.ToleranceTableSequence = Sequence([tolerance])

    setup = Dataset()
    setup.PatientPosition = "HFS"
    setup.PatientSetupNumber = 1
    setup.SetupTechnique = "ISOCENTRIC"
    ds.PatientSetupSequence = Sequence([setup])

    overview = Dataset()
    overview.PlanOverviewIndex = 1  # US
    overview.NumberOfFractionsIncluded = 39  # US
    prescription = Dataset()
    prescription.TotalPrescriptionDose = 78.0  # FL
    prescription.EntityLongLabel = "Prostate PTV 78 Gy in 39 fractions"
    overview.PrescriptionOverviewSequence = Sequence([prescription])
    ds.PlanOverviewSequence = Sequence([overview])


def _add_private_block(ds: Dataset) -> None:
    block = ds.private_block(PRIVATE_GROUP, PRIVATE_CREATOR, create=True)
    block.add_new(0x10, "LO", "benchmark plan")
    block.add_new(0x11, "DS", ["1.5", "-2.25", "1e3"])
    block.add_new(0x12, "UL", 4_000_000_000)
    block.add_new(0x13, "OB", bytes(range(64)))
    note = Dataset()
    note.add_new(0x00080016, "UI", RTPlanStorage)
    block.add_new(0x14, "SQ", Sequence([note]))


def _fraction_group(n_beams: int, n_control_points: int) -> Dataset:
    group = Dataset()
    group.FractionGroupNumber = 1
    group.NumberOfFractionsPlanned = 39
    group.NumberOfBeams = n_beams
    group.NumberOfBrachyApplicationSetups = 0
    referenced = []
    for number in range(1, n_beams + 1):
        beam = Dataset()
        beam.BeamDoseSpecificationPoint = ["-1.25", "35.5", "120.75"]
        beam.BeamDose = _ds(2.0 / n_beams, 6)
        beam.BeamMeterset = _ds(55.0 + 7.5 * number + 0.01 * n_control_points, 4)
        beam.ReferencedBeamNumber = number
        referenced.append(beam)
    group.ReferencedBeamSequence = Sequence(referenced)
    return group


def _beam(number: int, n_control_points: int) -> Dataset:
    beam = Dataset()
    beam.Manufacturer = "Dicombind Linac Systems"
    beam.InstitutionName = "Bench General Hospital"
    beam.ManufacturerModelName = "BenchLinac 3"
    beam.DeviceSerialNumber = "1234"
    beam.PrimaryDosimeterUnit = "MU"
    beam.TreatmentMachineName = "LINAC3"
    beam.SourceAxisDistance = "1000"
    beam.BeamLimitingDeviceSequence = Sequence(_beam_limiting_devices())
    beam.BeamNumber = number
    beam.BeamName = f"Arc {number}"
    beam.BeamDescription = f"{'CW' if number % 2 else 'CC'} arc {number} of the VMAT plan"
    beam.BeamType = "DYNAMIC"
    beam.RadiationType = "PHOTON"
    beam.TreatmentDeliveryType = "TREATMENT"
    beam.NumberOfWedges = 0
    beam.NumberOfCompensators = 0
    beam.NumberOfBoli = 0
    beam.NumberOfBlocks = 0
    beam.FinalCumulativeMetersetWeight = "1"
    beam.NumberOfControlPoints = n_control_points
    beam.BeamDeliveryDurationLimit = 180.0 + number  # FD
    beam.ControlPointSequence = Sequence(
        [_control_point(number, index, n_control_points) for index in range(n_control_points)]
    )
    beam.ReferencedPatientSetupNumber = 1
    beam.ReferencedToleranceTableNumber = 1
    fluence = Dataset()
    fluence.FluenceMode = "STANDARD"
    beam.PrimaryFluenceModeSequence = Sequence([fluence])
    block = beam.private_block(PRIVATE_GROUP, PRIVATE_CREATOR, create=True)
    block.add_new(0x01, "LO", f"arc-{number}")
    block.add_new(0x02, "FD", [0.25 * number, 1.5])
    return beam


def _beam_limiting_devices() -> list[Dataset]:
    devices = []
    for device_type in ("ASYMX", "ASYMY"):
        device = Dataset()
        device.RTBeamLimitingDeviceType = device_type
        device.NumberOfLeafJawPairs = 1
        devices.append(device)
    mlc = Dataset()
    mlc.RTBeamLimitingDeviceType = "MLCX"
    mlc.NumberOfLeafJawPairs = LEAF_PAIRS
    mlc.LeafPositionBoundaries = [_ds(b, 1) for b in _leaf_boundaries()]
    devices.append(mlc)
    return devices


def _leaf_boundaries() -> list[float]:
    """Millennium-120 style: 10 mm outer leaves, 5 mm in the central 20 cm."""
    boundaries = [-200.0]
    for pair in range(LEAF_PAIRS):
        boundaries.append(boundaries[-1] + (5.0 if 10 <= pair < 50 else 10.0))
    return boundaries


def _control_point(beam_number: int, index: int, n_control_points: int) -> Dataset:
    """The first control point carries the full machine state; later ones only what changes."""
    fraction = index / (n_control_points - 1)
    clockwise = beam_number % 2 == 1
    sweep = 358.0 * fraction  # a full arc from 181 to 179 degrees (or back)
    gantry = (181.0 + sweep) % 360.0 if clockwise else (179.0 - sweep) % 360.0

    point = Dataset()
    point.ControlPointIndex = index
    if index == 0:
        point.NominalBeamEnergy = "6"
        point.DoseRateSet = "600"
    point.BeamLimitingDevicePositionSequence = Sequence(
        _device_positions(beam_number, index, with_x_jaws=index == 0)
    )
    point.GantryAngle = _ds(gantry, 1)
    last = index == n_control_points - 1
    point.GantryRotationDirection = "NONE" if last else ("CW" if clockwise else "CC")
    if index == 0:
        point.BeamLimitingDeviceAngle = "30" if clockwise else "330"
        point.BeamLimitingDeviceRotationDirection = "NONE"
        point.PatientSupportAngle = "0"
        point.PatientSupportRotationDirection = "NONE"
        point.TableTopEccentricAngle = "0"
        point.TableTopEccentricRotationDirection = "NONE"
        point.TableTopVerticalPosition = "-152.5"
        point.TableTopLongitudinalPosition = "1021.25"
        point.TableTopLateralPosition = "3.75"
        point.IsocenterPosition = ["-1.25", "35.5", "120.75"]
        point.TableTopPitchAngle = 0.0  # FL
        point.TableTopPitchRotationDirection = "NONE"
        point.TableTopRollAngle = 0.25  # FL
        point.TableTopRollRotationDirection = "NONE"
    point.CumulativeMetersetWeight = _ds(fraction, 5)
    dose = Dataset()
    dose.CumulativeDoseReferenceCoefficient = _ds(fraction, 5)
    dose.ReferencedDoseReferenceNumber = 1
    point.ReferencedDoseReferenceSequence = Sequence([dose])
    return point


def _device_positions(beam_number: int, index: int, *, with_x_jaws: bool) -> list[Dataset]:
    positions = []
    if with_x_jaws:
        x_jaws = Dataset()
        x_jaws.RTBeamLimitingDeviceType = "ASYMX"
        x_jaws.LeafJawPositions = ["-45.5", "42.25"]
        positions.append(x_jaws)
    y_opening = 60.0 + 15.0 * math.sin(0.11 * index + beam_number)
    y_jaws = Dataset()
    y_jaws.RTBeamLimitingDeviceType = "ASYMY"
    y_jaws.LeafJawPositions = [_ds(-y_opening, 1), _ds(y_opening - 2.5, 1)]
    positions.append(y_jaws)
    mlc = Dataset()
    mlc.RTBeamLimitingDeviceType = "MLCX"
    mlc.LeafJawPositions = _leaf_positions(beam_number, index)
    positions.append(mlc)
    return positions


def _leaf_positions(beam_number: int, index: int) -> list[str]:
    """Bank A then bank B (60 + 60 values); a smooth sweeping aperture, never overlapping."""
    bank_a: list[str] = []
    bank_b: list[str] = []
    for pair in range(LEAF_PAIRS):
        phase = 0.07 * index + 0.2 * pair + 0.9 * beam_number
        centre = 25.0 * math.sin(phase)
        half_width = 0.5 + 18.0 * (1.0 + math.cos(0.5 * phase + 0.13 * pair)) / 2.0
        bank_a.append(_ds(centre - half_width, 2))
        bank_b.append(_ds(centre + half_width, 2))
    return bank_a + bank_b


def _ds(value: float, decimals: int) -> str:
    """A DS string with at most ``decimals`` decimals, without trailing zeros or ``-0``."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write_rt_plan(path: Path, ds: FileDataset) -> None:
    """Write ``ds`` as a DICOM file (preamble, file meta, Explicit VR Little Endian)."""
    pydicom.dcmwrite(path, ds, enforce_file_format=True)


def main(argv: SequenceOf[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("output", type=Path, help="path of the DICOM file to write")
    parser.add_argument("--beams", type=int, default=DEFAULT_BEAMS)
    parser.add_argument("--control-points", type=int, default=DEFAULT_CONTROL_POINTS)
    args = parser.parse_args(argv)
    ds = build_rt_plan(args.beams, args.control_points)
    write_rt_plan(args.output, ds)
    print(f"wrote {args.output}: RT Plan with {count_elements(ds)} data elements")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
