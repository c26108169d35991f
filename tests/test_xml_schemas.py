"""The PS3.19 schemas: the hand-derived XSD accepts and rejects what the normative RNC does."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
import rnc2rng
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
RNC = ROOT / "schemas" / "native-dicom-model.2020c.rnc"
XSD = ROOT / "schemas" / "native-dicom-model.xsd"
GENERATED_RNG = ROOT / "generated" / "native_dicom_model.rng"
SAMPLES = Path(__file__).resolve().parent / "samples" / "xml"
AS_PUBLISHED = SAMPLES / "reference" / "native-dicom-model.2020c.as-published.rnc"

VALID = sorted((SAMPLES / "schema" / "valid").glob("*.xml"))
INVALID = sorted((SAMPLES / "schema" / "invalid").glob("*.xml"))

PUBLISHED_TYPO = '"OV" | | "OW"'
FIXED = '"OV" | "OW"'


@pytest.fixture(scope="module")
def relax_ng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.fromstring(rnc2rng.dumps(rnc2rng.load(str(RNC))).encode()))


@pytest.fixture(scope="module")
def generated_relax_ng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(GENERATED_RNG)))


@pytest.fixture(scope="module")
def xml_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def _parse(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))


def _body(rnc_text: str) -> str:
    """The schema text below the project's comment header (which ends at the first blank line)."""
    header, separator, body = rnc_text.partition("\n\n")
    assert separator, "the schema has no header block"
    assert all(line.startswith("#") for line in header.splitlines())
    return body


def test_enough_samples() -> None:
    assert len(VALID) >= 15
    assert len(INVALID) >= 15


@pytest.mark.parametrize("sample", VALID, ids=lambda p: p.stem)
def test_valid_sample_accepted_by_both(
    sample: Path, relax_ng: etree.RelaxNG, xml_schema: etree.XMLSchema
) -> None:
    document = _parse(sample)
    assert relax_ng.validate(document), relax_ng.error_log
    assert xml_schema.validate(document), xml_schema.error_log


@pytest.mark.parametrize("sample", INVALID, ids=lambda p: p.stem)
def test_invalid_sample_rejected_by_both(
    sample: Path, relax_ng: etree.RelaxNG, xml_schema: etree.XMLSchema
) -> None:
    document = _parse(sample)
    assert not relax_ng.validate(document)
    assert not xml_schema.validate(document)


@pytest.mark.parametrize("sample", VALID + INVALID, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_generated_rng_agrees_with_rnc(
    sample: Path, relax_ng: etree.RelaxNG, generated_relax_ng: etree.RelaxNG
) -> None:
    document = _parse(sample)
    assert generated_relax_ng.validate(document) == relax_ng.validate(document)


def test_xsi_attributes_are_the_known_difference(
    relax_ng: etree.RelaxNG, xml_schema: etree.XMLSchema
) -> None:
    # XSD 1.0 always admits xsi:schemaLocation (Orthanc writes it); RELAX NG does not. The XSD
    # header documents this as the one difference it cannot avoid.
    document = etree.fromstring(
        '<NativeDicomModel xmlns="http://dicom.nema.org/PS3.19/models/NativeDICOM"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="http://dicom.nema.org/PS3.19/models/NativeDICOM x.xsd"/>'
    )
    assert not relax_ng.validate(document)
    assert xml_schema.validate(document)


def test_rnc_is_the_published_text_with_only_the_typo_fixed() -> None:
    published = AS_PUBLISHED.read_text(encoding="utf-8")
    body = _body(RNC.read_text(encoding="utf-8"))
    assert published.count(PUBLISHED_TYPO) == 1
    assert body == published.replace(PUBLISHED_TYPO, FIXED)
    changed = [
        line
        for line in difflib.ndiff(published.splitlines(), body.splitlines())
        if line.startswith(("+ ", "- "))
    ]
    assert len(changed) == 2  # one line out, one line in
    assert len(body) == len(published) - 2  # the "| " that was removed


def test_published_text_does_not_parse_but_the_fixed_one_does() -> None:
    with pytest.raises(Exception, match="54:79"):
        rnc2rng.load(str(AS_PUBLISHED))
    assert "NativeDicomModel" in rnc2rng.dumps(rnc2rng.load(str(RNC)))


def test_rnc_header_names_edition_source_and_fix() -> None:
    header = RNC.read_text(encoding="utf-8").partition("\n\n")[0]
    for needed in ("PS3.19", "A.1.6", "2020c", "NEMA", PUBLISHED_TYPO, FIXED):
        assert needed in header


def test_xsd_header_names_edition_and_source() -> None:
    tree = etree.parse(str(XSD))
    comment = tree.getroot().getprevious()
    assert isinstance(comment, etree._Comment)
    for needed in ("PS3.19", "A.1.6", "2020c", "NEMA", "native-dicom-model.2020c.rnc"):
        assert needed in (comment.text or "")


def test_xsd_shape(xml_schema: etree.XMLSchema) -> None:
    xs = "{http://www.w3.org/2001/XMLSchema}"
    root = etree.parse(str(XSD)).getroot()
    assert root.get("targetNamespace") == "http://dicom.nema.org/PS3.19/models/NativeDICOM"
    assert root.get("elementFormDefault") == "qualified"
    assert root.get("attributeFormDefault") == "unqualified"
    assert [e.get("name") for e in root.findall(f"{xs}element")] == ["NativeDicomModel"]
    types = {t.get("name") for t in root.findall(f"{xs}complexType")}
    assert {"DicomAttribute", "Value", "Item", "PersonName", "NameComponents"} <= types
    assert {"BulkData", "InlineBinary"} <= types
    vr_type = root.find(f"{xs}simpleType[@name='VR']")
    assert vr_type is not None
    vrs = [e.get("value", "") for e in vr_type.iter(f"{xs}enumeration")]
    assert len(vrs) == len(set(vrs)) == 34
    rnc_choice = RNC.read_text(encoding="utf-8").split("VR = attribute vr {")[1].split("}")[0]
    assert sorted(vrs) == sorted(re.findall(r'"([A-Z]{2})"', rnc_choice))
