"""The standard's own example (PS3.18 F.4, repaired to valid JSON) reads and round trips."""

from __future__ import annotations

import base64

from dataset_compare import element_differences
from reference import F4_EXAMPLE

from dicombind import json as dicom_json
from dicombind.json.reader import read_json_list
from dicombind.json.writer import write_json
from dicombind.options import JSONWriteOptions


def test_f4_example_reads_and_round_trips() -> None:
    text = F4_EXAMPLE.read_text(encoding="utf-8")
    datasets = dicom_json.loads_list(text)
    assert len(datasets) == 2
    first = datasets[0]
    assert first.SpecificCharacterSet == "ISO_IR 192"
    assert first[0x00091002].value == base64.b64decode("z0x9c8v7")
    assert first.ModalitiesInStudy == ["CT", "PET"]

    again = dicom_json.loads_list(dicom_json.dumps(datasets))
    for original, back in zip(datasets, again, strict=True):
        assert element_differences(original, back) == []


def test_f4_example_round_trips_model_to_model() -> None:
    ir = read_json_list(F4_EXAMPLE.read_text(encoding="utf-8"))
    assert read_json_list(write_json(ir, JSONWriteOptions())) == ir
