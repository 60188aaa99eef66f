"""The JSON Schema of program files, generated from the attrs model of `Program`.

The shipped ``program.schema.json`` is this function's output; a test keeps the two equal,
and another checks that the schema and the loader accept and refuse the same files.
Editors can point at the file to check programs as they are typed (TOML through
taplo/Even Better TOML, YAML and JSON through their language servers).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Mapping
from decimal import Decimal
from importlib import resources
from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

import attrs

from partner_tiers._rules.program import Program

__all__ = ["program_schema", "shipped_program_schema"]

_OMITTED = {(Program, "registry")}
_DECIMAL = {
    "anyOf": [
        {"type": "number"},
        {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"},
    ]
}
_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def _type_schema(kind: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(kind)
    if kind is str:
        return {"type": "string"}
    if kind is bool:
        return {"type": "boolean"}
    if kind is int:
        return {"type": "integer"}
    if kind is Decimal:
        return dict(_DECIMAL)
    if kind is dt.date:
        return dict(_DATE)
    if kind is Any:
        return {}
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return {"enum": [member.value for member in kind]}
    if origin in (Union, UnionType):
        options = [a for a in get_args(kind) if a is not NoneType]
        schemas = [_type_schema(a, definitions) for a in options]
        if NoneType in get_args(kind):
            schemas.append({"type": "null"})  # JSON null; TOML leaves the key out
        return schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
    if origin in (tuple, frozenset, set, list):
        return {"type": "array", "items": _type_schema(get_args(kind)[0], definitions)}
    if origin is Mapping or origin is dict:
        _key, value = get_args(kind)
        return {"type": "object", "additionalProperties": _type_schema(value, definitions)}
    if isinstance(kind, type) and attrs.has(kind):
        name = kind.__name__
        if name not in definitions:
            definitions[name] = {}  # reserve: recursion guard
            definitions[name] = _class_schema(kind, definitions)
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no schema for {kind!r}")


def _class_schema(kind: type, definitions: dict[str, Any]) -> dict[str, Any]:
    hints = get_type_hints(kind)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(kind):
        if not field.init or (kind, field.name) in _OMITTED:
            continue
        field_schema = _type_schema(hints[field.name], definitions)
        doc = _field_doc(kind, field.name)
        if doc:
            field_schema = {**field_schema, "description": doc}
        properties[field.name] = field_schema
        if field.default is attrs.NOTHING:
            required.append(field.name)
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    summary = (kind.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
    if summary:
        schema["description"] = summary
    return schema


def _field_doc(kind: type, name: str) -> str:
    """The field's line from the class docstring's Attributes section."""
    lines = (kind.__doc__ or "").splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(f"{name}:"):
            text = [stripped.removeprefix(f"{name}:").strip()]
            indent = len(line) - len(line.lstrip())
            for follow in lines[index + 1 :]:
                if follow.strip() and len(follow) - len(follow.lstrip()) > indent:
                    text.append(follow.strip())
                else:
                    break
            return " ".join(text)
    return ""


def program_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of program files, generated from the model."""
    definitions: dict[str, Any] = {}
    root = _class_schema(Program, definitions)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://partner-tiers.invalid/program.schema.json",
        "title": "partner_tiers program",
        **root,
        "$defs": dict(sorted(definitions.items())),
    }


def shipped_program_schema() -> dict[str, Any]:
    """The schema file shipped in the package (``partner_tiers/schema/program.schema.json``)."""
    text = (resources.files("partner_tiers") / "schema" / "program.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def dumps_schema() -> str:
    """The generated schema as the text of the shipped file."""
    return json.dumps(program_schema(), indent=2, ensure_ascii=False) + "\n"
