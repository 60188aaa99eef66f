"""Pricing rules as data: rates per 100 USD-equivalent, the fixed currency table, growth
markets, the expiry window and rounding, each effective-dated and with its source.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from attrs import field, frozen

from partner_tiers._model.records import SalesMotion
from partner_tiers._model.values import frozen_map

__all__ = [
    "CurrencyTable",
    "ExpiryRule",
    "GrowthMarkets",
    "RateRow",
    "RoundingMode",
    "RoundingRule",
    "Source",
]


@frozen
class Source:
    """Where a rule comes from.

    Attributes:
        url: the page that published it.
        published: the date the page gave for it, if any.
        note: anything a reader should know: an interpretation, or that the value is
            an example because the real one was never published.
    """

    url: str = ""
    published: dt.date | None = None
    note: str = ""


@frozen
class RateRow:
    """Points per 100 USD-equivalent of MRR, in force from ``effective_from``.

    Attributes:
        effective_from: first day the row prices deals and managed credit.
        sourced: sold points for partner-sourced deals.
        assisted: sold points for partner-assisted deals.
        unattributed: sold points for subscription changes without a sales motion
            (adjustments); not published, an example value.
        managed: managed points.
        grandfather_upsells: when true, an upsell priced under this row keeps the rate
            of the row in force when its product line was first sold to the client
            (HubSpot, 2024-02-27: upsells on lines first sold earlier stay at 3).
        source: where the row comes from.
    """

    effective_from: dt.date
    sourced: Decimal
    assisted: Decimal
    managed: Decimal
    unattributed: Decimal
    grandfather_upsells: bool = False
    source: Source = Source()

    def sold_rate(self, motion: SalesMotion) -> Decimal:
        """The sold-points rate for a sales motion."""
        if motion is SalesMotion.SOURCED:
            return self.sourced
        if motion is SalesMotion.ASSISTED:
            return self.assisted
        return self.unattributed


@frozen
class CurrencyTable:
    """Fixed amounts of each currency that count as 100 USD (not market rates).

    Attributes:
        per_100_usd: currency code -> the amount that counts as 100 USD.
        effective_from: first day of the table; None for "from the beginning".
        source: where the table comes from.
    """

    per_100_usd: Mapping[str, Decimal] = field(converter=frozen_map)
    effective_from: dt.date | None = None
    source: Source = Source()


@frozen
class GrowthMarkets:
    """Countries whose clients earn a multiplier.

    Attributes:
        countries: ISO 3166-1 alpha-2 codes.
        multiplier: the factor, 2 in HubSpot's program.
        effective_from: first day of the list; None for "from the beginning".
        source: where the list comes from.
    """

    countries: frozenset[str] = field(converter=frozenset)
    multiplier: Decimal = Decimal(2)
    effective_from: dt.date | None = None
    source: Source = Source()


@frozen
class ExpiryRule:
    """How long sold points count: ``months`` calendar months after the sale.

    A batch earned on 2024-02-29 with 12 months expires on 2025-02-28 (calendar months,
    by dateutil's relativedelta, clipped to the month's end).

    Attributes:
        months: the window, in calendar months.
        effective_from: first day of the rule; None for "from the beginning".
        source: where the rule comes from.
    """

    months: int = 12
    effective_from: dt.date | None = None
    source: Source = Source()


@functools.lru_cache(maxsize=16)
def _step(places: int) -> Decimal:
    """0.01 for two places: the quantum of a rounding rule."""
    return Decimal(1).scaleb(-places)


class RoundingMode(enum.StrEnum):
    """How points are rounded to the program's decimal places."""

    HALF_UP = "half_up"
    HALF_EVEN = "half_even"

    @property
    def decimal_rounding(self) -> str:
        """The matching constant of the decimal module."""
        return ROUND_HALF_UP if self is RoundingMode.HALF_UP else ROUND_HALF_EVEN


@frozen
class RoundingRule:
    """Rounding applied to each batch (not to totals): ``places`` decimal places.

    Attributes:
        places: decimal places kept, 2 by default.
        mode: half_up (default) or half_even.
        effective_from: first day of the rule; None for "from the beginning".
    """

    places: int = 2
    mode: RoundingMode = RoundingMode.HALF_UP
    effective_from: dt.date | None = None

    def apply(self, value: Decimal) -> Decimal:
        """The value rounded by this rule."""
        return value.quantize(_step(self.places), rounding=self.mode.decimal_rounding)
