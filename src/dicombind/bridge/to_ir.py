"""pydicom ``Dataset`` -> IR: the write half of the bridge, shared by both models.

Values are taken as pydicom holds them: pydicom has already decoded the text with (0008,0005)
(per item where an item declares its own) and removed the padding byte, and DS/IS objects
keep the text they were read from, so ``str(value)`` is that exact text.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.filewriter import correct_ambiguous_vr_element
from pydicom.multival import MultiValue
from pydicom.valuerep import IS, DSfloat

from dicombind.bridge.binary import PIXEL_DATA_TAG, swap_words
from dicombind.errors import DatasetError, DicombindError, item_step
from dicombind.gc_pause import collector_paused
from dicombind.ir import DataSet, Element, Value
from dicombind.options import BulkDataElementHandler, BulkDataWriteOptions
from dicombind.vr import (
    ALL_VRS,
    BINARY_VRS,
    DECIMAL_TEXT_VRS,
    FLOAT_VRS,
    INT_VRS,
    JSON_BULK_DATA_VRS,
    NUMERIC_WIDTH,
    TEXT_VRS,
)

_by_tag = attrgetter("tag")
_STRING_VRS = TEXT_VRS | DECIMAL_TEXT_VRS | {"PN"}


@dataclass(frozen=True, slots=True)
class _Context:
    big_endian: bool
    threshold: int
    handler: BulkDataElementHandler | None


@collector_paused
def dataset_to_ir(ds: Dataset, options: BulkDataWriteOptions | None = None) -> DataSet:
    """Convert ``ds`` (and its ``file_meta``, if it has one) to an IR data set.

    Group length elements are left out.  OW/OF/OL/OD/OV values of a data set read big endian
    are swapped to little endian, as both models require.
    """
    options = options or BulkDataWriteOptions()
    context = _Context(
        big_endian=ds.original_encoding[1] is False,
        threshold=options.bulk_data_threshold,
        handler=options.bulk_data_element_handler,
    )
    body = _convert(ds, context)
    file_meta = getattr(ds, "file_meta", None)
    if not file_meta:
        return body
    meta = _convert(file_meta, _Context(False, context.threshold, None))
    meta_tags = {element.tag for element in meta}
    for element in body:  # sorted: only its leading group 0002 elements can clash
        if element.tag >> 16 > 0x0002:
            break
        if element.tag in meta_tags:
            raise DatasetError("element is in both file_meta and the data set", tag=element.tag)
    merged = meta + body
    if meta and body and body[0].tag < meta[-1].tag:  # e.g. group 0000/0001 in the body
        merged.sort(key=_by_tag)
    return merged


def _convert(ds: Dataset, context: _Context) -> DataSet:
    out: DataSet = []
    append = out.append
    elem: DataElement | None = None
    store = ds._dict
    plain_strings = context.handler is None
    try:
        # The element dict in tag order, as Dataset.__iter__ gives it but without its per-element
        # overhead; only elements still raw from a file go through ds[tag] to be converted.
        for key in sorted(store, key=int):  # int keys compare in C; BaseTag's __lt__ does not
            stored = store[key]
            elem = stored if isinstance(stored, DataElement) else ds[key]
            tag = int(key)  # a plain int: BaseTag's Python-level __eq__ slows every reader
            if not tag & 0xFFFF:
                continue  # group length: PS3.19 A.1.1 and PS3.18 F.2.2 leave them out
            vr = elem.VR
            value = elem._value  # the `value` property is a Python call per element
            if plain_strings:
                cls = type(value)
                if cls is str and vr in _STRING_VRS:
                    append(Element(tag, vr, [value]) if value else Element(tag, vr))
                    continue
                if cls is DSfloat or cls is IS:  # single DS/IS: as common as text
                    text = _decimal_text(value)
                    append(Element(tag, vr, [text]) if text else Element(tag, vr))
                    continue
            if vr not in ALL_VRS:
                vr = _resolve_vr(elem, ds)
            if vr == "SQ":
                append(Element(tag, "SQ", _items(elem, context) or None))
                continue
            element = _CONVERTERS[vr](tag, vr, value, elem, context)
            if not plain_strings and vr in JSON_BULK_DATA_VRS:
                element = _maybe_bulk(element, elem, context)
            append(element)
    except DicombindError as exc:
        if exc.tag is None and elem is not None:
            exc.tag = int(elem.tag)
        raise
    except Exception as exc:
        where = int(elem.tag) if elem is not None else None
        raise DatasetError(f"cannot convert value: {exc}", tag=where) from exc
    return out


def _items(elem: DataElement, context: _Context) -> list[Value]:
    items: list[Value] = []
    for index, item in enumerate(elem.value):
        try:
            items.append(_convert(item, context))
        except DicombindError as exc:
            raise exc.within(item_step(elem.tag, index)) from exc
    return items


def _resolve_vr(elem: DataElement, ds: Dataset) -> str:
    """An ambiguous dictionary VR ('US or SS', 'OB or OW'...) resolved from its context."""
    with suppress(Exception):  # when pydicom cannot tell from the data set: the first choice
        correct_ambiguous_vr_element(elem, ds, True)
    vr = str(elem.VR)
    if vr not in ALL_VRS:
        vr = vr.split(" or ")[0]
    if vr not in ALL_VRS:
        raise DatasetError(f"unknown VR {elem.VR!r}", tag=elem.tag)
    return vr


def _is_multi(value: Any) -> bool:
    return type(value) is MultiValue or isinstance(value, list | tuple | MultiValue)


def _strings(tag: int, vr: str, value: Any, elem: DataElement, context: _Context) -> Element:
    cls = type(value)
    if cls is str:
        return Element(tag, vr, [value]) if value else Element(tag, vr)
    if value is None:
        return Element(tag, vr)
    if cls is MultiValue or isinstance(value, list | tuple):
        texts = _texts(value, vr)
        if not texts or texts == [""]:
            return Element(tag, vr)
        if "" in texts:
            return Element(tag, vr, [t or None for t in texts])
        return Element(tag, vr, texts)  # type: ignore[arg-type]
    text = _decimal_text(value) if cls is DSfloat or cls is IS else str(value)
    return Element(tag, vr, [text]) if text else Element(tag, vr)


def _decimal_text(value: Any) -> str:
    """``str(value)`` of a DSfloat or IS (the text pydicom writes) without the three Python
    calls ``str()`` makes: the text it was read from, else the number's own repr."""
    if getattr(value, "auto_format", False):
        return str(value)
    text: str | None = getattr(value, "original_string", None)
    if text is not None:
        return text
    return int.__repr__(value) if isinstance(value, int) else float.__repr__(value)


_original_string = attrgetter("original_string")
_auto_format = attrgetter("auto_format")


def _texts(values: Any, vr: str) -> list[str]:
    """``str()`` of each value, which is the text pydicom writes.

    Without a Python-level call per value: DS and IS objects read from text keep that text in
    ``original_string``, which is what ``str()`` returns unless a DS is to be auto-formatted.
    """
    # MultiValue iterates through a Python generator; its backing list iterates in C.
    values = getattr(values, "_list", values)
    if vr in DECIMAL_TEXT_VRS:
        try:
            if vr == "IS" or not any(map(_auto_format, values)):
                return list(map(_original_string, values))
        except AttributeError:  # a value made from a number, or an empty value ''
            return [v if type(v) is str else _decimal_text(v) for v in values]
    return list(map(str, values))


def _numbers(kind: Callable[[Any], Value]) -> Callable[..., Element]:
    def convert(tag: int, vr: str, value: Any, elem: DataElement, context: _Context) -> Element:
        if value is None or value == "" or value == b"":
            return Element(tag, vr)
        if _is_multi(value):
            if not value:
                return Element(tag, vr)
            return Element(tag, vr, [None if v is None or v == "" else kind(v) for v in value])
        return Element(tag, vr, [kind(value)])

    return convert


def _binary(tag: int, vr: str, value: Any, elem: DataElement, context: _Context) -> Element:
    if elem.is_buffered:
        data = _read_buffer(value)
    elif value is None:
        return Element(tag, vr)
    elif isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
    else:
        raise DatasetError(f"{vr} value must be bytes, not {type(value).__name__}", tag=tag)
    if not data:
        return Element(tag, vr)
    encapsulated = tag == PIXEL_DATA_TAG and elem.is_undefined_length
    if context.big_endian and not encapsulated:
        data = swap_words(data, vr)
    return Element(tag, vr, inline_binary=data)


def _read_buffer(buffer: Any) -> bytes:
    position = buffer.tell()
    try:
        buffer.seek(0)
        data: bytes = buffer.read()
    finally:
        buffer.seek(position)
    return data


def _maybe_bulk(element: Element, elem: DataElement, context: _Context) -> Element:
    if _value_length(element) <= context.threshold:
        return element
    assert context.handler is not None
    try:
        uri = context.handler(elem)
    except Exception as exc:
        raise DatasetError(f"bulk_data_element_handler failed: {exc}", tag=element.tag) from exc
    if uri is None:
        return element
    if not isinstance(uri, str):
        raise DatasetError(
            f"bulk_data_element_handler returned {type(uri).__name__}, not str or None",
            tag=element.tag,
        )
    return Element(element.tag, element.vr, bulk_data_uri=uri)


def _value_length(element: Element) -> int:
    """Bytes of the element's value field, as near as the IR tells without encoding."""
    if element.inline_binary is not None:
        return len(element.inline_binary)
    values = element.values or []
    width = NUMERIC_WIDTH.get(element.vr)
    if width is not None:
        return width * len(values)
    return sum(len(v) + 1 for v in values if isinstance(v, str))


_CONVERTERS: dict[str, Callable[..., Element]] = {vr: _strings for vr in _STRING_VRS}
_CONVERTERS.update({vr: _numbers(int) for vr in INT_VRS})
_CONVERTERS.update({vr: _numbers(float) for vr in FLOAT_VRS})
_CONVERTERS["AT"] = _numbers(int)
_CONVERTERS.update({vr: _binary for vr in BINARY_VRS})
