"""The replay: the tier held on each day, found by applying the program's policy from the
partner's ``joined_on``.

Every day on which something can change (a batch starts or ends, a gate or track rule
says its answer can change, a review, a scheduled demotion) is visited once, in order.
Each visit lands a scheduled demotion that is due, promotes, reviews, and moves a partner
who missed the first-tier deadline to Provider.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import evolve, frozen
from dateutil.relativedelta import relativedelta

from partner_tiers._engine.qualify import after_review, points_index, promotion, track_values
from partner_tiers._engine.status import TierChange
from partner_tiers._ledger.ledger import PointsLedger
from partner_tiers._model.book import Book
from partner_tiers._rules.context import ChangeDays
from partner_tiers._rules.gates import no_change_days
from partner_tiers._rules.policy import Promotion
from partner_tiers._rules.program import Program

__all__ = ["ReplayState", "change_days", "replay", "tier_name"]

ONE_DAY = dt.timedelta(days=1)


@frozen
class ReplayState:
    """Where the replay stands after a day.

    Attributes:
        held: the index of the tier held (-1: untiered).
        history: the tier changes so far, oldest first.
        pending: a demotion decided at a review and not yet in effect: the day it lands,
            the index of the tier it lands on, and its reason.
        ever_tiered: whether a tier was ever held.
        provider: whether the partner is at the Provider level.
    """

    held: int
    history: tuple[TierChange, ...]
    pending: tuple[dt.date, int, str] | None
    ever_tiered: bool
    provider: bool


@frozen
class _Replay:
    """What stays fixed during one replay."""

    book: Book
    program: Program
    ledger: PointsLedger
    reviews: frozenset[dt.date]
    deadline: dt.date | None  # of the first tier; None: no deadline


def tier_name(program: Program, index: int) -> str | None:
    """The id of the tier at the index, None for -1 (untiered)."""
    return program.tiers[index].id if index >= 0 else None


def change_days(
    book: Book, program: Program, ledger: PointsLedger, start: dt.date, end: dt.date
) -> list[dt.date]:
    """Every day in (start, end] on which a track, a gate or the policy can change.

    The built-in tracks change when the ledger's batches start or stop counting; every
    other rule says on which days it can change (`Registry.gate_changes`,
    `Registry.track_changes`). A rule that does not say may change on any day, and then
    every day of the range is visited.
    """
    declared = _declared_changes(program)
    if declared is None:
        return [start + dt.timedelta(days=n) for n in range(1, (end - start).days + 1)]
    days: set[dt.date] = set()
    for batch in ledger.batches:
        days.add(batch.earned_on)
        if batch.expires_on is not None:
            days.add(batch.expires_on)
    for changes, params in declared:
        days.update(changes(book, ledger, params, start, end))
    reviews = program.policy.reviews(start, end)
    days.update(reviews)
    notice = dt.timedelta(days=program.policy.notice_days)
    days.update(review + notice for review in reviews)  # when announced demotions land
    return sorted(day for day in days if start < day <= end)


def _declared_changes(program: Program) -> list[tuple[ChangeDays, Mapping[str, Any]]] | None:
    """Each gate's and track's change days with its params; None when a rule has none."""
    registry = program.registry
    rules = [(registry.gate_changes(gate.kind), gate.params) for gate in program.gates]
    rules += [(registry.track_changes(track.rule), track.params) for track in program.tracks]
    declared = []
    for changes, params in rules:
        if changes is None:
            return None
        if changes is not no_change_days:
            declared.append((changes, params))
    return declared


def replay(
    book: Book, program: Program, ledger: PointsLedger, samples: Sequence[dt.date]
) -> Iterator[tuple[dt.date, ReplayState]]:
    """Replay the policy from joined_on, yielding the state on each sample date (sorted)."""
    policy = program.policy
    joined = book.partner.joined_on
    months = policy.first_tier_deadline_months
    end = samples[-1]
    fixed = _Replay(
        book,
        program,
        ledger,
        frozenset(policy.reviews(joined - ONE_DAY, end)),
        joined + relativedelta(months=months) if months else None,
    )
    state = ReplayState(-1, (), None, False, False)
    sample_index = 0
    for day in change_days(book, program, ledger, joined - ONE_DAY, end):
        while sample_index < len(samples) and samples[sample_index] < day:
            yield samples[sample_index], state
            sample_index += 1
        state = _step(fixed, day, state)
    while sample_index < len(samples):
        yield samples[sample_index], state
        sample_index += 1


def _step(fixed: _Replay, day: dt.date, state: ReplayState) -> ReplayState:
    """The state after the day: a due demotion lands, then promotion, review, Provider."""
    values = track_values(fixed.program, fixed.book, fixed.ledger, day, fixed.ledger.totals(day))
    is_review = day in fixed.reviews
    state = _land_pending(fixed.program, day, state, values)
    state = _promote(fixed, day, state, values, is_review=is_review)
    if is_review and state.pending is None:
        state = _review(fixed.program, day, state, values)
    return _provider(fixed, day, state, is_review=is_review)


def _changed(state: ReplayState, change: TierChange, held: int) -> ReplayState:
    return evolve(state, held=held, history=(*state.history, change), pending=None)


def _land_pending(
    program: Program, day: dt.date, state: ReplayState, values: Mapping[str, Decimal]
) -> ReplayState:
    """A demotion due by the day lands, or is withdrawn if the retain minimums are met."""
    if state.pending is None or day < state.pending[0]:
        return state
    announced, target, reason = state.pending
    held = state.held
    if held >= 0 and program.tiers[held].met(values, keep=True):
        name = tier_name(program, held)
        withdrawn = (
            f"demotion announced for {announced} withdrawn: "
            f"{program.tiers[held].name} retain minimums met again"
        )
        return _changed(state, TierChange(day, name, name, withdrawn), held)
    change = TierChange(day, tier_name(program, held), tier_name(program, target), reason)
    return _changed(state, change, target)


def _promote(
    fixed: _Replay,
    day: dt.date,
    state: ReplayState,
    values: Mapping[str, Decimal],
    *,
    is_review: bool,
) -> ReplayState:
    """A promotion to the tier the points reach, as far as the gates allow, when the
    policy promotes on the day."""
    program, held = fixed.program, state.held
    policy = program.policy
    if policy.promotion is not Promotion.IMMEDIATE and not is_review:
        return state
    reached = points_index(program.tiers, values)
    if reached <= held:
        return state
    allowed = promotion(program, fixed.book, fixed.ledger, day, held, reached)
    if allowed <= held:
        return state
    when = "at the review" if policy.promotion is Promotion.AT_REVIEW else "on qualifying"
    reason = f"reached {program.tiers[allowed].name} {when}"
    change = TierChange(day, tier_name(program, held), tier_name(program, allowed), reason)
    return _changed(state, change, allowed)


def _review(
    program: Program, day: dt.date, state: ReplayState, values: Mapping[str, Decimal]
) -> ReplayState:
    """The review's demotion: in effect at once, or announced for after the notice."""
    held = state.held
    target = after_review(program, held, values)
    if target == held:
        return state
    tier = program.tiers[held]
    short = ", ".join(
        f"{track} {values[track]} < {tier.retain_for(track)}"
        for track, missing in tier.shortfall(values, keep=True).items()
        if missing > 0
    )
    policy = program.policy
    reason = f"below the {tier.name} retain minimum at the review of {day} ({short})" + (
        "; soft landing: one tier down" if policy.soft_landing else ""
    )
    effective = day + dt.timedelta(days=policy.notice_days)
    if effective <= day:
        change = TierChange(day, tier_name(program, held), tier_name(program, target), reason)
        return _changed(state, change, target)
    return evolve(state, pending=(effective, target, reason + f"; notice given on {day}"))


def _provider(fixed: _Replay, day: dt.date, state: ReplayState, *, is_review: bool) -> ReplayState:
    """A partner with no tier ever held is moved to Provider at the first review after
    the first-tier deadline, and leaves Provider on reaching a tier."""
    ever = state.ever_tiered or state.held >= 0
    provider, history = state.provider, state.history
    deadline = fixed.deadline
    if is_review and deadline is not None and day >= deadline and not ever and not provider:
        provider = True
        policy = fixed.program.policy
        joined = fixed.book.partner.joined_on
        reason = (
            f"no tier reached within {policy.first_tier_deadline_months} months of "
            f"joining on {joined}: moved to Provider at the review of {day}"
        )
        history = (*history, TierChange(day, None, None, reason))
    if provider and state.held >= 0:
        provider = False
    return ReplayState(state.held, history, state.pending, ever, provider)
