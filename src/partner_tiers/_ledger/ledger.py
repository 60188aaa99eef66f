"""The points ledger: immutable point batches and exact as-of queries over them.

A batch is active from ``earned_on`` (inclusive) to ``expires_on`` (exclusive). The ledger
turns every batch into two events, +points on ``earned_on`` and -points on ``expires_on``,
sorts the events once, and keeps running sums per metric. A total as of a date is then
one binary search over the event dates: O(log n) per query after an O(n log n) build.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from attrs import frozen

from partner_tiers._errors import LedgerError, UnknownIdError
from partner_tiers._ledger.batch import FIGURES, LedgerTotals, Market, PointBatch, Track
from partner_tiers._ledger.events import EventIndex, EventRows
from partner_tiers._model.records import SalesMotion
from partner_tiers._model.values import ClientId, check_day

__all__ = ["LedgerTotals", "Market", "Movements", "PointBatch", "PointsLedger", "Track"]

ZERO = Decimal(0)

# The running sums hold every figure but the total, which LedgerTotals derives.
_SUMMED = tuple(figure for figure in FIGURES if figure.name != "total")
_METRICS = len(_SUMMED)


def _vector(batch: PointBatch) -> tuple[Decimal, ...]:
    return tuple(figure.of(batch) for figure in _SUMMED)


class _PrefixIndex:
    """Running sums of the metric vectors over the sorted event dates of some batches."""

    __slots__ = ("dates", "sums")

    def __init__(self, batches: Iterable[PointBatch]) -> None:
        changes: dict[dt.date, list[Decimal]] = {}
        for batch in batches:
            vector = _vector(batch)
            start = changes.setdefault(batch.earned_on, [ZERO] * _METRICS)
            for i in range(_METRICS):
                start[i] += vector[i]
            if batch.expires_on is not None:
                end = changes.setdefault(batch.expires_on, [ZERO] * _METRICS)
                for i in range(_METRICS):
                    end[i] -= vector[i]
        self.dates: list[dt.date] = sorted(changes)
        self.sums: list[tuple[Decimal, ...]] = []
        running = [ZERO] * _METRICS
        for day in self.dates:
            delta = changes[day]
            running = [running[i] + delta[i] for i in range(_METRICS)]
            self.sums.append(tuple(running))

    def at(self, day: dt.date) -> LedgerTotals:
        position = bisect.bisect_right(self.dates, day)
        if position == 0:
            return LedgerTotals()
        sums = self.sums[position - 1]
        return LedgerTotals(
            sold=sums[0],
            sourced=sums[1],
            assisted=sums[2],
            managed=sums[3],
            sold_mrr_usd=sums[4],
            managed_mrr_usd=sums[5],
        )

    def level_changes(self, start: dt.date, end: dt.date) -> Iterator[tuple[Decimal, ...]]:
        """The net change of every metric on each event date in [start, end)."""
        low = bisect.bisect_left(self.dates, start)
        high = bisect.bisect_left(self.dates, end)
        for position in range(low, high):
            before = self.sums[position - 1] if position else (ZERO,) * _METRICS
            after = self.sums[position]
            yield tuple(after[i] - before[i] for i in range(_METRICS))


@frozen
class Movements:
    """Points and MRR gained and lost over a date range.

    Each metric counts on its own. Sold: ``new`` sums what the batches earned in the
    range added to it, ``lost`` what they took from it (reductions) and what expired in
    the range (net of reductions expiring with it), so a sale priced at 0.00 points
    still adds its MRR. Both are non-negative for ledgers from `build_ledger`, where a
    reduction always expires with the batch it offsets; a hand-made reduction that
    outlives its batch can make ``lost`` negative. Managed points and MRR are levels:
    ``new`` and ``lost`` sum their rises and falls.

    Attributes:
        new: points gained.
        lost: points lost.
    """

    new: LedgerTotals
    lost: LedgerTotals


def _canonical(batches: Iterable[PointBatch]) -> tuple[PointBatch, ...]:
    by_id: dict[str, PointBatch] = {}
    for batch in batches:
        if not isinstance(batch, PointBatch):
            raise LedgerError(f"PointsLedger.batches: {batch!r} is not a PointBatch")
        known = by_id.get(batch.id)
        if known is None:
            by_id[batch.id] = batch
        elif known != batch:
            raise LedgerError(
                f"PointsLedger.batches: batch id {batch.id!r} is already in the ledger "
                "with other content"
            )
    return tuple(sorted(by_id.values(), key=lambda b: (b.earned_on, b.id)))


class PointsLedger:
    """An immutable collection of point batches with exact as-of queries.

    Batches are kept in (earned_on, id) order; adding a batch that is already there
    changes nothing, and the same id with other content raises `LedgerError`.
    Negative batches are kept as they are, never dropped or clamped.

    ``totals(as_of=d)`` costs O(log n): the ledger keeps the batches' start and end
    events sorted by date with running sums per metric and finds ``d`` by binary search.
    Per-client and per-market totals use indexes of their own, built on first use.

    A ledger from `build_ledger` is columnar: its totals come from integer event arrays
    (`partner_tiers._ledger.events`), and its `PointBatch` records, with their rule
    texts, are made only when something asks for ``batches`` (or a query that lists
    them); they are the same, field for field, as the ledger built from batches.
    """

    __slots__ = ("__weakref__", "_batches", "_events", "_index", "_make", "_sub_indexes")

    _batches: tuple[PointBatch, ...] | None
    _make: Callable[[], Iterable[PointBatch]] | None
    _events: EventIndex | None
    _index: _PrefixIndex | None
    _sub_indexes: dict[Any, _PrefixIndex]

    def __init__(self, batches: Iterable[PointBatch] = ()) -> None:
        object.__setattr__(self, "_batches", _canonical(batches))
        object.__setattr__(self, "_make", None)
        object.__setattr__(self, "_events", None)
        object.__setattr__(self, "_index", None)
        object.__setattr__(self, "_sub_indexes", {})

    @classmethod
    def _columnar(cls, rows: EventRows, make: Callable[[], Iterable[PointBatch]]) -> PointsLedger:
        """A ledger whose totals come from the rows and whose batches ``make`` makes,
        when first asked for (the engine's columnar pricing)."""
        ledger = cls.__new__(cls)
        object.__setattr__(ledger, "_batches", None)
        object.__setattr__(ledger, "_make", make)
        object.__setattr__(ledger, "_events", EventIndex(rows))
        object.__setattr__(ledger, "_index", None)
        object.__setattr__(ledger, "_sub_indexes", {})
        return ledger

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"PointsLedger is immutable: cannot set {name}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"PointsLedger is immutable: cannot delete {name}")

    @property
    def batches(self) -> tuple[PointBatch, ...]:
        """Every batch, in (earned_on, id) order."""
        batches = self._batches
        if batches is None:
            assert self._make is not None  # a columnar ledger keeps its maker
            batches = _canonical(self._make())
            object.__setattr__(self, "_batches", batches)
            object.__setattr__(self, "_make", None)
        return batches

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, PointsLedger)
        return self.batches == other.batches

    def __hash__(self) -> int:
        return hash(self.batches)

    def __repr__(self) -> str:
        return f"PointsLedger(batches={self.batches!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (PointsLedger, (self.batches,))

    def _totals_at(self, day: dt.date) -> LedgerTotals:
        if self._events is not None:
            return self._events.at(day)
        return self._prefix_index().at(day)

    def _prefix_index(self) -> _PrefixIndex:
        index = self._index
        if index is None:
            index = _PrefixIndex(self.batches)
            object.__setattr__(self, "_index", index)
        return index

    def event_days(self) -> list[dt.date]:
        """Every day on which a batch starts or stops counting, sorted."""
        if self._events is not None:
            return self._events.days()
        days = {batch.earned_on for batch in self.batches}
        days.update(batch.expires_on for batch in self.batches if batch.expires_on is not None)
        return sorted(days)

    def sold_expiring(self, as_of: dt.date, review: dt.date) -> dict[str, Decimal]:
        """What the sold batches counting on ``as_of`` and expiring by ``review`` add to
        each figure that counts sold batches (``total`` included)."""
        check_day("as_of", as_of)
        check_day("review", review)
        if self._events is not None:
            return self._events.sold_expiring(as_of, review)
        return {
            figure.name: sum(
                (figure.of(batch) for batch in self.sold_expiring_batches(as_of, review)), ZERO
            )
            for figure in FIGURES
            if figure.track is not Track.MANAGED
        }

    def sold_expiring_batches(self, as_of: dt.date, review: dt.date) -> tuple[PointBatch, ...]:
        """The sold batches counting on ``as_of`` that expire by ``review``, by expiry
        date (then id)."""
        check_day("as_of", as_of)
        check_day("review", review)
        expiring = [
            batch
            for batch in self.batches
            if batch.track is Track.SOLD
            and batch.expires_on is not None
            and batch.earned_on <= as_of < batch.expires_on <= review
        ]
        return tuple(sorted(expiring, key=lambda batch: (batch.expires_on, batch.id)))

    def __len__(self) -> int:
        if self._batches is None and self._events is not None:
            return self._events.rows  # without making the batches
        return len(self.batches)

    def __iter__(self) -> Iterator[PointBatch]:
        return iter(self.batches)

    def add(self, *batches: PointBatch) -> PointsLedger:
        """A new ledger with the batches added (the ledger itself is unchanged)."""
        return PointsLedger((*self.batches, *batches))

    def batch(self, batch_id: str) -> PointBatch:
        """The batch with this id.

        Raises:
            UnknownIdError: when there is none.
        """
        for candidate in self.batches:
            if candidate.id == batch_id:
                return candidate
        raise UnknownIdError("batch_id", batch_id, "no batch with this id in the ledger")

    def _sub_index(self, key: Any, keep: Callable[[PointBatch], bool]) -> _PrefixIndex:
        index = self._sub_indexes.get(key)
        if index is None:
            index = _PrefixIndex(b for b in self.batches if keep(b))
            self._sub_indexes[key] = index
        return index

    def totals(
        self,
        as_of: dt.date,
        *,
        client: ClientId | str | None = None,
        market: Market | None = None,
    ) -> LedgerTotals:
        """Totals of the batches active on ``as_of``, optionally of one client or market."""
        check_day("as_of", as_of)
        if market is not None:
            market = Market(market)
        if client is None and market is None:
            return self._totals_at(as_of)
        key = ("filter", client, market)
        return self._sub_index(
            key,
            lambda b: (
                (client is None or b.client == client) and (market is None or b.market is market)
            ),
        ).at(as_of)

    def clients(self) -> tuple[ClientId, ...]:
        """Every client that has a batch, sorted."""
        return tuple(sorted({b.client for b in self.batches}))

    def totals_by_client(self, as_of: dt.date) -> Mapping[ClientId, LedgerTotals]:
        """Totals as of the date for every client with a batch."""
        check_day("as_of", as_of)
        return {client: self.totals(as_of, client=client) for client in self.clients()}

    def totals_by_market(self, as_of: dt.date) -> Mapping[Market, LedgerTotals]:
        """Totals as of the date for growth and standard markets."""
        check_day("as_of", as_of)
        return {market: self.totals(as_of, market=market) for market in Market}

    def active(self, as_of: dt.date) -> tuple[PointBatch, ...]:
        """The batches that count on the date."""
        check_day("as_of", as_of)
        return tuple(b for b in self.batches if b.active_on(as_of))

    def expired(self, as_of: dt.date) -> tuple[PointBatch, ...]:
        """The batches that had expired by the date."""
        check_day("as_of", as_of)
        return tuple(b for b in self.batches if b.expired_on(as_of))

    def expiring(self, start: dt.date, end: dt.date) -> tuple[PointBatch, ...]:
        """The batches whose expiry date falls in [start, end)."""
        check_day("start", start)
        check_day("end", end)
        return tuple(
            b for b in self.batches if b.expires_on is not None and start <= b.expires_on < end
        )

    def sold_mrr_usd(
        self, start: dt.date, end: dt.date, *, motion: SalesMotion | None = None
    ) -> Decimal:
        """USD-equivalent MRR sold in (start, end], reductions included, optionally of one
        sales motion. With ``end - 12 months`` as start this is the dashboard's
        rolling-12-month (sourced) MRR, whatever the program's expiry window."""
        check_day("start", start)
        check_day("end", end)
        return sum(
            (
                b.mrr_usd
                for b in self.batches
                if b.track is Track.SOLD
                and start < b.earned_on <= end
                and (motion is None or b.motion is motion)
            ),
            ZERO,
        )

    def movements(self, start: dt.date, end: dt.date) -> Movements:
        """Points and MRR gained and lost in [start, end); see `Movements`."""
        check_day("start", start)
        check_day("end", end)
        new = [ZERO] * _METRICS
        lost = [ZERO] * _METRICS
        for batch in self.batches:
            if batch.track is not Track.SOLD:
                continue
            vector = _vector(batch)
            if start <= batch.earned_on < end:
                _split(vector, new, lost)
            if batch.expires_on is not None and start <= batch.expires_on < end:
                for i in range(_METRICS):
                    lost[i] += vector[i]
        for change in self._prefix_index().level_changes(start, end):
            _split((ZERO, ZERO, ZERO, change[3], ZERO, change[5]), new, lost)
        return Movements(new=_totals(new), lost=_totals(lost))


def _split(vector: tuple[Decimal, ...], new: list[Decimal], lost: list[Decimal]) -> None:
    """Add each metric's rise to ``new`` and its fall to ``lost``, each metric on its own:
    a sale priced at 0.00 points still adds its MRR."""
    for i, value in enumerate(vector):
        if value > 0:
            new[i] += value
        elif value < 0:
            lost[i] -= value


def _totals(vector: list[Decimal]) -> LedgerTotals:
    return LedgerTotals(
        **{figure.name: value for figure, value in zip(_SUMMED, vector, strict=True)}
    )
