"""Product lines and their first sales: the day a client first bought each line, which
decides grandfathered rates, and the deals whose label contradicts it."""

from __future__ import annotations

import datetime as dt

from partner_tiers._model.book import Book
from partner_tiers._model.records import Deal, DealKind

__all__ = ["deal_order", "first_sales", "mislabelled_sales"]


def first_sales(book: Book) -> dict[tuple[str, str], dt.date]:
    """The day each (client, product line) was first sold: its first earning deal or the
    start of its first subscription, whichever came first."""
    first: dict[tuple[str, str], dt.date] = {}
    for deal in book.deals:
        if deal.kind.earns or (deal.kind is DealKind.ADJUSTMENT and deal.mrr_change.amount > 0):
            key = (deal.client, deal.product_line)
            first[key] = min(first.get(key, deal.closed_on), deal.closed_on)
    for subscription in book.subscriptions:
        key = (subscription.client, subscription.product_line)
        first[key] = min(first.get(key, subscription.started_on), subscription.started_on)
    return first


def mislabelled_sales(book: Book, *, as_of: dt.date | None = None) -> tuple[str, ...]:
    """Warnings for the deals whose kind contradicts their product line's first sale: a
    ``new`` or ``cross_sell`` deal on a line the client bought before (by an earlier
    deal or subscription), or an ``upsell`` that is the line's first sale.

    Pricing follows the first sale, not the label; these say where the book's labels
    disagree with it, one line per deal, naming the deal. With ``as_of``, only the
    deals closed by that day.
    """
    first_sold = first_sales(book)
    earning = sorted((d for d in book.deals if d.kind.earns), key=deal_order)
    found = []
    for position, deal in enumerate(earning):
        if as_of is not None and deal.closed_on > as_of:
            break
        first = first_sold[(deal.client, deal.product_line)]
        sold_before = any(
            (other.client, other.product_line) == (deal.client, deal.product_line)
            for other in earning[:position]
        )
        if deal.kind in (DealKind.NEW, DealKind.CROSS_SELL) and first < deal.closed_on:
            found.append(
                f"deal {deal.id}: labelled {deal.kind}, but {deal.client} bought "
                f"{deal.product_line} first on {first}: priced as a sale on that line "
                "(an upsell)"
            )
        elif deal.kind is DealKind.UPSELL and first == deal.closed_on and not sold_before:
            found.append(
                f"deal {deal.id}: labelled upsell, but it is the first sale of "
                f"{deal.product_line} to {deal.client}: priced as a first sale"
            )
    return tuple(found)


def deal_order(deal: Deal) -> tuple[dt.date, int, str]:
    """The order deals are priced in: by day; on one day, what is earned is booked before
    what reduces it; then by id."""
    return (deal.closed_on, 1 if deal.mrr_change.amount < 0 else 0, deal.id)
