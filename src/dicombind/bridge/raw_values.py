"""Encode IR values as the bytes of a value field, the way a DICOM file holds them.

The bridge hands pydicom ``RawDataElement``s built from these bytes, so the data set it
returns behaves exactly like one ``dcmread`` returns: values are converted by pydicom itself on
first access, and ``dcmwrite`` writes the bytes as they are when the encoding matches.
Text that is not ASCII is not encoded here (``encode_value`` returns None): its bytes depend
on the character set, which pydicom's own encoder applies when the data set is written.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from dicombind.errors import ValueFormatError
from dicombind.ir import Value
from dicombind.vr import (
    DECIMAL_TEXT_VRS,
    DEFAULT_REPERTOIRE_VRS,
    FLOAT_VRS,
    INT_VRS,
    SINGLE_VALUED_TEXT_VRS,
    TEXT_VRS,
)

_STRUCT_CODE = {
    "US": "H",
    "SS": "h",
    "UL": "I",
    "SL": "i",
    "UV": "Q",
    "SV": "q",
    "FL": "f",
    "FD": "d",
}

Encoder = Callable[[str, list[Value], str], bytes | None]


def _encode_text(vr: str, values: list[Value], byte_order: str) -> bytes | None:
    if len(values) == 1:
        text = values[0]
        if not isinstance(text, str):
            raise ValueFormatError(f"{vr} value must be text, not {type(text).__name__}")
        if "\\" in text and vr not in SINGLE_VALUED_TEXT_VRS:
            raise ValueFormatError(
                f"{vr} value {text!r} contains a backslash, which separates values in DICOM"
            )
    else:
        if vr in SINGLE_VALUED_TEXT_VRS:
            raise ValueFormatError(f"{vr} is single-valued but has {len(values)} values")
        parts = ["" if v is None else v for v in values] if None in values else values
        try:
            text = "\\".join(parts)  # type: ignore[arg-type]
        except TypeError:
            raise ValueFormatError(f"{vr} values must be text: {values!r:.80}") from None
        if text.count("\\") != len(values) - 1:  # one of the values holds a backslash
            raise ValueFormatError(
                f"{vr} value contains a backslash, which separates values in DICOM"
            )
    if not text.isascii():
        if vr in DEFAULT_REPERTOIRE_VRS:
            raise ValueFormatError(
                f"{vr} allows only the default character repertoire: {text!r:.60}"
            )
        return None
    data = text.encode("ascii")
    if len(data) & 1:
        data += b"\x00" if vr == "UI" else b" "
    return data


def _encode_numbers(vr: str, values: list[Value], byte_order: str) -> bytes:
    if None in values:
        raise ValueFormatError(f"{vr} has an empty value, which its binary form cannot hold")
    try:
        return struct.pack(f"{byte_order}{len(values)}{_STRUCT_CODE[vr]}", *values)
    except struct.error as exc:
        raise ValueFormatError(f"{vr} value out of range or of the wrong type: {exc}") from exc


def _encode_tags(vr: str, values: list[Value], byte_order: str) -> bytes:
    halves: list[int] = []
    for value in values:
        if not isinstance(value, int) or not 0 <= value <= 0xFFFFFFFF:
            raise ValueFormatError(f"AT value {value!r} is not a tag")
        halves += (value >> 16, value & 0xFFFF)
    return struct.pack(f"{byte_order}{len(halves)}H", *halves)


ENCODERS: dict[str, Encoder] = {vr: _encode_text for vr in TEXT_VRS | DECIMAL_TEXT_VRS}
ENCODERS["PN"] = _encode_text
ENCODERS.update({vr: _encode_numbers for vr in INT_VRS | FLOAT_VRS})
ENCODERS["AT"] = _encode_tags


def encode_value(vr: str, values: list[Value], byte_order: str) -> bytes | None:
    """The value field of ``values`` (``byte_order`` ``"<"`` or ``">"``), or None when the
    text is not ASCII and must be left to pydicom's character set encoder."""
    return ENCODERS[vr](vr, values, byte_order)
