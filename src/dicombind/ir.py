"""The format-neutral intermediate representation (IR) shared by both models.

Every path goes through it: pydicom <-> IR is the bridge (``dicombind.bridge``), IR <-> XML
text and IR <-> JSON text are the fast readers and writers, IR <-> generated models are the
``model`` modules.  Converting XML to JSON never touches pydicom.

Conventions (the contract every reader and writer keeps):

* A data set is a ``list[Element]`` in ascending tag order with unique tags.
* ``Element.tag`` is the real 32-bit tag.  Private data elements carry their real block
  (``ggggXXee``) and the Private Creator elements (``gggg,00XX``, VR LO) are ordinary elements
  of the same data set, as in the JSON model.  Only the XML reader sees masked ``gggg00ee``
  tags; it resolves them with :func:`dicombind.private_blocks.place_private_elements`.
* Group length elements (``gggg,0000``) never appear.
* Exactly one of ``values``, ``inline_binary`` and ``bulk_data_uri`` is set, or none of them
  for a zero-length element.
* ``values`` holds one entry per value; ``None`` is an empty value inside a multi-valued
  element.  An element whose only value is empty is zero-length (``values is None``).
  Python types by VR:

  - AE AS CS DA DT LO LT SH ST TM UC UI UR UT: ``str`` with the padding stripped.
  - DS IS: ``str``, the exact decimal/integer text (never routed through float).
  - PN: ``str`` in PS3.5 form, groups separated by ``=`` and components by ``^``
    (``"Yamada^Tarou=山田^太郎=やまだ^たろう"``), exactly as in the binary encoding.
  - SL SS UL US SV UV: ``int``.
  - FL FD: ``float`` (NaN and the infinities included); an FL value is the double that its
    32-bit float holds (readers apply ``floats.to_float32``), as pydicom holds it.
  - AT: ``int`` (the tag as ``0xGGGGEEEE``).
  - SQ: ``list[Element]`` per item (an empty item is ``[]``).
* ``inline_binary`` is the whole value field as bytes, little endian (OB OD OF OL OV OW UN).
  Encapsulated pixel data is the encapsulated value field (item tags and lengths included,
  sequence delimiter excluded) exactly as pydicom holds it.
* ``bulk_data_uri`` is a URI string.  The XML form ``<BulkData uuid="X"/>`` is the URI
  ``urn:uuid:X`` (RFC 4122), so both BulkData forms survive XML -> IR -> XML.
"""

from __future__ import annotations

from dataclasses import dataclass

Value = str | int | float | None | list["Element"]
"""One value of an element (see the module docstring for which type goes with which VR)."""

UUID_URI_PREFIX = "urn:uuid:"


@dataclass(slots=True)
class Element:
    """One attribute of a data set: tag, VR and at most one kind of content."""

    tag: int
    vr: str
    values: list[Value] | None = None
    inline_binary: bytes | None = None
    bulk_data_uri: str | None = None
    # Set only between the XML reader and private block placement: the creator named by
    # ``privateCreator`` while ``tag`` is still the masked ``gggg00ee`` form.
    private_creator: str | None = None


DataSet = list[Element]
