"""DS/IS/SV/UV number handling of the JSON writer (dicombind.json.numbers)."""

from __future__ import annotations

import json
import random
import re
from decimal import Decimal

import pytest

from dicombind.ir import Value
from dicombind.json import numbers
from dicombind.json.numbers import (
    JSON_SAFE_INTEGER,
    decimal_values_writer,
    int64_values_writer,
    is_exact_json_number,
    json_number_text,
)


@pytest.fixture(autouse=True)
def cold_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts without remembered exact texts, so the text checks really run."""
    monkeypatch.setattr(numbers, "_EXACT_TEXTS", set())


# RFC 8259 section 6, written out independently of the module under test.
RFC8259_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.5", "1.5"),
        ("-0.25", "-0.25"),
        ("1E+02", "1E+02"),
        ("+1.5", "1.5"),
        ("007", "7"),
        ("-007.50", "-7.50"),
        (".5", "0.5"),
        ("-.5", "-0.5"),
        ("+.5e3", "0.5e3"),
        ("1.", "1"),
        ("1.e5", "1e5"),
        (" 2 ", "2"),
        ("  -3.25", "-3.25"),
        ("00", "0"),
        ("+0", "0"),
        ("12345678901234567890", "12345678901234567890"),
    ],
)
def test_json_number_text_normalizes_textually(text: str, expected: str) -> None:
    assert json_number_text(text) == expected


@pytest.mark.parametrize(
    "text", ["", " ", ".", "+", "-", "e5", "1e", "1e+", "abc", "NaN", "inf", "1,5", "1 2", "1..2"]
)
def test_json_number_text_refuses_non_numbers(text: str) -> None:
    assert json_number_text(text) is None


def test_json_number_text_keeps_the_exact_value() -> None:
    rnd = random.Random(20240315)
    for _ in range(2000):
        sign = rnd.choice(["", "+", "-"])
        integer = "".join(rnd.choice("0123456789") for _ in range(rnd.randint(0, 8)))
        fraction = "".join(rnd.choice("0123456789") for _ in range(rnd.randint(0, 8)))
        with_point = rnd.random() < 0.7
        if not integer and not (with_point and fraction):
            integer = "0"
        text = sign + integer + ("." + fraction if with_point else "")
        if rnd.random() < 0.3:
            text += rnd.choice("eE") + rnd.choice(["", "+", "-"]) + str(rnd.randint(0, 300))
        padded = " " * rnd.randint(0, 2) + text + " " * rnd.randint(0, 2)
        result = json_number_text(padded)
        assert result is not None, padded
        assert RFC8259_NUMBER.fullmatch(result), (padded, result)
        assert Decimal(result) == Decimal(text), (padded, result)


@pytest.mark.parametrize(
    ("text", "exact"),
    [
        ("0", True),
        ("1", True),
        ("-0", False),  # readers give back the integer 0
        ("-0.0", True),
        ("9007199254740992", True),
        ("-9007199254740992", True),
        ("9007199254740993", False),
        ("-9007199254740993", False),
        ("0.1", True),
        ("1.50", True),
        ("1.23456789012345", True),  # 15 significant digits
        ("1.234567890123456", False),  # 16
        ("0.000123456789012345", True),  # leading zeros do not count
        ("123456789012345e3", True),
        ("1E+02", True),
        ("1e307", True),
        ("1e308", False),
        ("1e-307", True),
        ("1e-308", False),
        ("0e999", True),
        ("+1.5", False),
        ("007", False),
        ("1.", False),
        (".5", False),
        (" 2", False),
        ("NaN", False),
        ("1" * 5000, False),
    ],
)
def test_is_exact_json_number(text: str, exact: bool) -> None:
    assert is_exact_json_number(text) is exact


def test_exact_numbers_survive_an_ieee_double_reader() -> None:
    rnd = random.Random(7)
    for _ in range(3000):
        digits = str(rnd.randint(1, 10 ** rnd.randint(1, 15) - 1))
        point = rnd.randint(0, len(digits))
        mantissa = digits[:point] + "." + digits[point:] if 0 < point < len(digits) else digits
        text = rnd.choice(["", "-"]) + mantissa
        if rnd.random() < 0.4:
            text += f"e{rnd.randint(-290, 290)}"
        if not is_exact_json_number(text):
            continue
        assert Decimal(repr(float(text))) == Decimal(text), text


def _oracle_auto(values: list[Value], separator: str = ",") -> str:
    """What "auto" must write, value by value, from the documented rule."""
    texts = []
    for value in values:
        if value is None:
            texts.append("null")
        elif isinstance(value, str) and is_exact_json_number(value):
            texts.append(value)
        else:
            texts.append(json.dumps(value, ensure_ascii=False))
    return separator.join(texts)


def test_auto_writes_exact_numbers_and_strings_otherwise() -> None:
    write = decimal_values_writer("auto")
    values: list[Value] = ["1.5", "+2", "-0", None, "9007199254740993", "1e400", " 3", "abc"]
    assert write(values, ",") == ('1.5,"+2","-0",null,"9007199254740993","1e400"," 3","abc"')


def _random_decimal_text(rnd: random.Random) -> str:
    kind = rnd.random()
    if kind < 0.5:
        text = rnd.choice(["", "-"]) + str(rnd.randint(0, 10 ** rnd.randint(1, 17)))
        if rnd.random() < 0.7:
            text += "." + str(rnd.randint(0, 10 ** rnd.randint(1, 8)))
        return text
    if kind < 0.8:
        return "".join(rnd.choice("0123456789.-,") for _ in range(rnd.randint(0, 18)))
    return "".join(rnd.choice("0123456789.-+eE ,x") for _ in range(rnd.randint(0, 10)))


@pytest.mark.parametrize("length", [1, 3, 40, 130])
def test_fast_paths_agree_with_the_value_by_value_rule(length: int) -> None:
    rnd = random.Random(length)
    auto = decimal_values_writer("auto")
    number = decimal_values_writer("number")
    for _ in range(1500):
        values: list[Value] = [_random_decimal_text(rnd) for _ in range(length)]
        if rnd.random() < 0.5:  # mostly clean arrays, so that the fast paths are taken
            clean: list[Value] = [
                v for v in values if isinstance(v, str) and is_exact_json_number(v)
            ]
            values = clean or ["1.5"]
        assert auto(values, ",") == _oracle_auto(values), values
        texts = [json_number_text(v) for v in values]  # type: ignore[arg-type]
        if None in texts:
            with pytest.raises(ValueError):
                number(values, ",")
        else:
            assert number(values, ",") == ",".join(texts)  # type: ignore[arg-type]


NEAR_MISSES = [
    "007",
    "-01.5",
    "-0",
    ".5",
    "-.5",
    "5.",
    "1.2.3",
    "1-2",
    "--1",
    "-",
    ".",
    "",
    "1,5",
    "1234567890123456",
    "-123456789.0123456",
    "1e5",
    "+1",
    " 1",
]


@pytest.mark.parametrize("near_miss", NEAR_MISSES)
@pytest.mark.parametrize("position", [0, 17, 59])
def test_long_arrays_with_one_near_miss(near_miss: str, position: int) -> None:
    values: list[Value] = [f"{(i * 7919) % 400 - 200}.{i % 100}" for i in range(60)]
    values[position] = near_miss
    assert decimal_values_writer("auto")(values, ",") == _oracle_auto(values)
    texts = [json_number_text(v) for v in values]  # type: ignore[arg-type]
    number = decimal_values_writer("number")
    if None in texts:
        with pytest.raises(ValueError):
            number(values, ",")
    else:
        assert number(values, ",") == ",".join(texts)  # type: ignore[arg-type]


def test_auto_gives_the_same_answer_twice() -> None:
    # The second call is answered from the cache of texts already found exact.
    auto = decimal_values_writer("auto")
    values: list[Value] = [f"{i / 8:.3f}" for i in range(-100, 100)]
    values += ["-0", "+1"]
    first = auto(values, ",")
    assert auto(values, ",") == first == _oracle_auto(values)
    assert auto(["-0"], ",") == '"-0"'


def test_number_mode_normalizes_and_refuses_non_numbers() -> None:
    write = decimal_values_writer("number")
    assert write(["+1.5", "007", ".5", "1.", " 2 ", None, "-0"], ",") == "1.5,7,0.5,1,2,null,-0"
    with pytest.raises(ValueError, match="abc"):
        write(["1", "abc"], ",")
    with pytest.raises(ValueError):
        write(["1,5"], ",")


def test_string_mode_quotes_every_value() -> None:
    write = decimal_values_writer("string")
    assert write(["1.5", "+2", None, 'a"b'], ",") == '"1.5","+2",null,"a\\"b"'


@pytest.mark.parametrize("mode", ["auto", "number", "string"])
def test_separator_is_used_between_values(mode: str) -> None:
    write = decimal_values_writer(mode)  # type: ignore[arg-type]
    assert write(["1", "2"], ",\n  ").count(",\n  ") == 1
    long_values: list[Value] = [f"{i}.25" for i in range(40)]
    assert write(long_values, ", ").count(", ") == 39


@pytest.mark.parametrize("mode", ["auto", "number", "string"])
def test_decimal_values_must_be_text(mode: str) -> None:
    write = decimal_values_writer(mode)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        write([1.5], ",")


@pytest.mark.parametrize("mode", ["auto", "number"])
def test_int64_numbers_up_to_two_to_the_53(mode: str) -> None:
    write = int64_values_writer(mode)  # type: ignore[arg-type]
    values: list[Value] = [
        JSON_SAFE_INTEGER,
        -JSON_SAFE_INTEGER,
        JSON_SAFE_INTEGER + 1,
        -JSON_SAFE_INTEGER - 1,
        2**64 - 1,
        0,
        None,
    ]
    assert write(values, ",") == (
        '9007199254740992,-9007199254740992,"9007199254740993","-9007199254740993",'
        '"18446744073709551615",0,null'
    )


def test_int64_string_mode() -> None:
    write = int64_values_writer("string")
    assert write([1, -(2**63), None], ",") == '"1","-9223372036854775808",null'


def test_int64_values_must_be_int() -> None:
    write = int64_values_writer("auto")
    for bad in (True, "1", 1.0):
        with pytest.raises(TypeError):
            write([bad], ",")


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="number_handling"):
        decimal_values_writer("float")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="number_handling"):
        int64_values_writer("float")  # type: ignore[arg-type]
