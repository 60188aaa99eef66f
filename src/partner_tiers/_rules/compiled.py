"""A program's pricing rules as integer tables, for the columnar pricing.

Made once per `Program` (which is immutable; `Program.compiled` caches it): the start
day of every effective-dated row as an ordinal, and every rate, multiplier and
per-100-USD amount as an integer of the same scale, ``10**places``, so that points in
hundredths are ``cents x rate x multiplier / (per_100 x scale)``, rounded half up on
integers, exactly as the Decimal path rounds them.

A program the tables cannot price exactly -- rounding other than half up to the cent,
values with more than six decimal places -- compiles to ``supported=False`` and is
priced the object way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
from attrs import frozen

from partner_tiers._model.dated import Dated
from partner_tiers._model.records import SalesMotion
from partner_tiers._rules.rates import (
    CurrencyTable,
    ExpiryRule,
    GrowthMarkets,
    RateRow,
    RoundingMode,
    RoundingRule,
)

__all__ = ["CompiledProgram", "compile_program"]

_MAX_PLACES = 6


@frozen
class CompiledProgram:
    """The integer tables of one program version (see the module docstring).

    Attributes:
        supported: whether the columnar pricing can price under the program exactly.
        scale: the integer every rate, multiplier and amount below is multiplied by.
        rate_starts: each rate row's first day.
        sold: rates per motion code (0 sourced, 1 assisted, 2 unattributed) and row.
        managed: the managed rate of each row.
        grandfather: whether each row grandfathers upsells.
        currency_starts: each currency table's first day (1: from the beginning).
        per_100: per table, currency code -> the amount that counts as 100 USD.
        growth_starts: each growth list's first day.
        growth: per list, its countries and multiplier.
        expiry_starts, expiry_months: the expiry rules (before the first: the first).
        boundaries: the days a rate row, currency table, growth list or rounding rule
            takes over (where managed periods are cut).
    """

    supported: bool
    scale: int = 1
    rate_starts: tuple[int, ...] = ()
    sold: Any = None
    managed: tuple[int, ...] = ()
    grandfather: Any = None
    currency_starts: tuple[int, ...] = ()
    per_100: tuple[dict[str, int], ...] = ()
    growth_starts: tuple[int, ...] = ()
    growth: tuple[tuple[frozenset[str], int], ...] = ()
    expiry_starts: tuple[int, ...] = ()
    expiry_months: tuple[int, ...] = ()
    boundaries: tuple[dt.date, ...] = ()


def _start(row: Dated) -> int:
    return row.effective_from.toordinal() if row.effective_from is not None else 1


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def compile_program(
    rates: Sequence[RateRow],
    currencies: Sequence[CurrencyTable],
    growth_markets: Sequence[GrowthMarkets],
    expiry: Sequence[ExpiryRule],
    rounding: Sequence[RoundingRule],
) -> CompiledProgram:
    """A program's integer tables, from its pricing rules (see `CompiledProgram`)."""
    rounding_ok = all(rule.places == 2 and rule.mode is RoundingMode.HALF_UP for rule in rounding)
    values = [
        value
        for row in rates
        for value in (row.sourced, row.assisted, row.unattributed, row.managed)
    ]
    values += [growth.multiplier for growth in growth_markets]
    values += [amount for table in currencies for amount in table.per_100_usd.values()]
    # A currency amount of 0 stays out of the way until a deal needs it: the pricing
    # then steps aside (`_per_100`), as for a currency the table lacks.
    finite = all(value.is_finite() and value >= 0 for value in values)
    places = max((_places(value) for value in values), default=0)
    months_ok = all(rule.months > 0 for rule in expiry)
    if not (rounding_ok and finite and months_ok and places <= _MAX_PLACES):
        return CompiledProgram(supported=False)
    scale = 10**places

    def scaled(value: Decimal) -> int:
        return int(value.scaleb(places))

    motions = (SalesMotion.SOURCED, SalesMotion.ASSISTED, SalesMotion.NONE)
    days = [
        *(row.effective_from for row in rates),
        *(table.effective_from for table in currencies),
        *(growth.effective_from for growth in growth_markets),
        *(rule.effective_from for rule in rounding),
    ]
    return CompiledProgram(
        supported=True,
        scale=scale,
        rate_starts=tuple(row.effective_from.toordinal() for row in rates),
        sold=np.array(
            [[scaled(row.sold_rate(motion)) for row in rates] for motion in motions],
            dtype=np.int64,
        ).reshape(3, len(rates)),
        managed=tuple(scaled(row.managed) for row in rates),
        grandfather=np.array([row.grandfather_upsells for row in rates], dtype=bool),
        currency_starts=tuple(_start(table) for table in currencies),
        per_100=tuple(
            {code: scaled(amount) for code, amount in table.per_100_usd.items()}
            for table in currencies
        ),
        growth_starts=tuple(_start(growth) for growth in growth_markets),
        growth=tuple(
            (frozenset(growth.countries), scaled(growth.multiplier)) for growth in growth_markets
        ),
        expiry_starts=tuple(_start(rule) for rule in expiry),
        expiry_months=tuple(rule.months for rule in expiry),
        boundaries=tuple(sorted({day for day in days if day is not None})),
    )
