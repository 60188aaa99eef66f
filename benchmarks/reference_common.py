"""What the pandas and polars references share: the program's rules as plain integer
tables, the downgrade and churn offsets loop, and the tier by reach thresholds.

A notebook user would copy the rates, the currency table and the thresholds from the
program's page; the references read them off the `partner_tiers.Program` instead,
so one reference serves every shipped program. Money and points are integers in
hundredths (cents) until the totals, which are exact Decimals.

The offsets step is a plain Python loop over integers, as a good engineer would write it
next to a vectorised pricing step (the allocation is sequential: each reduction sees what
the earlier ones left). Its rule (the library's ``_engine.pricing._reductions``): a
reduction of a client's product line offsets the newest positive batches of that line
still active on the reduction day, each up to the MRR left of it; a partly offset batch
gives back its points in proportion, rounded half up to the cent on integers
(`share_of_points`). Each negative batch expires with the batch it offsets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, NamedTuple

import numpy as np

import partner_tiers as pt

__all__ = [
    "EPOCH",
    "POINT_TOTALS",
    "Offsets",
    "Rules",
    "cents",
    "days",
    "mrr_periods",
    "offsets",
    "qualified_tier",
    "round_half_up",
    "rules",
    "share_of_points",
    "to_totals",
]

EPOCH = dt.date(1970, 1, 1)
CENT = Decimal("0.01")
POINT_TOTALS = ("sold", "sourced", "assisted", "managed", "total")
_BUILTIN = frozenset(POINT_TOTALS)


def days(day: dt.date) -> int:
    """Days since 1970-01-01, the integer form of dates in the references."""
    return (day - EPOCH).days


def cents(value: Decimal, what: str) -> int:
    """A Decimal in hundredths, refusing anything finer."""
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise NotImplementedError(f"{what} {value} has more than two decimal places")
    return int(scaled)


def mrr_periods(
    book: pt.Book, subscription: pt.Subscription
) -> list[tuple[dt.date, dt.date | None, pt.Money]]:
    """The subscription's MRR as (from, until or None, MRR) periods, as a notebook would
    work them out: its ``mrr_history`` rows, or else the current MRR minus the changes of
    the client's deals on the line closed after each day (and before the end)."""
    rows = [(entry.since, entry.mrr) for entry in subscription.mrr_history]
    if not rows:
        start, end, current = subscription.started_on, subscription.ended_on, subscription.mrr
        later = [
            deal
            for deal in book.deals
            if (deal.client, deal.product_line) == (subscription.client, subscription.product_line)
            and start < deal.closed_on
            and (end is None or deal.closed_on < end)
        ]
        for day in [start, *sorted({deal.closed_on for deal in later})]:
            after = sum(deal.mrr_change.amount for deal in later if deal.closed_on > day)
            rows.append((day, pt.Money(current.amount - after, current.currency)))
    return [
        (since, rows[index + 1][0] if index + 1 < len(rows) else None, mrr)
        for index, (since, mrr) in enumerate(rows)
    ]


def round_half_up(numerator: Any, denominator: Any) -> Any:
    """numerator / denominator rounded half up, for non-negative numerators: ints,
    numpy arrays or polars expressions alike."""
    return (2 * numerator + denominator) // (2 * denominator)


class Rules(NamedTuple):
    """A program's pricing and ladder as integer tables; days are days since 1970.

    Attributes:
        rate_starts: first day of each rate row.
        sourced, assisted, unattributed, managed: each row's rate, in hundredths.
        grandfather: each row's grandfather_upsells flag.
        price_before_first_row: the program's flag.
        currency_starts: first day of each currency table (a very early day for the first
            one when it has no date).
        per_100_usd: each table's currency -> amount counting as 100 USD, in hundredths.
        growth_starts: first day of each growth list.
        growth: each list's countries and multiplier in hundredths.
        expiry_starts, expiry_months: the expiry rules.
        tracks: (track id, built-in kind) of the program's tracks.
        tiers: (tier id, reach thresholds in hundredths), lowest first.
    """

    rate_starts: tuple[int, ...]
    sourced: tuple[int, ...]
    assisted: tuple[int, ...]
    unattributed: tuple[int, ...]
    managed: tuple[int, ...]
    grandfather: tuple[bool, ...]
    price_before_first_row: bool
    currency_starts: tuple[int, ...]
    per_100_usd: tuple[Mapping[str, int], ...]
    growth_starts: tuple[int, ...]
    growth: tuple[tuple[frozenset[str], int], ...]
    expiry_starts: tuple[int, ...]
    expiry_months: tuple[int, ...]
    tracks: tuple[tuple[str, str], ...]
    tiers: tuple[tuple[str, Mapping[str, int]], ...]


_EARLIEST = days(dt.date(1, 1, 1))


def _start(day: dt.date | None) -> int:
    return _EARLIEST if day is None else days(day)


def rules(program: pt.Program) -> Rules:
    """The program's rules as integer tables.

    Raises:
        NotImplementedError: for what the references do not model: rounding other than
            half up to two places, custom tracks, rates or thresholds finer than cents.
    """
    for rounding in program.rounding:
        if rounding.places != 2 or rounding.mode is not pt.RoundingMode.HALF_UP:
            raise NotImplementedError("the references round half up to two places only")
    for track in program.tracks:
        if track.rule not in _BUILTIN:
            raise NotImplementedError(f"track {track.id}: {track.rule} is not a points total")
    return Rules(
        rate_starts=tuple(days(row.effective_from) for row in program.rates),
        sourced=tuple(cents(row.sourced, "rate") for row in program.rates),
        assisted=tuple(cents(row.assisted, "rate") for row in program.rates),
        unattributed=tuple(cents(row.unattributed, "rate") for row in program.rates),
        managed=tuple(cents(row.managed, "rate") for row in program.rates),
        grandfather=tuple(row.grandfather_upsells for row in program.rates),
        price_before_first_row=program.price_before_first_row,
        currency_starts=tuple(_start(table.effective_from) for table in program.currencies),
        per_100_usd=tuple(
            {code: cents(amount, "per_100_usd") for code, amount in table.per_100_usd.items()}
            for table in program.currencies
        ),
        growth_starts=tuple(_start(growth.effective_from) for growth in program.growth_markets),
        growth=tuple(
            (frozenset(growth.countries), cents(growth.multiplier, "multiplier"))
            for growth in program.growth_markets
        ),
        expiry_starts=tuple(_start(rule.effective_from) for rule in program.expiry),
        expiry_months=tuple(rule.months for rule in program.expiry),
        tracks=tuple((track.id, track.rule) for track in program.tracks),
        tiers=tuple(
            (tier.id, {name: cents(value, "threshold") for name, value in tier.reach.items()})
            for tier in program.tiers
        ),
    )


def to_totals(sold: int, sourced: int, assisted: int, managed: int) -> dict[str, Decimal]:
    """Point totals in cents as the library's ``LedgerTotals.as_dict()``."""
    return {
        "sold": Decimal(sold).scaleb(-2),
        "sourced": Decimal(sourced).scaleb(-2),
        "assisted": Decimal(assisted).scaleb(-2),
        "managed": Decimal(managed).scaleb(-2),
        "total": Decimal(sold + managed).scaleb(-2),
    }


def qualified_tier(rules: Rules, totals: Mapping[str, Decimal]) -> str | None:
    """The highest tier whose every reach threshold is met (gates left out)."""
    values = {track: cents(totals[kind], "total") for track, kind in rules.tracks}
    for tier, reach in reversed(rules.tiers):
        if all(values.get(track, 0) >= threshold for track, threshold in reach.items()):
            return tier
    return None


class Offsets(NamedTuple):
    """The negative batches of the reductions: for each, the row of the positive batch it
    offsets (its group, expiry and motion are that row's), the reduction day and the
    points it takes back, in cents (a positive number)."""

    source: list[int]
    earned: list[int]
    points_cents: list[int]


def share_of_points(points: int, take: int, amount: int) -> int:
    """``points * take / amount`` rounded half up, all in cents, as the library rounds a
    partly offset batch.

    Integer arithmetic, ``(2n + d) // (2d)``, is exact. The library multiplies the points
    by the share ``take / amount`` held as a 60-digit Decimal, which rounds a share such
    as 1/12: only when the exact product is a half cent can that move the result, so
    that case alone (rare) is worked out the library's way.
    """
    numerator = points * take
    if (2 * numerator) % amount or (2 * numerator // amount) % 2 == 0:
        return round_half_up(numerator, amount)  # type: ignore[no-any-return]
    with localcontext() as context:
        context.prec = 60
        share = Decimal(take) / Decimal(amount)
        value = (Decimal(points).scaleb(-2) * share).quantize(CENT, rounding=ROUND_HALF_UP)
    return int(value.scaleb(2))


def offsets(
    group: Any, closed: Any, amount: Any, currency: Any, points: Any, expires: Any
) -> Offsets:
    """The negative batches of the reductions among the rows (see the module docstring).

    The rows are one deal each, as numpy arrays sorted by group (an integer key for a
    client's product line), closing day, positive before negative, then deal id;
    ``amount`` is the MRR change in cents (negative: a reduction), ``points`` and
    ``expires`` a positive row's priced points (cents) and first day out. The loop visits
    the reductions only, each walking back through its own line from the newest row.

    Raises:
        NotImplementedError: for a reduction in another currency than the batch it
            offsets (the library converts through the currency table; the synthetic
            books bill each client in one currency, so the references do not).
    """
    rows = np.arange(len(group))
    new_group = np.ones(len(group), dtype=bool)
    new_group[1:] = group[1:] != group[:-1]
    group_start = np.maximum.accumulate(np.where(new_group, rows, 0)).tolist()
    closed_at, expires_at, currencies = closed.tolist(), expires.tolist(), list(currency)
    amount_left, points_left = amount.tolist(), points.tolist()
    amount_at, points_at = amount.tolist(), points.tolist()
    found = Offsets([], [], [])
    for row in np.flatnonzero(amount < 0).tolist():
        day, remaining = closed_at[row], -amount_at[row]
        for item in range(row - 1, group_start[row] - 1, -1):  # newest first
            if remaining <= 0:
                break
            left = amount_left[item]
            if left <= 0 or not closed_at[item] <= day < expires_at[item]:
                continue  # a reduction, a batch used up, or not active on the day
            if currencies[item] != currencies[row]:
                raise NotImplementedError(
                    f"a {currencies[row]} reduction of a {currencies[item]} batch needs the "
                    "currency table; the references do not convert between currencies"
                )
            take = min(remaining, left)
            if take == left:
                taken = points_left[item]
            else:
                share = share_of_points(points_at[item], take, amount_at[item])
                taken = min(points_left[item], share)
            amount_left[item] = left - take
            points_left[item] -= taken
            remaining -= take
            found.source.append(item)
            found.earned.append(day)
            found.points_cents.append(taken)
    return found
