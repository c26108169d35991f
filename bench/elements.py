"""Element counting and full reading of data sets, shared by the dataset builder and the corpus."""

from __future__ import annotations

from pathlib import Path

import pydicom
from pydicom.dataset import Dataset


def count_elements(ds: Dataset) -> int:
    """Number of data elements in ``ds``, counting the elements inside sequence items too.

    A sequence counts as one element plus what its items hold; file meta is not included.
    """
    total = 0
    for elem in ds:
        total += 1
        if elem.VR == "SQ":
            total += sum(count_elements(item) for item in elem.value)
    return total


def read_fully(path: Path) -> Dataset:
    """``dcmread`` a DICOM file (``force=False``) and convert every raw element to its value.

    Raises whatever pydicom raises on a file it cannot read or a value it cannot decode.
    """
    ds = pydicom.dcmread(path, force=False)
    for _ in ds.iterall():  # iterating converts each raw element, nested items included
        pass
    return ds
