"""IR -> Native DICOM Model (PS3.19 Annex A.1) XML text, written directly as strings.

The layout is that of xsdata's serializer, which the typed model path uses: an XML declaration
and a newline, then ``NativeDicomModel``; DicomAttribute attributes in the order tag, vr,
keyword, privateCreator; empty elements in the short form ``<X/>``; with ``pretty``, a newline
and two spaces per level between elements (never inside text) and a final newline.  Text
escapes ``&``, ``<``, ``>`` and CR (``&#13;``, which parsers would otherwise turn into LF);
attribute values also ``"``, TAB and LF.  Characters XML 1.0 cannot carry raise
ValueFormatError.

Private data elements are written as ``gggg00ee`` plus ``privateCreator`` when their block has
a creator element in the same data set; the creator elements themselves are written as
ordinary attributes, so the blocks come back exactly as they were; a private data element
whose block has no creator element keeps its real tag and has no ``privateCreator``.  A person
name is split into groups (``=``) and components (``^``) up to the last one present in the
PS3.5 text, empty ones as empty elements, so the text can be rebuilt exactly (``Doe^`` keeps
its caret); a fourth group or a sixth component has no place in the model (ValueFormatError).

Speed matters here: the document is built as a list of strings joined once, values are
dispatched per VR to small functions, keywords and attribute heads are cached, and text that
needs no escaping (nearly all of it) costs one regex search.
"""

from __future__ import annotations

import operator
import re
import struct
from base64 import b64encode
from collections.abc import Callable
from typing import Any

from dicombind.errors import DicombindError, ValueFormatError, format_tag
from dicombind.floats import format_fd, format_fl, special_float_text
from dicombind.ir import UUID_URI_PREFIX, DataSet, Value
from dicombind.keywords import TAG_KEYWORDS
from dicombind.options import XMLWriteOptions
from dicombind.private_blocks import creator_blocks
from dicombind.vr import ALL_VRS, BINARY_VRS, DECIMAL_TEXT_VRS, FLOAT_VRS, INT_VRS, TEXT_VRS
from dicombind.xml.names import NAME_COMPONENTS, NAME_GROUPS, NATIVE_DICOM_NAMESPACE

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

_INDENT = "  "
_MORE_THAN_ONE_KIND = "more than one of values, inline binary and bulk data"
_CACHE_LIMIT = 1 << 16
_DEFAULT_OPTIONS = XMLWriteOptions()

# Anything in text that is not written as it stands: markup, CR (parsers turn it into LF) and
# the characters XML 1.0 cannot carry at all.
_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)


def _forbidden_character(text: str, tag: int) -> ValueFormatError:
    found = _FORBIDDEN.search(text)
    code = ord(found.group()) if found else 0
    return ValueFormatError(f"character U+{code:04X} cannot be written in XML 1.0", tag=tag)


def escape_text(text: str, tag: int) -> str:
    """``text`` as XML character data; raises ValueFormatError for characters XML forbids."""
    if _TEXT_SPECIAL.search(text) is None:
        return text
    if _FORBIDDEN.search(text) is not None:
        raise _forbidden_character(text, tag)
    return text.translate(_TEXT_ESCAPES)


def escape_attribute(text: str, tag: int) -> str:
    """``text`` as a double-quoted attribute value (TAB, LF and CR as character references)."""
    if _ATTRIBUTE_SPECIAL.search(text) is None:
        return text
    if _FORBIDDEN.search(text) is not None:
        raise _forbidden_character(text, tag)
    return text.translate(_ATTRIBUTE_ESCAPES)


# --- one non-empty value as text, per VR -------------------------------------------------


def _wrong_type(value: object, vr: str, tag: int) -> ValueFormatError:
    return ValueFormatError(f"{type(value).__name__} value {value!r} for VR {vr}", tag=tag)


def _int_text(value: Value, vr: str, tag: int) -> str:
    try:
        return str(operator.index(value))  # type: ignore[arg-type]
    except TypeError:
        raise _wrong_type(value, vr, tag) from None


def _float(value: Value, vr: str, tag: int) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise _wrong_type(value, vr, tag)


def _fl_text(value: Value, vr: str, tag: int) -> str:
    number = value if type(value) is float else _float(value, vr, tag)
    if number - number == 0.0:
        try:
            return format_fl(number)
        except OverflowError:
            raise ValueFormatError(f"FL value {number!r} is out of range", tag=tag) from None
    return special_float_text(number) or ""


def _fd_text(value: Value, vr: str, tag: int) -> str:
    number = value if type(value) is float else _float(value, vr, tag)
    if number - number == 0.0:
        return format_fd(number)
    return special_float_text(number) or ""


def _at_text(value: Value, vr: str, tag: int) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 0xFFFFFFFF:
        return f"{value:08X}"
    raise ValueFormatError(f"AT value {value!r} is not a 32-bit tag", tag=tag)


_NUMBER_TEXT: dict[str, Callable[[Value, str, int], str]] = dict.fromkeys(INT_VRS, _int_text)
_NUMBER_TEXT.update({"FL": _fl_text, "FD": _fd_text, "AT": _at_text})
_STRING_VRS = TEXT_VRS | DECIMAL_TEXT_VRS
# Whole-element conversions for the common case; they raise on anything unusual (an empty
# value, a wrong type), and the element is then written value by value.
_FAST_NUMBER_TEXT: dict[str, Callable[[Any], str]] = dict.fromkeys(INT_VRS, int.__repr__)
_FAST_NUMBER_TEXT.update({"FL": format_fl, "FD": float.__repr__})


def _number_texts(values: list[Value], vr: str) -> list[str] | None:
    """The texts of a whole element in the common case, else None (an empty value, NaN or an
    infinity, a wrong type, FL overflow: the caller then goes value by value)."""
    fast_text = _FAST_NUMBER_TEXT.get(vr)
    if fast_text is None:
        return None
    try:
        texts = list(map(fast_text, values))
    except (TypeError, ValueError, OverflowError, struct.error):
        return None
    # "n" is in the text of NaN and the infinities only, which have their own spelling.
    if vr in FLOAT_VRS and "n" in "".join(texts):
        return None
    return texts


# --- attribute heads ------------------------------------------------------------------------

# tag -> (vr, '<DicomAttribute tag=".." vr=".." keyword=".."'), one cache per keyword option.
_KEYWORD_HEADS: dict[int, tuple[str, str]] = {}
_PLAIN_HEADS: dict[int, tuple[str, str]] = {}


def _head(heads: dict[int, tuple[str, str]], tag: int, vr: str) -> str:
    if vr not in ALL_VRS:
        raise ValueFormatError(f"unknown VR {vr!r}", tag=tag)
    if not 0 <= tag <= 0xFFFFFFFF:
        raise ValueFormatError(f"tag {tag!r} is not a 32-bit tag", tag=None)
    if not tag & 0xFFFF:
        raise ValueFormatError("group length elements have no XML form", tag=tag)
    head = f'<DicomAttribute tag="{tag:08X}" vr="{vr}"'
    keyword = TAG_KEYWORDS[tag] if heads is _KEYWORD_HEADS else None
    if keyword:
        head = f'{head} keyword="{keyword}"'
    if len(heads) < _CACHE_LIMIT:
        heads[tag] = (vr, head)
    return head


def _private_head(tag: int, vr: str, creator: str) -> str:
    if vr not in ALL_VRS:
        raise ValueFormatError(f"unknown VR {vr!r}", tag=tag)
    return (
        f'<DicomAttribute tag="{tag & 0xFFFF00FF:08X}" vr="{vr}"'
        f' privateCreator="{escape_attribute(creator, tag)}"'
    )


def _bulk_data(uri: str, tag: int) -> str:
    if uri.startswith(UUID_URI_PREFIX):
        return f'<BulkData uuid="{escape_attribute(uri[len(UUID_URI_PREFIX) :], tag)}"/>'
    return f'<BulkData uri="{escape_attribute(uri, tag)}"/>'


def _sequence_step(tag: int, index: int) -> str:
    return f"{TAG_KEYWORDS[tag] or format_tag(tag)}[{index}]"


# --- the document ---------------------------------------------------------------------------


class _Level:
    """The fixed strings of one nesting depth (root children are at depth 1)."""

    __slots__ = ("close", "inner", "lead", "runs")

    def __init__(self, lead: str, inner: str) -> None:
        self.lead = lead
        self.inner = inner
        self.close = f"{lead}</DicomAttribute>"
        # count -> '%'-template of the rest of an attribute with that many values: '>', the
        # <Value> elements with '%s' for their text, the closing tag.
        self.runs: dict[int, str] = {}

    def run(self, count: int) -> str:
        inner = self.inner
        values = "".join(f'{inner}<Value number="{n}">%s</Value>' for n in range(1, count + 1))
        template = f">{values}{self.close}"
        if count <= _RUNS_KEPT:
            self.runs[count] = template
        return template


_RUNS_KEPT = 1024


class _Writer:
    """One document being written: the output pieces and the options as plain attributes."""

    __slots__ = ("heads", "levels", "out", "pretty")

    def __init__(self, options: XMLWriteOptions) -> None:
        self.out: list[str] = []
        self.pretty = options.pretty
        self.heads = _KEYWORD_HEADS if options.keyword else _PLAIN_HEADS
        self.levels: list[_Level] = []

    def indent(self, depth: int) -> str:
        """The whitespace before a tag at ``depth``."""
        return "\n" + _INDENT * depth if self.pretty else ""

    def level(self, depth: int) -> _Level:
        levels = self.levels
        while len(levels) <= depth:
            levels.append(_Level(self.indent(len(levels)), self.indent(len(levels) + 1)))
        return levels[depth]

    def dataset(self, dataset: DataSet, depth: int) -> None:
        append = self.out.append
        heads = self.heads
        level = self.level(depth)
        lead = level.lead
        inner = level.inner
        close = level.close
        runs = level.runs
        search = _TEXT_SPECIAL.search
        blocks: dict[int, str] | None = None
        for element in dataset:
            tag = element.tag
            vr = element.vr
            creator = None
            if tag & 0x10000 and (tag & 0xFFFF) >= 0x1000:
                if blocks is None:
                    blocks = creator_blocks(dataset)
                creator = blocks.get(((tag >> 16) << 8) | ((tag >> 8) & 0xFF))
            if creator is not None:
                head = _private_head(tag, vr, creator)
            else:
                entry = heads.get(tag)
                head = entry[1] if entry is not None and entry[0] == vr else _head(heads, tag, vr)

            values = element.values
            if values:
                if element.inline_binary is not None or element.bulk_data_uri is not None:
                    raise ValueFormatError(_MORE_THAN_ONE_KIND, tag=tag)
                count = len(values)
                if vr in _STRING_VRS:
                    # Inlined common cases: non-empty strings that need no escaping.
                    if count == 1:
                        value = values[0]
                        if isinstance(value, str) and value and search(value) is None:
                            append(f'{lead}{head}>{inner}<Value number="1">{value}</Value>{close}')
                            continue
                    else:
                        try:
                            joined: str | None = "".join(values)  # type: ignore[arg-type]
                        except TypeError:  # an empty value (None) or a wrong type
                            joined = None
                        if joined is not None and all(values) and search(joined) is None:
                            template = runs.get(count) or level.run(count)
                            append(lead + head + template % tuple(values))
                            continue
                    append(f"{lead}{head}>")
                    self.strings(values, vr, tag, inner)
                elif vr == "SQ":
                    append(f"{lead}{head}>")
                    self.items(values, tag, depth + 1)
                elif vr == "PN":
                    append(f"{lead}{head}>")
                    self.person_names(values, tag, depth + 1)
                else:
                    texts = _number_texts(values, vr)
                    if texts is not None:
                        template = runs.get(count) or level.run(count)
                        append(lead + head + template % tuple(texts))
                        continue
                    append(f"{lead}{head}>")
                    self.numbers(values, vr, tag, inner)
                append(close)
            elif element.inline_binary:
                if vr not in BINARY_VRS or element.bulk_data_uri is not None:
                    raise ValueFormatError(
                        _MORE_THAN_ONE_KIND
                        if element.bulk_data_uri is not None
                        else f"inline binary for VR {vr} (binary VRs only)",
                        tag=tag,
                    )
                encoded = b64encode(element.inline_binary).decode("ascii")
                append(f"{lead}{head}>{inner}<InlineBinary>{encoded}</InlineBinary>{close}")
            elif element.bulk_data_uri:
                bulk_data = _bulk_data(element.bulk_data_uri, tag)
                append(f"{lead}{head}>{inner}{bulk_data}{close}")
            else:
                append(f"{lead}{head}/>")

    def strings(self, values: list[Value], vr: str, tag: int, lead: str) -> None:
        """Value by value: empty values, escaping, type errors."""
        append = self.out.append
        for number, value in enumerate(values, 1):
            if not value:
                append(f'{lead}<Value number="{number}"/>')
                continue
            if not isinstance(value, str):
                raise _wrong_type(value, vr, tag)
            append(f'{lead}<Value number="{number}">{escape_text(value, tag)}</Value>')

    def numbers(self, values: list[Value], vr: str, tag: int, lead: str) -> None:
        """Value by value: empty values, NaN and the infinities, type errors."""
        to_text = _NUMBER_TEXT.get(vr)
        if to_text is None:
            raise ValueFormatError(f"VR {vr} cannot have <Value> elements", tag=tag)
        append = self.out.append
        for number, value in enumerate(values, 1):
            if value is None:
                append(f'{lead}<Value number="{number}"/>')
            else:
                append(f'{lead}<Value number="{number}">{to_text(value, vr, tag)}</Value>')

    def items(self, items: list[Value], tag: int, depth: int) -> None:
        append = self.out.append
        lead = self.level(depth).lead
        for number, item in enumerate(items, 1):
            if not item:
                append(f'{lead}<Item number="{number}"/>')
                continue
            if not isinstance(item, list):
                raise _wrong_type(item, "SQ", tag)
            append(f'{lead}<Item number="{number}">')
            try:
                self.dataset(item, depth + 1)
            except DicombindError as error:
                raise error.within(_sequence_step(tag, number - 1)) from None
            append(f"{lead}</Item>")

    def person_names(self, values: list[Value], tag: int, depth: int) -> None:
        append = self.out.append
        lead = self.indent(depth)
        group_lead = self.indent(depth + 1)
        component_lead = self.indent(depth + 2)
        for number, value in enumerate(values, 1):
            if not value:
                append(f'{lead}<PersonName number="{number}"/>')
                continue
            if not isinstance(value, str):
                raise _wrong_type(value, "PN", tag)
            groups = value.split("=")
            if len(groups) > len(NAME_GROUPS):
                raise ValueFormatError(f"person name {value!r} has more than 3 groups", tag=tag)
            append(f'{lead}<PersonName number="{number}">')
            for group_name, group in zip(NAME_GROUPS, groups, strict=False):
                if not group:
                    append(f"{group_lead}<{group_name}/>")
                    continue
                components = group.split("^")
                if len(components) > len(NAME_COMPONENTS):
                    raise ValueFormatError(
                        f"person name {value!r} has a group of more than 5 components", tag=tag
                    )
                append(f"{group_lead}<{group_name}>")
                for name, component in zip(NAME_COMPONENTS, components, strict=False):
                    if component:
                        text = escape_text(component, tag)
                        append(f"{component_lead}<{name}>{text}</{name}>")
                    else:
                        append(f"{component_lead}<{name}/>")
                append(f"{group_lead}</{group_name}>")
            append(f"{lead}</PersonName>")


def write_xml(dataset: DataSet, options: XMLWriteOptions = _DEFAULT_OPTIONS) -> str:
    """The Native DICOM Model XML document of ``dataset`` (see the module docstring).

    Raises ValueFormatError (with the tag, and the path inside sequences) for a value XML 1.0
    cannot carry or that does not fit its VR.
    """
    root = "<NativeDicomModel"
    if options.namespace:
        root += f' xmlns="{NATIVE_DICOM_NAMESPACE}"'
    if options.xml_space:
        root += ' xml:space="preserve"'
    end = "\n" if options.pretty else ""
    if not dataset:
        return f"{XML_DECLARATION}{root}/>{end}"
    writer = _Writer(options)
    writer.out.append(f"{XML_DECLARATION}{root}>")
    writer.dataset(dataset, 1)
    writer.out.append(f"{end}</NativeDicomModel>{end}")
    return "".join(writer.out)
