"""The fast lxml writer/reader and the typed model path (xsdata) agree on every document.

The fast path is what ``dumps``/``loads`` use; the generated dataclasses are the typed model.
Over the corpus (documents up to 1 MB, the xsdata runtime being slow) both writers produce
the same XML infoset and both readers produce the same IR.
"""

from __future__ import annotations

import pytest
from corpus import CorpusFile, corpus_files
from lxml import etree
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.serializers import XmlSerializer

from dicombind.bridge import dataset_to_ir
from dicombind.generated.native_xml import NativeDicomModel
from dicombind.options import XMLWriteOptions
from dicombind.xml import model
from dicombind.xml.reader import read_xml
from dicombind.xml.writer import write_xml

Infoset = tuple[str, tuple[tuple[str, str], ...], str, tuple["Infoset", ...]]
LIMIT = 1_000_000


def infoset(element: etree._Element) -> Infoset:
    children = tuple(infoset(child) for child in element if isinstance(child.tag, str))
    text = "" if children else (element.text or "")
    return (str(element.tag), tuple(sorted(element.attrib.items())), text, children)


def _small_corpus() -> list[CorpusFile]:
    return [f for f in corpus_files() if f.path.stat().st_size * 1.4 < LIMIT]


@pytest.mark.parametrize("corpus_file", _small_corpus(), ids=lambda f: f.id)
def test_fast_path_equals_model_path(corpus_file: CorpusFile) -> None:
    ir = dataset_to_ir(corpus_file.read())
    fast_text = write_xml(ir, XMLWriteOptions())
    model_text = XmlSerializer().render(model.to_model(ir))
    assert infoset(etree.fromstring(fast_text.encode())) == infoset(
        etree.fromstring(model_text.encode())
    )
    parsed = XmlParser().from_string(fast_text, NativeDicomModel)
    assert model.from_model(parsed) == read_xml(fast_text) == ir


def test_the_comparison_sees_a_difference() -> None:
    a = etree.fromstring(b'<r><v n="1">x</v></r>')
    b = etree.fromstring(b'<r><v n="1">y</v></r>')
    assert infoset(a) != infoset(b)
