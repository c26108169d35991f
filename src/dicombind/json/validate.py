"""Validate a DICOM JSON Model document against our schema and the rules it cannot state.

The structure is checked with the pydantic models generated from
``schemas/dicom-json-model.schema.json`` (jsonschema is only a development dependency); on top
of them come the rules JSON Schema cannot express: members of every data set in ascending
order, no member name twice, a Private Creator for every private data element.  Every
violation is reported with a JSON pointer (``/00081115/Value/0/00081150``).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from pydantic_core import ErrorDetails

from dicombind.errors import ValidationError, Violation
from dicombind.generated.json_model import dataset_adapter, dataset_list_adapter
from dicombind.private_blocks import is_private_data_tag

_KEY_STEP = "[key]"  # pydantic's location step for an error in a dict key
_MESSAGES = {
    "extra_forbidden": "member not allowed in this object",
    "union_tag_not_found": "attribute object without a 'vr' member",
}


def validate(document: str | bytes | object) -> list[Violation]:
    """All the ways ``document`` breaks the DICOM JSON Model; ``[]`` when it is valid.

    ``document`` is JSON text (``str`` or ``bytes``) or already parsed JSON (dicts, lists,
    strings, numbers, ``None``): one data set object or an array of data set objects.
    """
    duplicates: dict[int, list[str]] = {}
    if isinstance(document, str | bytes | bytearray):
        try:
            document = _parse(document, duplicates)
        except ValueError as error:
            return [Violation("", f"not valid JSON: {error}")]
    if not isinstance(document, list | dict):
        return [Violation("", "the document is neither a data set object nor an array of them")]
    violations: list[Violation] = []
    try:
        if isinstance(document, list):
            dataset_list_adapter.validate_python(document)
        else:
            dataset_adapter.validate_python(document)
    except PydanticValidationError as error:
        violations.extend(_structure_violations(document, error.errors()))
    violations.extend(_rule_violations(document, duplicates))
    return violations


def assert_valid(document: str | bytes | object) -> None:
    """Raise ValidationError listing every violation when ``document`` is not valid."""
    violations = validate(document)
    if violations:
        raise ValidationError(violations)


# JSON text


def _parse(text: str | bytes | bytearray, duplicates: dict[int, list[str]]) -> object:
    """``json.loads`` that refuses NaN/Infinity tokens and notes repeated member names."""
    kept: list[dict[str, Any]] = []  # keeps the ids in ``duplicates`` unique while parsing

    def build_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            repeated: list[str] = []
            for key, _ in pairs:
                if key in seen:
                    repeated.append(key)
                seen.add(key)
            duplicates[id(result)] = repeated
            kept.append(result)
        return result

    def refuse_constant(name: str) -> object:
        raise ValueError(f"{name} is not a JSON value (write the string {name!r} instead)")

    return json.loads(text, object_pairs_hook=build_object, parse_constant=refuse_constant)


# Structure (the generated models)


def _structure_violations(document: object, errors: list[ErrorDetails]) -> list[Violation]:
    """pydantic errors as violations; the failed branches of one union become one violation."""
    messages: dict[tuple[str, str | None], list[str]] = {}
    for error in errors:
        pointer, key = _pointer_of(document, error["loc"], error["type"] == "missing")
        found = messages.setdefault((pointer, key), [])
        message = _message_of(error)
        if message not in found:
            found.append(message)
    return [
        Violation(
            pointer,
            " or ".join(found) if key is None else f"member name {key!r}: {' or '.join(found)}",
        )
        for (pointer, key), found in messages.items()
    ]


def _message_of(error: ErrorDetails) -> str:
    if error["type"] == "union_tag_invalid" and "ctx" in error:
        return f"unknown VR {error['ctx'].get('tag')!r}"
    return _MESSAGES.get(error["type"], error["msg"])


def _pointer_of(
    document: object, location: tuple[int | str, ...], missing: bool
) -> tuple[str, str | None]:
    """The JSON pointer of a pydantic error location, and the key when a key is at fault.

    A location mixes steps into the document with labels pydantic adds (the ``vr`` of a
    discriminated union, the branch of a union): walking the document tells them apart.
    """
    steps: list[str] = []
    node = document
    for index, step in enumerate(location):
        if step == _KEY_STEP and steps:
            return "".join(steps), str(location[index - 1])
        if isinstance(node, dict):
            if step in node:
                node = node[step]
                steps.append(_step(step))
            elif missing and index == len(location) - 1:
                steps.append(_step(step))
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            steps.append(_step(step))
    return "".join(steps), None


def _step(name: object) -> str:
    """One JSON pointer step (RFC 6901): ``/`` plus the name with ``~`` and ``/`` escaped."""
    return "/" + str(name).replace("~", "~0").replace("/", "~1")


# Rules beyond the schema


def _rule_violations(document: object, duplicates: dict[int, list[str]]) -> list[Violation]:
    if isinstance(document, list):
        return [
            violation
            for index, dataset in enumerate(document)
            for violation in _dataset_rules(dataset, f"/{index}", duplicates)
        ]
    return list(_dataset_rules(document, "", duplicates))


def _dataset_rules(
    dataset: object, pointer: str, duplicates: dict[int, list[str]]
) -> Iterator[Violation]:
    if not isinstance(dataset, dict):
        return
    for key in duplicates.get(id(dataset), []):
        yield Violation(pointer + _step(key), "member name appears more than once in a data set")
    keys = [key for key in dataset if isinstance(key, str)]
    for previous, key in itertools.pairwise(keys):
        if key < previous:
            yield Violation(
                pointer + _step(key),
                f"member {key} follows {previous}: members shall be in ascending order (F.2.2)",
            )
    yield from _private_creator_rules(keys, pointer)
    for key, attribute in dataset.items():
        if isinstance(attribute, dict) and attribute.get("vr") == "SQ":
            items = attribute.get("Value")
            if isinstance(items, list):
                for index, item in enumerate(items):
                    item_pointer = f"{pointer}{_step(key)}/Value/{index}"
                    yield from _dataset_rules(item, item_pointer, duplicates)


def _private_creator_rules(keys: list[str], pointer: str) -> Iterator[Violation]:
    present = set(keys)
    for key in keys:
        # Cheap test first: a private tag has an odd group, so an odd fourth hex digit.
        if key[3:4] not in _ODD_HEX_DIGITS or _TAG_KEY.fullmatch(key) is None:
            continue
        tag = int(key, 16)
        if is_private_data_tag(tag):
            creator = f"{tag >> 16:04X}00{(tag >> 8) & 0xFF:02X}"
            if creator not in present:
                yield Violation(
                    f"{pointer}/{key}",  # a tag key needs no escaping
                    f"private data element without its Private Creator {creator} (PS3.5 7.8.1)",
                )


_ODD_HEX_DIGITS = frozenset("13579BDF")
_TAG_KEY = re.compile("[0-9A-F]{8}")
