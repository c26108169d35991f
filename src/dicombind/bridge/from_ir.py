"""IR -> pydicom ``Dataset``: the read half of the bridge, shared by both models.

The result is what ``pydicom.dcmread`` gives for the same data, built the same way: values
are stored as ``RawDataElement``s in the byte order and VR encoding of the transfer syntax the
file meta names (explicit VR little endian without file meta) and pydicom converts each one on
first access.  So group 0002 goes into ``file_meta`` of a ``FileDataset``, OW/OF/OL/OD/OV
values of a big endian file are held big endian as pydicom holds them, encapsulated pixel data
is marked as undefined length, and ``dcmwrite`` writes the bytes unchanged when the encoding
matches.  Text that is not ASCII, sequences, encapsulated pixel data and bulk data become
ordinary ``DataElement``s at once.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydicom.charset import convert_encodings, default_encoding
from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_data_element
from pydicom.sequence import Sequence
from pydicom.tag import BaseTag
from pydicom.uid import UID
from pydicom.valuerep import EXPLICIT_VR_LENGTH_32

from dicombind.bridge.binary import PIXEL_DATA_TAG, is_encapsulated, swap_words
from dicombind.bridge.bulk_values import value_from_bulk
from dicombind.bridge.new_dataset import Charset, new_dataset
from dicombind.bridge.raw_values import encode_value
from dicombind.errors import BulkDataError, DicombindError, ValueFormatError, item_step
from dicombind.gc_pause import collector_paused
from dicombind.ir import DataSet, Element
from dicombind.options import BulkDataReadOptions, BulkDataURIHandler
from dicombind.vr import ALL_VRS, BINARY_VRS

_TRANSFER_SYNTAX_TAG = 0x00020010
_CHARACTER_SET_TAG = 0x00080005
new_tuple = tuple.__new__

UriHandler = Callable[[str, str, str], Any]


@dataclass(frozen=True, slots=True)
class _Encoding:
    implicit_vr: bool
    little_endian: bool
    uri_handler: UriHandler | None

    @property
    def byte_order(self) -> str:
        return "<" if self.little_endian else ">"


@collector_paused
def ir_to_dataset(ir: DataSet, options: BulkDataReadOptions | None = None) -> Dataset:
    """Build a pydicom data set from ``ir``; a ``FileDataset`` when group 0002 is present."""
    options = options or BulkDataReadOptions()
    handler = _three_argument_handler(options.bulk_data_uri_handler)
    meta_part = [element for element in ir if element.tag >> 16 == 0x0002]
    body_part = [element for element in ir if element.tag >> 16 != 0x0002] if meta_part else ir
    transfer_syntax = _transfer_syntax(meta_part)
    encoding = _Encoding(False, True, handler)
    if transfer_syntax is not None and transfer_syntax.is_transfer_syntax:
        encoding = _Encoding(
            transfer_syntax.is_implicit_VR, transfer_syntax.is_little_endian, handler
        )
    ds = _build(body_part, default_encoding, encoding)
    if not meta_part:
        return ds
    for element in meta_part:  # PS3.10 7.1: file meta is in the default repertoire
        if any(isinstance(v, str) and not v.isascii() for v in element.values or ()):
            raise ValueFormatError("file meta elements hold ASCII text only", tag=element.tag)
    file_meta = FileMetaDataset()
    _fill(file_meta, meta_part, _Encoding(False, True, handler))
    _add_group_length(file_meta)
    result = FileDataset("", ds, file_meta=file_meta, preamble=b"\x00" * 128)
    result.set_original_encoding(encoding.implicit_vr, encoding.little_endian, ds._character_set)
    return result


def _add_group_length(file_meta: FileMetaDataset) -> None:
    """PS3.10 7.1 requires (0002,0000) in a file; the text models leave it out.

    File meta is explicit VR little endian, so the length is the sum of each element's header
    (8 bytes, 12 for the VRs with a 4-byte length) and its padded value field, which the raw
    elements hold; pydicom's writer measures any other element.
    """
    length = 0
    for elem in file_meta._dict.values():
        if isinstance(elem, RawDataElement) and elem.value is not None and elem.VR:
            header = 12 if elem.VR in EXPLICIT_VR_LENGTH_32 else 8
            length += header + len(elem.value)
        else:
            buffer = DicomBytesIO()
            buffer.is_little_endian, buffer.is_implicit_VR = True, False
            write_data_element(buffer, file_meta[elem.tag])
            length += buffer.tell()
    file_meta.FileMetaInformationGroupLength = length


def _charset(elements: DataSet, inherited: Charset) -> Charset:
    """The Python encodings of a data set: its own (0008,0005), else its parent's."""
    for element in elements:
        if element.tag >= _CHARACTER_SET_TAG:
            if element.tag == _CHARACTER_SET_TAG and element.values:
                names = ["" if v is None else str(v) for v in element.values]
                return convert_encodings(names[0] if len(names) == 1 else names)
            break
    return inherited


def _build(elements: DataSet, parent_charset: Charset, encoding: _Encoding) -> Dataset:
    charset = _charset(elements, parent_charset)
    ds = new_dataset(parent_charset, encoding.implicit_vr, encoding.little_endian, charset)
    _fill(ds, elements, encoding, charset)
    return ds


def _transfer_syntax(meta: DataSet) -> UID | None:
    for element in meta:
        if element.tag == _TRANSFER_SYNTAX_TAG and element.values:
            value = element.values[0]
            return UID(value) if isinstance(value, str) else None
    return None


def _three_argument_handler(handler: BulkDataURIHandler | None) -> UriHandler | None:
    """pydicom accepts ``handler(uri)`` and ``handler(tag, vr, uri)``; call both the same way."""
    if handler is None:
        return None
    try:
        required = [
            p
            for p in inspect.signature(handler).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
        ]
        takes_one = len(required) == 1
    except (TypeError, ValueError):
        takes_one = False
    if takes_one:
        one: Callable[[str], Any] = handler  # type: ignore[assignment]
        return lambda tag, vr, uri: one(uri)
    return handler  # type: ignore[return-value]


def _fill(
    ds: Dataset, elements: DataSet, encoding: _Encoding, charset: Charset | None = None
) -> None:
    # Straight into the element dict, as pydicom's own file reader does: __setitem__ would
    # convert private raw elements at once and costs more than building the element.
    store = ds._dict
    implicit, little, byte_order = encoding.implicit_vr, encoding.little_endian, "<"
    if not little:
        byte_order = ">"
    element: Element | None = None
    try:
        for element in elements:
            tag, vr, values = element.tag, element.vr, element.values
            if vr not in ALL_VRS:
                raise ValueFormatError(f"unknown VR {vr!r}")
            if element.bulk_data_uri is None and vr != "SQ":
                data: bytes | None
                if vr in BINARY_VRS:
                    data = element.inline_binary or b""
                    if len(data) & 1 or (tag == PIXEL_DATA_TAG and is_encapsulated(data)):
                        # dcmwrite pads an odd length, and encapsulated pixel data has an
                        # undefined length: neither can be stored as raw bytes
                        store[BaseTag(tag)] = _binary_element(element, data)
                        continue
                    if not little:
                        data = swap_words(data, vr)
                else:
                    data = b"" if values is None else encode_value(vr, values, byte_order)
                if data is not None:
                    key = BaseTag(tag)
                    # tuple.__new__ skips the NamedTuple's Python-level constructor
                    store[key] = new_tuple(
                        RawDataElement, (key, vr, len(data), data, 0, implicit, little, True, False)
                    )
                    continue
            store[BaseTag(tag)] = _data_element(element, ds, encoding, charset)
    except DicombindError as exc:
        if exc.tag is None and element is not None:
            exc.tag = element.tag
        raise
    except Exception as exc:
        where = element.tag if element is not None else None
        raise ValueFormatError(f"invalid value: {exc}", tag=where) from exc


def _data_element(
    element: Element, parent: Dataset, encoding: _Encoding, charset: Charset | None
) -> DataElement:
    tag, vr, values = element.tag, element.vr, element.values
    if element.bulk_data_uri is not None:
        return DataElement(tag, vr, _load_bulk(element, parent, encoding))
    if vr == "SQ":
        inherited = parent._character_set if charset is None else charset
        return DataElement(tag, vr, Sequence(_items(element, inherited, encoding)))
    assert values is not None  # text that is not ASCII: pydicom encodes it on writing
    value: Any = values[0] if len(values) == 1 else ["" if v is None else v for v in values]
    result = DataElement(tag, vr, value)
    if tag & 0x10000 and (tag & 0xFFFF) >= 0x1000:
        creator = parent._dict.get(BaseTag((tag & 0xFFFF0000) | ((tag >> 8) & 0xFF)))
        if creator is not None:
            result.private_creator = parent[creator.tag].value
    return result


def _items(element: Element, charset: Charset, encoding: _Encoding) -> list[Dataset]:
    items: list[Dataset] = []
    for index, item in enumerate(element.values or ()):
        try:
            if not isinstance(item, list):
                raise ValueFormatError("a sequence item must be a data set")
            items.append(_build(item, charset, encoding))
        except DicombindError as exc:
            raise exc.within(item_step(element.tag, index)) from exc
    return items


def _binary_element(element: Element, data: bytes) -> DataElement:
    """An odd-length value as it is, or encapsulated pixel data (undefined length)."""
    result = DataElement(element.tag, element.vr, data)
    if not len(data) & 1:
        result.is_undefined_length = True
    return result


def _load_bulk(element: Element, parent: Dataset, encoding: _Encoding) -> Any:
    uri = element.bulk_data_uri
    assert uri is not None
    if encoding.uri_handler is None:
        raise BulkDataError(f"BulkData {uri!r} needs a bulk_data_uri_handler to be read")
    try:
        loaded = encoding.uri_handler(f"{element.tag:08X}", element.vr, uri)
    except DicombindError:
        raise
    except Exception as exc:
        raise BulkDataError(f"bulk_data_uri_handler failed for {uri!r}: {exc}") from exc
    value = value_from_bulk(loaded, element.vr, parent)
    if element.vr in BINARY_VRS and isinstance(value, bytes) and not encoding.little_endian:
        value = swap_words(value, element.vr)
    return value


def ir_to_file_dataset(ir: DataSet, options: BulkDataReadOptions | None = None) -> FileDataset:
    """Like :func:`ir_to_dataset` but always a ``FileDataset`` (empty ``file_meta`` when the
    document holds no group 0002 element)."""
    ds = ir_to_dataset(ir, options)
    if isinstance(ds, FileDataset):
        return ds
    return FileDataset("", ds, file_meta=FileMetaDataset(), preamble=b"\x00" * 128)
