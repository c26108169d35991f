"""Private data elements between the JSON form (real tags) and the XML form (masked tags).

PS3.19 writes a private data element ``(gggg,XXee)`` as ``tag="gggg00ee"`` plus
``privateCreator``; PS3.18 writes the real tag and the creator element ``(gggg,00XX)``.  The IR
uses real tags.  Writing XML masks the block (:func:`creator_of`, :func:`masked_tag`); reading
XML places each element in the block of its creator (:func:`place_private_elements`): the block
a creator element in the same data set reserves, else the lowest free block of the group, for
which a creator element is created.  dicombind's own XML keeps the creator elements, so blocks
come back exactly as they were.
"""

from __future__ import annotations

from operator import attrgetter

from dicombind.errors import DocumentError
from dicombind.ir import DataSet, Element

_by_tag = attrgetter("tag")


def is_private_data_tag(tag: int) -> bool:
    """``(gggg,1000)``-``(gggg,FFFF)`` in an odd group: an element inside a private block."""
    return bool(tag & 0x10000) and (tag & 0xFFFF) >= 0x1000


def masked_tag(tag: int) -> int:
    """``ggggXXee`` -> ``gggg00ee``."""
    return tag & 0xFFFF00FF


def creator_blocks(dataset: DataSet) -> dict[int, str]:
    """Map ``(group << 8) | block`` to the creator string, from the creator elements."""
    blocks: dict[int, str] = {}
    for element in dataset:
        tag = element.tag
        if tag & 0x10000 and 0x10 <= (tag & 0xFFFF) <= 0xFF and element.values:
            creator = element.values[0]
            if isinstance(creator, str):
                blocks[((tag >> 16) << 8) | (tag & 0xFF)] = creator
    return blocks


def creator_of(tag: int, blocks: dict[int, str]) -> str | None:
    """The creator of private data element ``tag``, or None (not private, or no creator)."""
    if not (tag & 0x10000 and (tag & 0xFFFF) >= 0x1000):
        return None
    return blocks.get(((tag >> 16) << 8) | ((tag >> 8) & 0xFF))


def place_private_elements(elements: list[Element]) -> DataSet:
    """Finish one data set read from XML: real private tags, ascending order, unique tags.

    Elements with ``private_creator`` set carry a masked ``gggg00ee`` tag (a producer that
    wrote the real block is tolerated: the block byte is ignored).  Raises DocumentError for
    duplicate tags and for a group whose 240 private blocks are all taken.
    """
    needs_placing = False
    reserved: dict[tuple[int, str], int] = {}
    taken: dict[int, set[int]] = {}
    for element in elements:
        if element.private_creator is not None:
            needs_placing = True
            continue
        tag = element.tag
        if tag & 0x10000 and 0x10 <= (tag & 0xFFFF) <= 0xFF:
            group, block = tag >> 16, tag & 0xFF
            taken.setdefault(group, set()).add(block)
            creator = element.values[0] if element.values else None
            if isinstance(creator, str):
                reserved.setdefault((group, creator), block)

    placed = elements
    if needs_placing:
        placed = []
        for element in elements:
            creator = element.private_creator
            if creator is None:
                placed.append(element)
                continue
            group = element.tag >> 16
            found = reserved.get((group, creator))
            if found is None:
                block = _free_block(group, taken.setdefault(group, set()), element.tag)
                reserved[(group, creator)] = block
                placed.append(Element((group << 16) | block, "LO", [creator]))
            else:
                block = found
            element.tag = (group << 16) | (block << 8) | (element.tag & 0xFF)
            element.private_creator = None
            placed.append(element)

    placed.sort(key=_by_tag)
    previous = -1
    for element in placed:
        if element.tag == previous:
            raise DocumentError("duplicate attribute in one data set", tag=element.tag)
        previous = element.tag
    return placed


def _free_block(group: int, taken: set[int], tag: int) -> int:
    for block in range(0x10, 0x100):
        if block not in taken:
            taken.add(block)
            return block
    raise DocumentError(f"no free private block left in group {group:04X}", tag=tag)
