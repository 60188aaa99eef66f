"""Timelines: the status month by month from one replay, equal to evaluate on each date.

The worked example is the example book src/partner_tiers/data/northwind.json under
hubspot-2025; the tier changes are derived by hand in test_engine.test_northwind_history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import partner_tiers as pt

D = dt.date


@pytest.fixture(scope="module")
def book(northwind: pt.Book) -> pt.Book:
    return northwind


@pytest.fixture(scope="module")
def program() -> pt.Program:
    return pt.load_program("hubspot-2025")


@pytest.fixture(scope="module")
def months(book: pt.Book, program: pt.Program) -> pt.Timeline:
    return pt.timeline(book, program, D(2021, 3, 1), D(2026, 3, 1))


def test_timeline_equals_evaluate_on_every_month(
    months: pt.Timeline, book: pt.Book, program: pt.Program
) -> None:
    ledger = pt.build_ledger(book, program)
    assert len(months) == 61
    for day in months:
        assert months[day] == pt.evaluate(book, program, as_of=day, ledger=ledger)
        assert months[day].reasons == pt.evaluate(book, program, as_of=day).reasons


def test_northwind_month_by_month(months: pt.Timeline) -> None:
    """Untiered until d-4 on 2024-06-03 brings Gold (Provider from the review of
    2023-07-01 until then; Fabrikam's managed points at its 900 EUR MRR of then are too
    few for Platinum), d-5 on 2025-02-11 Platinum; the demotion decided on 2025-07-01
    lands on 2025-07-31."""
    tiers = {day: months[day].tier for day in months}
    assert {tiers[day] for day in months if day < D(2024, 6, 3)} == {None}
    assert tiers[D(2024, 7, 1)] == "gold"
    assert tiers[D(2025, 2, 1)] == "gold"
    assert tiers[D(2025, 3, 1)] == "platinum"
    assert tiers[D(2025, 7, 1)] == "platinum"
    assert months[D(2025, 7, 1)].pending_demotion is not None
    assert tiers[D(2025, 8, 1)] == "gold"
    assert tiers[D(2026, 3, 1)] == "gold"
    levels = {day: months[day].level for day in months}
    assert levels[D(2023, 6, 1)] == "partner"
    assert levels[D(2023, 7, 1)] == "provider"
    assert levels[D(2024, 6, 1)] == "provider"
    assert levels[D(2024, 7, 1)] == "partner"
    # On 2025-10-01 d-2 has expired: 12.00 points less than on 2025-09-01.
    assert months[D(2025, 9, 1)].values["total"] == Decimal("66.69")
    assert months[D(2025, 10, 1)].values["total"] == Decimal("54.69")


def test_timeline_is_a_mapping_of_dates(months: pt.Timeline) -> None:
    days = list(months)
    assert days[0] == D(2021, 3, 1)
    assert days[-1] == D(2026, 3, 1)
    assert days == sorted(days)
    assert months.program == "hubspot-2025@2025-07-15"
    assert D(2025, 9, 30) not in months
    with pytest.raises(KeyError):
        months[D(2025, 9, 30)]


def test_timeline_rows_hold_values_and_the_next_tiers_reach(months: pt.Timeline) -> None:
    rows = {row["as_of"]: row for row in months.rows()}
    assert len(rows) == len(months)
    row = rows[D(2025, 9, 1)]
    assert row["tier"] == "gold"
    assert row["next_tier"] == "platinum"
    assert row["value.total"] == Decimal("66.69")
    assert row["value.sourced"] == Decimal("24.00")
    assert row["value.managed"] == Decimal("30.69")
    assert row["reach.total"] == Decimal("157.5")
    assert row["reach.sourced"] == Decimal(30)
    untiered = rows[D(2023, 1, 1)]
    assert (untiered["tier"], untiered["next_tier"]) == (None, "gold")
    assert untiered["reach.total"] == Decimal("52.5")


def test_timeline_steps_by_months_and_includes_the_end_on_the_step(
    book: pt.Book, program: pt.Program
) -> None:
    quarterly = pt.timeline(book, program, D(2024, 1, 31), D(2025, 1, 31), months=3)
    assert list(quarterly) == [
        D(2024, 1, 31),
        D(2024, 4, 30),
        D(2024, 7, 31),
        D(2024, 10, 31),
        D(2025, 1, 31),
    ]
    off_step = pt.timeline(book, program, D(2024, 1, 1), D(2024, 3, 15))
    assert list(off_step) == [D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1)]
    single = pt.timeline(book, program, D(2024, 1, 1), D(2024, 1, 1))
    assert list(single) == [D(2024, 1, 1)]


def test_timeline_refuses_an_end_before_the_start(book: pt.Book, program: pt.Program) -> None:
    with pytest.raises(pt.InvalidRecordError, match="end"):
        pt.timeline(book, program, D(2025, 1, 1), D(2024, 1, 1))
    with pytest.raises(pt.InvalidRecordError, match="months"):
        pt.timeline(book, program, D(2024, 1, 1), D(2025, 1, 1), months=0)


def test_statuses_sorts_and_deduplicates_days(book: pt.Book, program: pt.Program) -> None:
    days = [D(2025, 9, 30), D(2024, 7, 1), D(2025, 9, 30)]
    found = pt.statuses(book, program, days)
    assert [status.as_of for status in found] == [D(2024, 7, 1), D(2025, 9, 30)]
    assert found[1] == pt.evaluate(book, program, as_of=D(2025, 9, 30))
    assert pt.statuses(book, program, []) == []
