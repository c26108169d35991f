"""The in-process contenders: pydicom (the yardstick), dicombind, and orjson (the floor).

A contender turns a data set into a zero-argument callable that does the timed work; the
preparation (for a reader: producing the text it will read) is not timed.  A dicombind API
that does not exist yet is reported as unavailable instead of failing the run.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

import orjson
from pydicom.dataset import Dataset

Direction = Literal["write", "read"]
Runner = Callable[[], object]
Dumps = Callable[[Dataset], str]
Loads = Callable[[str], Dataset]


@dataclass(frozen=True)
class Contender:
    key: str
    label: str
    direction: Direction
    prepare: Callable[[Dataset], Runner]
    unavailable: str | None = None  # why the contender cannot run, if it cannot
    is_yardstick: bool = False
    is_floor: bool = False


YARDSTICK_KEYS: dict[Direction, str] = {"write": "pydicom.to_json", "read": "pydicom.from_json"}


def find_api(module_name: str, name: str) -> tuple[Callable[..., Any] | None, str]:
    """``module_name.name`` if it can be imported and is callable, else None and why not."""
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # a half-written module may raise anything on import
        return None, f"`import {module_name}` fails: {type(exc).__name__}: {exc}"
    api = getattr(module, name, None)
    if not callable(api):
        return None, f"`{module_name}.{name}` not available"
    return api, ""


def _pydicom_dumps(ds: Dataset) -> str:
    return ds.to_json()


def build_contenders() -> list[Contender]:
    """All contenders in table order: per direction, yardstick, dicombind XML/JSON, floor."""
    write: list[Contender] = [
        Contender(
            "pydicom.to_json",
            "pydicom `Dataset.to_json`",
            "write",
            lambda ds: ds.to_json,
            is_yardstick=True,
        )
    ]
    read: list[Contender] = [
        Contender(
            "pydicom.from_json",
            "pydicom `Dataset.from_json`",
            "read",
            lambda ds: partial(Dataset.from_json, ds.to_json()),
            is_yardstick=True,
        )
    ]
    json_dumps: Dumps | None = None
    for fmt in ("xml", "json"):
        dumps, dumps_missing = find_api(f"dicombind.{fmt}", "dumps")
        loads, loads_missing = find_api(f"dicombind.{fmt}", "loads")
        if fmt == "json":
            json_dumps = dumps
        write.append(_dicombind_writer(fmt, dumps, dumps_missing))
        read.append(_dicombind_reader(fmt, dumps, loads, loads_missing or dumps_missing))
        read.append(
            _dicombind_reader(fmt, dumps, loads, loads_missing or dumps_missing, every_value=True)
        )
    write.append(_orjson_floor("write", json_dumps))
    read.append(_orjson_floor("read", json_dumps))
    return write + read


def _dicombind_writer(fmt: str, dumps: Dumps | None, missing: str) -> Contender:
    key = f"dicombind.{fmt}.dumps"
    label = f"dicombind `{fmt}.dumps`"
    if dumps is None:
        return Contender(key, label, "write", _unavailable, unavailable=missing)
    write_text: Dumps = dumps
    return Contender(key, label, "write", lambda ds: partial(write_text, ds))


def _dicombind_reader(
    fmt: str, dumps: Dumps | None, loads: Loads | None, missing: str, every_value: bool = False
) -> Contender:
    """``loads`` returns pydicom's lazy raw elements, as ``dcmread`` does; ``every_value``
    also converts every value (pydicom's own conversion), as ``from_json`` does at once."""
    key = f"dicombind.{fmt}.loads" + (".every_value" if every_value else "")
    label = f"dicombind `{fmt}.loads`" + (", then every value" if every_value else "")
    if dumps is None or loads is None:
        return Contender(key, label, "read", _unavailable, unavailable=missing)
    write_text: Dumps = dumps
    read_text: Loads = loads
    if every_value:
        return Contender(
            key, label, "read", lambda ds: partial(_read_every_value, read_text, write_text(ds))
        )
    return Contender(key, label, "read", lambda ds: partial(read_text, write_text(ds)))


def _read_every_value(read_text: Loads, text: str) -> Dataset:
    ds = read_text(text)
    for elem in ds.iterall():
        elem.value  # noqa: B018 - converts the raw element
    return ds


def _orjson_floor(direction: Direction, json_dumps: Dumps | None) -> Contender:
    """orjson on the finished JSON: the cost of the text alone, with no DICOM work at all.

    The text is dicombind's JSON once it exists, pydicom's until then (the same model).
    """
    source: Dumps = json_dumps if json_dumps is not None else _pydicom_dumps
    origin = "dicombind" if json_dumps is not None else "pydicom"
    if direction == "write":
        return Contender(
            "orjson.dumps",
            f"floor: `orjson.dumps` of the {origin} JSON object",
            "write",
            lambda ds: partial(orjson.dumps, json.loads(source(ds))),
            is_floor=True,
        )
    return Contender(
        "orjson.loads",
        f"floor: `orjson.loads` of the {origin} JSON text",
        "read",
        lambda ds: partial(orjson.loads, source(ds)),
        is_floor=True,
    )


def _unavailable(ds: Dataset) -> Runner:
    raise RuntimeError("contender not available")
