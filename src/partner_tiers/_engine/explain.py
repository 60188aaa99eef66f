"""Explanations: every number of a decision traced to the rule and the batches behind it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Protocol

from attrs import frozen

from partner_tiers._engine.qualify import points_index
from partner_tiers._ledger.batch import FIGURES, PointBatch
from partner_tiers._ledger.ledger import PointsLedger
from partner_tiers._rules.gates import GateResult
from partner_tiers._rules.ladder import Tier
from partner_tiers._rules.program import Program

__all__ = ["Explained", "Explanation", "Reason", "explain_status", "explain_untraced"]


@frozen
class Reason:
    """One line of an explanation.

    Attributes:
        topic: what the line is about: ``program``, ``track``, ``batch``, ``gate``,
            ``qualified``, ``held``, ``keep``, ``next``, ``review``.
        text: the line, for people.
        subject: the track, gate or tier the line is about, if any.
        batches: the ids of the ledger batches behind the number.
        depth: 0 for a headline, 1 for a detail under it.
    """

    topic: str
    text: str
    subject: str | None = None
    batches: tuple[str, ...] = ()
    depth: int = 0

    def __str__(self) -> str:
        return "  " * self.depth + self.text


@frozen
class Explanation:
    """A structured explanation; ``str()`` gives it as text, one reason per line.

    Attributes:
        reasons: the lines, in reading order.
    """

    reasons: tuple[Reason, ...]

    def __str__(self) -> str:
        return "\n".join(str(reason) for reason in self.reasons)

    def lines(self) -> list[str]:
        """The explanation as lines of text."""
        return [str(reason) for reason in self.reasons]

    def about(self, topic: str) -> tuple[Reason, ...]:
        """The reasons on one topic."""
        return tuple(reason for reason in self.reasons if reason.topic == topic)


# The status is described by what an explanation reads from it, not imported: the status
# module imports this one to explain itself.


class _Change(Protocol):
    @property
    def on(self) -> dt.date: ...
    @property
    def to_tier(self) -> str | None: ...
    @property
    def reason(self) -> str: ...
    @property
    def version(self) -> str | None: ...


class Explained(Protocol):
    """What an explanation reads from a tier status (`TierStatus` has all of it)."""

    @property
    def as_of(self) -> dt.date: ...
    @property
    def program(self) -> str: ...
    @property
    def tier(self) -> str | None: ...
    @property
    def qualified_tier(self) -> str | None: ...
    @property
    def values(self) -> Mapping[str, Decimal]: ...
    @property
    def points(self) -> Mapping[str, Decimal]: ...
    @property
    def next_tier(self) -> str | None: ...
    @property
    def to_next_tier(self) -> Mapping[str, Decimal]: ...
    @property
    def gates(self) -> Sequence[GateResult]: ...
    @property
    def next_review(self) -> dt.date: ...
    @property
    def expiring_before_review(self) -> Mapping[str, Decimal]: ...
    @property
    def projected_tier(self) -> str | None: ...
    @property
    def history(self) -> Sequence[_Change]: ...
    @property
    def pending_demotion(self) -> _Change | None: ...


def explain_status(status: Explained, program: Program, ledger: PointsLedger) -> Explanation:
    """Every number of the status traced to the program's rules and the ledger's batches."""
    reasons = [Reason("program", f"{status.program} as of {status.as_of}: {program.title}")]
    reasons += _track_reasons(status, program, ledger)
    reasons += [_gate_reason(gate) for gate in status.gates]
    reasons += _tier_reasons(status, program)
    return Explanation(tuple(reasons))


def explain_untraced(status: Explained) -> Explanation:
    """What a status with no program and ledger behind it can say: its gates, and that
    its other numbers cannot be traced."""
    headline = (
        f"{status.program} as of {status.as_of}: made without its program and ledger, "
        "so its points and tiers cannot be traced (evaluate gives a status that can)"
    )
    return Explanation((Reason("program", headline), *map(_gate_reason, status.gates)))


def _batch_line(batch: PointBatch) -> str:
    until = f"until {batch.expires_on}" if batch.expires_on else "while it lasts"
    return f"{batch.id}: {batch.rule}; counts from {batch.earned_on} {until}"


def _batch_groups(ledger: PointsLedger, day: dt.date) -> dict[str, list[PointBatch]]:
    """The batches active on the day behind each built-in track kind."""
    active = ledger.active(day)
    return {
        figure.name: [batch for batch in active if figure.counts(batch.track, batch.motion)]
        for figure in FIGURES
        if figure.name != "total"
    }


def _track_reasons(status: Explained, program: Program, ledger: PointsLedger) -> list[Reason]:
    """A line per track, each followed by the batches behind it not shown above it."""
    groups = _batch_groups(ledger, status.as_of)
    reasons: list[Reason] = []
    shown: set[str] = set()
    for track in program.tracks:
        value = status.values[track.id]
        kind = track.rule
        if kind == "total":
            points = status.points
            text = f"{track.id}: {value} = sold {points['sold']} + managed {points['managed']}"
            reasons.append(Reason("track", text, track.id))
            kinds = ["sold", "managed"]
        elif kind in groups:
            batches = groups[kind]
            use_usd = kind.endswith("_usd")
            parts = " + ".join(f"{b.mrr_usd if use_usd else b.points} ({b.id})" for b in batches)
            text = f"{track.id}: {value}" + (f" = {parts}" if parts else " (no active batch)")
            reasons.append(Reason("track", text, track.id, tuple(b.id for b in batches)))
            kinds = [kind]
        else:
            reasons.append(Reason("track", f"{track.id}: {value} (custom track {kind})", track.id))
            kinds = []
        for batch in (batch for group in kinds for batch in groups[group]):
            if batch.id not in shown:
                shown.add(batch.id)
                reasons.append(Reason("batch", _batch_line(batch), track.id, (batch.id,), 1))
    return reasons


def _gate_reason(gate: GateResult) -> Reason:
    verdict = "passed" if gate.passed else "failed"
    scope = f" ({', '.join(gate.tiers)})" if gate.tiers else ""
    capped = ""
    if not gate.passed:
        capped = f"; caps the tier at {gate.caps_at}" if gate.caps_at else "; no tier can be held"
    return Reason("gate", f"gate {gate.name}{scope} {verdict}: {gate.reason}{capped}", gate.name)


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


def _tier_reasons(status: Explained, program: Program) -> list[Reason]:
    return [
        *_qualified_reasons(status, program),
        *_held_reasons(status, program),
        *_next_reasons(status, program),
    ]


def _qualified_reasons(status: Explained, program: Program) -> list[Reason]:
    """The tier the points reach, the one above they miss, and the gates' cap."""
    reasons = []
    values = status.values
    tiers = program.tiers
    reached = points_index(tiers, values)
    if reached >= 0:
        tier = tiers[reached]
        text = f"points reach {tier.name}: {_comparison(tier, values)}"
        reasons.append(Reason("qualified", text, tier.id))
    if reached + 1 < len(tiers):
        above = tiers[reached + 1]
        text = f"points do not reach {above.name}: {_comparison(above, values)}"
        reasons.append(Reason("qualified", text, above.id))
    qualified = status.qualified_tier
    if qualified != (tiers[reached].id if reached >= 0 else None):
        text = f"gates cap the qualified tier at {qualified or 'untiered'}"
        reasons.append(Reason("qualified", text))
    return reasons


def _held_reasons(status: Explained, program: Program) -> list[Reason]:
    """The tier held and since when, a pending demotion, and what keeping it takes."""
    held = status.tier
    last_change = status.history[-1] if status.history else None
    how = f" (since {last_change.on}: {last_change.reason})" if last_change else ""
    reasons = [Reason("held", f"tier held: {held or 'untiered'}{how}", held)]
    if last_change is not None and last_change.version not in (None, status.program):
        text = f"decided under {last_change.version}, the version in force on {last_change.on}"
        reasons.append(Reason("held", text, held, depth=1))
    pending = status.pending_demotion
    if pending is not None:
        down_to = pending.to_tier or "untiered"
        text = f"pending: down to {down_to} on {pending.on} ({pending.reason})"
        reasons.append(Reason("held", text, held))
    if held is not None:
        tier = program.tier(held)
        keep = _comparison(tier, status.values, keep=True)
        reasons.append(Reason("keep", f"keep {tier.name}: {keep}", held))
    return reasons


def _next_reasons(status: Explained, program: Program) -> list[Reason]:
    """What the next tier needs, and what the next review brings."""
    reasons = []
    if status.next_tier is not None:
        needs = ", ".join(
            f"{track} {missing}" for track, missing in status.to_next_tier.items() if missing > 0
        )
        text = f"to reach {program.tier(status.next_tier).name}: " + (
            f"{needs} more" if needs else "every threshold is met"
        )
        reasons.append(Reason("next", text, status.next_tier))
    expiring = ", ".join(
        f"{track} {amount}" for track, amount in status.expiring_before_review.items() if amount
    )
    text = (
        f"next review {status.next_review}: "
        + (f"expiring before it: {expiring}" if expiring else "nothing expires before it")
        + f"; projected tier {status.projected_tier or 'untiered'}"
    )
    reasons.append(Reason("review", text))
    return reasons
