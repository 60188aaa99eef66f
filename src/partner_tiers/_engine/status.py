"""The records of a decision: a tier status on one date and the tier changes behind it,
and the status as HTML tables."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from attrs import field, fields, frozen

from partner_tiers._engine.explain import Explanation, explain_status, explain_untraced
from partner_tiers._engine.receipt import Receipt
from partner_tiers._html import table_html
from partner_tiers._ledger.ledger import PointsLedger
from partner_tiers._model.values import frozen_map
from partner_tiers._rules.gates import GateResult
from partner_tiers._rules.program import Program

__all__ = [
    "ChangeCause",
    "TierChange",
    "TierStatus",
    "gate_guards",
    "gates_table",
    "status_html",
    "tracks_table",
]


class ChangeCause(enum.StrEnum):
    """Why the held tier changed (or, for a withdrawn demotion, why it did not)."""

    PROMOTION = "promotion"
    REVIEW_DEMOTION = "review_demotion"
    DEMOTION_WITHDRAWN = "demotion_withdrawn"
    GATE_FAILED = "gate_failed"
    GATE_RECOVERED = "gate_recovered"
    VERSION_SWITCH = "version_switch"
    FIRST_TIER_DEADLINE = "first_tier_deadline"


@frozen
class TierChange:
    """A change of the held tier found by the replay.

    Attributes:
        on: the day it took effect.
        from_tier: the tier before (None: untiered).
        to_tier: the tier after (None: untiered).
        reason: why, in words.
        cause: what kind of event it was (None for a change made by hand).
        version: the ``name@version`` of the program version in force that day.
    """

    on: dt.date
    from_tier: str | None
    to_tier: str | None
    reason: str
    cause: ChangeCause | None = None
    version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: on, from_tier, to_tier, cause, version and reason."""
        return {
            "on": self.on.isoformat(),
            "from_tier": self.from_tier,
            "to_tier": self.to_tier,
            "cause": None if self.cause is None else str(self.cause),
            "version": self.version,
            "reason": self.reason,
        }


@frozen
class TierStatus:
    """The decision for one partner on one date, with every number behind it.

    Attributes:
        as_of: the date of the evaluation.
        program: the ``name@version`` of the program version in force on as_of (under
            a `ProgramSeries`, the version that judged the day).
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
        known_at: the day whose knowledge of the book was judged (`Book.known_at`);
            None: every record.
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
    known_at: dt.date | None = None
    # What the explanation is traced to; a status made by hand carries neither.
    _program: Program | None = field(default=None, eq=False, repr=False, alias="_program")
    _ledger: PointsLedger | None = field(default=None, eq=False, repr=False, alias="_ledger")
    _explanation: Explanation | None = field(init=False, default=None, eq=False, repr=False)
    # The receipt, or how to make it on first use (hashing is not free).
    _receipt: Receipt | Callable[[], Receipt] | None = field(
        default=None, eq=False, repr=False, alias="_receipt"
    )

    @property
    def receipt(self) -> Receipt | None:
        """What the decision was made from: program and book hashes, dates, library
        version (see `Receipt`); None for a status made by hand."""
        if callable(self._receipt):
            object.__setattr__(self, "_receipt", self._receipt())  # a cache, not a change
        return self._receipt if isinstance(self._receipt, Receipt) else None

    def explain(self) -> Explanation:
        """Every number of the status traced to the rule and the ledger batches behind it.

        The explanation is worked out on first use and kept. A status made by hand, with
        no program and ledger behind it, explains only its gates and says that the rest
        cannot be traced.
        """
        if self._explanation is None:
            if self._program is None or self._ledger is None:
                explanation = explain_untraced(self)
            else:
                explanation = explain_status(self, self._program, self._ledger)
            object.__setattr__(self, "_explanation", explanation)  # a cache, not a change
            return explanation
        return self._explanation

    def __getstate__(self) -> dict[str, object]:
        # A pickled status carries its explanation, not the program and ledger it is
        # traced to: they are large, and a program's custom rules need not pickle.
        state = {name: getattr(self, name) for name in _FIELD_NAMES}
        state.update(
            _program=None, _ledger=None, _explanation=self.explain(), _receipt=self.receipt
        )
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    @property
    def held_since(self) -> dt.date | None:
        """The day the held tier was reached: the last change of the history, when it
        led to the tier held (None when untiered or when the history does not say)."""
        if self.tier is None or not self.history or self.history[-1].to_tier != self.tier:
            return None
        return self.history[-1].on

    @property
    def reasons(self) -> list[str]:
        """The explanation as lines of text."""
        return self.explain().lines()

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: keys as_of, program (the version in force), tier,
        qualified_tier, points, next_tier, to_next_tier, to_keep_tier, gates, history
        (each change with its cause and version), pending_demotion, reasons, known_at
        (None: every record) and receipt (None for a status made by hand), decimals as
        strings; and held_since, next_tier_reach, retain_minimum, expiring_before_review,
        and per gate the ``tiers`` it guards (empty: every tier) and the tier it
        ``caps_at`` when it fails."""
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
                {
                    "name": gate.name,
                    "passed": gate.passed,
                    "reason": gate.reason,
                    "tiers": list(gate.tiers),
                    "caps_at": gate.caps_at,
                }
                for gate in self.gates
            ],
            "held_since": None if self.held_since is None else self.held_since.isoformat(),
            "next_tier_reach": {name: str(value) for name, value in self.next_tier_reach.items()},
            "retain_minimum": {name: str(value) for name, value in self.retain_minimum.items()},
            "expiring_before_review": {
                name: str(value) for name, value in self.expiring_before_review.items()
            },
            "next_review": self.next_review.isoformat(),
            "projected_tier": self.projected_tier,
            "history": [change.to_dict() for change in self.history],
            "pending_demotion": (
                None if self.pending_demotion is None else self.pending_demotion.to_dict()
            ),
            "reasons": self.reasons,
            "known_at": None if self.known_at is None else self.known_at.isoformat(),
            "receipt": None if self.receipt is None else self.receipt.to_dict(),
        }

    def _repr_html_(self) -> str:
        return status_html(self)


_FIELD_NAMES = tuple(attribute.name for attribute in fields(TierStatus))


def tracks_table(status: TierStatus) -> str:
    """Tracks against the next tier's reach lines and the held tier's retain lines."""
    caption = (
        f"Tier {status.tier or 'untiered'} (qualified {status.qualified_tier or 'untiered'})"
        f" - {status.program} as of {status.as_of}"
    )
    return table_html(
        ["track", "value", f"next tier ({status.next_tier or '-'}) line", "retain line", "surplus"],
        (
            [
                track,
                value,
                status.next_tier_reach.get(track, ""),
                status.retain_minimum.get(track, ""),
                status.to_keep_tier.get(track, ""),
            ]
            for track, value in status.values.items()
        ),
        caption,
    )


def gate_guards(gate: GateResult) -> str:
    """The tiers a gate guards, in words, and what its failure leaves: "every tier", or
    "elite only; capped at diamond" for a failed gate that guards only Elite."""
    guards = ", ".join(gate.tiers) + " only" if gate.tiers else "every tier"
    if gate.passed:
        return guards
    return f"{guards}; capped at {gate.caps_at or 'untiered'}"


def gates_table(status: TierStatus) -> str:
    """Every gate with passed or failed, the tiers it guards and its reason."""
    return table_html(
        ["gate", "passed", "guards", "reason"],
        (
            [gate.name, "yes" if gate.passed else "no", gate_guards(gate), gate.reason]
            for gate in status.gates
        ),
        "Gates",
    )


def status_html(status: TierStatus) -> str:
    """A tier status as HTML: tier, tracks against the next tier and retain lines, gates."""
    return f"<div class='partner-tiers-status'>{tracks_table(status)}{gates_table(status)}</div>"
