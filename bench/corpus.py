"""The benchmark corpus: the DICOM files that ship with pydicom, as far as the yardstick runs.

Every file under pydicom's ``data/test_files`` and ``data/charset_files`` is a candidate.  A file
is kept when ``pydicom.dcmread`` (``force=False``) reads it fully *and* pydicom's own
``to_json``/``from_json`` handle it, so every contender is timed on the same files as the
yardstick.  Every other file is listed with the reason it was left out.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import pydicom.data
from pydicom.dataset import Dataset

from bench.elements import read_fully

CORPUS_DIRS = ("test_files", "charset_files")


@dataclass(frozen=True)
class CorpusFile:
    name: str  # path relative to pydicom's data directory, e.g. "test_files/CT_small.dcm"
    path: Path
    dataset: Dataset


@dataclass(frozen=True)
class Exclusion:
    name: str
    reason: str


@dataclass(frozen=True)
class Corpus:
    files: tuple[CorpusFile, ...]
    exclusions: tuple[Exclusion, ...]


def pydicom_data_dir() -> Path:
    return Path(pydicom.data.__file__).resolve().parent


def candidate_paths() -> list[Path]:
    """Every regular file under the corpus directories, in a stable order."""
    root = pydicom_data_dir()
    return sorted(
        path for folder in CORPUS_DIRS for path in (root / folder).rglob("*") if path.is_file()
    )


def load_corpus() -> Corpus:
    """Read every candidate file; keep those the yardstick handles, explain the others."""
    root = pydicom_data_dir()
    files: list[CorpusFile] = []
    exclusions: list[Exclusion] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydicom warns about many of its deliberately odd files
        for path in candidate_paths():
            name = path.relative_to(root).as_posix()
            dataset, reason = _load_one(path)
            if dataset is None:
                exclusions.append(Exclusion(name, reason))
            else:
                files.append(CorpusFile(name, path, dataset))
    return Corpus(tuple(files), tuple(exclusions))


def _load_one(path: Path) -> tuple[Dataset | None, str]:
    """The fully read data set, or None and why it cannot be part of the corpus."""
    try:
        dataset = read_fully(path)
    except Exception as exc:  # any failure to read means "not a DICOM file pydicom can read"
        return None, f"dcmread: {_describe(exc)}"
    try:
        text = dataset.to_json()
    except Exception as exc:
        return None, f"pydicom to_json: {_describe(exc)}"
    try:
        json.loads(text, parse_constant=_reject_constant)
    except ValueError as exc:
        return None, f"pydicom to_json writes invalid JSON: {exc}"
    try:
        Dataset.from_json(text)
    except Exception as exc:
        return None, f"pydicom from_json: {_describe(exc)}"
    return dataset, ""


def _reject_constant(name: str) -> None:
    raise ValueError(f"non-standard constant {name}")


def _describe(exc: Exception) -> str:
    first_line = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {first_line[:120]}"
