"""One benchmark run: build the large dataset, load the corpus, time everything, report."""

from __future__ import annotations

import argparse
import gc
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pydicom.dataset import Dataset

from bench.build_dataset import (
    DEFAULT_BEAMS,
    DEFAULT_CONTROL_POINTS,
    LEAF_PAIRS,
    build_rt_plan,
    write_rt_plan,
)
from bench.contenders import Contender, build_contenders
from bench.corpus import Corpus, load_corpus
from bench.elements import count_elements, read_fully
from bench.report import details, render_markdown, write_between_markers
from bench.results import BenchResults, ContenderRow, ToolRow
from bench.timing import Outcome, time_contenders, time_process

# Sized so that a full run stays around 2 minutes on 2 cores (most of it DCMTK's processes).
DEFAULT_REPEAT = 7
QUICK_REPEAT = 3
# Binary values inline as base64, as pydicom and dicombind write them.
DCMTK_TOOLS: tuple[tuple[str, ...], ...] = (("dcm2xml", "-nat", "+Eb"), ("dcm2json",))


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Time dicombind's XML and JSON against pydicom's to_json/from_json.",
    )
    parser.add_argument(
        "--repeat", type=int, help=f"timed runs per measurement (default {DEFAULT_REPEAT})"
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_REPEAT} timed runs (unless --repeat)"
    )
    parser.add_argument(
        "--write-readme",
        type=Path,
        metavar="PATH",
        help="replace the text between the bench markers in PATH with the results",
    )
    args = parser.parse_args(argv)
    if args.repeat is None:
        args.repeat = QUICK_REPEAT if args.quick else DEFAULT_REPEAT
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    warnings.simplefilter("ignore")  # the same for every contender; pydicom warns a lot
    with tempfile.TemporaryDirectory(prefix="dicombind-bench-") as tmp:
        results = run(args.repeat, Path(tmp), command=" ".join(["python", "bench/run.py", *argv]))
    block = render_markdown(results)
    print(details(results))
    print(block)
    if args.write_readme is not None:
        if write_between_markers(args.write_readme, block):
            print(f"wrote the results into {args.write_readme}")
        else:
            print(
                f"warning: {args.write_readme} has no `<!-- bench:start -->` ... "
                "`<!-- bench:end -->` markers (or does not exist); left it untouched",
                file=sys.stderr,
            )
    return 0


def run(repeat: int, workdir: Path, command: str) -> BenchResults:
    large_path = workdir / "rtplan.dcm"
    write_rt_plan(large_path, build_rt_plan())
    large = read_fully(large_path)  # read back, so that it is the same data DCMTK reads
    n_elements = count_elements(large)
    description = (
        f"RT Plan, {n_elements:,} data elements ({DEFAULT_BEAMS} beams x "
        f"{DEFAULT_CONTROL_POINTS} control points, {2 * LEAF_PAIRS} MLC leaf positions each; "
        f"{large_path.stat().st_size / 1e6:.2f} MB as a DICOM file)"
    )
    _progress(f"large dataset: {n_elements} data elements")
    corpus = load_corpus()
    _progress(f"corpus: {len(corpus.files)} files, {len(corpus.exclusions)} excluded")
    # The fixtures live for the whole run: keep them out of the garbage collector's full
    # passes, so that a contender pays for collecting its own objects only.
    gc.collect()
    gc.freeze()

    contenders = build_contenders()
    rows = _time_in_process(contenders, large, corpus, repeat)
    tools = _time_tools(large_path, corpus, repeat)
    return BenchResults(
        environment=_environment(command),
        large_description=description,
        corpus_files=tuple(file.name for file in corpus.files),
        exclusions=corpus.exclusions,
        repeat=repeat,
        rows=rows,
        tools=tools,
    )


def _time_in_process(
    contenders: list[Contender], large: Dataset, corpus: Corpus, repeat: int
) -> tuple[ContenderRow, ...]:
    _progress("timing in-process contenders on the large dataset")
    on_large = time_contenders(large, contenders, repeat)
    on_corpus: dict[str, dict[str, Outcome]] = {c.key: {} for c in contenders}
    _progress(f"timing in-process contenders on {len(corpus.files)} corpus files")
    for file in corpus.files:
        for key, outcome in time_contenders(file.dataset, contenders, repeat).items():
            on_corpus[key][file.name] = outcome
    return tuple(
        ContenderRow(c, None if c.unavailable else on_large[c.key], on_corpus[c.key])
        for c in contenders
    )


def _time_tools(large_path: Path, corpus: Corpus, repeat: int) -> tuple[ToolRow, ...]:
    rows = []
    for tool in DCMTK_TOOLS:
        if shutil.which(tool[0]) is None:
            _progress(f"{tool[0]} not found: DCMTK row left out")
            continue
        _progress(f"timing `{' '.join(tool)}` (large dataset and corpus)")
        rows.append(
            ToolRow(
                label=" ".join(tool),
                large=time_process([*tool, str(large_path)], repeat),
                corpus={
                    file.name: time_process([*tool, str(file.path)], repeat)
                    for file in corpus.files
                },
                startup=time_process([tool[0], "--version"], max(repeat, 20)),
            )
        )
    return tuple(rows)


def _environment(command: str) -> tuple[tuple[str, str], ...]:
    return (
        ("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("machine", f"{platform.machine()} {_cpu_model()}".strip()),
        ("nproc", str(len(os.sched_getaffinity(0)))),
        ("python", platform.python_version()),
        ("pydicom", _package_version("pydicom")),
        ("orjson", _package_version("orjson")),
        ("dicombind", _package_version("dicombind")),
        ("dcmtk", _dcmtk_version()),
        ("command", command),
    )


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor()
    for line in cpuinfo.splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor()


def _dcmtk_version() -> str:
    """``$dcmtk: dcm2json v3.6.7 2022-04-22 $`` -> ``3.6.7``."""
    try:
        banner = subprocess.run(
            ["dcm2json", "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "not installed"
    words = banner.split()
    return next((word[1:] for word in words if word.startswith("v") and "." in word), "unknown")


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)
