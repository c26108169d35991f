"""DICOM JSON Model: pydantic v2 models from our JSON Schema, through jinja2 templates.

Reads ``schemas/dicom-json-model.schema.json`` and writes ``out_dir/json_model.py``, importable
as ``dicombind.generated.json_model``.  The schema is mapped construct by construct; a keyword
the mapping does not know is an error rather than a constraint silently lost:

* a ``$defs`` entry with ``properties`` -> a model class (``extra="forbid"``, strict); members
  not in ``required`` may be left out but are ``null`` only where their schema allows it;
  ``maxProperties`` -> a check of how many of the optional members are present;
* a ``$defs`` entry with one ``patternProperties`` entry -> ``dict[<Name>Key, <value type>]``,
  ``propertyNames: {"not": {"pattern": ...}}`` -> a check of the key;
* any other ``$defs`` entry -> a type alias; ``anyOf``/``oneOf`` -> a union, discriminated when
  every member is a model class with a required member of disjoint ``const``/``enum`` values;
* the alternatives of the root ``oneOf``/``anyOf``/``$ref`` -> module-level ``TypeAdapter``\\ s.

The output is deterministic (sorted iteration, no timestamps) and formatted with the pinned ruff.
"""

from __future__ import annotations

import json
import keyword
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = PROJECT_ROOT / "schemas" / "dicom-json-model.schema.json"
TEMPLATES = Path(__file__).resolve().parent / "templates"
OUTPUT_FILE = "json_model.py"
LINE_LENGTH = 100
DOC_WIDTH = 92

Schema = Mapping[str, Any]

# Keywords that document and never constrain.
_ANNOTATIONS = frozenset(("$comment", "description", "title", "examples"))
# The constraining keywords each JSON type maps; any other is rejected.
_TYPE_KEYWORDS = {
    "string": frozenset(("minLength", "maxLength", "pattern")),
    "integer": frozenset(("minimum", "maximum")),
    "array": frozenset(("items", "minItems", "maxItems")),
}


class SchemaError(ValueError):
    """The schema uses a construct the generator does not map."""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    annotation: str
    required: bool
    comment: list[str]


@dataclass(frozen=True)
class ClassSpec:
    name: str
    doc: list[str]
    fields: list[FieldSpec]
    at_most: int | None
    at_most_of: str


@dataclass(frozen=True)
class AliasSpec:
    name: str
    expression: str
    doc: list[str]
    depends_on: frozenset[str]


@dataclass(frozen=True)
class AdapterSpec:
    variable: str
    type_name: str


@dataclass
class _Context:
    """What rendering one expression used: names of other definitions and library features."""

    refs: set[str] = field(default_factory=set)
    features: set[str] = field(default_factory=set)


class _Generator:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.defs: Mapping[str, Schema] = schema.get("$defs", {})
        self.classes = {name for name, spec in self.defs.items() if "properties" in spec}
        self.features: set[str] = set()

    # -- definitions ---------------------------------------------------------------------

    def build(self) -> tuple[list[ClassSpec], list[AliasSpec], list[AdapterSpec]]:
        _check_keywords(self.schema, {"$schema", "$id", "$defs", "oneOf", "anyOf", "$ref"}, "#")
        classes: list[ClassSpec] = []
        aliases: list[AliasSpec] = []
        for name in sorted(self.defs):
            _check_identifier(name, f"#/$defs/{name}")
            spec = self.defs[name]
            pointer = f"#/$defs/{name}"
            if name in self.classes:
                classes.append(self._class(name, spec, pointer))
            elif "patternProperties" in spec:
                aliases.extend(self._mapping(name, spec, pointer))
            else:
                context = _Context()
                expression = self._type(spec, pointer, context)
                aliases.append(self._alias(name, expression, spec, context))
        return classes, _dependency_order(aliases, self.classes), self._adapters()

    def _class(self, name: str, spec: Schema, pointer: str) -> ClassSpec:
        allowed = {"type", "properties", "required", "additionalProperties", "maxProperties"}
        _check_keywords(spec, allowed, pointer)
        if spec.get("type", "object") != "object" or spec.get("additionalProperties") is not False:
            raise SchemaError(
                f"{pointer}: a model needs type object and additionalProperties false"
            )
        required = list(spec.get("required", []))
        properties: Mapping[str, Schema] = spec["properties"]
        unknown = sorted(set(required) - set(properties))
        if unknown:
            raise SchemaError(f"{pointer}: required members without a schema: {unknown}")
        fields = []
        for member, member_schema in properties.items():
            member_pointer = f"{pointer}/properties/{member}"
            _check_identifier(member, member_pointer)
            if member in self.defs:
                # The class attribute would shadow the type of that name in its annotations.
                raise SchemaError(f"{member_pointer}: member name is also a $defs name")
            context = _Context()
            annotation = self._type(member_schema, member_pointer, context)
            self.features |= context.features
            is_required = member in required
            if not is_required and not self._allows_null(member_schema):
                # Optional but not nullable: JSON Schema lets the member be left out, not null.
                self.features.add("not_null")
                annotation = f"Annotated[{annotation} | None, AfterValidator(_reject_null)]"
            comment = _wrapped(member_schema.get("description", ""), DOC_WIDTH - 4)
            fields.append(FieldSpec(member, annotation, is_required, comment))
        optional = [member for member in properties if member not in required]
        at_most = None
        if "maxProperties" in spec:
            at_most = int(spec["maxProperties"]) - len(required)
            if at_most < 0:
                raise SchemaError(f"{pointer}: maxProperties is below the required members")
            if at_most >= len(optional):
                at_most = None
            else:
                self.features.add("at_most")
        doc = _wrapped(spec.get("description", ""), DOC_WIDTH - 4)
        at_most_of = _tuple_literal(optional) if at_most is not None else ""
        return ClassSpec(name, doc, fields, at_most, at_most_of)

    def _allows_null(self, spec: Schema) -> bool:
        if "$ref" in spec:
            return self._allows_null(self.defs[self._ref_name(spec["$ref"], "")])
        if "anyOf" in spec or "oneOf" in spec:
            return any(self._allows_null(member) for member in spec.get("anyOf", spec.get("oneOf")))
        types = spec.get("type")
        return types == "null" or (isinstance(types, list) and "null" in types)

    def _mapping(self, name: str, spec: Schema, pointer: str) -> list[AliasSpec]:
        allowed = {"type", "patternProperties", "propertyNames", "additionalProperties"}
        _check_keywords(spec, allowed, pointer)
        patterns: Mapping[str, Schema] = spec["patternProperties"]
        if spec.get("type") != "object" or spec.get("additionalProperties") is not False:
            raise SchemaError(
                f"{pointer}: a mapping needs type object and additionalProperties false"
            )
        if len(patterns) != 1:
            raise SchemaError(f"{pointer}: exactly one patternProperties entry is supported")
        ((pattern, value_schema),) = patterns.items()
        key_parts = [f"StringConstraints(pattern={_literal(pattern)})"]
        names = spec.get("propertyNames")
        if names is not None:
            key_parts.append(self._excluded_names(names, f"{pointer}/propertyNames"))
        self.features.add("string_constraints")
        if f"{name}Key" in self.defs:
            raise SchemaError(f"{pointer}: the key type name {name}Key is taken by a $defs entry")
        key = AliasSpec(
            f"{name}Key",
            f"Annotated[str, {', '.join(key_parts)}]",
            [f"A member name of {name}."],
            frozenset(),
        )
        context = _Context()
        value = self._type(value_schema, f"{pointer}/patternProperties/{pattern}", context)
        mapping = self._alias(name, f"dict[{key.name}, {value}]", spec, context)
        return [
            key,
            AliasSpec(name, mapping.expression, mapping.doc, mapping.depends_on | {key.name}),
        ]

    def _excluded_names(self, names: Schema, pointer: str) -> str:
        _check_keywords(names, {"not"}, pointer)
        excluded = names["not"]
        _check_keywords(excluded, {"pattern"}, f"{pointer}/not")
        reason = excluded.get("description") or f"must not match {excluded['pattern']}"
        self.features.add("excluded_names")
        return (
            f"AfterValidator(_excluded_names({_literal(excluded['pattern'])}, {_literal(reason)}))"
        )

    def _alias(self, name: str, expression: str, spec: Schema, context: _Context) -> AliasSpec:
        self.features |= context.features
        doc = _wrapped(spec.get("description", ""), DOC_WIDTH)
        return AliasSpec(name, expression, doc, frozenset(context.refs - self.classes))

    def _adapters(self) -> list[AdapterSpec]:
        alternatives = self.schema.get("oneOf") or self.schema.get("anyOf") or []
        if "$ref" in self.schema:
            alternatives = [*alternatives, {"$ref": self.schema["$ref"]}]
        adapters = []
        for alternative in alternatives:
            _check_keywords(alternative, {"$ref"}, "#/oneOf")
            name = self._ref_name(alternative["$ref"], "#/oneOf")
            adapters.append(AdapterSpec(f"{_snake(name)}_adapter", name))
        if adapters:
            self.features.add("adapters")
        return sorted(adapters, key=lambda adapter: adapter.variable)

    # -- type expressions ----------------------------------------------------------------

    def _type(self, spec: Schema, pointer: str, context: _Context) -> str:
        if "$ref" in spec:
            _check_keywords(spec, {"$ref"}, pointer)
            name = self._ref_name(spec["$ref"], pointer)
            context.refs.add(name)
            return name
        if "const" in spec or "enum" in spec:
            _check_keywords(spec, {"const", "enum"}, pointer)
            values = [spec["const"]] if "const" in spec else list(spec["enum"])
            if not values or not all(isinstance(value, str) for value in values):
                raise SchemaError(f"{pointer}: only string const/enum values are supported")
            context.features.add("literal")
            return f"Literal[{', '.join(_literal(value) for value in values)}]"
        for union in ("anyOf", "oneOf"):
            if union in spec:
                _check_keywords(spec, {union}, pointer)
                return self._union(spec[union], f"{pointer}/{union}", context)
        types = spec.get("type")
        kinds = [types] if isinstance(types, str) else types
        if not isinstance(kinds, list) or not kinds:
            found = ", ".join(sorted(set(spec) - _ANNOTATIONS)) or "nothing"
            raise SchemaError(f"{pointer}: no type, $ref, const, enum, anyOf or oneOf ({found})")
        if "object" in kinds:
            raise SchemaError(f"{pointer}: give an object schema its own $defs entry")
        allowed = {"type"}.union(*(_TYPE_KEYWORDS.get(kind, frozenset()) for kind in kinds))
        _check_keywords(spec, allowed, pointer)
        return " | ".join(
            self._single_type(kind, spec, pointer, context) for kind in _null_last(kinds)
        )

    def _union(self, members: list[Schema], pointer: str, context: _Context) -> str:
        rendered = [
            self._type(member, f"{pointer}/{index}", context)
            for index, member in enumerate(members)
        ]
        discriminator = self._discriminator(members)
        if discriminator is None:
            return " | ".join(_null_last(rendered))
        context.features.add("discriminator")
        members_text = ", ".join(rendered)
        return f"Annotated[Union[{members_text}], Field(discriminator={_literal(discriminator)})]"

    def _discriminator(self, members: list[Schema]) -> str | None:
        """The member name whose const/enum values tell the union's model classes apart."""
        if len(members) < 2 or not all(set(member) == {"$ref"} for member in members):
            return None
        names = [self._ref_name(member["$ref"], "") for member in members]
        if not all(name in self.classes for name in names):
            return None
        candidates: set[str] = set.intersection(
            *(set(self.defs[name].get("required", [])) for name in names)
        )
        for candidate in sorted(candidates):
            seen: set[str] = set()
            for name in names:
                values = _tag_values(self.defs[name]["properties"].get(candidate, {}))
                if values is None or seen & values:
                    break
                seen |= values
            else:
                return candidate
        return None

    def _single_type(self, kind: str, spec: Schema, pointer: str, context: _Context) -> str:
        if kind == "string":
            constraints = [
                f"{argument}={_literal(spec[keyword])}"
                for keyword, argument in (
                    ("minLength", "min_length"),
                    ("maxLength", "max_length"),
                    ("pattern", "pattern"),
                )
                if keyword in spec
            ]
            if not constraints:
                return "str"
            context.features.add("string_constraints")
            return f"Annotated[str, StringConstraints({', '.join(constraints)})]"
        if kind == "integer":
            bounds = [
                f"{argument}={int(spec[keyword])}"
                for keyword, argument in (("minimum", "ge"), ("maximum", "le"))
                if keyword in spec
            ]
            if not bounds:
                return "int"
            context.features.add("field")
            return f"Annotated[int, Field({', '.join(bounds)})]"
        if kind == "number":
            # A JSON number is an int or a float in Python, as json.loads gives it; keeping the
            # int keeps an integral DS or FD exactly as written.
            return "int | float"
        if kind == "boolean":
            return "bool"
        if kind == "null":
            return "None"
        if kind == "array":
            if "items" not in spec:
                raise SchemaError(f"{pointer}: an array needs items")
            item = self._type(spec["items"], f"{pointer}/items", context)
            lengths = [
                f"{argument}={int(spec[keyword])}"
                for keyword, argument in (("minItems", "min_length"), ("maxItems", "max_length"))
                if keyword in spec
            ]
            if not lengths:
                return f"list[{item}]"
            context.features.add("field")
            return f"Annotated[list[{item}], Field({', '.join(lengths)})]"
        raise SchemaError(f"{pointer}: unsupported type {kind!r}")

    def _ref_name(self, ref: str, pointer: str) -> str:
        prefix = "#/$defs/"
        name = ref[len(prefix) :] if ref.startswith(prefix) else ""
        if name not in self.defs:
            raise SchemaError(f"{pointer}: unsupported or dangling $ref {ref!r}")
        return name


def _tag_values(spec: Schema) -> set[str] | None:
    if "const" in spec and isinstance(spec["const"], str):
        return {spec["const"]}
    if "enum" in spec and all(isinstance(value, str) for value in spec["enum"]):
        return set(spec["enum"])
    return None


def _check_keywords(spec: Schema, allowed: Iterable[str], pointer: str) -> None:
    unknown = sorted(set(spec) - set(allowed) - _ANNOTATIONS)
    if unknown:
        raise SchemaError(f"{pointer}: unsupported keyword(s) {', '.join(unknown)}")


def _check_identifier(name: str, pointer: str) -> None:
    if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
        raise SchemaError(f"{pointer}: {name!r} is not usable as a Python name")


def _null_last(items: list[str]) -> list[str]:
    return [item for item in items if item not in ("null", "None")] + [
        item for item in items if item in ("null", "None")
    ]


def _dependency_order(aliases: list[AliasSpec], classes: set[str]) -> list[AliasSpec]:
    """Aliases are evaluated at import: each after the aliases it names (ties by name)."""
    by_name = {alias.name: alias for alias in aliases}
    ordered: list[AliasSpec] = []
    done: set[str] = set()
    visiting: set[str] = set()

    def visit(alias: AliasSpec) -> None:
        if alias.name in done:
            return
        if alias.name in visiting:
            raise SchemaError(f"#/$defs/{alias.name}: recursion that no model class breaks")
        visiting.add(alias.name)
        for dependency in sorted(alias.depends_on - classes):
            visit(by_name[dependency])
        visiting.discard(alias.name)
        done.add(alias.name)
        ordered.append(alias)

    for alias in sorted(aliases, key=lambda alias: alias.name):
        visit(alias)
    return ordered


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _literal(value: object) -> str:
    """A Python literal; a string with backslashes becomes a raw string when that is exact."""
    if isinstance(value, str):
        raw_safe = '"' not in value and "\n" not in value and not value.endswith("\\")
        if "\\" in value and raw_safe:
            return f'r"{value}"'
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def _tuple_literal(items: list[str]) -> str:
    inner = ", ".join(_literal(item) for item in items)
    return f"({inner},)" if len(items) == 1 else f"({inner})"


def _wrapped(text: str, width: int) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width) if text else []


def _display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.name


def render(schema: Schema, schema_name: str) -> str:
    """The generated module for ``schema`` (formatted), naming ``schema_name`` in its header."""
    generator = _Generator(schema)
    classes, aliases, adapters = generator.build()
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    doc = [
        *_wrapped(schema.get("title", ""), DOC_WIDTH),
        *([""] if schema.get("description") else []),
        *_wrapped(schema.get("description", ""), DOC_WIDTH),
        *([""] if schema.get("$comment") else []),
        *_wrapped(schema.get("$comment", ""), DOC_WIDTH),
    ]
    source = environment.get_template("json_model.py.j2").render(
        schema_name=schema_name,
        doc=doc,
        features=generator.features,
        typing_names=_typing_names(generator.features, classes, aliases),
        pydantic_names=_pydantic_names(generator.features, classes, adapters),
        classes=classes,
        aliases=aliases,
        adapters=adapters,
    )
    return _ruff_format(source)


def _typing_names(
    features: set[str], classes: list[ClassSpec], aliases: list[AliasSpec]
) -> list[str]:
    wanted = {
        "Annotated": bool(features & {"string_constraints", "field", "not_null", "discriminator"}),
        "Literal": "literal" in features,
        "Self": "at_most" in features,
        "TypeAlias": bool(aliases),
        "Union": "discriminator" in features,
    }
    return sorted(name for name, needed in wanted.items() if needed)


def _pydantic_names(
    features: set[str], classes: list[ClassSpec], adapters: list[AdapterSpec]
) -> list[str]:
    wanted = {
        "AfterValidator": bool(features & {"not_null", "excluded_names"}),
        "BaseModel": bool(classes),
        "ConfigDict": bool(classes),
        "Field": bool(features & {"field", "discriminator"}),
        "StringConstraints": "string_constraints" in features,
        "TypeAdapter": bool(adapters),
        "model_validator": "at_most" in features,
    }
    return sorted(name for name, needed in wanted.items() if needed)


def _ruff_format(source: str) -> str:
    command = [
        sys.executable,
        "-m",
        "ruff",
        "format",
        "--isolated",
        "--line-length",
        str(LINE_LENGTH),
        "--target-version",
        "py311",
        "--stdin-filename",
        OUTPUT_FILE,
        "-",
    ]
    result = subprocess.run(command, input=source, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SchemaError(f"ruff format failed on the generated module: {result.stderr.strip()}")
    return result.stdout


def generate(out_dir: Path, schema_path: Path = SCHEMA_PATH) -> None:
    """Write ``out_dir/json_model.py`` from the JSON Schema at ``schema_path``."""
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    text = render(schema, _display_path(schema_path))
    (out_dir / OUTPUT_FILE).write_text(text, encoding="utf-8")
