"""The exception hierarchy: every error dicombind raises on bad input is one of these.

Each error says *where* (an attribute path such as ``BeamSequence[2].BeamName`` and the tag)
and *what* is wrong.  The path is built while the error travels up through nested sequences,
so the success path pays nothing for it.
"""

from __future__ import annotations

from dataclasses import dataclass


def format_tag(tag: int) -> str:
    """``0x00100010`` -> ``(0010,0010)``."""
    return f"({tag >> 16:04X},{tag & 0xFFFF:04X})"


def item_step(tag: int, index: int) -> str:
    """Path step for item ``index`` (0-based) of sequence ``tag``: ``BeamSequence[2]``."""
    from pydicom.datadict import keyword_for_tag  # only imported when an error is raised

    name = keyword_for_tag(tag) if not tag & 0x10000 else ""
    return f"{name or format_tag(tag)}[{index}]"


class DicombindError(Exception):
    """Base class of every error raised by dicombind.

    ``path`` is the attribute path from the top-level data set (``""`` at the top),
    ``tag`` the tag of the attribute concerned, if any.
    """

    def __init__(self, message: str, *, path: str = "", tag: int | None = None) -> None:
        self.message = message
        self.path = path
        self.tag = tag
        super().__init__(self._render())

    def _render(self) -> str:
        where = self.path
        if self.tag is not None:
            where = f"{where} {format_tag(self.tag)}" if where else format_tag(self.tag)
        return f"{where}: {self.message}" if where else self.message

    def __str__(self) -> str:
        return self._render()

    def within(self, step: str) -> DicombindError:
        """Prefix ``step`` (for example ``"BeamSequence[2]"``) to the path and return self."""
        self.path = f"{step}.{self.path}" if self.path else step
        self.args = (self._render(),)
        return self


class DocumentError(DicombindError, ValueError):
    """The XML or JSON document is malformed or breaks the model's structure."""


class ValueFormatError(DicombindError, ValueError):
    """A value cannot be represented in (or read from) the requested form."""


class BulkDataError(DicombindError):
    """Bulk data could not be written out or loaded back (handler missing or failing)."""


class DatasetError(DicombindError, ValueError):
    """The pydicom data set cannot be converted (for example an unresolvable VR)."""


@dataclass(frozen=True, slots=True)
class Violation:
    """One rule a document breaks: where (``location``, e.g. a line or an XPath) and what."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class ValidationError(DicombindError):
    """A document breaks the schema or the rules of the model; ``violations`` lists them all."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        first = str(violations[0]) if violations else "invalid document"
        more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
        super().__init__(f"{first}{more}")
