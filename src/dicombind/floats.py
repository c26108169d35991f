"""FL/FD values as text, shared by the XML and JSON writers and readers.

NaN and the infinities have no JSON number form; both models write them as the strings
``"NaN"``, ``"Infinity"`` and ``"-Infinity"`` (the spelling fo-dicom and Azure write) and
read every common spelling.  FL values are written as the shortest text that gives back the
same 32-bit float, so ``0.1`` stays ``0.1`` rather than ``0.10000000149011612``.
"""

from __future__ import annotations

import math
import struct

NAN_TEXT = "NaN"
POS_INF_TEXT = "Infinity"
NEG_INF_TEXT = "-Infinity"

_SPECIAL_FLOATS = {
    "nan": math.nan,
    "+nan": math.nan,
    "-nan": math.nan,
    "inf": math.inf,
    "+inf": math.inf,
    "infinity": math.inf,
    "+infinity": math.inf,
    "-inf": -math.inf,
    "-infinity": -math.inf,
}

_f32 = struct.Struct("<f")


def special_float_text(value: float) -> str | None:
    """The string spelling of NaN/±Infinity, or None for a finite value."""
    if value != value:
        return NAN_TEXT
    if value == math.inf:
        return POS_INF_TEXT
    if value == -math.inf:
        return NEG_INF_TEXT
    return None


def to_float32(value: float) -> float:
    """The double nearest to ``value`` that a 32-bit float can hold (what FL stores)."""
    result: float = _f32.unpack(_f32.pack(value))[0]
    return result


def format_fd(value: float) -> str:
    """Shortest text that reads back as the same double (finite values only)."""
    return repr(value)


def format_fl(value: float) -> str:
    """Shortest text that reads back as the same 32-bit float (finite values only)."""
    target = _f32.pack(value)
    for digits in range(6, 10):
        text = f"{value:.{digits}g}"
        if _f32.pack(float(text)) == target:
            return _plain(text) if "e" not in text else text
    return repr(value)


def _plain(text: str) -> str:
    # "%g" drops the ".0" of whole numbers; keep it so the text still reads as a float.
    return text if ("." in text or "n" in text) else text + ".0"


def parse_float_text(text: str) -> float:
    """Parse a finite float or any accepted NaN/Infinity spelling; raise ValueError else."""
    try:
        return float(text)
    except ValueError:
        special = _SPECIAL_FLOATS.get(text.strip().lower())
        if special is None:
            raise
        return special
