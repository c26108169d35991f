"""Our PS3.18 Annex F JSON Schema, the pydantic models generated from it, and validate()."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from pydantic import ValidationError as PydanticValidationError
from pydicom.datadict import dictionary_VR
from reference import F4_EXAMPLE

from dicombind.errors import ValidationError
from dicombind.generated.json_model import dataset_adapter, dataset_list_adapter
from dicombind.json.validate import assert_valid, validate
from dicombind.vr import ALL_VRS

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "dicom-json-model.schema.json"

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
SCHEMA_VALIDATOR = Draft202012Validator(SCHEMA)


def attribute(vr: str, **members: Any) -> dict[str, Any]:
    return {"vr": vr, **members}


VALID: dict[str, Any] = {
    "empty data set": {},
    "empty result array": [],
    "strings with an empty value": {"00080060": attribute("CS", Value=["CT", None, "MR"])},
    "zero-length": {"00080020": attribute("DA"), "00100010": attribute("PN")},
    "PN groups": {
        "00100010": attribute(
            "PN",
            Value=[
                {"Alphabetic": "Yamada^Tarou", "Ideographic": "山田^太郎", "Phonetic": "やまだ"},
                None,
                {"Ideographic": "王^小東"},
                {},
            ],
        )
    },
    "AT": {"00209165": attribute("AT", Value=["00100020", "7FE00010"])},
    "DS numbers and strings": {"00281050": attribute("DS", Value=[40, -0.5, "007.50", None])},
    "IS SV UV": {
        "00201206": attribute("IS", Value=[4, "+012"]),
        "00720082": attribute("SV", Value=["-9223372036854775808", 12]),
        "00720083": attribute("UV", Value=[0, "18446744073709551615"]),
    },
    "FL FD with NaN and infinities": {
        "00189219": attribute("FL", Value=[0.5, "NaN", "Infinity", "-Infinity"]),
        "0018922A": attribute("FD", Value=[3.141592653589793, 1e-300, None]),
    },
    "binary integers": {
        "00280010": attribute("US", Value=[512]),
        "00281050": attribute("DS", BulkDataURI="https://example.com/bulk/1"),
        "00660040": attribute("SL", Value=[-2147483648, 2147483647]),
        "00720088": attribute("UL", BulkDataURI="bulk/2"),
    },
    "inline binary": {
        "00090010": attribute("LO", Value=["Vendor A"]),
        "00091002": attribute("UN", InlineBinary="z0x9c8v7"),
        "7FE00010": attribute("OW", InlineBinary="AAEAAg=="),
    },
    "bulk data on binary VRs": {
        "00283006": attribute("OW", BulkDataURI="https://example.com/lut"),
        "00660040": attribute("OL", BulkDataURI="x"),
    },
    "text as bulk data": {
        "00081190": attribute("UR", Value=["https://example.com/a\\b"]),
        "00284000": attribute("LT", BulkDataURI="https://example.com/text"),
        "00400441": attribute("UC", Value=["a", "b"]),
    },
    "sequence with an empty item": {
        "00081115": attribute(
            "SQ",
            Value=[
                {"00081150": attribute("UI", Value=["1.2.840.10008.5.1.4.1.1.7"])},
                {},
            ],
        )
    },
    "zero-length sequence": {"00081115": attribute("SQ")},
    "private creator and element": {
        "00290010": attribute("LO", Value=["ACME 1.1"]),
        "00291001": attribute("SH", Value=["x"]),
    },
    "two results": [
        {"0020000D": attribute("UI", Value=["1.2.3"])},
        {"0020000D": attribute("UI", Value=["1.2.4"])},
    ],
}

INVALID: dict[str, Any] = {
    "lowercase key": {"0020000d": attribute("UI", Value=["1.2.3"])},
    "seven-digit key": {"0010010": attribute("PN")},
    "group length key": {"00080000": attribute("UL", Value=[4])},
    "Value and InlineBinary": {"7FE00010": attribute("OB", Value=["x"], InlineBinary="AAAA")},
    "Value and BulkDataURI": {"00281050": attribute("DS", Value=[1], BulkDataURI="u")},
    "InlineBinary and BulkDataURI": {
        "7FE00010": attribute("OB", InlineBinary="AAAA", BulkDataURI="u")
    },
    "InlineBinary on a text VR": {"00100020": attribute("LO", InlineBinary="AAAA")},
    "BulkDataURI on PN": {"00100010": attribute("PN", BulkDataURI="https://example.com/pn")},
    "BulkDataURI on UI": {"0020000D": attribute("UI", BulkDataURI="https://example.com/ui")},
    "PN with an unknown group": {"00100010": attribute("PN", Value=[{"SingleByte": "Doe^John"}])},
    "PN as a bare string": {"00100010": attribute("PN", Value=["Doe^John"])},
    "PN group holding the = separator": {
        "00100010": attribute("PN", Value=[{"Alphabetic": "Yamada=山田"}])
    },
    "PN group with six components": {
        "00100010": attribute("PN", Value=[{"Alphabetic": "a^b^c^d^e^f"}])
    },
    "Value not an array": {"00100020": attribute("LO", Value="12345")},
    "Value null": {"00100020": attribute("LO", Value=None)},
    "empty Value array": {"00100020": attribute("LO", Value=[])},
    "unknown member": {"00100020": attribute("LO", Value=["1"], keyword="PatientID")},
    "AT as a number": {"00209165": attribute("AT", Value=[1048608])},
    "AT in lowercase": {"00209165": attribute("AT", Value=["7fe00010"])},
    "unknown vr": {"00100020": attribute("XX", Value=["1"])},
    "lowercase vr": {"00100020": attribute("lo", Value=["1"])},
    "no vr": {"00100020": {"Value": ["1"]}},
    "null sequence item": {"00081115": attribute("SQ", Value=[None])},
    "InlineBinary as an array (as printed in F.4)": {
        "00091002": attribute("UN", InlineBinary=["z0x9c8v7"])
    },
    "InlineBinary not base64": {"7FE00010": attribute("OB", InlineBinary="AAA")},
    "empty InlineBinary": {"7FE00010": attribute("OB", InlineBinary="")},
    "Value on OB": {"7FE00010": attribute("OB", Value=["AAAA"])},
    "FL as a numeric string": {"00189219": attribute("FL", Value=["1.5"])},
    "FL as a boolean": {"00189219": attribute("FL", Value=[True])},
    "US as a string": {"00280010": attribute("US", Value=["512"])},
    "IS with a fraction": {"00201206": attribute("IS", Value=[4.5])},
    "CS as a number": {"00080060": attribute("CS", Value=[1])},
    "empty BulkDataURI": {"00281050": attribute("DS", BulkDataURI="")},
    "top level string": "00100010",
    "result array with a non-object": [{}, 5],
    "nested error in an item": {
        "00081115": attribute("SQ", Value=[{"00081150": attribute("UI", Value=[1])}])
    },
}


def schema_accepts(document: Any) -> bool:
    return bool(SCHEMA_VALIDATOR.is_valid(document))


def models_accept(document: Any) -> bool:
    """Whether the generated models accept ``document``, as parsed JSON and as JSON text."""
    adapter: Any = dataset_list_adapter if isinstance(document, list) else dataset_adapter
    try:
        adapter.validate_python(copy.deepcopy(document))
        from_python = True
    except PydanticValidationError:
        from_python = False
    try:
        adapter.validate_json(json.dumps(document))
        from_json = True
    except PydanticValidationError:
        from_json = False
    assert from_python == from_json, "python and JSON input disagree"
    return from_python


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_names_edition_and_source() -> None:
    header = SCHEMA["$comment"]
    assert "PS3.18 Annex F" in header and "NEMA" in header
    assert "2020c" in header and "2024c-2025e" in header


def test_document_sets_are_large_enough() -> None:
    assert len(VALID) >= 15 and len(INVALID) >= 15


@pytest.mark.parametrize(
    ("document", "expected"),
    [pytest.param(doc, True, id=f"valid: {name}") for name, doc in VALID.items()]
    + [pytest.param(doc, False, id=f"invalid: {name}") for name, doc in INVALID.items()],
)
def test_schema_and_models_agree(document: Any, expected: bool) -> None:
    assert schema_accepts(document) is expected
    assert models_accept(document) is expected


# PS3.18 F.2.2, the InlineBinary and BulkDataURI lists.
INLINE_BINARY_VRS = ["OB", "OD", "OF", "OL", "OV", "OW", "UN"]
BULK_DATA_VRS = [
    *["DS", "FL", "FD", "IS", "LT", "OB", "OD", "OF", "OL", "OV", "OW"],
    *["SL", "SS", "ST", "SV", "UC", "UL", "UN", "US", "UT", "UV"],
]


@pytest.mark.parametrize("vr", INLINE_BINARY_VRS)
def test_inline_binary_only_on_binary_vrs(vr: str) -> None:
    assert schema_accepts({"00091010": attribute(vr, InlineBinary="AAAA")})
    assert not schema_accepts({"00091010": attribute(vr, Value=["AAAA"])})


@pytest.mark.parametrize("vr", sorted(ALL_VRS))
def test_bulk_data_uri_exactly_on_the_listed_vrs(vr: str) -> None:
    document = {"00091010": attribute(vr, BulkDataURI="https://example.com/b")}
    assert schema_accepts(document) is (vr in BULK_DATA_VRS)
    assert models_accept(document) is (vr in BULK_DATA_VRS)


# The standard's F.4 example

# Where the printed example breaks the normative text.  The repaired copy fixes only the JSON
# syntax (comments, raw newlines) and InlineBinary, so the rest is still in it.
F4_INLINE_BINARY_ARRAYS = ["/0/00091002/InlineBinary", "/1/00091002/InlineBinary"]
F4_DICTIONARY_VR_ERRATA = {
    # StudyDate (0008,0020) and PatientBirthDate (0010,0030) are DA in PS3.6, given as DT.
    # A schema without the data dictionary cannot see this, so the schema accepts them.
    "/0/00080020": ("DT", "DA"),
    "/0/00100030": ("DT", "DA"),
    "/1/00080020": ("DT", "DA"),
    "/1/00100030": ("DT", "DA"),
}


@pytest.fixture(scope="module")
def f4_example() -> Any:
    assert F4_EXAMPLE.exists(), f"reference example not found: {F4_EXAMPLE}"
    return json.loads(F4_EXAMPLE.read_text(encoding="utf-8"))


def test_f4_example_is_accepted(f4_example: Any) -> None:
    assert list(SCHEMA_VALIDATOR.iter_errors(f4_example)) == []
    assert models_accept(f4_example)
    assert validate(f4_example) == []


def test_f4_example_as_printed_fails_only_at_its_inline_binary_arrays(f4_example: Any) -> None:
    printed = copy.deepcopy(f4_example)
    for dataset in printed:
        dataset["00091002"]["InlineBinary"] = [dataset["00091002"]["InlineBinary"]]
    assert not schema_accepts(printed)
    dataset_validator = Draft202012Validator({"$defs": SCHEMA["$defs"], "$ref": "#/$defs/Dataset"})
    failing = sorted(
        f"/{index}" + "".join(f"/{step}" for step in best_match([error]).absolute_path)
        for index, dataset in enumerate(printed)
        for error in dataset_validator.iter_errors(dataset)
    )
    assert failing == F4_INLINE_BINARY_ARRAYS
    assert sorted(v.location for v in validate(printed)) == F4_INLINE_BINARY_ARRAYS


def test_f4_example_vr_errata_are_exactly_the_dates(f4_example: Any) -> None:
    mismatches = {}
    for index, dataset in enumerate(f4_example):
        for key, member in dataset.items():
            tag = int(key, 16)
            if (tag >> 16) & 1:  # private: not in the dictionary
                continue
            if member["vr"] != dictionary_VR(tag):
                mismatches[f"/{index}/{key}"] = (member["vr"], dictionary_VR(tag))
    assert mismatches == F4_DICTIONARY_VR_ERRATA


# validate()


def test_validate_reports_json_pointer_locations() -> None:
    document = {
        "00081115": attribute(
            "SQ",
            Value=[
                {"00081150": attribute("UI", Value=["1.2"])},
                {"00081150": attribute("UI", Value=[7])},
            ],
        )
    }
    [violation] = validate(document)
    assert violation.location == "/00081115/Value/1/00081150/Value/0"
    assert "string" in violation.message


def test_validate_reports_every_violation() -> None:
    document = {
        "00100020": attribute("LO", Value=["1"], keyword="PatientID"),
        "00080000": attribute("UL", Value=[4]),
        "0010001a": attribute("PN"),
        "00209165": attribute("AT", Value=[1]),
    }
    locations = sorted(v.location for v in validate(document))
    assert locations == [
        "/00080000",  # group length
        "/00080000",  # out of order (follows 00100020)
        "/0010001a",  # lowercase key
        "/00100020/keyword",  # unknown member
        "/00209165/Value/0",  # AT as a number
    ]


def test_validate_orders_members_of_items_too() -> None:
    text = (
        '[{"00081115": {"vr": "SQ", "Value": [{}, '
        '{"00081155": {"vr": "UI"}, "00081150": {"vr": "UI"}}]}}]'
    )
    [violation] = validate(text)
    assert violation.location == "/0/00081115/Value/1/00081150"
    assert "ascending order" in violation.message


def test_validate_reports_duplicate_member_names() -> None:
    text = '{"00100010": {"vr": "PN"}, "00100010": {"vr": "PN"}}'
    [violation] = validate(text.encode("utf-8"))
    assert violation.location == "/00100010"
    assert "more than once" in violation.message


def test_validate_requires_private_creators() -> None:
    [violation] = validate({"00291001": attribute("SH", Value=["x"])})
    assert violation.location == "/00291001"
    assert "00290010" in violation.message
    assert validate({"00290010": attribute("LO", Value=["C"]), "00291001": attribute("SH")}) == []


def test_validate_rejects_bare_nan_and_bad_json() -> None:
    [nan] = validate('{"00189219": {"vr": "FL", "Value": [NaN]}}')
    assert nan.location == "" and "NaN" in nan.message
    [broken] = validate('{"00100010": ')
    assert "not valid JSON" in broken.message


def test_validate_escapes_pointer_steps() -> None:
    locations = [v.location for v in validate({"a/b~c": attribute("PN")})]
    assert locations == ["/a~1b~0c"]


def test_validate_agrees_with_the_schema_on_text_bytes_and_parsed_input() -> None:
    # Every VALID document also keeps the rules beyond the schema (order, creators).
    for document, expected in [
        *((doc, True) for doc in VALID.values()),
        *((doc, False) for doc in INVALID.values()),
    ]:
        text = json.dumps(document)
        violations = validate(text)
        assert (violations == []) is expected, (document, violations)
        assert validate(text.encode("utf-8")) == violations
        if not isinstance(document, str):  # a str is always taken as JSON text
            assert validate(document) == violations


def test_assert_valid_raises_with_all_violations() -> None:
    assert_valid(VALID["PN groups"])
    with pytest.raises(ValidationError) as caught:
        assert_valid({"00080000": attribute("UL"), "0010001a": attribute("PN")})
    assert [v.location for v in caught.value.violations] == ["/00080000", "/0010001a"]
    assert "and 1 more" in str(caught.value)
