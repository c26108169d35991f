"""DICOM JSON Model text -> IR (dicombind.json.reader), and writer -> reader round trips."""

from __future__ import annotations

import base64
import gc
import json
import math
import random
import struct
from pathlib import Path
from typing import Any

import pytest
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from dicombind.errors import DicombindError, DocumentError, ValueFormatError
from dicombind.floats import to_float32
from dicombind.ir import DataSet, Element, Value
from dicombind.json.reader import (
    dataset_from_obj,
    datasets_from_obj,
    read_json,
    read_json_list,
)
from dicombind.json.writer import write_json
from dicombind.options import JSONWriteOptions

SAMPLES = Path(__file__).parent / "samples" / "json_tolerance"
NAN = math.nan
INF = math.inf


def same(a: object, b: object) -> bool:
    """IR equality in which NaN equals NaN (and -0.0 differs from 0.0)."""
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Element) and isinstance(b, Element):
        return (
            (a.tag, a.vr, a.inline_binary, a.bulk_data_uri)
            == (b.tag, b.vr, b.inline_binary, b.bulk_data_uri)
            and (a.values is None) == (b.values is None)
            and same(a.values or [], b.values or [])
        )
    return type(a) is type(b) and a == b


def assert_same(actual: DataSet, expected: DataSet) -> None:
    assert same(actual, expected), f"\n{actual}\n!=\n{expected}"


def element(tag: int, vr: str, values: list[Value] | None = None, **content: Any) -> Element:
    return Element(tag, vr, values, **content)


def sample(name: str) -> DataSet:
    return read_json((SAMPLES / name).read_bytes())


# --- round trips -------------------------------------------------------------------------


def every_vr() -> DataSet:
    return [
        element(0x00080005, "CS", ["ISO_IR 192"]),
        element(0x00080008, "CS", ["ORIGINAL", None, "AXIAL"]),
        element(0x00080020, "DA", ["20240102"]),
        element(0x00080030, "TM", ["235959.999999"]),
        element(0x0008002A, "DT", ["20240102123456.123456+0100"]),
        element(0x00080054, "AE", ["STORE_SCP", "ARCHIVE"]),
        element(0x00081190, "UR", ["https://example.com/a?b=c&d=e"]),
        element(0x00090010, "LO", ["Vendor A"]),
        element(0x00091001, "OB", inline_binary=b"\x00\x01\x02\x03"),
        element(0x00091002, "UN", inline_binary=b""),
        element(0x00100010, "PN", ["Yamada^Tarou=山田^太郎=やまだ^たろう", None, "=Ideo", "Doe"]),
        element(0x00100020, "LO", ['quote " backslash \\ é 😀']),
        element(0x00100030, "DA"),
        element(0x00101010, "AS", ["045Y"]),
        element(0x00102000, "LT", ["line one\r\nline two\\three"]),
        element(0x00181063, "DS", ["33.3"]),
        element(0x00186028, "FD", [math.pi, -INF, NAN, -0.0, 5e-324]),
        element(0x00200013, "IS", ["12", "-7", "0"]),
        element(0x00209165, "AT", [0x00100020, 0x7FE00010]),
        element(0x00280010, "US", [0, 65535, None]),
        element(0x00280030, "DS", ["1.50", "-0.5", "1E+02", "+7", " 2 ", None]),
        element(0x00280106, "SS", [-32768, 32767]),
        element(0x00282000, "OB", bulk_data_uri="https://example.com/bulk/icc"),
        element(0x00400275, "SQ", [[element(0x00400009, "SH", ["SPS1"])], []]),
        element(0x00460044, "FD", bulk_data_uri="https://example.com/bulk/fd"),
        element(0x00660040, "OL", inline_binary=struct.pack("<2I", 1, 4294967295)),
        element(0x00660129, "OV", inline_binary=struct.pack("<Q", 2**64 - 1)),
        element(0x00701A06, "SL", [-(2**31), 2**31 - 1]),
        element(0x00720082, "SV", [-(2**63), 2**53, 2**53 + 1]),
        element(0x00720083, "UV", [0, 2**64 - 1]),
        element(0x00720066, "UC", ["unlimited", "characters"]),
        element(0x00720070, "ST", ["short text"]),
        element(0x0072006E, "UT", ["unlimited\\text"]),
        element(0x00720078, "UL", [0, 4294967295]),
        element(0x00460048, "FL", [to_float32(0.1), INF, NAN]),
        element(0x00701A07, "OD", inline_binary=struct.pack("<d", 1.5)),
        element(0x00701A08, "OF", inline_binary=struct.pack("<f", 0.25)),
        element(0x7FE00010, "OW", inline_binary=struct.pack("<3H", 0, 256, 65535)),
    ]


def sorted_ir(dataset: DataSet) -> DataSet:
    return sorted(dataset, key=lambda e: e.tag)


@pytest.mark.parametrize(
    "options",
    [
        JSONWriteOptions(),
        JSONWriteOptions(indent=2),
        JSONWriteOptions(number_handling="string"),
        JSONWriteOptions(use_keywords_as_keys=True),
        JSONWriteOptions(write_keyword=True, write_name=True, indent=1),
    ],
    ids=["auto", "indent", "string", "keyword-keys", "keyword-and-name"],
)
def test_round_trip_every_vr(options: JSONWriteOptions) -> None:
    ir = sorted_ir(every_vr())
    assert_same(read_json(write_json(ir, options)), ir)


def test_round_trip_in_number_mode_for_json_literal_text() -> None:
    ir = [element(0x00280030, "DS", ["1.50", "-0.5", "1E+02", "9007199254740993", None])]
    assert_same(read_json(write_json(ir, JSONWriteOptions(number_handling="number"))), ir)


def rt_plan(seed: int) -> DataSet:
    """A small RT-plan-like IR: nested sequences, MLC-sized DS arrays, numbers of all forms."""
    rnd = random.Random(seed)

    def ds_text() -> str:
        return rnd.choice(
            [f"{rnd.uniform(-200, 200):.2f}", str(rnd.randint(-5, 5)), "0", "-0.0", "1e-3"]
        )

    beams: list[Value] = []
    for beam in range(3):
        control_points: list[Value] = []
        for index in range(4):
            devices: list[Value] = [
                [
                    element(0x300A00B8, "CS", ["MLCX"]),
                    element(0x300A011C, "DS", [ds_text() for _ in range(120)]),
                ],
                [
                    element(0x300A00B8, "CS", ["ASYMY"]),
                    element(0x300A011C, "DS", [ds_text(), ds_text()]),
                ],
            ]
            control_points.append(
                [
                    element(0x300A0112, "IS", [str(index)]),
                    element(0x300A011A, "SQ", devices),
                    element(0x300A011E, "DS", [ds_text()]),
                    element(0x300A0134, "DS", [f"{index / 3:.6f}"]),
                ]
            )
        beams.append(
            [
                element(0x300A00C0, "IS", [str(beam + 1)]),
                element(0x300A00C2, "LO", [f"Arc {beam + 1}"]),
                element(0x300A0111, "SQ", control_points),
            ]
        )
    return [
        element(0x00100010, "PN", ["Doe^John"]),
        element(0x300A00B0, "SQ", beams),
    ]


@pytest.mark.parametrize("number_handling", ["auto", "string"])
def test_round_trip_rt_plan(number_handling: str) -> None:
    for seed in range(3):
        ir = rt_plan(seed)
        options = JSONWriteOptions(number_handling=number_handling)  # type: ignore[arg-type]
        assert_same(read_json(write_json(ir, options)), ir)


# --- tolerated deviations (tests/samples/json_tolerance) ----------------------------------


TOLERATED: dict[str, DataSet] = {
    "numbers_as_strings_or_numbers.json": [
        element(0x00200013, "IS", ["7", "8", "-0"]),
        element(0x00280030, "DS", ["0.50", "1.25", "3", "1E+02", "1.0E-5"]),
        element(0x00720082, "SV", [-(2**63), 12]),
        element(0x00720083, "UV", [2**64 - 1, 0]),
    ],
    "person_name_as_bare_string.json": [
        element(0x00100010, "PN", ["Yamada^Tarou=山田^太郎", "Doe^John"]),
    ],
    "person_name_empty_objects.json": [
        element(0x00081070, "PN", [None, "Op^One", None]),
        element(0x00100010, "PN"),
    ],
    "empty_strings_in_multi_values.json": [
        element(0x00080008, "CS", ["ORIGINAL", None, "AXIAL"]),
        element(0x00100020, "LO"),
        element(0x00280030, "DS", [None, "1.5"]),
    ],
    "empty_value_arrays.json": [
        element(0x00081140, "SQ"),
        element(0x00100020, "LO"),
        element(0x00100030, "DA"),
    ],
    "binary_as_one_element_arrays.json": [
        element(0x00090010, "LO", ["Vendor A"]),
        element(0x00091002, "UN", inline_binary=base64.b64decode("z0x9c8v7")),
        element(0x7FE00010, "OW", bulk_data_uri="https://example.com/studies/1/bulk/7FE00010"),
    ],
    "missing_vr.json": [
        element(0x00080020, "DA"),
        element(0x00090010, "LO", ["ACME 1.0"]),
        element(0x00091001, "UN", inline_binary=b"\x01\x02"),
        element(0x00100010, "PN", ["Doe^John"]),
        element(0x00280010, "US", [512]),
        element(0x00280106, "US", [0]),  # "US or SS": the first choice
        element(0x00991000, "UN"),
        element(0x7FE00010, "OB", inline_binary=b"\x00\x01"),  # "OB or OW"
    ],
    "keyword_keys.json": [
        element(0x00081140, "SQ", [[element(0x00081155, "UI", ["1.2.3.4"])]]),
        element(0x00100010, "PN", ["Doe^John"]),
        element(0x00100020, "LO", ["ID-1"]),
        element(0x0020000D, "UI", ["1.2.3"]),
    ],
    "lowercase_hex.json": [
        element(0x0020000D, "UI", ["1.2.3"]),
        element(0x00209165, "AT", [0x0020000D, 0x7FE00010]),
        element(0x7FE00010, "OB", inline_binary=b"\x00"),
    ],
    "nan_and_infinity_strings.json": [
        element(0x00186028, "FD", [NAN, NAN, INF, INF, -INF, INF, -INF, INF, -INF, NAN, 1.5]),
        element(0x00460044, "FL", [NAN, INF, -INF, INF, to_float32(0.1)]),
    ],
    "bare_nan_and_infinity_literals.json": [
        element(0x00186028, "FD", [NAN, INF, -INF, 2.5]),
    ],
    "keyword_and_name_members.json": [
        element(0x00080020, "DA"),
        element(0x00100010, "PN", ["Doe^John"]),
        element(0x00100020, "LO", ["ID-1"]),
    ],
    "unsorted_keys_and_members.json": [
        element(0x00080020, "DA", ["20240102"]),
        element(0x00100010, "PN", ["A==P"]),
        element(0x00100020, "LO", ["ID-1"]),
    ],
    "dcm4che-stowrsd-response.json": [
        element(
            0x00081190,
            "UR",
            ["http://localhost:8080/stowrs/studies/2.25.167995522240026955647820710009734446304"],
        ),
        element(
            0x00081199,
            "SQ",
            [
                [
                    element(0x00081150, "UI", ["1.2.840.10008.5.1.4.1.1.7"]),
                    element(0x00081155, "UI", ["2.25.285173212107550726725959070164943564389"]),
                    element(
                        0x00081190,
                        "UR",
                        [
                            "http://localhost:8080/stowrs/studies/"
                            "2.25.167995522240026955647820710009734446304/series/"
                            "2.25.109574005966230047031836542682704730019/instances/"
                            "2.25.285173212107550726725959070164943564389"
                        ],
                    ),
                ]
            ],
        ),
    ],
}


@pytest.mark.parametrize("name", sorted(TOLERATED))
def test_tolerated_deviation(name: str) -> None:
    assert_same(sample(name), TOLERATED[name])


def test_every_sample_file_has_an_expectation() -> None:
    on_disk = {path.name for path in SAMPLES.glob("*.json")}
    assert on_disk == set(TOLERATED) | {"ps318-F4-example.json"}


def test_ps318_f4_example_as_printed() -> None:
    studies = read_json_list((SAMPLES / "ps318-F4-example.json").read_text(encoding="utf-8"))
    assert len(studies) == 2
    first = {e.tag: e for e in studies[0]}
    assert first[0x00080020].vr == "DT"  # as the example says, although PS3.6 says DA
    assert first[0x00080090].values == ["^Bob^^Dr."]
    assert first[0x00091002].inline_binary == base64.b64decode("z0x9c8v7")
    assert first[0x00100010].values == ["Wang^XiaoDong=王^小東"]
    assert first[0x00201206].values == ["4"]
    other_ids = first[0x00101002].values
    assert other_ids is not None and len(other_ids) == 2
    assert other_ids[1] == [
        element(0x00100020, "LO", ["24680"]),
        element(0x00100021, "LO", ["Hospital C"]),
    ]
    assert [e.tag for e in studies[1]] == [e.tag for e in studies[0]]


def test_pydicom_to_json_is_read() -> None:
    ds = Dataset()
    ds.PatientName = "Doe^John=山田^太郎"
    ds.PatientID = "123"
    ds.ImageType = ["ORIGINAL", "", "AXIAL"]
    ds.PixelSpacing = ["0.5", "1.50"]
    ds.InstanceNumber = "7"
    ds.Rows = 512
    ds.FrameIncrementPointer = 0x00181063
    ds.ReferencedImageSequence = Sequence([])
    item = Dataset()
    item.ReferencedSOPInstanceUID = "1.2.3"
    ds.SourceImageSequence = Sequence([item, Dataset()])
    ds.add_new(0x00090010, "LO", "ACME")
    ds.add_new(0x00091001, "OB", b"\x00\x01\x02")
    ds.SliceThickness = None
    ds.RealWorldValueLUTData = [1.5, -2.0]
    assert_same(
        read_json(ds.to_json()),
        [
            element(0x00080008, "CS", ["ORIGINAL", None, "AXIAL"]),
            element(0x00081140, "SQ"),
            element(0x00082112, "SQ", [[element(0x00081155, "UI", ["1.2.3"])], []]),
            element(0x00090010, "LO", ["ACME"]),
            element(0x00091001, "OB", inline_binary=b"\x00\x01\x02"),
            element(0x00100010, "PN", ["Doe^John=山田^太郎"]),
            element(0x00100020, "LO", ["123"]),
            element(0x00180050, "DS"),
            element(0x00200013, "IS", ["7"]),
            element(0x00280009, "AT", [0x00181063]),
            element(0x00280010, "US", [512]),
            element(0x00280030, "DS", ["0.5", "1.5"]),  # pydicom writes DS through float
            element(0x00409212, "FD", [1.5, -2.0]),
        ],
    )


# --- entry points ---------------------------------------------------------------------------


def test_entry_points_for_objects_and_arrays() -> None:
    one = '{"00100020": {"vr": "LO", "Value": ["a"]}}'
    expected = [element(0x00100020, "LO", ["a"])]
    assert read_json(one) == expected
    assert read_json(f"[{one}]") == expected
    assert read_json_list(one) == [expected]
    assert read_json_list(f"[{one}, {{}}]") == [expected, []]
    assert read_json_list("[]") == []
    assert dataset_from_obj(json.loads(one)) == expected
    assert datasets_from_obj([json.loads(one)]) == [expected]


def test_bytes_in_any_json_encoding() -> None:
    text = '{"00100010": {"vr": "PN", "Value": [{"Alphabetic": "Gómez"}]}}'
    expected = [element(0x00100010, "PN", ["Gómez"])]
    for encoded in (
        text.encode("utf-8"),
        b"\xef\xbb\xbf" + text.encode("utf-8"),
        text.encode("utf-16"),
    ):
        assert read_json(encoded) == expected


def test_the_garbage_collector_is_restored() -> None:
    document = '{"00100020": {"vr": "LO", "Value": ["a"]}}'
    assert gc.isenabled()
    read_json(document)
    assert gc.isenabled()
    with pytest.raises(DocumentError):
        read_json("{")
    assert gc.isenabled()
    gc.disable()
    try:
        read_json(document)
        assert not gc.isenabled()
    finally:
        gc.enable()


# --- refused input ------------------------------------------------------------------------


def refused(document: str, error: type[DicombindError] = DicombindError) -> DicombindError:
    with pytest.raises(error) as caught:
        read_json(document)
    return caught.value


def test_invalid_json_reports_line_and_column() -> None:
    error = refused('{\n  "00100020": {"vr": "LO",}\n}', DocumentError)
    assert "line 2 column" in str(error)


@pytest.mark.parametrize("document", ["5", '"x"', "null", "true", "[1]", "[[]]"])
def test_a_data_set_must_be_an_object(document: str) -> None:
    refused(document, DocumentError)


def test_read_json_wants_exactly_one_data_set() -> None:
    assert "holds 2" in str(refused("[{}, {}]", DocumentError))
    assert "holds 0" in str(refused("[]", DocumentError))
    with pytest.raises(DocumentError):
        read_json_list("5")
    with pytest.raises(ValueFormatError) as caught:
        read_json_list('[{}, {"00100020": {"vr": "LO", "Value": [1]}}]')
    assert caught.value.path == "[1]"
    assert caught.value.tag == 0x00100020


@pytest.mark.parametrize(
    ("attribute", "error", "message"),
    [
        ('{"vr": "LO", "Value": ["x"], "Extra": 1}', DocumentError, "unknown member"),
        ('{"vr": "OB", "Value": [1], "InlineBinary": "AA=="}', DocumentError, "more than one"),
        (
            '{"vr": "OB", "InlineBinary": "AA==", "BulkDataURI": "x"}',
            DocumentError,
            "more than one",
        ),
        ('{"vr": "XX", "Value": ["x"]}', ValueFormatError, "unknown VR"),
        ('{"vr": "lo", "Value": ["x"]}', ValueFormatError, "unknown VR"),
        ('{"vr": 5, "Value": ["x"]}', ValueFormatError, "unknown VR"),
        ('{"vr": true, "Value": ["x"]}', ValueFormatError, "unknown VR"),
        ('{"vr": "LO", "Value": "x"}', DocumentError, "array"),
        ('{"vr": "LO", "Value": null}', DocumentError, "array"),
        ('{"vr": "LO", "Value": {}}', DocumentError, "array"),
        ('{"vr": "LO", "Value": [1]}', ValueFormatError, "LO"),
        ('{"vr": "LO", "Value": [true]}', ValueFormatError, "LO"),
        ('{"vr": "LO", "Value": [["x"]]}', ValueFormatError, "LO"),
        ('{"vr": "US", "Value": ["1"]}', ValueFormatError, "US"),
        ('{"vr": "US", "Value": [1.5]}', ValueFormatError, "US"),
        ('{"vr": "US", "Value": [true]}', ValueFormatError, "US"),
        ('{"vr": "SV", "Value": ["1.5"]}', ValueFormatError, "SV"),
        ('{"vr": "UV", "Value": [false]}', ValueFormatError, "UV"),
        ('{"vr": "DS", "Value": [true]}', ValueFormatError, "DS"),
        ('{"vr": "IS", "Value": [NaN]}', ValueFormatError, "IS"),
        ('{"vr": "FD", "Value": [true]}', ValueFormatError, "FD"),
        ('{"vr": "FD", "Value": ["abc"]}', ValueFormatError, "FD"),
        ('{"vr": "FD", "Value": [{}]}', ValueFormatError, "FD"),
        ('{"vr": "FL", "Value": [1e39]}', ValueFormatError, "FL range"),
        ('{"vr": "PN", "Value": [1]}', ValueFormatError, "PN"),
        ('{"vr": "PN", "Value": [{"Alphabetic": "a", "Kanji": "b"}]}', DocumentError, "Kanji"),
        ('{"vr": "PN", "Value": [{"Alphabetic": 5}]}', ValueFormatError, "Alphabetic"),
        ('{"vr": "AT", "Value": ["0010002"]}', ValueFormatError, "8 hex digits"),
        ('{"vr": "AT", "Value": ["(0010,0020)"]}', ValueFormatError, "8 hex digits"),
        ('{"vr": "AT", "Value": ["0010002G"]}', ValueFormatError, "8 hex digits"),
        ('{"vr": "AT", "Value": [1048608]}', ValueFormatError, "8 hex digits"),
        ('{"vr": "OB", "InlineBinary": "A"}', ValueFormatError, "base64"),
        ('{"vr": "OB", "InlineBinary": "!!!!"}', ValueFormatError, "base64"),
        ('{"vr": "OB", "InlineBinary": "AA==AA=="}', ValueFormatError, "base64"),
        ('{"vr": "OB", "InlineBinary": ["AA==", "AA=="]}', DocumentError, "string"),
        ('{"vr": "OB", "InlineBinary": 5}', DocumentError, "string"),
        ('{"vr": "LO", "InlineBinary": "AA=="}', DocumentError, "InlineBinary"),
        ('{"vr": "PN", "BulkDataURI": "https://x"}', DocumentError, "BulkDataURI"),
        ('{"vr": "SQ", "BulkDataURI": "https://x"}', DocumentError, "BulkDataURI"),
        ('{"vr": "OB", "BulkDataURI": 5}', DocumentError, "string"),
        ('{"vr": "OB", "Value": [1, 2]}', DocumentError, "InlineBinary"),
        ('{"vr": "SQ", "Value": [1]}', DocumentError, "item 0"),
        ('{"vr": "SQ", "Value": [{}, null]}', DocumentError, "item 1"),
        ('{"vr": "SQ", "Value": [[]]}', DocumentError, "item 0"),
        ('{"vr": "LO", "keyword": "PatientID", "Value": ["x"]}', DocumentError, "keyword"),
        ('"just a string"', DocumentError, "object"),
    ],
)
def test_refused_attribute(attribute: str, error: type[DicombindError], message: str) -> None:
    caught = refused(f'{{"00100010": {attribute}}}', error)
    assert caught.tag == 0x00100010
    assert message in str(caught)
    assert "(0010,0010)" in str(caught)


@pytest.mark.parametrize(
    ("document", "tag"),
    [
        ('{"00100010": {"vr": "PN"}, "PatientName": {"vr": "PN"}}', 0x00100010),
        ('{"0020000D": {"vr": "UI"}, "0020000d": {"vr": "UI"}}', 0x0020000D),
        ('{"7FE00010": {"vr": "OB"}, "00100010": {"vr": "PN"}, "PixelData": {}}', 0x7FE00010),
    ],
)
def test_two_keys_for_one_tag_are_refused(document: str, tag: int) -> None:
    assert refused(document, DocumentError).tag == tag


@pytest.mark.parametrize("key", ["Foo", "(0010,0010)", "0010001", "001000100", "0x100010", ""])
def test_unknown_keys_are_refused(key: str) -> None:
    assert repr(key) in str(refused(json.dumps({key: {"vr": "LO"}}), DocumentError))


def test_group_length_elements_are_checked_and_left_out() -> None:
    document = '{"00080000": {"vr": "UL", "Value": [4]}, "00080020": {"vr": "DA"}}'
    assert read_json(document) == [element(0x00080020, "DA")]
    assert read_json(document) == [element(0x00080020, "DA")]  # once more, keys now cached
    assert refused('{"00080000": {"vr": "UL", "Value": ["x"]}}', ValueFormatError).tag == 0x00080000


def test_errors_in_items_carry_the_attribute_path() -> None:
    def beams(bad: str) -> str:
        items = [{"300A00C0": {"vr": "IS", "Value": [n]}} for n in (1, 2, 3)]
        items[1]["300A0111"] = {"vr": "SQ", "Value": [{"300A011E": {"vr": "DS", "Value": []}}]}
        items[2]["300A00C2"] = json.loads(bad)
        return json.dumps({"300A00B0": {"vr": "SQ", "Value": items}})

    error = refused(beams('{"vr": "LO", "Value": [5]}'), ValueFormatError)
    assert error.path == "BeamSequence[2]"
    assert error.tag == 0x300A00C2
    assert str(error).startswith("BeamSequence[2] (300A,00C2): ")

    document = json.loads(beams('{"vr": "LO"}'))
    control_point = document["300A00B0"]["Value"][1]["300A0111"]["Value"][0]
    control_point["300A011E"] = {"vr": "DS", "Value": [{}]}
    error = refused(json.dumps(document), ValueFormatError)
    assert error.path == "BeamSequence[1].ControlPointSequence[0]"
    assert error.tag == 0x300A011E


def test_name_member_is_ignored_and_keyword_checked() -> None:
    document = '{"PatientName": {"vr": "PN", "keyword": "PatientName", "name": 5}}'
    assert read_json(document) == [element(0x00100010, "PN")]
    assert refused('{"00091001": {"vr": "UN", "keyword": "X"}}', DocumentError).tag == 0x00091001


@pytest.mark.parametrize(
    ("document", "tag"),
    [
        (
            '{"00100020": {"vr": "LO", "Value": ["a"]}, "00100020": {"vr": "LO", "Value": ["b"]}}',
            0x00100020,
        ),
        ('{"00100020": {"vr": "LO", "vr": "SH", "Value": ["a"]}}', None),
        (
            '{"00081115": {"vr": "SQ", "Value": [{"00081150": {"vr": "UI"},'
            ' "00081150": {"vr": "UI"}}]}}',
            0x00081150,
        ),
    ],
)
def test_identical_keys_in_one_object_are_refused(document: str, tag: int | None) -> None:
    with pytest.raises(DocumentError, match="appears twice") as failure:
        read_json(document)
    assert failure.value.tag == tag
