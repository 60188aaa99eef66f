"""The semantic checks of a program: every problem with its path, each step checking one
part (tracks, tiers, gates, policy, rates, currencies, growth markets, expiry, rounding).

The checks take a program's parts, not the program, so that the program module can use
them; `partner_tiers.check_program` puts them together.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from partner_tiers._errors import Problem
from partner_tiers._model.codes import COUNTRY_CODES, CURRENCY_CODES
from partner_tiers._model.dated import Dated
from partner_tiers._rules.gates import BUILTIN_GATE_PARAMS, BUILTIN_GATES, GateSpec
from partner_tiers._rules.ladder import Tier
from partner_tiers._rules.policy import ReviewPolicy, month_day
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
    "UNTIERED",
    "check_carry_over",
    "check_currencies",
    "check_expiry",
    "check_gates",
    "check_growth_markets",
    "check_name",
    "check_policy",
    "check_rates",
    "check_rounding",
    "check_tiers",
    "check_tracks",
    "did_you_mean",
]

# A built-in gate holds a stray parameter of another built-in kind to that kind's spec.
_BUILTIN_PARAMS = {param.name: param for params in BUILTIN_GATE_PARAMS.values() for param in params}


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """``; did you mean 'x'?`` for the choice closest to a misspelt word, or nothing."""
    close = difflib.get_close_matches(word, choices)
    return f"; did you mean {close[0]!r}?" if close else ""


def _sorted_rows(rows: Sequence[Dated], name: str, *, open_start: bool) -> list[Problem]:
    """Effective-dated rows must be sorted without overlap; only the first row may omit
    its date, and only when ``open_start``."""
    problems = []
    previous = None
    for index, row in enumerate(rows):
        start = row.effective_from
        if start is None:
            if index > 0 or not open_start:
                problems.append(
                    Problem(
                        f"{name}[{index}].effective_from",
                        "is required (only the first row may omit it)",
                    )
                )
            continue
        if previous is not None and start <= previous:
            problems.append(
                Problem(
                    f"{name}[{index}].effective_from",
                    f"must be after {name}[{index - 1}].effective_from ({previous}): "
                    "rows are sorted and must not overlap",
                    start,
                )
            )
        previous = start
    return problems


def check_name(name: str) -> list[Problem]:
    """A program needs a name."""
    return [] if name.strip() else [Problem("name", "must not be empty", name)]


def check_tracks(tracks: Sequence[TrackSpec], registry: Registry) -> list[Problem]:
    """At least one track, ids unique, kinds built in or registered."""
    problems = []
    if not tracks:
        problems.append(Problem("tracks", "must define at least one track"))
    track_ids = [track.id for track in tracks]
    for index, spec in enumerate(tracks):
        if track_ids.index(spec.id) != index:
            problems.append(
                Problem(f"tracks[{index}].id", "duplicates another track's id", spec.id)
            )
        if not registry.knows_track(spec.rule):
            hint = did_you_mean(spec.rule, registry.track_kinds())
            problems.append(
                Problem(
                    f"tracks[{index}].kind" if spec.kind else f"tracks[{index}].id",
                    f"is no built-in or registered track{hint}",
                    spec.rule,
                )
            )
    return problems


UNTIERED = "untiered"
"""The carry-over target of a tier that lands on no tier."""


def check_carry_over(carry_over: Mapping[str, str], tier_ids: Sequence[str]) -> list[Problem]:
    """Every carry-over target is a tier of the program or ``untiered``."""
    return [
        Problem(
            f"carry_over.{old}",
            f"must be a tier of the program or {UNTIERED}" + did_you_mean(new, tier_ids),
            new,
        )
        for old, new in carry_over.items()
        if new not in tier_ids and new != UNTIERED
    ]


def check_tiers(tiers: Sequence[Tier], track_ids: Sequence[str]) -> list[Problem]:
    """At least one tier; each tier sound on its own and above the one below it."""
    problems = []
    if not tiers:
        problems.append(Problem("tiers", "must hold at least one tier"))
    tier_ids = [tier.id for tier in tiers]
    for index, tier in enumerate(tiers):
        if tier_ids.index(tier.id) != index:
            problems.append(Problem(f"tiers[{index}].id", "duplicates another tier's id", tier.id))
        problems += _tier_problems(f"tiers[{index}]", tier, track_ids)
        if index > 0:
            problems += _rung_problems(index, tier, tiers[index - 1])
    return problems


def _tier_problems(where: str, tier: Tier, track_ids: Sequence[str]) -> list[Problem]:
    """Thresholds on defined tracks, not negative; retain within reach."""
    problems = []
    if not tier.reach:
        problems.append(Problem(f"{where}.reach", "must set at least one threshold"))
    for kind, thresholds in (("reach", tier.reach), ("retain", tier.retain)):
        for track, value in thresholds.items():
            if track not in track_ids:
                problems.append(
                    Problem(
                        f"{where}.{kind}.{track}",
                        "uses a track the program does not define" + did_you_mean(track, track_ids),
                    )
                )
            if value < 0:
                problems.append(Problem(f"{where}.{kind}.{track}", "must not be negative", value))
    for track, value in tier.retain.items():
        if track not in tier.reach:
            problems.append(Problem(f"{where}.retain.{track}", "has no reach threshold to keep"))
        elif value > tier.reach[track]:
            problems.append(
                Problem(
                    f"{where}.retain.{track}",
                    f"must be <= {where}.reach.{track} ({tier.reach[track]})",
                    value,
                )
            )
    return problems


def _rung_problems(index: int, tier: Tier, below: Tier) -> list[Problem]:
    """Reach thresholds strictly increase up the ladder, over at least one shared track."""
    where = f"tiers[{index}]"
    problems = []
    for track_id, value in tier.reach.items():
        if track_id in below.reach and value <= below.reach[track_id]:
            problems.append(
                Problem(
                    f"{where}.reach.{track_id}",
                    f"must be greater than tiers[{index - 1}].reach.{track_id} "
                    f"({below.reach[track_id]}): reach thresholds strictly increase "
                    "up the ladder",
                    value,
                )
            )
    shared = any(track_id in below.reach for track_id in tier.reach)
    if not shared and tier.reach and below.reach:
        problems.append(
            Problem(
                f"{where}.reach",
                f"shares no track with tiers[{index - 1}]: the tier could be met without "
                "the one below it",
            )
        )
    return problems


def check_gates(
    gates: Sequence[GateSpec], tier_ids: Sequence[str], registry: Registry
) -> list[Problem]:
    """Gate ids unique, kinds built in or registered, guarding tiers of the ladder, with
    the parameters their kind declares."""
    problems = []
    gate_ids = [gate.id for gate in gates]
    for index, gate in enumerate(gates):
        where = f"gates[{index}]"
        if gate_ids.index(gate.id) != index:
            problems.append(Problem(f"{where}.id", "duplicates another gate's id", gate.id))
        if not registry.knows_gate(gate.kind):
            hint = did_you_mean(gate.kind, registry.gate_kinds())
            problems.append(
                Problem(f"{where}.kind", f"is no built-in or registered gate{hint}", gate.kind)
            )
        for tier_id in gate.tiers:
            if tier_id not in tier_ids:
                problems.append(
                    Problem(
                        f"{where}.tiers",
                        f"names no tier of the ladder{did_you_mean(tier_id, tier_ids)}",
                        tier_id,
                    )
                )
        if registry.knows_gate(gate.kind):
            problems += _param_problems(where, gate.kind, gate.params, registry)
    return problems


def _param_problems(
    where: str, kind: str, params: Mapping[str, Any], registry: Registry
) -> list[Problem]:
    """Missing required parameters first, then values that do not fit their spec."""
    schema = registry.gate_params(kind)
    problems = [
        Problem(f"{where}.params.{param.name}", "is required but missing")
        for param in schema
        if param.required and param.name not in params
    ]
    specs = {param.name: param for param in schema}
    if kind in BUILTIN_GATES:
        specs = {**_BUILTIN_PARAMS, **specs}
    for name, param in specs.items():
        message = param.problem(params[name]) if name in params else None
        if message is not None:
            problems.append(Problem(f"{where}.params.{name}", message, params[name]))
    return problems


def check_policy(policy: ReviewPolicy) -> list[Problem]:
    """Review dates that are month-days; notice and first-tier deadline in range."""
    problems = []
    if not policy.review_dates:
        problems.append(Problem("policy.review_dates", "must hold at least one MM-DD date"))
    for text in policy.review_dates:
        if month_day(text) is None:
            problems.append(Problem("policy.review_dates", "must be MM-DD, e.g. 01-01", text))
    if policy.notice_days < 0:
        problems.append(Problem("policy.notice_days", "must not be negative", policy.notice_days))
    elif policy.notice_days > 3650:
        problems.append(Problem("policy.notice_days", "must be at most 3650", policy.notice_days))
    deadline = policy.first_tier_deadline_months
    if deadline is not None and deadline < 1:
        problems.append(
            Problem("policy.first_tier_deadline_months", "must be at least 1", deadline)
        )
    elif deadline is not None and deadline > 1200:
        problems.append(
            Problem("policy.first_tier_deadline_months", "must be at most 1200", deadline)
        )
    return problems


def check_rates(rates: Sequence[RateRow]) -> list[Problem]:
    """At least one rate row, every row dated and sorted, no negative rate."""
    problems = []
    if not rates:
        problems.append(Problem("rates", "must hold at least one rate row"))
    problems += _sorted_rows(rates, "rates", open_start=False)
    for index, row in enumerate(rates):
        for name in ("sourced", "assisted", "unattributed", "managed"):
            if getattr(row, name) < 0:
                problems.append(
                    Problem(f"rates[{index}].{name}", "must not be negative", getattr(row, name))
                )
    return problems


def check_currencies(currencies: Sequence[CurrencyTable]) -> list[Problem]:
    """At least one table, sorted; ISO 4217 codes with positive amounts."""
    problems = []
    if not currencies:
        problems.append(Problem("currencies", "must hold at least one currency table"))
    problems += _sorted_rows(currencies, "currencies", open_start=True)
    for index, table in enumerate(currencies):
        for code, amount in table.per_100_usd.items():
            where = f"currencies[{index}].per_100_usd.{code}"
            if code not in CURRENCY_CODES:
                problems.append(Problem(where, "is not an ISO 4217 currency code", code))
            if amount <= 0:
                problems.append(Problem(where, "must be positive", amount))
    return problems


def check_growth_markets(growth_markets: Sequence[GrowthMarkets]) -> list[Problem]:
    """Lists sorted; ISO 3166-1 country codes with a positive multiplier."""
    problems = _sorted_rows(growth_markets, "growth_markets", open_start=True)
    for index, growth in enumerate(growth_markets):
        for code in sorted(growth.countries):
            if code not in COUNTRY_CODES:
                problems.append(
                    Problem(
                        f"growth_markets[{index}].countries",
                        "is not an ISO 3166-1 alpha-2 code",
                        code,
                    )
                )
        if growth.multiplier <= 0:
            problems.append(
                Problem(
                    f"growth_markets[{index}].multiplier", "must be positive", growth.multiplier
                )
            )
    return problems


def check_expiry(expiry: Sequence[ExpiryRule]) -> list[Problem]:
    """At least one rule, sorted; months from 1 to 1200."""
    problems = []
    if not expiry:
        problems.append(Problem("expiry", "must hold at least one expiry rule"))
    problems += _sorted_rows(expiry, "expiry", open_start=True)
    for index, rule in enumerate(expiry):
        if rule.months < 1:
            problems.append(Problem(f"expiry[{index}].months", "must be at least 1", rule.months))
        elif rule.months > 1200:
            problems.append(Problem(f"expiry[{index}].months", "must be at most 1200", rule.months))
    return problems


def check_rounding(rounding: Sequence[RoundingRule]) -> list[Problem]:
    """At least one rule, sorted; places from 0 to 12."""
    problems = []
    if not rounding:
        problems.append(Problem("rounding", "must hold at least one rounding rule"))
    problems += _sorted_rows(rounding, "rounding", open_start=True)
    for index, rule in enumerate(rounding):
        if not 0 <= rule.places <= 12:
            problems.append(
                Problem(f"rounding[{index}].places", "must be from 0 to 12", rule.places)
            )
    return problems
