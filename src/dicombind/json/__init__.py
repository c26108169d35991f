"""The PS3.18 DICOM JSON Model (``application/dicom+json``): pydicom <-> JSON.

>>> from dicombind import json
>>> text = json.dumps(ds)             # Dataset, FileDataset (group 0002 included) or a list
>>> ds2 = json.loads(text)            # -> Dataset (FileDataset when group 0002 is present)
>>> fds = json.loads_file(text)       # -> FileDataset, group 0002 in file_meta
>>> items = json.loads_list(text)     # a JSON array -> list of Dataset

A ``FileDataset`` is written as one dataset object whose group 0002 attributes ("00020010"
...) come first, as keys sort; reading puts them back into ``file_meta``.

Writing options: ``indent``, ``number_handling`` ("auto", "number" or "string" for DS, IS,
SV and UV), ``use_keywords_as_keys``, ``write_keyword`` and ``write_name`` (non-standard, off by
default), ``bulk_data_threshold``, ``bulk_data_element_handler``.  Reading option:
``bulk_data_uri_handler``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from pydicom.dataset import Dataset, FileDataset

from dicombind.bridge import dataset_to_ir, ir_to_dataset, ir_to_file_dataset
from dicombind.json import model as _model
from dicombind.json.reader import read_json, read_json_list
from dicombind.json.validate import assert_valid, validate
from dicombind.json.writer import write_json
from dicombind.options import (
    DEFAULT_BULK_DATA_THRESHOLD,
    BulkDataElementHandler,
    BulkDataReadOptions,
    BulkDataURIHandler,
    BulkDataWriteOptions,
    JSONWriteOptions,
    NumberHandling,
)
from dicombind.streams import (
    in_thread,
    read_stream,
    read_stream_async,
    write_stream,
    write_stream_async,
)

if TYPE_CHECKING:
    from dicombind.json.model import DatasetModel

__all__ = [
    "assert_valid",
    "dump",
    "dump_async",
    "dumps",
    "dumps_async",
    "from_model",
    "load",
    "load_async",
    "load_file",
    "load_file_async",
    "load_list",
    "load_list_async",
    "loads",
    "loads_async",
    "loads_file",
    "loads_file_async",
    "loads_list",
    "loads_list_async",
    "to_model",
    "validate",
]


def dumps(
    obj: Dataset | Sequence[Dataset],
    *,
    indent: int | None = None,
    number_handling: NumberHandling = "auto",
    use_keywords_as_keys: bool = False,
    write_keyword: bool = False,
    write_name: bool = False,
    bulk_data_threshold: int = DEFAULT_BULK_DATA_THRESHOLD,
    bulk_data_element_handler: BulkDataElementHandler | None = None,
) -> str:
    """The DICOM JSON Model text of a data set (an object) or of a list of them (an array)."""
    if number_handling not in ("auto", "number", "string"):
        raise ValueError(
            f"number_handling must be 'auto', 'number' or 'string', not {number_handling!r}"
        )
    bulk = BulkDataWriteOptions(bulk_data_threshold, bulk_data_element_handler)
    options = JSONWriteOptions(
        indent, number_handling, use_keywords_as_keys, write_keyword, write_name
    )
    if isinstance(obj, Dataset):
        return write_json(dataset_to_ir(obj, bulk), options)
    return write_json([dataset_to_ir(ds, bulk) for ds in obj], options)


def dump(obj: Dataset | Sequence[Dataset], fp: IO[Any], **options: Any) -> None:
    """Write ``dumps(obj, **options)`` to a binary (UTF-8) or text stream."""
    write_stream(fp, dumps(obj, **options))


def loads(
    document: str | bytes, *, bulk_data_uri_handler: BulkDataURIHandler | None = None
) -> Dataset:
    """One dataset object (or an array holding exactly one) -> a data set."""
    return ir_to_dataset(read_json(document), BulkDataReadOptions(bulk_data_uri_handler))


def loads_file(
    document: str | bytes, *, bulk_data_uri_handler: BulkDataURIHandler | None = None
) -> FileDataset:
    """Like ``loads`` but always a ``FileDataset``, group 0002 in its ``file_meta``."""
    return ir_to_file_dataset(read_json(document), BulkDataReadOptions(bulk_data_uri_handler))


def loads_list(
    document: str | bytes, *, bulk_data_uri_handler: BulkDataURIHandler | None = None
) -> list[Dataset]:
    """A JSON array of dataset objects (a bare object counts as one) -> data sets."""
    options = BulkDataReadOptions(bulk_data_uri_handler)
    return [ir_to_dataset(ir, options) for ir in read_json_list(document)]


def load(fp: IO[Any], **options: Any) -> Dataset:
    return loads(read_stream(fp), **options)


def load_file(fp: IO[Any], **options: Any) -> FileDataset:
    return loads_file(read_stream(fp), **options)


def load_list(fp: IO[Any], **options: Any) -> list[Dataset]:
    return loads_list(read_stream(fp), **options)


async def dumps_async(obj: Dataset | Sequence[Dataset], **options: Any) -> str:
    return await in_thread(dumps, obj, **options)


async def dump_async(obj: Dataset | Sequence[Dataset], fp: Any, **options: Any) -> None:
    """Like ``dump``; ``fp`` may be a synchronous or an asynchronous stream."""
    await write_stream_async(fp, await dumps_async(obj, **options))


async def loads_async(document: str | bytes, **options: Any) -> Dataset:
    return await in_thread(loads, document, **options)


async def loads_file_async(document: str | bytes, **options: Any) -> FileDataset:
    return await in_thread(loads_file, document, **options)


async def loads_list_async(document: str | bytes, **options: Any) -> list[Dataset]:
    return await in_thread(loads_list, document, **options)


async def load_async(fp: Any, **options: Any) -> Dataset:
    return await loads_async(await read_stream_async(fp), **options)


async def load_file_async(fp: Any, **options: Any) -> FileDataset:
    return await loads_file_async(await read_stream_async(fp), **options)


async def load_list_async(fp: Any, **options: Any) -> list[Dataset]:
    return await loads_list_async(await read_stream_async(fp), **options)


def to_model(
    dataset: Dataset,
    *,
    bulk_data_threshold: int = DEFAULT_BULK_DATA_THRESHOLD,
    bulk_data_element_handler: BulkDataElementHandler | None = None,
) -> DatasetModel:
    """The typed pydantic model (generated from our JSON Schema) of ``dataset``."""
    bulk = BulkDataWriteOptions(bulk_data_threshold, bulk_data_element_handler)
    return _model.to_model(dataset_to_ir(dataset, bulk))


def from_model(
    model: DatasetModel, *, bulk_data_uri_handler: BulkDataURIHandler | None = None
) -> Dataset:
    """A pydicom data set from the typed pydantic model."""
    return ir_to_dataset(_model.from_model(model), BulkDataReadOptions(bulk_data_uri_handler))
