"""A fast path for reading Native DICOM Model XML: a scanner specialised to the PS3.19 schema.

``scan_xml(document)`` reads a strict subset of XML straight into the IR, and returns None for
anything outside it; :func:`dicombind.xml.reader.read_xml` then reads the document with lxml,
which owns all error reporting and all tolerance.  So the scanner never raises for bad input
and never returns an IR the lxml path would not return: every decision about values (typed
values per VR, number order, person names, inline binary, private blocks) is the reader's own,
taken from :mod:`dicombind.xml.values` and :mod:`dicombind.private_blocks`.

The subset: UTF-8 (bytes, or str); an optional XML declaration (version 1.0, encoding UTF-8);
the root ``NativeDicomModel`` with no attributes but the model's default namespace and
``xml:space="preserve"``; DicomAttribute (``tag``, ``vr``, ``keyword``, ``privateCreator``),
Value, Item, PersonName, the name groups (``SingleByte`` included) and components,
InlineBinary, BulkData (``uri`` or ``uuid``); attributes in any order and either quote;
self-closing forms; whitespace between elements; text with the five predefined entities and
character references.  Anything else (comments, CDATA, processing instructions, DOCTYPE,
namespace prefixes, other elements or attributes, text where only whitespace belongs, a
forbidden character) is outside, and so is any document the model refuses.

How: one precompiled regular expression per place in the grammar, matched at the current
position; each consumes the whitespace before its token, and a position where none matches
ends the scan with None, so every character of an accepted document is consumed by a token.
The common forms of a whole attribute are single tokens (a DicomAttribute with one or two
Values, or empty).  A run of Values is read without a token per Value: the texts come out of one
``findall``, and the run must then be exactly the in-order Values rebuilt from them with the
run's own indentation, else the run is read Value by Value.
"""

from __future__ import annotations

import re
from typing import cast

from dicombind.errors import DicombindError
from dicombind.ir import DataSet, Element, Value
from dicombind.private_blocks import place_private_elements
from dicombind.vr import BINARY_VRS
from dicombind.xml.names import (
    BULK_DATA,
    DICOM_ATTRIBUTE,
    INLINE_BINARY,
    ITEM,
    NAME_COMPONENTS,
    NAME_GROUPS,
    NATIVE_DICOM_NAMESPACE,
    PERSON_NAME,
    ROOT,
    SINGLE_BYTE,
    VALUE,
)
from dicombind.xml.values import (
    ATTRIBUTE_HEADS,
    CONVERTERS,
    MAX_SEQUENCE_DEPTH,
    as_text,
    bulk_data_uri,
    check_new_component,
    check_new_group,
    in_number_order,
    in_order,
    inline_binary_value,
    name_group_text,
    person_name_text,
    typed_values,
    value_converter,
    zero_length_if_lone_empty,
)

__all__ = ["scan_xml"]


class _Refused(Exception):
    """The document is outside the subset (or the model refuses it): the lxml path decides."""


# --- the tokens -----------------------------------------------------------------------------

# XML whitespace once line ends are normalised (CR never reaches the patterns).
_S = "[ \\t\\n]"
# Characters XML 1.0 forbids in a document, left out of every character class below.
_FORBIDDEN = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ud800-\\udfff\\ufffe\\uffff"
# Text without references and without "]" (so never "]]>"): the fast paths take it as it is.
_PLAIN_TEXT = f"[^<&\\]{_FORBIDDEN}]*+"
# Any text; references are resolved and "]]>" refused afterwards.
_TEXT = f"[^<{_FORBIDDEN}]*+"
_QUOTED = f"(?:\"[^\"<{_FORBIDDEN}]*+\"|'[^'<{_FORBIDDEN}]*+')"
_ATTRIBUTE = f"{_S}++([A-Za-z:]++){_S}*+={_S}*+({_QUOTED})"
_ATTRIBUTES = f"((?:{_S}++[A-Za-z:]++{_S}*+={_S}*+{_QUOTED})*+)"
# The number attribute: its digits when they are plain, else its quoted value.
_NUMBER = f'{_S}++number{_S}*+={_S}*+(?:"([0-9]++)"|({_QUOTED}))'
_ATTRIBUTE_END = f"</{DICOM_ATTRIBUTE}{_S}*+>"

_ENCODING_NAME = "[A-Za-z][A-Za-z0-9._-]*+"
# The XML declaration if there is one (groups: the encoding in either quotes), then the root
# start tag (its attributes, "/" if it is empty).
_PROLOG = re.compile(
    f"(?:<\\?xml{_S}++version{_S}*+={_S}*+(?:\"1\\.0\"|'1\\.0')"
    f"(?:{_S}++encoding{_S}*+={_S}*+(?:\"({_ENCODING_NAME})\"|'({_ENCODING_NAME})'))?"
    f"(?:{_S}++standalone{_S}*+={_S}*+(?:\"(?:yes|no)\"|'(?:yes|no)'))?{_S}*+\\?>)?"
    f"{_S}*+<{ROOT}{_ATTRIBUTES}{_S}*+(/?)>"
)
_DOCUMENT_END = re.compile(f"{_S}*+\\Z")
_ROOT_END = re.compile(f"{_S}*+</{ROOT}{_S}*+>{_S}*+\\Z")
_ONE_ATTRIBUTE = re.compile(_ATTRIBUTE)
_ROOT_NAMES = frozenset(("xmlns", "xml:space"))

_CONTENT_KINDS = f"{VALUE}|{ITEM}|{PERSON_NAME}|{INLINE_BINARY}|{BULK_DATA}"
# The next token of a data set, in the forms our writer and DCMTK write: a DicomAttribute
# (groups tag, vr, privateCreator) with the texts of its one or two Values (the whole attribute
# is then one token), or empty, or open with the name of its first child; else </Item>.
_ATTRIBUTE_HEAD = re.compile(
    f"{_S}*+(?:"
    f'<{DICOM_ATTRIBUTE} tag="([0-9A-Fa-f]{{8}})" vr="([A-Z]{{2}})"'
    f'(?: keyword="[^"<&{_FORBIDDEN}]*+")?(?: privateCreator="([^"<&\\t\\n{_FORBIDDEN}]*+)")?'
    f'(?:>{_S}*+<{VALUE} number="1">({_PLAIN_TEXT})</{VALUE}>{_S}*+'
    f'(?:<{VALUE} number="2">({_PLAIN_TEXT})</{VALUE}>{_S}*+)?{_ATTRIBUTE_END}'
    f"|(/>|>{_S}*+{_ATTRIBUTE_END})"
    f"|>(?={_S}*+<({_CONTENT_KINDS})))"
    f"|(</{ITEM}{_S}*+>))"
)
# Any other DicomAttribute start tag: its attributes, then "/" (empty) or "".
_ANY_ATTRIBUTE_HEAD = re.compile(f"{_S}*+<{DICOM_ATTRIBUTE}{_ATTRIBUTES}{_S}*+(/?)>")
_ATTRIBUTE_NAMES = frozenset(("tag", "vr", "keyword", "privateCreator"))
_CONTENT = re.compile(f"{_S}*+(?:<({_CONTENT_KINDS})|{_ATTRIBUTE_END})")

_CLOSE_TAG = f"</{DICOM_ATTRIBUTE}>"
# The texts of a run of Values (checked afterwards by rebuilding the run from them); an empty
# one is not found, so that the run is then read Value by Value.
_RUN_TEXTS = re.compile(f'">([^<&\\]{_FORBIDDEN}]++)</{VALUE}>')
# One Value (number, quoted number, text unless empty), or the end of the attribute.
_VALUE = re.compile(
    f"{_S}*+(?:<{VALUE}{_NUMBER}{_S}*+(?:/>|>({_TEXT})</{VALUE}{_S}*+>)|{_ATTRIBUTE_END})"
)
# One Item start tag (number, quoted number, "/" when empty or ""), or the end of the attribute.
_ITEM = re.compile(f"{_S}*+(?:<{ITEM}{_NUMBER}{_S}*+(/?)>|{_ATTRIBUTE_END})")
_PERSON_NAME = re.compile(f"{_S}*+(?:<{PERSON_NAME}{_NUMBER}{_S}*+(/?)>|{_ATTRIBUTE_END})")
_GROUP_INDEX = {name: index for index, name in enumerate(NAME_GROUPS)}
_GROUP_INDEX[SINGLE_BYTE] = 0
_GROUP_NAMES = "|".join(_GROUP_INDEX)
# One name group start tag (name, "/" when empty or ""), or the end of the PersonName.
_GROUP = re.compile(f"{_S}*+(?:<({_GROUP_NAMES}){_S}*+(/?)>|</{PERSON_NAME}{_S}*+>)")
_COMPONENT_INDEX = {name: index for index, name in enumerate(NAME_COMPONENTS)}
# One name component (name, text) or the end of a group (its name).
_COMPONENT = re.compile(
    f"{_S}*+(?:<({'|'.join(NAME_COMPONENTS)}){_S}*+(?:/>|>({_TEXT})</\\1{_S}*+>)"
    f"|</({_GROUP_NAMES}){_S}*+>)"
)
# Its text is taken as it is and vetted only when it is not plain base64 (_vetted_text).
_INLINE_BINARY = re.compile(
    f"{_S}*+<{INLINE_BINARY}{_S}*+(?:/>|>([^<]*+)</{INLINE_BINARY}{_S}*+>){_S}*+{_ATTRIBUTE_END}"
)
_FORBIDDEN_CHARACTER = re.compile(f"[{_FORBIDDEN}]")
_BULK_DATA = re.compile(
    f"{_S}*+<{BULK_DATA}{_ATTRIBUTES}{_S}*+(?:/>|>{_S}*+</{BULK_DATA}{_S}*+>){_S}*+{_ATTRIBUTE_END}"
)
_BULK_DATA_NAMES = frozenset(("uri", "uuid"))

_REFERENCE = re.compile("&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6}));|&")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}

_FIRST_VALUE = f'<{VALUE} number="1">'
_VALUE_END = f"</{VALUE}>"
# Indentation -> the markup between the texts of Values n - 1 and n, for n = 2, 3, ... (never
# changed; bounded: a few indentations, a few thousand Values each).
_BETWEEN_VALUES: dict[str, list[str]] = {}
_INDENTATIONS_KEPT = 32
_BETWEEN_VALUES_KEPT = 4096


# --- text and attribute values --------------------------------------------------------------


def _character(match: re.Match[str]) -> str:
    name, decimal, hexadecimal = match.groups()
    if name is not None:
        return _PREDEFINED[name]
    if decimal is not None:
        code = int(decimal)
    elif hexadecimal is not None:
        code = int(hexadecimal, 16)
    else:
        raise _Refused  # a bare "&", or a reference to an entity no DTD declares
    if (
        0x20 <= code <= 0xD7FF
        or code in (0x9, 0xA, 0xD)
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    ):
        return chr(code)
    raise _Refused  # a character reference to a character XML 1.0 forbids


def _text(raw: str) -> str:
    """Character data as the parser delivers it."""
    if "]]>" in raw:
        raise _Refused  # not allowed in content
    if "&" in raw:
        return _REFERENCE.sub(_character, raw)
    return raw


def _vetted_text(raw: str) -> str:
    """``_text`` of text taken without a character class that leaves out forbidden ones."""
    if _FORBIDDEN_CHARACTER.search(raw) is not None:
        raise _Refused
    return _text(raw)


def _attribute_value(quoted: str) -> str:
    """An attribute value as the parser delivers it (``quoted`` still has its quotes):
    whitespace characters as spaces, then references resolved."""
    raw = quoted[1:-1]
    if "\t" in raw or "\n" in raw:
        raw = raw.replace("\t", " ").replace("\n", " ")
    if "&" in raw:
        return _REFERENCE.sub(_character, raw)
    return raw


def _attributes(matched: str, allowed: frozenset[str]) -> dict[str, str]:
    """The attributes an ``_ATTRIBUTES`` group matched; only ``allowed`` names, each once."""
    attributes: dict[str, str] = {}
    for name, quoted in _ONE_ATTRIBUTE.findall(matched):
        if name not in allowed or name in attributes:
            raise _Refused
        attributes[name] = _attribute_value(quoted)
    return attributes


def _decoded(document: bytes | str) -> str | None:
    """The document as text with line ends normalised (XML 1.0 2.11), or None if it is not
    UTF-8."""
    if isinstance(document, str):
        text = document
        if text.startswith("\ufeff"):  # a byte order mark in text: left to lxml
            return None
    else:
        try:
            text = bytes(document).decode("utf-8")
        except UnicodeDecodeError:
            return None
        if text.startswith("\ufeff"):  # the byte order mark
            text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# --- the scanner ----------------------------------------------------------------------------


def _between_values(lead: str, count: int) -> list[str]:
    """The markup between the texts of ``count`` Values, each indented by ``lead`` (at least
    ``count - 1`` pieces)."""
    pieces = _BETWEEN_VALUES.get(lead)
    if pieces is None or len(pieces) < count - 1:
        pieces = [
            f'{_VALUE_END}{lead}<{VALUE} number="{number}">'
            for number in range(2, max(count, 64) + 1)
        ]
        if len(pieces) <= _BETWEEN_VALUES_KEPT and (
            lead in _BETWEEN_VALUES or len(_BETWEEN_VALUES) < _INDENTATIONS_KEPT
        ):
            _BETWEEN_VALUES[lead] = pieces
    return pieces


class _Scanner:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def document(self) -> DataSet:
        text = self.text
        match = _PROLOG.match(text)
        if match is None:
            raise _Refused
        encoding = match.group(1) if match.group(1) is not None else match.group(2)
        if encoding is not None and encoding.lower() != "utf-8":
            raise _Refused
        root = _attributes(match.group(3), _ROOT_NAMES)
        if root.get("xmlns", NATIVE_DICOM_NAMESPACE) != NATIVE_DICOM_NAMESPACE:
            raise _Refused
        if root.get("xml:space", "preserve") != "preserve":
            raise _Refused
        if match.group(4):  # <NativeDicomModel/>
            end = _DOCUMENT_END
            dataset: DataSet = []
            pos = match.end()
        else:
            end = _ROOT_END
            dataset, pos = self.dataset(match.end(), 0)
        if end.match(text, pos) is None:
            raise _Refused
        return dataset

    def dataset(self, pos: int, depth: int) -> tuple[DataSet, int]:
        """The data set from ``pos`` on and the position after it: after its ``</Item>`` in
        an item (``depth`` > 0), before ``</NativeDicomModel>`` at the top."""
        text = self.text
        elements: list[Element] = []
        append = elements.append
        head = _ATTRIBUTE_HEAD.match
        heads = ATTRIBUTE_HEADS
        converters = CONVERTERS
        while True:
            match = head(text, pos)
            if match is not None:
                tag_text, vr_text, creator, first, second, empty, kind, item_end = match.groups()
                pos = match.end()
                if item_end is not None:
                    if not depth:
                        raise _Refused
                    return place_private_elements(elements), pos
                tag, vr, kept = heads[tag_text, vr_text, creator]
                element = Element(tag, vr, None, None, None, creator)
                if first is not None:
                    convert = converters.get(vr)
                    if convert is None:
                        raise _Refused  # no <Value> for this VR
                    if second is not None:
                        texts = [first or None, second or None]
                        element.values = texts if convert is as_text else convert(texts, vr, tag)
                    elif first:  # else a lone empty value: a zero-length element
                        element.values = (
                            [first] if convert is as_text else convert([first], vr, tag)
                        )
                elif kind == VALUE:
                    pos = self.values(element, pos)
                elif empty is None:
                    pos = self.content(element, pos, depth, kind)
            else:
                match = _ANY_ATTRIBUTE_HEAD.match(text, pos)
                if match is None:
                    if depth:
                        raise _Refused  # an item ends with </Item>
                    return place_private_elements(elements), pos
                attributes = _attributes(match.group(1), _ATTRIBUTE_NAMES)
                creator = attributes.get("privateCreator")
                tag, vr, kept = heads[attributes.get("tag"), attributes.get("vr"), creator]
                element = Element(tag, vr, None, None, None, creator)
                pos = match.end()
                if not match.group(2):
                    pos = self.content(element, pos, depth, None)
            if kept:
                append(element)

    def content(self, element: Element, pos: int, depth: int, kind: str | None) -> int:
        """Read what an open DicomAttribute holds (``kind``: the name of its first child, if
        known) into ``element``; the position after its end tag."""
        if kind is None:
            match = _CONTENT.match(self.text, pos)
            if match is None:
                raise _Refused
            kind = match.group(1)
            if kind is None:  # </DicomAttribute> at once: zero-length
                return match.end()
        if kind == VALUE:
            return self.values(element, pos)
        if kind == ITEM:
            return self.items(element, pos, depth)
        if kind == PERSON_NAME:
            return self.person_names(element, pos)
        if kind == INLINE_BINARY:
            return self.inline_binary(element, pos)
        return self.bulk_data(element, pos)

    # Value

    def values(self, element: Element, pos: int) -> int:
        vr = element.vr
        tag = element.tag
        convert = value_converter(vr, tag)
        run = self.value_run(pos)
        texts, pos = run if run is not None else self.values_one_by_one(pos, tag)
        element.values = typed_values(texts, vr, tag, convert)
        return pos

    def value_run(self, pos: int) -> tuple[list[str | None], int] | None:
        """The texts of the Values from ``pos`` to ``</DicomAttribute>`` and the position after
        that, if the Values hold plain text, none empty, numbered 1, 2, 3... and evenly
        indented (the run is then exactly its markup filled in with the texts); else None."""
        text = self.text
        end = text.find(_CLOSE_TAG, pos)
        if end < 0:
            return None
        texts: list[str] = _RUN_TEXTS.findall(text, pos, end)
        if not texts:
            return None
        lead = text[pos : text.find("<", pos)]
        tail = text[text.rfind(">", pos, end) + 1 : end]
        if lead.strip(" \t\n") or tail.strip(" \t\n"):
            return None
        count = len(texts)
        rebuilt = [lead + _FIRST_VALUE] * (2 * count + 1)
        rebuilt[1::2] = texts
        rebuilt[2:-1:2] = _between_values(lead, count)[: count - 1]
        rebuilt[-1] = _VALUE_END + tail
        run = "".join(rebuilt)
        if len(run) != end - pos or not text.startswith(run, pos):
            return None
        return cast(list[str | None], texts), end + len(_CLOSE_TAG)

    def values_one_by_one(self, pos: int, tag: int) -> tuple[list[str | None], int]:
        text = self.text
        numbers: list[str | None] = []
        texts: list[str | None] = []
        while True:
            match = _VALUE.match(text, pos)
            if match is None:
                raise _Refused
            pos = match.end()
            digits, quoted, raw = match.groups()
            if digits is None and quoted is None:  # </DicomAttribute>
                break
            numbers.append(digits if digits is not None else _attribute_value(quoted))
            texts.append(_text(raw) if raw else None)
        if in_order(numbers):
            return texts, pos
        placed = in_number_order(texts, numbers, VALUE, tag, gaps=True)
        return placed, pos

    # Item

    def items(self, element: Element, pos: int, depth: int) -> int:
        if element.vr != "SQ" or depth >= MAX_SEQUENCE_DEPTH:
            raise _Refused
        text = self.text
        numbers: list[str | None] = []
        items: list[Value] = []
        while True:
            match = _ITEM.match(text, pos)
            if match is None:
                raise _Refused
            pos = match.end()
            digits, quoted, slash = match.groups()
            if slash is None:  # </DicomAttribute>
                break
            numbers.append(digits if digits is not None else _attribute_value(quoted))
            if slash:
                items.append([])
            else:
                dataset, pos = self.dataset(pos, depth + 1)
                items.append(dataset)
        if not in_order(numbers):
            items = cast(
                list[Value], in_number_order(items, numbers, ITEM, element.tag, gaps=False)
            )
        element.values = items
        return pos

    # PersonName

    def person_names(self, element: Element, pos: int) -> int:
        if element.vr != "PN":
            raise _Refused
        text = self.text
        tag = element.tag
        numbers: list[str | None] = []
        names: list[Value] = []
        while True:
            match = _PERSON_NAME.match(text, pos)
            if match is None:
                raise _Refused
            pos = match.end()
            digits, quoted, slash = match.groups()
            if slash is None:  # </DicomAttribute>
                break
            numbers.append(digits if digits is not None else _attribute_value(quoted))
            if slash:
                names.append(None)
            else:
                name, pos = self.person_name(pos, tag)
                names.append(name)
        if not in_order(numbers):
            names = in_number_order(names, numbers, PERSON_NAME, tag, gaps=True)
        element.values = zero_length_if_lone_empty(names)
        return pos

    def person_name(self, pos: int, tag: int) -> tuple[str | None, int]:
        """The text of the name groups from ``pos`` on (None: there are none) and the position
        after ``</PersonName>``."""
        text = self.text
        groups: list[str | None] = [None, None, None]
        present = False
        while True:
            match = _GROUP.match(text, pos)
            if match is None:
                raise _Refused
            pos = match.end()
            group_name, slash = match.groups()
            if group_name is None:  # </PersonName>
                return (person_name_text(groups) if present else None), pos
            index = _GROUP_INDEX[group_name]
            check_new_group(groups, index, tag)
            components: list[str | None] = [None] * len(NAME_COMPONENTS)
            if not slash:
                pos = self.name_components(pos, group_name, components, tag)
            groups[index] = name_group_text(components)
            present = True

    def name_components(
        self, pos: int, group_name: str, components: list[str | None], tag: int
    ) -> int:
        """Fill ``components`` from the group's content; the position after its end tag."""
        text = self.text
        while True:
            match = _COMPONENT.match(text, pos)
            if match is None:
                raise _Refused
            pos = match.end()
            name, raw, end_name = match.groups()
            if name is None:
                if end_name != group_name:
                    raise _Refused
                return pos
            index = _COMPONENT_INDEX[name]
            check_new_component(components, index, tag)
            components[index] = _text(raw) if raw else ""

    # InlineBinary and BulkData

    def inline_binary(self, element: Element, pos: int) -> int:
        if element.vr not in BINARY_VRS:
            raise _Refused
        match = _INLINE_BINARY.match(self.text, pos)
        if match is None:
            raise _Refused
        element.inline_binary = inline_binary_value(match.group(1), element.tag, _vetted_text)
        return match.end()

    def bulk_data(self, element: Element, pos: int) -> int:
        if element.vr == "SQ":
            raise _Refused
        match = _BULK_DATA.match(self.text, pos)
        if match is None:
            raise _Refused
        attributes = _attributes(match.group(1), _BULK_DATA_NAMES)
        element.bulk_data_uri = bulk_data_uri(
            attributes.get("uri"), attributes.get("uuid"), element.tag
        )
        return match.end()


def scan_xml(document: bytes | str) -> DataSet | None:
    """The IR data set of a Native DICOM Model document in the plain subset of XML that
    producers write (see the module docstring), or None for any other document, which
    ``read_xml`` then reads (or refuses) with lxml.  Never raises for bad input."""
    text = _decoded(document)
    if text is None:
        return None
    try:
        return _Scanner(text).document()
    except (_Refused, DicombindError, RecursionError):
        return None
