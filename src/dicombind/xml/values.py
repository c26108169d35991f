"""What the Native DICOM Model readers decide about values, shared by the lxml reader
(:mod:`dicombind.xml.reader`) and the fast scanner (:mod:`dicombind.xml.scanner`) so that both
read every document the same way: the element an attribute starts, the typed values per VR,
the order of numbered children, the text of a person name, inline binary and bulk data.

Everything here works on strings already taken out of the document (attribute values, text
content) and raises DocumentError / ValueFormatError with the tag.  See the reader's module
docstring for the rules.
"""

from __future__ import annotations

import re
from binascii import Error as BinasciiError
from binascii import a2b_base64
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

from dicombind.errors import DocumentError, ValueFormatError
from dicombind.floats import parse_float_text, to_float32
from dicombind.ir import UUID_URI_PREFIX, Value
from dicombind.keywords import dictionary_vr
from dicombind.vr import ALL_VRS, DECIMAL_TEXT_VRS, INT_VRS, TEXT_VRS
from dicombind.xml.names import NAME_COMPONENTS, NAME_GROUPS

_Child = TypeVar("_Child")

MAX_SEQUENCE_DEPTH = 128
"""Sequences nested deeper than this are refused (the XML is then about twice as deep)."""

# Gap filling is bounded so that a tiny document cannot make huge lists of empty values.
MAX_EXTRA_GAPS = 8

_NUMBERS = [str(number) for number in range(4097)]  # "0", "1", ... for the in-order check
_NUMBER = re.compile(r"[ \t\r\n]*\+?0*([1-9][0-9]*)[ \t\r\n]*")
TAG_TEXT = re.compile(r"[0-9A-Fa-f]{8}")
"""A ``tag`` attribute or an AT value: 8 hexadecimal digits, either case."""
_CACHE_LIMIT = 1 << 16

Converter = Callable[[list[str | None], str, int], list[Value]]
"""``(texts, vr, tag) -> values`` of one VR; a None text is an empty value."""


# --- the DicomAttribute ---------------------------------------------------------------------


def parse_tag(text: str | None) -> int:
    """The tag of a ``tag`` attribute (None: the attribute is missing)."""
    if text is None:
        raise DocumentError("a DicomAttribute without a tag")
    if TAG_TEXT.fullmatch(text) is None:
        raise DocumentError(f"tag {text!r} is not 8 hexadecimal digits")
    return int(text, 16)


def _checked_head(key: tuple[str | None, str | None, str | None]) -> tuple[int, str, bool]:
    tag_text, vr, creator = key
    tag = parse_tag(tag_text)
    if vr is None:
        vr = dictionary_vr(tag, creator)
    elif vr not in ALL_VRS:
        raise DocumentError(f"unknown VR {vr!r}", tag=tag)
    if creator is not None and not tag & 0x10000:
        raise DocumentError(f"privateCreator {creator!r} on an element of an even group", tag=tag)
    # Group length (gggg,0000), but not element (gggg,XX00) of a private block: forbidden by
    # PS3.19 and recomputed when encoding, so readers skip it.
    kept = bool(tag & 0xFFFF) or creator is not None
    return tag, vr, kept


class _AttributeHeads(dict[tuple[str | None, str | None, str | None], tuple[int, str, bool]]):
    def __missing__(self, key: tuple[str | None, str | None, str | None]) -> tuple[int, str, bool]:
        head = _checked_head(key)
        # Without a vr the dictionary's is looked up every time: users may add entries.
        if key[1] is not None and len(self) < _CACHE_LIMIT:
            self[key] = head
        return head


ATTRIBUTE_HEADS = _AttributeHeads()
"""``ATTRIBUTE_HEADS[tag, vr, privateCreator]`` (a DicomAttribute's attribute values, None where
one is missing) -> ``(tag, vr, kept)``: the tag, the VR (the dictionary's when missing) and
whether readers keep the attribute (not a group length).  A lookup raises DocumentError for a
malformed tag, an unknown VR or a ``privateCreator`` on an even group; answers are cached (up
to a limit), so that a lookup is usually a plain dictionary lookup."""


# --- numbered children ----------------------------------------------------------------------


def in_order(numbers: list[str | None]) -> bool:
    """Whether the ``number`` attributes are exactly "1", "2", "3"... (the common case)."""
    count = len(numbers)
    return count < len(_NUMBERS) and numbers == _NUMBERS[1 : count + 1]


def in_number_order(
    children: Sequence[_Child], numbers: list[str | None], kind: str, tag: int, gaps: bool
) -> list[_Child | None]:
    """``children`` placed by their ``number`` (the slow path: the order is not 1, 2, 3...);
    a missing number is None where ``gaps`` are allowed."""
    placed: dict[int, _Child] = {}
    for child, text in zip(children, numbers, strict=True):
        if text is None:
            raise DocumentError(f"<{kind}> without a number", tag=tag)
        match = _NUMBER.fullmatch(text)
        if match is None:
            raise DocumentError(f"<{kind}> number {text!r} is not a positive integer", tag=tag)
        number = int(match.group(1))
        if number in placed:
            raise DocumentError(f"two <{kind}> elements with number {number}", tag=tag)
        placed[number] = child
    highest = max(placed)
    missing = highest - len(placed)
    if missing and not gaps:
        absent = [n for n in range(1, highest + 1) if n not in placed][:5]
        raise DocumentError(f"no <{kind}> with number {', '.join(map(str, absent))}", tag=tag)
    if missing > len(placed) + MAX_EXTRA_GAPS:
        raise DocumentError(
            f"<{kind}> number {highest} leaves {missing} numbers missing among {len(placed)}",
            tag=tag,
        )
    return [placed.get(number) for number in range(1, highest + 1)]


def typed_values(
    texts: list[str | None], vr: str, tag: int, convert: Converter
) -> list[Value] | None:
    """The values of an element's <Value> texts in number order (None: an empty value)."""
    if len(texts) == 1 and texts[0] is None:
        return None  # a lone empty value is a zero-length element
    return convert(texts, vr, tag)


def zero_length_if_lone_empty(values: list[Value]) -> list[Value] | None:
    """A lone empty value is a zero-length element (``values`` None)."""
    if len(values) == 1 and values[0] is None:
        return None
    return values


# --- Value texts -> IR values, per VR -------------------------------------------------------


def as_text(texts: list[str | None], vr: str, tag: int) -> list[Value]:
    """The string VRs (DS and IS included): the texts exactly as they are."""
    return texts  # type: ignore[return-value]


_INT_RANGES = {
    "US": (0, 0xFFFF),
    "SS": (-0x8000, 0x7FFF),
    "UL": (0, 0xFFFFFFFF),
    "SL": (-0x80000000, 0x7FFFFFFF),
    "UV": (0, 0xFFFFFFFFFFFFFFFF),
    "SV": (-0x8000000000000000, 0x7FFFFFFFFFFFFFFF),
}


def _bad_value(text: str | None, vr: str, tag: int, why: str = "") -> ValueFormatError:
    return ValueFormatError(f"{text!r} is not a valid {vr} value{why}", tag=tag)


def _as_int(texts: list[str | None], vr: str, tag: int) -> list[Value]:
    try:
        values: list[int] = list(map(int, texts))  # type: ignore[arg-type]
        joined = "".join(texts)  # type: ignore[arg-type]
    except (TypeError, ValueError):  # an empty value, or one that does not parse
        return [_int_of(text, vr, tag) for text in texts]
    # int() also takes "1_000" and non-ASCII digits; the model does not.
    if not joined.isascii() or "_" in joined:
        return [_int_of(text, vr, tag) for text in texts]
    low, high = _INT_RANGES[vr]
    if min(values) < low or max(values) > high:
        return [_int_of(text, vr, tag) for text in texts]
    return cast(list[Value], values)


def _int_of(text: str | None, vr: str, tag: int) -> int | None:
    if text is None:
        return None
    if not text.isascii() or "_" in text:
        raise _bad_value(text, vr, tag)
    try:
        value = int(text)
    except ValueError:
        raise _bad_value(text, vr, tag) from None
    low, high = _INT_RANGES[vr]
    if not low <= value <= high:
        raise _bad_value(text, vr, tag, f" (out of range {low}..{high})")
    return value


def _as_float(texts: list[str | None], vr: str, tag: int) -> list[Value]:
    values: list[Value] = []
    append = values.append
    for text in texts:
        if text is None:
            append(None)
            continue
        try:
            value = parse_float_text(text)
        except ValueError:
            raise _bad_value(text, vr, tag) from None
        if vr == "FL":
            try:
                value = to_float32(value)
            except OverflowError:
                raise _bad_value(text, vr, tag, " (out of the 32-bit range)") from None
        append(value)
    return values


def _as_tag(texts: list[str | None], vr: str, tag: int) -> list[Value]:
    values: list[Value] = []
    for text in texts:
        if text is None:
            values.append(None)
        elif TAG_TEXT.fullmatch(text) is None:
            raise _bad_value(text, vr, tag, " (8 hexadecimal digits)")
        else:
            values.append(int(text, 16))
    return values


CONVERTERS: dict[str, Converter] = dict.fromkeys(TEXT_VRS | DECIMAL_TEXT_VRS, as_text)
"""VR -> converter of its <Value> texts; a VR missing here (SQ, binary) has no <Value>."""
CONVERTERS.update(dict.fromkeys(INT_VRS, _as_int))
CONVERTERS.update({"FL": _as_float, "FD": _as_float, "AT": _as_tag, "PN": as_text})


def value_converter(vr: str, tag: int) -> Converter:
    """The converter of ``vr``'s <Value> texts; DocumentError for a VR without <Value>."""
    convert = CONVERTERS.get(vr)
    if convert is None:
        raise DocumentError(f"<Value> under VR {vr}", tag=tag)
    return convert


# --- PersonName -----------------------------------------------------------------------------


def _up_to_last_present(parts: list[str | None], separator: str) -> str:
    end = len(parts)
    while end and parts[end - 1] is None:
        end -= 1
    return separator.join([part or "" for part in parts[:end]])


def person_name_text(groups: list[str | None]) -> str:
    """The PS3.5 text of one PersonName from its three group texts (None: group absent)."""
    return _up_to_last_present(groups, "=")


def name_group_text(components: list[str | None]) -> str:
    """The text of one name group from its five component texts (None: component absent)."""
    return _up_to_last_present(components, "^")


def check_new_group(groups: list[str | None], index: int, tag: int) -> None:
    if groups[index] is not None:
        raise DocumentError(f"two <{NAME_GROUPS[index]}> groups in one PersonName", tag=tag)


def check_new_component(components: list[str | None], index: int, tag: int) -> None:
    if components[index] is not None:
        raise DocumentError(f"two <{NAME_COMPONENTS[index]}> in one name group", tag=tag)


# --- InlineBinary and BulkData --------------------------------------------------------------


def inline_binary_value(
    text: str | None, tag: int, check: Callable[[str], str] | None = None
) -> bytes | None:
    """The bytes of an InlineBinary's base64 text (None or empty: a zero-length value).

    ``check``, if given, vets a text that is not plain base64 before it is read (the scanner
    takes the text straight from the document, and plain base64 needs no vetting).
    """
    if not text:
        return None
    try:
        return a2b_base64(text, strict_mode=True) or None
    except (BinasciiError, ValueError):
        pass
    if check is not None:
        text = check(text)
    try:  # xsd:base64Binary allows whitespace (line breaks every 76 characters, indentation)
        return a2b_base64("".join(text.split()), strict_mode=True) or None
    except (BinasciiError, ValueError) as error:
        raise ValueFormatError(f"invalid base64 in <InlineBinary>: {error}", tag=tag) from None


def bulk_data_uri(uri: str | None, uuid: str | None, tag: int) -> str:
    """The URI of a BulkData with these ``uri`` and ``uuid`` attributes (exactly one of them)."""
    if uuid is not None and uri is None:
        return UUID_URI_PREFIX + uuid
    if uri is not None and uuid is None:
        return uri
    raise DocumentError("<BulkData> needs exactly one of uri and uuid", tag=tag)
