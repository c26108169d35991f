"""The benchmark report: a Markdown block for the terminal and for README.md's bench section."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bench.results import (
    GOAL_RATIO,
    BenchResults,
    ContenderRow,
    ToolRow,
    corpus_sum,
    failures,
    large_ratio,
)
from bench.timing import successes

START_MARKER = "<!-- bench:start -->"
END_MARKER = "<!-- bench:end -->"


def render_markdown(results: BenchResults) -> str:
    env = dict(results.environment)
    n_files = len(results.corpus_files)
    lines = [
        f"Measured {env['date']} on {env['machine']} (nproc {env['nproc']}); Python "
        f"{env['python']}, pydicom {env['pydicom']}, orjson {env['orjson']}, "
        f"DCMTK {env['dcmtk']}, dicombind {env['dicombind']}.",
        f"Command: `{env['command']}`. Each figure is the median of {results.repeat} timed runs "
        "after one warm-up run, in one process, all contenders starting from the same "
        "in-memory pydicom data set.",
        "",
        f"- Large dataset: {results.large_description}.",
        f"- Corpus: {n_files} DICOM files shipped with pydicom (`data/test_files`, "
        f"`data/charset_files`); corpus times are sums of per-file medians. "
        f"{_exclusion_summary(results)}",
        "",
        "| direction | contender | large dataset ms | x pydicom | corpus ms | x pydicom "
        "| corpus files |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    lines += [_contender_line(results, row) for row in results.rows]
    lines += [
        "",
        "x pydicom = pydicom's time / the contender's time on the same data (above 1: faster "
        f"than pydicom). Goal: dicombind at least {GOAL_RATIO:g}x pydicom in both directions, "
        "on the large dataset and summed over the corpus.",
        "",
        f"**Goal status:** {goal_status(results)}",
    ]
    if results.tools:
        lines += ["", *_tool_table(results)]
    return "\n".join(lines) + "\n"


def _exclusion_summary(results: BenchResults) -> str:
    if not results.exclusions:
        return "No file was excluded."
    by_cause = Counter(exclusion.reason.split(":")[0] for exclusion in results.exclusions)
    causes = ", ".join(f"{count} by {cause}" for cause, count in by_cause.most_common())
    return (
        f"{len(results.exclusions)} files left out because the yardstick could not run on them "
        f"({causes}; `bench/run.py` prints the list)."
    )


def _contender_line(results: BenchResults, row: ContenderRow) -> str:
    contender = row.contender
    label = contender.label + (" (yardstick)" if contender.is_yardstick else "")
    if contender.unavailable is not None:
        return f"| {contender.direction} | {label} | not available | | | | |"
    yardstick = results.yardstick(row)
    large = _ms(row.large) if isinstance(row.large, float) else "failed"
    total = corpus_sum(row, yardstick)
    corpus_cells = ["failed", "", "0"]
    if total is not None:
        corpus_cells = [_ms(total.seconds), _ratio(total.ratio), str(total.files)]
    failed = len(failures(row.corpus))
    corpus_cells[2] += f"/{len(results.corpus_files)}" + (f" ({failed} failed)" if failed else "")
    return (
        f"| {contender.direction} | {label} | {large} | "
        f"{_ratio(large_ratio(row, yardstick))} | {' | '.join(corpus_cells)} |"
    )


def goal_status(results: BenchResults) -> str:
    """One sentence: met, not met (and where), or not measurable yet (and why)."""
    ours = [
        row for row in results.rows if not (row.contender.is_yardstick or row.contender.is_floor)
    ]
    missing = dict.fromkeys(row.contender.unavailable for row in ours if row.contender.unavailable)
    if missing:
        return "not measurable yet: " + "; ".join(str(reason) for reason in missing) + "."
    shortfalls = []
    for row in ours:
        yardstick = results.yardstick(row)
        ratio = large_ratio(row, yardstick)
        if ratio is None or ratio < GOAL_RATIO:
            shortfalls.append(f"{row.contender.label} on the large dataset ({_ratio(ratio)})")
        total = corpus_sum(row, yardstick)
        complete = total is not None and total.files == len(results.corpus_files)
        if total is None or not complete or total.ratio < GOAL_RATIO:
            shown = _ratio(total.ratio) if total else "failed"
            files = f", {total.files} files" if total and not complete else ""
            shortfalls.append(f"{row.contender.label} on the corpus ({shown}{files})")
    if not shortfalls:
        return f"met: every dicombind reader and writer is at least {GOAL_RATIO:g}x pydicom."
    return "not met: " + "; ".join(shortfalls) + "."


def _tool_table(results: BenchResults) -> list[str]:
    lines = [
        "DCMTK, timed as whole processes (one per file, output discarded): these figures "
        "include process start-up, measured apart as the same program printing its version.",
        "",
        "| tool (whole process) | large dataset ms | minus start-up | corpus ms | "
        "minus start-up | corpus files | start-up ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [_tool_line(results, tool) for tool in results.tools]
    return lines


def _tool_line(results: BenchResults, tool: ToolRow) -> str:
    startup = tool.startup if isinstance(tool.startup, float) else None
    ok = successes(tool.corpus)
    corpus = sum(ok.values())
    cells = [
        _ms(tool.large) if isinstance(tool.large, float) else "failed",
        _ms(tool.large - startup) if isinstance(tool.large, float) and startup else "",
        _ms(corpus) if ok else "failed",
        _ms(corpus - startup * len(ok)) if ok and startup else "",
        f"{len(ok)}/{len(results.corpus_files)}",
        _ms(startup) if startup else "failed",
    ]
    return f"| `{tool.label}` | " + " | ".join(cells) + " |"


def _ms(seconds: float) -> str:
    ms = seconds * 1000.0
    return f"{ms:,.2f}" if ms < 10 else f"{ms:,.1f}"


def _ratio(ratio: float | None) -> str:
    return "" if ratio is None else f"{ratio:.2f}x"


def details(results: BenchResults) -> str:
    """What the table only counts: excluded files, failures of contenders and tools."""
    lines = ["Excluded from the corpus:"]
    lines += [f"  {exclusion.name}: {exclusion.reason}" for exclusion in results.exclusions]
    for row in results.rows:
        if isinstance(row.large, str):
            lines.append(f"{row.contender.label} failed on the large dataset: {row.large}")
        lines += [
            f"{row.contender.label} failed on {name}: {error}"
            for name, error in failures(row.corpus).items()
        ]
    for tool in results.tools:
        if isinstance(tool.large, str):
            lines.append(f"{tool.label} failed on the large dataset: {tool.large}")
        lines += [
            f"{tool.label} failed on {name}: {error}"
            for name, error in failures(tool.corpus).items()
        ]
    return "\n".join(lines) + "\n"


def write_between_markers(path: Path, block: str) -> bool:
    """Replace the text between the bench markers in ``path``; False (untouched) if absent."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    start = text.find(START_MARKER)
    end = text.find(END_MARKER, start + len(START_MARKER)) if start >= 0 else -1
    if start < 0 or end < 0:
        return False
    head = text[: start + len(START_MARKER)]
    path.write_text(f"{head}\n{block}{text[end:]}", encoding="utf-8")
    return True
