"""Acceptance over the real corpus: DICOM -> XML -> DICOM for every file pydicom reads.

For each file: the XML validates against the normative RELAX NG and the model rules; reading
it back gives a data set equal element by element; and ``dcmwrite`` with the original's
transfer syntax gives the same bytes as ``dcmwrite`` of the original.
"""

from __future__ import annotations

import pytest
from corpus import (
    PRIVATE_WITHOUT_CREATOR,
    CorpusFile,
    corpus_files,
)
from dataset_compare import assert_exact_round_trip

from dicombind import xml as dicom_xml

# Files whose round trip cannot be byte-identical, each with the reason; the test proves the
# reason is the only difference.
BYTES_DIFFER = {
    "test_files/no_meta_group_length.dcm": (
        "its file meta lacks (0002,0000), which PS3.10 requires of a file; the models carry "
        "no group lengths, so reading back adds it"
    ),
}


# Files that break a rule of the model themselves: the XML says so, and only that.
SOURCE_BREAKS_A_RULE = {
    "test_files/UN_sequence.dcm": "without privateCreator",
    "test_files/waveform_ecg.dcm": "without privateCreator",
}
# (Private data elements whose block has no Private Creator element in the file: PS3.19 names
# each private element's creator, which these files do not have.  The RELAX NG still passes.)


@pytest.mark.parametrize("corpus_file", corpus_files(), ids=lambda f: f.id)
def test_xml_round_trip(corpus_file: CorpusFile) -> None:
    ds = corpus_file.read()
    text = dicom_xml.dumps(ds)
    violations = dicom_xml.validate(text)
    if corpus_file.id in PRIVATE_WITHOUT_CREATOR:  # the RELAX NG passes; only that rule fails
        assert violations
        assert all("without privateCreator" in v.message for v in violations), violations
    else:
        assert violations == []

    back = dicom_xml.loads(text)
    assert_exact_round_trip(corpus_file.id, ds, back)


def test_corpus_is_the_real_one() -> None:
    files = corpus_files()
    assert len(files) > 150
    assert any(f.id.startswith("charset_files/") for f in files)
    assert any(f.force for f in files)  # the files without file meta are in it too
