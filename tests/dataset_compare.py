"""Compare pydicom data sets the way the acceptance criteria state it.

``element_differences`` compares element by element (tag, VR, value; DS/IS by their exact
text, sequences item by item, file meta too).  ``written_bytes`` gives what ``dcmwrite`` makes
of a data set with a given transfer syntax, after normalising the one binary-encoding choice
neither text model carries: defined or undefined length of sequences and items (PS3.5 7.5).
The preamble and 'DICM' prefix are not part of the data set and are left out.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from corpus import WITHOUT_META_GROUP_LENGTH, transfer_syntax_of
from pydicom import dcmwrite
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.multival import MultiValue
from pydicom.uid import UID

from dicombind.floats import to_float32

_TEXT_COMPARED = {"DS", "IS", "PN", "UI"}


def _values(elem_value: object) -> list[object]:
    if isinstance(elem_value, MultiValue | list | tuple):
        return list(elem_value)
    return [elem_value]


def _same_number(vr: str, a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if a != a:
            return b != b  # NaN
        if vr == "FL":  # an FL value is a 32-bit float, whatever double it was set from
            return to_float32(a) == to_float32(b)
    return a == b


def _number(value: object) -> object:
    """A DS/IS value as a number; text that is no number stays text."""
    if value is None or value == "":
        return None
    try:
        return float(str(value))
    except ValueError:
        return str(value)


def _same_value(vr: str, a: object, b: object, decimals_as_numbers: bool = False) -> bool:
    if decimals_as_numbers and vr in ("DS", "IS"):
        return [_number(v) for v in _values(a)] == [_number(v) for v in _values(b)]
    if vr in _TEXT_COMPARED:
        norm_a = [("" if v is None else str(v)) for v in _values(a)]
        norm_b = [("" if v is None else str(v)) for v in _values(b)]
        return norm_a == norm_b
    if a in (None, "", b"") or b in (None, "", b""):
        return a in (None, "", b"") and b in (None, "", b"")
    values_a, values_b = _values(a), _values(b)
    return len(values_a) == len(values_b) and all(
        _same_number(vr, x, y) for x, y in zip(values_a, values_b, strict=True)
    )


def element_differences(
    a: Dataset, b: Dataset, path: str = "", *, decimals_as_numbers: bool = False
) -> list[str]:
    """Differences of tag, VR and value; DS/IS by their text unless ``decimals_as_numbers``."""
    found: list[str] = []
    meta_a = getattr(a, "file_meta", None)
    meta_b = getattr(b, "file_meta", None)
    if path == "" and (meta_a or meta_b):
        empty = FileMetaDataset()
        found += element_differences(
            meta_a or empty, meta_b or empty, "meta", decimals_as_numbers=decimals_as_numbers
        )
    tags_a = {t for t in a.keys() if t.element != 0}
    tags_b = {t for t in b.keys() if t.element != 0}
    for tag in sorted(tags_a ^ tags_b):
        found.append(f"{path}{tag}: only in {'first' if tag in tags_a else 'second'}")
    for tag in sorted(tags_a & tags_b):
        ea, eb = a[tag], b[tag]
        where = f"{path}{tag}"
        if ea.VR != eb.VR:
            found.append(f"{where}: VR {ea.VR} != {eb.VR}")
            continue
        if ea.VR == "SQ":
            if len(ea.value) != len(eb.value):
                found.append(f"{where}: {len(ea.value)} items != {len(eb.value)}")
                continue
            for index, (ia, ib) in enumerate(zip(ea.value, eb.value, strict=True)):
                found += element_differences(
                    ia, ib, f"{where}[{index}].", decimals_as_numbers=decimals_as_numbers
                )
        elif not _same_value(ea.VR, ea.value, eb.value, decimals_as_numbers):
            found.append(f"{where} {ea.VR}: {ea.value!r:.80} != {eb.value!r:.80}")
    return found


def _all_datasets(ds: Dataset) -> Iterator[Dataset]:
    yield ds
    for elem in ds:
        if elem.VR == "SQ":
            for item in elem.value:
                yield from _all_datasets(item)


def written_bytes(ds: Dataset, transfer_syntax: UID | None) -> bytes:
    for dataset in _all_datasets(ds):
        dataset.is_undefined_length_sequence_item = False
        for elem in dataset:
            if elem.VR == "SQ":
                elem.is_undefined_length = False
    buffer = io.BytesIO()
    if transfer_syntax is not None and getattr(ds, "file_meta", None) is not None:
        dcmwrite(buffer, ds)
    elif transfer_syntax is not None:
        dcmwrite(
            buffer,
            ds,
            implicit_vr=transfer_syntax.is_implicit_VR,
            little_endian=transfer_syntax.is_little_endian,
        )
    else:
        dcmwrite(buffer, ds, implicit_vr=False, little_endian=True)
    data = buffer.getvalue()
    return data[132:] if data[128:132] == b"DICM" else data


def assert_exact_round_trip(corpus_id: str, original: Dataset, back: Dataset) -> None:
    """Equal element by element, and byte for byte after ``dcmwrite`` with the original's
    transfer syntax; for a file without (0002,0000) the added group length is the only
    difference (WITHOUT_META_GROUP_LENGTH in corpus.py)."""
    assert element_differences(original, back) == []
    syntax = transfer_syntax_of(original)
    if corpus_id in WITHOUT_META_GROUP_LENGTH:
        assert written_bytes(original, syntax) != written_bytes(back, syntax)
        del back.file_meta[0x00020000]
    assert written_bytes(original, syntax) == written_bytes(back, syntax)
