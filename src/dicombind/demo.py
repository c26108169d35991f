"""``make demo``: one sample DICOM file that pydicom ships, through both models and back.

Writes into ./out/ and prints each step with what it checked.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import pydicom
from pydicom.data import get_testdata_file

from dicombind import json as dicom_json
from dicombind import xml as dicom_xml

SAMPLE = "CT_small.dcm"


def _equal_elements(a: pydicom.Dataset, b: pydicom.Dataset) -> bool:
    return [(e.tag, e.VR, str(e.value)) for e in a.iterall()] == [
        (e.tag, e.VR, str(e.value)) for e in b.iterall()
    ]


def main() -> int:
    warnings.simplefilter("ignore")
    source = get_testdata_file(SAMPLE)
    if source is None:
        print(f"pydicom does not ship {SAMPLE}", file=sys.stderr)
        return 1
    out = Path("out")
    out.mkdir(exist_ok=True)
    ds = pydicom.dcmread(source)
    count = sum(1 for _ in ds.iterall()) + len(ds.file_meta)
    print(f"read     {source} ({count} elements, {ds.file_meta.TransferSyntaxUID.name})")

    started = time.perf_counter()
    xml_text = dicom_xml.dumps(ds, pretty=True)
    elapsed = (time.perf_counter() - started) * 1000
    xml_path = out / f"{Path(SAMPLE).stem}.xml"
    xml_path.write_text(xml_text, encoding="utf-8")
    print(f"wrote    {xml_path} ({len(xml_text):,} characters, {elapsed:.1f} ms)")

    violations = dicom_xml.validate(xml_path.read_bytes())
    print(f"validate {xml_path}: {violations or 'valid'}")

    back = dicom_xml.loads(xml_path.read_bytes())
    same = _equal_elements(ds, back) and back.file_meta == ds.file_meta
    print(f"read     {xml_path} back: {'equal to the original' if same else 'DIFFERENT'}")

    json_text = dicom_json.dumps(ds, indent=2)
    json_path = out / f"{Path(SAMPLE).stem}.json"
    json_path.write_text(json_text, encoding="utf-8")
    json_violations = dicom_json.validate(json_text)
    json_back = dicom_json.loads(json_text)
    json_same = _equal_elements(ds, json_back)
    print(
        f"wrote    {json_path}: {json_violations or 'valid'}, "
        f"read back {'equal to the original' if json_same else 'DIFFERENT'}"
    )
    return 0 if not violations and same and not json_violations and json_same else 1


if __name__ == "__main__":
    sys.exit(main())
