"""A book's deals as integer columns, made once per `Book` (which is immutable) and
shared by every pricing of it: `evaluate`, `statuses`, the timeline, the scenarios and
`program_impact` under both of its programs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import frozen

from partner_tiers._model.lines import deal_order, first_sales
from partner_tiers._model.records import SalesMotion

if TYPE_CHECKING:
    from partner_tiers._model.book import Book

__all__ = ["MOTIONS", "DealColumns", "deal_columns"]

MOTIONS = (SalesMotion.SOURCED, SalesMotion.ASSISTED)
"""Motion codes 0 and 1; code 2 is every other motion (priced at the unattributed rate)."""


@frozen
class DealColumns:
    """The deals of a book in pricing order (`deal_order`), as arrays.

    Attributes:
        ids: each deal's id.
        positions: each deal's position in ``Book.deals`` (for error paths).
        closed: the close day (``date.toordinal()``).
        cents: the MRR change in hundredths of its currency; None when an amount has
            more than two decimal places (the columnar pricing then steps aside).
        currency: a code into ``currencies``.
        country: a code into ``countries``: the client's country.
        line: a code into ``lines``: the (client, product line).
        motion: 0 sourced, 1 assisted, 2 any other.
        first_sale: per line, the day it was first sold (`first_sales`).
        currencies, countries, lines: what the codes stand for.
    """

    ids: tuple[str, ...]
    positions: Any
    closed: Any
    cents: Any  # None: an amount with more than two places
    currency: Any
    country: Any
    line: Any
    motion: Any
    first_sale: Any
    currencies: tuple[str, ...]
    countries: tuple[str, ...]
    lines: tuple[tuple[str, str], ...]


_LARGEST = 2**40  # cents: larger amounts would overflow int64 once multiplied by rates


def _codes(values: list[Any]) -> tuple[tuple[Any, ...], Any]:
    """The distinct values in first-seen order, and each value's code."""
    table: dict[Any, int] = {}
    codes = [table.setdefault(value, len(table)) for value in values]
    return tuple(table), np.array(codes, dtype=np.int64)


def deal_columns(book: Book) -> DealColumns:
    """The book's deals as columns (see `DealColumns`), made on the first call for a book
    and kept on it."""
    cached: DealColumns | None = book._deal_columns
    if cached is None:
        cached = _deal_columns(book)
        object.__setattr__(book, "_deal_columns", cached)
    return cached


def _deal_columns(book: Book) -> DealColumns:
    order = sorted(range(len(book.deals)), key=lambda i: deal_order(book.deals[i]))
    deals = [book.deals[i] for i in order]
    amounts = [deal.mrr_change.amount.scaleb(2) for deal in deals]
    whole = all(
        amount == amount.to_integral_value() and abs(amount) < _LARGEST for amount in amounts
    )
    currencies, currency = _codes([deal.mrr_change.currency for deal in deals])
    countries, country = _codes([book.client(deal.client).country for deal in deals])
    lines, line = _codes([(deal.client, deal.product_line) for deal in deals])
    motion_codes = {motion: code for code, motion in enumerate(MOTIONS)}
    first = first_sales(book)
    return DealColumns(
        ids=tuple(deal.id for deal in deals),
        positions=np.array(order, dtype=np.int64),
        closed=np.array([deal.closed_on.toordinal() for deal in deals], dtype=np.int64),
        cents=np.array([int(amount) for amount in amounts], dtype=np.int64) if whole else None,
        currency=currency,
        country=country,
        line=line,
        motion=np.array([motion_codes.get(deal.motion, 2) for deal in deals], dtype=np.int64),
        first_sale=np.array(
            [first[key].toordinal() if key in first else 0 for key in lines], dtype=np.int64
        ),
        currencies=currencies,
        countries=countries,
        lines=lines,
    )
