"""Why two statuses differ: every track's change split into causes, each with the ledger
batches behind it, and the tier change with the gates, the program versions and the
replay's tier changes between them.

A built-in track is a sum over the ledger's batches (`FIGURES`), so its change is the
sum over batches of (contribution after - contribution before); each batch falls into
exactly one cause, and the causes add up to the change exactly.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from attrs import frozen

from partner_tiers._engine.status import TierChange, TierStatus
from partner_tiers._errors import InvalidRecordError, InvalidTypeError, UnknownIdError
from partner_tiers._ledger.batch import FIGURES, Figure, PointBatch, Track
from partner_tiers._ledger.ledger import PointsLedger
from partner_tiers._rules.program import Program

__all__ = [
    "Cause",
    "CauseKind",
    "Difference",
    "GateChange",
    "TrackDifference",
    "explain_difference",
]

ZERO = Decimal(0)
_FIGURES = {figure.name: figure for figure in FIGURES}


class CauseKind(enum.StrEnum):
    """What moved a track between two statuses."""

    RECORDED_LATE = "recorded_late"
    """Batches effective on or before the first as-of date that only one status knew:
    records recorded between the two known-at days."""
    EFFECTIVE_IN_WINDOW = "effective_in_window"
    """Sold batches that started counting between the two as-of dates: new deals,
    downgrades and churn."""
    EXPIRED = "expired"
    """Sold batches that stopped counting between the two as-of dates."""
    MANAGED_CHANGE = "managed_change"
    """Managed pieces that started or stopped between the two dates: new or ended
    services and MRR changes (managed points are a level, priced per MRR piece)."""
    REPRICED = "repriced"
    """Batches counting in both with other points: another program version, or a rate
    that a late-recorded first sale of the product line changed (grandfathering)."""
    PROGRAM_SWITCH = "program_switch"
    """A track that only one of the two program versions has."""
    CUSTOM_TRACK = "custom_track"
    """A custom track, computed by its own rule rather than from batches."""


@frozen
class Cause:
    """One cause of a track's change, with the batches behind it.

    Attributes:
        kind: what kind of cause.
        amount: its part of the change (the sum of the items' amounts).
        items: ``(batch id, amount)`` pairs, largest change first; empty for a custom
            track or a program switch.
    """

    kind: CauseKind
    amount: Decimal
    items: tuple[tuple[str, Decimal], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data: kind, amount and items (id and amount), decimals as strings."""
        return {
            "kind": str(self.kind),
            "amount": str(self.amount),
            "items": [{"id": item, "amount": str(amount)} for item, amount in self.items],
        }


@frozen
class TrackDifference:
    """One track before and after, and the causes that add up to the change.

    Attributes:
        track: the track's id.
        before: its value in the first status (zero when that version lacks it).
        after: its value in the second.
        change: after - before; exactly the sum of the causes' amounts.
        causes: the causes, in `CauseKind` order, only those with a change.
    """

    track: str
    before: Decimal
    after: Decimal
    change: Decimal
    causes: tuple[Cause, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data: track, before, after, change and causes."""
        return {
            "track": self.track,
            "before": str(self.before),
            "after": str(self.after),
            "change": str(self.change),
            "causes": [cause.to_dict() for cause in self.causes],
        }


@frozen
class GateChange:
    """A gate whose outcome differs between the two statuses.

    Attributes:
        name: the gate's name.
        passed_before: its outcome in the first status (None: no such gate then).
        passed_after: its outcome in the second (None: no such gate then).
        reason: the second status's reason (the first's when the gate is gone).
    """

    name: str
    passed_before: bool | None
    passed_after: bool | None
    reason: str


@frozen
class Difference:
    """Why two statuses of one book differ (`explain_difference`).

    Attributes:
        before: as_of, known_at, program and tier of the first status.
        after: the same of the second.
        tracks: every track's change with its causes.
        tier_before: the tier held in the first status.
        tier_after: the tier held in the second.
        tier_changes: the replay's tier changes after the first as-of date, up to the
            second (each with its cause and version).
        gate_changes: the gates whose outcome changed.
        program_switch: ``(before, after)`` version labels when they differ, else None.
    """

    before: tuple[dt.date, dt.date | None, str]
    after: tuple[dt.date, dt.date | None, str]
    tracks: tuple[TrackDifference, ...]
    tier_before: str | None
    tier_after: str | None
    tier_changes: tuple[TierChange, ...]
    gate_changes: tuple[GateChange, ...]
    program_switch: tuple[str, str] | None

    def track(self, track_id: str) -> TrackDifference:
        """The difference of one track.

        Raises:
            UnknownIdError: when neither status has the track.
        """
        for track in self.tracks:
            if track.track == track_id:
                return track
        raise UnknownIdError("track", track_id, "neither status has this track")

    def lines(self) -> list[str]:
        """The difference in words, one cause and one batch per line."""
        return list(_lines(self))

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: before, after, tier, tier_changes, gate_changes,
        program_switch and tracks; decimals as strings."""

        def side(value: tuple[dt.date, dt.date | None, str]) -> dict[str, Any]:
            as_of, known_at, program = value
            known = None if known_at is None else known_at.isoformat()
            return {"as_of": as_of.isoformat(), "known_at": known, "program": program}

        return {
            "before": side(self.before),
            "after": side(self.after),
            "tier": {"before": self.tier_before, "after": self.tier_after},
            "tier_changes": [change.to_dict() for change in self.tier_changes],
            "gate_changes": [
                {
                    "name": gate.name,
                    "passed_before": gate.passed_before,
                    "passed_after": gate.passed_after,
                    "reason": gate.reason,
                }
                for gate in self.gate_changes
            ],
            "program_switch": None if self.program_switch is None else list(self.program_switch),
            "tracks": [track.to_dict() for track in self.tracks],
        }


def explain_difference(before: TierStatus, after: TierStatus) -> Difference:
    """Why ``after`` differs from ``before``: two statuses of one book from `evaluate`,
    at any as-of and known-at days (typically two month ends, or one review day as known
    then and as known now).

    Every track's change is split into causes (`CauseKind`) whose amounts add up to it
    exactly: each ledger batch whose contribution differs falls into one cause. The tier
    change comes with the gates whose outcome changed, the program switch, and the
    replay's tier changes between the two as-of dates.

    Raises:
        InvalidTypeError: when before or after is not a `TierStatus`.
        InvalidRecordError: when a status was made by hand, with no ledger behind it.
    """
    sides = [_traced(name, status) for name, status in (("before", before), ("after", after))]
    (program_a, ledger_a), (program_b, ledger_b) = sides
    ids = list(dict.fromkeys([*before.values, *after.values]))
    tracks = tuple(
        _track(track, before, after, (program_a, ledger_a), (program_b, ledger_b)) for track in ids
    )
    start, end = sorted((before.as_of, after.as_of))
    return Difference(
        before=(before.as_of, before.known_at, before.program),
        after=(after.as_of, after.known_at, after.program),
        tracks=tracks,
        tier_before=before.tier,
        tier_after=after.tier,
        tier_changes=tuple(c for c in after.history if start < c.on <= end),
        gate_changes=_gate_changes(before, after),
        program_switch=None if before.program == after.program else (before.program, after.program),
    )


def _traced(name: str, status: object) -> tuple[Program, PointsLedger]:
    if not isinstance(status, TierStatus):
        raise InvalidTypeError(name, status, "must be a TierStatus from pt.evaluate")
    program, ledger = status._program, status._ledger
    if program is None or ledger is None:
        raise InvalidRecordError(name, status.as_of, "has no ledger behind it: use pt.evaluate")
    return program, ledger


def _figure(program: Program, track: str) -> Figure | None:
    """The figure a built-in track of the program reads (None: custom or absent)."""
    for spec in program.tracks:
        if spec.id == track and program.registry.track(spec.rule) is None:
            return _FIGURES.get(spec.rule)
    return None


def _track(
    track: str,
    before: TierStatus,
    after: TierStatus,
    side_a: tuple[Program, PointsLedger],
    side_b: tuple[Program, PointsLedger],
) -> TrackDifference:
    value_a, value_b = before.values.get(track, ZERO), after.values.get(track, ZERO)
    change = value_b - value_a
    figure_a, figure_b = _figure(side_a[0], track), _figure(side_b[0], track)
    causes: tuple[Cause, ...]
    if track not in before.values or track not in after.values:
        causes = (Cause(CauseKind.PROGRAM_SWITCH, change),) if change else ()
    elif figure_a is None or figure_b is None or figure_a != figure_b:
        causes = (Cause(CauseKind.CUSTOM_TRACK, change),) if change else ()
    else:
        causes = _batch_causes(figure_a, before.as_of, after.as_of, side_a[1], side_b[1])
    return TrackDifference(track, value_a, value_b, change, causes)


def _batch_causes(
    figure: Figure, day_a: dt.date, day_b: dt.date, ledger_a: PointsLedger, ledger_b: PointsLedger
) -> tuple[Cause, ...]:
    batches_a = {batch.id: batch for batch in ledger_a.batches}
    batches_b = {batch.id: batch for batch in ledger_b.batches}
    found: dict[CauseKind, list[tuple[str, Decimal]]] = {}
    for batch_id in dict.fromkeys([*batches_a, *batches_b]):
        a, b = batches_a.get(batch_id), batches_b.get(batch_id)
        part_a = figure.of(a) if a is not None and a.active_on(day_a) else ZERO
        part_b = figure.of(b) if b is not None and b.active_on(day_b) else ZERO
        if part_a != part_b:
            kind = _cause_of(a, b, day_a, day_b)
            found.setdefault(kind, []).append((batch_id, part_b - part_a))
    return tuple(
        Cause(kind, sum((amount for _, amount in found[kind]), ZERO), _ordered(found[kind]))
        for kind in CauseKind
        if kind in found
    )


def _ordered(items: list[tuple[str, Decimal]]) -> tuple[tuple[str, Decimal], ...]:
    return tuple(sorted(items, key=lambda item: (-abs(item[1]), item[0])))


def _cause_of(
    a: PointBatch | None, b: PointBatch | None, day_a: dt.date, day_b: dt.date
) -> CauseKind:
    """The one cause of a batch's changed contribution (see `CauseKind`)."""
    batch = b if b is not None else a
    assert batch is not None
    first = min(day_a, day_b)
    if a is None or b is None:
        # Known to one status only: late when it was effective by the first day.
        if batch.earned_on <= first:
            return CauseKind.RECORDED_LATE
    elif a.active_on(day_a) and b.active_on(day_b):
        return CauseKind.REPRICED
    if batch.track is Track.MANAGED:
        return CauseKind.MANAGED_CHANGE
    earned = batch.earned_on
    if earned > first:
        return CauseKind.EFFECTIVE_IN_WINDOW
    return CauseKind.EXPIRED


def _gate_changes(before: TierStatus, after: TierStatus) -> tuple[GateChange, ...]:
    gates_a = {gate.name: gate for gate in before.gates}
    gates_b = {gate.name: gate for gate in after.gates}
    changes = []
    for name in dict.fromkeys([*gates_a, *gates_b]):
        a, b = gates_a.get(name), gates_b.get(name)
        passed_a = None if a is None else a.passed
        passed_b = None if b is None else b.passed
        shown = b if b is not None else a
        if passed_a != passed_b and shown is not None:
            changes.append(GateChange(name, passed_a, passed_b, shown.reason))
    return tuple(changes)


def _lines(difference: Difference) -> Iterator[str]:
    (as_of_a, known_a, program_a), (as_of_b, known_b, program_b) = (
        difference.before,
        difference.after,
    )

    def when(as_of: dt.date, known: dt.date | None) -> str:
        return f"{as_of}" + ("" if known is None else f" (known at {known})")

    yield f"{when(as_of_a, known_a)} -> {when(as_of_b, known_b)}"
    tier_a, tier_b = difference.tier_before or "untiered", difference.tier_after or "untiered"
    yield f"tier: {tier_a} -> {tier_b}"
    if difference.program_switch is not None:
        yield f"  program version: {program_a} -> {program_b}"
    for change in difference.tier_changes:
        moved = f"{change.from_tier} -> {change.to_tier}"
        yield f"  {change.on}: {moved} ({change.cause}): {change.reason}"
    for gate in difference.gate_changes:
        moved = f"{_passed(gate.passed_before)} -> {_passed(gate.passed_after)}"
        yield f"  gate {gate.name}: {moved}: {gate.reason}"
    for track in difference.tracks:
        yield f"{track.track}: {track.before} -> {track.after} ({_signed(track.change)})"
        for cause in track.causes:
            yield f"  {cause.kind}: {_signed(cause.amount)}"
            for item, amount in cause.items:
                yield f"    {item}: {_signed(amount)}"


def _passed(passed: bool | None) -> str:
    return "absent" if passed is None else "passed" if passed else "failed"


def _signed(amount: Decimal) -> str:
    return f"+{amount}" if amount >= 0 else str(amount)
