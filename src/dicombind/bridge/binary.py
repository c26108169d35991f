"""Byte-level rules for binary values: byte order and encapsulated pixel data."""

from __future__ import annotations

import struct
from array import array

from dicombind.vr import BINARY_WORD_SIZE

PIXEL_DATA_TAG = 0x7FE00010
_ITEM_TAG_LE = b"\xfe\xff\x00\xe0"
_ARRAY_CODE = {2: "H", 4: "I", 8: "Q"}
_item_header = struct.Struct("<4sI")


def swap_words(data: bytes, vr: str) -> bytes:
    """Reverse the byte order of every word of an OW/OF/OL/OD/OV value (big <-> little).

    OB and UN are byte streams and come back unchanged, as does a value whose length is not
    a whole number of words (it cannot be swapped meaningfully; PS3.5 forbids it anyway).
    """
    size = BINARY_WORD_SIZE.get(vr, 1)
    if size == 1 or len(data) % size:
        return data
    words = array(_ARRAY_CODE[size])
    if words.itemsize != size:  # pragma: no cover - only on exotic C ABIs
        return b"".join(data[i : i + size][::-1] for i in range(0, len(data), size))
    words.frombytes(data)
    words.byteswap()
    return words.tobytes()


def is_encapsulated(data: bytes) -> bool:
    """True when ``data`` is a complete chain of little-endian items (FFFE,E000) + length.

    That is how pydicom holds encapsulated pixel data (basic offset table item, then one
    item per fragment, no sequence delimiter).  Native pixel data practically never parses
    as such a chain, which must also end exactly at the end of the value.
    """
    end = len(data)
    if end < 8 or not data.startswith(_ITEM_TAG_LE):
        return False
    offset = 0
    while offset + 8 <= end:
        tag, length = _item_header.unpack_from(data, offset)
        if tag != _ITEM_TAG_LE or length == 0xFFFFFFFF:
            return False
        offset += 8 + length
    return offset == end
