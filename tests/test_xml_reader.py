"""Native DICOM Model XML text -> IR (dicombind.xml.reader): round trips, tolerance, refusals."""

from __future__ import annotations

import base64
import math
import struct
from pathlib import Path

import pytest
from test_xml_writer import every_vr_data_set

from dicombind.errors import DocumentError, ValueFormatError
from dicombind.floats import to_float32
from dicombind.ir import DataSet, Element
from dicombind.options import XMLWriteOptions
from dicombind.xml.reader import MAX_SEQUENCE_DEPTH, read_xml
from dicombind.xml.writer import write_xml

NS = "http://dicom.nema.org/PS3.19/models/NativeDICOM"
SAMPLES = Path(__file__).parent / "samples" / "xml_tolerance"


def document(body: str) -> str:
    declaration = '<?xml version="1.0" encoding="UTF-8"?>'
    return f'{declaration}<NativeDicomModel xmlns="{NS}">{body}</NativeDicomModel>'


def attr(inner: str, tag: str = "00100020", vr: str = "LO") -> str:
    return document(f'<DicomAttribute tag="{tag}" vr="{vr}">{inner}</DicomAttribute>')


def sample(name: str) -> DataSet:
    return read_xml((SAMPLES / name).read_bytes())


def by_tag(dataset: DataSet) -> dict[int, Element]:
    return {element.tag: element for element in dataset}


def same(a: DataSet, b: DataSet) -> bool:
    """Data sets equal, NaN equal to NaN (the IR compares floats with ==)."""
    return repr(a) == repr(b)


# --- round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        XMLWriteOptions(),
        XMLWriteOptions(pretty=True),
        XMLWriteOptions(namespace=False, keyword=False),
        XMLWriteOptions(pretty=True, xml_space=True),
    ],
    ids=["compact", "pretty", "no-namespace", "xml-space"],
)
def test_writer_output_reads_back_as_the_same_ir(options: XMLWriteOptions) -> None:
    dataset = every_vr_data_set()
    text = write_xml(dataset, options)
    assert same(read_xml(text), dataset)
    assert same(read_xml(text.encode()), dataset)


def test_read_values_have_the_ir_types() -> None:
    read = by_tag(read_xml(write_xml(every_vr_data_set())))
    assert read[0x00180013].values == [to_float32(0.1), -2.5, math.inf]
    fd = read[0x00189087].values
    assert fd is not None
    assert fd[0] == 0.1 and math.copysign(1, fd[1]) == -1  # type: ignore[arg-type]
    assert math.isnan(fd[2]) and fd[3] == -math.inf  # type: ignore[arg-type]
    assert read[0x00209165].values == [0x0020000D, 0x7FE00010]
    assert read[0x0008040C].values == [0, 2**64 - 1]
    assert read[0x00101020].values == ["1.75", "4.0E-1", " 3"]  # DS text exactly
    assert read[0x00081160].values == ["1", "+02", None]  # IS text exactly
    assert read[0x00104000].values == ["first\r\nsecond\rthird"]  # CR survives
    assert read[0x00640009].inline_binary == struct.pack("<2f", 1.5, -2.0)
    assert read[0x00281202].bulk_data_uri == "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8"
    assert read[0x00100030].values is None
    assert read[0x00081140].values is None


@pytest.mark.parametrize(
    "name",
    [
        "Doe",
        "Doe^John",
        "Doe^",
        "Doe^^^^",
        "^John",
        "Doe^John^^Dr",
        "=山田^太郎",
        "Yamada^Tarou=山田^太郎=やまだ^たろう",
        "Doe=",
        "==",
        "A^B^C^D^E=F^G^H^I^J=K^L^M^N^O",
        " spaced ^ name ",
    ],
)
def test_person_name_text_comes_back_exactly(name: str) -> None:
    dataset = [Element(0x00100010, "PN", [name, None, "X"])]
    for options in (XMLWriteOptions(), XMLWriteOptions(pretty=True)):
        assert read_xml(write_xml(dataset, options)) == dataset


def test_escaped_characters_come_back() -> None:
    creator = "Q\"uote & <tag>\ttab\nline\rreturn 'apos'"
    dataset = [
        Element(0x00090010, "LO", [creator]),
        Element(0x00091001, "LT", ["a & b < c > d\r\n]]> \t end "]),
        Element(0x00100010, "PN", ["<Doe>&^'John'"]),
    ]
    assert read_xml(write_xml(dataset)) == dataset
    assert read_xml(write_xml(dataset, XMLWriteOptions(pretty=True))) == dataset


def test_a_lone_empty_value_is_zero_length_but_empty_values_in_a_list_stay() -> None:
    read = by_tag(
        read_xml(
            document(
                '<DicomAttribute tag="00100020" vr="LO"><Value number="1"/></DicomAttribute>'
                '<DicomAttribute tag="00080008" vr="CS"><Value number="1"/>'
                '<Value number="2"></Value></DicomAttribute>'
                '<DicomAttribute tag="00100010" vr="PN"><PersonName number="1"/></DicomAttribute>'
            )
        )
    )
    assert read[0x00100020].values is None
    assert read[0x00080008].values == [None, None]
    assert read[0x00100010].values is None


# --- private elements ------------------------------------------------------------------------


def test_private_elements_without_creator_elements_get_blocks_in_document_order() -> None:
    read = sample("dcm4che-no-namespace.xml")
    private = [element for element in read if element.tag >> 16 == 0x0029]
    assert [(hex(e.tag), e.vr, e.values) for e in private] == [
        ("0x290010", "LO", ["DCM4CHE TEST B"]),
        ("0x290011", "LO", ["DCM4CHE TEST A"]),
        ("0x291001", "LO", ["first in the document"]),
        ("0x291002", "US", [7]),
        ("0x291101", "LO", ["same masked tag, other creator"]),
    ]
    assert all(element.private_creator is None for element in read)


def test_a_creator_element_in_the_document_decides_the_block() -> None:
    read = read_xml(
        document(
            '<DicomAttribute tag="00090042" vr="LO"><Value number="1">B</Value></DicomAttribute>'
            '<DicomAttribute tag="00090001" vr="LO" privateCreator="A">'
            '<Value number="1">a</Value></DicomAttribute>'
            '<DicomAttribute tag="00094201" vr="LO" privateCreator="B">'  # real block: tolerated
            '<Value number="1">b</Value></DicomAttribute>'
        )
    )
    assert [(hex(e.tag), e.values) for e in read] == [
        ("0x90010", ["A"]),
        ("0x90042", ["B"]),
        ("0x91001", ["a"]),
        ("0x94201", ["b"]),
    ]


# --- documents in the styles of other producers ----------------------------------------------


def test_dcm4che_style_no_namespace_xml_space_and_attributes_out_of_order() -> None:
    read = sample("dcm4che-no-namespace.xml")
    tags = [element.tag for element in read]
    assert tags == sorted(tags)
    elements = by_tag(read)
    assert elements[0x00100010].values == ["Tolerance^Test"]
    assert elements[0x00100020].values == ["DCM4CHE-7"]
    assert elements[0x00080020] == Element(0x00080020, "DA")
    assert elements[0x00080061].values == ["CT", "PT"]
    assert elements[0x00101002] == Element(0x00101002, "SQ")
    assert elements[0x00400100].values == [
        [Element(0x00080060, "CS", ["CT"]), Element(0x00400001, "AE", ["CT01"])]
    ]


def test_dcmtk_style_uuid_bulk_data_cr_reference_and_empty_inline_binary() -> None:
    elements = by_tag(sample("dcmtk-native.xml"))
    assert elements[0x7FE00010].bulk_data_uri == "urn:uuid:3f2504e0-4f89-11d3-9a0c-0305e82c3301"
    assert elements[0x00104000].values == ["line one\r\nline two"]
    assert elements[0x00100010].values == ["Yamada^Tarou=山田^太郎=山田^太郎"]
    assert elements[0x00190010].values == ["DCMTK TEST"]
    assert elements[0x00191010] == Element(0x00191010, "DS", ["1.5"])
    assert elements[0x7FE00020] == Element(0x7FE00020, "OW")  # empty InlineBinary


def test_orthanc_style_schema_location_upper_case_uri_and_stray_value() -> None:
    elements = by_tag(sample("orthanc-dicomweb.xml"))
    assert elements[0x00081110].values == [[Element(0x00081150, "UI", ["1.2.840.10008.3.1.2.3.1"])]]
    assert elements[0x7FE00010].bulk_data_uri == (
        "http://localhost:8042/dicom-web/studies/1.2.3/series/4.5.6/instances/7.8.9/bulk/7fe00010"
    )
    assert elements[0x00091001].values == ["unmasked, no creator"]  # real tag kept
    assert elements[0x00280030].values == ["0.699999988", "0.699999988"]
    assert elements[0x00281050].values == ["40"]  # the RETIRED_ keyword is ignored


def test_gdcm_style_2011_single_byte_group() -> None:
    assert sample("gdcm-2011-single-byte.xml") == [
        Element(0x00100010, "PN", ["Wang^XiaoDong=王^小東"])
    ]


def test_missing_vr_comes_from_the_dictionaries() -> None:
    elements = by_tag(sample("missing-vr.xml"))
    assert elements[0x00100010] == Element(0x00100010, "PN", ["NoVR"])
    assert elements[0x00280010] == Element(0x00280010, "US", [16])
    assert elements[0x00280106] == Element(0x00280106, "US", [0])  # "US or SS" -> US
    assert elements[0x00290010] == Element(0x00290010, "LO", ["SIEMENS CSA HEADER"])
    assert elements[0x00291008] == Element(0x00291008, "CS", ["IMAGE NUM 4"])  # private dict
    assert elements[0x00291010] == Element(0x00291010, "UN", inline_binary=b"\x01\x02\x03")
    assert elements[0x7FE00010] == Element(0x7FE00010, "OB", inline_binary=b"\x00\x01\x00\x01")


def test_hand_edited_document() -> None:
    elements = by_tag(sample("hand-edited.xml"))
    assert 0x00080000 not in elements  # group length skipped
    assert elements[0x00080008].values == ["ORIGINAL", None, "AXIAL"]  # by number, gap empty
    assert elements[0x00100010].values == ["Doe^John^^Dr"]  # <Value> under PN
    assert elements[0x00101001].values == ["First", "Second"]
    assert elements[0x00209165].values == [0x0020000D]  # lowercase hex
    assert elements[0x7FE00008].inline_binary == struct.pack("<2f", 1.0, 2.0)  # lowercase tag
    assert (
        elements[0x00420011].inline_binary == b"%PDF-1.4\n%\xc7\xec\x8f\xa2\n5 0 obj\n<</Length 6 0"
    )


def test_text_input_ignores_the_declared_encoding() -> None:
    text = document(
        '<DicomAttribute tag="00100010" vr="PN"><Value number="1">Müller</Value></DicomAttribute>'
    )
    latin1 = text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    assert read_xml(latin1) == [Element(0x00100010, "PN", ["Müller"])]
    assert read_xml(latin1.encode("iso-8859-1")) == [Element(0x00100010, "PN", ["Müller"])]


def test_a_large_inline_binary_reads() -> None:
    payload = bytes(range(256)) * (12 * 4096)  # 12 MiB: past libxml2's default text limit
    encoded = base64.b64encode(payload).decode()
    text = attr(f"<InlineBinary>{encoded}</InlineBinary>", tag="7FE00010", vr="OB")
    assert read_xml(text) == [Element(0x7FE00010, "OB", inline_binary=payload)]


# --- refusals --------------------------------------------------------------------------------


REFUSED = [
    (document("<Foo/>"), DocumentError, "<Foo> where a <DicomAttribute> belongs", None),
    (attr("<Foo/>"), DocumentError, "unknown element <Foo>", 0x00100020),
    (attr('<Value number="1">a</Value><Foo/>'), DocumentError, "unknown element <Foo>", 0x00100020),
    (attr('<Value number="1">a<b/></Value>'), DocumentError, "<b> inside a <Value>", 0x00100020),
    (
        attr('<Value number="1">a</Value><Value number="2">b<b/></Value>'),
        DocumentError,
        "inside a <Value>",
        0x00100020,
    ),
    (
        document('<DicomAttribute tag="0010020" vr="LO"/>'),
        DocumentError,
        "'0010020' is not 8 hexadecimal",
        None,
    ),
    (
        document('<DicomAttribute tag="(0010,0020)" vr="LO"/>'),
        DocumentError,
        "is not 8 hexadecimal",
        None,
    ),
    (document('<DicomAttribute vr="LO"/>'), DocumentError, "without a tag", None),
    (attr("", vr="XX"), DocumentError, "unknown VR 'XX'", 0x00100020),
    (attr("", vr="lo"), DocumentError, "unknown VR 'lo'", 0x00100020),
    (
        attr('<Value number="1">a</Value><InlineBinary>YQ==</InlineBinary>', vr="OB"),
        DocumentError,
        "<Value> under VR OB",
        0x00100020,
    ),
    (
        attr('<InlineBinary>YQ==</InlineBinary><Value number="1">a</Value>', vr="OB"),
        DocumentError,
        "more than one kind of content: InlineBinary, Value",
        0x00100020,
    ),
    (
        attr('<Value number="1">a</Value><BulkData uri="x"/>'),
        DocumentError,
        "more than one kind of content: BulkData, Value",
        0x00100020,
    ),
    (
        attr('<Value number="1">a</Value><Value number="1">b</Value>'),
        DocumentError,
        "two <Value> elements with number 1",
        0x00100020,
    ),
    (
        attr('<Value number="0">a</Value>'),
        DocumentError,
        "number '0' is not a positive integer",
        0x00100020,
    ),
    (attr('<Value number="one">a</Value>'), DocumentError, "not a positive integer", 0x00100020),
    (attr("<Value>a</Value>"), DocumentError, "<Value> without a number", 0x00100020),
    (attr('<Value number="40">a</Value>'), DocumentError, "leaves 39 numbers missing", 0x00100020),
    (
        attr('<Value number="1">1.5</Value>', vr="US"),
        ValueFormatError,
        "'1.5' is not a valid US value",
        0x00100020,
    ),
    (
        attr('<Value number="1">65536</Value>', vr="US"),
        ValueFormatError,
        "out of range",
        0x00100020,
    ),
    (attr('<Value number="1">-1</Value>', vr="UL"), ValueFormatError, "out of range", 0x00100020),
    (
        attr('<Value number="1">1_000</Value>', vr="SL"),
        ValueFormatError,
        "not a valid SL",
        0x00100020,
    ),
    (attr('<Value number="1">١٢</Value>', vr="SS"), ValueFormatError, "not a valid SS", 0x00100020),
    (
        attr('<Value number="1">abc</Value>', vr="FD"),
        ValueFormatError,
        "'abc' is not a valid FD",
        0x00100020,
    ),
    (attr('<Value number="1">1e39</Value>', vr="FL"), ValueFormatError, "32-bit range", 0x00100020),
    (
        attr('<Value number="1">(0010,0020)</Value>', vr="AT"),
        ValueFormatError,
        "not a valid AT",
        0x00100020,
    ),
    (
        attr('<Value number="1">0010002G</Value>', vr="AT"),
        ValueFormatError,
        "not a valid AT",
        0x00100020,
    ),
    (
        attr("<InlineBinary>YQ=</InlineBinary>", vr="OB"),
        ValueFormatError,
        "invalid base64",
        0x00100020,
    ),
    (
        attr("<InlineBinary>Y*Q=</InlineBinary>", vr="OB"),
        ValueFormatError,
        "invalid base64",
        0x00100020,
    ),
    (
        attr("<InlineBinary>YQ==</InlineBinary>"),
        DocumentError,
        "<InlineBinary> under VR LO",
        0x00100020,
    ),
    (attr('<Item number="1"/>'), DocumentError, "<Item> under VR LO", 0x00100020),
    (attr('<PersonName number="1"/>'), DocumentError, "<PersonName> under VR LO", 0x00100020),
    (
        attr('<Value number="1">a</Value>', vr="SQ"),
        DocumentError,
        "<Value> with content under VR SQ",
        0x00100020,
    ),
    (attr('<BulkData uri="x"/>', vr="SQ"), DocumentError, "<BulkData> under VR SQ", 0x00100020),
    (attr('<Item number="2"/>', vr="SQ"), DocumentError, "no <Item> with number 1", 0x00100020),
    (attr("<BulkData/>"), DocumentError, "exactly one of uri and uuid", 0x00100020),
    (
        attr('<BulkData uri="a" uuid="b"/>'),
        DocumentError,
        "exactly one of uri and uuid",
        0x00100020,
    ),
    (
        attr('<BulkData uri="a"/><BulkData uri="b"/>'),
        DocumentError,
        "2 <BulkData> elements",
        0x00100020,
    ),
    (
        attr('<PersonName number="1"><Alphabetic/><Alphabetic/></PersonName>', vr="PN"),
        DocumentError,
        "two <Alphabetic> groups",
        0x00100020,
    ),
    (
        attr(
            '<PersonName number="1"><Alphabetic><Nickname>x</Nickname></Alphabetic></PersonName>',
            vr="PN",
        ),
        DocumentError,
        "unknown element <Nickname>",
        0x00100020,
    ),
    (
        attr('<PersonName number="1"><Latin/></PersonName>', vr="PN"),
        DocumentError,
        "unknown element <Latin>",
        0x00100020,
    ),
    (
        attr("loose text"),
        DocumentError,
        "text 'loose text' directly inside <DicomAttribute>",
        0x00100020,
    ),
    (
        document('<DicomAttribute tag="00100020" vr="LO" privateCreator="X"/>'),
        DocumentError,
        "privateCreator 'X' on an element of an even group",
        0x00100020,
    ),
    (
        document(
            '<DicomAttribute tag="00100020" vr="LO"/><DicomAttribute tag="00100020" vr="LO"/>'
        ),
        DocumentError,
        "duplicate attribute",
        0x00100020,
    ),
    ('<?xml version="1.0"?><Other/>', DocumentError, "root element is <Other>", None),
    (
        '<?xml version="1.0"?><NativeDicomModel xmlns="urn:other"/>',
        DocumentError,
        "root element is <{urn:other}NativeDicomModel>",
        None,
    ),
    (
        document('<DicomAttribute xmlns="urn:other" tag="00100020" vr="LO"/>'),
        DocumentError,
        "<{urn:other}DicomAttribute>",
        None,
    ),
]


@pytest.mark.parametrize(("text", "error", "message", "tag"), REFUSED)
def test_refused_documents_name_what_and_where(
    text: str, error: type[Exception], message: str, tag: int | None
) -> None:
    with pytest.raises(error) as caught:
        read_xml(text)
    assert message in str(caught.value)
    assert getattr(caught.value, "tag", None) == tag


def test_an_error_inside_an_item_carries_the_path() -> None:
    beam = '<DicomAttribute tag="300A00C0" vr="IS"><Value number="1">{}</Value></DicomAttribute>'
    bad = '<DicomAttribute tag="300A00C2" vr="LO"><Bad/></DicomAttribute>'
    items = "".join(f'<Item number="{n}">{beam.format(n)}</Item>' for n in (1, 2))
    items += f'<Item number="3">{bad}</Item>'
    text = document(f'<DicomAttribute tag="300A00B0" vr="SQ">{items}</DicomAttribute>')
    with pytest.raises(DocumentError) as caught:
        read_xml(text)
    assert (
        str(caught.value)
        == "BeamSequence[2] (300A,00C2): unknown element <Bad> in a DicomAttribute"
    )
    assert caught.value.path == "BeamSequence[2]"


def test_the_path_goes_through_nested_and_private_sequences() -> None:
    inner = '<DicomAttribute tag="00280010" vr="US"><Value number="1">x</Value></DicomAttribute>'
    private = (
        '<DicomAttribute tag="00090001" vr="SQ" privateCreator="P">'
        f'<Item number="1">{inner}</Item></DicomAttribute>'
    )
    text = attr(f'<Item number="1"/><Item number="2">{private}</Item>', tag="0040A730", vr="SQ")
    with pytest.raises(ValueFormatError) as caught:
        read_xml(text)
    assert str(caught.value).startswith("ContentSequence[1].(0009,0001)[0] (0028,0010): 'x'")


def test_not_well_formed_xml_names_the_line() -> None:
    with pytest.raises(DocumentError, match="not well-formed XML at line 3"):
        read_xml('<?xml version="1.0"?>\n<NativeDicomModel>\n<DicomAttribute></NativeDicomModel>')
    with pytest.raises(DocumentError, match="unpaired surrogate"):
        read_xml(document("\ud800"))


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE NativeDicomModel [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + ']>\n<NativeDicomModel><DicomAttribute tag="00100020" vr="LO">'
    '<Value number="1">&lol9;</Value></DicomAttribute></NativeDicomModel>'
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE NativeDicomModel [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<NativeDicomModel><DicomAttribute tag="00100020" vr="LO"><Value number="1">&x;</Value>'
    "</DicomAttribute></NativeDicomModel>"
)


@pytest.mark.parametrize(
    "text",
    [
        BILLION_LAUGHS,
        EXTERNAL_ENTITY,
        '<!-- a comment first --><!DOCTYPE NativeDicomModel SYSTEM "http://example.org/x.dtd"><NativeDicomModel/>',
        "<?xml version='1.0'?>\n<?pi x?>\n<!DOCTYPE NativeDicomModel><NativeDicomModel/>",
    ],
    ids=["billion-laughs", "external-entity", "external-dtd", "empty-doctype"],
)
def test_doctype_documents_are_refused(text: str) -> None:
    with pytest.raises(DocumentError, match="DOCTYPE declarations are not allowed"):
        read_xml(text)


def test_doctype_in_utf16_is_refused_after_parsing() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE NativeDicomModel><NativeDicomModel/>'
    with pytest.raises(DocumentError, match="DOCTYPE declarations are not allowed"):
        read_xml(text.encode("utf-16"))


def test_an_undeclared_entity_is_not_well_formed() -> None:
    with pytest.raises(DocumentError, match="not well-formed"):
        read_xml(attr('<Value number="1">&x;</Value>'))


def nested(depth: int) -> str:
    inner = '<DicomAttribute tag="00100020" vr="LO"><Value number="1">deep</Value></DicomAttribute>'
    for _ in range(depth):
        inner = (
            f'<DicomAttribute tag="0040A730" vr="SQ"><Item number="1">{inner}</Item>'
            "</DicomAttribute>"
        )
    return document(inner)


def test_nesting_up_to_the_limit_reads() -> None:
    element = read_xml(nested(MAX_SEQUENCE_DEPTH))[0]
    for _ in range(MAX_SEQUENCE_DEPTH):
        assert element.vr == "SQ" and element.values is not None
        item = element.values[0]
        assert isinstance(item, list)
        element = item[0]
    assert element == Element(0x00100020, "LO", ["deep"])


def test_nesting_beyond_the_limit_is_refused() -> None:
    with pytest.raises(
        DocumentError, match=f"nested more than {MAX_SEQUENCE_DEPTH} deep"
    ) as caught:
        read_xml(nested(MAX_SEQUENCE_DEPTH + 1))
    assert caught.value.path.startswith("ContentSequence[0].ContentSequence[0].")
    with pytest.raises(DocumentError, match=r"nested more than|Excessive depth"):
        read_xml(nested(5000))  # libxml2 stops at 2048 XML levels even with huge_tree


@pytest.mark.parametrize(
    "inside",
    [
        '<DicomAttribute tag="00100020" vr="LO"><Value number="1">a</Value>junk</DicomAttribute>',
        '<DicomAttribute tag="00100020" vr="LO"><Value number="1">a</Value></DicomAttribute>junk',
    ],
)
def test_text_between_elements_is_refused_not_dropped(inside: str) -> None:
    document = f'<NativeDicomModel xmlns="http://dicom.nema.org/PS3.19/models/NativeDICOM">{inside}</NativeDicomModel>'
    with pytest.raises(DocumentError, match="junk"):
        read_xml(document)
