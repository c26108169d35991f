"""Options of the readers and writers, one frozen dataclass per concern.

The public functions (``dicombind.xml.dumps`` and friends) take these as keyword arguments
and build the dataclasses once per call; the hot loops read plain attributes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydicom.dataelem import DataElement

BulkDataElementHandler = Callable[[DataElement], str | None]
"""Called for an element whose value field is longer than ``bulk_data_threshold`` bytes;
returns the URI under which the caller stored the value, or ``None`` to write it inline."""

BulkDataURIHandler = Callable[[str, str, str], Any] | Callable[[str], Any]
"""Called with ``(tag, vr, uri)`` (tag as 8 hex digits) or, for a one-argument callable, with
``(uri)``; returns the value: ``bytes`` for the binary VRs, else bytes or the value itself."""

NumberHandling = Literal["auto", "number", "string"]

DEFAULT_BULK_DATA_THRESHOLD = 1024


@dataclass(frozen=True, slots=True)
class BulkDataWriteOptions:
    """pydicom -> IR: which elements leave the document as bulk data."""

    bulk_data_threshold: int = DEFAULT_BULK_DATA_THRESHOLD
    bulk_data_element_handler: BulkDataElementHandler | None = None


@dataclass(frozen=True, slots=True)
class BulkDataReadOptions:
    """IR -> pydicom: how BulkData URIs become values again."""

    bulk_data_uri_handler: BulkDataURIHandler | None = None


@dataclass(frozen=True, slots=True)
class XMLWriteOptions:
    """IR -> Native DICOM Model XML text."""

    pretty: bool = False
    namespace: bool = True
    keyword: bool = True
    # Off by default: PS3.19 Table A.1.5-1 asks for it but the normative schema rejects it.
    xml_space: bool = False


@dataclass(frozen=True, slots=True)
class JSONWriteOptions:
    """IR -> DICOM JSON Model text."""

    indent: int | None = None
    number_handling: NumberHandling = "auto"
    use_keywords_as_keys: bool = False
    write_keyword: bool = False
    write_name: bool = False
