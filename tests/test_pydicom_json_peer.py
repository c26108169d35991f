"""pydicom's own JSON code as a peer, both ways, over the whole corpus.

1. ``pydicom.Dataset.from_json`` of our output equals the original, excusing only pydicom's
   documented reader limits, each named where it is applied.
2. Our ``loads`` of pydicom's ``to_json`` output equals pydicom's own ``from_json`` of the
   same text.
"""

from __future__ import annotations

import copy
import warnings

import pytest
from corpus import CorpusFile, corpus_files, transfer_syntax_of
from dataset_compare import element_differences
from pydicom.dataset import Dataset

from dicombind import json as dicom_json
from dicombind.bridge.binary import swap_words

# pydicom's from_json cannot read these files' JSON (ours or its own), with the reason.
PYDICOM_CANNOT_READ = {
    # IS '1A' is not an integer; pydicom's reader calls int() on every IS string
    "test_files/badVR.dcm": "invalid literal for int()",
}
_WORD_VRS = {"OW", "OF", "OL", "OD", "OV"}


def _with_meta_in_body(ds: Dataset) -> Dataset:
    """pydicom's from_json puts group 0002 into the data set itself (peers.md)."""
    merged = Dataset({tag: ds[tag] for tag in ds.keys()})
    for elem in getattr(ds, "file_meta", None) or []:
        merged.add(elem)
    return merged


def _little_endian_words(ds: Dataset) -> Dataset:
    """pydicom's from_json ignores the transfer syntax (group 0002 is just data to it), so
    binary words stay little endian as PS3.18 writes them, where the original holds the big
    endian words of its file."""
    view = copy.deepcopy(ds)
    for elem in view.iterall():
        if elem.VR in _WORD_VRS and isinstance(elem.value, bytes):
            elem.value = swap_words(elem.value, elem.VR)
    return view


@pytest.mark.parametrize("corpus_file", corpus_files(), ids=lambda f: f.id)
def test_pydicom_reads_our_json(corpus_file: CorpusFile) -> None:
    ds = corpus_file.read()
    text = dicom_json.dumps(ds)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if corpus_file.id in PYDICOM_CANNOT_READ:
            with pytest.raises(ValueError, match=PYDICOM_CANNOT_READ[corpus_file.id]):
                Dataset.from_json(text)
            return
        theirs = Dataset.from_json(text)
    expected = _with_meta_in_body(ds)
    if transfer_syntax_of(ds) == "1.2.840.10008.1.2.2":
        expected = _little_endian_words(expected)
    # pydicom turns JSON numbers into float/int ("DS -> float and IS -> int always",
    # peers.md): DS and IS are compared by value, not by text
    assert element_differences(expected, theirs, decimals_as_numbers=True) == []


@pytest.mark.parametrize("corpus_file", corpus_files(), ids=lambda f: f.id)
def test_we_read_pydicom_json_as_pydicom_does(corpus_file: CorpusFile) -> None:
    ds = corpus_file.read()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if corpus_file.id in PYDICOM_CANNOT_READ:
            with pytest.raises(ValueError, match=PYDICOM_CANNOT_READ[corpus_file.id]):
                ds.to_json()
            return
        text = ds.to_json()
        theirs = Dataset.from_json(text)
    ours = _with_meta_in_body(dicom_json.loads(text))
    assert element_differences(theirs, ours) == []
