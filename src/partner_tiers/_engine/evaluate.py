"""The engine: book + program + date -> ledger -> tier status with its explanation.

The tier held on a date is found by replaying the program's policy from the partner's
``joined_on``: every day on which something can change (a batch starts or ends, a
certification starts or lapses, a client starts or stops counting for tool usage, a
review, a scheduled demotion) is visited once, in order. `evaluate` replays up to
its date; `partner_tiers.timeline` replays once and samples the months.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import field, frozen
from dateutil.relativedelta import relativedelta

from partner_tiers._engine.explain import Explanation, Reason
from partner_tiers._engine.pricing import build_ledger, check_arguments, expiry_date
from partner_tiers._errors import InvalidRecordError
from partner_tiers._ledger.ledger import LedgerTotals, PointBatch, PointsLedger, Track
from partner_tiers._model.book import Book
from partner_tiers._model.records import SalesMotion
from partner_tiers._model.values import check_day, frozen_map
from partner_tiers._rules.context import Context
from partner_tiers._rules.gates import BUILTIN_GATES, GateResult, GateRule, GateSpec
from partner_tiers._rules.ladder import Tier
from partner_tiers._rules.policy import Promotion
from partner_tiers._rules.program import Program
from partner_tiers._rules.tracks import builtin_value

__all__ = ["TierChange", "TierStatus", "evaluate"]

ZERO = Decimal(0)


@frozen
class TierChange:
    """A change of the held tier found by the replay.

    Attributes:
        on: the day it took effect.
        from_tier: the tier before (None: untiered).
        to_tier: the tier after (None: untiered).
        reason: why, in words.
    """

    on: dt.date
    from_tier: str | None
    to_tier: str | None
    reason: str


@frozen
class TierStatus:
    """The decision for one partner on one date, with every number behind it.

    Attributes:
        as_of: the date of the evaluation.
        program: the program's ``name@version``.
        tier: the tier held after policy and gates (None: untiered).
        qualified_tier: the tier points and gates alone give on the date.
        level: ``partner``, or ``provider`` when the first-tier deadline was missed.
        values: every track's value on the date.
        points: sold, sourced, assisted, managed and total points on the date.
        next_tier: the tier above the held one (None at the top).
        next_tier_reach: the next tier's reach thresholds (the progress chart's lines).
        to_next_tier: per track, what is still needed to reach next_tier (0 when met).
        retain_minimum: the held tier's retain thresholds (empty when untiered).
        to_keep_tier: per track, value minus retain minimum: a surplus when positive, a
            deficit when negative.
        gates: every gate with passed or failed and its reason.
        next_review: the first review after the date.
        expiring_before_review: per track, what expires by the next review.
        projected_tier: the tier at the next review if nothing else happens.
        history: the tier changes the replay found, oldest first.
        pending_demotion: a demotion decided at a review and not yet in effect.
    """

    as_of: dt.date
    program: str
    tier: str | None
    qualified_tier: str | None
    level: str
    values: Mapping[str, Decimal] = field(converter=frozen_map)
    points: Mapping[str, Decimal] = field(converter=frozen_map)
    next_tier: str | None
    next_tier_reach: Mapping[str, Decimal] = field(converter=frozen_map)
    to_next_tier: Mapping[str, Decimal] = field(converter=frozen_map)
    retain_minimum: Mapping[str, Decimal] = field(converter=frozen_map)
    to_keep_tier: Mapping[str, Decimal] = field(converter=frozen_map)
    gates: tuple[GateResult, ...]
    next_review: dt.date
    expiring_before_review: Mapping[str, Decimal] = field(converter=frozen_map)
    projected_tier: str | None
    history: tuple[TierChange, ...]
    pending_demotion: TierChange | None = None
    _program: Program = field(default=None, eq=False, repr=False, alias="_program")
    _ledger: PointsLedger = field(default=None, eq=False, repr=False, alias="_ledger")

    def explain(self) -> Explanation:
        """Every number of the status traced to the rule and the ledger batches behind it."""
        return _explain(self, self._program, self._ledger)

    @property
    def reasons(self) -> list[str]:
        """The explanation as lines of text."""
        return self.explain().lines()

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: keys as_of, program, tier, qualified_tier, points,
        next_tier, to_next_tier, to_keep_tier, gates and reasons, decimals as strings."""
        return {
            "as_of": self.as_of.isoformat(),
            "program": self.program,
            "tier": self.tier,
            "qualified_tier": self.qualified_tier,
            "level": self.level,
            "points": {name: str(value) for name, value in self.points.items()},
            "values": {name: str(value) for name, value in self.values.items()},
            "next_tier": self.next_tier,
            "to_next_tier": {name: str(value) for name, value in self.to_next_tier.items()},
            "to_keep_tier": {name: str(value) for name, value in self.to_keep_tier.items()},
            "gates": [
                {"name": gate.name, "passed": gate.passed, "reason": gate.reason}
                for gate in self.gates
            ],
            "next_review": self.next_review.isoformat(),
            "projected_tier": self.projected_tier,
            "reasons": self.reasons,
        }

    def _repr_html_(self) -> str:
        from partner_tiers._html import status_html

        return status_html(self)


# --- track values and qualification ------------------------------------------------------


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


def _points_index(
    tiers: Sequence[Tier], values: Mapping[str, Decimal], keep_up_to: int = -1
) -> int:
    """The highest tier whose thresholds are met: reach, or retain for tiers <= keep_up_to."""
    for index in range(len(tiers) - 1, -1, -1):
        if tiers[index].met(values, keep=index <= keep_up_to):
            return index
    return -1


def _after_review(program: Program, held: int, values: Mapping[str, Decimal]) -> int:
    """The tier a review leaves a partner in who holds tier ``held`` (-1: none), before
    any promotion: kept while its retain minimums are met; else the highest tier below
    whose reach (or retain) is met, or with a soft landing one tier down."""
    tiers = program.tiers
    if held < 0 or tiers[held].met(values, keep=True):
        return held
    # Reach thresholds rise up the ladder, so the tier kept is below the held one; the
    # min() keeps it so for ladders whose tiers count different tracks.
    target = min(_points_index(tiers, values, keep_up_to=held), held - 1)
    return max(target, held - 1) if program.policy.soft_landing else target


def _gate_rule(program: Program, gate: GateSpec) -> GateRule:
    # Program.check refused kinds that are neither built in nor registered.
    return BUILTIN_GATES.get(gate.kind) or program.registry.gates[gate.kind]


def evaluate_gates(
    program: Program, book: Book, ledger: PointsLedger, day: dt.date, totals: LedgerTotals
) -> tuple[tuple[GateResult, ...], int]:
    """Every gate on the day, and the index of the highest tier they allow."""
    context = Context(book, ledger, program, day, totals)
    tier_ids = [tier.id for tier in program.tiers]
    results = []
    cap = len(program.tiers) - 1
    for gate in program.gates:
        outcome = _gate_rule(program, gate)(context, gate.params)
        guarded = [tier_ids.index(t) for t in gate.tiers] if gate.tiers else [0]
        lowest = min(guarded)
        if outcome.passed:
            results.append(GateResult(gate.id, True, outcome.reason, None, gate.tiers))
        else:
            cap = min(cap, lowest - 1)
            caps_at = tier_ids[lowest - 1] if lowest > 0 else None
            results.append(GateResult(gate.id, False, outcome.reason, caps_at, gate.tiers))
    return tuple(results), cap


def _promotion(
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
        if not _gate_rule(program, gate)(context, gate.params).passed:
            allowed = lowest - 1
            if allowed <= held:
                break
    return allowed


# --- the replay -------------------------------------------------------------------------


@frozen
class _State:
    held: int
    history: tuple[TierChange, ...]
    pending: tuple[dt.date, int, str] | None
    ever_tiered: bool
    provider: bool


def _change_days(
    book: Book, program: Program, ledger: PointsLedger, start: dt.date, end: dt.date
) -> list[dt.date]:
    """Every day in (start, end] on which a track, a gate or the policy can change."""
    days: set[dt.date] = set()
    for batch in ledger.batches:
        days.add(batch.earned_on)
        if batch.expires_on is not None:
            days.add(batch.expires_on)
    for certification in book.certifications:
        days.add(certification.valid_from)
        days.add(certification.valid_until + dt.timedelta(days=1))
    windows = {int(gate.params.get("window_months", 12)) for gate in program.gates}
    closed = {deal.closed_on for deal in book.deals}
    days |= closed
    one_day = dt.timedelta(days=1)
    for months in windows:
        # A sold client stops counting on closed_on + window (and, when the month end
        # clips that date, on the day after); both are days the gate can change.
        # Once per closing day, not per deal: calendar arithmetic is the costly part.
        stops = {expiry_date(day, months) for day in closed}
        days |= stops
        days.update(stop + one_day for stop in stops)
    for service in book.managed_services:
        days.add(service.since)
        if service.until is not None:
            days.add(service.until)
    reviews = program.policy.reviews(start, end)
    days.update(reviews)
    notice = dt.timedelta(days=program.policy.notice_days)
    days.update(review + notice for review in reviews)  # when announced demotions land
    return sorted(day for day in days if start < day <= end)


def _name(program: Program, index: int) -> str | None:
    return program.tiers[index].id if index >= 0 else None


def _replay(
    book: Book, program: Program, ledger: PointsLedger, samples: Sequence[dt.date]
) -> Iterator[tuple[dt.date, _State]]:
    """Replay the policy from joined_on, yielding the state on each sample date (sorted)."""
    policy = program.policy
    tiers = program.tiers
    joined = book.partner.joined_on
    end = samples[-1]
    reviews = set(policy.reviews(joined - dt.timedelta(days=1), end))
    deadline = (
        joined + relativedelta(months=policy.first_tier_deadline_months)
        if policy.first_tier_deadline_months
        else None
    )
    days = _change_days(book, program, ledger, joined - dt.timedelta(days=1), end)
    state = _State(-1, (), None, False, False)
    sample_index = 0

    def values_on(day: dt.date) -> dict[str, Decimal]:
        return track_values(program, book, ledger, day, ledger.totals(day))

    def step(day: dt.date, state: _State) -> _State:
        held, history, pending = state.held, list(state.history), state.pending
        ever, provider = state.ever_tiered, state.provider
        values = values_on(day)
        if pending is not None and day >= pending[0]:
            if held >= 0 and tiers[held].met(values, keep=True):
                history.append(
                    TierChange(
                        day,
                        _name(program, held),
                        _name(program, held),
                        f"demotion announced for {pending[0]} withdrawn: "
                        f"{tiers[held].name} retain minimums met again",
                    )
                )
            else:
                history.append(
                    TierChange(day, _name(program, held), _name(program, pending[1]), pending[2])
                )
                held = pending[1]
            pending = None
        is_review = day in reviews
        may_promote = policy.promotion is Promotion.IMMEDIATE or is_review
        reached = _points_index(tiers, values)
        if may_promote and reached > held:
            allowed = _promotion(program, book, ledger, day, held, reached)
            if allowed > held:
                when = (
                    "at the review" if policy.promotion is Promotion.AT_REVIEW else "on qualifying"
                )
                history.append(
                    TierChange(
                        day,
                        _name(program, held),
                        _name(program, allowed),
                        f"reached {tiers[allowed].name} {when}",
                    )
                )
                held, pending = allowed, None
        target = _after_review(program, held, values) if is_review and pending is None else held
        if target != held:
            short = ", ".join(
                f"{track} {values[track]} < {tiers[held].retain_for(track)}"
                for track, missing in tiers[held].shortfall(values, keep=True).items()
                if missing > 0
            )
            reason = (
                f"below the {tiers[held].name} retain minimum at the review of {day} ({short})"
                + ("; soft landing: one tier down" if policy.soft_landing else "")
            )
            effective = day + dt.timedelta(days=policy.notice_days)
            if effective <= day:
                history.append(
                    TierChange(day, _name(program, held), _name(program, target), reason)
                )
                held = target
            else:
                pending = (effective, target, reason + f"; notice given on {day}")
        ever = ever or held >= 0
        if is_review and deadline is not None and day >= deadline and not ever and not provider:
            provider = True
            history.append(
                TierChange(
                    day,
                    None,
                    None,
                    f"no tier reached within {policy.first_tier_deadline_months} months of "
                    f"joining on {joined}: moved to Provider at the review of {day}",
                )
            )
        if provider and held >= 0:
            provider = False
        return _State(held, tuple(history), pending, ever, provider)

    for day in days:
        while sample_index < len(samples) and samples[sample_index] < day:
            yield samples[sample_index], state
            sample_index += 1
        state = step(day, state)
    while sample_index < len(samples):
        yield samples[sample_index], state
        sample_index += 1


# --- building the status ----------------------------------------------------------------


def _projection(
    ledger: PointsLedger, as_of: dt.date, review: dt.date, values_now: LedgerTotals
) -> tuple[dict[str, Decimal], LedgerTotals]:
    """What expires by the review, and the totals then if nothing else happens.

    Sold batches active now that expire on or before the review are lost; managed points
    are a level and are assumed to stay as they are.
    """
    lost = {"sold": ZERO, "sourced": ZERO, "assisted": ZERO, "sold_mrr_usd": ZERO}
    for batch in _expiring_sold(ledger, as_of, review):
        lost["sold"] += batch.points
        lost["sold_mrr_usd"] += batch.mrr_usd
        if batch.motion is SalesMotion.SOURCED:
            lost["sourced"] += batch.points
        elif batch.motion is SalesMotion.ASSISTED:
            lost["assisted"] += batch.points
    projected = LedgerTotals(
        sold=values_now.sold - lost["sold"],
        sourced=values_now.sourced - lost["sourced"],
        assisted=values_now.assisted - lost["assisted"],
        managed=values_now.managed,
        sold_mrr_usd=values_now.sold_mrr_usd - lost["sold_mrr_usd"],
        managed_mrr_usd=values_now.managed_mrr_usd,
    )
    lost["total"] = lost["sold"]  # managed points are a level: nothing of them expires
    return lost, projected


def _expiring_sold(ledger: PointsLedger, as_of: dt.date, review: dt.date) -> list[PointBatch]:
    by_expiry = _expiry_order(ledger)
    keys = [batch.expires_on for batch in by_expiry]
    low = bisect.bisect_right(keys, as_of)  # type: ignore[type-var]
    high = bisect.bisect_right(keys, review)  # type: ignore[type-var]
    return [batch for batch in by_expiry[low:high] if batch.earned_on <= as_of]


def _expiry_order(ledger: PointsLedger) -> list[PointBatch]:
    cache: dict[Any, Any] = ledger._sub_indexes  # the ledger's own cache of derived indexes
    found = cache.get("expiry-order")
    if found is None:
        found = sorted(
            (b for b in ledger.batches if b.track is Track.SOLD and b.expires_on is not None),
            key=lambda b: (b.expires_on, b.id),
        )
        cache["expiry-order"] = found
    return list(found)


def _status(
    book: Book, program: Program, ledger: PointsLedger, as_of: dt.date, state: _State
) -> TierStatus:
    tiers = program.tiers
    totals = ledger.totals(as_of)
    values = track_values(program, book, ledger, as_of, totals)
    gates, cap = evaluate_gates(program, book, ledger, as_of, totals)
    qualified = min(_points_index(tiers, values), cap)
    held = min(state.held, cap)
    next_index = held + 1 if held + 1 < len(tiers) else None
    to_next = tiers[next_index].shortfall(values) if next_index is not None else {}
    retain = dict(tiers[held].retain_thresholds()) if held >= 0 else {}
    to_keep = {track: values[track] - minimum for track, minimum in retain.items()}
    review = program.policy.next_review(as_of)
    lost, projected_totals = _projection(ledger, as_of, review, totals)
    projected_values = track_values(program, book, ledger, as_of, projected_totals)
    expiring = {track.id: lost.get(track.rule, ZERO) for track in program.tracks}
    projected = _project_tier(program, state.held, projected_values, cap)
    pending = None
    if state.pending is not None:
        pending = TierChange(
            state.pending[0],
            _name(program, state.held),
            _name(program, state.pending[1]),
            state.pending[2],
        )
    return TierStatus(
        as_of=as_of,
        program=program.label,
        tier=_name(program, held),
        qualified_tier=_name(program, qualified),
        level="provider" if state.provider else "partner",  # a Provider holds no tier
        values=values,
        points=totals.as_dict(),
        next_tier=_name(program, next_index) if next_index is not None else None,
        next_tier_reach=dict(tiers[next_index].reach) if next_index is not None else {},
        to_next_tier=to_next,
        retain_minimum=retain,
        to_keep_tier=to_keep,
        gates=gates,
        next_review=review,
        expiring_before_review=expiring,
        projected_tier=_name(program, projected),
        history=state.history,
        pending_demotion=pending,
        _program=program,
        _ledger=ledger,
    )


def _project_tier(program: Program, held: int, values: Mapping[str, Decimal], cap: int) -> int:
    """The tier the next review would decide, as the replay does: a promotion to the tier
    the points reach if the gates (as they are now) allow one, else the review's demotion
    rule; capped by the gates."""
    allowed = min(_points_index(program.tiers, values), cap)
    tier = allowed if allowed > held else _after_review(program, held, values)
    return min(tier, cap)


def evaluate(
    book: Book, program: Program, as_of: dt.date, *, ledger: PointsLedger | None = None
) -> TierStatus:
    """The partner's tier on ``as_of`` under the program, with every number explained.

    Args:
        book: the partner's book.
        program: the program (see `load_program`).
        as_of: the date; the library never reads the clock.
        ledger: the book's ledger under the program, if already built (saves the pricing).

    Raises:
        PricingError: when the program cannot price a deal of the book.
        InvalidRecordError: when an argument is of the wrong type, or as_of out of range.
    """
    check_arguments(book, program, ledger)
    as_of = check_day("as_of", as_of)
    ledger = ledger if ledger is not None else build_ledger(book, program)
    [(_day, state)] = _replay(book, program, ledger, [as_of])
    return _status(book, program, ledger, as_of, state)


def statuses(
    book: Book, program: Program, days: Iterable[dt.date], *, ledger: PointsLedger | None = None
) -> list[TierStatus]:
    """The status on each of the days, from one replay (days are sorted first)."""
    check_arguments(book, program, ledger)
    if not isinstance(days, Iterable) or isinstance(days, (str, dt.date)):
        raise InvalidRecordError("days", days, "must be an iterable of dates")
    ordered = sorted({check_day("days", day) for day in days})
    if not ordered:
        return []
    ledger = ledger if ledger is not None else build_ledger(book, program)
    return [
        _status(book, program, ledger, day, state)
        for day, state in _replay(book, program, ledger, ordered)
    ]


# --- explanation ------------------------------------------------------------------------


def _batch_line(batch: PointBatch) -> str:
    until = f"until {batch.expires_on}" if batch.expires_on else "while it lasts"
    return f"{batch.id}: {batch.rule}; counts from {batch.earned_on} {until}"


def _explain(status: TierStatus, program: Program, ledger: PointsLedger) -> Explanation:
    reasons: list[Reason] = [
        Reason("program", f"{status.program} as of {status.as_of}: {program.title}"),
    ]
    active = ledger.active(status.as_of)
    groups: dict[str, list[PointBatch]] = {
        "sold": [b for b in active if b.track is Track.SOLD],
        "sourced": [b for b in active if b.track is Track.SOLD and b.motion is SalesMotion.SOURCED],
        "assisted": [
            b for b in active if b.track is Track.SOLD and b.motion is SalesMotion.ASSISTED
        ],
        "managed": [b for b in active if b.track is Track.MANAGED],
    }
    groups["sold_mrr_usd"] = groups["sold"]
    groups["managed_mrr_usd"] = groups["managed"]
    shown: set[str] = set()
    for track in program.tracks:
        value = status.values[track.id]
        kind = track.rule
        if kind == "total":
            reasons.append(
                Reason(
                    "track",
                    f"{track.id}: {value} = sold {status.points['sold']} + managed "
                    f"{status.points['managed']}",
                    track.id,
                )
            )
            kinds = ["sold", "managed"]
        elif kind in groups:
            batches = groups[kind]
            use_usd = kind.endswith("_usd")
            parts = " + ".join(f"{b.mrr_usd if use_usd else b.points} ({b.id})" for b in batches)
            reasons.append(
                Reason(
                    "track",
                    f"{track.id}: {value}" + (f" = {parts}" if parts else " (no active batch)"),
                    track.id,
                    tuple(b.id for b in batches),
                )
            )
            kinds = [kind]
        else:
            reasons.append(Reason("track", f"{track.id}: {value} (custom track {kind})", track.id))
            kinds = []
        for group in kinds:
            for batch in groups[group]:
                if batch.id not in shown:
                    shown.add(batch.id)
                    reasons.append(Reason("batch", _batch_line(batch), track.id, (batch.id,), 1))
    for gate in status.gates:
        verdict = "passed" if gate.passed else "failed"
        scope = f" ({', '.join(gate.tiers)})" if gate.tiers else ""
        capped = ""
        if not gate.passed:
            capped = (
                f"; caps the tier at {gate.caps_at}" if gate.caps_at else "; no tier can be held"
            )
        reasons.append(
            Reason("gate", f"gate {gate.name}{scope} {verdict}: {gate.reason}{capped}", gate.name)
        )
    reasons += _tier_reasons(status, program)
    return Explanation(tuple(reasons))


def _comparison(tier: Tier, values: Mapping[str, Decimal], *, keep: bool = False) -> str:
    thresholds = tier.retain_thresholds() if keep else tier.reach
    parts = []
    for track, threshold in thresholds.items():
        value = values[track]  # every track of the program has a value
        if value >= threshold:
            parts.append(f"{track} {value} >= {threshold}")
        else:
            parts.append(f"{track} {value} < {threshold} ({threshold - value} short)")
    return ", ".join(parts)


def _tier_reasons(status: TierStatus, program: Program) -> list[Reason]:
    reasons = []
    values = status.values
    tiers = program.tiers
    points_index = _points_index(tiers, values)
    if points_index >= 0:
        reached = tiers[points_index]
        reasons.append(
            Reason(
                "qualified",
                f"points reach {reached.name}: {_comparison(reached, values)}",
                reached.id,
            )
        )
    if points_index + 1 < len(tiers):
        above = tiers[points_index + 1]
        reasons.append(
            Reason(
                "qualified",
                f"points do not reach {above.name}: {_comparison(above, values)}",
                above.id,
            )
        )
    qualified = status.qualified_tier
    if qualified != (tiers[points_index].id if points_index >= 0 else None):
        reasons.append(
            Reason("qualified", f"gates cap the qualified tier at {qualified or 'untiered'}")
        )
    held = status.tier
    last_change = status.history[-1] if status.history else None
    how = f" (since {last_change.on}: {last_change.reason})" if last_change else ""
    reasons.append(Reason("held", f"tier held: {held or 'untiered'}{how}", held))
    if status.pending_demotion is not None:
        p = status.pending_demotion
        reasons.append(
            Reason(
                "held", f"pending: down to {p.to_tier or 'untiered'} on {p.on} ({p.reason})", held
            )
        )
    if held is not None:
        tier = program.tier(held)
        keep = _comparison(tier, values, keep=True)
        reasons.append(Reason("keep", f"keep {tier.name}: {keep}", held))
    if status.next_tier is not None:
        needs = ", ".join(
            f"{track} {missing}" for track, missing in status.to_next_tier.items() if missing > 0
        )
        reasons.append(
            Reason(
                "next",
                f"to reach {program.tier(status.next_tier).name}: "
                + (f"{needs} more" if needs else "every threshold is met"),
                status.next_tier,
            )
        )
    expiring = ", ".join(
        f"{track} {amount}" for track, amount in status.expiring_before_review.items() if amount
    )
    reasons.append(
        Reason(
            "review",
            f"next review {status.next_review}: "
            + (f"expiring before it: {expiring}" if expiring else "nothing expires before it")
            + f"; projected tier {status.projected_tier or 'untiered'}",
        )
    )
    return reasons
