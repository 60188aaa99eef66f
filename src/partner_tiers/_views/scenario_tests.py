"""Scenario tests: a book, dates and the outcome a program should give, in a TOML or YAML
file, run against a program and reported as passed or failed with the explanation.

A scenario file (``*.scenario.toml``)::

    name = "A sourced cross-sell after 2024-02-27 earns 5 per 100 USD"
    source = "domain.md, Grandfathering"    # where the expectation comes from
    program = "hubspot-2025"                # optional: a name or a path beside the file
    book = "book.json"                      # a path beside the file, or an inline [book]

    [[expect]]
    as_of = 2024-04-30                      # a date, or a list of dates
    tier = "gold"                           # "untiered" for none
    qualified_tier = "gold"
    tracks = { total = "56.00", sourced = "50.00" }
    gates = { certified = "passed" }
    last_change = "reached Gold"            # words of the reason of the last tier change
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from attrs import field, frozen

from partner_tiers._engine.evaluate import evaluate
from partner_tiers._engine.status import TierStatus
from partner_tiers._errors import FileFormatError, PartnerTiersError, Problem, require
from partner_tiers._io.bookfile import book_from_dict, load_book
from partner_tiers._model.book import Book
from partner_tiers._model.values import frozen_map
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries, program_on

__all__ = [
    "UNTIERED",
    "Expectation",
    "Mismatch",
    "Scenario",
    "ScenarioResult",
    "check_scenario",
    "load_scenario",
    "run_scenario",
]

UNTIERED = "untiered"
"""How a scenario file writes "no tier"."""

_TOP_KEYS = frozenset({"name", "source", "note", "program", "book", "expect"})
_EXPECT_KEYS = frozenset({"as_of", "tier", "qualified_tier", "tracks", "gates", "last_change"})
_GATE_OUTCOMES = {"passed": True, "failed": False}


@frozen
class Expectation:
    """What a program should give on one date.

    Attributes:
        as_of: the date.
        outcome: expected values by key: ``tier``, ``qualified_tier`` (None: untiered),
            ``tracks.<id>`` (a Decimal), ``gates.<id>`` (True: passed), ``last_change``
            (words of the reason of the last tier change).
        path: where the expectation is in its file, e.g. ``expect[1]``.
    """

    as_of: dt.date
    outcome: Mapping[str, object] = field(converter=frozen_map)
    path: str


@frozen
class Scenario:
    """A named book and the outcomes a program should give it.

    Attributes:
        name: what the scenario shows.
        source: the file it was read from.
        book: the book.
        expectations: the outcomes, in file order.
        program: the program the file names (a shipped name or a path), if any.
        cites: where the expected outcome comes from (the published rule).
    """

    name: str
    source: str
    book: Book
    expectations: tuple[Expectation, ...]
    program: str | None = None
    cites: str = ""


@frozen
class Mismatch:
    """One expected value that the program does not give.

    Attributes:
        as_of: the date.
        key: what differs, e.g. ``tracks.total``.
        expected: the expected value.
        actual: the value the program gives.
        explanation: the lines of the status's explanation about it.
    """

    as_of: dt.date
    key: str
    expected: object
    actual: object
    explanation: tuple[str, ...]


@frozen
class ScenarioResult:
    """A scenario run against a program.

    Attributes:
        scenario: the scenario.
        program: the program's ``name@version``.
        mismatches: every expected value the program does not give.
        statuses: the status on each date of the scenario.
    """

    scenario: Scenario
    program: str
    mismatches: tuple[Mismatch, ...]
    statuses: tuple[TierStatus, ...] = field(eq=False, repr=False)

    @property
    def passed(self) -> bool:
        """Whether every expectation holds."""
        return not self.mismatches

    def lines(self) -> list[str]:
        """The result as the CLI and the pytest plugin print it."""
        head = f"{'PASS' if self.passed else 'FAIL'}  {self.scenario.name} ({self.scenario.source})"
        lines = [head]
        for mismatch in self.mismatches:
            lines.append(
                f"  as of {mismatch.as_of}: {mismatch.key}: expected {_shown(mismatch.expected)}, "
                f"got {_shown(mismatch.actual)}"
            )
            lines += [f"      {line}" for line in mismatch.explanation]
        return lines


def _shown(value: object) -> str:
    if value is None:
        return UNTIERED
    if isinstance(value, bool):
        return "passed" if value else "failed"
    return str(value)


# --- reading -----------------------------------------------------------------------------


def _read_data(path: Path) -> object:
    text = path.read_text("utf-8")
    if path.suffix.lower() == ".toml":
        try:
            return tomllib.loads(text, parse_float=Decimal)
        except tomllib.TOMLDecodeError as error:
            raise FileFormatError(str(path), [Problem("", f"is not valid TOML: {error}")]) from None
    with require("yaml"):
        import yaml
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        message = " ".join(str(error).split())
        raise FileFormatError(str(path), [Problem("", f"is not valid YAML: {message}")]) from None


def _jsonable(value: object) -> object:
    """TOML and YAML values as the JSON book format writes them."""
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, (dt.date, Decimal, float)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


def _book(value: object, path: Path, problems: list[Problem]) -> Book | None:
    source = str(path)
    try:
        if isinstance(value, str):
            return load_book(path.parent / value)
        if isinstance(value, Mapping):
            return book_from_dict(json.loads(json.dumps(_jsonable(value))), source=source)
    except FileFormatError as error:
        inline = isinstance(value, Mapping)
        for problem in error.problems:
            where = f"book.{problem.path}" if inline and problem.path else "book"
            shown = problem.message if inline else f"{error.source}: {problem}"
            problems.append(Problem(where, shown, problem.value if inline else None))
        return None
    except PartnerTiersError as error:
        problems.append(Problem("book", " ".join(str(error).split()), value))
        return None
    problems.append(Problem("book", "must be a book file's path or an inline book table", value))
    return None


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal, float)):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _gate_outcome(value: object) -> bool | None:
    return _GATE_OUTCOMES.get(value) if isinstance(value, str) else None


def _outcome(data: Mapping[str, Any], where: str, problems: list[Problem]) -> dict[str, object]:
    outcome: dict[str, object] = {}
    for key in ("tier", "qualified_tier"):
        if key in data:
            tier = data[key]
            if not isinstance(tier, str) or not tier:
                problems.append(Problem(f"{where}.{key}", "must be a tier id or 'untiered'", tier))
            outcome[key] = None if tier == UNTIERED else tier
    for key, convert, what in (
        ("tracks", _decimal, "must be a number"),
        ("gates", _gate_outcome, "must be 'passed' or 'failed'"),
    ):
        table = data.get(key, {})
        if not isinstance(table, Mapping):
            problems.append(Problem(f"{where}.{key}", "must be a table", table))
            continue
        for name, value in table.items():
            converted = convert(value)
            if converted is None:
                problems.append(Problem(f"{where}.{key}.{name}", what, value))
            outcome[f"{key}.{name}"] = converted
    if "last_change" in data:
        outcome["last_change"] = str(data["last_change"])
    return outcome


def _expectations(value: object, problems: list[Problem]) -> list[Expectation]:
    if not isinstance(value, list) or not value:
        problems.append(Problem("expect", "must be a list of one or more tables", value))
        return []
    found = []
    for index, item in enumerate(value):
        where = f"expect[{index}]"
        if not isinstance(item, Mapping):
            problems.append(Problem(where, "must be a table", item))
            continue
        problems += [
            Problem(f"{where}.{key}", "is not a key of an expectation")
            for key in item
            if key not in _EXPECT_KEYS
        ]
        outcome = _outcome(item, where, problems)
        dates = item.get("as_of")
        for day in dates if isinstance(dates, list) else [dates]:
            as_of = _date(day)
            if as_of is None:
                problems.append(
                    Problem(f"{where}.as_of", "must be a date, or a list of dates", day)
                )
            else:
                found.append(Expectation(as_of, outcome, where))
    return found


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file (TOML, or YAML with the ``yaml`` extra).

    Raises:
        FileFormatError: with every problem, each with its path in the file.
    """
    path = Path(path)
    if not path.is_file():
        raise FileFormatError(str(path), [Problem("", "no such scenario file")])
    data = _read_data(path)
    if not isinstance(data, Mapping):
        raise FileFormatError(str(path), [Problem("", "must be a table of keys and values")])
    problems = [Problem(key, "is not a key of a scenario") for key in data if key not in _TOP_KEYS]
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem("name", "must be the scenario's name, as text", name))
    book = _book(data.get("book"), path, problems)
    expectations = _expectations(data.get("expect"), problems)
    program = data.get("program")
    if program is not None and not isinstance(program, str):
        problems.append(Problem("program", "must be a shipped program's name or a path", program))
    if problems or book is None:
        raise FileFormatError(str(path), problems)
    return Scenario(
        str(name), str(path), book, tuple(expectations), program, str(data.get("source", ""))
    )


def check_scenario(scenario: Scenario, program: Program | ProgramSeries) -> None:
    """Refuse a scenario that names a tier, track or gate the program does not have (for
    a series, the version in force on each expectation's date).

    Raises:
        FileFormatError: naming the scenario file and each path.
    """
    problems = []
    for expectation in scenario.expectations:
        version = program_on(program, expectation.as_of)
        known = {
            "tier": [tier.id for tier in version.tiers],
            "tracks": [track.id for track in version.tracks],
            "gates": [gate.id for gate in version.gates],
        }
        known["qualified_tier"] = known["tier"]
        for key, value in expectation.outcome.items():
            kind, _, name = key.partition(".")
            wanted = name or value
            if kind in known and wanted is not None and wanted not in known[kind]:
                problems.append(
                    Problem(
                        f"{expectation.path}.{key}",
                        f"names no {kind.removesuffix('s').replace('qualified_', '')} of "
                        f"{version.label} (it has {', '.join(known[kind])})",
                        wanted,
                    )
                )
    if problems:
        raise FileFormatError(scenario.source, list(dict.fromkeys(problems)))


# --- running -----------------------------------------------------------------------------


def _actual(status: TierStatus, key: str) -> object:
    kind, _, name = key.partition(".")
    if kind == "tracks":
        return status.values.get(name)
    if kind == "gates":
        return next((gate.passed for gate in status.gates if gate.name == name), None)
    if kind == "last_change":
        return status.history[-1].reason if status.history else "no tier change"
    return getattr(status, kind)


def _holds(key: str, expected: object, actual: object) -> bool:
    if key == "last_change":
        return isinstance(actual, str) and str(expected).lower() in actual.lower()
    return expected == actual


def _about(status: TierStatus, key: str) -> tuple[str, ...]:
    """The explanation's lines about the key."""
    kind, _, name = key.partition(".")
    starts: tuple[str, ...] = {
        "tracks": (f"{name}:",),
        "gates": (f"gate {name} ",),
    }.get(kind, ("points reach", "points do not reach", "tier held", "gate "))
    lines = status.explain().lines()
    return tuple(line for line in lines if line.startswith(starts))


def run_scenario(scenario: Scenario, program: Program | ProgramSeries) -> ScenarioResult:
    """Evaluate the scenario's book on each of its dates and compare with what it expects.

    Raises:
        FileFormatError: when the scenario names a tier, track or gate the program lacks.
        PricingError: when the program cannot price the book.
    """
    check_scenario(scenario, program)
    mismatches, statuses = [], []
    for expectation in scenario.expectations:
        status = evaluate(scenario.book, program, as_of=expectation.as_of)
        statuses.append(status)
        for key, expected in expectation.outcome.items():
            actual = _actual(status, key)
            if not _holds(key, expected, actual):
                about = _about(status, key)
                mismatches.append(Mismatch(expectation.as_of, key, expected, actual, about))
    return ScenarioResult(scenario, program.label, tuple(mismatches), tuple(statuses))
