"""Columnar pricing: a book's batches as integer event rows, without `PointBatch` objects.

The same rules as `partner_tiers._engine.pricing`, on integers: every sale of a book is
priced at once (the rate row, currency table and growth list in force found by binary
search over their start days, grandfathering by the line's first sale), points and
USD-equivalent MRR in hundredths rounded half up as ``(2n + d) // (2d)``, which is exact;
the downgrade and churn offsets visit the reductions only, on ints; managed periods are
cut and merged as the object path cuts and merges them. The result is `EventRows` for
the ledger's running sums; the `PointBatch` records themselves are made by the object
path, and only when someone asks for them.

Where the integers cannot give the object path's answer exactly (a program that rounds
otherwise, an amount with more than two decimal places, a reduction in another currency
than the sale it offsets) or where the object path raises (a deal no rule covers),
`price_rows` returns None and the caller prices the object way, errors included.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

import numpy as np

from partner_tiers._ledger.events import NO_END, EventRows
from partner_tiers._model.book import Book
from partner_tiers._model.columns import DealColumns, deal_columns
from partner_tiers._model.dated import expiry_date
from partner_tiers._model.mrr import MrrEntry, mrr_change_days, mrr_in_force
from partner_tiers._model.records import ManagedService, Subscription
from partner_tiers._rules.compiled import CompiledProgram
from partner_tiers._rules.program import Program

__all__ = ["price_rows"]

_LIMIT = 2**62  # the largest numerator the int64 arithmetic may form
_SOLD, _SOURCED, _ASSISTED, _MANAGED, _SOLD_USD, _MANAGED_USD = range(6)
_CENT = Decimal("0.01")


class _Unsupported(Exception):
    """The integers cannot price this book under this program as the object path does."""


def price_rows(book: Book, program: Program) -> EventRows | None:
    """The book's batches under the program as event rows, or None when the object path
    must price it (see the module docstring)."""
    tables = program.compiled
    if not tables.supported:
        return None
    deals = deal_columns(book)
    if deals.cents is None:
        return None
    try:
        parts = [
            *_sold_rows(deals, tables, program),
            *_managed_rows(book, tables, program),
        ]
    except _Unsupported:
        return None
    return EventRows(
        earned=np.concatenate([part[0] for part in parts]),
        expires=np.concatenate([part[1] for part in parts]),
        values=np.concatenate([part[2] for part in parts]),
        counts=np.concatenate([part[3] for part in parts]),
        sold=np.concatenate([np.full(len(part[0]), index < 2) for index, part in enumerate(parts)]),
    )


def _half_up(numerator: Any, denominator: Any) -> Any:
    """numerator / denominator rounded half up, for non-negative ints or int arrays."""
    return (2 * numerator + denominator) // (2 * denominator)


_Part = tuple[Any, Any, Any, Any]


def _sold_rows(deals: DealColumns, tables: CompiledProgram, program: Program) -> list[_Part]:
    """The sales, then their offsets: earned, expires, values, counts."""
    sales = np.flatnonzero(deals.cents > 0)
    day = deals.closed[sales]
    starts = np.array(tables.rate_starts, dtype=np.int64)
    row = np.searchsorted(starts, day, side="right") - 1
    if (row < 0).any():
        if not program.price_before_first_row:
            raise _Unsupported  # the object path raises PricingError, naming the deal
        row = np.maximum(row, 0)
    motion = deals.motion[sales]
    rate = tables.sold[motion, row]
    first = deals.first_sale[deals.line[sales]]
    grandfathered = tables.grandfather[row] & (first < starts[row])
    if grandfathered.any():
        earlier = np.maximum(np.searchsorted(starts, first, side="right") - 1, 0)
        rate = np.where(grandfathered, tables.sold[motion, earlier], rate)
    per_100 = _per_100(tables, deals, day, deals.currency[sales])
    multiplier = _multipliers(tables, deals, day, deals.country[sales])
    cents = deals.cents[sales]
    largest = [int(column.max(initial=0)) for column in (cents, rate, multiplier)]
    if largest[0] * largest[1] * largest[2] * 2 >= _LIMIT:
        raise _Unsupported  # the int64 numerator could overflow
    points = _half_up(cents * rate * multiplier, per_100 * tables.scale)
    usd = _half_up(cents * 100 * tables.scale, per_100)
    expires = _expiry(tables, day)
    values = np.zeros((len(sales), 6), dtype=np.int64)
    values[:, _SOLD] = points
    values[:, _SOURCED] = np.where(motion == 0, points, 0)
    values[:, _ASSISTED] = np.where(motion == 1, points, 0)
    values[:, _SOLD_USD] = usd
    counts = _sold_counts(motion)
    offsets = _offsets(deals, sales, expires, points, usd, motion)
    return [(day, expires, values, counts), offsets]


def _sold_counts(motion: Any) -> Any:
    counts = np.zeros((len(motion), 6), dtype=bool)
    counts[:, _SOLD] = True
    counts[:, _SOURCED] = motion == 0
    counts[:, _ASSISTED] = motion == 1
    counts[:, _SOLD_USD] = True
    return counts


def _per_100(tables: CompiledProgram, deals: DealColumns, day: Any, currency: Any) -> Any:
    """The scaled amount of each row's currency that counts as 100 USD on its day."""
    which = np.searchsorted(np.array(tables.currency_starts, dtype=np.int64), day, "right") - 1
    if (which < 0).any():
        raise _Unsupported
    matrix = np.array(
        [[amounts.get(code, 0) for code in deals.currencies] for amounts in tables.per_100],
        dtype=np.int64,
    ).reshape(len(tables.per_100), len(deals.currencies))
    per_100 = matrix[which, currency]
    if (per_100 <= 0).any():
        raise _Unsupported  # a currency the table lacks: the object path names it
    return per_100


def _multipliers(tables: CompiledProgram, deals: DealColumns, day: Any, country: Any) -> Any:
    """The scaled growth multiplier of each row (the scale itself: a standard market)."""
    if not tables.growth:
        return np.full(len(day), tables.scale, dtype=np.int64)
    factors = np.array(
        [
            [factor if code in listed else tables.scale for code in deals.countries]
            + [tables.scale]
            for listed, factor in tables.growth
        ],
        dtype=np.int64,
    )
    which = np.searchsorted(np.array(tables.growth_starts, dtype=np.int64), day, "right") - 1
    column = np.where(which < 0, len(deals.countries), country)
    return factors[np.maximum(which, 0), column]


def _expiry(tables: CompiledProgram, day: Any) -> Any:
    """The first day each sale no longer counts: calendar months later, clipped."""
    unique, inverse = np.unique(day, return_inverse=True)
    ends = [
        expiry_date(dt.date.fromordinal(first), tables.months(first)).toordinal()
        for first in unique.tolist()
    ]
    return np.array(ends, dtype=np.int64)[inverse].reshape(len(day))


def _share(value: int, take: int, amount: int) -> int:
    """``value * take / amount`` rounded half up, all non-negative ints in hundredths,
    as the object path rounds a partly offset batch.

    The object path multiplies by the share ``take / amount`` held as a 60-digit
    Decimal, which rounds a share such as 1/12: only when the exact product is a half
    hundredth can that move the result, so that case alone is worked out its way.
    """
    numerator = value * take
    if (2 * numerator) % amount or (2 * numerator // amount) % 2 == 0:
        return int(_half_up(numerator, amount))
    with localcontext() as context:
        context.prec = 60
        share = Decimal(take) / Decimal(amount)
        exact = (Decimal(value).scaleb(-2) * share).quantize(_CENT, rounding=ROUND_HALF_UP)
    return int(exact.scaleb(2))


def _offsets(
    deals: DealColumns, sales: Any, expires: Any, points: Any, usd: Any, motion: Any
) -> _Part:
    """The negative rows of the downgrades and churn: each offsets the newest sales of
    its client's product line still counting, newest first, until its MRR is used up."""
    reductions = np.flatnonzero(deals.cents < 0).tolist()
    earned: list[int] = []
    source: list[int] = []
    taken_points: list[int] = []
    taken_usd: list[int] = []
    if reductions:
        line_of, closed = deals.line.tolist(), deals.closed.tolist()
        cents, currency, ids = deals.cents.tolist(), deals.currency.tolist(), deals.ids
        sale_of = sales.tolist()
        ends, price, dollars = expires.tolist(), points.tolist(), usd.tolist()
        by_line: dict[int, list[int]] = {}
        for position, deal in enumerate(sale_of):
            by_line.setdefault(line_of[deal], []).append(position)
        amount_left = [cents[deal] for deal in sale_of]
        points_left, usd_left = list(price), list(dollars)
        for deal in reductions:
            day, remaining = closed[deal], -cents[deal]
            open_sales = [
                position
                for position in by_line.get(line_of[deal], ())
                if closed[sale_of[position]] <= day < ends[position] and amount_left[position] > 0
            ]
            open_sales.sort(key=lambda p: (closed[sale_of[p]], ids[sale_of[p]]), reverse=True)
            for position in open_sales:
                if remaining <= 0:
                    break
                if currency[sale_of[position]] != currency[deal]:
                    raise _Unsupported  # the object path converts through the table
                available = amount_left[position]
                take = min(remaining, available)
                if take == available:
                    lost_points, lost_usd = points_left[position], usd_left[position]
                    amount_left[position] = 0
                else:
                    amount = cents[sale_of[position]]
                    lost_points = min(points_left[position], _share(price[position], take, amount))
                    lost_usd = min(usd_left[position], _share(dollars[position], take, amount))
                    amount_left[position] -= take
                remaining -= take
                points_left[position] -= lost_points
                usd_left[position] -= lost_usd
                earned.append(day)
                source.append(position)
                taken_points.append(lost_points)
                taken_usd.append(lost_usd)
    rows = np.array(source, dtype=np.int64)
    lost = -np.array(taken_points, dtype=np.int64)
    of_motion = motion[rows]
    values = np.zeros((len(rows), 6), dtype=np.int64)
    values[:, _SOLD] = lost
    values[:, _SOURCED] = np.where(of_motion == 0, lost, 0)
    values[:, _ASSISTED] = np.where(of_motion == 1, lost, 0)
    values[:, _SOLD_USD] = -np.array(taken_usd, dtype=np.int64)
    return np.array(earned, dtype=np.int64), expires[rows], values, _sold_counts(of_motion)


def _managed_rows(book: Book, tables: CompiledProgram, program: Program) -> list[_Part]:
    """The managed pieces of every managed service and subscription of its client."""
    by_client: dict[str, list[Subscription]] = {}
    for subscription in book.subscriptions:
        by_client.setdefault(subscription.client, []).append(subscription)
    rows: list[tuple[int, int, int, int]] = []
    for service in book.managed_services:
        country = book.client(service.client).country
        for subscription in by_client.get(service.client, ()):
            history = book.mrr_history(subscription.id)
            rows.extend(_pieces(service, subscription, country, tables, program, history))
    table = np.array(rows, dtype=np.int64).reshape(len(rows), 4)
    values = np.zeros((len(rows), 6), dtype=np.int64)
    values[:, _MANAGED] = table[:, 2]
    values[:, _MANAGED_USD] = table[:, 3]
    counts = np.zeros((len(rows), 6), dtype=bool)
    counts[:, _MANAGED] = True
    counts[:, _MANAGED_USD] = True
    return [(table[:, 0], table[:, 1], values, counts)]


def _pieces(
    service: ManagedService,
    subscription: Subscription,
    country: str,
    tables: CompiledProgram,
    program: Program,
    history: tuple[MrrEntry, ...],
) -> list[tuple[int, int, int, int]]:
    """The managed rows of one subscription in one managed period, cut and merged as
    `partner_tiers._engine.pricing._managed_batches` cuts and merges its batches:
    (start, end, points, usd)."""
    start = max(service.since, subscription.started_on)
    ends = [day for day in (service.until, subscription.ended_on) if day is not None]
    end = min(ends) if ends else None
    if program.rates and not program.price_before_first_row:
        start = max(start, program.rates[0].effective_from)
    if end is not None and end <= start:
        return []
    cuts = {start, *mrr_change_days(history, start, end)}
    cuts.update(day for day in tables.boundaries if start < day and (end is None or day < end))
    days = sorted(cuts)
    pieces: list[list[Any]] = []  # [start, end, points, usd, rate, growth] or a gap
    for position, piece_start in enumerate(days):
        piece_end = days[position + 1] if position + 1 < len(days) else end
        mrr = mrr_in_force(history, piece_start, subscription.mrr.currency)
        if mrr.amount == 0:
            pieces.append([piece_start, piece_end, None])
            continue
        price = _managed_price(
            tables,
            program,
            (mrr.amount, mrr.currency),
            (country, service.partners),
            piece_start,
        )
        last = pieces[-1] if pieces else None
        if last is not None and last[2] is not None and last[2:] == list(price):
            last[1] = piece_end  # the same price as the piece before: the level holds
        else:
            pieces.append([piece_start, piece_end, *price])
    return [
        (
            piece[0].toordinal(),
            piece[1].toordinal() if piece[1] is not None else NO_END,
            piece[2],
            piece[3],
        )
        for piece in pieces
        if piece[2] is not None
    ]


def _managed_price(
    tables: CompiledProgram,
    program: Program,
    mrr: tuple[Decimal, str],
    where: tuple[str, int],
    day: dt.date,
) -> tuple[int, int, int, bool]:
    """Points and USD in hundredths of the partner's share of a managed piece's MRR
    (``where``: the client's country and the number of partners), the scaled rate x
    multiplier and whether the market is a growth one."""
    (amount, currency), (country, partners) = mrr, where
    ordinal = day.toordinal()
    row = tables.rate_index(ordinal, before_first=program.price_before_first_row)
    which = tables.table_index(ordinal)
    if row is None or which < 0:
        raise _Unsupported  # the object path raises PricingError, naming the period
    per_100 = tables.per_100[which].get(currency, 0)
    cents = amount.scaleb(2)
    if per_100 <= 0 or cents != cents.to_integral_value():
        raise _Unsupported
    multiplier, growth = tables.multiplier(ordinal, country)
    rate = tables.managed[row] * multiplier
    points = _half_up(int(cents) * rate, per_100 * tables.scale * partners)
    usd = _half_up(int(cents) * 100 * tables.scale, per_100 * partners)
    return int(points), int(usd), rate, growth
