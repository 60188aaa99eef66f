"""Strategies for values: dates, amounts, money and ids, with the bounds every strategy
shares and the small helpers the record strategies draw with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TypeVar

from hypothesis import strategies as st

from partner_tiers import ClientId, Money

__all__ = [
    "ANY_DATE",
    "CENT",
    "CLIENT_IDS",
    "DEFAULT_COUNTRIES",
    "DEFAULT_CURRENCIES",
    "GROWTH_COUNTRIES",
    "MAX_AMOUNT",
    "MAX_DATE",
    "MIN_DATE",
    "NAMES",
    "PRODUCT_LINES",
    "STANDARD_COUNTRIES",
    "amounts",
    "client_ids",
    "client_ids_from",
    "date_after",
    "date_on_or_after",
    "dates",
    "id_text",
    "maybe",
    "money",
]

MIN_DATE = dt.date(2016, 1, 1)
"""The earliest date generated: the first published tier program."""

MAX_DATE = dt.date(2030, 12, 31)
"""The latest date generated."""

MAX_AMOUNT = Decimal("1000000.00")
"""The largest magnitude of a generated amount of money."""

DEFAULT_CURRENCIES: tuple[str, ...] = (
    "USD",
    "EUR",
    "GBP",
    "AUD",
    "CAD",
    "SGD",
    "JPY",
    "ZAR",
    "COP",
)
"""The currencies of the program's published currency table."""

GROWTH_COUNTRIES: tuple[str, ...] = ("IN", "BR", "MX", "SG")
"""Countries in the program's growth markets (points are doubled there)."""

STANDARD_COUNTRIES: tuple[str, ...] = ("US", "DE", "GB", "FR")
"""Countries outside the growth markets."""

DEFAULT_COUNTRIES: tuple[str, ...] = GROWTH_COUNTRIES + STANDARD_COUNTRIES
"""Growth-market and standard countries together."""

PRODUCT_LINES: tuple[str, ...] = (
    "marketing-hub",
    "sales-hub",
    "service-hub",
    "content-hub",
    "operations-hub",
    "commerce-hub",
    "crm-suite",
)
"""Product lines deals and subscriptions are about."""

_T = TypeVar("_T")

_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-"
CENT = Decimal("0.01")
"""One cent: the places of every generated amount and the rounding of points."""
_LONGEST_SPAN = 3 * 365
"""The most days between two dates of one record (a start and its renewal or end)."""


def dates(
    min_value: dt.date = MIN_DATE, max_value: dt.date = MAX_DATE
) -> st.SearchStrategy[dt.date]:
    """Dates from ``min_value`` to ``max_value``, both inclusive (2016-01-01..2030-12-31
    by default)."""
    return st.dates(min_value=min_value, max_value=max_value)


def amounts(
    min_value: Decimal | int = Decimal("0.00"), max_value: Decimal | int = MAX_AMOUNT
) -> st.SearchStrategy[Decimal]:
    """Decimals with exactly two places from ``min_value`` to ``max_value`` inclusive.

    Bounds with more places are rounded inwards to whole cents.
    """
    low = int((Decimal(min_value) * 100).to_integral_value(rounding=ROUND_CEILING))
    high = int((Decimal(max_value) * 100).to_integral_value(rounding=ROUND_FLOOR))
    return st.integers(min_value=low, max_value=high).map(_cents)


def _cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def money(
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
    *,
    min_amount: Decimal | int = Decimal("0.00"),
    max_amount: Decimal | int = MAX_AMOUNT,
) -> st.SearchStrategy[Money]:
    """Money in one of ``currencies`` with a two-place amount in the given bounds."""
    return st.builds(Money, amounts(min_amount, max_amount), st.sampled_from(currencies))


def id_text(prefix: str) -> st.SearchStrategy[str]:
    """Ids such as ``prefix-x1``: the prefix, a dash and a few letters, digits or dashes."""
    return st.text(_ID_ALPHABET, min_size=1, max_size=6).map(lambda text: f"{prefix}-{text}")


def client_ids() -> st.SearchStrategy[ClientId]:
    """Client ids such as ``c-3f``."""
    return id_text("c").map(ClientId)


# Strategies that never change, built once: building strategies inside a draw is slow.
ANY_DATE = dates()
NAMES = st.text(
    # Any printable text, accents and other scripts included, but not only whitespace.
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
    min_size=1,
    max_size=24,
).filter(lambda name: bool(name.strip()))
_DAYS = st.integers(min_value=0, max_value=_LONGEST_SPAN)
_DAYS_AFTER = st.integers(min_value=1, max_value=_LONGEST_SPAN)
CLIENT_IDS = client_ids()


def date_on_or_after(draw: st.DrawFn, start: dt.date) -> dt.date:
    """A date from ``start`` to a few years later, no later than :data:`MAX_DATE`."""
    return min(start + dt.timedelta(days=draw(_DAYS)), max(start, MAX_DATE))


def date_after(draw: st.DrawFn, start: dt.date) -> dt.date | None:
    """A date after ``start`` by up to a few years, or None when ``start`` is the last."""
    if start >= MAX_DATE:
        return None
    return min(start + dt.timedelta(days=draw(_DAYS_AFTER)), MAX_DATE)


def maybe(draw: st.DrawFn, strategy: st.SearchStrategy[_T]) -> _T | None:
    """A value from ``strategy`` or None, even odds."""
    return draw(strategy) if draw(st.booleans()) else None


def client_ids_from(ids: Sequence[str] | None) -> st.SearchStrategy[ClientId]:
    """One of the client ids ``ids``, or any client id when None."""
    if ids is None:
        return CLIENT_IDS
    if not ids:
        raise ValueError("client_ids must name at least one client")
    return st.sampled_from([ClientId(client_id) for client_id in ids])
