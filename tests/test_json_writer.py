"""IR -> DICOM JSON Model text (dicombind.json.writer)."""

from __future__ import annotations

import base64
import json
import math
import struct
from decimal import Decimal
from typing import Any

import pytest

from dicombind.errors import ValueFormatError
from dicombind.floats import to_float32
from dicombind.ir import DataSet, Element, Value
from dicombind.json.writer import write_json, write_json_list
from dicombind.options import JSONWriteOptions


def strict_loads(text: str) -> Any:
    """Parse as RFC 8259 JSON only: bare NaN/Infinity are refused, the text is UTF-8-able."""

    def refuse(name: str) -> None:
        raise AssertionError(f"bare {name} in the output")

    text.encode("utf-8")
    return json.loads(text, parse_constant=refuse, parse_float=Decimal)


def write(data: DataSet | list[DataSet], **options: Any) -> str:
    return write_json(data, JSONWriteOptions(**options))


def element(tag: int, vr: str, values: list[Value] | None = None, **content: Any) -> Element:
    return Element(tag, vr, values, **content)


def one(vr: str, values: list[Value] | None = None, **content: Any) -> DataSet:
    return [element(0x00980010, vr, values, **content)]


def attribute(text: str, key: str = "00980010") -> Any:
    return strict_loads(text)[key]


# One element per VR; the expected JSON is written from PS3.18 Table F.2.3-1, not from output.
EVERY_VR: list[tuple[str, list[Value] | None, dict[str, Any], Any]] = [
    ("AE", ["STORE_SCP", "ARCHIVE"], {}, ["STORE_SCP", "ARCHIVE"]),
    ("AS", ["045Y"], {}, ["045Y"]),
    ("AT", [0x00100020, 0x7FE00010], {}, ["00100020", "7FE00010"]),
    ("CS", ["ORIGINAL", None, "AXIAL"], {}, ["ORIGINAL", None, "AXIAL"]),
    ("DA", ["20240102"], {}, ["20240102"]),
    ("DS", ["1.50", "-0.5", "1E+02"], {}, [Decimal("1.50"), Decimal("-0.5"), Decimal("100")]),
    ("DT", ["20240102123456.123456+0100"], {}, ["20240102123456.123456+0100"]),
    ("FL", [to_float32(0.1), math.inf], {}, [Decimal("0.1"), "Infinity"]),
    ("FD", [math.pi, -math.inf, math.nan], {}, [Decimal(repr(math.pi)), "-Infinity", "NaN"]),
    ("IS", ["12", "-7"], {}, [12, -7]),
    ("LO", ["First & <second>", "ünïcödé"], {}, ["First & <second>", "ünïcödé"]),
    ("LT", ["a\r\nb \\ c\td"], {}, ["a\r\nb \\ c\td"]),
    ("OB", None, {"inline_binary": b"\x00\x01\x02\x03"}, "AAECAw=="),
    ("OD", None, {"inline_binary": struct.pack("<d", 1.5)}, "AAAAAAAA+D8="),
    ("OF", None, {"inline_binary": struct.pack("<f", 0.25)}, "AACAPg=="),
    ("OL", None, {"inline_binary": struct.pack("<I", 1)}, "AQAAAA=="),
    ("OV", None, {"inline_binary": struct.pack("<Q", 2)}, "AgAAAAAAAAA="),
    ("OW", None, {"inline_binary": struct.pack("<H", 256)}, "AAE="),
    (
        "PN",
        ["Yamada^Tarou=山田^太郎=やまだ^たろう", None, "Doe^Jane"],
        {},
        [
            {"Alphabetic": "Yamada^Tarou", "Ideographic": "山田^太郎", "Phonetic": "やまだ^たろう"},
            None,
            {"Alphabetic": "Doe^Jane"},
        ],
    ),
    ("SH", ["555-0100"], {}, ["555-0100"]),
    ("SL", [-(2**31), 2**31 - 1], {}, [-(2**31), 2**31 - 1]),
    ("SS", [-32768, 32767], {}, [-32768, 32767]),
    ("ST", ["short text"], {}, ["short text"]),
    ("SV", [-(2**63), 2**53], {}, [str(-(2**63)), 2**53]),
    ("TM", ["235959.999999"], {}, ["235959.999999"]),
    ("UC", ["unlimited", "characters"], {}, ["unlimited", "characters"]),
    ("UI", ["1.2.840.10008.5.1.4.1.1.7"], {}, ["1.2.840.10008.5.1.4.1.1.7"]),
    ("UL", [0, 4294967295], {}, [0, 4294967295]),
    ("UN", None, {"inline_binary": b"\x01\x02\x03"}, "AQID"),
    ("UR", ["https://example.com/a?b=c&d=e"], {}, ["https://example.com/a?b=c&d=e"]),
    ("US", [0, 65535], {}, [0, 65535]),
    ("UT", ["unlimited text\\with a backslash"], {}, ["unlimited text\\with a backslash"]),
    ("UV", [0, 2**64 - 1], {}, [0, str(2**64 - 1)]),
]


@pytest.mark.parametrize(("vr", "values", "content", "expected"), EVERY_VR)
def test_every_vr(
    vr: str, values: list[Value] | None, content: dict[str, Any], expected: Any
) -> None:
    result = attribute(write(one(vr, values, **content)))
    member = "InlineBinary" if content else "Value"
    assert result == {"vr": vr, member: expected}


def test_every_vr_in_one_data_set_is_one_sorted_object() -> None:
    dataset = [
        element(0x00980010 + index, vr, values, **content)
        for index, (vr, values, content, _) in enumerate(EVERY_VR)
    ]
    text = write(dataset)
    parsed = strict_loads(text)
    assert list(parsed) == [f"{0x00980010 + index:08X}" for index in range(len(EVERY_VR))]
    assert [entry["vr"] for entry in parsed.values()] == [vr for vr, *_ in EVERY_VR]


def test_compact_output_has_no_whitespace_between_tokens() -> None:
    dataset = [
        element(0x00100010, "PN", ["Doe^John"]),
        element(0x00100020, "LO", ["ID 1"]),
        element(0x00100030, "DA"),
        element(0x00181310, "US", [0, 256]),
    ]
    assert write(dataset) == (
        '{"00100010":{"vr":"PN","Value":[{"Alphabetic":"Doe^John"}]},'
        '"00100020":{"vr":"LO","Value":["ID 1"]},'
        '"00100030":{"vr":"DA"},'
        '"00181310":{"vr":"US","Value":[0,256]}}'
    )


def layout_dataset() -> DataSet:
    """Numbers that survive float(), so json.dumps can be the reference layout."""
    return [
        element(0x00080008, "CS", ["ORIGINAL", None]),
        element(0x00100010, "PN", ["Yamada^Tarou=山田^太郎", "=Ideo", None]),
        element(0x00100020, "LO"),
        element(0x00181310, "US", [0, 256]),
        element(0x00280030, "DS", ["0.5", "-1.25"]),
        element(0x00409212, "FD", [1.5, math.nan]),
        element(0x00091002, "UN", inline_binary=b"\x00\xff"),
        element(0x7FE00010, "OW", bulk_data_uri="https://example.com/bulk/1"),
        element(
            0x300A00B0,
            "SQ",
            [
                [
                    element(0x300A00C2, "LO", ["Beam 1"]),
                    element(0x300A0111, "SQ", [[], [element(0x300A0112, "IS", ["0"])]]),
                ],
                [],
            ],
        ),
    ]


@pytest.mark.parametrize("indent", [0, 1, 2, 4])
def test_indent_gives_the_layout_of_json_dumps(indent: int) -> None:
    compact = write(layout_dataset())
    pretty = write(layout_dataset(), indent=indent)
    assert pretty == json.dumps(json.loads(compact), indent=indent, ensure_ascii=False)


def test_indent_for_a_list_of_data_sets() -> None:
    datasets = [layout_dataset(), [], [element(0x00100020, "LO", ["x"])]]
    compact = write(datasets)
    assert write(datasets, indent=2) == json.dumps(
        json.loads(compact), indent=2, ensure_ascii=False
    )


def test_a_list_is_an_array_and_an_empty_list_an_empty_data_set() -> None:
    datasets = [[element(0x00100020, "LO", ["a"])], [element(0x00100020, "LO", ["b"])]]
    assert strict_loads(write(datasets)) == [
        {"00100020": {"vr": "LO", "Value": ["a"]}},
        {"00100020": {"vr": "LO", "Value": ["b"]}},
    ]
    assert write([]) == "{}"
    assert write_json_list([]) == "[]"
    assert write_json_list([[]]) == "[{}]"


def test_ds_and_is_in_number_mode_are_normalized_textually() -> None:
    dataset = [
        element(0x00280030, "DS", ["+1.5", "007", ".5", "1.", " 2 ", "-0.10"]),
        element(0x00200013, "IS", ["+12", "0042"]),
    ]
    text = write(dataset, number_handling="number")
    assert '"Value":[1.5,7,0.5,1,2,-0.10]' in text
    assert '"Value":[12,42]' in text


def test_ds_and_is_in_auto_mode_are_strings_unless_exact() -> None:
    dataset = [element(0x00280030, "DS", ["+1.5", "007", ".5", "1.", " 2 ", "-0.10", "3"])]
    assert '"Value":["+1.5","007",".5","1."," 2 ",-0.10,3]' in write(dataset)


def test_ds_and_is_in_string_mode_are_the_exact_text() -> None:
    dataset = [element(0x00280030, "DS", ["1.5", "-0", "1E+02"]), element(0x00200013, "IS", ["7"])]
    text = write(dataset, number_handling="string")
    assert '"Value":["1.5","-0","1E+02"]' in text
    assert '"Value":["7"]' in text


def test_the_two_to_the_53_boundary() -> None:
    dataset = [
        element(0x00200013, "IS", ["9007199254740992", "9007199254740993", "-9007199254740992"]),
        element(0x00720082, "SV", [2**53, 2**53 + 1, -(2**53), -(2**53) - 1]),
        element(0x00720083, "UV", [2**53, 2**53 + 1]),
    ]
    auto = write(dataset)
    assert '"Value":[9007199254740992,"9007199254740993",-9007199254740992]' in auto
    assert (
        '"Value":[9007199254740992,"9007199254740993",-9007199254740992,"-9007199254740993"]'
        in auto
    )
    assert '"Value":[9007199254740992,"9007199254740993"]' in auto
    number = write(dataset, number_handling="number")
    assert '"Value":[9007199254740992,9007199254740993,-9007199254740992]' in number
    assert '"Value":[9007199254740992,"9007199254740993"]' in number  # SV/UV: strings beyond
    string = write(dataset, number_handling="string")
    assert '"Value":["9007199254740992","9007199254740993"]' in string


def test_non_numeric_ds_in_number_mode_names_the_tag() -> None:
    with pytest.raises(ValueFormatError) as caught:
        write([element(0x00280030, "DS", ["1", "abc"])], number_handling="number")
    assert caught.value.tag == 0x00280030
    assert "(0028,0030)" in str(caught.value)
    assert "abc" in str(caught.value)
    # "auto" and "string" keep such text as a string.
    assert '"Value":["1","abc"]' not in write([element(0x00280030, "DS", ["1", "abc"])])
    assert '"Value":[1,"abc"]' in write([element(0x00280030, "DS", ["1", "abc"])])


def test_keywords_as_keys() -> None:
    dataset = [
        element(0x00090010, "LO", ["ACME"]),
        element(0x00091001, "UN", inline_binary=b"\x01"),
        element(0x00100010, "PN", ["Doe^John"]),
        element(0x00100020, "LO", ["123"]),
        element(0x60003000, "OW", inline_binary=b"\x00\x00"),
        element(0x60023000, "OW", inline_binary=b"\x00\x00"),
        element(0x00990010, "LO", ["no keyword"]),
    ]
    keys = list(strict_loads(write(dataset, use_keywords_as_keys=True)))
    # Private tags and an overlay group whose keyword names (6000,3000) keep the hex key.
    assert keys == [
        "00090010",
        "00091001",
        "PatientName",
        "PatientID",
        "OverlayData",
        "60023000",
        "00990010",
    ]


def test_keyword_and_name_members_follow_vr() -> None:
    dataset = [
        element(0x00080020, "DA"),
        element(0x00091001, "UN", inline_binary=b"\x01"),
        element(0x00100010, "PN", ["Doe^John"]),
        element(0x00101002, "SQ", [[element(0x00100020, "LO", ["x"])]]),
    ]
    text = write(dataset, write_keyword=True, write_name=True)
    assert text == (
        '{"00080020":{"vr":"DA","keyword":"StudyDate","name":"Study Date"},'
        '"00091001":{"vr":"UN","InlineBinary":"AQ=="},'
        '"00100010":{"vr":"PN","keyword":"PatientName","name":"Patient\'s Name",'
        '"Value":[{"Alphabetic":"Doe^John"}]},'
        '"00101002":{"vr":"SQ","keyword":"OtherPatientIDsSequence",'
        '"name":"Other Patient IDs Sequence","Value":[{"00100020":{"vr":"LO",'
        '"keyword":"PatientID","name":"Patient ID","Value":["x"]}}]}}'
    )
    only_keyword = strict_loads(write(dataset, write_keyword=True))
    assert list(only_keyword["00100010"]) == ["vr", "keyword", "Value"]
    only_name = strict_loads(write(dataset, write_name=True))
    assert list(only_name["00100010"]) == ["vr", "name", "Value"]


def test_keyword_members_with_indent_keep_the_json_dumps_layout() -> None:
    dataset = layout_dataset()
    compact = write(dataset, write_keyword=True, write_name=True)
    pretty = write(dataset, write_keyword=True, write_name=True, indent=3)
    assert pretty == json.dumps(json.loads(compact), indent=3, ensure_ascii=False)


def test_nan_and_infinity_are_strings_and_the_output_is_strict_json() -> None:
    dataset = [
        element(0x00181310, "FL", [math.nan, math.inf, -math.inf, 1.0]),
        element(0x00409212, "FD", [math.nan, math.inf, -math.inf, -0.0, 5e-324]),
    ]
    text = write(dataset)
    assert '"Value":["NaN","Infinity","-Infinity",1.0]' in text
    assert '"Value":["NaN","Infinity","-Infinity",-0.0,5e-324]' in text
    strict_loads(text)


def test_fl_values_are_written_as_short_as_float32_allows() -> None:
    text = write(one("FL", [to_float32(0.1), to_float32(-2.5), to_float32(3.4028234663852886e38)]))
    assert '"Value":[0.1,-2.5,3.4028235e+38]' in text


@pytest.mark.parametrize(
    ("vr", "values", "expected"),
    [
        ("CS", ["A", None, "B"], '["A",null,"B"]'),
        ("DS", ["1.5", None], "[1.5,null]"),
        ("US", [None, 1], "[null,1]"),
        ("FD", [None, 2.0], "[null,2.0]"),
        ("PN", ["A^B", None, ""], '[{"Alphabetic":"A^B"},null,null]'),
        ("AT", [None, 0x00100010], '[null,"00100010"]'),
        ("SV", [None, 1], "[null,1]"),
    ],
)
def test_empty_values_in_a_multi_value_are_null(
    vr: str, values: list[Value], expected: str
) -> None:
    assert write(one(vr, values)) == f'{{"00980010":{{"vr":"{vr}","Value":{expected}}}}}'


@pytest.mark.parametrize("vr", ["DA", "PN", "SQ", "OB", "DS", "FD", "AT"])
def test_zero_length_has_only_vr(vr: str) -> None:
    assert write(one(vr)) == f'{{"00980010":{{"vr":"{vr}"}}}}'
    assert write(one(vr, [])) == f'{{"00980010":{{"vr":"{vr}"}}}}'


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Doe^John", {"Alphabetic": "Doe^John"}),
        ("Doe^John=", {"Alphabetic": "Doe^John"}),
        ("=山田^太郎", {"Ideographic": "山田^太郎"}),
        ("==やまだ", {"Phonetic": "やまだ"}),
        ("A=B=C", {"Alphabetic": "A", "Ideographic": "B", "Phonetic": "C"}),
        ("^Bob^^Dr.", {"Alphabetic": "^Bob^^Dr."}),
        ("==", None),
    ],
)
def test_person_name_groups(name: str, expected: Any) -> None:
    assert attribute(write(one("PN", [name, "X"])))["Value"] == [expected, {"Alphabetic": "X"}]


def test_person_name_with_four_groups_is_refused() -> None:
    with pytest.raises(ValueFormatError, match="three component groups"):
        write(one("PN", ["A=B=C=D"]))


def test_at_out_of_range_is_refused() -> None:
    for bad in (2**32, -1, "00100010"):
        with pytest.raises(ValueFormatError) as caught:
            write(one("AT", [bad]))
        assert caught.value.tag == 0x00980010


def test_nested_and_empty_sequences() -> None:
    inner = [element(0x00081155, "UI", ["1.2.3"])]
    dataset = [
        element(0x00082112, "SQ", [inner, [], [element(0x00082112, "SQ", [inner, []])]]),
        element(0x00081140, "SQ"),
    ]
    assert strict_loads(write(dataset)) == {
        "00082112": {
            "vr": "SQ",
            "Value": [
                {"00081155": {"vr": "UI", "Value": ["1.2.3"]}},
                {},
                {
                    "00082112": {
                        "vr": "SQ",
                        "Value": [{"00081155": {"vr": "UI", "Value": ["1.2.3"]}}, {}],
                    }
                },
            ],
        },
        "00081140": {"vr": "SQ"},
    }


def beams(bad_beam: Element) -> DataSet:
    def beam(number: int, *extra: Element) -> DataSet:
        return [element(0x300A00C0, "IS", [str(number)]), *extra]

    control_point = [element(0x300A011E, "DS", ["abc"])]
    return [
        element(
            0x300A00B0,
            "SQ",
            [
                beam(1),
                beam(2, element(0x300A0111, "SQ", [control_point])),
                beam(3, bad_beam),
            ],
        )
    ]


def test_errors_carry_the_attribute_path() -> None:
    with pytest.raises(ValueFormatError) as caught:
        write(beams(element(0x300A00C2, "LO", [5])))
    assert caught.value.path == "BeamSequence[2]"
    assert caught.value.tag == 0x300A00C2
    assert str(caught.value).startswith("BeamSequence[2] (300A,00C2): ")

    with pytest.raises(ValueFormatError) as caught:
        write(beams(element(0x300A00C2, "LO", ["ok"])), number_handling="number")
    assert caught.value.path == "BeamSequence[1].ControlPointSequence[0]"
    assert caught.value.tag == 0x300A011E


def test_private_elements_keep_their_block_and_creator() -> None:
    dataset = [
        element(0x00090010, "LO", ["Vendor A"]),
        element(0x00090011, "LO", ["Vendor B"]),
        element(0x00091002, "UN", inline_binary=b"z\x4c\x7d"),
        element(0x00091102, "LO", ["from B"]),
    ]
    assert strict_loads(write(dataset)) == {
        "00090010": {"vr": "LO", "Value": ["Vendor A"]},
        "00090011": {"vr": "LO", "Value": ["Vendor B"]},
        "00091002": {"vr": "UN", "InlineBinary": base64.b64encode(b"z\x4c\x7d").decode()},
        "00091102": {"vr": "LO", "Value": ["from B"]},
    }


@pytest.mark.parametrize("vr", ["OB", "OD", "OF", "OL", "OV", "OW", "UN"])
def test_inline_binary_is_one_base64_string(vr: str) -> None:
    data = bytes(range(256)) * 3
    result = attribute(write(one(vr, inline_binary=data)))
    assert result == {"vr": vr, "InlineBinary": base64.b64encode(data).decode("ascii")}


@pytest.mark.parametrize("vr", ["DS", "LO", "PN", "SQ", "US"])
def test_inline_binary_on_other_vrs_is_refused(vr: str) -> None:
    with pytest.raises(ValueFormatError, match="InlineBinary") as caught:
        write(one(vr, inline_binary=b"\x00\x01"))
    assert caught.value.tag == 0x00980010


@pytest.mark.parametrize("vr", ["OB", "OW", "UN", "DS", "FL", "FD", "IS", "LT", "UT", "SV"])
def test_bulk_data_uri_is_one_string(vr: str) -> None:
    uri = 'https://example.com/studies/1/bulk/\u00e9?x="1"'
    assert attribute(write(one(vr, bulk_data_uri=uri))) == {"vr": vr, "BulkDataURI": uri}


@pytest.mark.parametrize("vr", ["PN", "SQ", "AT", "CS", "UI", "DA"])
def test_bulk_data_uri_on_other_vrs_is_refused(vr: str) -> None:
    with pytest.raises(ValueFormatError, match="BulkDataURI") as caught:
        write(one(vr, bulk_data_uri="https://example.com/x"))
    assert caught.value.tag == 0x00980010


def test_values_on_a_binary_vr_are_refused() -> None:
    with pytest.raises(ValueFormatError, match="OB") as caught:
        write(one("OB", [1, 2]))
    assert caught.value.tag == 0x00980010


def test_more_than_one_content_is_refused() -> None:
    with pytest.raises(ValueFormatError, match="more than one"):
        write(one("OB", [1], inline_binary=b"\x01"))
    with pytest.raises(ValueFormatError, match="more than one"):
        write(one("OB", inline_binary=b"\x01", bulk_data_uri="x"))


def test_unknown_vr_is_refused() -> None:
    with pytest.raises(ValueFormatError, match="unknown VR") as caught:
        write(one("XX", ["a"]))
    assert caught.value.tag == 0x00980010


@pytest.mark.parametrize(
    ("vr", "values"),
    [
        ("US", ["1"]),
        ("US", [1.5]),
        ("LO", [1]),
        ("DS", [1.5]),
        ("FD", ["x"]),
        ("PN", [1]),
        ("SQ", [[element(0x00100020, "LO", ["ok"])], "not an item"]),
    ],
)
def test_wrong_value_types_are_refused(vr: str, values: list[Value]) -> None:
    with pytest.raises(ValueFormatError) as caught:
        write(one(vr, values))
    assert caught.value.tag == 0x00980010


def test_strings_are_escaped_and_non_ascii_is_kept() -> None:
    text = write(one("LT", ['quote " backslash \\ nul \x00 bell \x07 é 山 😀']))
    assert '"quote \\" backslash \\\\ nul \\u0000 bell \\u0007 é 山 😀"' in text
    assert strict_loads(text)["00980010"]["Value"] == [
        'quote " backslash \\ nul \x00 bell \x07 é 山 😀'
    ]
