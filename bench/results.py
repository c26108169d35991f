"""What one benchmark run measured, and the ratios derived from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bench.contenders import YARDSTICK_KEYS, Contender
from bench.corpus import Exclusion
from bench.timing import Outcome, successes

GOAL_RATIO = 5.0


@dataclass(frozen=True)
class ContenderRow:
    contender: Contender
    large: Outcome | None  # None when the contender is not available
    corpus: Mapping[str, Outcome]  # corpus file name -> outcome


@dataclass(frozen=True)
class ToolRow:
    """An external program, timed as a whole process (start-up included)."""

    label: str
    large: Outcome
    corpus: Mapping[str, Outcome]
    startup: Outcome  # median time of the same program printing its version


@dataclass(frozen=True)
class BenchResults:
    environment: tuple[tuple[str, str], ...]
    large_description: str
    corpus_files: tuple[str, ...]
    exclusions: tuple[Exclusion, ...]
    repeat: int
    rows: tuple[ContenderRow, ...]
    tools: tuple[ToolRow, ...]

    def yardstick(self, row: ContenderRow) -> ContenderRow:
        key = YARDSTICK_KEYS[row.contender.direction]
        return next(r for r in self.rows if r.contender.key == key)


@dataclass(frozen=True)
class CorpusSum:
    """A contender's corpus total next to the yardstick's on exactly the same files."""

    seconds: float
    yardstick_seconds: float
    files: int

    @property
    def ratio(self) -> float:
        return self.yardstick_seconds / self.seconds


def large_ratio(row: ContenderRow, yardstick: ContenderRow) -> float | None:
    if isinstance(row.large, float) and isinstance(yardstick.large, float):
        return yardstick.large / row.large
    return None


def corpus_sum(row: ContenderRow, yardstick: ContenderRow) -> CorpusSum | None:
    """Sum of per-file medians over the files both the row and the yardstick managed."""
    mine = successes(row.corpus)
    theirs = successes(yardstick.corpus)
    common = [name for name in mine if name in theirs]
    if not common:
        return None
    return CorpusSum(
        seconds=sum(mine[name] for name in common),
        yardstick_seconds=sum(theirs[name] for name in common),
        files=len(common),
    )


def failures(outcomes: Mapping[str, Outcome]) -> dict[str, str]:
    return {name: value for name, value in outcomes.items() if isinstance(value, str)}
