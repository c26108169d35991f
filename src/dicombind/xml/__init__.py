"""The PS3.19 Native DICOM Model (``application/dicom+xml``): pydicom <-> XML.

>>> from dicombind import xml
>>> text = xml.dumps(ds)            # Dataset or FileDataset (file meta included) -> str
>>> ds2 = xml.loads(text)           # -> Dataset, or FileDataset when group 0002 is present
>>> xml.validate(text)              # [] or a list of Violation (schema and model rules)

Writing options: ``pretty``, ``namespace`` (default on), ``keyword`` (default on),
``xml_space`` (default off: the normative schema rejects it), ``bulk_data_threshold`` and
``bulk_data_element_handler``.  Reading option: ``bulk_data_uri_handler``.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from pydicom.dataset import Dataset

from dicombind.bridge import dataset_to_ir, ir_to_dataset
from dicombind.options import (
    DEFAULT_BULK_DATA_THRESHOLD,
    BulkDataElementHandler,
    BulkDataReadOptions,
    BulkDataURIHandler,
    BulkDataWriteOptions,
    XMLWriteOptions,
)
from dicombind.streams import (
    in_thread,
    read_stream,
    read_stream_async,
    write_stream,
    write_stream_async,
)
from dicombind.xml import model as _model
from dicombind.xml.reader import read_xml
from dicombind.xml.validate import assert_valid, validate
from dicombind.xml.writer import write_xml

if TYPE_CHECKING:
    from dicombind.generated.native_xml import NativeDicomModel

__all__ = [
    "assert_valid",
    "dump",
    "dump_async",
    "dumps",
    "dumps_async",
    "from_model",
    "load",
    "load_async",
    "loads",
    "loads_async",
    "to_model",
    "validate",
]


def dumps(
    dataset: Dataset,
    *,
    pretty: bool = False,
    namespace: bool = True,
    keyword: bool = True,
    xml_space: bool = False,
    bulk_data_threshold: int = DEFAULT_BULK_DATA_THRESHOLD,
    bulk_data_element_handler: BulkDataElementHandler | None = None,
) -> str:
    """The Native DICOM Model XML document of ``dataset`` (and of its ``file_meta``)."""
    ir = dataset_to_ir(
        dataset, BulkDataWriteOptions(bulk_data_threshold, bulk_data_element_handler)
    )
    return write_xml(ir, XMLWriteOptions(pretty, namespace, keyword, xml_space))


def dump(dataset: Dataset, fp: IO[Any], **options: Any) -> None:
    """Write ``dumps(dataset, **options)`` to a binary (UTF-8) or text stream."""
    write_stream(fp, dumps(dataset, **options))


def loads(
    document: str | bytes, *, bulk_data_uri_handler: BulkDataURIHandler | None = None
) -> Dataset:
    """Read a Native DICOM Model document; a ``FileDataset`` when it holds group 0002."""
    return ir_to_dataset(read_xml(document), BulkDataReadOptions(bulk_data_uri_handler))


def load(fp: IO[Any], **options: Any) -> Dataset:
    """``loads`` of everything a binary or text stream holds."""
    return loads(read_stream(fp), **options)


async def dumps_async(dataset: Dataset, **options: Any) -> str:
    return await in_thread(dumps, dataset, **options)


async def dump_async(dataset: Dataset, fp: Any, **options: Any) -> None:
    """Like ``dump``; ``fp`` may be a synchronous or an asynchronous stream."""
    await write_stream_async(fp, await dumps_async(dataset, **options))


async def loads_async(document: str | bytes, **options: Any) -> Dataset:
    return await in_thread(loads, document, **options)


async def load_async(fp: Any, **options: Any) -> Dataset:
    """Like ``load``; ``fp`` may be a synchronous or an asynchronous stream."""
    return await loads_async(await read_stream_async(fp), **options)


def to_model(
    dataset: Dataset,
    *,
    bulk_data_threshold: int = DEFAULT_BULK_DATA_THRESHOLD,
    bulk_data_element_handler: BulkDataElementHandler | None = None,
) -> NativeDicomModel:
    """The typed model (generated from the PS3.19 schema) of ``dataset``."""
    ir = dataset_to_ir(
        dataset, BulkDataWriteOptions(bulk_data_threshold, bulk_data_element_handler)
    )
    return _model.to_model(ir)


def from_model(
    model: NativeDicomModel, *, bulk_data_uri_handler: BulkDataURIHandler | None = None
) -> Dataset:
    """A pydicom data set from the typed model."""
    return ir_to_dataset(_model.from_model(model), BulkDataReadOptions(bulk_data_uri_handler))
