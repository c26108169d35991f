"""IR -> Native DICOM Model XML text (dicombind.xml.writer), and the keyword look-ups it uses."""

from __future__ import annotations

import math
import struct

import pytest
from lxml import etree

from dicombind.errors import ValueFormatError
from dicombind.floats import to_float32
from dicombind.ir import DataSet, Element
from dicombind.keywords import dictionary_vr, keyword_for_tag, tag_for_keyword
from dicombind.options import XMLWriteOptions
from dicombind.vr import ALL_VRS
from dicombind.xml.validate import validate
from dicombind.xml.writer import write_xml

NS = "http://dicom.nema.org/PS3.19/models/NativeDICOM"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
ROOT = f'<NativeDicomModel xmlns="{NS}">'
UUID = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"


def every_vr_data_set() -> DataSet:
    """All 34 VRs, empty values, empty and nested items, two private blocks, both bulk forms."""
    item = [
        Element(0x00081150, "UI", ["1.2.840.10008.5.1.4.1.1.4"]),
        Element(0x00090010, "LO", ["ITEM CREATOR"]),
        Element(0x00091020, "SH", ["inside an item"]),
    ]
    return [
        Element(0x00080008, "CS", ["ORIGINAL", None, "AXIAL"]),
        Element(0x00080020, "DA", ["20240229"]),
        Element(0x0008002A, "DT", ["20240229235959.999999-0500"]),
        Element(0x00080030, "TM", ["235959.5"]),
        Element(0x00080050, "SH", ["A&B<1>"]),
        Element(0x00080054, "AE", ["ONE", "TWO"]),
        Element(0x00080081, "ST", ["Street 1\\2"]),
        Element(0x00080090, "PN", ["Doe^John^^Dr", None, "=山田^太郎"]),
        Element(0x00080119, "UC", ["unlimited characters"]),
        Element(0x0008040C, "UV", [0, 2**64 - 1]),
        Element(0x00081115, "SQ", [[], item, [Element(0x00100020, "LO")]]),
        Element(0x00081140, "SQ"),
        Element(0x00081160, "IS", ["1", "+02", None]),
        Element(0x00081190, "UR", ["https://example.org/a?b=1&c=2"]),
        Element(0x00090010, "LO", ['CREATOR "A"']),
        Element(0x00090011, "LO", ["CREATOR B"]),
        Element(0x00091001, "US", [7]),
        Element(0x00091101, "UN", inline_binary=b"\x00\x01"),
        Element(0x00100030, "DA"),
        Element(0x00101010, "AS", ["042Y"]),
        Element(0x00101020, "DS", ["1.75", "4.0E-1", " 3"]),
        Element(0x00104000, "LT", ["first\r\nsecond\rthird"]),
        Element(0x00180013, "FL", [to_float32(0.1), -2.5, math.inf]),
        Element(0x00186020, "SL", [-(2**31), 2**31 - 1]),
        Element(0x00189087, "FD", [0.1, -0.0, math.nan, -math.inf]),
        Element(0x00189219, "SS", [-32768]),
        Element(0x00209165, "AT", [0x0020000D, 0x7FE00010]),
        Element(0x00280010, "US", [512]),
        Element(0x00281201, "OW", inline_binary=b"\x01\x00\xff\xff"),
        Element(0x00281202, "OW", bulk_data_uri=f"urn:uuid:{UUID}"),
        Element(0x0040A132, "UL", [2**32 - 1]),
        Element(0x0040A160, "UT", ["unlimited text \\ one value"]),
        Element(0x00420011, "OB", inline_binary=b"%PDF-1.7\n"),
        Element(0x00640009, "OF", inline_binary=struct.pack("<2f", 1.5, -2.0)),
        Element(0x00660022, "OD", inline_binary=struct.pack("<d", math.pi)),
        Element(0x00660040, "OL", inline_binary=struct.pack("<2I", 1, 2)),
        Element(0x00720081, "OV", inline_binary=struct.pack("<Q", 2**63)),
        Element(0x00720082, "SV", [-(2**63), 2**63 - 1]),
        Element(0x7FE00010, "OB", bulk_data_uri="https://example.org/bulk/7FE00010?frame=1&x=2"),
    ]


def vrs_in(dataset: DataSet) -> set[str]:
    found = set()
    for element in dataset:
        found.add(element.vr)
        if element.vr == "SQ":
            for item in element.values or []:
                assert isinstance(item, list)
                found |= vrs_in(item)
    return found


def parse(text: str) -> etree._Element:
    return etree.fromstring(text.encode())


def attributes(text: str, tag: str) -> list[etree._Element]:
    return parse(text).findall(f"{{{NS}}}DicomAttribute[@tag='{tag}']")


def the_attribute(text: str, tag: str) -> etree._Element:
    found = attributes(text, tag)
    assert len(found) == 1, (tag, found)
    return found[0]


def child_texts(attribute: etree._Element) -> list[tuple[str, str | None, str | None]]:
    return [(etree.QName(child).localname, child.get("number"), child.text) for child in attribute]


def body(dataset: DataSet, **options: bool) -> str:
    """The document without the declaration and the root element."""
    text = write_xml(dataset, XMLWriteOptions(**options))
    assert text.startswith(DECLARATION + ROOT)
    assert text.endswith("</NativeDicomModel>")
    return text[len(DECLARATION + ROOT) : -len("</NativeDicomModel>")]


def test_the_sample_has_every_vr() -> None:
    assert vrs_in(every_vr_data_set()) == ALL_VRS


@pytest.mark.parametrize("pretty", [False, True])
def test_output_is_valid_against_the_normative_schema(pretty: bool) -> None:
    text = write_xml(every_vr_data_set(), XMLWriteOptions(pretty=pretty))
    assert validate(text) == []


def test_declaration_and_root_follow_the_options() -> None:
    empty: DataSet = []
    assert write_xml(empty, XMLWriteOptions()) == f'{DECLARATION}<NativeDicomModel xmlns="{NS}"/>'
    assert write_xml(empty, XMLWriteOptions(namespace=False)) == (
        f"{DECLARATION}<NativeDicomModel/>"
    )
    assert write_xml(empty, XMLWriteOptions(xml_space=True, pretty=True)) == (
        f'{DECLARATION}<NativeDicomModel xmlns="{NS}" xml:space="preserve"/>\n'
    )
    one = [Element(0x00100020, "LO", ["X"])]
    text = write_xml(one, XMLWriteOptions(namespace=False))
    assert [a.get("tag") for a in parse(text).findall("DicomAttribute")] == ["00100020"]


def test_attribute_order_and_uppercase_tag() -> None:
    dataset = [
        Element(0x0020000D, "UI", ["1.2"]),
        Element(0x00290010, "LO", ["C"]),
        Element(0x00291A0B, "LO", ["p"]),
    ]
    assert body(dataset) == (
        '<DicomAttribute tag="0020000D" vr="UI" keyword="StudyInstanceUID">'
        '<Value number="1">1.2</Value></DicomAttribute>'
        '<DicomAttribute tag="00290010" vr="LO"><Value number="1">C</Value></DicomAttribute>'
        '<DicomAttribute tag="00291A0B" vr="LO"><Value number="1">p</Value></DicomAttribute>'
    )
    # (0029,1A0B) is in block 1A, which has no creator element: real tag, no privateCreator.
    dataset[2] = Element(0x0029100B, "LO", ["p"])
    assert '<DicomAttribute tag="0029000B" vr="LO" privateCreator="C">' in body(dataset)


def test_keyword_option_and_keywords_of_repeating_groups() -> None:
    dataset = [Element(0x00100010, "PN"), Element(0x60023000, "OW"), Element(0x00080099, "LO")]
    text = body(dataset)
    assert '<DicomAttribute tag="00100010" vr="PN" keyword="PatientName"/>' in text
    assert '<DicomAttribute tag="60023000" vr="OW" keyword="OverlayData"/>' in text
    assert '<DicomAttribute tag="00080099" vr="LO"/>' in text  # not in the dictionary
    assert "keyword" not in body(dataset, keyword=False)


def test_multi_values_empty_values_and_zero_length() -> None:
    text = write_xml(every_vr_data_set())
    assert child_texts(the_attribute(text, "00080008")) == [
        ("Value", "1", "ORIGINAL"),
        ("Value", "2", None),
        ("Value", "3", "AXIAL"),
    ]
    assert '<Value number="2"/>' in text
    assert child_texts(the_attribute(text, "00081160")) == [
        ("Value", "1", "1"),
        ("Value", "2", "+02"),
        ("Value", "3", None),
    ]
    assert len(the_attribute(text, "00100030")) == 0
    assert body([Element(0x00100030, "DA", [])]) == (
        '<DicomAttribute tag="00100030" vr="DA" keyword="PatientBirthDate"/>'
    )


def test_numbers_and_tags_as_text() -> None:
    text = write_xml(every_vr_data_set())

    def texts(tag: str) -> list[str | None]:
        return [value.text for value in the_attribute(text, tag)]

    assert texts("0008040C") == ["0", "18446744073709551615"]
    assert texts("00186020") == ["-2147483648", "2147483647"]
    assert texts("00189219") == ["-32768"]
    assert texts("00720082") == ["-9223372036854775808", "9223372036854775807"]
    assert texts("00180013") == ["0.1", "-2.5", "Infinity"]  # FL: shortest 32-bit text
    assert texts("00189087") == ["0.1", "-0.0", "NaN", "-Infinity"]
    assert texts("00209165") == ["0020000D", "7FE00010"]
    assert texts("00101020") == ["1.75", "4.0E-1", " 3"]  # DS exactly as given


def test_person_name_groups_and_components() -> None:
    names = [
        "Doe^John^^Dr",  # an empty middle component between two present ones
        "Doe^",  # a trailing empty component stays, so the text comes back exactly
        "=山田^太郎",  # an empty Alphabetic group before an Ideographic one
        "A^B^C^D^E=F=",  # all five components; an empty trailing group
    ]
    text = body([Element(0x00100010, "PN", [*names, None])])
    assert text == (
        '<DicomAttribute tag="00100010" vr="PN" keyword="PatientName">'
        '<PersonName number="1"><Alphabetic><FamilyName>Doe</FamilyName>'
        "<GivenName>John</GivenName><MiddleName/><NamePrefix>Dr</NamePrefix></Alphabetic>"
        "</PersonName>"
        '<PersonName number="2"><Alphabetic><FamilyName>Doe</FamilyName><GivenName/>'
        "</Alphabetic></PersonName>"
        '<PersonName number="3"><Alphabetic/><Ideographic><FamilyName>山田</FamilyName>'
        "<GivenName>太郎</GivenName></Ideographic></PersonName>"
        '<PersonName number="4"><Alphabetic><FamilyName>A</FamilyName><GivenName>B</GivenName>'
        "<MiddleName>C</MiddleName><NamePrefix>D</NamePrefix><NameSuffix>E</NameSuffix>"
        "</Alphabetic><Ideographic><FamilyName>F</FamilyName></Ideographic><Phonetic/>"
        "</PersonName>"
        '<PersonName number="5"/>'
        "</DicomAttribute>"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [("a=b=c=d", "more than 3 groups"), ("a^b^c^d^e^f", "more than 5 components")],
)
def test_person_names_the_model_cannot_hold_raise(name: str, message: str) -> None:
    with pytest.raises(ValueFormatError, match=message) as caught:
        write_xml([Element(0x00100010, "PN", [name])])
    assert caught.value.tag == 0x00100010


def test_sequences_items_and_empty_items() -> None:
    text = write_xml(every_vr_data_set())
    sequence = the_attribute(text, "00081115")
    assert [(item.get("number"), len(item)) for item in sequence] == [("1", 0), ("2", 3), ("3", 1)]
    assert '<Item number="1"/>' in text
    nested = sequence[1]
    assert [a.get("tag") for a in nested] == ["00081150", "00090010", "00090020"]
    assert nested[2].get("privateCreator") == "ITEM CREATOR"  # the item's own creator
    assert len(the_attribute(text, "00081140")) == 0
    assert body([Element(0x00081140, "SQ", [])]) == (
        '<DicomAttribute tag="00081140" vr="SQ" keyword="ReferencedImageSequence"/>'
    )


def test_private_blocks_of_two_creators_share_the_masked_tag() -> None:
    text = write_xml(every_vr_data_set())
    shared = attributes(text, "00090001")
    assert [(a.get("vr"), a.get("privateCreator"), a.get("keyword")) for a in shared] == [
        ("US", 'CREATOR "A"', None),
        ("UN", "CREATOR B", None),
    ]
    creators = [the_attribute(text, "00090010"), the_attribute(text, "00090011")]
    assert [(c.get("privateCreator"), c[0].text) for c in creators] == [
        (None, 'CREATOR "A"'),
        (None, "CREATOR B"),
    ]
    assert 'privateCreator="CREATOR &quot;A&quot;"' in text


def test_inline_binary_and_bulk_data() -> None:
    text = write_xml(every_vr_data_set())
    assert child_texts(the_attribute(text, "00281201")) == [("InlineBinary", None, "AQD//w==")]
    assert child_texts(the_attribute(text, "00420011")) == [("InlineBinary", None, "JVBERi0xLjcK")]
    uuid = the_attribute(text, "00281202")[0]
    assert (etree.QName(uuid).localname, dict(uuid.attrib)) == ("BulkData", {"uuid": UUID})
    uri = the_attribute(text, "7FE00010")[0]
    assert dict(uri.attrib) == {"uri": "https://example.org/bulk/7FE00010?frame=1&x=2"}
    assert 'uri="https://example.org/bulk/7FE00010?frame=1&amp;x=2"' in text
    assert body([Element(0x7FE00010, "OB", inline_binary=b"")]) == (
        '<DicomAttribute tag="7FE00010" vr="OB" keyword="PixelData"/>'
    )


def test_escaping_in_text() -> None:
    text = write_xml(every_vr_data_set())
    assert '<Value number="1">A&amp;B&lt;1&gt;</Value>' in text
    assert "first&#13;\nsecond&#13;third" in text
    # What a parser gives back is the exact value, CR included.
    assert the_attribute(text, "00080050")[0].text == "A&B<1>"
    assert the_attribute(text, "00104000")[0].text == "first\r\nsecond\rthird"


def test_escaping_in_attributes() -> None:
    creator = 'Q"uote & <tag>\ttab\nline\rreturn'
    dataset = [Element(0x00090010, "LO", [creator]), Element(0x00091001, "LO", ["v"])]
    text = write_xml(dataset)
    assert 'privateCreator="Q&quot;uote &amp; &lt;tag&gt;&#9;tab&#10;line&#13;return"' in text
    assert attributes(text, "00090001")[0].get("privateCreator") == creator


@pytest.mark.parametrize(
    "character", ["\x00", "\x01", "\x0b", "\x1b", "\ufffe", "\uffff", "\ud800"]
)
def test_characters_xml_cannot_carry_raise(character: str) -> None:
    with pytest.raises(ValueFormatError, match=r"cannot be written in XML 1\.0") as caught:
        write_xml([Element(0x00100020, "LO", [f"ab{character}"])])
    assert caught.value.tag == 0x00100020
    with pytest.raises(ValueFormatError):
        write_xml([Element(0x00100010, "PN", [f"Doe^{character}"])])
    with pytest.raises(ValueFormatError):  # in the privateCreator attribute too
        write_xml([Element(0x00090010, "LO", [f"c{character}"]), Element(0x00091001, "LO", ["x"])])


def test_an_error_inside_a_sequence_names_the_path() -> None:
    beam = [Element(0x300A00C2, "LO", ["bad\x07name"])]
    dataset = [Element(0x300A00B0, "SQ", [[], [], beam])]
    with pytest.raises(ValueFormatError) as caught:
        write_xml(dataset)
    assert str(caught.value).startswith("BeamSequence[2] (300A,00C2): ")


@pytest.mark.parametrize(
    ("element", "message"),
    [
        (Element(0x00280010, "US", ["512"]), "str value '512' for VR US"),
        (Element(0x00180013, "FL", ["1.5"]), "for VR FL"),
        (Element(0x00180013, "FL", [1e39]), "out of range"),
        (Element(0x00209165, "AT", [2**32]), "not a 32-bit tag"),
        (Element(0x00100020, "LO", [5]), "int value 5 for VR LO"),
        (Element(0x00081115, "SQ", ["item"]), "for VR SQ"),
        (Element(0x00100020, "XX", ["a"]), "unknown VR"),
        (Element(0x00080000, "UL", [4]), "group length"),
        (Element(0x00420011, "OB", ["a"]), "VR OB cannot have <Value>"),
        (Element(0x00100020, "LO", inline_binary=b"ab"), "inline binary for VR LO"),
        (Element(0x00100020, "LO", ["a"], bulk_data_uri="u"), "more than one"),
    ],
)
def test_values_that_do_not_fit_their_vr_raise(element: Element, message: str) -> None:
    with pytest.raises(ValueFormatError, match=message) as caught:
        write_xml([element])
    assert caught.value.tag == element.tag


def test_numbers_of_other_int_types_are_written() -> None:
    class Index:  # an int-like value (numpy integers behave the same way)
        def __index__(self) -> int:
            return 42

    text = body([Element(0x00280010, "US", [Index(), None])])  # type: ignore[list-item]
    assert '<Value number="1">42</Value><Value number="2"/>' in text


def test_pretty_printing_indents_between_elements_only() -> None:
    dataset = [
        Element(0x00100010, "PN", ["  Doe ^ John  "]),
        Element(0x00104000, "LT", ["  padded text\nwith a line  "]),
        Element(0x0040A730, "SQ", [[Element(0x0040A160, "UT", ["nested"])]]),
    ]
    text = write_xml(dataset, XMLWriteOptions(pretty=True))
    assert text == (
        f"{DECLARATION}{ROOT}\n"
        '  <DicomAttribute tag="00100010" vr="PN" keyword="PatientName">\n'
        '    <PersonName number="1">\n'
        "      <Alphabetic>\n"
        "        <FamilyName>  Doe </FamilyName>\n"
        "        <GivenName> John  </GivenName>\n"
        "      </Alphabetic>\n"
        "    </PersonName>\n"
        "  </DicomAttribute>\n"
        '  <DicomAttribute tag="00104000" vr="LT" keyword="PatientComments">\n'
        '    <Value number="1">  padded text\nwith a line  </Value>\n'
        "  </DicomAttribute>\n"
        '  <DicomAttribute tag="0040A730" vr="SQ" keyword="ContentSequence">\n'
        '    <Item number="1">\n'
        '      <DicomAttribute tag="0040A160" vr="UT" keyword="TextValue">\n'
        '        <Value number="1">nested</Value>\n'
        "      </DicomAttribute>\n"
        "    </Item>\n"
        "  </DicomAttribute>\n"
        "</NativeDicomModel>\n"
    )


def test_pretty_and_compact_output_carry_the_same_values() -> None:
    dataset = every_vr_data_set()
    compact = parse(write_xml(dataset))
    pretty = parse(write_xml(dataset, XMLWriteOptions(pretty=True)))

    def leaves(root: etree._Element) -> list[tuple[str, str | None]]:
        return [(e.getroottree().getpath(e), e.text) for e in root.iter() if len(e) == 0]

    assert leaves(compact) == leaves(pretty)


def test_long_multi_values_are_numbered_throughout() -> None:
    values: list[str | None] = [str(n) for n in range(1, 1501)]
    values[700] = None
    text = write_xml([Element(0x30060050, "DS", values)])  # type: ignore[arg-type]
    written = the_attribute(text, "30060050")
    assert [v.get("number") for v in written] == [str(n) for n in range(1, 1501)]
    assert [v.text for v in written] == values


def test_keyword_look_ups() -> None:
    assert keyword_for_tag(0x00100010) == "PatientName"
    assert keyword_for_tag(0x60023000) == "OverlayData"  # repeating group 60xx
    assert keyword_for_tag(0x00090010) is None  # private
    assert keyword_for_tag(0x00080000) is None  # group length
    assert tag_for_keyword("PatientName") == 0x00100010
    assert tag_for_keyword("OverlayData") == 0x60003000
    assert tag_for_keyword("NoSuchKeyword") is None
    assert dictionary_vr(0x00280106) == "US"  # "US or SS"
    assert dictionary_vr(0x7FE00010) == "OB"  # "OB or OW"
    assert dictionary_vr(0x00290010) == "LO"  # a Private Creator element
    assert dictionary_vr(0x00290010, "SIEMENS CSA HEADER") == "OB"  # masked (0029,xx10)
    assert dictionary_vr(0x00291010) == "UN"
    assert dictionary_vr(0x00089999) == "UN"


def test_subclasses_of_the_ir_types_are_written() -> None:
    class Text(str):  # like pydicom's UID
        pass

    class Tag(int):  # like pydicom's BaseTag
        pass

    text = body(
        [
            Element(0x00080016, "UI", [Text("1.2.3")]),
            Element(0x00080018, "UI", [Text("1.2"), Text("3")]),
            Element(0x00209165, "AT", [Tag(0x0020000D)]),
        ]
    )
    assert '<Value number="1">1.2.3</Value>' in text
    assert '<Value number="1">1.2</Value><Value number="2">3</Value>' in text
    assert '<Value number="1">0020000D</Value>' in text
