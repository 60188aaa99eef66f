"""Metamorphic properties: changes to a book that must not change its results, or must
change them in a known way.

- Reordering the records of a book changes neither its ledger nor its status.
- Splitting a deal into two deals of half the MRR gives the same points up to the
  rounding of one cent per batch.
- Shifting every date of a book by whole years, under a program whose rules are constant
  over the period, shifts its timeline: the statuses at shifted dates are equal. Shifts
  are multiples of four years: from 1901 to 2099 every fourth year is a leap year, so the
  calendar repeats exactly every 1461 days and Feb 29 maps to Feb 29.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import partner_tiers as pt
from partner_tiers.testing import strategies as pts

_R = TypeVar("_R")
CENT = Decimal("0.01")
METRICS = ("sold", "sourced", "assisted", "managed", "total", "sold_mrr_usd", "managed_mrr_usd")


def constant_program() -> pt.Program:
    """hubspot-2025's ladder and gates with one rate row (from 1990), one currency table,
    one growth list, one expiry and one rounding rule: no rule changes after 1990."""
    data = pt.program_to_dict(pt.load_program("hubspot-2025"))
    data["effective_from"] = "1990-01-01"
    data["rates"] = [
        {
            "effective_from": "1990-01-01",
            "sourced": "5",
            "assisted": "3",
            "unattributed": "3",
            "managed": "1",
        }
    ]
    table = dict(data["currencies"][-1])
    table.pop("effective_from", None)
    data["currencies"] = [table]
    data["growth_markets"] = [
        {key: value for key, value in row.items() if key != "effective_from"}
        for row in data["growth_markets"][:1]
    ]
    data["expiry"] = [{"months": 12}]
    data["rounding"] = [{"places": 2, "mode": "half_up"}]
    return pt.program_from_dict(data)


CONSTANT = constant_program()
HUBSPOT_2025 = pt.load_program("hubspot-2025")


def outcome(call: Callable[[], _R]) -> _R | type[pt.PartnerTiersError]:
    """The result, or the class of the library error raised (so that two runs that fail
    alike compare equal)."""
    try:
        return call()
    except pt.PartnerTiersError as error:
        return type(error)


def test_the_constant_program_has_one_row_of_each_rule() -> None:
    assert len(CONSTANT.rates) == 1
    assert CONSTANT.rates[0].effective_from == dt.date(1990, 1, 1)
    assert len(CONSTANT.currencies) == len(CONSTANT.growth_markets) == 1
    assert CONSTANT.currencies[0].effective_from is None
    assert CONSTANT.tiers == HUBSPOT_2025.tiers


# --- reordering -------------------------------------------------------------------------


@st.composite
def reordered(draw: st.DrawFn, book: pt.Book) -> pt.Book:
    def shuffled(items: Sequence[Any]) -> list[Any]:
        return list(draw(st.permutations(items)))

    return attrs.evolve(
        book,
        clients=shuffled(book.clients),
        subscriptions=shuffled(book.subscriptions),
        deals=shuffled(book.deals),
        certifications=shuffled(book.certifications),
        managed_services=shuffled(book.managed_services),
    )


@settings(max_examples=40, deadline=None)
@given(st.data(), pts.books(max_clients=4, max_records=6), pts.dates(dt.date(2018, 1, 1)))
def test_reordering_records_changes_neither_ledger_nor_status(
    data: st.DataObject, book: pt.Book, day: dt.date
) -> None:
    other = data.draw(reordered(book))
    for program in (HUBSPOT_2025, CONSTANT):
        ledger = outcome(partial(pt.build_ledger, book, program))
        assert outcome(partial(pt.build_ledger, other, program)) == ledger
        if isinstance(ledger, pt.PointsLedger):
            status = pt.evaluate(book, program, as_of=day, ledger=ledger)
            again = pt.evaluate(other, program, as_of=day)
            assert again.points == status.points
            assert again.values == status.values
            assert (again.tier, again.qualified_tier) == (status.tier, status.qualified_tier)
            assert again.history == status.history
            assert [(g.name, g.passed) for g in again.gates] == [
                (g.name, g.passed) for g in status.gates
            ]
            assert again.to_next_tier == status.to_next_tier
            assert again.to_keep_tier == status.to_keep_tier


def test_reordering_the_northwind_book_changes_nothing(northwind: pt.Book) -> None:
    book = northwind
    other = attrs.evolve(
        book,
        clients=book.clients[::-1],
        subscriptions=book.subscriptions[::-1],
        deals=book.deals[::-1],
        certifications=book.certifications[::-1],
        managed_services=book.managed_services[::-1],
    )
    assert other != book
    day = dt.date(2025, 9, 30)
    assert pt.build_ledger(other, HUBSPOT_2025) == pt.build_ledger(book, HUBSPOT_2025)
    assert pt.evaluate(other, HUBSPOT_2025, as_of=day) == pt.evaluate(book, HUBSPOT_2025, as_of=day)


# --- splitting a deal -------------------------------------------------------------------

EARNING = (pt.DealKind.NEW, pt.DealKind.CROSS_SELL, pt.DealKind.UPSELL)


@st.composite
def books_with_earning_deals(draw: st.DrawFn) -> pt.Book:
    clients = draw(
        st.lists(pts.clients(), min_size=1, max_size=3, unique_by=lambda client: client.id)
    )
    ids = [client.id for client in clients]
    deals = draw(
        st.lists(pts.deals(ids, kinds=EARNING), min_size=1, max_size=6, unique_by=lambda d: d.id)
    )
    # Even cents, so that half of every amount is exact.
    deals = [
        attrs.evolve(
            deal,
            mrr_change=pt.Money(
                max(deal.mrr_change.amount * 2, Decimal("0.02")), deal.mrr_change.currency
            ),
        )
        for deal in deals
    ]
    return pt.Book(draw(pts.partners()), clients=clients, deals=deals)


def split(book: pt.Book, index: int) -> pt.Book:
    deal = book.deals[index]
    half = pt.Money(deal.mrr_change.amount / 2, deal.mrr_change.currency)
    halves = (
        attrs.evolve(deal, id=pt.DealId(f"{deal.id}~a"), mrr_change=half),
        attrs.evolve(deal, id=pt.DealId(f"{deal.id}~b"), mrr_change=half),
    )
    return attrs.evolve(book, deals=(*book.deals[:index], *halves, *book.deals[index + 1 :]))


@settings(max_examples=60, deadline=None)
@given(st.data(), books_with_earning_deals())
def test_splitting_a_deal_in_halves_keeps_its_points_up_to_a_cent(
    data: st.DataObject, book: pt.Book
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(book.deals) - 1))
    halved = split(book, index)
    deal = book.deals[index]
    for program in (HUBSPOT_2025, CONSTANT):
        whole = pt.build_ledger(book, program)
        parts = pt.build_ledger(halved, program)
        assert len(parts) == len(whole) + 1
        batch = whole.batch(f"sold:{deal.id}")
        a, b = parts.batch(f"sold:{deal.id}~a"), parts.batch(f"sold:{deal.id}~b")
        assert abs(a.points + b.points - batch.points) <= CENT
        assert a.points == b.points
        assert a.rate == b.rate == batch.rate
        for day in {deal.closed_on, deal.closed_on + dt.timedelta(days=200)}:
            before, after = whole.totals(day), parts.totals(day)
            for metric in METRICS:
                assert abs(getattr(after, metric) - getattr(before, metric)) <= CENT, metric


PARTNER = pt.Partner(pt.PartnerId("p-1"), "Partner", "US", dt.date(2021, 1, 1))
CLIENT = pt.Client(pt.ClientId("c-1"), "Example", "US", pt.Relationship.SOLD)


def one_deal_book(
    kind: pt.DealKind, motion: pt.SalesMotion, day: dt.date, amount: str, currency: str = "USD"
) -> pt.Book:
    money = pt.Money(amount, currency)
    deal = pt.Deal(pt.DealId("d-1"), CLIENT.id, "sales-hub", kind, motion, day, money)
    return pt.Book(PARTNER, clients=[CLIENT], deals=[deal])


def test_splitting_the_worked_example_deal() -> None:
    # domain.md: Mar 2024 sourced cross-sell of 1,000 USD -> 50 points; halves give 25 + 25.
    book = one_deal_book(
        pt.DealKind.CROSS_SELL, pt.SalesMotion.SOURCED, dt.date(2024, 3, 1), "1000"
    )
    day = dt.date(2024, 3, 1)
    assert pt.build_ledger(book, HUBSPOT_2025).totals(day).sourced == Decimal("50.00")
    assert pt.build_ledger(split(book, 0), HUBSPOT_2025).totals(day).sourced == Decimal("50.00")


def test_splitting_an_odd_amount_differs_by_at_most_one_cent() -> None:
    # 0.03 USD at 5 points per 100 USD: 0.0015 -> 0.00; halves 0.015 USD -> 0.00075 -> 0.00.
    # 30.10 EUR at 75 per 100 USD x 3: 1.204 -> 1.20; halves 0.602 -> 0.60 each.
    day = dt.date(2023, 3, 1)
    for amount, currency in (("0.30", "USD"), ("30.10", "EUR"), ("0.02", "JPY"), ("1.70", "USD")):
        book = one_deal_book(pt.DealKind.NEW, pt.SalesMotion.ASSISTED, day, amount, currency)
        whole = pt.build_ledger(book, HUBSPOT_2025).totals(day).sold
        parts = pt.build_ledger(split(book, 0), HUBSPOT_2025).totals(day).sold
        assert abs(whole - parts) <= CENT


# --- shifting dates by whole years --------------------------------------------------------


def shift_date(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years)


def shifted(book: pt.Book, years: int) -> pt.Book:
    def move(record: Any, *names: str) -> Any:
        changes = {
            name: shift_date(getattr(record, name), years)
            for name in names
            if getattr(record, name) is not None
        }
        return attrs.evolve(record, **changes)

    return attrs.evolve(
        book,
        partner=move(book.partner, "joined_on"),
        subscriptions=[
            attrs.evolve(
                s,
                started_on=shift_date(s.started_on, years),
                renews_on=shift_date(s.renews_on, years),
                ended_on=s.ended_on and shift_date(s.ended_on, years),
                mrr_history=[move(entry, "since") for entry in s.mrr_history],
            )
            for s in book.subscriptions
        ],
        deals=[move(d, "closed_on") for d in book.deals],
        certifications=[move(c, "valid_from", "valid_until") for c in book.certifications],
        managed_services=[move(m, "since", "until") for m in book.managed_services],
    )


def comparable(status: pt.TierStatus, years: int) -> dict[str, Any]:
    """The status with its dates moved back by ``years`` (text that names dates left out)."""
    pending = status.pending_demotion
    return {
        "as_of": shift_date(status.as_of, -years),
        "tier": status.tier,
        "qualified_tier": status.qualified_tier,
        "level": status.level,
        "values": dict(status.values),
        "points": dict(status.points),
        "next_tier": status.next_tier,
        "to_next_tier": dict(status.to_next_tier),
        "to_keep_tier": dict(status.to_keep_tier),
        "gates": [(gate.name, gate.passed) for gate in status.gates],
        "next_review": shift_date(status.next_review, -years),
        "expiring": dict(status.expiring_before_review),
        "projected_tier": status.projected_tier,
        "history": [
            (shift_date(change.on, -years), change.from_tier, change.to_tier)
            for change in status.history
        ],
        "pending": None
        if pending is None
        else (shift_date(pending.on, -years), pending.from_tier, pending.to_tier),
    }


@settings(max_examples=30, deadline=None)
@given(
    pts.books(max_clients=4, max_records=6),
    st.sampled_from([-4, 4, 8, 40]),
    st.lists(pts.dates(dt.date(2016, 1, 1), dt.date(2032, 12, 31)), min_size=1, max_size=4),
)
def test_shifting_every_date_by_whole_leap_cycles_shifts_the_timeline(
    book: pt.Book, years: int, days: list[dt.date]
) -> None:
    moved = shifted(book, years)
    before = outcome(lambda: pt.statuses(book, CONSTANT, days))
    after = outcome(lambda: pt.statuses(moved, CONSTANT, [shift_date(day, years) for day in days]))
    if isinstance(before, list):
        assert isinstance(after, list)
        assert [comparable(s, years) for s in after] == [comparable(s, 0) for s in before]
    else:
        assert after == before


@pytest.mark.parametrize("years", [-8, 4, 12])
def test_shifting_the_northwind_book_shifts_its_timeline(northwind: pt.Book, years: int) -> None:
    book = northwind
    start, end = dt.date(2022, 1, 1), dt.date(2026, 12, 1)
    timeline = pt.timeline(book, CONSTANT, start, end)
    moved = pt.timeline(
        shifted(book, years), CONSTANT, shift_date(start, years), shift_date(end, years)
    )
    assert len(moved) == len(timeline)
    for (day, status), (moved_day, moved_status) in zip(
        timeline.items(), moved.items(), strict=True
    ):
        assert moved_day == shift_date(day, years)
        assert comparable(moved_status, years) == comparable(status, 0)
    # The shift is not vacuous: the tier does change over the period.
    assert len({status.tier for status in timeline.values()}) > 1


def test_the_shift_needs_a_constant_program() -> None:
    # Under hubspot-2025 the sourced rate changes on 2024-02-27: shifting a 2023 deal by
    # four years prices it at the new rate, so the property is about constant rules only.
    book = one_deal_book(pt.DealKind.NEW, pt.SalesMotion.SOURCED, dt.date(2023, 3, 1), "1000")
    ledger = pt.build_ledger(book, HUBSPOT_2025)
    moved = pt.build_ledger(shifted(book, 4), HUBSPOT_2025)
    assert ledger.totals(dt.date(2023, 3, 1)).sourced == Decimal("30.00")
    assert moved.totals(dt.date(2027, 3, 1)).sourced == Decimal("50.00")
    constant = pt.build_ledger(book, CONSTANT).totals(dt.date(2023, 3, 1))
    assert constant == pt.build_ledger(shifted(book, 4), CONSTANT).totals(dt.date(2027, 3, 1))


# --- the projection is the review, when nothing else happens ---------------------------------


def _quiet_until(book: pt.Book, as_of: dt.date, review: dt.date) -> pt.Book:
    """The book without anything that starts, ends or is sold in (as_of, review]: what
    is left only expires (sold points) or stays (managed points, certifications)."""

    def quiet(*days: dt.date | None) -> bool:
        return not any(day is not None and as_of < day <= review for day in days)

    return attrs.evolve(
        book,
        deals=tuple(d for d in book.deals if d.closed_on <= as_of),
        subscriptions=tuple(s for s in book.subscriptions if quiet(s.started_on, s.ended_on)),
        managed_services=tuple(m for m in book.managed_services if quiet(m.since, m.until)),
        certifications=tuple(
            c
            for c in book.certifications
            if quiet(c.valid_from, c.valid_until + dt.timedelta(days=1))
        ),
    )


@settings(max_examples=80, deadline=None)
@given(pts.programs(max_tiers=4), pts.books(max_clients=4, max_records=6), pts.dates())
def test_the_projected_tier_is_the_tier_the_review_decides_when_nothing_else_happens(
    program: pt.Program, book: pt.Book, as_of: dt.date
) -> None:
    # No notice period (a demotion then lands after the review), no gate that moves with
    # time by itself (the tool-usage window slides), no rule that changes before the review.
    program = attrs.evolve(
        program,
        policy=attrs.evolve(program.policy, notice_days=0),
        gates=tuple(g for g in program.gates if g.kind == "certification"),
    )
    as_of = max(as_of, book.partner.joined_on)
    review = program.policy.next_review(as_of)
    assume(not any(as_of < row.effective_from <= review for row in program.rates))
    book = _quiet_until(book, as_of, review)
    try:
        status = pt.evaluate(book, program, as_of=as_of)
    except pt.PricingError:
        assume(False)  # a deal before the program's first rate row
        return
    assert status.next_review == review
    assert pt.evaluate(book, program, as_of=review).tier == status.projected_tier
