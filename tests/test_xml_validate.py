"""dicombind.xml.validate: the normative RELAX NG plus the rules the schema cannot express."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from dicombind.errors import ValidationError, Violation
from dicombind.xml.parsing import DOCTYPE_REFUSED
from dicombind.xml.validate import assert_valid, validate

NS = "http://dicom.nema.org/PS3.19/models/NativeDICOM"
SAMPLES = Path(__file__).resolve().parent / "samples" / "xml" / "schema"
ROOT_PATH = "/NativeDicomModel"


def _doc(*lines: str, root: str = f'xmlns="{NS}"') -> str:
    """A document whose line n + 1 is ``lines[n]`` (line 1 opens the root element)."""
    return "\n".join([f"<NativeDicomModel {root}>", *lines, "</NativeDicomModel>"])


def _rule_violations(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if not v.message.startswith("schema:")]


VALID = _doc(
    '<DicomAttribute tag="00080008" vr="CS"><Value number="1">A</Value>'
    '<Value number="2"/></DicomAttribute>',
    '<DicomAttribute tag="00081115" vr="SQ"><Item number="1"/><Item number="2">',
    '  <DicomAttribute tag="00100020" vr="LO"><Value number="1">x</Value></DicomAttribute>',
    "</Item></DicomAttribute>",
    '<DicomAttribute tag="00090010" vr="LO"><Value number="1">A</Value></DicomAttribute>',
    '<DicomAttribute tag="00090011" vr="LO"><Value number="1">B</Value></DicomAttribute>',
    '<DicomAttribute tag="00090001" vr="OB" privateCreator="A"><InlineBinary>AA==</InlineBinary>'
    "</DicomAttribute>",
    '<DicomAttribute tag="00090001" vr="OB" privateCreator="B"><BulkData uuid="1"/>'
    "</DicomAttribute>",
    '<DicomAttribute tag="00100010" vr="PN"><PersonName number="1"/><PersonName number="2">'
    "<Alphabetic><FamilyName>F</FamilyName></Alphabetic></PersonName></DicomAttribute>",
    '<DicomAttribute tag="00100020" vr="LO"/>',
    '<DicomAttribute tag="00209165" vr="AT"><Value number="1">0010001A</Value>'
    '<Value number="2"/></DicomAttribute>',
)


def test_a_valid_document_has_no_violations() -> None:
    assert validate(VALID) == []
    assert_valid(VALID)


def test_valid_schema_samples_give_no_violations_unless_they_break_a_model_rule() -> None:
    for sample in sorted((SAMPLES / "valid").glob("*.xml")):
        violations = validate(sample)
        assert not [v for v in violations if v.message.startswith("schema:")], sample
        if sample.stem == "schema-ignores-vr-kind":
            assert {v.message for v in violations} == {
                "Item is not allowed for VR LO",
                "PersonName is not allowed for VR DA",
                "PersonName number 7 where 1 was expected (1..n in order)",
            }
        else:
            assert violations == [], sample


def test_invalid_schema_samples_give_schema_violations_without_raising() -> None:
    for sample in sorted((SAMPLES / "invalid").glob("*.xml")):
        violations = validate(sample)
        assert any(v.message.startswith("schema:") for v in violations), sample
        assert all(v.location.startswith("line ") for v in violations), sample


# One rule at a time: (document line, expected location, words of the message).
ATTRIBUTE = f"{ROOT_PATH}/DicomAttribute"
RULES = {
    "person-name-for-lo": (
        '<DicomAttribute tag="00100020" vr="LO"><PersonName number="1"/></DicomAttribute>',
        f"{ATTRIBUTE}[@tag='00100020']/PersonName[1]",
        "PersonName is not allowed for VR LO",
    ),
    "item-for-cs": (
        '<DicomAttribute tag="00080060" vr="CS"><Item number="1"/></DicomAttribute>',
        f"{ATTRIBUTE}[@tag='00080060']/Item[1]",
        "Item is not allowed for VR CS",
    ),
    "inline-binary-for-us": (
        '<DicomAttribute tag="00280010" vr="US"><InlineBinary>AAI=</InlineBinary></DicomAttribute>',
        f"{ATTRIBUTE}[@tag='00280010']/InlineBinary[1]",
        "InlineBinary is not allowed for VR US",
    ),
    "value-for-sq": (
        '<DicomAttribute tag="00081115" vr="SQ"><Value number="1">x</Value></DicomAttribute>',
        f"{ATTRIBUTE}[@tag='00081115']/Value[1]",
        "Value is not allowed for VR SQ",
    ),
    "value-for-pn": (
        '<DicomAttribute tag="00100010" vr="PN"><Value number="1">Doe^John</Value>'
        "</DicomAttribute>",
        f"{ATTRIBUTE}[@tag='00100010']/Value[1]",
        "Value is not allowed for VR PN",
    ),
    "value-for-ob": (
        '<DicomAttribute tag="7FE00010" vr="OB"><Value number="1">AA==</Value></DicomAttribute>',
        f"{ATTRIBUTE}[@tag='7FE00010']/Value[1]",
        "Value is not allowed for VR OB",
    ),
    "bulk-data-for-sq": (
        '<DicomAttribute tag="00081115" vr="SQ"><BulkData uri="urn:x"/></DicomAttribute>',
        f"{ATTRIBUTE}[@tag='00081115']/BulkData[1]",
        "BulkData is not allowed for VR SQ",
    ),
    "value-number-gap": (
        '<DicomAttribute tag="00080008" vr="CS"><Value number="1">A</Value>'
        '<Value number="3">B</Value></DicomAttribute>',
        f"{ATTRIBUTE}[@tag='00080008']/Value[2]",
        "Value number 3 where 2 was expected (1..n in order)",
    ),
    "item-number-from-2": (
        '<DicomAttribute tag="00081115" vr="SQ"><Item number="2"/></DicomAttribute>',
        f"{ATTRIBUTE}[@tag='00081115']/Item[1]",
        "Item number 2 where 1 was expected (1..n in order)",
    ),
    "group-length": (
        '<DicomAttribute tag="00100000" vr="UL"><Value number="1">8</Value></DicomAttribute>',
        f"{ATTRIBUTE}[@tag='00100000']",
        "group length (gggg,0000) attributes are not allowed",
    ),
    "private-creator-on-even-group": (
        '<DicomAttribute tag="00100001" vr="LO" privateCreator="A"/>',
        f"{ATTRIBUTE}[@tag='00100001'][@privateCreator='A']",
        "privateCreator on an attribute of an even group",
    ),
    "private-creator-on-unmasked-tag": (
        '<DicomAttribute tag="00091001" vr="LO" privateCreator="A"/>',
        f"{ATTRIBUTE}[@tag='00091001'][@privateCreator='A']",
        "private tag 00091001 with privateCreator is not gggg00ee",
    ),
    "private-tag-without-creator": (
        '<DicomAttribute tag="00091001" vr="LO"/>',
        f"{ATTRIBUTE}[@tag='00091001']",
        "private tag 00091001 without privateCreator",
    ),
    "at-lowercase": (
        '<DicomAttribute tag="00209165" vr="AT"><Value number="1">0010001a</Value>'
        "</DicomAttribute>",
        f"{ATTRIBUTE}[@tag='00209165']/Value[1]",
        "AT value '0010001a' is not 8 uppercase hexadecimal digits",
    ),
    "at-with-comma": (
        '<DicomAttribute tag="00209165" vr="AT"><Value number="1">(0010,0010)</Value>'
        "</DicomAttribute>",
        f"{ATTRIBUTE}[@tag='00209165']/Value[1]",
        "AT value '(0010,0010)' is not 8 uppercase hexadecimal digits",
    ),
}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_model_rule_is_reported_with_its_location(rule: str) -> None:
    # Each document is valid against the schema, so the rule is the only violation.
    line, path, message = RULES[rule]
    violations = validate(_doc('<DicomAttribute tag="00080050" vr="SH"/>', line))
    assert violations == [Violation(f"line 3, {path}", message)]


def test_duplicates_are_per_tag_and_creator_and_per_data_set() -> None:
    document = _doc(
        '<DicomAttribute tag="00090001" vr="LO" privateCreator="A"/>',
        '<DicomAttribute tag="00090001" vr="LO" privateCreator="B"/>',
        '<DicomAttribute tag="00081115" vr="SQ">',
        '  <Item number="1"><DicomAttribute tag="00100020" vr="LO"/></Item>',
        '  <Item number="2"><DicomAttribute tag="00100020" vr="LO"/></Item>',
        "</DicomAttribute>",
        '<DicomAttribute tag="00090001" vr="LO" privateCreator="A"/>',
        '<DicomAttribute tag="00100020" vr="LO"/>',
        '<DicomAttribute tag="00100020" vr="LO"/>',
    )
    assert validate(document) == [
        Violation(
            f"line 8, {ATTRIBUTE}[@tag='00090001'][@privateCreator='A']",
            "duplicate attribute: the same tag and privateCreator as line 2",
        ),
        Violation(
            f"line 10, {ATTRIBUTE}[@tag='00100020']",
            "duplicate attribute: the same tag and privateCreator as line 9",
        ),
    ]


def test_rules_inside_items_have_nested_paths() -> None:
    document = _doc(
        '<DicomAttribute tag="00081115" vr="SQ"><Item number="1"/><Item number="2">',
        '<DicomAttribute tag="00100010" vr="LO"><PersonName number="1"/></DicomAttribute>',
        "</Item></DicomAttribute>",
    )
    assert validate(document) == [
        Violation(
            f"line 3, {ATTRIBUTE}[@tag='00081115']/Item[2]/DicomAttribute[@tag='00100010']"
            "/PersonName[1]",
            "PersonName is not allowed for VR LO",
        )
    ]


def test_every_violation_is_reported() -> None:
    document = _doc(
        '<DicomAttribute tag="0010001x" vr="PN"/>',
        '<DicomAttribute tag="00100020" vr="XX"/>',
        '<DicomAttribute tag="00100030" vr="DA"><Value>1</Value></DicomAttribute>',
        '<DicomAttribute tag="00100040" vr="CS"><PersonName number="1"/></DicomAttribute>',
        '<DicomAttribute tag="00081115" vr="SQ"><Item number="1">',
        '  <DicomAttribute tag="00080000" vr="UL"/>',
        '  <DicomAttribute tag="00209165" vr="AT"><Value number="2">0010001a</Value>'
        "</DicomAttribute>",
        "</Item></DicomAttribute>",
        '<DicomAttribute tag="00091001" vr="LO"/>',
        '<DicomAttribute tag="00091001" vr="LO"/>',
    )
    violations = validate(document)
    assert {(v.location.split(",")[0], v.message) for v in _rule_violations(violations)} == {
        ("line 2", "tag '0010001x' is not 8 uppercase hexadecimal digits"),
        ("line 3", "vr 'XX' is not one of the 34 VRs"),
        ("line 4", "Value without a number attribute"),
        ("line 5", "PersonName is not allowed for VR CS"),
        ("line 7", "group length (gggg,0000) attributes are not allowed"),
        ("line 8", "AT value '0010001a' is not 8 uppercase hexadecimal digits"),
        ("line 8", "Value number 2 where 1 was expected (1..n in order)"),
        ("line 10", "private tag 00091001 without privateCreator"),
        ("line 11", "private tag 00091001 without privateCreator"),
        ("line 11", "duplicate attribute: the same tag and privateCreator as line 10"),
    }
    # The schema's own findings come first, each with its line.
    schema_lines = {v.location.split(",")[0] for v in violations if v.message.startswith("schema")}
    assert {"line 2", "line 3", "line 4"} <= schema_lines
    with pytest.raises(ValidationError) as caught:
        assert_valid(document)
    assert caught.value.violations == violations
    assert f"(and {len(violations) - 1} more)" in str(caught.value)


def test_rules_are_checked_in_a_document_without_the_namespace() -> None:
    document = _doc(
        '<DicomAttribute tag="00100020" vr="LO"><PersonName number="1"/></DicomAttribute>',
        root="",
    )
    violations = validate(document)
    assert violations[0].message.startswith("schema: Expecting a namespace")
    assert _rule_violations(violations) == [
        Violation(
            f"line 2, {ATTRIBUTE}[@tag='00100020']/PersonName[1]",
            "PersonName is not allowed for VR LO",
        )
    ]


def test_xml_space_breaks_the_schema_unless_allowed() -> None:
    document = _doc(
        '<DicomAttribute tag="00100020" vr="LO"/>', root=f'xmlns="{NS}" xml:space="preserve"'
    )
    violations = validate(document)
    assert len(violations) == 1
    assert violations[0].location == f"line 1, {ROOT_PATH}"
    assert "space" in violations[0].message
    assert validate(document, allow_xml_space=True) == []
    other = _doc(root=f'xmlns="{NS}" xml:space="default"')
    assert len(validate(other, allow_xml_space=True)) == 1


def test_not_well_formed_is_one_violation_with_its_line() -> None:
    document = _doc('<DicomAttribute tag="00100020" vr="LO">', "<Value number='1'>x</Value>")
    [violation] = validate(document)
    assert violation.location == "line 4"
    assert violation.message.startswith("not well-formed XML at line ")
    assert len(validate(b"\x00\xff")) == 1
    assert len(validate("")) == 1


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE NativeDicomModel [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE NativeDicomModel SYSTEM "http://example.invalid/native.dtd">',
        '<!DOCTYPE NativeDicomModel [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
    ],
)
def test_a_doctype_is_rejected_and_never_resolved(doctype: str) -> None:
    document = doctype + _doc(
        '<DicomAttribute tag="00100020" vr="LO"><Value number="1">&x;</Value></DicomAttribute>'
        if "ENTITY x" in doctype
        else ""
    )
    assert validate(document) == [Violation("line 1", DOCTYPE_REFUSED)]
    declared = '<?xml version="1.0"?>\n' + document
    assert validate(declared) == [Violation("line 2", DOCTYPE_REFUSED)]


def test_document_forms(tmp_path: Path) -> None:
    text = '<?xml version="1.0" encoding="ISO-8859-1"?>\n' + _doc(
        '<DicomAttribute tag="00100010" vr="PN"><PersonName number="1"><Alphabetic>'
        "<FamilyName>Ångström</FamilyName></Alphabetic></PersonName></DicomAttribute>"
    )
    assert validate(text) == []  # str: already decoded, the declared encoding is ignored
    assert validate(text.encode("latin-1")) == []  # bytes: decoded as declared
    path = tmp_path / "document.xml"
    path.write_bytes(text.encode("latin-1"))
    assert validate(path) == []
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<NativeDicomModel")
    assert len(validate(broken)) == 1


def test_a_document_with_a_large_inline_binary_validates() -> None:
    """Pixel data of tens of MB: libxml2's default 10 MB text limit must not apply."""
    payload = base64.b64encode(bytes(9_000_000)).decode()  # 12 MB of base64 text
    document = _doc(
        f'<DicomAttribute tag="7FE00010" vr="OW"><InlineBinary>{payload}</InlineBinary>'
        "</DicomAttribute>"
    )
    assert len(payload) > 10_000_000
    assert validate(document) == []
