"""The replay: the tier held on each day, found by applying the program's policy from the
partner's ``joined_on``.

Every day on which something can change (a batch starts or ends, a gate or track rule
says its answer can change, a review, a scheduled demotion, a switch of program version)
is visited once, in order, under the version in force that day. Each visit carries the
held tier over to a version that takes effect, records a gate that fails or recovers,
lands a scheduled demotion that is due, promotes, reviews, and moves a partner who
missed the first-tier deadline to Provider. Every change of the tier a partner holds is
recorded once, with its cause and version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import evolve, frozen

from partner_tiers._engine.ladders import DayTests, day_tests
from partner_tiers._engine.qualify import (
    Met,
    Verdicts,
    capped,
    held_cap,
    met_by,
    promotion,
    reached_index,
    review_index,
    track_values,
)
from partner_tiers._engine.status import ChangeCause, TierChange
from partner_tiers._ledger.ledger import PointsLedger
from partner_tiers._model.book import Book
from partner_tiers._model.dated import expiry_date
from partner_tiers._rules.context import ChangeDays
from partner_tiers._rules.gates import no_change_days
from partner_tiers._rules.policy import Promotion
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries, as_series

__all__ = ["ReplayState", "change_days", "replay", "tier_name"]

ONE_DAY = dt.timedelta(days=1)


@frozen
class ReplayState:
    """Where the replay stands after a day.

    Attributes:
        held: the index of the tier held under the policy (-1: untiered), in the ladder
            of the version in force.
        history: the tier changes so far, oldest first.
        pending: a demotion decided at a review and not yet in effect: the day it lands,
            the index of the tier it lands on, and its reason.
        ever_tiered: whether a tier was ever held.
        provider: whether the partner is at the Provider level.
        version: the index of the version in force in the series.
        cap: the highest tier the gates allow when one guarding the held tier fails
            (None: none fails); the tier a partner holds is min(held, cap).
    """

    held: int
    history: tuple[TierChange, ...]
    pending: tuple[dt.date, int, str] | None
    ever_tiered: bool
    provider: bool
    version: int = 0
    cap: int | None = None

    @property
    def effective(self) -> int:
        """The index of the tier the partner holds: the policy's, capped by the gates."""
        return self.held if self.cap is None else min(self.held, self.cap)


@frozen
class _Replay:
    """What stays fixed during one replay."""

    book: Book
    series: ProgramSeries
    ledger: PointsLedger
    reviews: frozenset[dt.date]
    switches: Mapping[dt.date, int]  # switch day -> index of the version taking effect
    verdicts: Verdicts


def tier_name(program: Program, index: int) -> str | None:
    """The id of the tier at the index, None for -1 (untiered)."""
    return program.tiers[index].id if index >= 0 else None


def change_days(
    book: Book,
    program: Program | ProgramSeries,
    ledger: PointsLedger,
    start: dt.date,
    end: dt.date,
) -> list[dt.date]:
    """Every day in (start, end] on which a track, a gate, the policy or the version in
    force can change.

    The built-in tracks change when the ledger's batches start or stop counting; every
    other rule says on which days it can change (`Registry.gate_changes`,
    `Registry.track_changes`). A rule that does not say may change on any day, and then
    every day of its version's range is visited.
    """
    days: set[dt.date] = set()
    for window in as_series(program).windows():
        low = start if window.start is None else max(start, window.start - ONE_DAY)
        high = end if window.end is None else min(end, window.end - ONE_DAY)
        if low < high:
            days.update(_version_changes(book, window.program, ledger, low, high))
        if window.start is not None:
            days.add(window.start)
    return sorted(day for day in days if start < day <= end)


def _version_changes(
    book: Book, program: Program, ledger: PointsLedger, start: dt.date, end: dt.date
) -> set[dt.date]:
    """The change days of one version in (start, end], and when its demotions land."""
    declared = _declared_changes(program)
    if declared is None:
        return {start + dt.timedelta(days=n) for n in range(1, (end - start).days + 1)}
    days: set[dt.date] = set(ledger.event_days())
    for changes, params in declared:
        days.update(changes(book, ledger, params, start, end))
    reviews = program.policy.reviews(start, end)
    days.update(reviews)
    notice = dt.timedelta(days=program.policy.notice_days)
    days.update(review + notice for review in reviews)  # when announced demotions land
    return days


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


def _reviews(series: ProgramSeries, start: dt.date, end: dt.date) -> frozenset[dt.date]:
    """The review days in (start, end], each by the policy of the version in force."""
    days: set[dt.date] = set()
    for window in series.windows():
        low = start if window.start is None else max(start, window.start - ONE_DAY)
        high = end if window.end is None else min(end, window.end - ONE_DAY)
        if low < high:
            days.update(window.program.policy.reviews(low, high))
    return frozenset(days)


_Tests = dict[int, tuple[DayTests | None, list[bool] | None]]
"""Per version index: its tier tests and steady days (`_steady_days`) over the replay's
days, made when the version is first visited."""


def replay(
    book: Book,
    program: Program | ProgramSeries,
    ledger: PointsLedger,
    samples: Sequence[dt.date],
) -> Iterator[tuple[dt.date, ReplayState]]:
    """Replay the policy from joined_on, yielding the state on each sample date (sorted)."""
    series = as_series(program)
    joined = book.partner.joined_on
    end = samples[-1]
    switches = {
        window.start: index
        for index, window in enumerate(series.windows())
        if window.start is not None
    }
    reviews = _reviews(series, joined - ONE_DAY, end)
    fixed = _Replay(book, series, ledger, reviews, switches, Verdicts(book, ledger))
    first = series.versions.index(series.version_on(joined - ONE_DAY))
    state = ReplayState(-1, (), None, False, False, first)
    sample_index = 0
    days = change_days(book, series, ledger, joined - ONE_DAY, end)
    if joined <= end and (not days or days[0] > joined):
        days.insert(0, joined)  # points earned before joining count from the first day
    tests: _Tests = {}
    unchanged = False  # whether the last day visited left the state as it was
    for k, day in enumerate(days):
        while sample_index < len(samples) and samples[sample_index] < day:
            yield samples[sample_index], state
            sample_index += 1
        steady = tests[state.version][1] if state.version in tests else None
        landing = state.pending is not None and day >= state.pending[0]
        if unchanged and steady is not None and steady[k] and not landing:
            continue  # the day before's inputs, and it changed nothing
        after = _step(fixed, (k, day), state, tests, days)
        unchanged, state = after is state, after
    while sample_index < len(samples):
        yield samples[sample_index], state
        sample_index += 1


def _steady_days(
    fixed: _Replay, known: DayTests | None, epochs: list[int] | None, days: Sequence[dt.date]
) -> list[bool] | None:
    """For each day, whether it gives the day before's inputs to a step: the same tier
    reached and the same gate verdicts, on a day that is no review and no switch. A
    step that left the state unchanged on the day before leaves it unchanged on such a
    day too, unless a demotion lands on it (the replay checks that).

    Only with the tier tests off the arrays (`DayTests`) and gates whose verdicts change
    on known days (`Verdicts.epochs`); otherwise (None) every day is stepped through.
    """
    if known is None or epochs is None:
        return None
    reached = known.reached
    return [
        k > 0
        and reached[k] == reached[k - 1]
        and epochs[k] == epochs[k - 1]
        and day not in fixed.reviews
        and day not in fixed.switches
        for k, day in enumerate(days)
    ]


def _step(
    fixed: _Replay,
    visit: tuple[int, dt.date],
    state: ReplayState,
    tests: _Tests,
    days: Sequence[dt.date],
) -> ReplayState:
    """The state after the k-th day (``visit``): the version switch and the gates, then
    a due demotion lands, then promotion, review (not on a switch day), Provider."""
    k, day = visit
    switched = day in fixed.switches
    if switched:
        state = _switch(fixed, day, state, fixed.switches[day])
    else:
        state = _gates(fixed, day, state)
    program = fixed.series.versions[state.version]
    if state.version not in tests:
        known = day_tests(program, fixed.ledger, days)
        epochs = fixed.verdicts.epochs(program, days)
        tests[state.version] = known, _steady_days(fixed, known, epochs, days)
    book, ledger = fixed.book, fixed.ledger
    known = tests[state.version][0]

    def values() -> dict[str, Decimal]:
        return track_values(program, book, ledger, day, ledger.totals(day))

    if known is not None:
        met, reached = known.on(k), known.reached[k]
    else:
        met = met_by(program.tiers, values())
        reached = reached_index(program.tiers, met)
    is_review = day in fixed.reviews
    state = _land_pending(program, day, state, met)
    state = _promote(fixed, program, day, state, reached, is_review=is_review)
    if is_review and state.pending is None and not switched:
        state = _review(program, day, state, met, values)
    return _provider(fixed, program, day, state, is_review=is_review)


def _record(
    state: ReplayState,
    program: Program,
    change: tuple[dt.date, str, ChangeCause],
    *,
    held: int | None = None,
    cap: int | bool | None = False,
    always: bool = False,
) -> ReplayState:
    """The state with a new held tier and/or gate cap, and a `TierChange` when the tier
    the partner holds (held, capped by the gates) changes; ``always`` records a
    withdrawal too. ``cap=False`` keeps the cap."""
    day, reason, cause = change
    after = evolve(
        state,
        held=state.held if held is None else held,
        cap=state.cap if cap is False else cap,
        pending=None if held is not None else state.pending,
    )
    before_tier, after_tier = (
        tier_name(program, state.effective),
        tier_name(program, after.effective),
    )
    if before_tier == after_tier and not always:
        return after
    record = TierChange(day, before_tier, after_tier, reason, cause, program.label)
    return evolve(after, history=(*state.history, record))


def _gates(fixed: _Replay, day: dt.date, state: ReplayState) -> ReplayState:
    """A gate guarding the held tier fails (the tier is capped from that day) or
    recovers (the held tier is back)."""
    program = fixed.series.versions[state.version]
    if capped(program, fixed.verdicts, day, state.held) == state.cap:
        return state  # asked without the reasons, which only a change records
    cap, failing = held_cap(program, fixed.book, fixed.ledger, day, state.held)
    if failing:
        reason = "; ".join(f"gate {gate} failed on {day}: {why}" for gate, why in failing)
        cause = ChangeCause.GATE_FAILED
        if state.cap is not None and cap is not None and cap > state.cap:
            cause = ChangeCause.GATE_RECOVERED
    else:
        reason = f"every gate of the held tier passes again on {day}"
        cause = ChangeCause.GATE_RECOVERED
    return _record(state, program, (day, reason, cause), cap=cap)


def _switch(fixed: _Replay, day: dt.date, state: ReplayState, index: int) -> ReplayState:
    """The newer version takes effect: the held tier (and a pending demotion's target)
    carries over by its ``carry_over``; nobody is demoted for the new minimums today."""
    series = fixed.series
    older, newer = series.versions[state.version], series.versions[index]
    held_id = tier_name(older, state.held)
    held = newer.tier_index(series.carry(newer, held_id))
    pending = state.pending
    if pending is not None:
        target = newer.tier_index(series.carry(newer, tier_name(older, pending[1])))
        pending = (pending[0], target, pending[2]) if target < held else None
    before = tier_name(older, state.effective)
    moved = evolve(state, held=held, pending=pending, version=index, cap=None)
    cap, failing = held_cap(newer, fixed.book, fixed.ledger, day, held)
    moved = evolve(moved, cap=cap)
    after = tier_name(newer, moved.effective)
    if before == after:
        return moved
    carried = series.carry(newer, held_id) or "untiered"
    reason = f"{newer.label} in force from {day}: {held_id or 'untiered'} carries over to {carried}"
    reason += "".join(f"; gate {gate} failed: {why}" for gate, why in failing)
    change = TierChange(day, before, after, reason, ChangeCause.VERSION_SWITCH, newer.label)
    return evolve(moved, history=(*moved.history, change))


def _land_pending(program: Program, day: dt.date, state: ReplayState, met: Met) -> ReplayState:
    """A demotion due by the day lands, or is withdrawn if the retain minimums are met."""
    if state.pending is None or day < state.pending[0]:
        return state
    announced, target, reason = state.pending
    held = state.held
    if held >= 0 and met(held, True):
        withdrawn = (
            f"demotion announced for {announced} withdrawn: "
            f"{program.tiers[held].name} retain minimums met again"
        )
        change = (day, withdrawn, ChangeCause.DEMOTION_WITHDRAWN)
        return _record(state, program, change, held=held, always=True)
    return _record(state, program, (day, reason, ChangeCause.REVIEW_DEMOTION), held=target)


def _promote(
    fixed: _Replay,
    program: Program,
    day: dt.date,
    state: ReplayState,
    reached: int,
    *,
    is_review: bool,
) -> ReplayState:
    """A promotion to the tier the points reach, as far as the gates allow, when the
    policy promotes on the day."""
    held = state.held
    policy = program.policy
    if policy.promotion is not Promotion.IMMEDIATE and not is_review:
        return state
    if reached <= held:
        return state
    allowed = promotion(program, fixed.verdicts, day, held, reached)
    if allowed <= held:
        return state
    when = "at the review" if policy.promotion is Promotion.AT_REVIEW else "on qualifying"
    reason = f"reached {program.tiers[allowed].name} {when}"
    # The gates allow the tier reached: none caps it any more.
    return _record(state, program, (day, reason, ChangeCause.PROMOTION), held=allowed, cap=None)


def _review(
    program: Program,
    day: dt.date,
    state: ReplayState,
    met: Met,
    values_of: Callable[[], Mapping[str, Decimal]],
) -> ReplayState:
    """The review's demotion: in effect at once, or announced for after the notice."""
    held = state.held
    target = review_index(program, held, met)
    if target == held:
        return state
    tier = program.tiers[held]
    values = values_of()
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
        return _record(state, program, (day, reason, ChangeCause.REVIEW_DEMOTION), held=target)
    return evolve(state, pending=(effective, target, reason + f"; notice given on {day}"))


def _provider(
    fixed: _Replay, program: Program, day: dt.date, state: ReplayState, *, is_review: bool
) -> ReplayState:
    """A partner with no tier ever held is moved to Provider at the first review after
    the first-tier deadline (of the version in force), and leaves Provider on reaching
    a tier."""
    ever = state.ever_tiered or state.held >= 0
    provider, history = state.provider, state.history
    policy = program.policy
    months = policy.first_tier_deadline_months
    joined = fixed.book.partner.joined_on
    deadline = expiry_date(joined, months) if months else None  # months later, cached
    if is_review and deadline is not None and day >= deadline and not ever and not provider:
        provider = True
        reason = (
            f"no tier reached within {months} months of "
            f"joining on {joined}: moved to Provider at the review of {day}"
        )
        change = TierChange(day, None, None, reason, ChangeCause.FIRST_TIER_DEADLINE, program.label)
        history = (*history, change)
    if provider and state.held >= 0:
        provider = False
    if (history, ever, provider) == (state.history, state.ever_tiered, state.provider):
        return state
    return evolve(state, history=history, ever_tiered=ever, provider=provider)
