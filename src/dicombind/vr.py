"""VR groups: which IR value type and which document form each of the 34 VRs takes."""

from __future__ import annotations

ALL_VRS = frozenset(
    "AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM "
    "UC UI UL UN UR US UT UV".split()
)

# IR type str; one XML <Value> / JSON string per value.
TEXT_VRS = frozenset("AE AS CS DA DT LO LT SH ST TM UC UI UR UT".split())
# Single-valued by definition (PS3.5 6.2): a backslash is part of the value.
SINGLE_VALUED_TEXT_VRS = frozenset("LT ST UT UR".split())
# IR type str holding the exact decimal/integer text; JSON number or string.
DECIMAL_TEXT_VRS = frozenset(("DS", "IS"))
# IR type int.
INT_VRS = frozenset("SL SS UL US SV UV".split())
# 64-bit ints: JSON number or string (PS3.18 F.2.3-1).
INT64_VRS = frozenset(("SV", "UV"))
# IR type float.
FLOAT_VRS = frozenset(("FL", "FD"))
# Value field as InlineBinary / BulkData; never <Value>.
BINARY_VRS = frozenset("OB OD OF OL OV OW UN".split())
# Bytes per word, for little/big endian swapping (OB and UN are byte streams).
BINARY_WORD_SIZE = {"OB": 1, "UN": 1, "OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}
# PS3.18 F.2.2: the VRs a BulkDataURI may stand for (the XML model allows any VR).
JSON_BULK_DATA_VRS = frozenset(
    "DS FL FD IS LT OB OD OF OL OV OW SL SS ST SV UC UL UN US UT UV".split()
)
# Bytes per value of the fixed-width numeric VRs (for the bulk data threshold).
NUMERIC_WIDTH = {"SS": 2, "US": 2, "SL": 4, "UL": 4, "FL": 4, "FD": 8, "SV": 8, "UV": 8}
# Text VRs limited to the default character repertoire (PS3.5 6.2): they never hold
# characters outside ASCII, whatever (0008,0005) says.
DEFAULT_REPERTOIRE_VRS = frozenset("AE AS CS DA DS DT IS TM UI UR".split())
