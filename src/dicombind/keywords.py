"""Cached look-ups in pydicom's data dictionary: keyword <-> tag, and a tag's dictionary VR.

Repeating groups are included: ``(6002,3000)`` has the keyword ``OverlayData`` like
``(6000,3000)``; the reverse look-up of such a keyword gives the tag with every repeating
digit zero (``OverlayData`` -> ``0x60003000``), so ``tag_for_keyword(keyword_for_tag(t)) == t``
tells a caller whether a keyword names ``t`` unambiguously.  Private tags (odd groups) have no
keyword.  The caches are plain dicts filled on first use and bounded in size, so a document
full of invented tags cannot grow them without limit.
"""

from __future__ import annotations

from pydicom._dicom_dict import RepeatersDictionary
from pydicom.datadict import get_entry, get_private_entry, keyword_dict

from dicombind.vr import ALL_VRS

_CACHE_LIMIT = 1 << 16


class _KeywordCache(dict[int, str | None]):
    """tag -> keyword (or None); computes and remembers a missing entry on first access."""

    def __missing__(self, tag: int) -> str | None:
        keyword = _dictionary_keyword(tag)
        if len(self) < _CACHE_LIMIT:
            self[tag] = keyword
        return keyword


def _dictionary_keyword(tag: int) -> str | None:
    if tag & 0x10000 or not 0 <= tag <= 0xFFFFFFFF:
        return None
    try:
        keyword = get_entry(tag)[4]
    except KeyError:
        return None
    return keyword or None


TAG_KEYWORDS: dict[int, str | None] = _KeywordCache()
"""``TAG_KEYWORDS[tag]``: the keyword of ``tag`` or None; the fastest form for hot loops."""


def keyword_for_tag(tag: int) -> str | None:
    """The PS3.6 keyword of ``tag``; None for private, group length and unknown tags."""
    return TAG_KEYWORDS[tag]


def _build_keyword_tags() -> dict[str, int]:
    tags: dict[str, int] = {}
    for mask, entry in RepeatersDictionary.items():
        keyword = entry[4]
        if keyword:
            tags[keyword] = int(mask.replace("x", "0"), 16)
    tags.update((keyword, tag) for keyword, tag in keyword_dict.items() if keyword)
    return tags


_KEYWORD_TAGS = _build_keyword_tags()


def tag_for_keyword(keyword: str) -> int | None:
    """The tag with PS3.6 keyword ``keyword`` (repeating groups: the first group), or None."""
    return _KEYWORD_TAGS.get(keyword)


def _first_vr(dictionary_vr: str) -> str:
    # PS3.6 lists alternatives such as "US or SS" or "OB or OW"; the first one is the default.
    first = dictionary_vr.split(" or ", 1)[0]
    return first if first in ALL_VRS else "UN"


def dictionary_vr(tag: int, private_creator: str | None = None) -> str:
    """The VR PS3.6 (or pydicom's private dictionary) gives ``tag``; "UN" when unknown.

    Ambiguous entries give their first choice (``US or SS`` -> ``US``).  Private Creator
    elements are LO.  For a private data element, ``private_creator`` selects the private
    dictionary; ``tag`` may be the real or the masked ``gggg00ee`` form.
    """
    if not tag & 0x10000:
        try:
            return _first_vr(get_entry(tag)[0])
        except KeyError:
            return "UN"
    element = tag & 0xFFFF
    if 0x10 <= element <= 0xFF and private_creator is None:
        return "LO"
    if private_creator is None:
        return "UN"
    if element < 0x100:
        tag |= 0x1000  # masked form: look it up as if it were in the first block
    try:
        return _first_vr(get_private_entry(tag, private_creator)[0])
    except KeyError:
        return "UN"
