"""Program files: TOML (first), JSON and YAML, read into validated `Program` values
and written back.

Reading reports every problem at once -- unknown keys with a did-you-mean suggestion,
wrong types, and the semantic checks of `check_program` -- each with its path
(``tiers[2].reach.total``) and its line, in TOML, JSON and YAML alike. Nothing in a file
is ever imported or evaluated; custom rules come from a `Registry` passed in by code.
"""

from __future__ import annotations

import copy
import functools
import os
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal, overload

from attrs import evolve

from partner_tiers._errors import (
    InvalidRecordError,
    Problem,
    ProgramValidationError,
    UnknownProgramError,
    require,
)
from partner_tiers._io.extends import TOOL_KEYS, Parsed, Resolved, line_of, resolve
from partner_tiers._io.lines import lines_of, toml_lines, with_lines
from partner_tiers._io.parse import FORMATS, Format, parse_text
from partner_tiers._io.seriesfile import dumps_series, is_series_data, series_from_dict
from partner_tiers._model.convert import decode_text
from partner_tiers._model.values import check_path
from partner_tiers._rules.program import (
    Program,
    program_to_dict,
    program_to_json,
    program_to_toml,
    structure_program,
)
from partner_tiers._rules.registry import Registry
from partner_tiers._rules.series import ProgramSeries

__all__ = [
    "MAX_PROGRAM_BYTES",
    "dumps_program",
    "dumps_series",
    "list_programs",
    "load_program",
    "load_series",
    "loads_program",
    "program_from_dict",
    "program_to_dict",
]


MAX_PROGRAM_BYTES = 4 * 1024 * 1024
"""Program files larger than this are refused before parsing (4 MiB)."""


_SERIES_SUFFIX = ".series.toml"


def list_programs() -> list[str]:
    """The names of the shipped programs and program series, sorted."""
    folder = resources.files("partner_tiers") / "programs"
    return sorted(
        entry.name.removesuffix(_SERIES_SUFFIX).removesuffix(".toml")
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )


def _series_names() -> list[str]:
    folder = resources.files("partner_tiers") / "programs"
    return sorted(
        entry.name.removesuffix(_SERIES_SUFFIX)
        for entry in folder.iterdir()
        if entry.name.endswith(_SERIES_SUFFIX)
    )


def program_from_dict(
    data: object,
    *,
    registry: Registry | None = None,
    source: str = "<data>",
    toml_text: str | None = None,
) -> Program:
    """Structure and check a program from plain data (what a TOML or JSON parser returns).

    Raises:
        ProgramValidationError: with every problem found, each with its path.
    """
    if not isinstance(data, Mapping):
        raise ProgramValidationError(source, [Problem("", "must be a table of keys and values")])
    # A JSON or YAML file may name its schema for editors; it is not part of the program.
    data = {key: value for key, value in data.items() if key != "$schema"}
    lines = toml_lines(toml_text) if toml_text is not None else None
    return _checked_program(data, registry or Registry(), source, lines)


def _checked_program(
    data: Mapping[str, Any], registry: Registry, source: str, lines: Mapping[str, int] | None
) -> Program:
    program, problems = structure_program(data, registry)
    if program is None and problems:
        problems += _semantic_problems_without(data, problems, registry)
    if problems or program is None:
        raise ProgramValidationError(source, with_lines(problems, lines))
    return program


def _steps(path: str) -> list[str | int] | None:
    """``tiers[2].reach`` -> ``["tiers", 2, "reach"]``; None for the root."""
    steps: list[str | int] = []
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        steps.append(int(part[1:-1]) if part.startswith("[") else part)
    return steps or None


def _semantic_problems_without(
    data: Mapping[str, Any], problems: list[Problem], registry: Registry
) -> list[Problem]:
    """The semantic problems of the program with every value that could not be read left
    out, when the rest can then be read: one pass reports both kinds. Problems at or
    around a left-out value are not repeated (they may come from its default)."""
    pruned: Any = copy.deepcopy(dict(data))
    removed = []
    for problem in problems:
        steps = _steps(problem.path)
        if steps is None or "missing" in problem.message:
            return []  # the structure itself is broken: nothing more can be checked
        parent = pruned
        try:
            for step in steps[:-1]:
                parent = parent[step]
            if not isinstance(parent, dict) or steps[-1] not in parent:
                return []
            del parent[steps[-1]]
        except (KeyError, IndexError, TypeError):
            return []
        removed.append(steps)
    program, more = structure_program(pruned, registry)
    if program is None:
        return []

    def near(path: str) -> bool:
        # At, under or above a left-out value, step by step: `reach.managed` is not near
        # `reach.managed_mrr_usd`, though one's text starts the other's.
        steps = _steps(path) or []
        return any(steps[: len(gone)] == gone or gone[: len(steps)] == steps for gone in removed)

    return [problem for problem in more if not near(problem.path)]


def loads_program(
    text: str | bytes,
    format: Format = "toml",
    *,
    registry: Registry | None = None,
    source: str = "<string>",
) -> Program:
    """Read a program from text in TOML, JSON or YAML."""
    text = decode_text(text, source, ProgramValidationError, MAX_PROGRAM_BYTES)
    data = parse_text(text, format, source)
    if isinstance(data, Mapping) and any(key in data for key in TOOL_KEYS):
        return _structure_resolved(resolve_text(text, format, source=source), registry)
    if not isinstance(data, Mapping):
        return program_from_dict(data, registry=registry, source=source)
    # A JSON or YAML file may name its schema for editors; it is not part of the program.
    data = {key: value for key, value in data.items() if key != "$schema"}
    return _checked_program(data, registry or Registry(), source, lines_of(text, format))


_SUFFIXES: dict[str, Format] = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}


@functools.cache
def _shipped(name: str) -> Program:
    text = (resources.files("partner_tiers") / "programs" / f"{name}.toml").read_text("utf-8")
    return loads_program(text, "toml", source=f"{name}.toml")


@functools.cache
def _shipped_series(name: str) -> ProgramSeries:
    file = f"{name}{_SERIES_SUFFIX}"
    text = (resources.files("partner_tiers") / "programs" / file).read_text("utf-8")
    data = parse_text(text, "toml", file)
    return series_from_dict(data, lambda version: load_program(version), source=file)


@overload
def load_program(  # type: ignore[overload-overlap]  # "hubspot" is a series, other names not
    name_or_path: Literal["hubspot"], *, registry: Registry | None = None
) -> ProgramSeries: ...
@overload
def load_program(
    name_or_path: str | os.PathLike[str], *, registry: Registry | None = None
) -> Program: ...
def load_program(
    name_or_path: str | os.PathLike[str], *, registry: Registry | None = None
) -> Program | ProgramSeries:
    """A shipped program by name (see `list_programs`) or a program file by path.

    ``load_program("hubspot")`` is the shipped series of HubSpot versions (2016, 2018,
    2022, 2024 and 2025, each in force from its date); a series file is read with
    `load_series`. The format of a file follows its suffix: ``.toml``, ``.json``,
    ``.yaml`` / ``.yml``. Shipped programs are read once and shared (they are immutable).

    Raises:
        UnknownProgramError: when the name is not shipped and no file is there.
        ProgramValidationError: when the file breaks the format or its rules, or is a
            series file.
    """
    text_name = check_path("name_or_path", name_or_path)
    if isinstance(name_or_path, str) and text_name in _series_names():
        return load_series(text_name, registry=registry)
    if isinstance(name_or_path, str) and text_name in list_programs():
        if registry is None:
            return _shipped(text_name)
        return evolve(_shipped(text_name), registry=registry)
    text, format = _read_file(text_name)
    data = parse_text(text, format, text_name)
    if is_series_data(data):
        raise ProgramValidationError(
            text_name, [Problem("versions", "makes it a series file: read it with load_series")]
        )
    return loads_program(text, format, registry=registry, source=text_name)


def load_series(
    name_or_path: str | os.PathLike[str], *, registry: Registry | None = None
) -> ProgramSeries:
    """A program series: a shipped one by name (``hubspot``) or a series file by path.

    A series file lists its versions, each a shipped program name or a program file's
    path (relative to the series file) with the day it takes effect (see the program
    format reference). A single program, by name or path, is a series of one version.

    Raises:
        UnknownProgramError: when the name is not shipped and no file is there.
        ProgramValidationError: with every problem of the file or of its versions.
    """
    text_name = check_path("name_or_path", name_or_path)
    if isinstance(name_or_path, str) and text_name in _series_names():
        series = _shipped_series(text_name)
        if registry is None:
            return series
        versions = tuple(evolve(version, registry=registry) for version in series.versions)
        return evolve(series, versions=versions)
    if isinstance(name_or_path, str) and text_name in list_programs():
        program = load_program(text_name, registry=registry)
        return ProgramSeries(program.label, program.title, (program,), program.description)
    text, format = _read_file(text_name)
    data = parse_text(text, format, text_name)
    if not is_series_data(data):
        program = loads_program(text, format, registry=registry, source=text_name)
        return ProgramSeries(program.label, program.title, (program,), program.description)
    folder = Path(text_name).parent

    def load_version(name: str) -> Program:
        if name in list_programs() and name not in _series_names():
            return load_program(name, registry=registry)
        return load_program(folder / name, registry=registry)

    return series_from_dict(data, load_version, source=text_name)


def _read_file(text_name: str) -> tuple[str, Format]:
    """The text and format of a program or series file."""
    path = Path(text_name)
    if not path.is_file():
        raise UnknownProgramError(
            f"program: {text_name!r} is neither a shipped program "
            f"({', '.join(list_programs())}) nor a file"
        )
    format = _SUFFIXES.get(path.suffix.lower())
    if format is None:
        raise ProgramValidationError(
            text_name,
            [Problem("", "has an unknown suffix: use .toml, .json, .yaml or .yml", path.suffix)],
        )
    try:
        if path.stat().st_size > MAX_PROGRAM_BYTES:
            raise ProgramValidationError(
                text_name, [Problem("", f"is larger than {MAX_PROGRAM_BYTES} bytes")]
            )
        raw = path.read_bytes()
    except OSError as error:
        raise ProgramValidationError(
            text_name, [Problem("", f"cannot be read: {error.strerror}")]
        ) from None
    return decode_text(raw, text_name, ProgramValidationError, MAX_PROGRAM_BYTES), format


def dumps_program(program: Program, format: Format = "toml") -> str:
    """The program as TOML, JSON or YAML text that `loads_program` reads back equal.

    Raises:
        InvalidRecordError: for a format other than toml, json or yaml.
        MissingExtraError: for yaml without PyYAML (the ``yaml`` extra).
    """
    if format not in FORMATS:
        raise InvalidRecordError("format", format, f"must be one of {', '.join(FORMATS)}")
    if format == "toml":
        return program_to_toml(program)
    if format == "json":
        return program_to_json(program)
    with require("yaml"):
        import yaml

    data = program_to_dict(program)
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


# --- extends: a program file that names another (the merge is in _io/extends.py) ---------


def resolve_text(text: str, format: Format, *, source: str = "<string>") -> Resolved:
    """A program file's data with its ``extends`` chain merged in; a relative
    ``extends`` path is looked up beside the file named by source."""
    folder = None if source.startswith("<") else Path(source).parent
    parsed = Parsed(parse_text(text, format, source), source, folder, _lines_of(text, format))
    return resolve(parsed, _read_extended)


def resolve_file(path: str | os.PathLike[str]) -> Resolved:
    """The program file at path with its ``extends`` chain merged in (a shipped name
    resolves to itself)."""
    name = check_path("path", path)
    if name in list_programs():
        return resolve_text(_shipped_text(name), "toml", source=f"{name}.toml")
    text, format = _read_program_file(Path(name), name)
    return resolve_text(text, format, source=name)


def _lines_of(text: str, format: Format) -> dict[str, int]:
    return lines_of(text, format)


def _shipped_text(name: str) -> str:
    return (resources.files("partner_tiers") / "programs" / f"{name}.toml").read_text("utf-8")


def _read_program_file(path: Path, name: str) -> tuple[str, Format]:
    format = _SUFFIXES.get(path.suffix.lower())
    if format is None:
        problem = Problem("", "has an unknown suffix: use .toml, .json, .yaml or .yml", path.suffix)
        raise ProgramValidationError(name, [problem])
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ProgramValidationError(
            name, [Problem("", f"cannot be read: {error.strerror}")]
        ) from None
    return decode_text(raw, name, ProgramValidationError, MAX_PROGRAM_BYTES), format


def _read_extended(target: str, child: Parsed) -> Parsed:
    """The program a file's ``extends`` names: a shipped name or a path beside the file."""
    if target in list_programs():
        text = _shipped_text(target)
        source = f"{target}.toml"
        return Parsed(parse_text(text, "toml", source), source, None, toml_lines(text))
    path = (child.folder or Path()) / target
    if not path.is_file():
        beside = f" beside {child.source}" if child.folder is not None else ""
        reason = (
            f"names neither a shipped program ({', '.join(list_programs())}) "
            f"nor a program file{beside}"
        )
        line = line_of(child.lines, "extends")
        raise ProgramValidationError(child.source, [Problem("extends", reason, target, line)])
    text, format = _read_program_file(path, str(path))
    return Parsed(
        parse_text(text, format, str(path)), str(path), path.parent, _lines_of(text, format)
    )


def _structure_resolved(resolved: Resolved, registry: Registry | None) -> Program:
    data = {key: value for key, value in resolved.data.items() if key not in TOOL_KEYS}
    data.pop("$schema", None)
    program, problems = structure_program(data, registry or Registry())
    if problems or program is None:
        located = [resolved.locate(problem) for problem in problems]
        raise ProgramValidationError(resolved.source, located)
    return program
