"""The benchmark's inputs: the large RT Plan, the corpus, and the harness's README writing."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pydicom
import pytest
from pydicom.dataset import Dataset
from pydicom.uid import ExplicitVRLittleEndian, RTPlanStorage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` is not installed

from bench.build_dataset import PRIVATE_CREATOR, PRIVATE_GROUP, build_rt_plan
from bench.contenders import build_contenders
from bench.corpus import Corpus, candidate_paths, load_corpus, pydicom_data_dir
from bench.elements import count_elements
from bench.report import END_MARKER, START_MARKER, write_between_markers


@pytest.fixture(scope="module")
def plan() -> Dataset:
    return build_rt_plan()


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


def _vrs(ds: Dataset) -> set[str]:
    found: set[str] = set()
    for elem in ds.iterall():
        found.add(str(elem.VR))
    return found


def test_count_elements_counts_nested_items() -> None:
    item = Dataset()
    item.BeamNumber = 1
    item.BeamName = "A"
    ds = Dataset()
    ds.PatientID = "1"
    ds.BeamSequence = [item, item]
    assert count_elements(ds) == 1 + 1 + 2 * 2


def test_plan_has_about_ten_thousand_elements(plan: Dataset) -> None:
    assert 9_000 <= count_elements(plan) <= 12_000


def test_plan_is_deterministic(plan: Dataset) -> None:
    again = build_rt_plan()
    assert again == plan
    assert again.to_json() == plan.to_json()


def test_plan_is_a_realistic_rt_plan(plan: Dataset) -> None:
    assert plan.SOPClassUID == RTPlanStorage
    assert plan.file_meta.MediaStorageSOPClassUID == RTPlanStorage
    assert plan.PatientName.ideographic and plan.PatientName.phonetic
    assert len(plan.BeamSequence) >= 4
    point = plan.BeamSequence[0].ControlPointSequence[0]
    mlc = next(
        p for p in point.BeamLimitingDevicePositionSequence if p.RTBeamLimitingDeviceType == "MLCX"
    )
    assert len(mlc.LeafJawPositions) == 120
    bank_a, bank_b = mlc.LeafJawPositions[:60], mlc.LeafJawPositions[60:]
    assert all(a <= b for a, b in zip(bank_a, bank_b, strict=True))  # leaves never overlap
    assert len(point.IsocenterPosition) == 3
    wanted = {"PN", "DA", "TM", "UI", "DS", "IS", "CS", "LO", "SH", "FL", "FD", "US", "SQ"}
    assert wanted <= _vrs(plan)


def test_plan_has_private_elements_with_their_creator(plan: Dataset) -> None:
    block = plan.private_block(PRIVATE_GROUP, PRIVATE_CREATOR)
    assert block.block_start > 0
    assert len(list(plan.group_dataset(PRIVATE_GROUP))) > 2


def test_plan_writes_and_reads_back_equal(plan: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "rtplan.dcm"
    pydicom.dcmwrite(path, plan, enforce_file_format=True)
    again = pydicom.dcmread(path)
    assert again == plan
    assert again.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
    assert again.file_meta.MediaStorageSOPInstanceUID == plan.SOPInstanceUID
    assert str(again.PatientName) == str(plan.PatientName)


def test_pydicom_json_accepts_the_plan(plan: Dataset) -> None:
    text = plan.to_json()
    back = Dataset.from_json(text)
    assert count_elements(back) == count_elements(plan)
    assert back.BeamSequence[-1].ControlPointSequence[-1].ControlPointIndex == (
        plan.BeamSequence[-1].ControlPointSequence[-1].ControlPointIndex
    )


def test_corpus_is_large_and_accounts_for_every_file(corpus: Corpus) -> None:
    assert len(corpus.files) > 80
    kept = {file.name for file in corpus.files}
    excluded = {exclusion.name for exclusion in corpus.exclusions}
    assert not kept & excluded
    root = pydicom_data_dir()
    assert kept | excluded == {path.relative_to(root).as_posix() for path in candidate_paths()}
    assert all(isinstance(file.dataset, Dataset) for file in corpus.files)


def test_corpus_exclusions_give_reasons(corpus: Corpus) -> None:
    assert corpus.exclusions
    assert all(exclusion.reason.strip() for exclusion in corpus.exclusions)
    reasons = {exclusion.name: exclusion.reason for exclusion in corpus.exclusions}
    # Not DICOM files at all: dcmread(force=False) must refuse them.
    assert reasons["test_files/README.txt"].startswith("dcmread")
    assert reasons["test_files/test1.json"].startswith("dcmread")


@pytest.mark.filterwarnings("ignore")
def test_corpus_files_all_pass_the_yardstick(corpus: Corpus) -> None:
    for file in corpus.files:
        Dataset.from_json(file.dataset.to_json())


def test_missing_dicombind_api_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dicombind.xml", types.ModuleType("dicombind.xml"))
    contenders = {contender.key: contender for contender in build_contenders()}
    assert contenders["dicombind.xml.dumps"].unavailable == "`dicombind.xml.dumps` not available"
    assert contenders["dicombind.xml.loads"].unavailable
    assert contenders["pydicom.to_json"].unavailable is None


def test_readme_block_is_replaced_between_markers(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{START_MARKER}\nold figures\n{END_MARKER}\noutro\n")
    assert write_between_markers(readme, "new figures\n")
    assert readme.read_text() == f"intro\n{START_MARKER}\nnew figures\n{END_MARKER}\noutro\n"


def test_readme_without_markers_is_left_untouched(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{START_MARKER}\nno end marker\n")
    before = readme.read_text()
    assert not write_between_markers(readme, "new figures\n")
    assert readme.read_text() == before
    assert not write_between_markers(tmp_path / "missing.md", "x\n")
