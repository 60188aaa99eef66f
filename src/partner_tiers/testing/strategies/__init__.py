"""Hypothesis strategies for partner_tiers: money, every record, consistent books, point
batches and ledgers.

Every strategy generates valid values only: dates between 2016-01-01 and 2030-12-31,
amounts as Decimals with two places and a bounded magnitude, currencies and countries
from small realistic sets (both growth-market and standard countries). Use them to test
code built on partner_tiers::

    from hypothesis import given
    from partner_tiers.testing import strategies as pts

    @given(pts.books(), pts.dates())
    def test_report_never_fails(book, day): ...

This package needs Hypothesis; the rest of partner_tiers does not import it. The
strategies live in private modules by what they generate (values, records, books,
ledgers, programs); this module is their public face.
"""

from partner_tiers.testing.strategies._books import books
from partner_tiers.testing.strategies._ledgers import ledgers, point_batches
from partner_tiers.testing.strategies._programs import programs
from partner_tiers.testing.strategies._records import (
    certifications,
    clients,
    deals,
    managed_services,
    partners,
    subscriptions,
)
from partner_tiers.testing.strategies._values import (
    DEFAULT_COUNTRIES,
    DEFAULT_CURRENCIES,
    GROWTH_COUNTRIES,
    MAX_AMOUNT,
    MAX_DATE,
    MIN_DATE,
    PRODUCT_LINES,
    STANDARD_COUNTRIES,
    amounts,
    client_ids,
    dates,
    money,
)

__all__ = [
    "DEFAULT_COUNTRIES",
    "DEFAULT_CURRENCIES",
    "GROWTH_COUNTRIES",
    "MAX_AMOUNT",
    "MAX_DATE",
    "MIN_DATE",
    "PRODUCT_LINES",
    "STANDARD_COUNTRIES",
    "amounts",
    "books",
    "certifications",
    "client_ids",
    "clients",
    "dates",
    "deals",
    "ledgers",
    "managed_services",
    "money",
    "partners",
    "point_batches",
    "programs",
    "subscriptions",
]
