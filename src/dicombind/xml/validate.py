"""Validate a Native DICOM Model document: the normative schema plus the rules it cannot say.

:func:`validate` checks (a) the RELAX NG schema of PS3.19 A.1.6 (2020c) and (b) the rules of
Table A.1.5-2 that the schema leaves to prose: which child kind goes with which VR, ``number``
attributes 1..n, no group length elements, ``privateCreator`` only on masked private tags, AT
values as 8 uppercase hex digits, no attribute twice in one data set.  Every violation found is
returned with its line and an XPath-like path; an invalid document never raises.

The parser is locked down: no network access, no entity expansion, and a document with a
DOCTYPE is rejected (the model has no use for one, and DTDs are the way in for entity attacks).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from functools import cache
from importlib.resources import files

from lxml import etree

from dicombind.errors import ValidationError, Violation
from dicombind.vr import ALL_VRS, BINARY_VRS
from dicombind.xml.parsing import NotWellFormed, parse_xml

RNG_RESOURCE = "native_dicom_model.rng"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# A RelaxNG object keeps its error log between calls: one validation at a time.
_schema_lock = threading.Lock()
_TAG = re.compile(r"[0-9A-F]{8}")
_CONTENT_KINDS = ("BulkData", "Value", "Item", "PersonName", "InlineBinary")
_NUMBERED_KINDS = ("Value", "PersonName", "Item")

Document = str | bytes | os.PathLike[str]


def validate(document: Document, *, allow_xml_space: bool = False) -> list[Violation]:
    """Every violation of the Native DICOM Model in ``document`` (an empty list if valid).

    ``document`` is XML text (``str``), XML bytes, or the path of an XML file (an unreadable
    file raises OSError).  ``allow_xml_space`` accepts ``xml:space="preserve"`` on the root,
    which PS3.19 Table A.1.5-1 asks for although the normative schema does not declare it.
    """
    parsed = _parse(document)
    if isinstance(parsed, Violation):
        return [parsed]
    root = parsed
    if allow_xml_space and root.get(XML_SPACE) == "preserve":
        del root.attrib[XML_SPACE]
    violations = list(_schema_violations(root))
    violations += _rule_violations(root)
    return violations


def assert_valid(document: Document, *, allow_xml_space: bool = False) -> None:
    """Raise ValidationError listing every violation if ``document`` is not valid."""
    violations = validate(document, allow_xml_space=allow_xml_space)
    if violations:
        raise ValidationError(violations)


# Parsing


def _parse(document: Document) -> etree._Element | Violation:
    if not isinstance(document, str | bytes):
        with open(document, "rb") as file:
            document = file.read()
    try:
        return parse_xml(document)
    except NotWellFormed as error:
        return Violation(f"line {error.line}", error.message)


@cache
def _relax_ng() -> etree.RelaxNG:
    resource = files("dicombind.generated").joinpath(RNG_RESOURCE)
    return etree.RelaxNG(etree.fromstring(resource.read_bytes()))


# (a) the normative schema


def _schema_violations(root: etree._Element) -> Iterator[Violation]:
    schema = _relax_ng()
    tree = root.getroottree()
    with _schema_lock:
        if schema.validate(tree):
            return
        entries = list(schema.error_log)
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        location = f"line {entry.line}"
        node = _node_at(tree, entry.path)
        if node is not None:
            location = _location(node)
        if (location, entry.message) not in seen:
            seen.add((location, entry.message))
            yield Violation(location, f"schema: {entry.message}")


def _node_at(tree: etree._ElementTree, path: str | None) -> etree._Element | None:
    if not path:
        return None
    try:
        found = tree.xpath(path)
    except etree.XPathError:
        return None
    if isinstance(found, list) and len(found) == 1 and isinstance(found[0], etree._Element):
        return found[0]
    return None


# (b) the rules the schema cannot express


def _rule_violations(root: etree._Element) -> list[Violation]:
    violations: list[Violation] = []
    _check_data_set(root, violations)
    return violations


def _check_data_set(parent: etree._Element, out: list[Violation]) -> None:
    seen: dict[tuple[str, str | None], etree._Element] = {}
    for child in _children(parent, "DicomAttribute"):
        key = (child.get("tag", ""), child.get("privateCreator"))
        first = seen.setdefault(key, child)
        if first is not child:
            out.append(
                Violation(
                    _location(child),
                    f"duplicate attribute: the same tag and privateCreator as line "
                    f"{first.sourceline}",
                )
            )
        _check_attribute(child, out)


def _check_attribute(attribute: etree._Element, out: list[Violation]) -> None:
    children = _children_by_name(attribute)
    _check_tag(attribute, out)
    _check_content(attribute, children, out)
    _check_numbers(children, out)
    for item in children.get("Item", ()):
        _check_data_set(item, out)


def _check_tag(attribute: etree._Element, out: list[Violation]) -> None:
    messages = _tag_problems(attribute.get("tag"), attribute.get("privateCreator"))
    if messages:
        where = _location(attribute)  # built only when needed: it walks the ancestors
        out.extend(Violation(where, message) for message in messages)


def _tag_problems(tag_text: str | None, creator: str | None) -> list[str]:
    if tag_text is None:
        return ["DicomAttribute without a tag attribute"]
    if not _TAG.fullmatch(tag_text):
        return [f"tag {tag_text!r} is not 8 uppercase hexadecimal digits"]
    problems: list[str] = []
    tag = int(tag_text, 16)
    odd_group = bool(tag & 0x10000)
    if tag & 0xFFFF == 0 and creator is None:  # with a creator it is element (gggg,XX00)
        problems.append("group length (gggg,0000) attributes are not allowed")
    if creator is not None and not odd_group:
        problems.append("privateCreator on an attribute of an even group")
    elif creator is not None and tag & 0xFF00:
        problems.append(f"private tag {tag_text} with privateCreator is not gggg00ee")
    elif creator is None and odd_group and tag & 0xFFFF >= 0x1000:
        problems.append(f"private tag {tag_text} without privateCreator")
    return problems


def _check_content(
    attribute: etree._Element, children: dict[str, list[etree._Element]], out: list[Violation]
) -> None:
    """The child kind agrees with the VR; AT values are tags."""
    vr_text = attribute.get("vr")
    vr = (vr_text or "").strip()  # the schema's VR values are tokens
    if vr_text is None:
        out.append(Violation(_location(attribute), "DicomAttribute without a vr attribute"))
        return
    if vr not in ALL_VRS:
        out.append(Violation(_location(attribute), f"vr {vr_text!r} is not one of the 34 VRs"))
        return
    for kind in _CONTENT_KINDS:
        if kind in children and not _kind_allowed(kind, vr):
            where = _location(children[kind][0])
            out.append(Violation(where, f"{kind} is not allowed for VR {vr}"))
    if vr == "AT":
        for value in children.get("Value", ()):
            text = "".join(value.itertext())
            if text and not _TAG.fullmatch(text):
                message = f"AT value {text!r} is not 8 uppercase hexadecimal digits"
                out.append(Violation(_location(value), message))


def _check_numbers(children: dict[str, list[etree._Element]], out: list[Violation]) -> None:
    """``number`` counts 1, 2, 3... in document order, separately for each child kind."""
    for kind in _NUMBERED_KINDS:
        for position, child in enumerate(children.get(kind, ()), 1):
            number = _number_of(child)
            if child.get("number") is None:
                out.append(Violation(_location(child), f"{kind} without a number attribute"))
            elif number is not None and number != position:
                message = f"{kind} number {number} where {position} was expected (1..n in order)"
                out.append(Violation(_location(child), message))


def _kind_allowed(kind: str, vr: str) -> bool:
    if kind == "Item":
        return vr == "SQ"
    if kind == "PersonName":
        return vr == "PN"
    if kind == "InlineBinary":
        return vr in BINARY_VRS
    if kind == "Value":
        return vr not in BINARY_VRS and vr not in ("SQ", "PN")
    return vr != "SQ"  # BulkData: a non-empty sequence is written as Items


def _number_of(element: etree._Element) -> int | None:
    """The ``number`` attribute as an int; None if missing or malformed (the schema says so)."""
    text = element.get("number")
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None


# Locations


def _local_name(element: etree._Element) -> str | None:
    """The element's name without its namespace; None for comments and PIs."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else None


def _children(parent: etree._Element, name: str) -> Iterator[etree._Element]:
    """Child elements with local name ``name``, in the model's namespace or in none."""
    return (child for child in parent if _local_name(child) == name)


def _children_by_name(parent: etree._Element) -> dict[str, list[etree._Element]]:
    grouped: dict[str, list[etree._Element]] = {}
    for child in parent:
        name = _local_name(child)
        if name is not None:
            grouped.setdefault(name, []).append(child)
    return grouped


def _location(element: etree._Element) -> str:
    return f"line {element.sourceline}, {_path(element)}"


def _path(element: etree._Element) -> str:
    steps: list[str] = []
    node: etree._Element | None = element
    while node is not None:
        steps.append(_step(node))
        node = node.getparent()
    return "/" + "/".join(reversed(steps))


def _step(element: etree._Element) -> str:
    name = _local_name(element)
    if name is None:
        return "node()"
    parent = element.getparent()
    if parent is None:
        return name
    tag = element.get("tag")
    if name == "DicomAttribute" and tag is not None and _TAG.fullmatch(tag):
        step = f"{name}[@tag='{tag}']"
        creator = element.get("privateCreator")
        literal = _xpath_literal(creator) if creator is not None else None
        if literal is not None:
            step += f"[@privateCreator={literal}]"
        if creator is None or literal is not None:
            return step
    same = list(_children(parent, name))
    return f"{name}[{same.index(element) + 1}]"


def _xpath_literal(text: str) -> str | None:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return None
