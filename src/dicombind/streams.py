"""Reading documents from, and writing them to, files and streams (sync and async).

One place for the rules every API function follows: a document is written as UTF-8 to a binary
stream or as text to a text stream; reading accepts either; asynchronous streams (whose
``read``/``write``/``drain`` return awaitables, such as asyncio's StreamReader/StreamWriter or
aiofiles) are awaited; CPU-bound conversion runs in a worker thread so an event loop is not
blocked.  Paths are written atomically: the document goes to a temporary file in the same
folder, which replaces the target only when complete.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def read_stream(fp: IO[Any]) -> str | bytes:
    data = fp.read()
    if not isinstance(data, str | bytes):
        raise TypeError(f"{type(fp).__name__}.read() returned {type(data).__name__}")
    return data


def write_stream(fp: IO[Any], text: str) -> None:
    if isinstance(fp, io.TextIOBase):
        fp.write(text)
    else:
        fp.write(text.encode("utf-8"))


async def read_stream_async(fp: Any) -> str | bytes:
    data = fp.read()
    if inspect.isawaitable(data):
        data = await data
    if not isinstance(data, str | bytes):
        raise TypeError(f"{type(fp).__name__}.read() returned {type(data).__name__}")
    return data


async def write_stream_async(fp: Any, text: str) -> None:
    payload: str | bytes = text if isinstance(fp, io.TextIOBase) else text.encode("utf-8")
    try:
        result = fp.write(payload)
    except TypeError:  # an async text stream that wants str
        result = fp.write(text)
    if inspect.isawaitable(result):
        await result
    drain = getattr(fp, "drain", None)
    if drain is not None:
        drained = drain()
        if inspect.isawaitable(drained):
            await drained


async def in_thread(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    return await asyncio.to_thread(function, *args, **kwargs)


def _mode_for(target: Path) -> int:
    """The existing file's permissions, else those the umask gives a new file."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_file_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so that no partial file is ever left behind."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        # mkstemp creates the file 0600: give it the mode an ordinary open() would have
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
