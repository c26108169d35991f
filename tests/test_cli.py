"""The ``dicombind`` command, run as a real process on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pydicom
import pytest
from dataset_compare import element_differences
from pydicom.data import get_charset_files, get_testdata_file

SAMPLE = Path(get_testdata_file("CT_small.dcm") or "")
JAPANESE = Path(get_charset_files("chrH31.dcm")[0])


def dicombind(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "dicombind.cli", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )


def read(path: Path) -> pydicom.Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = pydicom.dcmread(path)
        list(ds.iterall())
    return ds


def test_dcm2xml_and_back_to_a_valid_dicom_file(tmp_path: Path) -> None:
    xml = tmp_path / "ct.xml"
    assert dicombind("dcm2xml", str(SAMPLE), str(xml), "--pretty").returncode == 0
    assert xml.read_text(encoding="utf-8").startswith("<?xml")
    validated = dicombind("validate", str(xml))
    assert validated.returncode == 0 and b"valid xml" in validated.stdout
    dcm = tmp_path / "ct.dcm"
    assert dicombind("xml2dcm", str(xml), str(dcm)).returncode == 0
    data = dcm.read_bytes()
    assert data[128:132] == b"DICM"  # a PS3.10 file: preamble, prefix, file meta
    assert element_differences(read(SAMPLE), read(dcm)) == []


def test_dcm2json_and_back(tmp_path: Path) -> None:
    out = tmp_path / "ct.json"
    assert dicombind("dcm2json", str(SAMPLE), str(out), "--indent", "2").returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["00100010"]["vr"] == "PN"
    assert dicombind("validate", str(out)).returncode == 0
    dcm = tmp_path / "ct.dcm"
    assert dicombind("json2dcm", str(out), str(dcm)).returncode == 0
    assert element_differences(read(SAMPLE), read(dcm)) == []


def test_number_handling_flag(tmp_path: Path) -> None:
    text = dicombind("dcm2json", str(SAMPLE), "--number-handling", "string").stdout
    pixel_spacing = json.loads(text)["00280030"]["Value"]
    assert all(isinstance(v, str) for v in pixel_spacing)


def test_xml2json_and_json2xml_directly(tmp_path: Path) -> None:
    xml, as_json, xml_again = tmp_path / "a.xml", tmp_path / "a.json", tmp_path / "b.xml"
    assert dicombind("dcm2xml", str(JAPANESE), str(xml)).returncode == 0
    assert dicombind("xml2json", str(xml), str(as_json)).returncode == 0
    assert as_json.read_bytes() == dicombind("dcm2json", str(JAPANESE)).stdout
    assert dicombind("json2xml", str(as_json), str(xml_again)).returncode == 0
    assert xml_again.read_bytes() == xml.read_bytes()


def test_private_blocks_are_placed_between_the_models(tmp_path: Path) -> None:
    document = tmp_path / "private.xml"
    document.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<NativeDicomModel xmlns="http://dicom.nema.org/PS3.19/models/NativeDICOM">'
        '<DicomAttribute tag="00090010" vr="LO" privateCreator="ACME 1">'
        '<Value number="1">a</Value></DicomAttribute>'
        '<DicomAttribute tag="00090010" vr="LO" privateCreator="ACME 2">'
        '<Value number="1">b</Value></DicomAttribute>'
        "</NativeDicomModel>",
        encoding="utf-8",
    )
    result = dicombind("xml2json", str(document))
    assert result.returncode == 0, result.stderr
    converted = json.loads(result.stdout)
    assert converted["00090010"]["Value"] == ["ACME 1"]
    assert converted["00090011"]["Value"] == ["ACME 2"]
    assert converted["00091010"]["Value"] == ["a"]
    assert converted["00091110"]["Value"] == ["b"]


def test_standard_input_and_output() -> None:
    result = dicombind("dcm2json", "-", stdin=SAMPLE.read_bytes())
    assert result.returncode == 0
    back = dicombind("json2xml", "-", stdin=result.stdout)
    assert back.returncode == 0 and b"<NativeDicomModel" in back.stdout


@pytest.mark.parametrize(
    ("command", "content", "message"),
    [
        ("xml2dcm", b"<NativeDicomModel><oops", "not well-formed"),
        ("json2dcm", b'{"00100010": {"vr": "PN", "Value": [1]}}', "(0010,0010)"),
        ("xml2json", b"<!DOCTYPE x [<!ENTITY a 'b'>]><NativeDicomModel/>", "DOCTYPE"),
    ],
)
def test_bad_input_one_line_error_and_no_output_file(
    tmp_path: Path, command: str, content: bytes, message: str
) -> None:
    source = tmp_path / "bad.in"
    source.write_bytes(content)
    target = tmp_path / "out.file"
    result = dicombind(command, str(source), str(target))
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith(f"dicombind {command}")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]  # no temporary file left behind either


def test_an_existing_output_survives_a_failed_conversion(tmp_path: Path) -> None:
    target = tmp_path / "out.dcm"
    target.write_bytes(b"previous")
    source = tmp_path / "bad.json"
    source.write_text('{"00280010": {"vr": "US", "Value": ["x"]}}', encoding="utf-8")
    assert dicombind("json2dcm", str(source), str(target)).returncode == 1
    assert target.read_bytes() == b"previous"


def test_not_a_dicom_file_and_missing_file(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello", encoding="utf-8")
    result = dicombind("dcm2xml", str(text_file))
    assert result.returncode == 1 and b"not a DICOM file" in result.stderr
    missing = dicombind("dcm2json", str(tmp_path / "missing.dcm"))
    assert missing.returncode == 1 and b"cannot read" in missing.stderr


def test_validate_reports_every_violation(tmp_path: Path) -> None:
    document = tmp_path / "bad.xml"
    document.write_text(
        '<NativeDicomModel xmlns="http://dicom.nema.org/PS3.19/models/NativeDICOM">'
        '<DicomAttribute tag="00100010" vr="PN"><Value number="2">x</Value></DicomAttribute>'
        '<DicomAttribute tag="0010001g" vr="LO"/></NativeDicomModel>',
        encoding="utf-8",
    )
    result = dicombind("validate", str(document))
    assert result.returncode == 1
    assert len(result.stderr.decode().strip().splitlines()) >= 3  # each violation + summary


def test_usage_error_exits_2() -> None:
    assert dicombind("dcm2xml").returncode == 2


def test_output_files_get_the_usual_permissions(tmp_path: Path) -> None:
    out = tmp_path / "ct.xml"
    assert dicombind("dcm2xml", str(SAMPLE), str(out)).returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    out.chmod(0o640)  # an existing file keeps its mode
    assert dicombind("dcm2xml", str(SAMPLE), str(out)).returncode == 0
    assert out.stat().st_mode & 0o777 == 0o640
