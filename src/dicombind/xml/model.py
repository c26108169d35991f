"""IR <-> the xsdata bindings generated from the Native DICOM Model schema.

:func:`to_model` writes what the fast XML writer writes, as dataclasses: private data elements
as ``gggg00ee`` plus ``privateCreator`` (the Private Creator elements stay ordinary attributes),
keywords from pydicom's dictionary, one ``Value``/``PersonName``/``Item`` per value, binary
values as ``InlineBinary`` and bulk data as ``BulkData`` (``urn:uuid:X`` as ``uuid="X"``).
:func:`from_model` is the inverse and gives values the IR types of :mod:`dicombind.ir`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from pydicom.datadict import keyword_for_tag

from dicombind.errors import DicombindError, DocumentError, ValueFormatError, item_step
from dicombind.floats import (
    format_fd,
    format_fl,
    parse_float_text,
    special_float_text,
    to_float32,
)
from dicombind.generated.native_xml import (
    BulkData,
    DicomAttribute,
    DicomDataSet,
    InlineBinary,
    Item,
    NameComponents,
    NativeDicomModel,
    PersonName,
    Value,
    Vr,
)
from dicombind.ir import UUID_URI_PREFIX, DataSet, Element
from dicombind.ir import Value as IRValue
from dicombind.private_blocks import (
    creator_blocks,
    creator_of,
    is_private_data_tag,
    masked_tag,
    place_private_elements,
)
from dicombind.vr import (
    ALL_VRS,
    BINARY_VRS,
    DECIMAL_TEXT_VRS,
    FLOAT_VRS,
    INT_VRS,
    TEXT_VRS,
)

PN_GROUPS = 3
PN_COMPONENTS = 5

_Numbered = TypeVar("_Numbered", Value, PersonName, Item)


def to_model(dataset: DataSet) -> NativeDicomModel:
    """The IR data set as a generated ``NativeDicomModel``.

    Raises ValueFormatError (with the tag and attribute path) for a value the XML form cannot
    hold, such as a PN with four component groups or a private element without a creator.
    """
    return NativeDicomModel(dicom_attribute=_attributes_of(dataset))


def from_model(model: DicomDataSet) -> DataSet:
    """The IR data set of a ``NativeDicomModel`` (or of one ``Item``).

    Raises DocumentError or ValueFormatError (with the tag and attribute path) for a model that
    breaks the Native DICOM Model: two kinds of content, a value of the wrong kind for the VR,
    numbers that are not 1..n, a value that does not parse, duplicate attributes.
    """
    return place_private_elements([_element_of(attribute) for attribute in model.dicom_attribute])


# IR -> model


def _attributes_of(dataset: DataSet) -> list[DicomAttribute]:
    blocks = creator_blocks(dataset)
    return [_attribute_of(element, blocks) for element in dataset]


def _attribute_of(element: Element, blocks: dict[int, str]) -> DicomAttribute:
    tag, vr = element.tag, element.vr
    if vr not in ALL_VRS:
        raise ValueFormatError(f"unknown VR {vr!r}", tag=tag)
    if tag & 0xFFFF == 0:
        raise ValueFormatError("group length elements have no XML form", tag=tag)
    attribute = DicomAttribute(tag=f"{tag:08X}", vr=Vr(vr), keyword=keyword_for_tag(tag) or None)
    if is_private_data_tag(tag):
        attribute.keyword = None
        creator = creator_of(tag, blocks)
        if creator is not None:  # else the real tag, as the file has no creator to name
            attribute.tag = f"{masked_tag(tag):08X}"
            attribute.private_creator = creator

    kinds = sum(
        content is not None
        for content in (element.values, element.inline_binary, element.bulk_data_uri)
    )
    if kinds > 1:
        raise ValueFormatError("more than one of values, inline binary, bulk data", tag=tag)
    if element.bulk_data_uri is not None:
        attribute.bulk_data = _bulk_data_of(element.bulk_data_uri)
    elif element.inline_binary is not None:
        if vr not in BINARY_VRS:
            raise ValueFormatError(f"inline binary for VR {vr}", tag=tag)
        attribute.inline_binary = InlineBinary(value=element.inline_binary)
    elif element.values:
        _fill_values(attribute, element.values, vr, tag)
    return attribute


def _bulk_data_of(uri: str) -> BulkData:
    if uri.startswith(UUID_URI_PREFIX):
        return BulkData(uuid=uri[len(UUID_URI_PREFIX) :])
    return BulkData(uri=uri)


def _fill_values(attribute: DicomAttribute, values: list[IRValue], vr: str, tag: int) -> None:
    if vr == "SQ":
        items = attribute.item
        for number, item in enumerate(values, 1):
            if not isinstance(item, list):
                raise ValueFormatError(f"item {number} is not a data set", tag=tag)
            try:
                items.append(Item(number=number, dicom_attribute=_attributes_of(item)))
            except DicombindError as error:
                error.within(item_step(tag, number - 1))
                raise
    elif vr == "PN":
        names = attribute.person_name
        for number, value in enumerate(values, 1):
            names.append(_person_name_of(number, _text_of(value, vr, tag), tag))
    elif vr in BINARY_VRS:
        raise ValueFormatError(f"VR {vr} takes inline binary or bulk data, not values", tag=tag)
    else:
        texts = attribute.value
        for number, value in enumerate(values, 1):
            texts.append(Value(number=number, value=_text_of(value, vr, tag)))


def _text_of(value: IRValue, vr: str, tag: int) -> str:
    """One IR value as the text of a <Value> (or the PS3.5 text of a PN)."""
    if value is None:
        return ""
    if vr in TEXT_VRS or vr in DECIMAL_TEXT_VRS or vr == "PN":
        if isinstance(value, str):
            return value
    elif vr in INT_VRS:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    elif vr in FLOAT_VRS:
        if isinstance(value, float | int) and not isinstance(value, bool):
            number = float(value)
            special = special_float_text(number)
            if special is not None:
                return special
            return format_fl(number) if vr == "FL" else format_fd(number)
    elif vr == "AT" and isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value <= 0xFFFFFFFF:
            return f"{value:08X}"
        raise ValueFormatError(f"AT value {value:#x} is not a 32-bit tag", tag=tag)
    raise ValueFormatError(f"{type(value).__name__} value for VR {vr}", tag=tag)


def _person_name_of(number: int, text: str, tag: int) -> PersonName:
    """Every group and component the PS3.5 text has, empty ones as empty elements, so that
    the exact text (trailing delimiters included) can be rebuilt, as the fast writer does."""
    name = PersonName(number=number)
    if not text:
        return name
    groups = text.split("=")
    if len(groups) > PN_GROUPS:
        raise ValueFormatError(f"person name {text!r} has more than 3 component groups", tag=tag)
    components = [group.split("^") if group else [] for group in groups]
    if any(len(group) > PN_COMPONENTS for group in components):
        raise ValueFormatError(f"person name {text!r} has more than 5 components", tag=tag)
    built = [_name_components_of(group) for group in components]
    name.alphabetic = built[0]
    if len(built) > 1:
        name.ideographic = built[1]
    if len(built) > 2:
        name.phonetic = built[2]
    return name


_T = TypeVar("_T")


def _up_to_last_present(parts: list[_T | None]) -> list[_T | None]:
    end = len(parts)
    while end and parts[end - 1] is None:
        end -= 1
    return parts[:end]


def _name_components_of(parts: list[str]) -> NameComponents:
    padded: list[str | None] = [*parts, *[None] * (PN_COMPONENTS - len(parts))]
    family, given, middle, prefix, suffix = padded
    return NameComponents(
        family_name=family,
        given_name=given,
        middle_name=middle,
        name_prefix=prefix,
        name_suffix=suffix,
    )


# model -> IR


def _element_of(attribute: DicomAttribute) -> Element:
    tag = _tag_of(attribute.tag)
    vr = attribute.vr.value if isinstance(attribute.vr, Vr) else str(attribute.vr)
    if vr not in ALL_VRS:
        raise DocumentError(f"unknown VR {vr!r}", tag=tag)
    if tag & 0xFFFF == 0 and attribute.private_creator is None:
        raise DocumentError("group length elements are not allowed", tag=tag)
    element = Element(tag, vr, private_creator=attribute.private_creator)
    if attribute.private_creator is not None and not tag & 0x10000:
        raise DocumentError("privateCreator on an element of an even group", tag=tag)

    kinds = [
        name
        for name, present in (
            ("BulkData", attribute.bulk_data is not None),
            ("Value", bool(attribute.value)),
            ("Item", bool(attribute.item)),
            ("PersonName", bool(attribute.person_name)),
            ("InlineBinary", attribute.inline_binary is not None),
        )
        if present
    ]
    if len(kinds) > 1:
        raise DocumentError(f"more than one kind of content: {', '.join(kinds)}", tag=tag)
    if not kinds:
        return element
    kind = kinds[0]
    _check_kind(kind, vr, tag)
    if attribute.bulk_data is not None:
        element.bulk_data_uri = _uri_of(attribute.bulk_data, tag)
    elif attribute.inline_binary is not None:
        element.inline_binary = attribute.inline_binary.value
    elif kind == "Item":
        element.values = _items_of(attribute.item, tag)
    elif kind == "PersonName":
        names = _in_order(attribute.person_name, "PersonName", tag)
        element.values = _non_empty([_pn_text_of(name) or None for name in names])
    else:
        texts = _in_order(attribute.value, "Value", tag)
        element.values = _non_empty([_value_of(text.value, vr, tag) for text in texts])
    return element


def _tag_of(text: str) -> int:
    if len(text) != 8 or not all(c in "0123456789ABCDEFabcdef" for c in text):
        raise DocumentError(f"tag {text!r} is not 8 hexadecimal digits")
    return int(text, 16)


def _check_kind(kind: str, vr: str, tag: int) -> None:
    allowed = {
        "Item": vr == "SQ",
        "PersonName": vr == "PN",
        "InlineBinary": vr in BINARY_VRS,
        "Value": vr not in BINARY_VRS and vr not in ("SQ", "PN"),
        "BulkData": vr != "SQ",
    }
    if not allowed[kind]:
        raise DocumentError(f"{kind} is not allowed for VR {vr}", tag=tag)


def _uri_of(bulk_data: BulkData, tag: int) -> str:
    if (bulk_data.uuid is None) == (bulk_data.uri is None):
        raise DocumentError("BulkData needs exactly one of uuid and uri", tag=tag)
    if bulk_data.uuid is not None:
        return UUID_URI_PREFIX + bulk_data.uuid
    assert bulk_data.uri is not None
    return bulk_data.uri


def _in_order(children: Sequence[_Numbered], kind: str, tag: int) -> list[_Numbered]:
    ordered = sorted(children, key=_number_of)
    for expected, child in enumerate(ordered, 1):
        if child.number != expected:
            numbers = ", ".join(str(c.number) for c in children)
            raise DocumentError(f"{kind} numbers are {numbers}, not 1..{len(children)}", tag=tag)
    return ordered


def _number_of(child: Value | PersonName | Item) -> int:
    return child.number


def _items_of(items: list[Item], tag: int) -> list[IRValue]:
    values: list[IRValue] = []
    for index, item in enumerate(_in_order(items, "Item", tag)):
        try:
            values.append(from_model(item))
        except DicombindError as error:
            error.within(item_step(tag, index))
            raise
    return values


def _non_empty(values: list[IRValue]) -> list[IRValue] | None:
    """None for a lone empty value: the IR writes that as a zero-length element."""
    return None if values == [None] else values


def _pn_text_of(name: PersonName) -> str:
    groups = [
        None if group is None else _group_text_of(group)
        for group in (name.alphabetic, name.ideographic, name.phonetic)
    ]
    return "=".join(group or "" for group in _up_to_last_present(groups))


def _group_text_of(group: NameComponents) -> str:
    parts = [
        group.family_name,
        group.given_name,
        group.middle_name,
        group.name_prefix,
        group.name_suffix,
    ]
    return "^".join(part or "" for part in _up_to_last_present(parts))


_VALUE_PARSERS: dict[str, Callable[[str], IRValue]] = {
    **dict.fromkeys(TEXT_VRS | DECIMAL_TEXT_VRS, str),
    **dict.fromkeys(INT_VRS, int),
    "FD": parse_float_text,
    "FL": lambda text: to_float32(parse_float_text(text)),
    "AT": lambda text: _tag_of(text),
}


def _value_of(text: str, vr: str, tag: int) -> IRValue:
    if text == "":
        return None
    try:
        return _VALUE_PARSERS[vr](text)
    except (ValueError, DocumentError):
        raise ValueFormatError(f"{text!r} is not a valid {vr} value", tag=tag) from None
