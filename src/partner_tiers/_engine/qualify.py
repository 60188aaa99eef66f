"""What one day gives: every track's value, the tier the points reach, the gates' cap and
the tier a review leaves a partner in."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from partner_tiers._ledger.ledger import LedgerTotals, PointsLedger
from partner_tiers._model.book import Book
from partner_tiers._rules.context import Context
from partner_tiers._rules.gates import (
    GateResult,
    GateRule,
    certification_gate,
    fact_at_least_gate,
    fact_true_gate,
)
from partner_tiers._rules.ladder import Tier, highest_met
from partner_tiers._rules.program import Program
from partner_tiers._rules.tracks import builtin_value

__all__ = [
    "Met",
    "Verdicts",
    "after_review",
    "capped",
    "evaluate_gates",
    "held_cap",
    "met_by",
    "points_index",
    "promotion",
    "reached_index",
    "review_index",
    "track_values",
]


def track_values(
    program: Program, book: Book, ledger: PointsLedger, day: dt.date, totals: LedgerTotals
) -> dict[str, Decimal]:
    """Every track of the program on the day."""
    values: dict[str, Decimal] = {}
    context: Context | None = None
    for track in program.tracks:
        custom = program.registry.track(track.rule)
        if custom is None:
            values[track.id] = builtin_value(track.rule, totals)
        else:
            context = context or Context(book, ledger, program, day, totals)
            values[track.id] = Decimal(custom(context, track.params))
    return values


Met = Callable[[int, bool], bool]
"""Whether the tier at an index meets its thresholds on a day: reach, or retain (True)."""


def points_index(tiers: Sequence[Tier], values: Mapping[str, Decimal]) -> int:
    """The highest tier whose reach thresholds the values meet (-1: none)."""
    return highest_met(tiers, lambda _index, tier: tier.met(values))


def met_by(tiers: Sequence[Tier], values: Mapping[str, Decimal]) -> Met:
    """The thresholds test of the values (see `Met`)."""
    return lambda index, keep: tiers[index].met(values, keep=keep)


def reached_index(tiers: Sequence[Tier], met: Met, keep_up_to: int = -1) -> int:
    """`points_index` by a thresholds test."""
    return highest_met(tiers, lambda index, _tier: met(index, index <= keep_up_to))


def after_review(program: Program, held: int, values: Mapping[str, Decimal]) -> int:
    """The tier a review leaves a partner in who holds tier ``held`` (-1: none), before
    any promotion: kept while its retain minimums are met; else the highest tier below
    whose reach (or retain) is met, or with a soft landing one tier down."""
    return review_index(program, held, met_by(program.tiers, values))


def review_index(program: Program, held: int, met: Met) -> int:
    """`after_review` by a thresholds test."""
    if held < 0 or met(held, True):
        return held
    # Reach thresholds rise up the ladder, so the tier kept is below the held one; the
    # min() keeps it so for ladders whose tiers count different tracks.
    target = min(reached_index(program.tiers, met, keep_up_to=held), held - 1)
    return max(target, held - 1) if program.policy.soft_landing else target


def evaluate_gates(
    program: Program, book: Book, ledger: PointsLedger, day: dt.date, totals: LedgerTotals
) -> tuple[tuple[GateResult, ...], int]:
    """Every gate on the day, and the index of the highest tier they allow."""
    context = Context(book, ledger, program, day, totals)
    tier_ids = [tier.id for tier in program.tiers]
    results = []
    cap = len(program.tiers) - 1
    for gate, lowest in zip(program.gates, program.gate_floors, strict=True):
        outcome = program.registry.gate(gate.kind)(context, gate.params)
        if outcome.passed:
            results.append(GateResult(gate.id, True, outcome.reason, None, gate.tiers))
        else:
            cap = min(cap, lowest - 1)
            caps_at = tier_ids[lowest - 1] if lowest > 0 else None
            results.append(GateResult(gate.id, False, outcome.reason, caps_at, gate.tiers))
    return tuple(results), cap


_STEADY = (certification_gate, fact_true_gate, fact_at_least_gate)
"""The built-in gates whose verdict changes only when a certification's validity does."""


class Verdicts:
    """Whether each gate passes on a day, for one replay, asked without the reasons.

    The replay asks the gates on every day it visits (about 1,000 for a book of 5,000
    deals), and mostly only wants to know whether they pass. The built-in fact gates
    read what is constant in a book, so their verdict is kept per program; the built-in
    certification gate passes exactly when a certification is valid on the day, which is
    checked without building its reason. Every other gate (a custom one, or a built-in
    kind a registry overrides) is asked each time. Reasons are built by `held_cap` and
    `evaluate_gates`, only where they are recorded or shown.
    """

    def __init__(self, book: Book, ledger: PointsLedger) -> None:
        self._book = book
        self._ledger = ledger
        self._constant: dict[tuple[int, int], bool] = {}
        self._rules: dict[int, tuple[GateRule, ...]] = {}
        self._order: dict[int, tuple[int, ...]] = {}
        # The days a certification becomes valid or stops being valid: between two of
        # them, every built-in gate gives the same verdict.
        self._turns = sorted(
            {c.valid_from for c in book.certifications}
            | {c.valid_until + dt.timedelta(days=1) for c in book.certifications}
        )

    def epochs(self, program: Program, days: Sequence[dt.date]) -> list[int] | None:
        """For each of the days, a number that stays the same over a run of days on which
        none of the program's gates can change its verdict; None when a gate may change
        on any day (a custom one, or a built-in kind a registry overrides)."""
        if not all(rule in _STEADY for rule in self.rules(program)):
            return None
        return [bisect.bisect_right(self._turns, day) for day in days]

    def rules(self, program: Program) -> tuple[GateRule, ...]:
        """The rule of each of the program's gates, looked up once."""
        found = self._rules.get(id(program))
        if found is None:
            found = tuple(program.registry.gate(gate.kind) for gate in program.gates)
            self._rules[id(program)] = found
        return found

    def highest_first(self, program: Program) -> tuple[int, ...]:
        """The program's gate indexes, the gate guarding the highest tiers first."""
        found = self._order.get(id(program))
        if found is None:
            floors = program.gate_floors
            found = tuple(sorted(range(len(floors)), key=lambda i: floors[i], reverse=True))
            self._order[id(program)] = found
        return found

    def passed(self, program: Program, index: int, day: dt.date) -> bool:
        """Whether the program's gate at ``index`` passes on the day."""
        rule = self.rules(program)[index]
        if rule is certification_gate:
            return any(c.valid_on(day) for c in self._book.certifications)
        constant = rule is fact_true_gate or rule is fact_at_least_gate
        key = (id(program), index)
        if constant and key in self._constant:
            return self._constant[key]
        context = Context(self._book, self._ledger, program, day, self._ledger.totals(day))
        verdict = rule(context, program.gates[index].params).passed
        if constant:
            self._constant[key] = verdict
        return verdict


def promotion(program: Program, verdicts: Verdicts, day: dt.date, held: int, reached: int) -> int:
    """The tier the gates allow, min(reached, gate cap), or any index <= held when they
    allow no promotion.

    Only the decision "allowed > held" and, when it is made, the exact allowed tier
    matter to the replay, so gates are tried from the one guarding the highest tiers down
    (Elite's invitation and fact gates: cheap and most often failed), a gate that cannot
    lower the answer is skipped, and the first failure that leaves nothing above ``held``
    stops the search. A day that promotes still runs every gate that matters.
    """
    floors = program.gate_floors
    allowed = reached
    for index in verdicts.highest_first(program):
        lowest = floors[index]
        if lowest > allowed:
            continue  # its cap, lowest - 1, is not below allowed
        if not verdicts.passed(program, index, day):
            allowed = lowest - 1
            if allowed <= held:
                break
    return allowed


def capped(program: Program, verdicts: Verdicts, day: dt.date, held: int) -> int | None:
    """The cap `held_cap` finds, without the reasons."""
    if held < 0:
        return None
    floors = program.gate_floors
    failing = [
        lowest - 1
        for index, lowest in enumerate(floors)
        if lowest <= held and not verdicts.passed(program, index, day)
    ]
    return min(held, *failing) if failing else None


def held_cap(
    program: Program, book: Book, ledger: PointsLedger, day: dt.date, held: int
) -> tuple[int | None, tuple[tuple[str, str], ...]]:
    """The gates' cap on a held tier: the highest tier allowed when a gate guarding the
    held tier or one below it fails (None: the held tier is allowed), and the failing
    gates with their reasons. Gates guarding only higher tiers are not asked."""
    if held < 0:
        return None, ()
    context: Context | None = None
    cap = held
    failing = []
    for gate, lowest in zip(program.gates, program.gate_floors, strict=True):
        if lowest > held:
            continue
        context = context or Context(book, ledger, program, day, ledger.totals(day))
        outcome = program.registry.gate(gate.kind)(context, gate.params)
        if not outcome.passed:
            cap = min(cap, lowest - 1)
            failing.append((gate.id, outcome.reason))
    return (cap if failing else None), tuple(failing)
