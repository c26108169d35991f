"""IR <-> the pydantic models generated from our DICOM JSON Model schema.

:func:`to_model` gives the data set the fast JSON writer writes, as models: keys are the real
tags as 8 uppercase hex digits (Private Creator elements are ordinary attributes), DS and IS
values are their exact text, SV/UV values are ints up to 2^53 and strings beyond, NaN and the
infinities are ``"NaN"``/``"Infinity"``/``"-Infinity"``, PN values are split into their
component groups, AT values are 8 hex digits, binary values are base64 ``InlineBinary``.
:func:`from_model` is the inverse and gives values the IR types of :mod:`dicombind.ir`.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any, TypeAlias

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from dicombind.errors import DicombindError, DocumentError, ValueFormatError, item_step
from dicombind.floats import format_fl, parse_float_text, special_float_text, to_float32
from dicombind.generated.json_model import (
    Attribute,
    BinaryAttribute,
    Dataset,
    DecimalStringAttribute,
    FloatAttribute,
    IntegerAttribute,
    IntegerOrStringAttribute,
    PersonName,
    PersonNameAttribute,
    SequenceAttribute,
    StringAttribute,
    TagAttribute,
    TextAttribute,
)
from dicombind.ir import DataSet, Element
from dicombind.ir import Value as IRValue
from dicombind.json.numbers import JSON_SAFE_INTEGER
from dicombind.vr import (
    ALL_VRS,
    DECIMAL_TEXT_VRS,
    FLOAT_VRS,
    INT64_VRS,
    INT_VRS,
    TEXT_VRS,
)

PN_GROUPS = ("Alphabetic", "Ideographic", "Phonetic")

DatasetModel: TypeAlias = Dataset
"""The generated model of one data set: ``dict`` of tag key (8 uppercase hex) -> attribute."""

_attribute_adapter: TypeAdapter[Attribute] = TypeAdapter(Attribute)

JSONValue = str | int | float | dict[str, str] | Dataset | None


def to_model(dataset: DataSet) -> DatasetModel:
    """The IR data set as a validated generated ``Dataset`` (tag key -> attribute model).

    Raises ValueFormatError (with the tag and attribute path) for what the JSON model cannot
    hold: an unknown VR, a group length, duplicate tags, a value of the wrong type for its VR,
    a PN with more than three component groups, inline binary on a VR that has no such form.
    """
    members: DatasetModel = {}
    previous = -1
    for element in sorted(dataset, key=_tag_of_element):
        if element.tag == previous:
            raise ValueFormatError("duplicate attribute in one data set", tag=element.tag)
        previous = element.tag
        members[f"{element.tag:08X}"] = _attribute_of(element)
    return members


def from_model(model: Mapping[str, Attribute]) -> DataSet:
    """The IR data set of a generated ``Dataset`` (for example one from ``dataset_adapter``).

    Raises DocumentError or ValueFormatError (with the tag and attribute path) for a key that is
    not a tag or a value that does not parse as its VR (an SV/UV string that is no integer).
    """
    elements = [_element_of(key, attribute) for key, attribute in model.items()]
    elements.sort(key=_tag_of_element)
    return elements


def _tag_of_element(element: Element) -> int:
    return element.tag


# IR -> model


def _attribute_of(element: Element) -> Attribute:
    tag, vr = element.tag, element.vr
    if vr not in ALL_VRS:
        raise ValueFormatError(f"unknown VR {vr!r}", tag=tag)
    if not 0 <= tag <= 0xFFFFFFFF:
        raise ValueFormatError(f"tag {tag:#x} is not a 32-bit tag")
    if tag & 0xFFFF == 0:
        raise ValueFormatError("group length elements have no JSON form", tag=tag)
    if element.private_creator is not None:
        raise ValueFormatError("private element not yet placed in its block", tag=tag)
    contents = [
        content is not None
        for content in (element.values, element.inline_binary, element.bulk_data_uri)
    ]
    if sum(contents) > 1:
        raise ValueFormatError("more than one of values, inline binary, bulk data", tag=tag)
    member: dict[str, Any] = {"vr": vr}
    if element.bulk_data_uri is not None:
        member["BulkDataURI"] = element.bulk_data_uri
    elif element.inline_binary is not None:
        member["InlineBinary"] = base64.b64encode(element.inline_binary).decode("ascii")
    elif element.values and element.values != [None]:
        member["Value"] = [
            _json_value(value, vr, tag, index) for index, value in enumerate(element.values)
        ]
    try:
        return _attribute_adapter.validate_python(member)
    except PydanticValidationError as error:
        raise ValueFormatError(_first_problem(error), tag=tag) from None


def _json_value(value: IRValue, vr: str, tag: int, index: int) -> JSONValue:
    if value is None:
        if vr == "SQ":
            raise ValueFormatError(f"item {index} is null, not a data set", tag=tag)
        return None
    if vr == "SQ":
        if not isinstance(value, list):
            raise ValueFormatError(f"item {index} is not a data set", tag=tag)
        try:
            return to_model(value)
        except DicombindError as error:
            raise error.within(item_step(tag, index)) from None
    if isinstance(value, bool):
        raise ValueFormatError(f"bool value for VR {vr}", tag=tag)
    if vr in TEXT_VRS or vr in DECIMAL_TEXT_VRS:
        if isinstance(value, str):
            return value or None
    elif vr == "PN":
        if isinstance(value, str):
            return _person_name_of(value, tag)
    elif vr in INT_VRS:
        if isinstance(value, int):
            if vr in INT64_VRS and abs(value) > JSON_SAFE_INTEGER:
                return str(value)
            return value
    elif vr in FLOAT_VRS:
        if isinstance(value, float | int):
            number = float(value)
            special = special_float_text(number)
            if special is not None:
                return special
            if vr == "FD":
                return number
            # The shortest text of the 32-bit value, so the model does not carry float noise.
            try:
                return float(format_fl(number))
            except OverflowError:
                raise ValueFormatError(f"{number!r} is out of the FL range", tag=tag) from None
    elif vr == "AT":
        if isinstance(value, int):
            if 0 <= value <= 0xFFFFFFFF:
                return f"{value:08X}"
            raise ValueFormatError(f"AT value {value:#x} is not a 32-bit tag", tag=tag)
    else:
        raise ValueFormatError(f"VR {vr} takes inline binary or bulk data, not values", tag=tag)
    raise ValueFormatError(f"{type(value).__name__} value for VR {vr}", tag=tag)


def _person_name_of(text: str, tag: int) -> dict[str, str] | None:
    groups = text.split("=")
    if len(groups) > len(PN_GROUPS):
        raise ValueFormatError(f"person name {text!r} has more than 3 component groups", tag=tag)
    name = {member: group for member, group in zip(PN_GROUPS, groups, strict=False) if group}
    return name or None


def _first_problem(error: PydanticValidationError) -> str:
    detail = error.errors()[0]
    where = "/".join(str(step) for step in detail["loc"][1:])
    return f"{where}: {detail['msg']}" if where else str(detail["msg"])


# model -> IR


def _element_of(key: str, attribute: Attribute) -> Element:
    tag = _tag_of_key(key)
    element = Element(tag, attribute.vr)
    if isinstance(attribute, SequenceAttribute):
        if attribute.Value is not None:
            element.values = _items_of(attribute.Value, tag)
        return element
    try:
        if isinstance(attribute, BinaryAttribute) and attribute.InlineBinary is not None:
            element.inline_binary = _bytes_of(attribute.InlineBinary)
        elif isinstance(attribute, _BULK_DATA_KINDS) and attribute.BulkDataURI is not None:
            element.bulk_data_uri = attribute.BulkDataURI
        else:
            element.values = _values_of(attribute)
    except ValueError as error:
        raise ValueFormatError(str(error), tag=tag) from None
    return element


_BULK_DATA_KINDS = (
    BinaryAttribute,
    DecimalStringAttribute,
    FloatAttribute,
    IntegerAttribute,
    IntegerOrStringAttribute,
    TextAttribute,
)


def _values_of(attribute: Attribute) -> list[IRValue] | None:
    """The IR values of an attribute that is neither binary nor a sequence."""
    values: list[IRValue] = []
    if isinstance(attribute, StringAttribute | TextAttribute):
        values = [None if v is None else _text_value(v) for v in attribute.Value or ()]
    elif isinstance(attribute, PersonNameAttribute):
        values = [None if v is None else _pn_text_of(v) for v in attribute.Value or ()]
    elif isinstance(attribute, TagAttribute):
        values = [None if v is None else _tag_value(v) for v in attribute.Value or ()]
    elif isinstance(attribute, FloatAttribute):
        to_float = _fl_value if attribute.vr == "FL" else _fd_value
        values = [None if v is None else to_float(v) for v in attribute.Value or ()]
    elif isinstance(attribute, IntegerAttribute):
        values = list(attribute.Value or ())
    elif isinstance(attribute, DecimalStringAttribute):
        values = [None if v is None else _decimal_text(v) for v in attribute.Value or ()]
    elif isinstance(attribute, IntegerOrStringAttribute):
        to_integer = _integer_text if attribute.vr == "IS" else _int64_value
        values = [None if v is None else to_integer(v) for v in attribute.Value or ()]
    # No values, or a lone empty one: a zero-length element in the IR.
    return None if values in ([], [None]) else values


def _text_value(text: str) -> str | None:
    return text or None


def _tag_value(text: str) -> int:
    return int(text, 16)


def _fd_value(value: int | float | str) -> float:
    return parse_float_text(value) if isinstance(value, str) else float(value)


def _fl_value(value: int | float | str) -> float:
    return to_float32(_fd_value(value))


def _decimal_text(value: int | float | str) -> str:
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int) else repr(value)


def _integer_text(value: int | str) -> str:
    return value if isinstance(value, str) else str(value)


def _int64_value(value: int | str) -> int:
    if isinstance(value, int):
        return value
    if _INTEGER_TEXT.fullmatch(value) is None:
        raise ValueError(f"{value!r} is not an integer")
    return int(value)


_INTEGER_TEXT = re.compile(r" *[+-]?[0-9]+ *")


def _items_of(items: list[Dataset], tag: int) -> list[IRValue]:
    values: list[IRValue] = []
    for index, item in enumerate(items):
        try:
            values.append(from_model(item))
        except DicombindError as error:
            raise error.within(item_step(tag, index)) from None
    return values


def _pn_text_of(name: PersonName) -> str | None:
    groups = [name.Alphabetic or "", name.Ideographic or "", name.Phonetic or ""]
    while groups and not groups[-1]:
        groups.pop()
    return "=".join(groups) or None


def _bytes_of(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise ValueError(f"InlineBinary is not base64: {error}") from None


def _tag_of_key(key: str) -> int:
    if len(key) != 8 or not all(c in "0123456789ABCDEF" for c in key):
        raise DocumentError(f"member name {key!r} is not 8 uppercase hexadecimal digits")
    return int(key, 16)
