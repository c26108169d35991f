"""Median timings: in-process callables (interleaved rounds) and whole external processes."""

from __future__ import annotations

import gc
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence

from pydicom.dataset import Dataset

from bench.contenders import Contender, Runner

PROCESS_TIMEOUT_S = 120.0

# Per contender key: the median in seconds, or the error that stopped it.
Outcome = float | str


def describe_error(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text[:160]}"


def time_contenders(
    ds: Dataset, contenders: Sequence[Contender], repeat: int
) -> dict[str, Outcome]:
    """Median seconds of each available contender on ``ds``.

    Each contender is prepared and run once untimed (the warm-up), then the contenders take
    turns ``repeat`` times so that drift in the machine's speed hits them all alike.
    """
    outcomes: dict[str, Outcome] = {}
    runners: dict[str, Runner] = {}
    for contender in contenders:
        if contender.unavailable is not None:
            continue
        try:
            runner = contender.prepare(ds)
            runner()
        except Exception as exc:
            outcomes[contender.key] = describe_error(exc)
        else:
            runners[contender.key] = runner
    samples: dict[str, list[float]] = {key: [] for key in runners}
    gc.collect()
    for _ in range(repeat):
        for key, runner in runners.items():
            start = time.perf_counter()
            runner()
            samples[key].append(time.perf_counter() - start)
    outcomes.update({key: statistics.median(times) for key, times in samples.items()})
    return outcomes


def time_process(argv: Sequence[str], repeat: int) -> Outcome:
    """Median wall time of running ``argv`` to completion (output discarded), or why it failed.

    The first run is the untimed warm-up (disk cache) and the check that the tool succeeds.
    """
    try:
        _run(argv)
    except (OSError, subprocess.SubprocessError) as exc:
        return describe_error(exc)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        _run(argv)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _run(argv: Sequence[str]) -> None:
    completed = subprocess.run(
        list(argv),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=PROCESS_TIMEOUT_S,
        check=False,
    )
    if completed.returncode != 0:
        message = completed.stderr.decode(errors="replace").strip().splitlines()
        last = message[-1][:160] if message else ""
        raise subprocess.SubprocessError(f"exit status {completed.returncode}: {last}")


def successes(outcomes: Mapping[str, Outcome]) -> dict[str, float]:
    """Only the measured entries of a name -> outcome mapping."""
    return {name: value for name, value in outcomes.items() if isinstance(value, float)}
