"""DCMTK as a peer: run its converters and describe exactly how their output departs from
what pydicom reads, so interop tests excuse the known defects and nothing more.

Each excuse is a function that turns pydicom's reading of a file into what DCMTK is known to
write, applying only where its defect applies, and records that it was used.  The defects
come from ``shared/reference/notes/peers.md`` ("listed") or were observed with DCMTK 3.6.7 on
this corpus and are described where they are applied ("observed").
"""

from __future__ import annotations

import copy
import math
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable

from corpus import CorpusFile
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.uid import UID

from dicombind.bridge.binary import swap_words

EXCUSES_USED: Counter[str] = Counter()
_WORD_VRS = {"OW", "OF", "OL", "OD", "OV"}
_TEXT_VRS = {"LO", "LT", "PN", "SH", "ST", "UC", "UT"}
_SPACE_INSENSITIVE_VRS = {"AE", "CS", "DA", "DS", "DT", "IS", "LO", "SH", "TM", "UI", "UC"}


def have_dcmtk() -> bool:
    return shutil.which("dcm2xml") is not None and shutil.which("dcm2json") is not None


def run(tool: str, corpus_file: CorpusFile, *options: str) -> subprocess.CompletedProcess[bytes]:
    read_options = ["-f"] if corpus_file.force else []  # a data set without file meta
    return subprocess.run(
        [tool, *options, *read_options, str(corpus_file.path)],
        capture_output=True,
        timeout=120,
        check=False,
    )


def excuse(name: str) -> None:
    EXCUSES_USED[name] += 1


def body_of(ds: Dataset) -> Dataset:
    """The data set without file meta (DCMTK's converters write no group 0002 by default)."""
    return Dataset({tag: ds[tag] for tag in ds.keys() if tag.group != 0x0002})


def walk(ds: Dataset, change: Callable[[Dataset, int], None]) -> None:
    for tag in list(ds.keys()):
        elem = ds[tag]
        if elem.VR == "SQ":
            for item in elem.value:
                walk(item, change)
        change(ds, tag)


def dcm2xml_view(ds: Dataset, transfer_syntax: UID) -> Dataset:
    """What ``dcm2xml -nat +Xn +Eb`` is known to write for ``ds``, as pydicom values."""
    return _view(ds, transfer_syntax, xml=True)


def dcm2json_view(ds: Dataset, transfer_syntax: UID) -> Dataset:
    """What ``dcm2json`` is known to write for ``ds``, as pydicom values (DS and IS are
    compared as numbers: it writes them as JSON numbers of its own formatting, peers.md)."""
    view = _view(ds, transfer_syntax, xml=False)
    if "SpecificCharacterSet" in view:
        # listed: "Rewrites (0008,0005) to ISO_IR 192"
        view.SpecificCharacterSet = "ISO_IR 192"
        excuse("dcm2json: (0008,0005) rewritten to ISO_IR 192")
    return view


def _view(ds: Dataset, transfer_syntax: UID, *, xml: bool) -> Dataset:
    view = copy.deepcopy(body_of(ds))
    big_endian = transfer_syntax == "1.2.840.10008.1.2.2"
    compressed = transfer_syntax.is_transfer_syntax and transfer_syntax.is_compressed
    gb18030 = view.get("SpecificCharacterSet") == "GB18030"

    def change(item: Dataset, tag: int) -> None:
        elem = item[tag]
        if elem.VR == "SQ":
            if xml:
                _private_without_creator(item, tag)
            return
        if xml and gb18030:
            _gb18030_undecoded(elem)
        if xml and tag == 0x7FE00010 and compressed:
            # listed: "+Eb ... writes an empty <InlineBinary> for compressed pixel data"
            # (the VR it gives the empty element follows Bits Allocated: not compared)
            elem.value = None
            excuse("dcm2xml: empty InlineBinary for compressed pixel data")
            return
        if elem.VR in _WORD_VRS and isinstance(elem.value, bytes) and len(elem.value) % 2 == 0:
            _word_order(elem, big_endian, xml)
        if isinstance(elem.value, bytes) and len(elem.value) % 2:
            # observed: the value field of an odd-length binary value is written padded
            elem.value += b"\x00"
            excuse("DCMTK: odd-length binary value padded with NUL")
        if xml:
            _strip_insignificant_spaces(elem)
        _person_names(elem, phonetic_copy=xml)
        if xml:
            _private_without_creator(item, tag)

    walk(view, change)
    return view


def _word_order(elem: DataElement, big_endian: bool, xml: bool) -> None:
    if xml and not big_endian:
        # listed: "+Eb inlines them but writes OW/OL/OF/OD/OV big-endian"
        elem.value = swap_words(elem.value, elem.VR)
        excuse("dcm2xml: +Eb writes OW/OF/OL/OD/OV big endian")
    elif not xml and big_endian:
        # not a defect: dcm2json writes little endian as PS3.18 asks and no file meta, so
        # the words read back little endian where pydicom holds the big endian file's words
        elem.value = swap_words(elem.value, elem.VR)
        excuse("dcm2json: little endian words of a big endian file")


def _gb18030_undecoded(elem: DataElement) -> None:
    # observed: GB18030 text is copied without decoding, as if it were Latin-1
    if elem.VR not in _TEXT_VRS or elem.value in (None, ""):
        return
    multi = isinstance(elem.value, MultiValue | list)
    texts = [str(v) for v in elem.value] if multi else [str(elem.value)]
    undecoded = [t.encode("gb18030").decode("latin-1") for t in texts]
    if undecoded != texts:
        elem.value = undecoded if multi else undecoded[0]
        excuse("dcm2xml: GB18030 text copied undecoded")


def _strip_insignificant_spaces(elem: DataElement) -> None:
    # observed: leading/trailing spaces of each value of a VR where PS3.5 makes them
    # insignificant are dropped, also inside multi-values ('DERIVED \\PRIMARY')
    if elem.VR not in _SPACE_INSENSITIVE_VRS or elem.value is None:
        return
    multi = isinstance(elem.value, MultiValue | list)
    values = [str(v) for v in elem.value] if multi else [str(elem.value)]
    stripped = [v.strip(" ") for v in values]
    if stripped != values:
        elem.value = stripped if multi else stripped[0]
        excuse("DCMTK: insignificant spaces around values dropped")


def _person_names(elem: DataElement, *, phonetic_copy: bool) -> None:
    if elem.VR != "PN" or elem.value in (None, ""):
        return
    multi = isinstance(elem.value, MultiValue | list)
    names = [str(v) for v in elem.value] if multi else [str(elem.value)]
    changed: list[str] = []
    for name in names:
        groups = [group.rstrip("^") for group in name.split("=")]
        while groups and not groups[-1]:
            groups.pop()
        if "=".join(groups) != name:
            # observed: trailing empty components and groups are not written
            excuse("DCMTK: trailing empty person name components dropped")
        if phonetic_copy and len(groups) == 2:
            # listed (dcm2xml): "Invents a Phonetic name group as a copy of the Ideographic one"
            groups.append(groups[1])
            excuse("DCMTK: Phonetic group invented as a copy of the Ideographic one")
        new = "=".join(groups)
        if not new and changed:
            # listed: "for a multi-valued PN with an empty value it repeats the previous
            # name's components"
            new = changed[-1]
            excuse("DCMTK: empty value of a multi-valued PN repeats the previous name")
        changed.append(new)
    if changed != names:
        elem.value = changed if multi else changed[0]


def _private_without_creator(item: Dataset, tag: int) -> None:
    # observed: a private data element whose block has no Private Creator element is written
    # with the block byte masked all the same (gggg00ee) and no privateCreator, so the
    # element number that remains is all any reader can recover
    group, element = tag >> 16, tag & 0xFFFF
    if not group & 1 or element < 0x1000:
        return
    if (group << 16) | (element >> 8) in item:
        return
    elem = item[tag]
    del item[tag]
    masked = (group << 16) | (element & 0xFF)
    item.add_new(masked, elem.VR, elem.value)
    excuse("DCMTK: private element without a creator written with a masked tag")


def adopt_doubles_within_an_ulp(expected: Dataset, actual: Dataset) -> None:
    """observed: FD values are printed with 20 digits that can be one unit in the last place
    off (0.02622878766196998 is written 0.026228787661969974): where DCMTK's double is that
    close to pydicom's, take DCMTK's."""
    for tag in expected.keys():
        if tag not in actual:
            continue
        mine, theirs = expected[tag], actual[tag]
        if mine.VR == "SQ" and theirs.VR == "SQ" and len(mine.value) == len(theirs.value):
            for a, b in zip(mine.value, theirs.value, strict=True):
                adopt_doubles_within_an_ulp(a, b)
        elif mine.VR == "FD" == theirs.VR and mine.value != theirs.value:
            ours = list(mine.value) if isinstance(mine.value, MultiValue) else [mine.value]
            dcmtk = list(theirs.value) if isinstance(theirs.value, MultiValue) else [theirs.value]
            if len(ours) == len(dcmtk) and all(
                _within_an_ulp(a, b) for a, b in zip(ours, dcmtk, strict=True)
            ):
                mine.value = theirs.value
                excuse("DCMTK: FD printed one unit in the last place off")


def _within_an_ulp(a: object, b: object) -> bool:
    if not isinstance(a, float) or not isinstance(b, float):
        return a == b
    return a == b or (math.isfinite(a) and abs(a - b) <= math.ulp(a))
