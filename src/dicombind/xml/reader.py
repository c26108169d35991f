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
PersonName or name group, and non-whitespace text after any element.

Speed: :func:`read_xml` first tries :func:`dicombind.xml.scanner.scan_xml`, which reads the
plain subset of XML that producers write without building a tree and returns the same IR;
anything else, and every error, goes through lxml (:func:`read_xml_with_lxml`).  Both take
their decisions about values from :mod:`dicombind.xml.values`.

Safety: no network access, no entity resolution, no DTD loading; a document with a DOCTYPE is
refused (that rules out entity expansion and external entities).  ``huge_tree`` is on so that
InlineBinary values of tens of megabytes parse; it lifts libxml2's limits on text size and
nesting depth, so the nesting depth of sequences is limited here instead
(:data:`MAX_SEQUENCE_DEPTH`), which also keeps the recursion far from Python's stack limit.
"""

from __future__ import annotations

from typing import Any

from dicombind.errors import DicombindError, DocumentError, format_tag
from dicombind.gc_pause import collector_paused
from dicombind.ir import DataSet, Element, Value
from dicombind.keywords import TAG_KEYWORDS
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
from dicombind.xml.parsing import parse_xml
from dicombind.xml.scanner import scan_xml
from dicombind.xml.values import (
    ATTRIBUTE_HEADS,
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

__all__ = ["MAX_SEQUENCE_DEPTH", "read_xml", "read_xml_with_lxml"]

_Node = Any  # an lxml element; lxml's stubs type the proxies loosely


_NAMESPACE = f"{{{NATIVE_DICOM_NAMESPACE}}}"
_XML_WHITESPACE = " \t\r\n"


def _local_name(name: object) -> str:
    if not isinstance(name, str):
        return "(non-element node)"
    return name.rpartition("}")[2]


@collector_paused
def read_xml(document: bytes | str) -> DataSet:
    """The IR data set of a Native DICOM Model document (see the module docstring).

    Raises DocumentError for a document that is not well-formed, has a DOCTYPE or breaks the
    model, ValueFormatError for a value that does not parse; both say where.
    """
    dataset = scan_xml(document)  # the fast path for the plain subset of XML most producers use
    if dataset is None:
        dataset = read_xml_with_lxml(document)
    return dataset


def read_xml_with_lxml(document: bytes | str) -> DataSet:
    """``read_xml`` through lxml alone: any well-formed XML, and all of the error reporting."""
    root = parse_xml(document)
    if root.tag == ROOT:
        reader = _Reader("")
    elif root.tag == _NAMESPACE + ROOT:
        reader = _Reader(_NAMESPACE)
    else:
        raise DocumentError(f"the root element is {_qualified(root.tag)}, not <NativeDicomModel>")
    _check_no_text(root, ROOT, None)
    _check_no_text_between_elements(root)
    return reader.dataset(root, 0)


def _check_no_text_between_elements(root: _Node) -> None:
    """Text after an element (its ``tail``) is never part of the model: refuse it rather than
    drop it.  One pass over the tree; the fast scanner refuses such documents on its own."""
    for element in root.iterdescendants():
        tail = element.tail
        if tail and tail.strip(_XML_WHITESPACE):
            holder = element.getparent()
            while holder is not None and holder.get("tag") is None:
                holder = holder.getparent()
            tag_text = holder.get("tag") if holder is not None else None
            tag = int(tag_text, 16) if tag_text and len(tag_text) == 8 else None
            raise DocumentError(
                f"text {tail.strip()[:40]!r} after <{_local_name(element.tag)}>", tag=tag
            )


def _qualified(name: object) -> str:
    """An element name for messages: ``<Value>``, or with its namespace if it is a foreign one."""
    if isinstance(name, str) and name.startswith("{") and not name.startswith(_NAMESPACE):
        return f"<{name}>"
    return f"<{_local_name(name)}>"


def _check_no_text(node: _Node, where: str, tag: int | None) -> None:
    text = node.text
    if text and text.strip(_XML_WHITESPACE):
        raise DocumentError(f"text {text.strip()[:40]!r} directly inside <{where}>", tag=tag)


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
        self.attribute = namespace + DICOM_ATTRIBUTE
        self.value = namespace + VALUE
        self.item = namespace + ITEM
        self.person_name = namespace + PERSON_NAME
        self.inline_binary = namespace + INLINE_BINARY
        self.bulk_data = namespace + BULK_DATA
        self.groups = {namespace + name: index for index, name in enumerate(NAME_GROUPS)}
        self.groups[namespace + SINGLE_BYTE] = 0
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
        creator = get("privateCreator")
        tag, vr, kept = ATTRIBUTE_HEADS[get("tag"), get("vr"), creator]
        if not kept:
            return None
        _check_no_text(node, DICOM_ATTRIBUTE, tag)
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
        convert = value_converter(vr, tag)
        if count == 1:  # the common case
            if len(first):
                raise _element_in_value(first, tag)
            text = first.text
            number = first.get("number")
            if number == "1":
                if text is None:
                    return None  # a lone empty value is a zero-length element
                return [text] if convert is as_text else convert([text], vr, tag)
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
        if not in_order(numbers):
            texts = [
                None if child is None else child.text
                for child in in_number_order(list(node), numbers, VALUE, tag, gaps=True)
            ]
        return typed_values(texts, vr, tag, convert)

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
        if not in_order(numbers):
            items = in_number_order(items, numbers, ITEM, tag, gaps=False)
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
        if not in_order(numbers):
            ordered = in_number_order(names, numbers, PERSON_NAME, tag, gaps=True)
        values: list[Value] = [
            None if name is None else self.person_name_text(name, tag) for name in ordered
        ]
        return zero_length_if_lone_empty(values)

    def person_name_text(self, name: _Node, tag: int) -> str | None:
        """The PS3.5 text of one PersonName: groups and components up to the last present."""
        _check_no_text(name, PERSON_NAME, tag)
        if not len(name):
            return None
        groups: list[str | None] = [None, None, None]
        for group in name:
            index = self.groups.get(group.tag)
            if index is None:
                raise DocumentError(
                    f"unknown element {_qualified(group.tag)} in a PersonName", tag=tag
                )
            check_new_group(groups, index, tag)
            groups[index] = self.group_text(group, tag)
        return person_name_text(groups)

    def group_text(self, group: _Node, tag: int) -> str:
        _check_no_text(group, _local_name(group.tag), tag)
        components: list[str | None] = [None] * len(NAME_COMPONENTS)
        for component in group:
            index = self.components.get(component.tag)
            if index is None:
                raise DocumentError(
                    f"unknown element {_qualified(component.tag)} in a name group", tag=tag
                )
            check_new_component(components, index, tag)
            if len(component):
                raise DocumentError(
                    f"{_qualified(component[0].tag)} inside a name component", tag=tag
                )
            components[index] = component.text or ""
        return name_group_text(components)


def _element_in_value(value: _Node, tag: int) -> DocumentError:
    return DocumentError(f"{_qualified(value[0].tag)} inside a <Value>", tag=tag)


# --- InlineBinary and BulkData --------------------------------------------------------------


def _read_inline_binary(node: _Node, tag: int) -> bytes | None:
    if len(node):
        raise DocumentError(f"<{_local_name(node[0].tag)}> inside <InlineBinary>", tag=tag)
    return inline_binary_value(node.text, tag)


def _read_bulk_data(node: _Node, tag: int) -> str:
    if len(node):
        raise DocumentError(f"<{_local_name(node[0].tag)}> inside <BulkData>", tag=tag)
    uri: str | None = node.get("uri")
    if uri is None:
        uri = node.get("URI")
    return bulk_data_uri(uri, node.get("uuid"), tag)
