"""The ledger as integer events: what the columnar pricing hands the ledger instead of
`PointBatch` objects.

Each batch is a row: the day it starts counting, the day it stops (or none) and what it
adds to each summed figure, in hundredths of a point (or of a USD). The index sorts the
start and end events once and keeps the running sums per figure in int64, so a total on
any day is one binary search; Decimal appears only at the edge, in `EventIndex.at`.

A Decimal sum keeps the exponent of what it added: the object ledger's total of a figure
that no batch has touched yet is ``Decimal("0")``, and ``Decimal("0.00")`` once one has,
even when it nets to zero. The index keeps, per figure, whether a counting event has
happened by each day, so its totals print exactly as the object ledger's do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
from attrs import frozen

from partner_tiers._ledger.batch import FIGURES, LedgerTotals, Track
from partner_tiers._model.columns import NO_END

__all__ = ["NO_END", "EventIndex", "EventRows", "to_decimal_hundredths"]

ZERO = Decimal(0)

SUMMED = tuple(figure.name for figure in FIGURES if figure.name != "total")
"""The figures the index sums, in the order of `LedgerTotals`' fields."""

_SOLD_FIGURES = frozenset(figure.name for figure in FIGURES if figure.track is Track.SOLD)


def to_decimal_hundredths(value: int) -> Decimal:
    """An int of hundredths as the exact Decimal with two places (``150 -> 1.50``)."""
    return Decimal(value).scaleb(-2)


@frozen
class EventRows:
    """The batches of a ledger as columns, one row a batch.

    Attributes:
        earned: the first day each batch counts (``date.toordinal()``).
        expires: the first day it no longer counts; `NO_END` when it never expires.
        values: what it adds to each figure of `SUMMED`, in hundredths, shape (rows, 6).
        counts: whether it counts toward each figure at all (a batch of 0.00 points that
            counts still makes the figure's total print as ``0.00``), same shape.
        sold: whether each batch is a sold batch (else managed).
    """

    earned: Any
    expires: Any
    values: Any
    counts: Any
    sold: Any

    def __len__(self) -> int:
        return len(self.earned)

    @classmethod
    def join(cls, parts: Sequence[EventRows]) -> EventRows:
        """The rows of every part, in order."""
        return cls(
            earned=np.concatenate([part.earned for part in parts]),
            expires=np.concatenate([part.expires for part in parts]),
            values=np.concatenate([part.values for part in parts]),
            counts=np.concatenate([part.counts for part in parts]),
            sold=np.concatenate([part.sold for part in parts]),
        )

    def within(self, start: dt.date | None, end: dt.date | None) -> EventRows:
        """What a program version in force from ``start`` until ``end`` (None: open)
        keeps of these rows: the sold rows earned in its days, and the part of each
        managed row inside them (managed points are a level, priced day by day)."""
        low = start.toordinal() if start is not None else 0
        high = end.toordinal() if end is not None else NO_END
        # A sold row it keeps starts in its days already: only managed rows are cut.
        earned = np.maximum(self.earned, low)
        expires = np.where(self.sold, self.expires, np.minimum(self.expires, high))
        keep = np.where(self.sold, (low <= self.earned) & (self.earned < high), earned < expires)
        return EventRows(
            earned=earned[keep],
            expires=expires[keep],
            values=self.values[keep],
            counts=self.counts[keep],
            sold=self.sold[keep],
        )


class EventIndex:
    """Running sums of the figures over the sorted event days of some `EventRows`."""

    __slots__ = ("_days", "_expiring", "_known", "_rows", "_sums", "_touched")

    def __init__(self, rows: EventRows) -> None:
        self._rows = rows
        ends = rows.expires != NO_END
        days = np.concatenate([rows.earned, rows.expires[ends]])
        deltas = np.concatenate([rows.values, -rows.values[ends]])
        order = np.argsort(days)  # the order within a day does not matter: its sums do
        days = days[order]
        last = np.ones(len(days), dtype=bool)
        last[:-1] = days[1:] != days[:-1]  # the last event of each day
        self._days = days[last]
        self._sums = np.cumsum(deltas[order], axis=0)[last]
        # A figure is touched from the first day a batch that counts toward it starts.
        first = np.where(rows.counts, rows.earned[:, None], NO_END).min(axis=0, initial=NO_END)
        self._touched = self._days[:, None] >= first[None, :]
        self._known: dict[dt.date, LedgerTotals] = {}  # the replay asks a day many times
        self._expiring: tuple[Any, Any, Any, Any] | None = None

    @property
    def rows(self) -> int:
        """How many batches the index sums."""
        return len(self._rows)

    def days(self) -> list[dt.date]:
        """Every day on which a batch starts or stops counting, sorted."""
        return [dt.date.fromordinal(day) for day in self._days.tolist()]

    def at(self, day: dt.date) -> LedgerTotals:
        """The totals on the day."""
        totals = self._known.get(day)
        if totals is None:
            totals = self._known[day] = self._at(day)
        return totals

    def _at(self, day: dt.date) -> LedgerTotals:
        position = int(np.searchsorted(self._days, day.toordinal(), side="right"))
        if position == 0:
            return LedgerTotals()
        sums = self._sums[position - 1].tolist()
        touched = self._touched[position - 1].tolist()
        return LedgerTotals(
            **{
                name: to_decimal_hundredths(sums[i]) if touched[i] else ZERO
                for i, name in enumerate(SUMMED)
            }
        )

    def _sold_by_expiry(self) -> tuple[Any, Any, Any, Any]:
        """The sold rows that expire, sorted by expiry: expires, earned, values, counts."""
        if self._expiring is None:
            rows = self._rows
            ending = np.flatnonzero(rows.sold & (rows.expires != NO_END))
            ending = ending[np.argsort(rows.expires[ending])]  # sums: any order
            self._expiring = (
                rows.expires[ending],
                rows.earned[ending],
                rows.values[ending],
                rows.counts[ending],
            )
        return self._expiring

    def figures(self, days: Sequence[dt.date]) -> dict[str, Any]:
        """Every figure (``total`` included) on each of the days, in hundredths: one
        int64 array per figure name."""
        ordinals = np.fromiter((day.toordinal() for day in days), np.int64, len(days))
        position = np.searchsorted(self._days, ordinals, side="right") - 1
        sums = np.zeros_like(self._sums, shape=(len(ordinals), len(SUMMED)))
        counted = position >= 0  # on a day before the first event, every figure is 0
        sums[counted] = self._sums[position[counted]]
        found = {name: sums[:, i] for i, name in enumerate(SUMMED)}
        found["total"] = found["sold"] + found["managed"]
        return found

    def sold_expiring(self, as_of: dt.date, review: dt.date) -> dict[str, Decimal]:
        """What the sold batches counting on as_of that expire by the review add to each
        figure (``total`` included), as the object ledger sums it."""
        expires, earned, values, counts = self._sold_by_expiry()
        day, last = as_of.toordinal(), review.toordinal()
        # The rows expiring in (as_of, review] are a run of the rows sorted by expiry.
        low, high = np.searchsorted(expires, [day, last], side="right").tolist()
        lost = earned[low:high] <= day
        sums = values[low:high][lost].sum(axis=0).tolist()
        touched = counts[low:high][lost].any(axis=0).tolist()
        found = {
            name: to_decimal_hundredths(sums[i]) if touched[i] else ZERO
            for i, name in enumerate(SUMMED)
            if name in _SOLD_FIGURES
        }
        found["total"] = found["sold"]  # every sold batch counts toward both
        return found
