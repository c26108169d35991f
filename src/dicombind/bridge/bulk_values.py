"""Turn what a ``bulk_data_uri_handler`` returns into an element value.

Bytes are the value field as in a little endian file and are converted the way pydicom
converts a value read from a file (text decoded with the data set's character set, split on
backslashes, padding removed; numbers unpacked).  Anything else is taken as the value itself.
"""

from __future__ import annotations

from typing import Any

from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset
from pydicom.tag import BaseTag
from pydicom.values import convert_value

from dicombind.vr import BINARY_VRS


def value_from_bulk(loaded: Any, vr: str, parent: Dataset) -> Any:
    if isinstance(loaded, bytearray | memoryview):
        loaded = bytes(loaded)
    if not isinstance(loaded, bytes) or vr in BINARY_VRS:
        return loaded
    raw = RawDataElement(BaseTag(0), vr, len(loaded), loaded, 0, False, True)
    return convert_value(vr, raw, parent._character_set)
