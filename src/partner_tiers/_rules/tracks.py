"""Tracks: named metrics of a book on a date that tier thresholds compare against.

The built-in tracks read the ledger: sold, sourced, assisted, managed and total points,
and the legacy metrics sold_mrr_usd (12-month sold MRR) and managed_mrr_usd. A program
may also use a custom track: a `TrackRule` registered in a
`partner_tiers.Registry`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Protocol

from attrs import field, frozen

from partner_tiers._ledger.batch import FIGURES, LedgerTotals
from partner_tiers._model.values import FrozenMap, frozen_map
from partner_tiers._rules.context import Context

__all__ = ["BUILTIN_TRACKS", "TrackRule", "TrackSpec"]


class TrackRule(Protocol):
    """A custom track: computes one exact value for a book on a date.

    Example::

        def clients_served(context: Context, params: Mapping[str, Any]) -> Decimal:
            return Decimal(len(context.book.clients))
    """

    def __call__(self, context: Context, params: Mapping[str, Any], /) -> Decimal: ...


BUILTIN_TRACKS: Mapping[str, str] = FrozenMap(
    {figure.name: figure.description for figure in FIGURES}
)
"""The built-in tracks by kind, with what each one measures."""


def builtin_value(kind: str, totals: LedgerTotals) -> Decimal:
    """The value of a built-in track, read off the ledger's totals."""
    value: Decimal = getattr(totals, kind)
    return value


@frozen
class TrackSpec:
    """A track a program uses.

    Attributes:
        id: the name thresholds use, e.g. ``total`` or ``sourced``.
        kind: a built-in track kind, or the name of a registered custom track;
            defaults to the id.
        params: parameters for a custom track.
        label: the name shown to people.
        unit: ``points`` or ``USD``.
    """

    id: str
    kind: str = ""
    params: Mapping[str, Any] = field(factory=dict, converter=frozen_map)
    label: str = ""
    unit: str = "points"

    @property
    def rule(self) -> str:
        """The kind, falling back to the id."""
        return self.kind or self.id
