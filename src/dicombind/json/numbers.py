"""How DS, IS, SV and UV values become JSON numbers or strings (PS3.18 Table F.2.3-1).

The DICOM JSON Model lets these four VRs be a JSON number or a JSON string.  The IR holds DS
and IS as their exact DICOM text and SV/UV as ``int``; ``JSONWriteOptions.number_handling``
picks the form:

``"string"``
    Always a string: the exact DS/IS text, ``str(int)`` for SV/UV.

``"number"``
    A JSON number.  DS/IS text that already is a JSON number literal (RFC 8259 section 6) is
    written verbatim.  Text that is a valid DICOM decimal but not a JSON literal (``"+1.5"``,
    ``"007"``, ``".5"``, ``"1."``, ``" 2 "``) is rewritten textually: surrounding spaces, a
    leading ``+`` and leading zeros go, a bare ``.`` gets its ``0``; every other digit stays
    and nothing goes through ``float``.  IS text is read with the DS grammar, so an IS holding
    ``"1.0"`` is still the number ``1.0``.  Text that is no number at all raises
    :class:`~dicombind.errors.ValueFormatError`.

``"auto"`` (the default)
    A number exactly where that loses nothing, else the exact string.  A DS/IS value is a
    number when its text already is a JSON number literal (so it appears verbatim) *and* any
    reader that holds numbers as IEEE doubles gets the same value back: an integer literal
    within +-2**53, or a literal with a fraction or exponent that has at most 15 significant
    digits (leading zeros do not count, trailing zeros do) and whose leading digit lies between
    1e-307 and 1e307.  ``"-0"`` stays a string, because readers return the integer ``0``.

SV and UV beyond +-2**53 are strings in every mode (inclusive bound: ``2**53`` itself is a
number); within it they are numbers in ``"auto"`` and ``"number"``.

An empty value inside a multi-valued element is ``null`` in every mode.  The functions here
build the inside of a JSON ``Value`` array and raise ``ValueError`` or ``TypeError`` for a
value they cannot write; the writer turns those into ``ValueFormatError`` with the tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from json.encoder import encode_basestring

from dicombind.ir import Value
from dicombind.options import NumberHandling

JSON_SAFE_INTEGER = 2**53
"""Largest magnitude up to which every integer is exact in an IEEE double."""

MAX_EXACT_DIGITS = 15
"""Significant decimal digits that survive text -> IEEE double -> text (DBL_DIG)."""

_MIN_EXACT_EXPONENT = -307
_MAX_EXACT_EXPONENT = 307

ValuesWriter = Callable[[list[Value], str], str]
"""``(values, separator) -> text`` between the brackets of the ``Value`` array."""

_JSON_NUMBER = re.compile(r"(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([-+]?[0-9]+))?")
_DICOM_DECIMAL = re.compile(r" *([-+]?)([0-9]*)(?:\.([0-9]*))?(?:([eE])([-+]?[0-9]+))? *")

# Fast paths over a whole Value array joined with ",": they only ever accept values that the
# per-value rules accept too, and leave everything else to them.  Short arrays go through one
# regex.  The "auto" regex is conservative: at most 15 mantissa characters (digits and point)
# and a two-digit exponent keep it inside the exact range.
_JSON_LITERAL = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"
_EXACT_LITERAL = (
    r"(?!-0(?:,|$))-?(?=[0-9.]{1,15}(?![0-9.]))(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
    r"(?:[eE][-+]?[0-9]{1,2})?"
)
_JSON_LITERAL_LIST = re.compile(f"{_JSON_LITERAL}(?:,{_JSON_LITERAL})*")
_EXACT_LITERAL_LIST = re.compile(f"{_EXACT_LITERAL}(?:,{_EXACT_LITERAL})*")
# Long arrays (an MLC's 120 leaf positions) are checked with a few scans of the whole text,
# each far cheaper than the regex's work per value.  They accept only plain decimals
# (-?digits[.digits], no exponent), which is what such arrays hold.
_BULK_CHECK_MIN_LENGTH = 64
_NOT_PLAIN_DECIMAL_CHARS = str.maketrans("", "", "0123456789.,-")
_DIGITS_AND_POINT_AS_X = str.maketrans("0123456789.", "xxxxxxxxxxx")
_MISPLACED_SIGN_OR_POINT = (",,", ",.", "-,", "-.", ".,")
_LEADING_ZERO = re.compile(r",-?0[0-9]")
_TWO_POINTS = re.compile(r"\.[0-9]*\.")
_LONG_MANTISSA = "x" * 16


# DS/IS texts already found exact: real data repeats them a lot (MLC leaf positions, "0",
# angles), and a set look-up is far cheaper than any text check.  Bounded; emptied when full.
_EXACT_TEXTS: set[str] = set()
_EXACT_TEXTS_LIMIT = 1 << 15


def _plain_literals(text: str, count: int, exact: bool) -> bool:
    """True if ``text`` is ``count`` JSON number literals joined by "," (``exact``: that
    "auto" may write as numbers); False means "decide value by value"."""
    if len(text) < _BULK_CHECK_MIN_LENGTH:
        pattern = _EXACT_LITERAL_LIST if exact else _JSON_LITERAL_LIST
        # A comma inside a value would split it in two: count them.
        return pattern.fullmatch(text) is not None and text.count(",") == count - 1
    if text.translate(_NOT_PLAIN_DECIMAL_CHARS):
        return False
    framed = f",{text},"
    if framed.count(",") != count + 1 or framed.count("-") != framed.count(",-"):
        return False  # a comma inside a value, or a sign that does not open one
    for pair in _MISPLACED_SIGN_OR_POINT:
        if pair in framed:
            return False
    if _LEADING_ZERO.search(framed) or _TWO_POINTS.search(framed):
        return False
    if not exact:
        return True
    return ",-0," not in framed and _LONG_MANTISSA not in text.translate(_DIGITS_AND_POINT_AS_X)


def json_number_text(text: str) -> str | None:
    """The JSON number literal for DICOM DS/IS ``text``, or None if it is no decimal number.

    Purely textual: ``"+007.50"`` -> ``"7.50"``, ``".5"`` -> ``"0.5"``, ``"1."`` -> ``"1"``.
    """
    if _JSON_NUMBER.fullmatch(text):
        return text
    match = _DICOM_DECIMAL.fullmatch(text)
    if match is None:
        return None
    sign, integer, fraction, e, exponent = match.groups()
    if not integer and not fraction:
        return None
    integer = integer.lstrip("0") or "0"
    parts = ["-" if sign == "-" else "", integer]
    if fraction:
        parts += (".", fraction)
    if e:
        parts += (e, exponent)
    return "".join(parts)


def is_exact_json_number(text: str) -> bool:
    """True if ``text`` is a JSON number literal that an IEEE-double reader gets back exactly.

    See the module docstring for the rule.
    """
    match = _JSON_NUMBER.fullmatch(text)
    if match is None:
        return False
    sign, integer, fraction, exponent = match.groups()
    if fraction is None and exponent is None:
        if len(integer) > 16 or (sign and integer == "0"):
            return False
        return int(integer) <= JSON_SAFE_INTEGER
    digits = integer + (fraction or "")
    significant = digits.lstrip("0")
    if not significant:
        return True  # a zero
    if len(significant) > MAX_EXACT_DIGITS:
        return False
    # Decimal exponent of the leading significant digit.
    leading = len(integer) - 1 if integer != "0" else -(len(digits) - len(significant))
    leading += int(exponent) if exponent else 0
    return _MIN_EXACT_EXPONENT <= leading <= _MAX_EXACT_EXPONENT


def quoted_text(value: Value) -> str:
    """A text value as a JSON string, an empty one as ``null``."""
    if value is None:
        return "null"
    if type(value) is not str:
        raise TypeError(f"value {value!r} is not a str")
    return encode_basestring(value)


def _number(value: Value) -> str:
    if value is None:
        return "null"
    if type(value) is not str:
        raise TypeError(f"DS/IS value {value!r} is not a str")
    number = json_number_text(value)
    if number is None:
        raise ValueError(f"DS/IS value {value!r} is not a decimal number")
    return number


def _auto(value: Value) -> str:
    if value is None:
        return "null"
    if type(value) is not str:
        raise TypeError(f"DS/IS value {value!r} is not a str")
    return value if is_exact_json_number(value) else encode_basestring(value)


def _decimal_strings(values: list[Value], sep: str) -> str:
    try:
        return sep.join(map(encode_basestring, values))  # type: ignore[arg-type]
    except TypeError:
        return sep.join(map(quoted_text, values))


def _decimal_numbers(values: list[Value], sep: str) -> str:
    try:
        if _EXACT_TEXTS.issuperset(values):
            return sep.join(values)  # type: ignore[arg-type]
        text = ",".join(values)  # type: ignore[arg-type]
    except TypeError:  # an empty value (None), or not a str at all
        return sep.join(map(_number, values))
    if _plain_literals(text, len(values), exact=False):
        return text if sep == "," else sep.join(values)  # type: ignore[arg-type]
    return sep.join(map(_number, values))


def _decimal_auto(values: list[Value], sep: str) -> str:
    try:
        if _EXACT_TEXTS.issuperset(values):
            return sep.join(values)  # type: ignore[arg-type]
        unknown = set(values).difference(_EXACT_TEXTS)
        text = ",".join(unknown)  # type: ignore[arg-type]
    except TypeError:  # an empty value (None), or not a str at all
        return sep.join(map(_auto, values))
    if not _plain_literals(text, len(unknown), exact=True):
        return sep.join(map(_auto, values))
    if len(_EXACT_TEXTS) > _EXACT_TEXTS_LIMIT:
        _EXACT_TEXTS.clear()
    _EXACT_TEXTS.update(unknown)  # type: ignore[arg-type]
    return sep.join(values)  # type: ignore[arg-type]


def _int64_text(value: Value, quote_all: bool) -> str:
    if value is None:
        return "null"
    if type(value) is not int:
        raise TypeError(f"SV/UV value {value!r} is not an int")
    text = int.__repr__(value)
    if quote_all or not -JSON_SAFE_INTEGER <= value <= JSON_SAFE_INTEGER:
        return f'"{text}"'
    return text


def _int64_numbers(values: list[Value], sep: str) -> str:
    return sep.join([_int64_text(value, False) for value in values])


def _int64_strings(values: list[Value], sep: str) -> str:
    return sep.join([_int64_text(value, True) for value in values])


_DECIMAL_WRITERS: dict[str, ValuesWriter] = {
    "auto": _decimal_auto,
    "number": _decimal_numbers,
    "string": _decimal_strings,
}
_INT64_WRITERS: dict[str, ValuesWriter] = {
    "auto": _int64_numbers,
    "number": _int64_numbers,
    "string": _int64_strings,
}


def decimal_values_writer(mode: NumberHandling) -> ValuesWriter:
    """The writer of DS/IS ``Value`` arrays for ``mode``."""
    try:
        return _DECIMAL_WRITERS[mode]
    except KeyError:
        raise ValueError(f"unknown number_handling {mode!r}") from None


def int64_values_writer(mode: NumberHandling) -> ValuesWriter:
    """The writer of SV/UV ``Value`` arrays for ``mode``."""
    try:
        return _INT64_WRITERS[mode]
    except KeyError:
        raise ValueError(f"unknown number_handling {mode!r}") from None
