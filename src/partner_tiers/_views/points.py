"""Points views: points per client by deal and market type, rolling sold MRR, and progress
per track month by month with the next tier's reach lines.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
from attrs import frozen

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._engine.ledgers import build_ledger
from partner_tiers._engine.timeline import timeline
from partner_tiers._errors import InvalidRecordError
from partner_tiers._ledger.ledger import PointBatch, PointsLedger, Track
from partner_tiers._model.book import Book
from partner_tiers._model.dated import expiry_date
from partner_tiers._model.lines import mislabelled_sales
from partner_tiers._model.records import SalesMotion
from partner_tiers._model.values import MAX_MONTHS, check_count, check_day
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries
from partner_tiers._views.tables import Table

__all__ = [
    "PointsBreakdown",
    "PointsRow",
    "Progress",
    "deal_type_name",
    "points_breakdown",
    "progress",
    "rolling_mrr",
]

ZERO = Decimal(0)


@frozen
class PointsRow:
    """Points of one client on the date.

    Attributes:
        client: the client's id.
        client_name: its name.
        market: growth or standard.
        sold: active sold points (after the filters).
        managed: active managed points (after the filters).
        total: sold + managed.
        active: the ids of the active batches.
        expired: the ids of the batches that had expired by the date.
        repriced: the ids of the managed batches that ended by the date because a pricing
            rule changed (a new currency table, rate row or growth list): the same
            service of the same subscription goes on in a batch starting that day. They
            are superseded, not expired, and are not in ``expired``.
    """

    client: str
    client_name: str
    market: str
    sold: Decimal
    managed: Decimal
    total: Decimal
    active: tuple[str, ...]
    expired: tuple[str, ...]
    repriced: tuple[str, ...] = ()


@frozen
class PointsBreakdown(Table):
    """Sold + managed points per client, filterable by deal type and market type.

    Attributes:
        as_of: the date.
        deal_types: the deal types kept: sourced, assisted, managed (and none, for
            changes without a sales motion).
        markets: the market types kept: growth, standard.
        rows: one row per client with points.
        batches: every batch of the kept types, for the per-client history.
        deal_type_names: the names of ``deal_types`` in force on the date (``partner
            collab`` and ``DIFM`` for sourced and assisted from 2025-07-15).
        warnings: deals whose kind contradicts their product line's first sale (a
            ``new`` deal on a line sold before), priced by the first sale; one line each
            naming the deal (`mislabelled_sales`).
    """

    as_of: dt.date
    deal_types: tuple[str, ...]
    markets: tuple[str, ...]
    rows: tuple[PointsRow, ...]
    batches: tuple[PointBatch, ...] = attrs.field(repr=False)
    warnings: tuple[str, ...] = ()
    deal_type_names: tuple[str, ...] = ()

    def name_of(self, batch: PointBatch) -> str:
        """The batch's deal type by its name in force on the date: ``partner collab``
        and ``DIFM`` from 2025-07-15, ``sourced`` and ``assisted`` before."""
        return deal_type_name(_deal_type(batch), self.as_of)

    def history(self, client_id: str) -> tuple[PointBatch, ...]:
        """The client's sold and managed batches, oldest first."""
        return tuple(b for b in self.batches if b.client == client_id)

    def status(self, batch: PointBatch) -> str:
        """``active``, ``expired``, ``re-priced`` or ``not yet earned`` on the date."""
        for row in self.rows:
            if row.client == batch.client:
                if batch.id in row.active:
                    return "active"
                if batch.id in row.repriced:
                    return "re-priced"
                if batch.id in row.expired:
                    return "expired"
        return "not yet earned"

    @property
    def total(self) -> Decimal:
        """The sum over clients."""
        return sum((row.total for row in self.rows), ZERO)


_DEAL_TYPES = ("sourced", "assisted", "managed", "none")


def deal_type_key(name: object, where: str = "deal_types") -> str:
    """The deal type a filter names: ``sourced``, ``assisted``, ``managed`` or ``none``,
    or a 2025 name, ``partner collab`` (sourced) or ``DIFM`` (assisted), in any case.

    Raises:
        InvalidRecordError: for any other name, listing the choices.
    """
    if name in _DEAL_TYPES:
        return str(name)
    if isinstance(name, str):
        with contextlib.suppress(ValueError):
            return SalesMotion(name).value  # the 2025 names are the motion's aliases
    raise InvalidRecordError(
        where, name, f"must be one of {', '.join(_DEAL_TYPES)}, partner collab or DIFM"
    )


def deal_type_name(deal_type: str, on: dt.date) -> str:
    """The name of a deal type in force on the day: ``partner collab`` for sourced and
    ``DIFM`` for assisted from 2025-07-15, the type itself otherwise."""
    key = deal_type_key(deal_type, "deal_type")
    return SalesMotion(key).name_on(on) if key in ("sourced", "assisted") else key


def _deal_type(batch: PointBatch) -> str:
    return "managed" if batch.track is Track.MANAGED else batch.motion.value


def _service_key(batch: PointBatch) -> str:
    # Managed batch ids are "managed:<client>:<since>:<subscription>:<piece start>": the
    # same service of the same subscription shares everything before the piece start.
    return batch.id.rsplit(":", 1)[0]


def repriced_batches(batches: Iterable[PointBatch]) -> frozenset[str]:
    """The ids of the managed batches that end where another batch of the same service
    and subscription starts: re-priced when a pricing rule changed, not expired."""
    managed = [b for b in batches if b.track is Track.MANAGED]
    starts = {(b.client, _service_key(b), b.earned_on) for b in managed}
    return frozenset(
        b.id
        for b in managed
        if b.expires_on is not None and (b.client, _service_key(b), b.expires_on) in starts
    )


def points_breakdown(
    book: Book,
    program: Program | ProgramSeries,
    *,
    as_of: dt.date,
    deal_types: Iterable[str] = _DEAL_TYPES,
    markets: Iterable[str] = ("growth", "standard"),
    ledger: PointsLedger | None = None,
) -> PointsBreakdown:
    """Points per client, filtered by deal type (sourced, assisted, managed, none) and
    market type (growth, standard), with each client's active, expired and re-priced
    batches.

    The deal types may be named by their 2025 names too, ``partner collab`` (sourced)
    and ``DIFM`` (assisted), in any case; the view keeps the types and gives the names in
    force on ``as_of`` in ``deal_type_names``.
    """
    check_arguments(book, program, ledger)
    as_of = check_day("as_of", as_of)
    kept_types = tuple(dict.fromkeys(deal_type_key(kind) for kind in deal_types))
    kept_markets = tuple(markets)
    for market in kept_markets:
        if market not in ("growth", "standard"):
            raise InvalidRecordError("markets", market, "must be growth or standard")
    ledger = ledger if ledger is not None else build_ledger(book, program)
    batches = tuple(
        b for b in ledger.batches if _deal_type(b) in kept_types and b.market.value in kept_markets
    )
    repriced = repriced_batches(ledger.batches)
    rows = []
    for client in book.clients:
        mine = [b for b in batches if b.client == client.id]
        if not mine:
            continue
        active = [b for b in mine if b.active_on(as_of)]
        sold = sum((b.points for b in active if b.track is Track.SOLD), ZERO)
        managed = sum((b.points for b in active if b.track is Track.MANAGED), ZERO)
        rows.append(
            PointsRow(
                client.id,
                client.name,
                mine[0].market.value,
                sold,
                managed,
                sold + managed,
                tuple(b.id for b in active),
                tuple(b.id for b in mine if b.expired_on(as_of) and b.id not in repriced),
                tuple(b.id for b in mine if b.expired_on(as_of) and b.id in repriced),
            )
        )
    warnings = mislabelled_sales(book, as_of=as_of)
    names = tuple(deal_type_name(kind, as_of) for kind in kept_types)
    return PointsBreakdown(as_of, kept_types, kept_markets, tuple(rows), batches, warnings, names)


def rolling_mrr(
    book: Book,
    program: Program | ProgramSeries,
    *,
    as_of: dt.date,
    months: int = 12,
    motion: str | None = "sourced",
    ledger: PointsLedger | None = None,
) -> Decimal:
    """Rolling sold MRR in USD over the ``months`` up to ``as_of`` (default: the
    dashboard's rolling-12-month sourced MRR); ``motion=None`` counts every motion, and
    the 2025 names ``partner collab`` and ``DIFM`` name sourced and assisted.

    A sold batch (a reduction too) counts from the day it is earned until
    ``expiry_date(earned_on, months)``, the calendar rule the ledger's sold points
    expire by: a deal of 2024-02-29 counts up to 2025-02-27, as its 12-month points do.
    """
    check_arguments(book, program, ledger)
    as_of = check_day("as_of", as_of)
    check_count("months", months, 1, MAX_MONTHS)
    try:
        kind = SalesMotion(motion) if motion is not None else None
    except ValueError:
        raise InvalidRecordError(
            "motion", motion, "must be sourced, assisted, none, partner collab, DIFM or None"
        ) from None
    ledger = ledger if ledger is not None else build_ledger(book, program)
    return sum(
        (
            b.mrr_usd
            for b in ledger.batches
            if b.track is Track.SOLD
            and b.earned_on <= as_of < expiry_date(b.earned_on, months)
            and (kind is None or b.motion is kind)
        ),
        ZERO,
    )


# --- progress ---------------------------------------------------------------------------


@frozen
class Progress(Table):
    """Points per track month by month, with the next tier's reach lines, and the sold
    and managed breakdown the dashboard's chart shows.

    Attributes:
        program: the program's ``name@version``.
        rows: one dict per month: as_of, tier, value.<track>, reach.<track>, next_tier,
            and points.<figure> for sold (of which points.sourced and points.assisted),
            managed and total, whatever tracks the program counts.
    """

    program: str
    rows: tuple[dict[str, Any], ...]

    def records(self) -> list[dict[str, Any]]:
        """The rows as plain dicts."""
        return [dict(row) for row in self.rows]

    def plot(self, ax: Any = None) -> Any:
        """A matplotlib chart like the dashboard's (needs the ``plot`` extra)."""
        from partner_tiers._views.chart import progress_chart

        return progress_chart(self.program, self.rows, ax=ax)


def progress(
    book: Book, program: Program | ProgramSeries, start: dt.date, end: dt.date, *, months: int = 1
) -> Progress:
    """Points per track over the months, with the reach lines of the next tier and the
    sold (sourced, assisted) and managed breakdown of each month."""
    line = timeline(book, program, start, end, months=months)
    rows = (
        {**row, **{f"points.{name}": value for name, value in status.points.items()}}
        for row, status in zip(line.rows(), line.statuses, strict=True)
    )
    return Progress(program.label, tuple(rows))
