"""The real corpus: the DICOM files pydicom ships in data/test_files and data/charset_files.

A file belongs to the corpus when pydicom reads it: with ``dcmread`` as it is, or, for a
``.dcm`` file without the DICOM file meta header, with ``force=True``.  Everything else in
those folders (READMEs, dumps, JSON, an ICC profile, a gzip) is not DICOM and is left out.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.uid import UID, ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

DATA_ROOT = Path(pydicom.data.__file__).parent
FOLDERS = ("test_files", "charset_files")


@dataclass(frozen=True)
class CorpusFile:
    path: Path
    force: bool

    @property
    def id(self) -> str:
        return str(self.path.relative_to(DATA_ROOT))

    def read(self) -> Dataset:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = pydicom.dcmread(self.path, force=self.force)
            for _ in ds.iterall():  # convert every raw element now, with warnings silenced
                pass
        return ds


def _reads(path: Path, force: bool) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = pydicom.dcmread(path, force=force)
            return len(ds) > 0 and sum(1 for _ in ds.iterall()) > 0
    except (InvalidDicomError, EOFError, OSError, ValueError, KeyError, TypeError):
        return False


@cache
def corpus_files() -> tuple[CorpusFile, ...]:
    found: list[CorpusFile] = []
    for folder in FOLDERS:
        for root, _, names in os.walk(DATA_ROOT / folder):
            for name in sorted(names):
                path = Path(root) / name
                if _reads(path, force=False):
                    found.append(CorpusFile(path, force=False))
                elif path.suffix == ".dcm" and _reads(path, force=True):
                    found.append(CorpusFile(path, force=True))
    return tuple(sorted(found, key=lambda f: f.id))


def transfer_syntax_of(ds: Dataset) -> UID:
    """The transfer syntax a file was read with (file meta, else pydicom's guess)."""
    meta = getattr(ds, "file_meta", None)
    if meta is not None and "TransferSyntaxUID" in meta:
        return UID(meta.TransferSyntaxUID)
    implicit, little = ds.original_encoding
    if implicit:
        return ImplicitVRLittleEndian
    return ExplicitVRLittleEndian if little is not False else ExplicitVRBigEndian


# Files with private data elements whose block has no Private Creator element: both models
# name each private element's creator, which these files do not have, so a validator reports
# exactly that (and nothing else) for them.
PRIVATE_WITHOUT_CREATOR = frozenset({"test_files/UN_sequence.dcm", "test_files/waveform_ecg.dcm"})

# Files whose round trip cannot be byte-identical, with the reason; tests prove the reason is
# the only difference.
WITHOUT_META_GROUP_LENGTH = frozenset({"test_files/no_meta_group_length.dcm"})
# (its file meta lacks (0002,0000), which PS3.10 requires of a file; the models carry no group
# lengths, so reading back adds it)
