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

import bisect
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

import numpy as np

from partner_tiers._ledger.events import EventRows
from partner_tiers._model.book import Book
from partner_tiers._model.columns import DealColumns, deal_columns, managed_columns
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
    if deals.cents is None or not deals.plain_ids:
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


def _check_fits(*products: tuple[Any, ...]) -> None:
    """Step aside when a product of these columns (ints or int arrays), doubled as the
    half-up rounding doubles it, could overflow int64."""
    for factors in products:
        largest = 2
        for factor in factors:
            largest *= int(np.max(factor, initial=0))
        if largest >= _LIMIT:
            raise _Unsupported


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
    per_100 = _per_100(tables, deals.currencies, day, deals.currency[sales])
    multiplier, _ = _multipliers(tables, deals.countries, day, deals.country[sales])
    cents = deals.cents[sales]
    _check_fits(
        (cents, rate, multiplier),  # the points' numerator
        (cents, 100 * tables.scale),  # the USD's
        (per_100, tables.scale),  # the denominator
    )
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


def _per_100(tables: CompiledProgram, currencies: tuple[str, ...], day: Any, currency: Any) -> Any:
    """The scaled amount of each row's currency that counts as 100 USD on its day."""
    which = np.searchsorted(np.array(tables.currency_starts, dtype=np.int64), day, "right") - 1
    if (which < 0).any():
        raise _Unsupported
    matrix = np.array(
        [[amounts.get(code, 0) for code in currencies] for amounts in tables.per_100],
        dtype=np.int64,
    ).reshape(len(tables.per_100), len(currencies))
    per_100 = matrix[which, currency]
    if (per_100 <= 0).any():
        raise _Unsupported  # a currency the table lacks: the object path names it
    return per_100


def _multipliers(
    tables: CompiledProgram, countries: tuple[str, ...], day: Any, country: Any
) -> tuple[Any, Any]:
    """The scaled growth multiplier of each row (the scale itself: a standard market),
    and whether its country is a growth market on its day."""
    if not tables.growth:
        return np.full(len(day), tables.scale, dtype=np.int64), np.zeros(len(day), dtype=bool)
    listed = np.array(
        [[code in members for code in countries] + [False] for members, _ in tables.growth],
        dtype=bool,
    ).reshape(len(tables.growth), len(countries) + 1)
    factors = np.where(
        listed, np.array([factor for _, factor in tables.growth])[:, None], tables.scale
    )
    which = np.searchsorted(np.array(tables.growth_starts, dtype=np.int64), day, "right") - 1
    column = np.where(which < 0, len(countries), country)
    row = np.maximum(which, 0)
    return factors[row, column], listed[row, column]


_EPOCH = dt.date(1970, 1, 1).toordinal()  # numpy's day 0


def _expiry(tables: CompiledProgram, day: Any) -> Any:
    """The first day each sale no longer counts: the expiry window in force on its day,
    in calendar months later, clipped to the month's end (2024-02-29 + 12 months is
    2025-02-28), as `expiry_date` computes it with relativedelta."""
    which = np.searchsorted(np.array(tables.expiry_starts, dtype=np.int64), day, "right") - 1
    months = np.array(tables.expiry_months, dtype=np.int64)[np.maximum(which, 0)]
    date = (day - _EPOCH).astype("datetime64[D]")
    month = date.astype("datetime64[M]")
    day_of_month = (date - month.astype("datetime64[D]")).astype(np.int64)
    target = month + months
    first = target.astype("datetime64[D]")
    length = ((target + 1).astype("datetime64[D]") - first).astype(np.int64)
    clipped = first + np.minimum(day_of_month, length - 1)
    return clipped.astype(np.int64) + _EPOCH


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
    found: list[tuple[int, int, int, int]] = []  # (day, sale position, points, usd)
    if reductions:
        line_of, closed = deals.line.tolist(), deals.closed.tolist()
        cents, currency = deals.cents.tolist(), deals.currency.tolist()
        sale_cents = deals.cents[sales].tolist()
        sale_currency = deals.currency[sales].tolist()
        ends, price, dollars = expires.tolist(), points.tolist(), usd.tolist()
        # Per line, its sales still open in pricing order, which is (close day, id): the
        # newest open on a day is found by walking back from the last one closed by then.
        # Reductions come in day order, so a sale used up or expired is dropped for good.
        open_sales: dict[int, list[int]] = {}
        open_days: dict[int, list[int]] = {}
        sale_line = deals.line[sales]
        reduced = np.flatnonzero(np.isin(sale_line, deals.line[reductions]))
        sale_day = deals.closed[sales]
        for position, line, day in zip(  # only lines with a reduction
            reduced.tolist(), sale_line[reduced].tolist(), sale_day[reduced].tolist(), strict=True
        ):
            open_sales.setdefault(line, []).append(position)
            open_days.setdefault(line, []).append(day)
        amount_left = list(sale_cents)
        points_left, usd_left = list(price), list(dollars)
        for deal in reductions:
            line = line_of[deal]
            day, remaining = closed[deal], -cents[deal]
            positions = open_sales.get(line, [])
            days = open_days.get(line, [])
            j = bisect.bisect_right(days, day)
            while remaining > 0 and j > 0:
                j -= 1
                position = positions[j]
                if ends[position] <= day:
                    del positions[j], days[j]  # no longer counting, on any later day
                    continue
                if sale_currency[position] != currency[deal]:
                    raise _Unsupported  # the object path converts through the table
                available = amount_left[position]
                if remaining >= available:  # the sale is used up
                    found.append((day, position, points_left[position], usd_left[position]))
                    remaining -= available
                    del positions[j], days[j]
                    continue
                amount = sale_cents[position]
                lost_points = min(points_left[position], _share(price[position], remaining, amount))
                lost_usd = min(usd_left[position], _share(dollars[position], remaining, amount))
                amount_left[position] = available - remaining
                points_left[position] -= lost_points
                usd_left[position] -= lost_usd
                found.append((day, position, lost_points, lost_usd))
                remaining = 0
    earned = [row[0] for row in found]
    source = [row[1] for row in found]
    taken_points = [row[2] for row in found]
    taken_usd = [row[3] for row in found]
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
    """The managed pieces of every managed service and subscription of its client: the
    book's pieces of constant MRR (`managed_columns`), from the program's first rate row
    on unless it prices before it, cut where a pricing rule changes, then priced and
    merged at once, as `partner_tiers._engine.pricing._managed_batches` does."""
    managed = managed_columns(book)
    if managed.cents is None:
        raise _Unsupported
    start, end = managed.start, managed.end
    first_row = program.rates and not program.price_before_first_row
    low = program.rates[0].effective_from.toordinal() if first_row else 0
    start = np.maximum(start, low)  # managed points are a level: none before the rows
    pieces = np.flatnonzero(start < end)
    groups, start, end = managed.group[pieces], start[pieces], end[pieces]
    for boundary in (day.toordinal() for day in tables.boundaries):
        inside = np.flatnonzero((start < boundary) & (boundary < end))
        groups = np.concatenate([groups, groups[inside]])
        pieces = np.concatenate([pieces, pieces[inside]])
        start = np.concatenate([start, np.full(len(inside), boundary, dtype=np.int64)])
        end = np.concatenate([end, end[inside]])
        end[inside] = boundary
    order = np.lexsort((start, groups))
    groups, pieces, start, end = groups[order], pieces[order], start[order], end[order]
    if not len(pieces):
        empty = np.zeros(0, dtype=np.int64)
        return [(empty, empty, np.zeros((0, 6), dtype=np.int64), np.zeros((0, 6), dtype=bool))]
    cents, partners = managed.cents[pieces], managed.partners[pieces]
    currency, codes = managed.currency[pieces], managed.country[pieces]
    currencies, countries = managed.currencies, managed.countries
    row = np.searchsorted(np.array(tables.rate_starts, dtype=np.int64), start, "right") - 1
    if (row < 0).any():
        if not (program.price_before_first_row and tables.rate_starts):
            raise _Unsupported  # the object path raises PricingError, naming the period
        row = np.maximum(row, 0)
    per_100 = _per_100(tables, currencies, start, currency)
    multiplier, growth = _multipliers(tables, countries, start, codes)
    rate = np.array(tables.managed, dtype=np.int64)[row] * multiplier
    _check_fits((cents, rate), (cents, 100 * tables.scale), (per_100, tables.scale, partners))
    points = _half_up(cents * rate, per_100 * tables.scale * partners)
    usd = _half_up(cents * 100 * tables.scale, per_100 * partners)
    gap = cents == 0  # no MRR in force: no managed credit
    same = np.zeros(len(pieces), dtype=bool)
    same[1:] = (
        (groups[1:] == groups[:-1])
        & ~gap[1:]
        & ~gap[:-1]
        & (points[1:] == points[:-1])
        & (usd[1:] == usd[:-1])
        & (rate[1:] == rate[:-1])
        & (growth[1:] == growth[:-1])
    )
    # A piece priced as the one before extends it: the level did not change.
    first = np.flatnonzero(~same)
    last = np.r_[first[1:] - 1, len(pieces) - 1]
    keep = ~gap[first]
    first, last = first[keep], last[keep]
    values = np.zeros((len(first), 6), dtype=np.int64)
    values[:, _MANAGED] = points[first]
    values[:, _MANAGED_USD] = usd[first]
    counts = np.zeros((len(first), 6), dtype=bool)
    counts[:, _MANAGED] = True
    counts[:, _MANAGED_USD] = True
    return [(start[first], end[last], values, counts)]
