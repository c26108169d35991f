"""IR <-> the generated Native DICOM Model dataclasses (dicombind.xml.model)."""

from __future__ import annotations

import math
import struct

import pytest
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig

from dicombind.errors import DocumentError, ValueFormatError
from dicombind.floats import to_float32
from dicombind.generated.native_xml import (
    BulkData,
    DicomAttribute,
    InlineBinary,
    Item,
    NameComponents,
    NativeDicomModel,
    PersonName,
    Value,
    Vr,
)
from dicombind.ir import DataSet, Element
from dicombind.vr import ALL_VRS
from dicombind.xml.model import from_model, to_model
from dicombind.xml.validate import validate

NS = "http://dicom.nema.org/PS3.19/models/NativeDICOM"
UUID = "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
FULL_NAME = "Yamada^Tarou^Ichiro^Dr^Jr=山田^太郎^^博士=やまだ^たろう"


def _sorted(elements: list[Element]) -> DataSet:
    return sorted(elements, key=lambda element: element.tag)


def _every_vr_data_set() -> DataSet:
    nested_item = _sorted(
        [
            Element(0x00081150, "UI", ["1.2.840.10008.5.1.4.1.1.2"]),
            Element(0x00081155, "UI", ["1.2.3.4.5"]),
            Element(0x00081199, "SQ", None),  # a sequence without items
            Element(0x00090010, "LO", ["CREATOR A"]),
            Element(0x00091001, "LO", ["private in an item"]),
        ]
    )
    return _sorted(
        [
            Element(0x00080005, "CS", ["ISO_IR 192"]),
            Element(0x00080008, "CS", ["ORIGINAL", None, "AXIAL"]),
            Element(0x00080016, "UI", ["1.2.840.10008.5.1.4.1.1.7"]),
            Element(0x00080020, "DA", ["20240102"]),
            Element(0x0008002A, "DT", ["20240102101112.123456+0100"]),
            Element(0x00080030, "TM", ["101112.5"]),
            Element(0x00080050, "SH", ["ACC-1"]),
            Element(0x00080054, "AE", ["STORESCP", "ARCHIVE"]),
            Element(0x00080081, "ST", ["Main St 1\\Floor 2"]),
            Element(0x00080090, "PN", ["=山田^太郎"]),
            Element(0x00080119, "UC", ["a long code value"]),
            Element(0x0008040C, "UV", [2**64 - 1, 0]),
            Element(0x00081115, "SQ", [[], nested_item, [Element(0x00100020, "LO", None)]]),
            Element(0x00081140, "SQ", None),
            Element(0x00081160, "IS", ["1", "02", None]),
            Element(0x00081190, "UR", ["https://example.org/studies/1"]),
            Element(0x00090010, "LO", ["CREATOR A"]),
            Element(0x00090011, "LO", ["CREATOR B"]),
            Element(0x00091001, "US", [1]),
            Element(0x00091002, "LO", ["a"]),
            Element(0x00091101, "UN", inline_binary=b"\x01\x02"),
            Element(0x00100010, "PN", [FULL_NAME, None, "^Given"]),
            Element(0x00100020, "LO", ["ID1"]),
            Element(0x00100030, "DA"),  # zero-length
            Element(0x00101010, "AS", ["045Y"]),
            Element(0x00101020, "DS", ["1.75"]),
            Element(0x00104000, "LT", ["line 1\r\nline 2 \\ not split  "]),
            Element(0x00180013, "FL", [to_float32(0.1), -1.5, to_float32(3.4e38)]),
            Element(0x00186020, "SL", [-(2**31), 2**31 - 1]),
            Element(0x00189087, "FD", [0.1, 1e-300, -0.0]),
            Element(0x00189219, "SS", [-32768, 5]),
            Element(0x00209165, "AT", [0x00200032, 0x7FE00010]),
            Element(0x00280009, "AT", [0x00181063]),
            Element(0x00280010, "US", [512]),
            Element(0x00280030, "DS", ["0.5", "4.0E-1"]),
            Element(0x00281201, "OW", inline_binary=b"\x01\x00\x02\x00"),
            Element(0x00281202, "OW", bulk_data_uri=f"urn:uuid:{UUID}"),
            Element(0x0040A132, "UL", [0, 2**32 - 1]),
            Element(0x0040A160, "UT", ["free text \\ with a backslash"]),
            Element(0x00420011, "OB", inline_binary=b"%PDF-1.4\n"),
            Element(0x00640009, "OF", inline_binary=struct.pack("<2f", 1.5, -2.0)),
            Element(0x00660022, "OD", inline_binary=struct.pack("<d", math.pi)),
            Element(0x00660040, "OL", inline_binary=struct.pack("<2I", 1, 2)),
            Element(0x0072006D, "UN", inline_binary=b"\x00\xff"),
            Element(0x00720081, "OV", inline_binary=struct.pack("<Q", 2**64 - 1)),
            Element(0x00720082, "SV", [-(2**63), 2**63 - 1]),
            Element(0x7FE00010, "OW", bulk_data_uri="https://example.org/bulk/7FE00010"),
        ]
    )


def _vrs_in(dataset: DataSet) -> set[str]:
    found: set[str] = set()
    for element in dataset:
        found.add(element.vr)
        if element.vr == "SQ":
            for item in element.values or []:
                assert isinstance(item, list)
                found |= _vrs_in(item)
    return found


def _attribute(model: NativeDicomModel, tag: str, creator: str | None = None) -> DicomAttribute:
    found = [a for a in model.dicom_attribute if a.tag == tag and a.private_creator == creator]
    assert len(found) == 1, (tag, creator, found)
    return found[0]


def _xml(model: NativeDicomModel, *, indent: str = "") -> str:
    serializer = XmlSerializer(config=SerializerConfig(indent=indent))
    return serializer.render(model, ns_map={None: NS})


def _doc(*attributes: DicomAttribute) -> NativeDicomModel:
    return NativeDicomModel(dicom_attribute=list(attributes))


def test_sample_covers_every_vr() -> None:
    assert _vrs_in(_every_vr_data_set()) == ALL_VRS


def test_round_trip_through_the_model() -> None:
    dataset = _every_vr_data_set()
    assert from_model(to_model(dataset)) == dataset


@pytest.mark.parametrize("indent", ["", "  "])
def test_round_trip_through_xml_text_that_the_relax_ng_accepts(indent: str) -> None:
    dataset = _every_vr_data_set()
    text = _xml(to_model(dataset), indent=indent)
    assert validate(text) == []
    parsed = XmlParser().from_string(text, NativeDicomModel)
    assert from_model(parsed) == dataset


def test_private_elements_are_masked_with_their_creator() -> None:
    model = to_model(_every_vr_data_set())
    first = _attribute(model, "00090001", "CREATOR A")
    second = _attribute(model, "00090001", "CREATOR B")
    assert (first.vr, first.value[0].value, first.keyword) == (Vr.US, "1", None)
    assert second.vr == Vr.UN
    assert second.inline_binary == InlineBinary(value=b"\x01\x02")
    creator = _attribute(model, "00090010")
    assert (creator.private_creator, creator.keyword) == (None, None)
    assert creator.value == [Value(number=1, value="CREATOR A")]
    # Private elements inside an item resolve against the item's own creators.
    sequence = _attribute(model, "00081115")
    inner = [a for a in sequence.item[1].dicom_attribute if a.private_creator is not None]
    assert [(a.tag, a.private_creator) for a in inner] == [("00090001", "CREATOR A")]


def test_keywords_values_and_binary_forms() -> None:
    model = to_model(_every_vr_data_set())
    assert _attribute(model, "00100010").keyword == "PatientName"
    assert _attribute(model, "00080008").value == [
        Value(number=1, value="ORIGINAL"),
        Value(number=2, value=""),
        Value(number=3, value="AXIAL"),
    ]
    assert [v.value for v in _attribute(model, "00209165").value] == ["00200032", "7FE00010"]
    assert [v.value for v in _attribute(model, "00180013").value] == ["0.1", "-1.5", "3.4e+38"]
    assert [v.value for v in _attribute(model, "00189087").value] == ["0.1", "1e-300", "-0.0"]
    assert [v.value for v in _attribute(model, "00280030").value] == ["0.5", "4.0E-1"]
    assert [v.value for v in _attribute(model, "00720082").value] == [
        str(-(2**63)),
        str(2**63 - 1),
    ]
    zero_length = _attribute(model, "00100030")
    assert (zero_length.value, zero_length.bulk_data, zero_length.inline_binary) == ([], None, None)
    assert _attribute(model, "00281202").bulk_data == BulkData(uuid=UUID)
    assert _attribute(model, "7FE00010").bulk_data == BulkData(
        uri="https://example.org/bulk/7FE00010"
    )
    sequence = _attribute(model, "00081115")
    assert [item.number for item in sequence.item] == [1, 2, 3]
    assert sequence.item[0].dicom_attribute == []
    assert _attribute(model, "00081140").item == []


def test_person_name_groups_and_components() -> None:
    names = _attribute(to_model(_every_vr_data_set()), "00100010").person_name
    assert [name.number for name in names] == [1, 2, 3]
    full = names[0]
    assert full.alphabetic == NameComponents(
        family_name="Yamada",
        given_name="Tarou",
        middle_name="Ichiro",
        name_prefix="Dr",
        name_suffix="Jr",
    )
    # The empty middle name before a prefix is kept, so the text comes back exactly.
    assert full.ideographic == NameComponents(
        family_name="山田", given_name="太郎", middle_name="", name_prefix="博士"
    )
    assert full.phonetic == NameComponents(family_name="やまだ", given_name="たろう")
    assert names[1] == PersonName(number=2)
    assert names[2].alphabetic == NameComponents(family_name="", given_name="Given")
    ideographic_only = _attribute(to_model(_every_vr_data_set()), "00080090").person_name[0]
    assert ideographic_only.alphabetic == NameComponents()
    assert ideographic_only.phonetic is None


@pytest.mark.parametrize(
    "text",
    [
        "Doe",
        "Doe^John",
        "^John",
        "A^^C",
        "A^B^C^D^E",
        "=山田",
        "==やまだ",
        "A=^B=C^^^^E",
        FULL_NAME,
    ],
)
def test_person_name_text_round_trips_exactly(text: str) -> None:
    dataset = [Element(0x00100010, "PN", [text])]
    assert from_model(to_model(dataset)) == dataset


def test_trailing_person_name_delimiters_are_kept() -> None:
    dataset = [Element(0x00100010, "PN", ["Doe^John^^=", "Doe^John", "^^^^"])]
    assert from_model(to_model(dataset))[0].values == ["Doe^John^^=", "Doe^John", "^^^^"]


def test_special_floats() -> None:
    dataset = [Element(0x00189087, "FD", [math.nan, math.inf, -math.inf])]
    attribute = to_model(dataset).dicom_attribute[0]
    assert [v.value for v in attribute.value] == ["NaN", "Infinity", "-Infinity"]
    values = from_model(to_model(dataset))[0].values
    assert values is not None
    first, second, third = values
    assert isinstance(first, float) and math.isnan(first)
    assert (second, third) == (math.inf, -math.inf)


def test_fl_values_come_back_as_32_bit_floats() -> None:
    model = _doc(DicomAttribute(tag="00180013", vr=Vr.FL, value=[Value(number=1, value="0.1")]))
    assert from_model(model)[0].values == [to_float32(0.1)]


def test_a_lone_empty_value_is_a_zero_length_element() -> None:
    model = _doc(DicomAttribute(tag="00100020", vr=Vr.LO, value=[Value(number=1, value="")]))
    assert from_model(model) == [Element(0x00100020, "LO")]


def test_values_are_taken_in_number_order() -> None:
    model = _doc(
        DicomAttribute(
            tag="00080008",
            vr=Vr.CS,
            value=[Value(number=2, value="B"), Value(number=1, value="A")],
        )
    )
    assert from_model(model)[0].values == ["A", "B"]


def test_creator_elements_are_made_for_a_model_that_has_none() -> None:
    model = _doc(
        DicomAttribute(
            tag="00090001",
            vr=Vr.US,
            private_creator="CREATOR A",
            value=[Value(number=1, value="7")],
        ),
        DicomAttribute(
            tag="00090001",
            vr=Vr.US,
            private_creator="CREATOR B",
            value=[Value(number=1, value="8")],
        ),
    )
    assert from_model(model) == [
        Element(0x00090010, "LO", ["CREATOR A"]),
        Element(0x00090011, "LO", ["CREATOR B"]),
        Element(0x00091001, "US", [7]),
        Element(0x00091101, "US", [8]),
    ]


def test_private_element_without_creator_keeps_its_real_tag() -> None:
    attribute = to_model([Element(0x00091001, "US", [1])]).dicom_attribute[0]
    assert (attribute.tag, attribute.private_creator, attribute.keyword) == ("00091001", None, None)
    assert from_model(to_model([Element(0x00091001, "US", [1])])) == [
        Element(0x00091001, "US", [1])
    ]


# Errors: IR -> model


@pytest.mark.parametrize(
    ("element", "message"),
    [
        (Element(0x00100010, "PN", ["a=b=c=d"]), "more than 3 component groups"),
        (Element(0x00100010, "PN", ["a^b^c^d^e^f"]), "more than 5 components"),
        (Element(0x00280010, "US", ["512"]), "str value for VR US"),
        (Element(0x00101020, "DS", [1.75]), "float value for VR DS"),
        (Element(0x00209165, "AT", [2**32]), "not a 32-bit tag"),
        (Element(0x7FE00010, "OB", [b"x"]), "not values"),  # type: ignore[list-item]
        (Element(0x00100020, "LO", inline_binary=b"x"), "inline binary for VR LO"),
        (Element(0x00100020, "XX", ["x"]), "unknown VR"),
        (Element(0x00100000, "UL", [4]), "group length"),
        (Element(0x00100020, "LO", ["x"], bulk_data_uri="urn:x"), "more than one"),
    ],
)
def test_to_model_errors_name_the_tag(element: Element, message: str) -> None:
    with pytest.raises(ValueFormatError, match=message) as caught:
        to_model([element])
    assert caught.value.tag == element.tag


def test_to_model_error_inside_a_sequence_has_a_path() -> None:
    bad = Element(0x00280010, "US", ["512"])
    dataset = [Element(0x00081115, "SQ", [[], [Element(0x00081199, "SQ", [[bad]])]])]
    with pytest.raises(ValueFormatError) as caught:
        to_model(dataset)
    assert caught.value.tag == 0x00280010
    assert caught.value.path == "ReferencedSeriesSequence[1].ReferencedSOPSequence[0]"
    assert str(caught.value).startswith(
        "ReferencedSeriesSequence[1].ReferencedSOPSequence[0] (0028,0010): "
    )


# Errors: model -> IR


def _one(attribute: DicomAttribute) -> NativeDicomModel:
    return _doc(attribute)


@pytest.mark.parametrize(
    ("attribute", "error", "message"),
    [
        (
            DicomAttribute(
                tag="00081115",
                vr=Vr.SQ,
                item=[Item(number=1)],
                value=[Value(number=1, value="x")],
            ),
            DocumentError,
            "more than one kind of content: Value, Item",
        ),
        (
            DicomAttribute(tag="00100020", vr=Vr.LO, item=[Item(number=1)]),
            DocumentError,
            "Item is not allowed for VR LO",
        ),
        (
            DicomAttribute(tag="00100020", vr=Vr.LO, inline_binary=InlineBinary(value=b"x")),
            DocumentError,
            "InlineBinary is not allowed for VR LO",
        ),
        (
            DicomAttribute(tag="00100020", vr=Vr.LO, person_name=[PersonName(number=1)]),
            DocumentError,
            "PersonName is not allowed for VR LO",
        ),
        (
            DicomAttribute(tag="7FE00010", vr=Vr.OB, value=[Value(number=1, value="x")]),
            DocumentError,
            "Value is not allowed for VR OB",
        ),
        (
            DicomAttribute(tag="7FE00010", vr=Vr.OB, bulk_data=BulkData(uuid="a", uri="b")),
            DocumentError,
            "exactly one of uuid and uri",
        ),
        (
            DicomAttribute(
                tag="00080008",
                vr=Vr.CS,
                value=[Value(number=1, value="A"), Value(number=3, value="B")],
            ),
            DocumentError,
            "Value numbers are 1, 3",
        ),
        (
            DicomAttribute(tag="00280010", vr=Vr.US, value=[Value(number=1, value="x")]),
            ValueFormatError,
            "'x' is not a valid US value",
        ),
        (
            DicomAttribute(tag="00209165", vr=Vr.AT, value=[Value(number=1, value="(0010,0010)")]),
            ValueFormatError,
            "not a valid AT value",
        ),
        (
            DicomAttribute(tag="00100020", vr=Vr.LO, private_creator="A"),
            DocumentError,
            "privateCreator on an element of an even group",
        ),
        (
            DicomAttribute(tag="00100000", vr=Vr.UL),
            DocumentError,
            "group length",
        ),
    ],
)
def test_from_model_errors_name_the_tag(
    attribute: DicomAttribute, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message) as caught:
        from_model(_one(attribute))
    assert getattr(caught.value, "tag", None) == int(attribute.tag, 16)


def test_from_model_rejects_a_malformed_tag() -> None:
    with pytest.raises(DocumentError, match="'0010001g' is not 8 hexadecimal digits"):
        from_model(_one(DicomAttribute(tag="0010001g", vr=Vr.LO)))


def test_from_model_rejects_duplicates() -> None:
    model = _doc(
        DicomAttribute(tag="00100020", vr=Vr.LO),
        DicomAttribute(tag="00100020", vr=Vr.LO),
    )
    with pytest.raises(DocumentError, match="duplicate") as caught:
        from_model(model)
    assert caught.value.tag == 0x00100020


def test_from_model_error_inside_a_sequence_has_a_path() -> None:
    bad = DicomAttribute(tag="00280010", vr=Vr.US, value=[Value(number=1, value="x")])
    model = _one(
        DicomAttribute(
            tag="00081115",
            vr=Vr.SQ,
            item=[Item(number=1), Item(number=2, dicom_attribute=[bad])],
        )
    )
    with pytest.raises(ValueFormatError) as caught:
        from_model(model)
    assert caught.value.path == "ReferencedSeriesSequence[1]"
    assert caught.value.tag == 0x00280010
