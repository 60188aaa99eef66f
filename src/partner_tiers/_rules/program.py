"""The program: every rule of one version of a partner program, as plain data.

A program holds its whole effective-dated history of pricing rows, so a 2022 deal priced
under ``hubspot-2025`` uses the 2022 row. Programs are read from TOML, JSON or YAML files
(see `partner_tiers._io.programfile`, which parses the text and calls `structure_program`
here); the shipped ones are package data. `check_program` puts the semantic checks of
`partner_tiers._rules.checks` together.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping
from typing import Any

import tomli_w
from attrs import evolve, field, frozen

from partner_tiers._errors import (
    Problem,
    ProgramError,
    ProgramValidationError,
    UnknownIdError,
)
from partner_tiers._model.convert import make_converter, problems_from
from partner_tiers._model.dated import in_force
from partner_tiers._model.values import frozen_map
from partner_tiers._rules.checks import (
    check_carry_over,
    check_currencies,
    check_expiry,
    check_gates,
    check_growth_markets,
    check_name,
    check_policy,
    check_rates,
    check_rounding,
    check_tiers,
    check_tracks,
)
from partner_tiers._rules.compiled import CompiledProgram, compile_program
from partner_tiers._rules.gates import GateSpec
from partner_tiers._rules.ladder import Tier
from partner_tiers._rules.policy import ReviewPolicy
from partner_tiers._rules.rates import (
    CurrencyTable,
    ExpiryRule,
    GrowthMarkets,
    RateRow,
    RoundingRule,
)
from partner_tiers._rules.registry import Registry
from partner_tiers._rules.tracks import TrackSpec

__all__ = [
    "Program",
    "check_program",
    "program_to_dict",
    "program_to_json",
    "program_to_toml",
    "structure_program",
]


@frozen
class Program:
    """One version of a partner program: tracks, ladder, gates, policy and pricing.

    Attributes:
        name: the program's name, e.g. ``hubspot-2025``.
        version: its version, e.g. the date it took effect.
        title: a one-line title for people.
        description: what the program is, its sources, and which values are examples.
        effective_from: the day the program's ladder and gates took effect.
        tracks: the tracks thresholds compare against.
        tiers: the ladder, lowest tier first.
        gates: conditions besides points.
        policy: when promotions and demotions take effect.
        rates: points per 100 USD-equivalent, effective-dated.
        currencies: the fixed amounts that count as 100 USD, effective-dated.
        growth_markets: countries with a multiplier, effective-dated.
        expiry: how long sold points count, effective-dated.
        rounding: how each batch's points are rounded, effective-dated.
        price_before_first_row: price deals closed before the first rate row by that
            row (HubSpot converted books sold before the points model started on
            2022-07-18); when false such deals are an error.
        carry_over: in a series, where a tier of the version before this one lands on
            the day this one takes effect: old tier id -> new tier id, or ``untiered``.
            A tier not named keeps its id (see `ProgramSeries`).
        registry: the custom rules the program's files may name (not part of the data).
    """

    name: str
    version: str
    title: str
    description: str
    effective_from: dt.date
    tracks: tuple[TrackSpec, ...]
    tiers: tuple[Tier, ...]
    rates: tuple[RateRow, ...]
    currencies: tuple[CurrencyTable, ...]
    gates: tuple[GateSpec, ...] = ()
    policy: ReviewPolicy = field(factory=ReviewPolicy)
    growth_markets: tuple[GrowthMarkets, ...] = ()
    expiry: tuple[ExpiryRule, ...] = (ExpiryRule(),)
    rounding: tuple[RoundingRule, ...] = (RoundingRule(),)
    price_before_first_row: bool = False
    carry_over: Mapping[str, str] = field(factory=dict, converter=frozen_map)
    registry: Registry = field(factory=Registry, eq=False, repr=False)

    @property
    def label(self) -> str:
        """``name@version``, stamped on every batch the program prices."""
        return f"{self.name}@{self.version}"

    def to_toml(self) -> str:
        """The program as a TOML program file; ``loads_program`` reads it back equal."""
        return program_to_toml(self)

    def to_json(self) -> str:
        """The program as a JSON program file; ``loads_program(text, "json")`` reads it
        back equal."""
        return program_to_json(self)

    def to_dict(self) -> dict[str, Any]:
        """The program as plain JSON-ready data (the file format's structure)."""
        return program_to_dict(self)

    def check(self) -> None:
        """Refuse a program that does not hold together, as the loader refuses its file.

        Programs read from files are checked when loaded; one built in Python is
        checked here, once per program object, and `evaluate` and `build_ledger` call
        this before using a program.

        Raises:
            ProgramValidationError: with every problem `check_program` finds.
            ProgramError: when a field holds a value of the wrong type.
        """
        problems = self._problems
        if problems:
            raise ProgramValidationError(f"program {self.label}", problems)

    @functools.cached_property
    def gate_floors(self) -> tuple[int, ...]:
        """For each gate, the index of the lowest tier it guards (0 when it guards
        all): a failing gate caps the tier one below it."""
        tier_ids = [tier.id for tier in self.tiers]
        return tuple(
            min(tier_ids.index(tier) for tier in gate.tiers) if gate.tiers else 0
            for gate in self.gates
        )

    @functools.cached_property
    def compiled(self) -> CompiledProgram:
        """The program's pricing rules as integer tables, made once per program (see
        `partner_tiers._rules.compiled`); the columnar pricing reads them."""
        return compile_program(
            self.rates, self.currencies, self.growth_markets, self.expiry, self.rounding
        )

    @functools.cached_property
    def _problems(self) -> tuple[Problem, ...]:
        try:
            return tuple(check_program(self))
        except (AttributeError, TypeError, ValueError, LookupError) as error:
            # check_program reads a program of the right types; one built by hand may
            # hold anything.
            raise ProgramError(
                f"program {self.label}: a field holds a value of the wrong type ({error})"
            ) from None

    def tier(self, tier_id: str) -> Tier:
        """The tier with this id.

        Raises:
            UnknownIdError: when the program has no such tier (the message lists its
                tiers).
        """
        return self.tiers[self.tier_index(tier_id)]

    def tier_index(self, tier_id: str | None) -> int:
        """The tier's position in the ladder; -1 for untiered (None).

        Raises:
            UnknownIdError: when the program has no such tier.
        """
        if tier_id is None:
            return -1
        for index, tier in enumerate(self.tiers):
            if tier.id == tier_id:
                return index
        choices = ", ".join(tier.id for tier in self.tiers)
        raise UnknownIdError("tier_id", tier_id, f"must be one of {choices}")

    def rate_row(self, day: dt.date) -> RateRow | None:
        """The rate row in force on the day (the first row before it, if allowed)."""
        row = in_force(self.rates, day)
        if row is None and self.price_before_first_row and self.rates:
            return self.rates[0]
        return row

    def currency_table(self, day: dt.date) -> CurrencyTable | None:
        """The currency table in force on the day."""
        return in_force(self.currencies, day)

    def growth_list(self, day: dt.date) -> GrowthMarkets | None:
        """The growth-market list in force on the day."""
        return in_force(self.growth_markets, day)

    def expiry_rule(self, day: dt.date) -> ExpiryRule:
        """The expiry rule in force on the day (the first one before it)."""
        return in_force(self.expiry, day) or self.expiry[0]

    def rounding_rule(self, day: dt.date) -> RoundingRule:
        """The rounding rule in force on the day (the first one before it)."""
        return in_force(self.rounding, day) or self.rounding[0]


def check_program(program: Program, registry: Registry | None = None) -> list[Problem]:
    """Every semantic problem of a program: an empty list when it holds together.

    Checks: tracks defined and known; reach thresholds strictly increase up the ladder
    (so no tier is unreachable); retain <= reach; gates of known kinds guarding known
    tiers, with the parameters their kind declares; effective-dated rows sorted and not
    overlapping; currency and country codes valid; a usable review policy.

    Args:
        program: the program to check.
        registry: the custom rules its tracks and gates may name; the program's own
            registry when None.
    """
    registry = program.registry if registry is None else registry
    track_ids = [track.id for track in program.tracks]
    tier_ids = [tier.id for tier in program.tiers]
    return [
        *check_name(program.name),
        *check_tracks(program.tracks, registry),
        *check_tiers(program.tiers, track_ids),
        *check_gates(program.gates, tier_ids, registry),
        *check_policy(program.policy),
        *check_rates(program.rates),
        *check_currencies(program.currencies),
        *check_growth_markets(program.growth_markets),
        *check_expiry(program.expiry),
        *check_rounding(program.rounding),
        *check_carry_over(program.carry_over, tier_ids),
    ]


# --- the plain-data form: what program files hold ----------------------------------------

# The registry is code, not data: no file names it.
_OMIT = [(Program, "registry")]
_strict = make_converter(omit=_OMIT)
_lenient = make_converter(omit=_OMIT)
_lenient.forbid_extra_keys = False
_native = make_converter(omit=_OMIT, native=True)


def structure_program(
    data: Mapping[str, Any], registry: Registry
) -> tuple[Program | None, list[Problem]]:
    """A program from plain data (what a TOML or JSON parser returns), with every problem:
    unknown keys and wrong types, then -- when the rest can still be read -- the problems
    `check_program` finds.

    Returns:
        The program (None when its data cannot be read at all) and the problems; the
        program is usable only when there are none.
    """
    problems: list[Problem] = []
    program: Program | None
    try:
        program = _strict.structure(data, Program)
    except Exception as error:  # noqa: BLE001 - cattrs' error groups, turned into problems
        problems = problems_from(error, data)
        try:  # unknown keys aside, the rest may still be checked
            program = _lenient.structure(data, Program)
        except Exception:  # noqa: BLE001 - already reported through the strict pass
            program = None
    if program is not None:
        program = evolve(program, registry=registry)
        problems += check_program(program)
    return program, problems


def program_to_dict(program: Program, *, native: bool = False) -> dict[str, Any]:
    """Plain data for a program; `partner_tiers.program_from_dict` reads it back equal.

    Args:
        program: the program.
        native: keep Decimals and dates as such (for TOML and YAML writers).
    """
    converter = _native if native else _strict
    data: dict[str, Any] = converter.unstructure(program)
    return data


def program_to_toml(program: Program) -> str:
    """The program as the text of a TOML program file."""
    return tomli_w.dumps(program_to_dict(program, native=True))


def program_to_json(program: Program) -> str:
    """The program as the text of a JSON program file."""
    return json.dumps(program_to_dict(program), indent=2, ensure_ascii=False) + "\n"
