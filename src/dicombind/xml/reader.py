"""Native DICOM Model (PS3.19 Annex A.1) XML text -> IR, tolerant of what other producers write.

Tolerated, read as if the document were conformant:

* no namespace on the elements (DCMTK without ``+Xn``, dcm4che by default);
* ``xml:space="preserve"`` on the root (dcm4che, DCMTK), as PS3.19 Table A.1.5-1 asks;
* ``xsi:schemaLocation`` (Orthanc) and any other foreign attribute on the root;
* the 2011 name group ``SingleByte``, read as ``Alphabetic`` (GDCM);
* ``<BulkData URI="...">`` in upper case (Orthanc);
* ``<BulkData uuid="X">``, read as the URI ``urn:uuid:X`` (the IR's form of it);
* a missing ``vr``: the dictionary VR (pydicom's private dictionary for a private element with
  a known creator), the first choice of an ambiguous one (``US or SS`` -> US), else UN;
* a stray empty ``<Value number="1"/>`` next to the items of a sequence (Orthanc);
* ``keyword``: ignored, never trusted (the tag decides);
* Values (and PersonNames) out of number order: placed by number; a missing number is an empty
  value, as long as the missing numbers do not outnumber the present ones by more than 8;
* lowercase hexadecimal digits in ``tag`` and in AT values;
* a private element with its real block in ``tag`` as well as ``privateCreator`` (the block
  byte is ignored), and private elements without creator elements (blocks are assigned from
  0x10 in document order, and creator elements made for them);
* attributes out of tag order (dcm4che's templates), sorted;
* group length attributes ``(gggg,0000)``, which PS3.19 forbids: skipped (they carry nothing
  the IR keeps);
* a ``<Value>`` under PN: the PS3.5 text of the name (``Doe^John=...``);
* base64 in ``InlineBinary`` broken into lines; an empty ``InlineBinary`` (DCMTK for
  compressed pixel data) is a zero-length value.

Values are taken as the document has them: text (DS and IS included) exactly, never stripped;
FL through 32-bit floats; NaN and the infinities in every common spelling.

Refused with DocumentError (ValueFormatError for a value that does not parse), naming the tag
and the attribute path (``BeamSequence[2] (300A,00C2): ...``): an unknown element, a malformed
``tag``, an unknown VR, two kinds of content in one attribute, a duplicate or malformed
``number``, a missing Item number, a value that does not fit its VR (integers out of range,
invalid floats or AT values), invalid base64, Item under a non-SQ, PersonName under a non-PN,
Value under a binary VR or with non-empty text under SQ, InlineBinary under a non-binary VR,
BulkData under SQ or without exactly one of uri and uuid, ``privateCreator`` on an even group,
duplicate attributes, non-whitespace text as the first content of a DicomAttribute, Item,
PersonName or name group (text after a child element is not looked at).

Safety: no network access, no entity resolution, no DTD loading; a document with a DOCTYPE is
refused (that rules out entity expansion and external entities).  ``huge_tree`` is on so that
InlineBinary values of tens of megabytes parse; it lifts libxml2's limits on text size and
nesting depth, so the nesting depth of sequences is limited here instead
(:data:`MAX_SEQUENCE_DEPTH`), which also keeps the recursion far from Python's stack limit.
"""

from __future__ import annotations

import re
from binascii import Error as BinasciiError
from binascii import a2b_base64
from collections.abc import Callable, Sequence
from typing import Any, cast

from lxml import etree

from dicombind.errors import DicombindError, DocumentError, ValueFormatError, format_tag
from dicombind.floats import parse_float_text, to_float32
from dicombind.ir import UUID_URI_PREFIX, DataSet, Element, Value
from dicombind.keywords import TAG_KEYWORDS, dictionary_vr
from dicombind.private_blocks import place_private_elements
from dicombind.vr import ALL_VRS, BINARY_VRS, DECIMAL_TEXT_VRS, INT_VRS, TEXT_VRS
from dicombind.xml.writer import NAME_COMPONENTS, NAME_GROUPS, NATIVE_DICOM_NAMESPACE

MAX_SEQUENCE_DEPTH = 128
"""Sequences nested deeper than this are refused (the XML is then about twice as deep)."""

# Gap filling is bounded so that a tiny document cannot make huge lists of empty values.
_MAX_EXTRA_GAPS = 8

_Node = Any  # an lxml element; lxml's stubs type the proxies loosely


_ROOT_NAME = "NativeDicomModel"
_NAMESPACE = f"{{{NATIVE_DICOM_NAMESPACE}}}"
_NUMBERS = [str(number) for number in range(4097)]  # "0", "1", ... for the in-order check
_NUMBER = re.compile(r"[ \t\r\n]*\+?0*([1-9][0-9]*)[ \t\r\n]*")
_TAG = re.compile(r"[0-9A-Fa-f]{8}")
_XML_WHITESPACE = " \t\r\n"
# A DOCTYPE can only come before the root element, after the XML declaration, comments,
# processing instructions and whitespace (atomic groups: no backtracking into the document).
_DOCTYPE_IN_PROLOG = re.compile(
    rb"(?:\xef\xbb\xbf)?(?>[ \t\r\n]+|<\?.*?\?>|<!--.*?-->)*+<!DOCTYPE", re.DOTALL
)
_DOCTYPE_REFUSED = "DOCTYPE declarations are not allowed (entity expansion, external entities)"
_TAG_CACHE: dict[str, int] = {}
_CACHE_LIMIT = 1 << 16


def _local_name(name: object) -> str:
    if not isinstance(name, str):
        return "(non-element node)"
    return name.rpartition("}")[2]


def _parser(text_input: bool) -> etree.XMLParser:
    return etree.XMLParser(
        encoding="utf-8" if text_input else None,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def read_xml(document: bytes | str) -> DataSet:
    """The IR data set of a Native DICOM Model document (see the module docstring).

    Raises DocumentError for a document that is not well-formed, has a DOCTYPE or breaks the
    model, ValueFormatError for a value that does not parse; both say where.
    """
    if isinstance(document, str):
        try:
            data = document.encode("utf-8")
        except UnicodeEncodeError as error:
            raise DocumentError(f"the text holds an unpaired surrogate: {error.reason}") from None
        parser = _parser(text_input=True)
    else:
        data = bytes(document)
        parser = _parser(text_input=False)
    if _DOCTYPE_IN_PROLOG.match(data):
        raise DocumentError(_DOCTYPE_REFUSED)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position
        raise DocumentError(
            f"not well-formed XML at line {line}, column {column}: {error.msg}"
        ) from None
    if root.getroottree().docinfo.doctype:
        raise DocumentError(_DOCTYPE_REFUSED)
    if root.tag == _ROOT_NAME:
        reader = _Reader("")
    elif root.tag == _NAMESPACE + _ROOT_NAME:
        reader = _Reader(_NAMESPACE)
    else:
        raise DocumentError(f"the root element is {_qualified(root.tag)}, not <NativeDicomModel>")
    _check_no_text(root, _ROOT_NAME, None)
    return reader.dataset(root, 0)


def _qualified(name: object) -> str:
    """An element name for messages: ``<Value>``, or with its namespace if it is a foreign one."""
    if isinstance(name, str) and name.startswith("{") and not name.startswith(_NAMESPACE):
        return f"<{name}>"
    return f"<{_local_name(name)}>"


def _check_no_text(node: _Node, where: str, tag: int | None) -> None:
    text = node.text
    if text and text.strip(_XML_WHITESPACE):
        raise DocumentError(f"text {text.strip()[:40]!r} directly inside <{where}>", tag=tag)


def _parse_tag(text: str | None) -> int:
    if text is None:
        raise DocumentError("a DicomAttribute without a tag")
    if _TAG.fullmatch(text) is None:
        raise DocumentError(f"tag {text!r} is not 8 hexadecimal digits")
    tag = int(text, 16)
    if len(_TAG_CACHE) < _CACHE_LIMIT:
        _TAG_CACHE[text] = tag
    return tag


class _Reader:
    """The element names of one document (all in the model's namespace, or all in none)."""

    __slots__ = (
        "attribute",
        "bulk_data",
        "components",
        "groups",
        "inline_binary",
        "item",
        "person_name",
        "value",
    )

    def __init__(self, namespace: str) -> None:
        self.attribute = namespace + "DicomAttribute"
        self.value = namespace + "Value"
        self.item = namespace + "Item"
        self.person_name = namespace + "PersonName"
        self.inline_binary = namespace + "InlineBinary"
        self.bulk_data = namespace + "BulkData"
        self.groups = {namespace + name: index for index, name in enumerate(NAME_GROUPS)}
        self.groups[namespace + "SingleByte"] = 0  # the 2011 name of Alphabetic
        self.components = {namespace + name: index for index, name in enumerate(NAME_COMPONENTS)}

    def dataset(self, parent: _Node, depth: int) -> DataSet:
        elements: list[Element] = []
        append = elements.append
        read_attribute = self.read_attribute
        seen = 0
        for node in parent.iterchildren(self.attribute):  # lxml matches the name in C
            seen += 1
            element = read_attribute(node, depth)
            if element is not None:
                append(element)
        if seen != len(parent):
            for node in parent:
                if node.tag != self.attribute:
                    raise DocumentError(f"{_qualified(node.tag)} where a <DicomAttribute> belongs")
        return place_private_elements(elements)

    def read_attribute(self, node: _Node, depth: int) -> Element | None:
        get = node.get
        tag_text = get("tag")
        tag = _TAG_CACHE.get(tag_text) if tag_text is not None else None
        if tag is None:
            tag = _parse_tag(tag_text)
        creator = get("privateCreator")
        vr = get("vr")
        if vr is None:
            vr = dictionary_vr(tag, creator)
        elif vr not in ALL_VRS:
            raise DocumentError(f"unknown VR {vr!r}", tag=tag)
        if creator is not None and not tag & 0x10000:
            raise DocumentError(
                f"privateCreator {creator!r} on an element of an even group", tag=tag
            )
        if not tag & 0xFFFF and creator is None:  # with a creator it is element (gggg,XX00)
            return None  # group length: forbidden by PS3.19, recomputed when encoding
        _check_no_text(node, "DicomAttribute", tag)
        element = Element(tag, vr, None, None, None, creator)
        count = len(node)
        if not count:
            return element
        first = node[0]
        kind = first.tag
        if kind == self.value:
            if vr == "SQ":
                self.items(node, element, depth)
            else:
                element.values = self.values(node, first, count, vr, tag)
        elif kind == self.item:
            if vr != "SQ":
                raise DocumentError(f"<Item> under VR {vr} (SQ only)", tag=tag)
            self.items(node, element, depth)
        elif kind == self.person_name:
            if vr != "PN":
                raise DocumentError(f"<PersonName> under VR {vr} (PN only)", tag=tag)
            element.values = self.person_names(node, tag)
        elif kind == self.inline_binary:
            if vr not in BINARY_VRS:
                raise DocumentError(f"<InlineBinary> under VR {vr} (binary VRs only)", tag=tag)
            element.inline_binary = _read_inline_binary(self.only_child(node, tag), tag)
        elif kind == self.bulk_data:
            if vr == "SQ":
                raise DocumentError("<BulkData> under VR SQ", tag=tag)
            element.bulk_data_uri = _read_bulk_data(self.only_child(node, tag), tag)
        else:
            raise DocumentError(f"unknown element {_qualified(kind)} in a DicomAttribute", tag=tag)
        return element

    def two_kinds(self, node: _Node, tag: int) -> DocumentError:
        known = (self.value, self.item, self.person_name, self.inline_binary, self.bulk_data)
        for child in node:
            if child.tag not in known:
                return DocumentError(
                    f"unknown element {_qualified(child.tag)} in a DicomAttribute", tag=tag
                )
        kinds = sorted({_local_name(child.tag) for child in node})
        return DocumentError(f"more than one kind of content: {', '.join(kinds)}", tag=tag)

    def only_child(self, node: _Node, tag: int) -> _Node:
        first = node[0]
        if len(node) != 1:
            if any(child.tag != first.tag for child in node):
                raise self.two_kinds(node, tag)
            raise DocumentError(f"{len(node)} {_qualified(first.tag)} elements (one only)", tag=tag)
        return first

    # Value

    def values(
        self, node: _Node, first: _Node, count: int, vr: str, tag: int
    ) -> list[Value] | None:
        convert = _CONVERTERS.get(vr)
        if convert is None:
            raise DocumentError(f"<Value> under VR {vr}", tag=tag)
        if count == 1:  # the common case
            if len(first):
                raise _element_in_value(first, tag)
            text = first.text
            number = first.get("number")
            if number == "1":
                if text is None:
                    return None  # a lone empty value is a zero-length element
                return [text] if convert is _as_text else convert([text], vr, tag)
            numbers: list[str | None] = [number]
            texts: list[str | None] = [text]
        else:
            texts = []
            numbers = []
            for child in node.iterchildren(self.value):
                if len(child):
                    raise _element_in_value(child, tag)
                texts.append(child.text)
                numbers.append(child.get("number"))
            if len(texts) != count:
                raise self.two_kinds(node, tag)
        if not _in_order(numbers):
            texts = [
                None if child is None else child.text
                for child in _in_number_order(list(node), numbers, "Value", tag, gaps=True)
            ]
        if len(texts) == 1 and texts[0] is None:
            return None  # a lone empty value is a zero-length element
        return convert(texts, vr, tag)

    # Item

    def items(self, node: _Node, element: Element, depth: int) -> None:
        tag = element.tag
        item_name = self.item
        value_name = self.value
        items: list[_Node] = []
        numbers: list[str | None] = []
        for child in node:
            child_tag = child.tag
            if child_tag == item_name:
                items.append(child)
                numbers.append(child.get("number"))
            elif child_tag == value_name and child.text is None and not len(child):
                continue  # Orthanc's stray empty <Value number="1"/> next to the items
            elif child_tag == value_name:
                raise DocumentError("<Value> with content under VR SQ", tag=tag)
            else:
                raise self.two_kinds(node, tag)
        if not items:
            return
        if depth >= MAX_SEQUENCE_DEPTH:
            raise DocumentError(f"sequences nested more than {MAX_SEQUENCE_DEPTH} deep", tag=tag)
        if not _in_order(numbers):
            items = _in_number_order(items, numbers, "Item", tag, gaps=False)
        values: list[Value] = []
        for index, item in enumerate(items):
            try:
                _check_no_text(item, "Item", None)
                values.append(self.dataset(item, depth + 1))
            except DicombindError as error:
                raise error.within(f"{TAG_KEYWORDS[tag] or format_tag(tag)}[{index}]") from None
        element.values = values

    # PersonName

    def person_names(self, node: _Node, tag: int) -> list[Value] | None:
        names: list[_Node] = list(node)
        numbers: list[str | None] = []
        for child in names:
            if child.tag != self.person_name:
                raise self.two_kinds(node, tag)
            numbers.append(child.get("number"))
        ordered: list[_Node | None] = names
        if not _in_order(numbers):
            ordered = _in_number_order(names, numbers, "PersonName", tag, gaps=True)
        values: list[Value] = [
            None if name is None else self.person_name_text(name, tag) for name in ordered
        ]
        if len(values) == 1 and values[0] is None:
            return None
        return values

    def person_name_text(self, name: _Node, tag: int) -> str | None:
        """The PS3.5 text of one PersonName: groups and components up to the last present."""
        _check_no_text(name, "PersonName", tag)
        if not len(name):
            return None
        groups: list[str | None] = [None, None, None]
        for group in name:
            index = self.groups.get(group.tag)
            if index is None:
                raise DocumentError(
                    f"unknown element {_qualified(group.tag)} in a PersonName", tag=tag
                )
            if groups[index] is not None:
                raise DocumentError(f"two <{NAME_GROUPS[index]}> groups in one PersonName", tag=tag)
            groups[index] = self.group_text(group, tag)
        return "=".join([group or "" for group in groups[: _last_present(groups)]])

    def group_text(self, group: _Node, tag: int) -> str:
        _check_no_text(group, _local_name(group.tag), tag)
        components: list[str | None] = [None] * len(NAME_COMPONENTS)
        for component in group:
            index = self.components.get(component.tag)
            if index is None:
                raise DocumentError(
                    f"unknown element {_qualified(component.tag)} in a name group", tag=tag
                )
            if components[index] is not None:
                raise DocumentError(f"two <{NAME_COMPONENTS[index]}> in one name group", tag=tag)
            if len(component):
                raise DocumentError(
                    f"{_qualified(component[0].tag)} inside a name component", tag=tag
                )
            components[index] = component.text or ""
        return "^".join([part or "" for part in components[: _last_present(components)]])


def _element_in_value(value: _Node, tag: int) -> DocumentError:
    return DocumentError(f"{_qualified(value[0].tag)} inside a <Value>", tag=tag)


# --- numbered children ----------------------------------------------------------------------


def _in_number_order(
    children: Sequence[_Node], numbers: list[str | None], kind: str, tag: int, gaps: bool
) -> list[_Node | None]:
    """``children`` placed by their ``number`` (the slow path: the order is not 1, 2, 3...)."""
    placed: dict[int, _Node] = {}
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
    if missing > len(placed) + _MAX_EXTRA_GAPS:
        raise DocumentError(
            f"<{kind}> number {highest} leaves {missing} numbers missing among {len(placed)}",
            tag=tag,
        )
    return [placed.get(number) for number in range(1, highest + 1)]


def _in_order(numbers: list[str | None]) -> bool:
    count = len(numbers)
    return count < len(_NUMBERS) and numbers == _NUMBERS[1 : count + 1]


# --- Value texts -> IR values, per VR ---------------------------------------------------


def _as_text(texts: list[str | None], vr: str, tag: int) -> list[Value]:
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
        elif _TAG.fullmatch(text) is None:
            raise _bad_value(text, vr, tag, " (8 hexadecimal digits)")
        else:
            values.append(int(text, 16))
    return values


_Converter = Callable[[list[str | None], str, int], list[Value]]
_CONVERTERS: dict[str, _Converter] = dict.fromkeys(TEXT_VRS | DECIMAL_TEXT_VRS, _as_text)
_CONVERTERS.update(dict.fromkeys(INT_VRS, _as_int))
_CONVERTERS.update({"FL": _as_float, "FD": _as_float, "AT": _as_tag, "PN": _as_text})


def _last_present(parts: list[str | None]) -> int:
    end = len(parts)
    while end and parts[end - 1] is None:
        end -= 1
    return end


# --- InlineBinary and BulkData --------------------------------------------------------------


def _read_inline_binary(node: _Node, tag: int) -> bytes | None:
    if len(node):
        raise DocumentError(f"<{_local_name(node[0].tag)}> inside <InlineBinary>", tag=tag)
    text = node.text
    if not text:
        return None
    try:
        return a2b_base64(text, strict_mode=True) or None
    except (BinasciiError, ValueError):
        pass
    try:  # xsd:base64Binary allows whitespace (line breaks every 76 characters, indentation)
        return a2b_base64("".join(text.split()), strict_mode=True) or None
    except (BinasciiError, ValueError) as error:
        raise ValueFormatError(f"invalid base64 in <InlineBinary>: {error}", tag=tag) from None


def _read_bulk_data(node: _Node, tag: int) -> str:
    if len(node):
        raise DocumentError(f"<{_local_name(node[0].tag)}> inside <BulkData>", tag=tag)
    uri: str | None = node.get("uri")
    if uri is None:
        uri = node.get("URI")
    uuid: str | None = node.get("uuid")
    if uuid is not None and uri is None:
        return UUID_URI_PREFIX + uuid
    if uri is not None and uuid is None:
        return uri
    raise DocumentError("<BulkData> needs exactly one of uri and uuid", tag=tag)
