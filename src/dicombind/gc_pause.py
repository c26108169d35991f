"""Keep the cyclic garbage collector from running during one conversion.

A conversion allocates tens of thousands of containers (IR elements, value lists, parsed
JSON, pydicom elements) that all stay alive until it returns, so the collector would run over
and over, each time across the caller's whole heap, without freeing anything: that doubled
read times in a process holding many data sets.  None of these objects forms a reference
cycle, so nothing collectable piles up meanwhile.  A collector the caller switched off stays
off; one that was on is switched on again however the conversion ends.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def collector_paused(function: Callable[P, T]) -> Callable[P, T]:
    @wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> T:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused
