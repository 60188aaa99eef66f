"""Series files: a program series as a list of versions, each a shipped program name or
a program file's path, with the day it takes effect.

A series file is a program file (TOML, JSON or YAML) with a ``versions`` list instead of
a ladder::

    name = "my-series"
    title = "Our program, 2024 and 2025"

    [[versions]]
    program = "hubspot-2024"
    effective_from = 2024-02-27

    [[versions]]
    program = "my-2025.toml"      # relative to the series file
    effective_from = 2025-07-15

Reading reports every problem at once, each with its path (``versions[1].program``).
The versions themselves are read by the loader of program files, passed in by
`partner_tiers._io.programfile` (which reads series files through this module).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

import tomli_w
from attrs import evolve

from partner_tiers._errors import (
    InvalidRecordError,
    PartnerTiersError,
    Problem,
    ProgramValidationError,
    require,
)
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries, check_series

__all__ = ["dumps_series", "is_series_data", "series_from_dict", "series_to_dict"]

_KEYS = ("name", "title", "description", "versions")
_VERSION_KEYS = ("program", "effective_from")


def is_series_data(data: object) -> bool:
    """Whether parsed file data is a series (it lists ``versions``) rather than a program."""
    return isinstance(data, Mapping) and "versions" in data


def series_from_dict(
    data: object, load_version: Callable[[str], Program], *, source: str = "<data>"
) -> ProgramSeries:
    """A series from plain data, each version read by ``load_version`` (a shipped name
    or a path), its ``effective_from`` set to the series file's date.

    Raises:
        ProgramValidationError: with every problem found, each with its path.
    """
    if not isinstance(data, Mapping):
        raise ProgramValidationError(source, [Problem("", "must be a table of keys and values")])
    problems = [
        Problem(key, "is not a key of series files", key)
        for key in data
        if key not in _KEYS and key != "$schema"
    ]
    texts = {}
    for key in ("name", "title", "description"):
        value = data.get(key, "")
        if not isinstance(value, str) or (key != "description" and not value):
            problems.append(Problem(key, "must be non-empty text", value))
        texts[key] = str(value)
    entries = data.get("versions")
    if not isinstance(entries, list) or not entries:
        problems.append(Problem("versions", "must be a non-empty list of versions", entries))
        entries = []
    versions = []
    for index, entry in enumerate(entries):
        version = _version(f"versions[{index}]", entry, load_version, problems)
        if version is not None:
            versions.append(version)
    if problems:
        raise ProgramValidationError(source, problems)
    series = ProgramSeries(texts["name"], texts["title"], tuple(versions), texts["description"])
    problems = check_series(series)
    if problems:
        raise ProgramValidationError(source, problems)
    return series


def _version(
    where: str, entry: object, load_version: Callable[[str], Program], problems: list[Problem]
) -> Program | None:
    """One version of a series file, or None (with its problems added)."""
    if not isinstance(entry, Mapping):
        problems.append(Problem(where, "must be a table with program and effective_from", entry))
        return None
    problems += [
        Problem(f"{where}.{key}", "is not a key of series versions", key)
        for key in entry
        if key not in _VERSION_KEYS
    ]
    name, day = entry.get("program"), entry.get("effective_from")
    if isinstance(day, str):
        with contextlib.suppress(ValueError):  # not a date: reported below
            day = dt.date.fromisoformat(day)
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        problems.append(Problem(f"{where}.effective_from", "must be a date YYYY-MM-DD", day))
        day = None
    if not isinstance(name, str) or not name:
        problems.append(Problem(f"{where}.program", "must be a program name or path", name))
        return None
    try:
        program = load_version(name)
    except PartnerTiersError as error:
        problems.append(Problem(f"{where}.program", f"cannot be read: {_one_line(error)}", name))
        return None
    if day is None or day == program.effective_from:
        return program
    return evolve(program, effective_from=day)


def _one_line(error: PartnerTiersError) -> str:
    return " ".join(str(error).split())


def series_to_dict(series: ProgramSeries) -> dict[str, Any]:
    """Plain data naming each version by its program name and date (what a series file
    holds when every version is shipped)."""
    return {
        "name": series.name,
        "title": series.title,
        "description": series.description,
        "versions": [
            {"program": version.name, "effective_from": version.effective_from.isoformat()}
            for version in series.versions
        ],
    }


def dumps_series(series: ProgramSeries, format: str = "toml") -> str:
    """A series as the text of a series file naming each version by its program name.

    Raises:
        InvalidRecordError: for a format other than toml, json or yaml.
    """
    if format not in ("toml", "json", "yaml"):
        raise InvalidRecordError("format", format, "must be one of toml, json, yaml")
    data = series_to_dict(series)
    if format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if format == "toml":
        return tomli_w.dumps(data)
    with require("yaml"):
        import yaml

    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
