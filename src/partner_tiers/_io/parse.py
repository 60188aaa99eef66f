"""Reading the text of program and series files: TOML, JSON and YAML into plain data,
with the line of a syntax error. Nothing in a file is imported or evaluated."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from partner_tiers._errors import InvalidRecordError, Problem, ProgramValidationError, require
from partner_tiers._io.lines import Format
from partner_tiers._model.convert import parse_json

__all__ = ["FORMATS", "Format", "parse_text"]

FORMATS: tuple[Format, ...] = ("toml", "json", "yaml")


def _decimal_yaml_loader() -> Any:
    import yaml  # optional: the 'yaml' extra

    class Loader(yaml.SafeLoader):
        """A safe loader that reads floats as exact Decimals."""

    def decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
        return Decimal(str(loader.construct_scalar(node)))

    Loader.add_constructor("tag:yaml.org,2002:float", decimal)
    return Loader


def parse_text(text: str, format: Format, source: str) -> object:
    """The plain data of a program or series file's text: TOML and YAML numbers with a
    fraction as exact Decimals, YAML keys that are not text refused.

    Raises:
        InvalidRecordError: for a format other than toml, json or yaml.
        ProgramValidationError: when the text is not valid in its format, with the line.
        MissingExtraError: for YAML without PyYAML (the ``yaml`` extra).
    """
    if format not in FORMATS:
        raise InvalidRecordError("format", format, f"must be one of {', '.join(FORMATS)}")
    try:
        if format == "toml":
            return _parse_toml(text, source)
        if format == "json":
            return parse_json(text, source, ProgramValidationError)
        return _parse_yaml(text, source)
    except RecursionError:
        # Python's TOML and YAML parsers recurse once per level of nesting.
        raise ProgramValidationError(source, [Problem("", "is nested too deeply")]) from None


def _parse_toml(text: str, source: str) -> object:
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(r"line (\d+)", message)
        line = int(match.group(1)) if match else None
        if line is None and "end of document" in message:
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
        raise ProgramValidationError(
            source, [Problem("", f"is not valid TOML: {message}", line=line)]
        ) from None


def _parse_yaml(text: str, source: str) -> object:
    with require("yaml"):
        import yaml

    try:
        data = yaml.load(text, Loader=_decimal_yaml_loader())
    except yaml.MarkedYAMLError as error:
        # PyYAML's own text spans lines (a copy of the source and a caret); the parts
        # that say what is wrong fit on one.
        mark = error.problem_mark or error.context_mark
        parts = [part for part in (error.context, error.problem) if part]
        where = f" (column {mark.column + 1})" if mark is not None else ""
        raise ProgramValidationError(
            source,
            [
                Problem(
                    "",
                    f"is not valid YAML: {', '.join(parts) or 'unreadable'}{where}",
                    line=mark.line + 1 if mark is not None else None,
                )
            ],
        ) from None
    except yaml.YAMLError as error:
        raise ProgramValidationError(
            source, [Problem("", f"is not valid YAML: {' '.join(str(error).split())}")]
        ) from None
    # YAML reads an unquoted null, number, boolean or date key as such.
    problems = [
        Problem(
            where, f"has a {'null key' if key is None else 'key that is not text'}; quote it", key
        )
        for where, key in _non_text_keys(data, "")
    ]
    if problems:
        raise ProgramValidationError(source, problems)
    return data


def _non_text_keys(data: object, path: str) -> Iterator[tuple[str, object]]:
    """(path, key) of every mapping key that is not a string: TOML and JSON keys always
    are, YAML's may be null, numbers, booleans or dates."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not isinstance(key, str):
                yield path, key
            else:
                yield from _non_text_keys(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _non_text_keys(item, f"{path}[{index}]")
