"""IR -> DICOM JSON Model text (PS3.18 Annex F), written directly as str pieces.

``json.dumps`` cannot write the exact DS/IS literals the IR keeps, so the text is assembled
here: one list of str pieces per call, joined once.  Strings go through the C escaper of the
``json`` module, ``encode_basestring`` (not the ``_ascii`` variant): non-ASCII characters stay
as they are, which keeps names in other scripts readable and short, and the result is valid
RFC 8259 text once encoded as UTF-8 (the media type's encoding), given IR text that is valid
Unicode (pydicom decodes with replacement characters, never lone surrogates).  Per VR there is one
function that writes the inside of a ``Value`` array; the choice is made once per call.

Form of the output:

* Keys are the 8 uppercase hex digits of the tag (``use_keywords_as_keys``: the dictionary
  keyword where it names exactly this tag), in the IR's ascending tag order.
* An attribute object has ``"vr"`` first, then ``"keyword"`` and ``"name"`` (non-standard,
  only when asked for and only when the dictionary has them), then at most one of
  ``"Value"``, ``"InlineBinary"``, ``"BulkDataURI"``.  A zero-length element has only ``"vr"``.
* FL/FD NaN and infinities are the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"``
  (:mod:`dicombind.floats`); DS/IS/SV/UV follow ``number_handling``
  (:mod:`dicombind.json.numbers`); PN values are objects of their non-empty component groups,
  an entirely empty name is ``null``; an empty value in a multi-value is ``null``.
* ``indent=None`` writes compact text without spaces; an int writes the layout of
  ``json.dumps(..., indent=n)``.
"""

from __future__ import annotations

from binascii import b2a_base64
from collections.abc import Callable
from json.encoder import encode_basestring

from pydicom.datadict import dictionary_description

from dicombind.errors import DicombindError, ValueFormatError, item_step
from dicombind.floats import format_fd, format_fl, special_float_text
from dicombind.ir import DataSet, Element, Value
from dicombind.json.numbers import (
    ValuesWriter,
    decimal_values_writer,
    int64_values_writer,
    quoted_text,
)
from dicombind.keywords import TAG_KEYWORDS, tag_for_keyword
from dicombind.options import JSONWriteOptions, NumberHandling
from dicombind.vr import ALL_VRS, BINARY_VRS, JSON_BULK_DATA_VRS, TEXT_VRS

_PN_GROUP_NAMES = ("Alphabetic", "Ideographic", "Phonetic")


def write_json(data: DataSet | list[DataSet], options: JSONWriteOptions | None = None) -> str:
    """One data set as a JSON object, or a list of data sets as a JSON array.

    An empty list is an empty data set (``{}``); use :func:`write_json_list` for an array
    that may be empty.  Raises ValueFormatError (with tag and attribute path) for an element
    that breaks the IR contract or cannot be represented.
    """
    if data and type(data[0]) is not Element:
        return write_json_list(data, options)  # type: ignore[arg-type]
    writer = _Writer(options or JSONWriteOptions())
    writer.dataset(data, 0)  # type: ignore[arg-type]
    return "".join(writer.parts)


def write_json_list(datasets: list[DataSet], options: JSONWriteOptions | None = None) -> str:
    """Data sets as one JSON array (PS3.18 F.2.1), ``[]`` when there are none."""
    writer = _Writer(options or JSONWriteOptions())
    if not datasets:
        return "[]"
    level = writer.level(0)
    parts = writer.parts
    separator = "[" + level.newline_in
    for dataset in datasets:
        parts.append(separator)
        separator = level.member_separator
        writer.dataset(dataset, 1)
    parts.append(level.newline_out + "]")
    return "".join(parts)


def _dictionary_name(tag: int) -> str | None:
    """PS3.6 name of ``tag`` (dicombind.keywords has no name look-up)."""
    if tag & 0x10000:
        return None
    try:
        return dictionary_description(tag) or None
    except KeyError:
        return None


def _quoted_texts(values: list[Value], separator: str) -> str:
    try:
        return separator.join(map(encode_basestring, values))  # type: ignore[arg-type]
    except TypeError:
        return separator.join(map(quoted_text, values))


def _integers(values: list[Value], separator: str) -> str:
    try:
        return separator.join(map(int.__repr__, values))
    except TypeError:
        return separator.join(map(_integer, values))


def _integer(value: Value) -> str:
    if value is None:
        return "null"
    if type(value) is not int:
        raise TypeError(f"value {value!r} is not an int")
    return int.__repr__(value)


def _float_writer(format_finite: Callable[[float], str]) -> ValuesWriter:
    def write(values: list[Value], separator: str) -> str:
        texts = []
        for value in values:
            if value is None:
                texts.append("null")
                continue
            if type(value) is not float:
                if type(value) is not int:
                    raise TypeError(f"value {value!r} is not a float")
                value = float(value)
            special = special_float_text(value)
            texts.append(format_finite(value) if special is None else f'"{special}"')
        return separator.join(texts)

    return write


def _tags(values: list[Value], separator: str) -> str:
    texts = []
    for value in values:
        if value is None:
            texts.append("null")
        elif type(value) is int and 0 <= value <= 0xFFFFFFFF:
            texts.append(f'"{value:08X}"')
        else:
            raise TypeError(f"AT value {value!r} is not a 32-bit tag")
    return separator.join(texts)


class _Level:
    """The separators and per-VR openings of a data set written at one nesting level.

    For the object opened at level ``n``, members sit at ``n + 1``; an attribute object's
    members at ``n + 2``; its ``Value`` entries at ``n + 3``; a PN object's members at ``n + 4``.
    """

    __slots__ = (
        "attribute_close",
        "attribute_separator",
        "colon",
        "heads",
        "member_separator",
        "newline_in",
        "newline_out",
        "opens",
        "value_close",
        "value_open",
        "value_separator",
        "writers",
    )

    def __init__(self, n: int, indent: int | None, writers: dict[str, ValuesWriter]) -> None:
        def newline(depth: int) -> str:
            return "" if indent is None else "\n" + " " * (indent * depth)

        colon = ":" if indent is None else ": "
        self.colon = colon
        self.newline_in = newline(n + 1)
        self.newline_out = newline(n)
        self.member_separator = "," + newline(n + 1)
        # Attribute object: '{"vr":"XX"' is ``opens[vr]``; then '"Value":[' ... ']}'.
        attribute_in = newline(n + 2)
        self.attribute_separator = "," + attribute_in
        self.opens = {vr: f'{{{attribute_in}"vr"{colon}"{vr}"' for vr in ALL_VRS}
        self.value_open = f',{attribute_in}"Value"{colon}[{newline(n + 3)}'
        self.heads = {vr: self.opens[vr] + self.value_open for vr in ALL_VRS}
        self.value_separator = "," + newline(n + 3)
        self.attribute_close = newline(n + 1) + "}"
        self.value_close = newline(n + 2) + "]" + self.attribute_close
        self.writers = dict(writers)
        self.writers["PN"] = _person_name_writer(newline(n + 4), newline(n + 3), colon)


def _person_name_writer(member_newline: str, close_newline: str, colon: str) -> ValuesWriter:
    open_object = "{" + member_newline
    member_separator = "," + member_newline
    close_object = close_newline + "}"
    alphabetic_only = (open_object + '"Alphabetic"' + colon, close_object)
    names = [f'"{name}"{colon}' for name in _PN_GROUP_NAMES]

    def person_name(value: Value) -> str:
        if type(value) is not str:
            if value is None:
                return "null"
            raise TypeError(f"PN value {value!r} is not a str")
        if not value:
            return "null"
        if "=" not in value:
            return alphabetic_only[0] + encode_basestring(value) + alphabetic_only[1]
        groups = value.split("=")
        if len(groups) > 3:
            raise ValueError(f"PN value {value!r} has more than three component groups")
        members = [
            names[index] + encode_basestring(group) for index, group in enumerate(groups) if group
        ]
        if not members:
            return "null"
        return open_object + member_separator.join(members) + close_object

    def write(values: list[Value], separator: str) -> str:
        return separator.join(map(person_name, values))

    return write


def _value_writers(number_handling: NumberHandling) -> dict[str, ValuesWriter]:
    """The ``Value`` array writer of every VR that has one (PN is added per level)."""
    writers: dict[str, ValuesWriter] = dict.fromkeys(TEXT_VRS, _quoted_texts)
    writers.update(
        AT=_tags,
        FL=_float_writer(format_fl),
        FD=_float_writer(format_fd),
        SL=_integers,
        SS=_integers,
        UL=_integers,
        US=_integers,
    )
    decimals = decimal_values_writer(number_handling)
    int64s = int64_values_writer(number_handling)
    writers.update(DS=decimals, IS=decimals, SV=int64s, UV=int64s)
    return writers


class _Layout:
    """The levels of one (indent, number_handling) pair, built on first use and shared."""

    def __init__(self, indent: int | None, number_handling: NumberHandling) -> None:
        self.indent = indent
        self.writers = _value_writers(number_handling)
        self.levels: dict[int, _Level] = {}

    def level(self, n: int) -> _Level:
        # setdefault keeps one _Level per n even if two threads build it at once.
        return self.levels.setdefault(n, _Level(n, self.indent, self.writers))


_LAYOUTS: dict[tuple[int | None, NumberHandling], _Layout] = {}
_LAYOUTS_LIMIT = 64


def _layout(options: JSONWriteOptions) -> _Layout:
    key = (options.indent, options.number_handling)
    layout = _LAYOUTS.get(key)
    if layout is None:
        layout = _Layout(*key)
        if len(_LAYOUTS) < _LAYOUTS_LIMIT:
            _LAYOUTS[key] = layout
    return layout


class _Writer:
    """State of one ``write_json`` call: options, caches and the output pieces."""

    def __init__(self, options: JSONWriteOptions) -> None:
        self.options = options
        self.layout = _layout(options)
        self.levels = self.layout.levels
        self.level = self.layout.level
        self.parts: list[str] = []
        self.keys: dict[int, str] = {}
        self.extras = options.write_keyword or options.write_name

    def key(self, tag: int, colon: str) -> str:
        name: str | None = None
        if self.options.use_keywords_as_keys:
            name = TAG_KEYWORDS[tag]
            if name is not None and tag_for_keyword(name) != tag:
                name = None  # a repeating-group keyword that names another group too
        if name is None:
            name = f"{tag:08X}"
        key = f'"{name}"{colon}'
        self.keys[tag] = key
        return key

    def dataset(self, dataset: DataSet, n: int) -> None:
        """Append the JSON object of ``dataset``, opened at nesting level ``n``."""
        parts = self.parts
        if not dataset:
            parts.append("{}")
            return
        level = self.levels.get(n) or self.level(n)
        extend = parts.extend
        keys = self.keys
        colon = level.colon
        writers = level.writers
        heads = level.heads
        value_separator = level.value_separator
        value_close = level.value_close
        member_separator = level.member_separator
        plain = not self.extras
        separator = "{" + level.newline_in
        for element in dataset:
            tag = element.tag
            key = keys.get(tag) or self.key(tag, colon)
            values = element.values
            vr = element.vr
            # The common case, a Value array and nothing else, is written right here.
            if values and plain and element.inline_binary is None and element.bulk_data_uri is None:
                writer = writers.get(vr)
                if writer is not None:
                    try:
                        text = writer(values, value_separator)
                    except (TypeError, ValueError) as error:
                        raise ValueFormatError(
                            f"{vr} value cannot be written: {error}", tag=tag
                        ) from None
                    extend((separator, key, heads[vr], text, value_close))
                elif vr == "SQ":
                    extend((separator, key, heads[vr]))
                    self.items(tag, values, n + 3, value_separator)
                    parts.append(value_close)
                else:
                    extend((separator, key))
                    self.other_element(element, level, n)
            else:
                extend((separator, key))
                self.other_element(element, level, n)
            separator = member_separator
        parts.append(level.newline_out + "}")

    def other_element(self, element: Element, level: _Level, n: int) -> None:
        """Everything but a plain Value array: extras, binary, bulk data, zero-length, errors."""
        tag, vr = element.tag, element.vr
        append = self.parts.append
        if vr not in level.opens:
            raise ValueFormatError(f"unknown VR {vr!r}", tag=tag)
        contents = (element.values, element.inline_binary, element.bulk_data_uri)
        if len(contents) - contents.count(None) > 1:
            raise ValueFormatError(
                "more than one of values, inline_binary and bulk_data_uri is set", tag=tag
            )
        member_in = level.attribute_separator
        colon = level.colon
        append(level.opens[vr] + self.extra_members(tag, member_in, colon))
        if element.values:
            append(level.value_open)
            if vr == "SQ":
                self.items(tag, element.values, n + 3, level.value_separator)
            else:
                writer = level.writers.get(vr)
                if writer is None:
                    raise ValueFormatError(f"VR {vr} takes InlineBinary, not values", tag=tag)
                try:
                    append(writer(element.values, level.value_separator))
                except (TypeError, ValueError) as error:
                    raise ValueFormatError(
                        f"{vr} value cannot be written: {error}", tag=tag
                    ) from None
            append(level.value_close)
            return
        if element.inline_binary is not None:
            if vr not in BINARY_VRS:
                raise ValueFormatError(f"InlineBinary is not allowed for VR {vr}", tag=tag)
            encoded = b2a_base64(element.inline_binary, newline=False).decode("ascii")
            append(f'{member_in}"InlineBinary"{colon}"{encoded}"')
        elif element.bulk_data_uri is not None:
            if vr not in JSON_BULK_DATA_VRS:
                raise ValueFormatError(f"BulkDataURI is not allowed for VR {vr}", tag=tag)
            uri = element.bulk_data_uri
            append(f'{member_in}"BulkDataURI"{colon}{encode_basestring(uri)}')
        append(level.attribute_close)

    def extra_members(self, tag: int, member_in: str, colon: str) -> str:
        """The non-standard "keyword" and "name" members, as far as asked for and known."""
        text = ""
        if self.options.write_keyword:
            keyword = TAG_KEYWORDS[tag]
            if keyword is not None:
                text += f'{member_in}"keyword"{colon}"{keyword}"'
        if self.options.write_name:
            name = _dictionary_name(tag)
            if name is not None:
                text += f'{member_in}"name"{colon}{encode_basestring(name)}'
        return text

    def items(self, tag: int, items: list[Value], n: int, separator: str) -> None:
        """Append the item objects of sequence ``tag``, each opened at level ``n``."""
        append = self.parts.append
        for index, item in enumerate(items):
            if index:
                append(separator)
            if type(item) is not list:
                raise ValueFormatError(
                    f"sequence item {index} is not a data set: {item!r:.40}", tag=tag
                )
            try:
                self.dataset(item, n)
            except DicombindError as error:
                raise error.within(item_step(tag, index)) from None
