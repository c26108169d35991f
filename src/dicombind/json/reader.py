"""DICOM JSON Model text (PS3.18 Annex F) -> IR, tolerant of what real producers write.

The text is parsed by the standard library's ``json`` keeping every number literal with a
fraction or exponent as its text (``parse_float=str.strip``), so a DS literal such as ``1.50``
or ``1E+02`` reaches the IR exactly as written (FL/FD values are then converted with
``float``); JSON integers arrive as ``int`` (an IS or DS integer becomes ``str(int)``).

Two identical keys in one JSON object are refused (``json.loads`` alone would keep the last
one and drop the other silently); that check costs some 15% of the parse.  Keys that differ
but name the same tag (``"00100010"`` and ``"PatientName"``) are refused too.

Tolerated deviations from PS3.18 (each read as the obvious meaning):

* DS, IS, SV and UV given as a JSON number or as a JSON string.
* A PN value given as a bare string in PS3.5 form (``"Yamada^Tarou=山田^太郎"``).
* A PN value ``{}`` or one with only empty groups: an empty value.  Empty groups
  (``"Phonetic": ""``) are dropped.
* ``""`` inside a ``Value`` array (pydicom writes it): an empty value, like ``null``.
* ``"Value": []`` (pydicom writes it for an empty sequence): a zero-length element, as are
  ``[null]``, ``[""]`` and ``[{}]``.
* ``InlineBinary`` or ``BulkDataURI`` given as a one-element array (the PS3.18 F.4 example).
* A missing ``"vr"``: the dictionary VR (the first choice of ambiguous entries such as
  ``US or SS``), LO for Private Creator elements, UN for other private and unknown tags.
* Keyword keys (``"PatientName"``) and lowercase hex keys (``"0020000d"``); lowercase hex
  digits in AT values.
* FL/FD NaN and infinities as the strings ``NaN``, ``nan``, ``inf``, ``+inf``, ``-inf``,
  ``Infinity``, ``-Infinity`` (any case), and the bare JSON-extension literals ``NaN``,
  ``Infinity`` and ``-Infinity``.
* FL/FD values given as a string holding a number (once parsed, a JSON number
  with a fraction or exponent cannot be told from a string; for the same reason such a number
  given for a text VR is read as its text, while a JSON integer there is refused).
* The non-standard ``"keyword"`` and ``"name"`` members (dicombind writes them on request):
  ``"name"`` is ignored, ``"keyword"`` must agree with the key's tag.
* Members in any order; data sets whose keys are not in ascending order are sorted.
* Group length elements (``gggg0000``; PS3.18 F.2.2 excludes them, pydicom writes those of
  the file it read): checked like any attribute, then left out, as the IR has none.

DS and IS strings are kept as they are; their DICOM syntax is not checked here.

Refused, with DocumentError or ValueFormatError naming the tag and the attribute path
(``BeamSequence[2] (300A,00C2)``; item indexes count from 0): invalid JSON (line and column),
a data set that is not an object, unknown members, more than one of
``Value``/``InlineBinary``/``BulkDataURI``, an unknown VR, ``Value`` that is not an array, wrong
value types (a JSON integer for a text VR, a string for US, ``true``/``false`` anywhere), AT
values that are not 8 hex digits, invalid base64, ``InlineBinary`` on a VR other than OB OD OF
OL OV OW UN, ``BulkDataURI`` on a VR PS3.18 does not allow it for, ``Value`` on those binary
VRs, sequence items that are not objects, PN objects with unknown members, a ``"keyword"``
that disagrees with the key, keys that are neither tags nor keywords, and two keys that name
the same tag (``"00100010"`` and ``"PatientName"``).
"""

from __future__ import annotations

import json
import re
import struct
from binascii import a2b_base64
from collections.abc import Callable
from itertools import pairwise
from operator import attrgetter
from typing import Any

from dicombind.errors import DicombindError, DocumentError, ValueFormatError, item_step
from dicombind.floats import parse_float_text, to_float32
from dicombind.gc_pause import collector_paused
from dicombind.ir import DataSet, Element, Value
from dicombind.keywords import TAG_KEYWORDS, dictionary_vr, tag_for_keyword
from dicombind.vr import ALL_VRS, BINARY_VRS, JSON_BULK_DATA_VRS, TEXT_VRS

ValuesReader = Callable[[list[Any], int], list[Value] | None]
"""``(JSON Value array, tag) -> IR values`` (None: zero-length)."""

_HEX_KEY = re.compile(r"[0-9A-Fa-f]{8}")
_INTEGER_TEXT = re.compile(r"[-+]?[0-9]+")
_PN_GROUPS = frozenset(("Alphabetic", "Ideographic", "Phonetic"))
_ATTRIBUTE_MEMBERS = frozenset(("vr", "Value", "InlineBinary", "BulkDataURI", "keyword", "name"))
_KEY_CACHE_LIMIT = 1 << 16
_key_tags: dict[str, int] = {}
_by_tag = attrgetter("tag")


@collector_paused
def read_json(document: str | bytes) -> DataSet:
    """The data set of a DICOM JSON document: an object, or an array holding exactly one."""
    return _single_dataset(_parse(document))


@collector_paused
def read_json_list(document: str | bytes) -> list[DataSet]:
    """The data sets of a DICOM JSON document: an array (a bare object is one data set)."""
    return datasets_from_obj(_parse(document))


def _single_dataset(parsed: object) -> DataSet:
    if type(parsed) is list:
        if len(parsed) != 1:
            raise DocumentError(f"expected one data set, the array holds {len(parsed)}")
        try:
            return dataset_from_obj(parsed[0])
        except DicombindError as error:
            raise error.within("[0]") from None
    return dataset_from_obj(parsed)


def datasets_from_obj(obj: object) -> list[DataSet]:
    """Like :func:`read_json_list` for a document already parsed into Python objects."""
    if type(obj) is dict:
        return [dataset_from_obj(obj)]
    if type(obj) is not list:
        raise DocumentError(f"expected an array of data sets, not {_kind(obj)}")
    datasets = []
    for index, item in enumerate(obj):
        try:
            datasets.append(dataset_from_obj(item))
        except DicombindError as error:
            raise error.within(f"[{index}]") from None
    return datasets


def dataset_from_obj(obj: object) -> DataSet:
    """The IR of one data set already parsed into Python objects (dicts, lists, str...).

    For exact DS text parse with ``parse_float=str``.  The returned IR may share ``Value``
    lists with ``obj``.  Unlike :func:`read_json` this does not pause the garbage collector.
    """
    if type(obj) is not dict:
        raise DocumentError(f"a data set must be a JSON object, not {_kind(obj)}")
    dataset: DataSet = []
    append = dataset.append
    key_tags = _key_tags
    previous = -1
    ordered = True
    readers = _VALUE_READERS
    for key, attribute in obj.items():
        tag = key_tags.get(key)
        if tag is None:
            tag = _tag_of_key(key)
            if not tag & 0xFFFF:  # group length: checked, then left out (IR contract)
                _element(tag, attribute)
                continue
        if tag <= previous:
            ordered = False
        previous = tag
        # The common {"vr": ..., "Value": [...]} is read here; everything else by _element.
        if type(attribute) is dict and len(attribute) == 2:
            values = attribute.get("Value")
            vr = attribute.get("vr")
            if values and type(values) is list and type(vr) is str and vr in readers:
                append(Element(tag, vr, readers[vr](values, tag)))
                continue
        append(_element(tag, attribute))
    if not ordered:
        dataset.sort(key=_by_tag)
        for before, after in pairwise(dataset):
            if before.tag == after.tag:
                raise DocumentError("two keys name the same tag", tag=after.tag)
    return dataset


def _parse(document: str | bytes) -> Any:
    try:
        # str.strip hands back the literal's text itself (a number literal has no spaces to
        # strip) and is a cheaper call than str(): 15% off the parse of a DS-heavy document.
        return json.loads(
            document, parse_float=str.strip, object_pairs_hook=_object_without_duplicates
        )
    except json.JSONDecodeError as error:
        raise DocumentError(
            f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    except UnicodeDecodeError as error:
        raise DocumentError(f"the document is not UTF-8, UTF-16 or UTF-32 text: {error}") from None
    except RecursionError:
        raise DocumentError("the document is nested too deeply") from None


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                tag = int(key, 16) if _HEX_KEY.fullmatch(key) else None
                raise DocumentError(f"key {key!r} appears twice in one object", tag=tag)
            seen.add(key)
    return result


def _kind(obj: object) -> str:
    if obj is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(obj), "a number"
    )


def _tag_of_key(key: object) -> int:
    if type(key) is not str:
        raise DocumentError(f"key {key!r} is not a string")
    if _HEX_KEY.fullmatch(key):
        tag = int(key, 16)
    else:
        found = tag_for_keyword(key)
        if found is None:
            raise DocumentError(f"key {key!r} is neither 8 hex digits nor a keyword")
        tag = found
    if len(_key_tags) < _KEY_CACHE_LIMIT and tag & 0xFFFF:
        _key_tags[key] = tag
    return tag


def _element(tag: int, attribute: object) -> Element:
    """Any attribute object: checks the members, then reads the one content member."""
    if type(attribute) is not dict:
        raise DocumentError(f"an attribute must be a JSON object, not {_kind(attribute)}", tag=tag)
    for member in attribute:
        if member not in _ATTRIBUTE_MEMBERS:
            raise DocumentError(f"unknown member {member!r}", tag=tag)
    contents = [
        member for member in ("Value", "InlineBinary", "BulkDataURI") if member in attribute
    ]
    if len(contents) > 1:
        raise DocumentError(f"more than one of {', '.join(contents)}", tag=tag)
    keyword = attribute.get("keyword")
    if keyword is not None and keyword != TAG_KEYWORDS[tag]:
        raise DocumentError(f"keyword {keyword!r} does not name the tag", tag=tag)

    vr = attribute.get("vr")
    if vr is None:
        vr = dictionary_vr(tag)
    elif type(vr) is not str or vr not in ALL_VRS:
        raise ValueFormatError(f"unknown VR {vr!r}", tag=tag)
    if not contents:
        return Element(tag, vr)
    content = attribute[contents[0]]
    if contents[0] == "Value":
        if type(content) is not list:
            raise DocumentError(f"Value must be an array, not {_kind(content)}", tag=tag)
        reader = _VALUE_READERS.get(vr)
        if reader is None:
            raise DocumentError(f"VR {vr} takes InlineBinary or BulkDataURI, not Value", tag=tag)
        return Element(tag, vr, reader(content, tag) if content else None)
    text = _single_string(content, contents[0], tag)
    if contents[0] == "BulkDataURI":
        if vr not in JSON_BULK_DATA_VRS:
            raise DocumentError(f"BulkDataURI is not allowed for VR {vr}", tag=tag)
        return Element(tag, vr, bulk_data_uri=text)
    if vr not in BINARY_VRS:
        raise DocumentError(f"InlineBinary is not allowed for VR {vr}", tag=tag)
    try:
        data = a2b_base64(text, strict_mode=True)
    except ValueError as error:  # binascii.Error, or non-ASCII text
        raise ValueFormatError(f"InlineBinary is not valid base64: {error}", tag=tag) from None
    return Element(tag, vr, inline_binary=data)


def _single_string(content: object, member: str, tag: int) -> str:
    if type(content) is list and len(content) == 1:
        content = content[0]  # the F.4 example writes a one-element array
    if type(content) is not str:
        raise DocumentError(f"{member} must be a string, not {_kind(content)}", tag=tag)
    return content


def _wrong_type(value: object, vr: str, tag: int) -> ValueFormatError:
    return ValueFormatError(f"{_kind(value)} ({value!r:.40}) is not a {vr} value", tag=tag)


def _only_value_empty(values: list[Value]) -> list[Value] | None:
    # An element whose only value is empty is zero-length (IR contract).
    return None if len(values) == 1 and values[0] is None else values


def _all_nonempty_strings(values: list[Any]) -> bool:
    # Two C-level passes instead of a Python loop: join refuses anything but str.
    try:
        "".join(values)
    except TypeError:
        return False
    return "" not in values


def _text_reader(vr: str) -> ValuesReader:
    def text(value: Any, tag: int) -> str | None:
        if value is None or value == "":
            return None
        raise _wrong_type(value, vr, tag)

    def read(values: list[Any], tag: int) -> list[Value] | None:
        if _all_nonempty_strings(values):
            return values
        return _only_value_empty(
            [value if type(value) is str and value else text(value, tag) for value in values]
        )

    return read


def _decimal_reader(vr: str) -> ValuesReader:
    def decimal_text(value: Any, tag: int) -> str | None:
        if type(value) is int:
            return int.__repr__(value)
        if value is None or value == "":
            return None
        raise _wrong_type(value, vr, tag)

    def read(values: list[Any], tag: int) -> list[Value] | None:
        if _all_nonempty_strings(values):
            return values
        # JSON integers (DS "0", IS "12") take this path: keep it a comprehension.
        return _only_value_empty(
            [
                value if type(value) is str and value else decimal_text(value, tag)
                for value in values
            ]
        )

    return read


def _integer_reader(vr: str) -> ValuesReader:
    def read(values: list[Any], tag: int) -> list[Value] | None:
        for value in values:
            if type(value) is not int:
                break
        else:
            return values
        converted: list[Value] = []
        for value in values:
            if type(value) is int:
                converted.append(value)
            elif value is None or value == "":
                converted.append(None)
            else:
                raise _wrong_type(value, vr, tag)
        return _only_value_empty(converted)

    return read


def _int64_reader(vr: str) -> ValuesReader:
    def read(values: list[Any], tag: int) -> list[Value] | None:
        converted: list[Value] = []
        for value in values:
            if type(value) is int:
                converted.append(value)
            elif type(value) is str and _INTEGER_TEXT.fullmatch(value):
                converted.append(int(value))
            elif value is None or value == "":
                converted.append(None)
            else:
                raise _wrong_type(value, vr, tag)
        return _only_value_empty(converted)

    return read


def _float_reader(vr: str, single: bool) -> ValuesReader:
    def read(values: list[Any], tag: int) -> list[Value] | None:
        converted: list[Value] = []
        for value in values:
            kind = type(value)
            if kind is str and value:
                try:
                    number = parse_float_text(value)
                except ValueError:
                    raise _wrong_type(value, vr, tag) from None
            elif kind is float:
                number = value  # NaN or an infinity from a bare JSON-extension literal
            elif kind is int:
                number = float(value)
            elif value is None or value == "":
                converted.append(None)
                continue
            else:
                raise _wrong_type(value, vr, tag)
            if single:
                try:
                    number = to_float32(number)
                except (OverflowError, struct.error):
                    raise ValueFormatError(f"{value!r} is out of the FL range", tag=tag) from None
            converted.append(number)
        return _only_value_empty(converted)

    return read


def _tag_values(values: list[Any], tag: int) -> list[Value] | None:
    converted: list[Value] = []
    for value in values:
        if type(value) is str and _HEX_KEY.fullmatch(value):
            converted.append(int(value, 16))
        elif value is None or value == "":
            converted.append(None)
        else:
            raise ValueFormatError(f"AT value {value!r:.40} is not 8 hex digits", tag=tag)
    return _only_value_empty(converted)


def _person_names(values: list[Any], tag: int) -> list[Value] | None:
    converted: list[Value] = []
    for value in values:
        kind = type(value)
        if kind is dict:
            converted.append(_person_name(value, tag))
        elif kind is str:
            converted.append(value or None)  # tolerated: PS3.5 text instead of an object
        elif value is None:
            converted.append(None)
        else:
            raise _wrong_type(value, "PN", tag)
    return _only_value_empty(converted)


def _person_name(groups: dict[str, Any], tag: int) -> str | None:
    for name, group in groups.items():
        if name not in _PN_GROUPS:
            raise DocumentError(f"unknown PN member {name!r}", tag=tag)
        if type(group) is not str:
            raise ValueFormatError(f"PN {name} must be a string, not {_kind(group)}", tag=tag)
    alphabetic = groups.get("Alphabetic", "")
    ideographic = groups.get("Ideographic", "")
    phonetic = groups.get("Phonetic", "")
    if phonetic:
        return f"{alphabetic}={ideographic}={phonetic}"
    if ideographic:
        return f"{alphabetic}={ideographic}"
    return alphabetic or None


def _sequence_items(values: list[Any], tag: int) -> list[Value] | None:
    items: list[Value] = []
    for index, item in enumerate(values):
        if type(item) is not dict:
            raise DocumentError(
                f"sequence item {index} must be a JSON object, not {_kind(item)}", tag=tag
            )
        try:
            items.append(dataset_from_obj(item))
        except DicombindError as error:
            raise error.within(item_step(tag, index)) from None
    return items


_VALUE_READERS: dict[str, ValuesReader] = {vr: _text_reader(vr) for vr in TEXT_VRS}
_VALUE_READERS.update(
    DS=_decimal_reader("DS"),
    IS=_decimal_reader("IS"),
    SL=_integer_reader("SL"),
    SS=_integer_reader("SS"),
    UL=_integer_reader("UL"),
    US=_integer_reader("US"),
    SV=_int64_reader("SV"),
    UV=_int64_reader("UV"),
    FL=_float_reader("FL", single=True),
    FD=_float_reader("FD", single=False),
    AT=_tag_values,
    PN=_person_names,
    SQ=_sequence_items,
)
