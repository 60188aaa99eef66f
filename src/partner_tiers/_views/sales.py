"""A client's sold sales history: each deal with the sold points it earned or took away,
when they expire and whether they still count (the points breakdown's per-client panel).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from attrs import frozen

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._engine.ledgers import build_ledger
from partner_tiers._ledger.ledger import PointBatch, PointsLedger, Track
from partner_tiers._model.book import Book
from partner_tiers._model.records import Deal, DealKind, SalesMotion
from partner_tiers._model.values import check_day
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries
from partner_tiers._views.tables import Table

__all__ = ["Sale", "SalesHistory", "sales_history"]

ZERO = Decimal(0)


@frozen
class Sale:
    """One deal of a client and the sold points it moved.

    Attributes:
        deal: the deal's id.
        closed_on: the day it closed (the points' earn date).
        kind: new, cross_sell, upsell, downgrade, churn or adjustment.
        motion: sourced, assisted or none.
        product_line: the product line.
        mrr_change: the change of MRR, in ``currency``.
        currency: the currency of the change.
        mrr_usd: the USD-equivalent MRR change the ledger counts.
        points: the sold points earned (negative for what a reduction took away).
        expires_on: the first day they no longer count; None when the deal moved no
            points (a reduction with nothing left to reduce).
        status: ``active`` or ``expired`` on the date; ``no points`` when the deal
            moved none.
    """

    deal: str
    closed_on: dt.date
    kind: DealKind
    motion: SalesMotion
    product_line: str
    mrr_change: Decimal
    currency: str
    mrr_usd: Decimal
    points: Decimal
    expires_on: dt.date | None
    status: str


@frozen
class SalesHistory(Table):
    """A client's deals closed by the date, oldest first, with their sold points.

    Attributes:
        client: the client's id.
        client_name: its name.
        as_of: the date.
        rows: one row per deal.
    """

    client: str
    client_name: str
    as_of: dt.date
    rows: tuple[Sale, ...]

    @property
    def active_points(self) -> Decimal:
        """The sold points of the deals that still count on the date."""
        return sum((s.points for s in self.rows if s.status == "active"), ZERO)


def _sale(deal: Deal, batches: list[PointBatch], as_of: dt.date) -> Sale:
    # A sale is one batch; a reduction is one negative batch per batch it offsets, each
    # expiring with it: the reduction counts while any of them does.
    ends = [b.expires_on for b in batches if b.expires_on is not None]
    if not batches:
        status = "no points"
    elif any(b.active_on(as_of) for b in batches):
        status = "active"
    else:
        status = "expired"
    return Sale(
        deal.id,
        deal.closed_on,
        deal.kind,
        deal.motion,
        deal.product_line,
        deal.mrr_change.amount,
        deal.mrr_change.currency,
        sum((b.mrr_usd for b in batches), ZERO),
        sum((b.points for b in batches), ZERO),
        max(ends) if ends else None,
        status,
    )


def sales_history(
    book: Book,
    program: Program | ProgramSeries,
    client_id: str,
    *,
    as_of: dt.date,
    ledger: PointsLedger | None = None,
) -> SalesHistory:
    """The client's deals closed on or before ``as_of``, oldest first: date, kind, motion,
    product line, MRR change, sold points, expiry date, and whether they still count.

    Args:
        ledger: the book's ledger under the program, when already built.

    Raises:
        BookIntegrityError: when the book has no such client.
    """
    check_arguments(book, program, ledger)
    as_of = check_day("as_of", as_of)
    client = book.client(client_id)
    ledger = ledger if ledger is not None else build_ledger(book, program)
    by_deal: dict[str, list[PointBatch]] = {}
    for batch in ledger.batches:
        if batch.track is Track.SOLD and batch.client == client.id:
            by_deal.setdefault(batch.origin, []).append(batch)
    deals = sorted(
        (d for d in book.deals_of(client.id) if d.closed_on <= as_of),
        key=lambda d: (d.closed_on, d.id),
    )
    rows = tuple(_sale(deal, by_deal.get(deal.id, []), as_of) for deal in deals)
    return SalesHistory(client.id, client.name, as_of, rows)
