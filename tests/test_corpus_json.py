"""Acceptance over the real corpus: DICOM -> JSON -> DICOM for every file pydicom reads.

For each file: our JSON validates against our JSON Schema (draft 2020-12, with jsonschema) and
the model rules; reading it back gives a data set equal element by element and byte for byte
after ``dcmwrite``; and the two models agree: XML -> data set -> JSON is the same text as
data set -> JSON, the direct XML -> JSON conversion too, and JSON -> data set -> XML is the
same text as data set -> XML.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from corpus import (
    PRIVATE_WITHOUT_CREATOR,
    CorpusFile,
    corpus_files,
)
from dataset_compare import assert_exact_round_trip
from jsonschema import Draft202012Validator

from dicombind import json as dicom_json
from dicombind import xml as dicom_xml
from dicombind.json.writer import write_json
from dicombind.options import JSONWriteOptions
from dicombind.xml.reader import read_xml

SCHEMA = Path(__file__).parent.parent / "schemas" / "dicom-json-model.schema.json"


@cache
def schema_validator() -> Any:
    return Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


@pytest.mark.parametrize("corpus_file", corpus_files(), ids=lambda f: f.id)
def test_json_round_trip(corpus_file: CorpusFile) -> None:
    ds = corpus_file.read()
    text = dicom_json.dumps(ds)
    errors = [
        f"{e.json_path}: {e.message:.100}" for e in schema_validator().iter_errors(json.loads(text))
    ]
    assert errors == []
    violations = dicom_json.validate(text)
    if corpus_file.id in PRIVATE_WITHOUT_CREATOR:
        assert violations and all("creator" in v.message.lower() for v in violations)
    else:
        assert violations == []

    back = dicom_json.loads(text)
    assert_exact_round_trip(corpus_file.id, ds, back)


@pytest.mark.parametrize("corpus_file", corpus_files(), ids=lambda f: f.id)
def test_xml_and_json_agree(corpus_file: CorpusFile) -> None:
    ds = corpus_file.read()
    json_text = dicom_json.dumps(ds)
    xml_text = dicom_xml.dumps(ds)
    assert dicom_json.dumps(dicom_xml.loads(xml_text)) == json_text
    assert write_json(read_xml(xml_text), JSONWriteOptions()) == json_text
    assert dicom_xml.dumps(dicom_json.loads(json_text)) == xml_text
