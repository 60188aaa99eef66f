"""Unit tests of the columnar pricing's integer arithmetic against the object path's
Decimal and dateutil arithmetic (the differential tests in test_columnar.py compare
whole ledgers)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, localcontext

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from partner_tiers._engine.columnar import _expiry, _half_up, _share
from partner_tiers._model.dated import expiry_date
from partner_tiers._rules.compiled import CompiledProgram

DAYS = np.arange(dt.date(2019, 1, 1).toordinal(), dt.date(2029, 1, 1).toordinal())


@pytest.mark.parametrize("months", [1, 2, 11, 12, 13, 24, 36])
def test_calendar_months_on_arrays_equal_relativedelta(months: int) -> None:
    """Every day of ten years (leap days and month ends included) plus the window, as
    `expiry_date` (dateutil's relativedelta, clipped to the month's end) gives it."""
    tables = CompiledProgram(supported=True, expiry_starts=(1,), expiry_months=(months,))
    expected = [expiry_date(dt.date.fromordinal(day), months).toordinal() for day in DAYS.tolist()]
    assert _expiry(tables, DAYS).tolist() == expected


def test_the_expiry_window_in_force_on_each_day_applies() -> None:
    """A rule change on 2024-03-01 from 12 to 6 months: each sale takes its day's."""
    change = dt.date(2024, 3, 1).toordinal()
    tables = CompiledProgram(supported=True, expiry_starts=(1, change), expiry_months=(12, 6))
    expected = [
        expiry_date(dt.date.fromordinal(day), 12 if day < change else 6).toordinal()
        for day in DAYS.tolist()
    ]
    assert _expiry(tables, DAYS).tolist() == expected


@given(st.integers(0, 10**12), st.integers(1, 10**9))
def test_half_up_on_integers_is_decimal_half_up(numerator: int, denominator: int) -> None:
    """(2n + d) // (2d) is n / d rounded half up, exactly."""
    with localcontext() as context:
        context.prec = 60
        expected = (Decimal(numerator) / Decimal(denominator)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
    assert _half_up(numerator, denominator) == int(expected)


@given(st.integers(0, 10**9), st.integers(1, 10**7), st.integers(1, 10**7))
def test_share_of_a_partly_offset_batch_is_the_object_paths(
    value: int, take: int, amount: int
) -> None:
    """value x take / amount in hundredths, rounded as the object path rounds it: the
    share held as a 60-digit Decimal, then half up to the cent."""
    with localcontext() as context:
        context.prec = 60
        share = Decimal(take) / Decimal(amount)
        expected = (Decimal(value).scaleb(-2) * share).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    assert _share(value, take, amount) == int(expected.scaleb(2))


def test_share_at_an_exact_half_hundredth_follows_the_sixty_digit_share() -> None:
    """1.62 points x 7/12 is exactly 0.945: the exact rational rounds up to 0.95, but the
    object path multiplies by 7/12 held in 60 digits (a little below 7/12) and gets 0.94;
    _share gives the object path's answer."""
    assert _half_up(162 * 7, 12) == 95
    assert _share(162, 7, 12) == 94
