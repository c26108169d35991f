"""The fast scanner (dicombind.xml.scanner): for every document it returns the IR the lxml path
returns, or None (outside its subset of XML, or refused by the model), and never raises."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from corpus import CorpusFile, corpus_files
from dcmtk_peer import run

from dicombind.bridge import dataset_to_ir
from dicombind.errors import DicombindError, DocumentError
from dicombind.ir import DataSet, Element
from dicombind.options import XMLWriteOptions
from dicombind.xml import reader
from dicombind.xml.reader import MAX_SEQUENCE_DEPTH, read_xml, read_xml_with_lxml
from dicombind.xml.scanner import scan_xml
from dicombind.xml.writer import write_xml

NS = "http://dicom.nema.org/PS3.19/models/NativeDICOM"
SAMPLES = Path(__file__).parent / "samples"


def lxml_reading(document: bytes | str) -> DataSet | DicombindError:
    try:
        return read_xml_with_lxml(document)
    except DicombindError as error:
        return error


def agrees(document: bytes | str) -> DataSet | None:
    """scan_xml's result, after checking it against the lxml path's."""
    scanned = scan_xml(document)
    if scanned is not None:
        expected = lxml_reading(document)
        assert not isinstance(expected, DicombindError), f"lxml refuses it: {expected}"
        assert repr(scanned) == repr(expected)  # repr: NaN equals NaN
    return scanned


def by_tag(dataset: DataSet) -> dict[int, Element]:
    return {element.tag: element for element in dataset}


# --- our writer's output, for every corpus file ---------------------------------------------

WRITER_OPTIONS = [
    XMLWriteOptions(pretty=pretty, namespace=namespace, keyword=keyword)
    for pretty in (False, True)
    for namespace in (True, False)
    for keyword in (True, False)
] + [XMLWriteOptions(xml_space=True), XMLWriteOptions(pretty=True, xml_space=True)]


@pytest.mark.parametrize("corpus_file", corpus_files(), ids=lambda f: f.id)
def test_the_writers_output_is_scanned_as_lxml_reads_it(corpus_file: CorpusFile) -> None:
    dataset = dataset_to_ir(corpus_file.read())
    for options in WRITER_OPTIONS:
        text = write_xml(dataset, options)
        # Our own output is inside the subset: it always takes the fast path.
        assert agrees(text) is not None, options
        assert agrees(text.encode()) is not None, options


# --- other producers ------------------------------------------------------------------------

DCMTK_FILES = {
    # file: whether DCMTK's output is inside the subset
    "test_files/rtplan.dcm": True,
    "test_files/rtdose.dcm": True,
    "test_files/nested_priv_SQ.dcm": True,
    "test_files/MR_small.dcm": True,
    "charset_files/chrX1.dcm": True,  # UTF-8, names in three groups
    "test_files/CT_small.dcm": False,  # encoding="ISO-8859-1"
    "test_files/rtstruct.dcm": False,  # encoding="ISO-8859-1"
    "charset_files/chrH31.dcm": False,  # &#27;, which XML 1.0 forbids
}


@pytest.mark.parametrize("name", sorted(DCMTK_FILES))
@pytest.mark.parametrize("namespace", [True, False], ids=["+Xn", "no-namespace"])
def test_dcmtk_output_is_scanned_as_lxml_reads_it(name: str, namespace: bool) -> None:
    corpus_file = next(f for f in corpus_files() if f.id == name)
    options = ["-nat", "+Xn", "+Eb"] if namespace else ["-nat", "+Eb"]
    output = run("dcm2xml", corpus_file, *options).stdout
    assert output.startswith(b"<?xml")
    assert (agrees(output) is not None) == DCMTK_FILES[name]


SAMPLE_FILES = sorted(SAMPLES.glob("xml_tolerance/*.xml")) + sorted(SAMPLES.glob("xml/**/*.xml"))


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_sample_documents_are_scanned_as_lxml_reads_them_or_left_to_it(path: Path) -> None:
    agrees(path.read_bytes())
    agrees(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "name", ["dcm4che-no-namespace.xml", "dcmtk-native.xml", "gdcm-2011-single-byte.xml"]
)
def test_tolerated_forms_inside_the_subset_take_the_fast_path(name: str) -> None:
    # no namespace with xml:space, DCMTK's layout, the 2011 SingleByte group, missing VRs
    assert agrees((SAMPLES / "xml_tolerance" / name).read_bytes()) is not None


# --- everything the subset allows, in one document ------------------------------------------

KITCHEN_SINK = f"""<?xml version='1.0' encoding='utf-8' standalone='yes'?>
<NativeDicomModel xml:space="preserve" xmlns='{NS}' >
  <DicomAttribute vr="CS" tag="00080008" keyword="ImageType">
    <Value number="1">ORIGINAL</Value>
    <Value number="2"/>
    <Value number="3">AXIAL</Value>
  </DicomAttribute>
  <DicomAttribute tag='00080016' vr='UI'><Value number='1'>1.2.3</Value></DicomAttribute>
  <DicomAttribute keyword="InstitutionName" tag="00080080" vr="LO"
    ><Value number="1">A&amp;B &lt;C&gt; &quot;D&quot; &apos;E&apos; &#233;&#xE9;</Value
  ></DicomAttribute>
  <DicomAttribute tag="00081030" vr="LO"><Value number="1"> spaced ]text&gt; </Value
    ></DicomAttribute >
  <DicomAttribute tag="00100010" vr="PN" keyword="PatientName">
    <PersonName number="1">
      <Alphabetic><FamilyName>Yamada</FamilyName><GivenName>Tarou</GivenName></Alphabetic>
      <Ideographic><FamilyName>山田</FamilyName><GivenName>太郎</GivenName></Ideographic>
      <Phonetic><FamilyName>やまだ</FamilyName><GivenName>たろう</GivenName></Phonetic>
    </PersonName>
  </DicomAttribute>
  <DicomAttribute tag="00101001" vr="PN">
    <PersonName number="2"><SingleByte><FamilyName>Second</FamilyName><NameSuffix>Jr</NameSuffix
      ></SingleByte></PersonName>
    <PersonName number="1"><Alphabetic><FamilyName>First</FamilyName><MiddleName/></Alphabetic
      ><Phonetic/></PersonName>
    <PersonName number="3"/>
  </DicomAttribute>
  <DicomAttribute tag="00100020"><Value number="1">NO-VR</Value></DicomAttribute>
  <DicomAttribute tag="00100030" vr="DA">
</DicomAttribute>
  <DicomAttribute tag="00101010" vr="AS"/>
  <DicomAttribute tag="00101020" vr="DS"><Value number="2">1.5</Value><Value number="1">+2</Value
    ></DicomAttribute>
  <DicomAttribute tag="00181063" vr="DS"><Value number=" 1">3</Value><Value number="04">4</Value
    ></DicomAttribute>
  <DicomAttribute tag="00280010" vr="US"><Value number="1">512</Value></DicomAttribute>
  <DicomAttribute tag="00281050" vr="DS">
<Value number="1">40</Value>
<Value number="2">400</Value>
</DicomAttribute>
  <DicomAttribute tag="00189087" vr="FD"><Value number="1">NaN</Value><Value number="2">-inf</Value
    ><Value number="3">1e300</Value></DicomAttribute>
  <DicomAttribute tag="00180013" vr="FL"><Value number="1">0.1</Value></DicomAttribute>
  <DicomAttribute tag="00209165" vr="AT"><Value number="1">0020000d</Value></DicomAttribute>
  <DicomAttribute tag="00080000" vr="UL"><Value number="1">1234</Value></DicomAttribute>
  <DicomAttribute tag="00081115" vr="SQ">
    <Item number="1"/>
    <Item number="2">
      <DicomAttribute tag="0020000E" vr="UI"><Value number="1">1.2</Value></DicomAttribute>
      <DicomAttribute tag="00081199" vr="SQ"><Item number="1"> </Item></DicomAttribute>
    </Item>
  </DicomAttribute>
  <DicomAttribute tag="00091010" vr="LO" privateCreator="ACME &amp; Co"
    ><Value number="1">private</Value></DicomAttribute>
  <DicomAttribute privateCreator="OTHER	CREATOR" tag="00090011" vr="SH"/>
  <DicomAttribute tag="00090012" vr="UN" privateCreator="OTHER&#9;CREATOR">
    <InlineBinary>AAEC&#10;AwQF
      Bgc=</InlineBinary>
  </DicomAttribute>
  <DicomAttribute tag="7FE00010" vr="OB"><BulkData uri="http://x/y?a=1&amp;b=2"/></DicomAttribute>
  <DicomAttribute tag="00420011" vr="OB"
    ><BulkData uuid='6ba7b810-9dad-11d1-80b4-00c04fd430c8'></BulkData></DicomAttribute>
</NativeDicomModel>
"""


def test_everything_the_subset_allows_is_scanned_as_lxml_reads_it() -> None:
    assert agrees(KITCHEN_SINK) is not None
    assert agrees(KITCHEN_SINK.replace("\n", "\r\n")) is not None
    assert agrees(KITCHEN_SINK.replace("\n", "\r")) is not None
    assert agrees(b"\xef\xbb\xbf" + KITCHEN_SINK.encode()) is not None  # byte order mark
    without_namespace = KITCHEN_SINK.replace(f"xmlns='{NS}'", "")
    assert agrees(without_namespace) is not None


def test_the_scanned_values_are_the_documents_values() -> None:
    read = by_tag(scan_xml(KITCHEN_SINK.replace("\n", "\r\n")) or [])
    assert read[0x00080008].values == ["ORIGINAL", None, "AXIAL"]
    assert read[0x00080080].values == ["A&B <C> \"D\" 'E' éé"]
    assert read[0x00081030].values == [" spaced ]text> "]
    assert read[0x00100010].values == ["Yamada^Tarou=山田^太郎=やまだ^たろう"]
    assert read[0x00101001].values == ["First^^==", "Second^^^^Jr", None]
    assert read[0x00100020].vr == "LO" and read[0x00100020].values == ["NO-VR"]
    assert read[0x00100030].values is None
    assert read[0x00101020].values == ["+2", "1.5"]
    assert read[0x00181063].values == ["3", None, None, "4"]
    assert read[0x00281050].values == ["40", "400"]
    assert read[0x00209165].values == [0x0020000D]
    assert 0x00080000 not in read  # group length: skipped
    nested = [Element(0x00081199, "SQ", [[]]), Element(0x0020000E, "UI", ["1.2"])]
    assert read[0x00081115].values == [[], nested]
    # Raw whitespace in an attribute value is a space, a character reference stays as it is.
    assert read[0x00090010].values == ["ACME & Co"]
    assert read[0x00090011].values == ["OTHER CREATOR"]
    assert read[0x00090012].values == ["OTHER\tCREATOR"]
    assert read[0x00091010].values == ["private"]
    assert read[0x00091111].vr == "SH"
    assert read[0x00091212].inline_binary == bytes(range(8))
    assert read[0x7FE00010].bulk_data_uri == "http://x/y?a=1&b=2"
    assert read[0x00420011].bulk_data_uri == "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8"


# --- what the scanner leaves to the lxml path -----------------------------------------------

BASE = (
    f'<?xml version="1.0" encoding="UTF-8"?><NativeDicomModel xmlns="{NS}">'
    '<DicomAttribute tag="00100010" vr="PN"><PersonName number="1"><Alphabetic>'
    "<FamilyName>Doe</FamilyName></Alphabetic></PersonName></DicomAttribute>"
    '<DicomAttribute tag="00100020" vr="LO"><Value number="1">ID</Value></DicomAttribute>'
    "</NativeDicomModel>"
)
VALUE = '<Value number="1">ID</Value>'


def replaced(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new, 1)


OUTSIDE = {
    "comment": replaced(VALUE, f"<!-- note -->{VALUE}"),
    "comment after the root": BASE + "<!-- note -->",
    "CDATA": replaced(">ID<", "><![CDATA[ID]]><"),
    "processing instruction": replaced(VALUE, f"<?pi data?>{VALUE}"),
    "DOCTYPE": replaced("<NativeDicomModel", "<!DOCTYPE NativeDicomModel><NativeDicomModel"),
    "entity from a DOCTYPE": replaced(
        "<NativeDicomModel", '<!DOCTYPE x [<!ENTITY e "ID">]><NativeDicomModel'
    ).replace(">ID<", ">&e;<"),
    "prefixed element": replaced(
        f'<NativeDicomModel xmlns="{NS}">', f'<d:NativeDicomModel xmlns:d="{NS}">'
    ).replace("</NativeDicomModel>", "</d:NativeDicomModel>"),
    "namespace prefix declared": replaced(f'xmlns="{NS}"', f'xmlns="{NS}" xmlns:x="urn:x"'),
    "foreign attribute": replaced('vr="LO"', 'vr="LO" x="1"'),
    "forbidden character reference": replaced(">ID<", ">I&#27;D<"),
    "forbidden character reference in an attribute": replaced('vr="LO"', 'vr="L&#0;O"'),
    "forbidden character": replaced(">ID<", ">I\x01D<"),
    "forbidden character in base64": replaced(
        'vr="LO"><Value number="1">ID</Value>', 'vr="OB"><InlineBinary>AAAA\x0cAAAA</InlineBinary>'
    ),
    "]]> in base64": replaced(
        'vr="LO"><Value number="1">ID</Value>', 'vr="OB"><InlineBinary>AAAA]]>AAAA</InlineBinary>'
    ),
    "undefined entity": replaced(">ID<", ">&nbsp;<"),
    "bare ampersand": replaced(">ID<", ">I&D<"),
    "]]> in text": replaced(">ID<", ">I]]>D<"),
    "foreign encoding": replaced('encoding="UTF-8"', 'encoding="ISO-8859-1"'),
    "XML 1.1": replaced('version="1.0"', 'version="1.1"'),
    "whitespace before the declaration": " " + BASE,
    "unknown element": replaced(VALUE, f"{VALUE}<Note/>"),
    "mismatched end tag": replaced("</Value>", "</Item>"),
    "text between elements": replaced(VALUE, f"x{VALUE}"),
    "text after the root": BASE + "x",
    "no root end": BASE.replace("</NativeDicomModel>", ""),
    "value without a number": replaced('<Value number="1">', "<Value>"),
    "wrong namespace": replaced(NS, "urn:other"),
    "xml:space default": replaced(f'xmlns="{NS}"', f'xmlns="{NS}" xml:space="default"'),
    "duplicate attribute": replaced('vr="LO"', 'vr="LO" vr="SH"'),
    "Value under SQ": replaced('vr="LO"', 'vr="SQ"'),
    "InlineBinary under LO": replaced(VALUE, "<InlineBinary>AAAA</InlineBinary>"),
    "invalid integer": replaced('vr="LO"', 'vr="US"'),
    "duplicate attribute tag": replaced('tag="00100010"', 'tag="00100020"'),
    "unknown VR": replaced('vr="LO"', 'vr="XX"'),
    "missing item number": replaced(
        VALUE, '<Item><DicomAttribute tag="00100020" vr="LO"/></Item>'
    ).replace('vr="LO"><Item', 'vr="SQ"><Item'),
}


@pytest.mark.parametrize("name", sorted(OUTSIDE))
def test_documents_outside_the_subset_are_left_to_lxml(name: str) -> None:
    document = OUTSIDE[name]
    assert scan_xml(document) is None
    assert scan_xml(document.encode()) is None
    # read_xml behaves as before: as the lxml path alone, reading or refusing.
    expected = lxml_reading(document)
    if isinstance(expected, DicombindError):
        with pytest.raises(type(expected)) as raised:
            read_xml(document)
        assert str(raised.value) == str(expected)
    else:
        assert read_xml(document) == expected


def test_encodings_other_than_utf8_are_left_to_lxml() -> None:
    latin = replaced('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace(">ID<", ">Müller<")
    assert scan_xml(latin.encode("latin-1")) is None
    assert read_xml(latin.encode("latin-1"))[1].values == ["Müller"]
    utf16 = BASE.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert scan_xml(utf16) is None
    assert read_xml(utf16) == read_xml(BASE)
    assert scan_xml(BASE.replace(">ID<", ">Müller<").encode("latin-1")) is None  # not UTF-8
    assert scan_xml(BASE.replace(">ID<", ">\ud800<")) is None  # a lone surrogate
    with pytest.raises(DocumentError):
        read_xml(BASE.replace(">ID<", ">\ud800<"))


def test_read_xml_takes_the_fast_path_and_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bytes | str] = []

    def lxml_path(document: bytes | str) -> DataSet:
        calls.append(document)
        return read_xml_with_lxml(document)

    monkeypatch.setattr(reader, "read_xml_with_lxml", lxml_path)
    assert read_xml(BASE) == read_xml_with_lxml(BASE)
    assert calls == []
    assert read_xml(OUTSIDE["comment"]) == read_xml_with_lxml(BASE)
    assert calls == [OUTSIDE["comment"]]


def nested_sequences(depth: int) -> str:
    inner = '<DicomAttribute tag="00100020" vr="LO"><Value number="1">ID</Value></DicomAttribute>'
    for _ in range(depth):
        inner = f'<DicomAttribute tag="00081115" vr="SQ"><Item number="1">{inner}</Item>'
        inner += "</DicomAttribute>"
    return f'<NativeDicomModel xmlns="{NS}">{inner}</NativeDicomModel>'


def test_sequence_depth_limit_is_the_readers() -> None:
    assert agrees(nested_sequences(MAX_SEQUENCE_DEPTH)) is not None
    too_deep = nested_sequences(MAX_SEQUENCE_DEPTH + 1)
    assert scan_xml(too_deep) is None
    with pytest.raises(DocumentError, match="nested more than"):
        read_xml(too_deep)


# --- mutated documents ----------------------------------------------------------------------

SNIPPETS = [
    "<",
    ">",
    "/",
    "&",
    '"',
    "'",
    "=",
    " ",
    "\n",
    "\r",
    "\t",
    "]",
    "]]>",
    "\x00",
    "\x1b",
    "é",
    "\ufffe",
    "\ud800",
    "0",
    "9",
    "A",
    "x",
    "<!-- c -->",
    "<![CDATA[x]]>",
    "<?pi x?>",
    "<!DOCTYPE x>",
    "&amp;",
    "&lt;",
    "&#27;",
    "&#65;",
    "&#x41;",
    "&#xD800;",
    "&foo;",
    "&#;",
    ' xmlns:p="urn:p"',
    ' p:a="1"',
    ' number="2"',
    ' vr="SQ"',
    ' uri="u"',
    "<p:Value>",
    "</Value>",
    '<Value number="2">x</Value>',
    '<Value number="1"/>',
    '<Item number="1">',
    "</Item>",
    '<Item number="2"/>',
    '<DicomAttribute tag="00100010" vr="PN">',
    "</DicomAttribute>",
    '<PersonName number="1">',
    "<Alphabetic>",
    "<FamilyName>Doe",
    "</FamilyName>",
    "<InlineBinary>AAAA</InlineBinary>",
    "<BulkData uri='u'/>",
    '<DicomAttribute tag="00100020" vr="LO"/>',
    "</NativeDicomModel>",
]
TAG = re.compile(r"<[^<>]*>")


ATTRIBUTE = re.compile(r"""\s[A-Za-z:]+=("[^"]*"|'[^']*')""")


def mutated(document: str, rng: random.Random) -> str:
    """``document`` with one to three random changes, most of them near markup."""
    for _ in range(1 if rng.random() < 0.7 else rng.randint(2, 3)):
        markup = [i for i, c in enumerate(document) if c in "<>&\"'="]
        at = rng.choice(markup) if rng.random() < 0.7 else rng.randrange(len(document))
        step = rng.randrange(10)
        tags = list(TAG.finditer(document))
        if step == 0:  # a character less
            document = document[:at] + document[at + 1 :]
        elif step == 1:  # a span less
            document = document[:at] + document[at + rng.randint(1, 20) :]
        elif step == 2:  # a span twice
            end = at + rng.randint(1, 40)
            document = document[:end] + document[at:end] + document[end:]
        elif step in (3, 4):  # a character or a token more
            document = document[:at] + rng.choice(SNIPPETS) + document[at:]
        elif step == 5:  # whitespace before a tag (mostly harmless)
            tag = rng.choice(tags)
            space = rng.choice([" ", "\n", "\r\n", "\t", "\n  "])
            document = document[: tag.start()] + space + document[tag.start() :]
        elif step == 6:  # the other quote for one attribute value
            found = list(ATTRIBUTE.finditer(document))
            if found:
                value = rng.choice(found)
                quoted = value.group(1)
                other = "'" if quoted[0] == '"' else '"'
                replacement = other + quoted[1:-1] + other
                document = document[: value.start(1)] + replacement + document[value.end(1) :]
        elif step == 7:  # a different digit
            digits = [i for i, c in enumerate(document) if c.isdigit()]
            if digits:
                i = rng.choice(digits)
                document = document[:i] + rng.choice("0123456789") + document[i + 1 :]
        else:  # two tags swapped, or one tag where another was
            first, second = sorted(rng.sample(tags, 2), key=lambda m: m.start())
            swapped = first.group() if step == 8 else ""
            document = (
                document[: first.start()]
                + second.group()
                + document[first.end() : second.start()]
                + (swapped or second.group())
                + document[second.end() :]
            )
    return document


def seed_documents() -> list[str]:
    seeds = [KITCHEN_SINK, BASE, (SAMPLES / "xml_tolerance" / "dcmtk-native.xml").read_text()]
    wanted = {"test_files/rtplan.dcm", "test_files/CT_small.dcm", "charset_files/chrX1.dcm"}
    options = [XMLWriteOptions(), XMLWriteOptions(pretty=True, namespace=False)]
    for corpus_file in corpus_files():
        if corpus_file.id in wanted:
            dataset = dataset_to_ir(corpus_file.read())
            dataset = [e for e in dataset if e.inline_binary is None or len(e.inline_binary) < 64]
            seeds += [write_xml(dataset, option) for option in options]
    return seeds


def test_mutated_documents_are_scanned_as_lxml_reads_them_or_left_to_it() -> None:
    rng = random.Random(19)
    seeds = seed_documents()
    outcomes = {"scanned": 0, "left": 0}
    for case in range(4000):
        document = mutated(rng.choice(seeds), rng)
        subject: bytes | str = document
        if case % 4 == 0:
            subject = document.encode("utf-8", "surrogatepass")
        try:
            result = agrees(subject)
        except AssertionError as error:
            raise AssertionError(f"case {case}: {subject!r}") from error
        outcomes["scanned" if result is not None else "left"] += 1
    # Both outcomes are exercised.
    assert outcomes["scanned"] > 800 and outcomes["left"] > 800, outcomes
