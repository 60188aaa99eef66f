"""A naive model of the review policy for tests/test_policy.py: it visits every day from
joining and applies the published shape of the policy directly.

Promotions immediately or at reviews (capped by failing gates), demotions only at
reviews, with notice, at most one tier down with a soft landing, an announced demotion
withdrawn when the retain minimums are met again when it lands, and Provider for a
partner with no tier by the first-tier deadline.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from attrs import frozen
from dateutil.relativedelta import relativedelta

import partner_tiers as pt

__all__ = [
    "EVERY_TRACK",
    "OracleState",
    "oracle_cap",
    "oracle_highest",
    "oracle_next_review",
    "oracle_replay",
    "oracle_status",
    "oracle_values",
]


EVERY_TRACK = ("total", "sold", "sourced", "assisted", "managed", "sold_mrr_usd", "managed_mrr_usd")


@frozen
class OracleState:
    held: int = -1
    history: tuple[tuple[dt.date, str | None, str | None, str], ...] = ()
    pending: tuple[dt.date, int, str] | None = None
    ever: bool = False
    provider: bool = False
    shown: int = -1  # the tier held yesterday: the policy's, capped by the gates


def oracle_values(program: pt.Program, ledger: pt.PointsLedger, day: dt.date) -> dict[str, Decimal]:
    totals = ledger.totals(day)
    return {track.id: getattr(totals, track.rule) for track in program.tracks}


def oracle_cap(program: pt.Program, book: pt.Book, ledger: pt.PointsLedger, day: dt.date) -> int:
    ids = [tier.id for tier in program.tiers]
    context = pt.Context(book, ledger, program, day, ledger.totals(day))
    cap = len(ids) - 1
    for gate in program.gates:
        rule = program.registry.gate(gate.kind)
        assert rule is not None
        if not rule(context, gate.params).passed:
            lowest = min(ids.index(t) for t in gate.tiers) if gate.tiers else 0
            cap = min(cap, lowest - 1)
    return cap


def oracle_gate_change(
    program: pt.Program, book: pt.Book, ledger: pt.PointsLedger, day: dt.date, held: int
) -> str:
    """The reason the engine gives when the gates of the held tier change the tier held."""
    ids = [tier.id for tier in program.tiers]
    context = pt.Context(book, ledger, program, day, ledger.totals(day))
    failing = []
    for gate in program.gates:
        lowest = min(ids.index(t) for t in gate.tiers) if gate.tiers else 0
        rule = program.registry.gate(gate.kind)
        assert rule is not None
        outcome = rule(context, gate.params)
        if lowest <= held and not outcome.passed:
            failing.append(f"gate {gate.id} failed on {day}: {outcome.reason}")
    return "; ".join(failing) or f"every gate of the held tier passes again on {day}"


def oracle_highest(
    tiers: Sequence[pt.Tier], values: dict[str, Decimal], keep_up_to: int = -1
) -> int:
    met = [i for i, tier in enumerate(tiers) if tier.met(values, keep=i <= keep_up_to)]
    return max(met, default=-1)


def oracle_replay(book: pt.Book, program: pt.Program, end: dt.date) -> OracleState:
    policy, tiers = program.policy, program.tiers
    ledger = pt.build_ledger(book, program)
    joined = book.partner.joined_on
    months = policy.first_tier_deadline_months
    deadline = None if months is None else joined + relativedelta(months=months)
    review_days = set(policy.reviews(joined - dt.timedelta(days=1), end))
    name = [tier.id for tier in tiers]
    state = OracleState()
    day = joined
    while day <= end:
        held, history, pending = state.held, list(state.history), state.pending
        ever, provider = state.ever, state.provider
        values = oracle_values(program, ledger, day)
        cap = oracle_cap(program, book, ledger, day)

        def tier_of(index: int) -> str | None:
            return name[index] if index >= 0 else None

        def shown(index: int, cap: int = cap) -> str | None:
            return tier_of(min(index, cap))

        # A gate of the held tier failing or recovering changes the tier held that day.
        if shown(held) != tier_of(state.shown):
            gates = oracle_gate_change(program, book, ledger, day, held)
            history.append((day, tier_of(state.shown), shown(held), gates))

        if pending is not None and day >= pending[0]:
            if held >= 0 and tiers[held].met(values, keep=True):
                text = (
                    f"demotion announced for {pending[0]} withdrawn: "
                    f"{tiers[held].name} retain minimums met again"
                )
                history.append((day, shown(held), shown(held), text))
            else:
                if shown(held) != shown(pending[1]):
                    history.append((day, shown(held), shown(pending[1]), pending[2]))
                held = pending[1]
            pending = None
        review = day in review_days
        reached = oracle_highest(tiers, values)
        if (policy.promotion is pt.Promotion.IMMEDIATE or review) and reached > held:
            allowed = min(reached, oracle_cap(program, book, ledger, day))
            if allowed > held:
                when = (
                    "at the review"
                    if policy.promotion is pt.Promotion.AT_REVIEW
                    else "on qualifying"
                )
                history.append(
                    (day, shown(held), name[allowed], f"reached {tiers[allowed].name} {when}")
                )
                held, pending = allowed, None
        if review and held >= 0 and pending is None and not tiers[held].met(values, keep=True):
            target = min(oracle_highest(tiers, values, keep_up_to=held), held - 1)
            if policy.soft_landing:
                target = max(target, held - 1)
            short = ", ".join(
                f"{track} {values[track]} < {tiers[held].retain_for(track)}"
                for track in tiers[held].reach
                if values[track] < tiers[held].retain_for(track)
            )
            reason = f"below the {tiers[held].name} retain minimum at the review of {day} ({short})"
            if policy.soft_landing:
                reason += "; soft landing: one tier down"
            if policy.notice_days == 0:
                if shown(held) != shown(target):
                    history.append((day, shown(held), shown(target), reason))
                held = target
            else:
                pending = (
                    day + dt.timedelta(days=policy.notice_days),
                    target,
                    f"{reason}; notice given on {day}",
                )
        ever = ever or held >= 0
        if review and deadline is not None and day >= deadline and not ever and not provider:
            provider = True
            history.append(
                (
                    day,
                    None,
                    None,
                    f"no tier reached within {months} months of joining on {joined}: "
                    f"moved to Provider at the review of {day}",
                )
            )
        if provider and held >= 0:
            provider = False
        state = OracleState(held, tuple(history), pending, ever, provider, min(held, cap))
        day += dt.timedelta(days=1)
    return state


def oracle_next_review(policy: pt.ReviewPolicy, day: dt.date) -> dt.date:
    after = day + dt.timedelta(days=1)
    while True:
        for text in policy.review_dates:
            month, day_of_month = int(text[:2]), int(text[3:])
            last = calendar.monthrange(after.year, month)[1]
            if (after.month, after.day) == (month, min(day_of_month, last)):
                return after
        after += dt.timedelta(days=1)


def oracle_status(book: pt.Book, program: pt.Program, end: dt.date) -> dict[str, Any]:
    """The status the documented rules give: the replay above, then the tier capped by
    today's gates, what is still needed, and what expires by the next review."""
    tiers = program.tiers
    ledger = pt.build_ledger(book, program)
    state = oracle_replay(book, program, end)
    values = oracle_values(program, ledger, end)
    cap = oracle_cap(program, book, ledger, end)
    held = min(state.held, cap)
    review = oracle_next_review(program.policy, end)
    lost = dict.fromkeys(EVERY_TRACK, Decimal(0))
    for batch in ledger:
        expires = batch.expires_on
        if batch.track is pt.Track.SOLD and expires and batch.earned_on <= end < expires <= review:
            for name in ("sold", "total", str(batch.motion)):
                if name in lost:
                    lost[name] += batch.points
            lost["sold_mrr_usd"] += batch.mrr_usd
    projected = {track.id: values[track.id] - lost[track.rule] for track in program.tracks}
    tier = state.held
    reached = oracle_highest(tiers, projected)
    if reached > tier:
        tier = reached
    elif tier >= 0 and not tiers[tier].met(projected, keep=True):
        target = min(oracle_highest(tiers, projected, keep_up_to=tier), tier - 1)
        tier = max(target, tier - 1) if program.policy.soft_landing else target
    following = held + 1 if held + 1 < len(tiers) else None
    retain = tiers[held].retain_thresholds() if held >= 0 else {}

    def tier_id(index: int | None) -> str | None:
        return None if index is None or index < 0 else tiers[index].id

    return {
        "tier": tier_id(held),
        "qualified_tier": tier_id(min(oracle_highest(tiers, values), cap)),
        "level": "provider" if state.provider and held < 0 else "partner",
        "values": values,
        "next_tier": tier_id(following),
        "next_tier_reach": {} if following is None else dict(tiers[following].reach),
        "to_next_tier": {}
        if following is None
        else {t: max(Decimal(0), v - values[t]) for t, v in tiers[following].reach.items()},
        "retain_minimum": dict(retain),
        "to_keep_tier": {track: values[track] - minimum for track, minimum in retain.items()},
        "next_review": review,
        "expiring_before_review": {track.id: lost[track.rule] for track in program.tracks},
        "projected_tier": tier_id(min(tier, cap)),
        "history": list(state.history),
        "pending": None
        if state.pending is None
        else (state.pending[0], tier_id(state.pending[1]), state.pending[2]),
    }
