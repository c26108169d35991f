"""Hostile input: mutated real documents are read or refused with dicombind's own errors.

A seeded mutator damages documents written from corpus files (characters deleted, repeated,
inserted; brackets, quotes and markup injected; slices duplicated) and feeds them to the full
``loads`` of each model, reader and bridge together.  Every outcome must be a data set or a
DicombindError: never another exception type, never a hang.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable

import pytest
from corpus import corpus_files

from dicombind import json as dicom_json
from dicombind import xml as dicom_xml
from dicombind.errors import DicombindError
from dicombind.json.reader import read_json
from dicombind.json.writer import write_json
from dicombind.options import JSONWriteOptions, XMLWriteOptions
from dicombind.xml.reader import read_xml
from dicombind.xml.writer import write_xml

SOURCES = ("test_files/CT_small.dcm", "test_files/rtplan.dcm", "charset_files/chrX1.dcm")
CASES = 600
INSERTS = {
    "json": ['"', "{", "}", "[", "]", ",", ":", "null", "1e999", '"vr"', '"Value"', "\\u", "-"],
    "xml": ["<", ">", "&", "&#0;", "&#27;", "</Value>", "<Item>", '"', "<!--", "]]>", "\x00"],
}


def _mutate(text: str, rng: random.Random, inserts: list[str]) -> str:
    for _ in range(rng.randint(1, 4)):
        if not text:
            break
        at = rng.randrange(len(text))
        kind = rng.randrange(5)
        if kind == 0:
            text = text[:at] + text[at + rng.randint(1, 20) :]
        elif kind == 1:
            text = text[:at] + rng.choice(inserts) + text[at:]
        elif kind == 2:
            end = min(len(text), at + rng.randint(1, 200))
            text = text[:end] + text[at:end] + text[end:]
        elif kind == 3:
            text = text[:at] + chr(rng.randrange(0x20, 0x3000)) + text[at + 1 :]
        else:
            text = text[:at]  # truncated
    return text


def _convert_to_the_other_model(model: str, document: str) -> None:
    """What xml2json and json2xml do: model to model, no pydicom in between."""
    if model == "json":
        write_xml(read_json(document), XMLWriteOptions())
    else:
        write_json(read_xml(document), JSONWriteOptions())


@pytest.mark.parametrize("model", ["json", "xml"])
def test_mutated_documents_are_read_or_refused_cleanly(model: str) -> None:
    api = dicom_json if model == "json" else dicom_xml
    loads: Callable[[str], object] = api.loads
    files = {f.id: f for f in corpus_files()}
    rng = random.Random(20261121)
    outcomes = {"read": 0, "refused": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for source in SOURCES:
            text = api.dumps(files[source].read())
            for _ in range(CASES // len(SOURCES)):
                damaged = _mutate(text, rng, INSERTS[model])
                assert isinstance(api.validate(damaged), list)  # validate never raises
                try:
                    loads(damaged)
                    _convert_to_the_other_model(model, damaged)
                except DicombindError:
                    outcomes["refused"] += 1
                else:
                    outcomes["read"] += 1
    assert outcomes["refused"] > CASES // 4  # the mutations do break documents
    assert sum(outcomes.values()) == CASES // len(SOURCES) * len(SOURCES)
