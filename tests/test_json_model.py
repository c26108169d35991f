"""IR <-> the generated pydantic models of the DICOM JSON Model (dicombind.json.model)."""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from dicombind.errors import DicombindError, ValueFormatError
from dicombind.floats import to_float32
from dicombind.generated.json_model import dataset_adapter
from dicombind.ir import DataSet, Element
from dicombind.json.model import from_model, to_model
from dicombind.json.validate import validate
from dicombind.json.writer import write_json
from dicombind.options import JSONWriteOptions
from dicombind.vr import ALL_VRS

SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "schemas" / "dicom-json-model.schema.json").read_text(
        encoding="utf-8"
    )
)


def all_vrs() -> DataSet:
    """One element per VR (tags chosen for the VR), in ascending tag order."""
    return [
        Element(0x00080005, "CS", ["ISO_IR 192"]),
        Element(0x00080020, "DA", ["20240102", None, "19991231"]),
        Element(0x0008002A, "DT", ["20240102123456.123456+0100"]),
        Element(0x00080030, "TM", ["235959.999999"]),
        Element(0x00080054, "AE", ["STORE_SCP", "ARCHIVE"]),
        Element(0x00080090, "PN", ["Yamada^Tarou^Jirou^Dr.^III=山田^太郎=やまだ^たろう"]),
        Element(0x00081190, "UR", ["https://example.com/studies/1?a=b\\c"]),
        Element(0x00081195, "UI", ["1.2.840.10008.5.1.4.1.1.7", "1.2.3"]),
        Element(0x00090010, "LO", ["ACME 1.0"]),
        Element(0x00091010, "OB", inline_binary=b"\x00\x01\x02\x03"),
        Element(0x00100020, "LO", ["ID 1", "ID 2"]),
        Element(0x00101010, "AS", ["045Y"]),
        Element(0x00102154, "SH", ["555-0100"]),
        Element(0x00181060, "DS", ["1.0E+02", "-0.5", "007.50", None, "3"]),
        Element(0x00189219, "FD", [math.pi, 1e-300, -0.0]),
        Element(0x00201206, "IS", ["+012", "-7", "0"]),
        Element(0x00209165, "AT", [0x00100020, 0x7FE00010]),
        Element(0x00283006, "OW", inline_binary=struct.pack("<3H", 0, 256, 65535)),
        Element(0x00287FE0, "UT", ["unlimited text\\with a backslash"]),
        Element(0x00404001, "UC", ["unlimited", "characters"]),
        Element(0x00660040, "OL", inline_binary=struct.pack("<2I", 1, 4294967295)),
        Element(0x00660043, "SL", [-(2**31), 2**31 - 1]),
        Element(0x00660064, "OF", inline_binary=struct.pack("<2f", 0.25, -8.0)),
        Element(0x00700084, "ST", ["short text\r\nline two"]),
        Element(0x00720066, "LT", ["long text"]),
        Element(0x00720068, "FL", [0.5, to_float32(0.1), -3.0]),
        Element(0x00720070, "SS", [-32768, 32767]),
        Element(0x00720074, "US", [0, 65535]),
        Element(0x00720076, "UL", [0, 4294967295]),
        Element(0x00720078, "SQ", [[Element(0x00081150, "UI", ["1.2"])], []]),
        Element(0x0072007A, "OD", inline_binary=struct.pack("<2d", 1.5, -2.0)),
        Element(0x0072007C, "OV", inline_binary=struct.pack("<2Q", 1, 2**64 - 1)),
        Element(0x00720082, "SV", [-(2**63), 2**63 - 1, 2**53, -(2**53) - 1]),
        Element(0x00720083, "UV", [0, 2**64 - 1]),
        Element(0x7FE00010, "UN", inline_binary=b"\x01\x02\x03"),
    ]


def special_cases() -> DataSet:
    """Zero-length elements, empty values, PN groups, sequences, bulk data, NaN/Infinity."""
    return [
        Element(0x00080060, "CS", [None, "MR", None]),
        Element(0x00081115, "SQ"),  # no items
        Element(
            0x00081199,
            "SQ",
            [
                [],
                [
                    Element(0x00081150, "UI", ["1.2.3"]),
                    Element(
                        0x0040A730,
                        "SQ",
                        [[], [Element(0x0040A040, "CS", ["TEXT"]), Element(0x0040A160, "UT")]],
                    ),
                ],
            ],
        ),
        Element(0x00090010, "LO", ["CREATOR A"]),
        Element(0x00090011, "LO", ["CREATOR B"]),
        Element(0x00091001, "UN", bulk_data_uri="https://example.com/bulk/9"),
        Element(0x00091101, "DS", ["1.5"]),
        Element(0x00100010, "PN", ["=Ideo^Name", None, "Doe^John==Phon", "^Bob^^Dr."]),
        Element(0x00100020, "LO"),
        Element(0x00189219, "FD", [math.nan, math.inf, -math.inf, 2.5]),
        Element(0x00281050, "DS", bulk_data_uri="https://example.com/bulk/ds"),
        Element(0x00282000, "OB"),
        Element(0x00287FE0, "UT", bulk_data_uri="bulk/text"),
        Element(0x00720068, "FL", [math.nan, -math.inf]),
        Element(0x00720082, "SV", bulk_data_uri="bulk/sv"),
        Element(0x7FE00010, "OW", bulk_data_uri="urn:uuid:0f7b0d3c-3c1b-4a8e-9f29-3d1b0c9e4a11"),
    ]


def comparable(dataset: DataSet) -> list[Any]:
    """The data set with NaN made comparable (NaN != NaN)."""

    def value(v: Any) -> Any:
        if isinstance(v, float) and math.isnan(v):
            return "<nan>"
        if isinstance(v, list):
            return comparable(v)
        return v

    return [
        (
            e.tag,
            e.vr,
            None if e.values is None else [value(v) for v in e.values],
            e.inline_binary,
            e.bulk_data_uri,
        )
        for e in dataset
    ]


def as_json(dataset: DataSet) -> Any:
    return json.loads(dataset_adapter.dump_json(to_model(dataset), exclude_unset=True))


def test_all_34_vrs_are_covered() -> None:
    assert {element.vr for element in all_vrs()} == ALL_VRS


@pytest.mark.parametrize("make", [all_vrs, special_cases])
def test_ir_model_ir_round_trip(make: Any) -> None:
    original = make()
    assert comparable(from_model(to_model(original))) == comparable(make())


@pytest.mark.parametrize("make", [all_vrs, special_cases])
def test_ir_json_text_ir_round_trip(make: Any) -> None:
    text = dataset_adapter.dump_json(to_model(make()), exclude_unset=True)
    assert comparable(from_model(dataset_adapter.validate_json(text))) == comparable(make())


@pytest.mark.parametrize("make", [all_vrs, special_cases])
def test_model_json_is_valid_against_the_schema(make: Any) -> None:
    document = as_json(make())
    assert list(Draft202012Validator(SCHEMA).iter_errors(document)) == []
    assert validate(document) == []


def test_model_json_follows_the_mapping_rules() -> None:
    document = as_json(all_vrs())
    assert list(document) == sorted(document)
    assert document["00080020"] == {"vr": "DA", "Value": ["20240102", None, "19991231"]}
    assert document["00080090"]["Value"] == [
        {
            "Alphabetic": "Yamada^Tarou^Jirou^Dr.^III",
            "Ideographic": "山田^太郎",
            "Phonetic": "やまだ^たろう",
        }
    ]
    assert document["00091010"] == {"vr": "OB", "InlineBinary": "AAECAw=="}
    assert document["00181060"]["Value"] == ["1.0E+02", "-0.5", "007.50", None, "3"]
    assert document["00201206"]["Value"] == ["+012", "-7", "0"]
    assert document["00209165"]["Value"] == ["00100020", "7FE00010"]
    assert document["00720068"]["Value"] == [0.5, 0.1, -3.0]
    assert document["00720078"]["Value"] == [
        {"00081150": {"vr": "UI", "Value": ["1.2"]}},
        {},
    ]
    assert document["00720082"]["Value"] == [
        "-9223372036854775808",
        "9223372036854775807",
        9007199254740992,
        "-9007199254740993",
    ]
    assert document["00720083"]["Value"] == [0, "18446744073709551615"]


def test_special_cases_follow_the_mapping_rules() -> None:
    document = as_json(special_cases())
    assert document["00080060"]["Value"] == [None, "MR", None]
    assert document["00081115"] == {"vr": "SQ"}
    assert document["00081199"]["Value"][0] == {}
    assert document["00081199"]["Value"][1]["0040A730"]["Value"][1]["0040A160"] == {"vr": "UT"}
    assert document["00091001"] == {"vr": "UN", "BulkDataURI": "https://example.com/bulk/9"}
    assert document["00100010"]["Value"] == [
        {"Ideographic": "Ideo^Name"},
        None,
        {"Alphabetic": "Doe^John", "Phonetic": "Phon"},
        {"Alphabetic": "^Bob^^Dr."},
    ]
    assert document["00100020"] == {"vr": "LO"}
    assert document["00189219"]["Value"] == ["NaN", "Infinity", "-Infinity", 2.5]
    assert document["00282000"] == {"vr": "OB"}
    assert document["00720068"]["Value"] == ["NaN", "-Infinity"]


def test_from_model_reads_every_json_form() -> None:
    document = {
        "00080060": {"vr": "CS", "Value": [""]},
        "00100010": {"vr": "PN", "Value": [{}, {"Phonetic": "P"}, None]},
        "00181060": {"vr": "DS", "Value": [100, 7.5, "1e3", None]},
        "00201206": {"vr": "IS", "Value": [4, "0042"]},
        "00720068": {"vr": "FL", "Value": [0.1, "Infinity", 2]},
        "00720082": {"vr": "SV", "Value": ["-9223372036854775808", 12]},
        "00720083": {"vr": "UV", "Value": [None]},
    }
    dataset = from_model(dataset_adapter.validate_json(json.dumps(document)))
    values = {element.tag: element.values for element in dataset}
    assert values[0x00080060] is None  # a lone empty value is zero-length
    assert values[0x00100010] == [None, "==P", None]
    assert values[0x00181060] == ["100", "7.5", "1e3", None]
    assert values[0x00201206] == ["4", "0042"]
    assert values[0x00720068] == [to_float32(0.1), math.inf, 2.0]
    assert values[0x00720082] == [-(2**63), 12]
    assert values[0x00720083] is None
    assert [element.tag for element in dataset] == sorted(element.tag for element in dataset)


def test_from_model_rejects_an_sv_string_that_is_not_an_integer() -> None:
    model = dataset_adapter.validate_python(
        {"00081199": {"vr": "SQ", "Value": [{"00720082": {"vr": "SV", "Value": ["1.5"]}}]}}
    )
    with pytest.raises(ValueFormatError) as caught:
        from_model(model)
    assert caught.value.tag == 0x00720082
    assert caught.value.path == "ReferencedSOPSequence[0]"


@pytest.mark.parametrize(
    ("element", "problem"),
    [
        (Element(0x00100010, "PN", ["a=b=c=d"]), "more than 3 component groups"),
        (Element(0x00100010, "PN", ["a^b^c^d^e^f"]), "Alphabetic"),
        (Element(0x00100020, "LO", inline_binary=b"x"), "InlineBinary"),
        (Element(0x00100020, "PN", bulk_data_uri="u"), "BulkDataURI"),
        (Element(0x7FE00010, "OB", [1]), "inline binary or bulk data"),
        (Element(0x00100020, "LO", [1]), "int value for VR LO"),
        (Element(0x00209165, "AT", [2**32]), "32-bit tag"),
        (Element(0x00100000, "UL", [1]), "group length"),
        (Element(0x00100020, "XX", ["1"]), "unknown VR"),
        (Element(0x00100020, "LO", ["a"], bulk_data_uri="u"), "more than one"),
        (Element(0x00720068, "FL", [1e300]), "FL range"),
    ],
)
def test_to_model_refuses_what_json_cannot_hold(element: Element, problem: str) -> None:
    with pytest.raises(ValueFormatError, match=problem) as caught:
        to_model([element])
    assert caught.value.tag == element.tag


def test_to_model_error_path_names_the_sequence_item() -> None:
    dataset = [
        Element(
            0x00081199,
            "SQ",
            [[], [Element(0x00081150, "UI", ["1"]), Element(0x00100010, "PN", ["a=b=c=d"])]],
        )
    ]
    with pytest.raises(DicombindError) as caught:
        to_model(dataset)
    assert caught.value.path == "ReferencedSOPSequence[1]"
    assert caught.value.tag == 0x00100010


def test_to_model_refuses_duplicate_tags() -> None:
    with pytest.raises(ValueFormatError, match="duplicate"):
        to_model([Element(0x00100020, "LO", ["a"]), Element(0x00100020, "LO", ["b"])])


@pytest.mark.parametrize("make", [all_vrs, special_cases])
def test_fast_writer_output_reads_back_through_the_models(make: Any) -> None:
    # The fast writer and to_model keep the same mapping rules: the writer's text (DS/IS as
    # their exact strings) is valid and gives the same IR through the models.
    text = write_json(make(), JSONWriteOptions(number_handling="string"))
    assert validate(text) == []
    assert comparable(from_model(dataset_adapter.validate_json(text))) == comparable(make())
