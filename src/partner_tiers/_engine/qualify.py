"""What one day gives: every track's value, the tier the points reach, the gates' cap and
the tier a review leaves a partner in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from partner_tiers._ledger.ledger import LedgerTotals, PointsLedger
from partner_tiers._model.book import Book
from partner_tiers._rules.context import Context
from partner_tiers._rules.gates import GateResult
from partner_tiers._rules.ladder import Tier, highest_met
from partner_tiers._rules.program import Program
from partner_tiers._rules.tracks import builtin_value

__all__ = [
    "after_review",
    "evaluate_gates",
    "held_cap",
    "points_index",
    "promotion",
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


def points_index(tiers: Sequence[Tier], values: Mapping[str, Decimal], keep_up_to: int = -1) -> int:
    """The highest tier whose thresholds are met: reach, or retain for tiers <= keep_up_to."""
    return highest_met(tiers, lambda index, tier: tier.met(values, keep=index <= keep_up_to))


def after_review(program: Program, held: int, values: Mapping[str, Decimal]) -> int:
    """The tier a review leaves a partner in who holds tier ``held`` (-1: none), before
    any promotion: kept while its retain minimums are met; else the highest tier below
    whose reach (or retain) is met, or with a soft landing one tier down."""
    tiers = program.tiers
    if held < 0 or tiers[held].met(values, keep=True):
        return held
    # Reach thresholds rise up the ladder, so the tier kept is below the held one; the
    # min() keeps it so for ladders whose tiers count different tracks.
    target = min(points_index(tiers, values, keep_up_to=held), held - 1)
    return max(target, held - 1) if program.policy.soft_landing else target


def evaluate_gates(
    program: Program, book: Book, ledger: PointsLedger, day: dt.date, totals: LedgerTotals
) -> tuple[tuple[GateResult, ...], int]:
    """Every gate on the day, and the index of the highest tier they allow."""
    context = Context(book, ledger, program, day, totals)
    tier_ids = [tier.id for tier in program.tiers]
    results = []
    cap = len(program.tiers) - 1
    for gate in program.gates:
        outcome = program.registry.gate(gate.kind)(context, gate.params)
        guarded = [tier_ids.index(t) for t in gate.tiers] if gate.tiers else [0]
        lowest = min(guarded)
        if outcome.passed:
            results.append(GateResult(gate.id, True, outcome.reason, None, gate.tiers))
        else:
            cap = min(cap, lowest - 1)
            caps_at = tier_ids[lowest - 1] if lowest > 0 else None
            results.append(GateResult(gate.id, False, outcome.reason, caps_at, gate.tiers))
    return tuple(results), cap


def promotion(
    program: Program, book: Book, ledger: PointsLedger, day: dt.date, held: int, reached: int
) -> int:
    """The tier the gates allow, min(reached, gate cap), or any index <= held when they
    allow no promotion.

    Only the decision "allowed > held" and, when it is made, the exact allowed tier
    matter to the replay, so gates are tried from the one guarding the highest tiers down
    (Elite's invitation and fact gates: cheap and most often failed), a gate that cannot
    lower the answer is skipped, and the first failure that leaves nothing above ``held``
    stops the search. A day that promotes still runs every gate that matters.
    """
    tier_ids = [tier.id for tier in program.tiers]
    guarded = [
        (min(tier_ids.index(t) for t in gate.tiers) if gate.tiers else 0, gate)
        for gate in program.gates
    ]
    guarded.sort(key=lambda pair: pair[0], reverse=True)
    context = Context(book, ledger, program, day, ledger.totals(day))
    allowed = reached
    for lowest, gate in guarded:
        if lowest > allowed:
            continue  # its cap, lowest - 1, is not below allowed
        if not program.registry.gate(gate.kind)(context, gate.params).passed:
            allowed = lowest - 1
            if allowed <= held:
                break
    return allowed


def held_cap(
    program: Program, book: Book, ledger: PointsLedger, day: dt.date, held: int
) -> tuple[int | None, tuple[tuple[str, str], ...]]:
    """The gates' cap on a held tier: the highest tier allowed when a gate guarding the
    held tier or one below it fails (None: the held tier is allowed), and the failing
    gates with their reasons. Gates guarding only higher tiers are not asked."""
    if held < 0:
        return None, ()
    tier_ids = [tier.id for tier in program.tiers]
    context: Context | None = None
    cap = held
    failing = []
    for gate in program.gates:
        lowest = min(tier_ids.index(t) for t in gate.tiers) if gate.tiers else 0
        if lowest > held:
            continue
        context = context or Context(book, ledger, program, day, ledger.totals(day))
        outcome = program.registry.gate(gate.kind)(context, gate.params)
        if not outcome.passed:
            cap = min(cap, lowest - 1)
            failing.append((gate.id, outcome.reason))
    return (cap if failing else None), tuple(failing)
