"""A book's deals as integer columns, made once per `Book` (which is immutable) and
shared by every pricing of it: `evaluate`, `statuses`, the timeline, the scenarios and
`program_impact` under both of its programs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import frozen

from partner_tiers._model.lines import first_sales
from partner_tiers._model.records import SalesMotion

if TYPE_CHECKING:
    from partner_tiers._model.book import Book

__all__ = [
    "MOTIONS",
    "NO_END",
    "DealColumns",
    "ManagedColumns",
    "codes",
    "deal_columns",
    "managed_columns",
]

MOTIONS = (SalesMotion.SOURCED, SalesMotion.ASSISTED)
"""Motion codes 0 and 1; code 2 is every other motion (priced at the unattributed rate)."""

_MOTION_CODES = {motion: code for code, motion in enumerate(MOTIONS)}


@frozen
class DealColumns:
    """The deals of a book in pricing order (`deal_order`), as arrays.

    Attributes:
        closed: the close day (``date.toordinal()``).
        cents: the MRR change in hundredths of its currency; None when an amount has
            more than two decimal places (the columnar pricing then steps aside).
        currency: a code into ``currencies``.
        country: a code into ``countries``: the client's country.
        line: a code into ``lines``: the (client, product line).
        motion: 0 sourced, 1 assisted, 2 any other.
        first_sale: per line, the day it was first sold (`first_sales`).
        currencies, countries: what the codes stand for.
        plain_ids: False when two of the book's batches could get the same id, which
            the object path refuses (`LedgerError`): a deal id that looks like an
            offset's, or a colon in an id that a managed batch's id joins with colons.
    """

    closed: Any
    cents: Any  # None: an amount with more than two places
    currency: Any
    country: Any
    line: Any
    motion: Any
    first_sale: Any
    currencies: tuple[str, ...]
    countries: tuple[str, ...]
    plain_ids: bool = True


_LARGEST = 2**40  # cents: larger amounts would overflow int64 once multiplied by rates


def _plain_ids(book: Book) -> bool:
    if any(":offsets:" in deal.id for deal in book.deals):
        return False
    managed = {service.client for service in book.managed_services}
    return not any(":" in client for client in managed) and not any(
        ":" in subscription.id
        for subscription in book.subscriptions
        if subscription.client in managed
    )


def codes(values: list[Any]) -> tuple[tuple[Any, ...], Any]:
    """The distinct values in first-seen order, and each value's code."""
    table: dict[Any, int] = {}
    codes = [table.setdefault(value, len(table)) for value in values]
    return tuple(table), np.array(codes, dtype=np.int64)


def deal_columns(book: Book) -> DealColumns:
    """The book's deals as columns (see `DealColumns`), made on the first call for a book
    and kept on it."""
    found: DealColumns = _kept(book, "_deal_columns", _deal_columns)
    return found


def _kept(book: Book, name: str, make: Callable[[Book], Any]) -> Any:
    """What ``make`` makes of the book, made once and kept on it (a Book is immutable)."""
    kept = getattr(book, name)
    if kept is None:
        kept = make(book)
        object.__setattr__(book, name, kept)
    return kept


def _deal_columns(book: Book) -> DealColumns:
    country_of = {client.id: client.country for client in book.clients}
    # One pass over the deals, then one sort by `deal_order`: day, reductions after
    # what they reduce, id.
    rows = sorted(
        (
            deal.closed_on.toordinal(),
            deal.mrr_change.amount < 0,
            deal.id,
            deal.mrr_change.amount.scaleb(2),
            deal.mrr_change.currency,
            country_of[deal.client],
            (deal.client, deal.product_line),
            _MOTION_CODES.get(deal.motion, 2),
        )
        for deal in book.deals
    )
    closed, _, _, amounts, currency_names, country_names, line_keys, motions = (
        (list(column) for column in zip(*rows, strict=True)) if rows else ([] for _ in range(8))
    )
    whole = all(
        amount == amount.to_integral_value() and abs(amount) < _LARGEST for amount in amounts
    )
    currencies, currency = codes(currency_names)
    countries, country = codes(country_names)
    lines, line = codes(line_keys)
    first = first_sales(book)
    return DealColumns(
        closed=np.array(closed, dtype=np.int64),
        cents=np.array([int(amount) for amount in amounts], dtype=np.int64) if whole else None,
        currency=currency,
        country=country,
        line=line,
        motion=np.array(motions, dtype=np.int64),
        first_sale=np.array(
            [first[key].toordinal() if key in first else 0 for key in lines], dtype=np.int64
        ),
        currencies=currencies,
        countries=countries,
        plain_ids=_plain_ids(book),
    )


@frozen
class ManagedColumns:
    """Every managed service's subscriptions as pieces of constant MRR, as arrays: one
    row a piece of a (service, subscription) group, cut where the subscription's MRR
    history changes, groups in book order and pieces by day within a group. A piece
    before the history's first row, or of an MRR of zero, has ``cents`` 0 (a gap).

    Attributes:
        group: the (service, subscription) pair the piece belongs to.
        start, end: the piece's first day and first day after it (`NO_END`: open).
        cents: the MRR in hundredths; None when an amount has more than two places.
        currency: a code into ``currencies``.
        country: a code into ``countries``: the client's country.
        partners: how many partners share the service.
        currencies, countries: what the codes stand for.
    """

    group: Any
    start: Any
    end: Any
    cents: Any
    currency: Any
    country: Any
    partners: Any
    currencies: tuple[str, ...]
    countries: tuple[str, ...]


NO_END = np.iinfo(np.int64).max
"""The end day of a piece that does not end."""


def managed_columns(book: Book) -> ManagedColumns:
    """The book's managed pieces (see `ManagedColumns`), made on the first call for a
    book and kept on it."""
    found: ManagedColumns = _kept(book, "_managed_columns", _managed_columns)
    return found


def _managed_columns(book: Book) -> ManagedColumns:
    by_client: dict[str, list[Any]] = {}
    for subscription in book.subscriptions:
        by_client.setdefault(subscription.client, []).append(subscription)
    rows: list[tuple[int, int, int, Any, str, str, int]] = []
    group = 0
    for service in book.managed_services:
        country = book.client(service.client).country
        for subscription in by_client.get(service.client, ()):
            start = max(service.since, subscription.started_on).toordinal()
            ends = [day for day in (service.until, subscription.ended_on) if day is not None]
            end = min(ends).toordinal() if ends else NO_END
            history = book.mrr_history(subscription.id)
            currency = subscription.mrr.currency
            # Before the history's first row the MRR is zero: a gap.
            periods = [(1, None), *[(entry.since.toordinal(), entry.mrr) for entry in history]]
            for position, (since, mrr) in enumerate(periods):
                until = periods[position + 1][0] if position + 1 < len(periods) else NO_END
                low, high = max(start, since), min(end, until)
                if low < high:
                    amount = mrr.amount.scaleb(2) if mrr is not None else 0
                    code = mrr.currency if mrr is not None else currency
                    rows.append((group, low, high, amount, code, country, service.partners))
            group += 1
    amounts = [row[3] for row in rows]
    whole = all(amount == int(amount) and abs(amount) < _LARGEST for amount in amounts)
    currencies, currency_codes = codes([row[4] for row in rows])
    countries, country_codes = codes([row[5] for row in rows])
    column = [np.array([row[i] for row in rows], dtype=np.int64) for i in (0, 1, 2, 6)]
    return ManagedColumns(
        group=column[0],
        start=column[1],
        end=column[2],
        cents=np.array([int(amount) for amount in amounts], dtype=np.int64) if whole else None,
        currency=currency_codes,
        country=country_codes,
        partners=column[3],
        currencies=currencies,
        countries=countries,
    )
