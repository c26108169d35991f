"""Parsing XML safely, for the reader and the validator alike.

No network access, no entity resolution, no DTD loading; a document with a DOCTYPE is refused
before it is parsed (that rules out entity expansion and external entities).  ``huge_tree`` is
on so that InlineBinary values of tens of megabytes parse; it lifts libxml2's limits on text
size and nesting depth, so callers limit the nesting of sequences themselves.
"""

from __future__ import annotations

import re

from lxml import etree

from dicombind.errors import DocumentError

# A DOCTYPE can only come before the root element, after the XML declaration, comments,
# processing instructions and whitespace (atomic groups: no backtracking into the document).
_DOCTYPE_IN_PROLOG = re.compile(
    rb"(?:\xef\xbb\xbf)?(?>[ \t\r\n]+|<\?.*?\?>|<!--.*?-->)*+<!DOCTYPE", re.DOTALL
)
DOCTYPE_REFUSED = "DOCTYPE declarations are not allowed (entity expansion, external entities)"


class NotWellFormed(DocumentError):
    """The document is not XML this project parses; ``line`` is where (1 when unknown)."""

    def __init__(self, message: str, line: int) -> None:
        self.line = line
        super().__init__(message)


def _parser(text_input: bool) -> etree.XMLParser:
    return etree.XMLParser(
        encoding="utf-8" if text_input else None,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def parse_xml(document: bytes | str) -> etree._Element:
    """The root element of ``document``; NotWellFormed for anything else."""
    if isinstance(document, str):
        try:
            data = document.encode("utf-8")
        except UnicodeEncodeError as error:
            raise NotWellFormed(
                f"the text holds an unpaired surrogate: {error.reason}", 1
            ) from None
        parser = _parser(text_input=True)  # already decoded: the declaration's encoding is moot
    else:
        data = bytes(document)
        parser = _parser(text_input=False)
    doctype = _DOCTYPE_IN_PROLOG.match(data)
    if doctype:
        raise NotWellFormed(DOCTYPE_REFUSED, data.count(b"\n", 0, doctype.end()) + 1)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position
        raise NotWellFormed(
            f"not well-formed XML at line {line}, column {column}: {error.msg}", line or 1
        ) from None
    if root.getroottree().docinfo.doctype:
        raise NotWellFormed(DOCTYPE_REFUSED, 1)
    return root
