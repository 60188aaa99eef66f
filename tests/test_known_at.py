"""Known-at evaluation: the book as it was known on a day (Book.known_at), evaluate's
known_at, the CLI's --known-at, and the stability of known-at history."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import partner_tiers as pt
from partner_tiers._cli import main
from partner_tiers.testing import strategies as pts

SERIES = pt.load_program("hubspot")
HUBSPOT_2025 = pt.load_program("hubspot-2025")
CLOSED = dt.date(2025, 2, 11)  # the demo's d-5, an assisted upsell of 400 USD
RECORDED = dt.date(2025, 3, 10)


def late_demo() -> pt.Book:
    """The demo book with d-5 recorded a month after it closed."""
    book = pt.demo_book()
    deals = tuple(
        attrs.evolve(deal, recorded_on=RECORDED) if deal.id == "d-5" else deal
        for deal in book.deals
    )
    return attrs.evolve(book, deals=deals)


def test_a_late_deal_counts_for_known_at_after_its_recording_not_before() -> None:
    book = late_demo()
    as_of = dt.date(2025, 2, 28)
    before = pt.evaluate(book, SERIES, as_of=as_of, known_at=RECORDED - dt.timedelta(days=1))
    after = pt.evaluate(book, SERIES, as_of=as_of, known_at=RECORDED)
    everything = pt.evaluate(book, SERIES, as_of=as_of)
    assert after.points == everything.points
    assert (
        after.points["assisted"] - before.points["assisted"]
        == pt.build_ledger(book, SERIES).batch("sold:d-5").points
    )
    assert "sold:d-5" not in str(before.explain())
    assert (before.known_at, after.known_at, everything.known_at) == (
        RECORDED - dt.timedelta(days=1),
        RECORDED,
        None,
    )


def test_without_recorded_on_a_record_is_known_from_its_effective_date() -> None:
    book = pt.demo_book()
    known = book.known_at(CLOSED - dt.timedelta(days=1))
    assert "d-5" not in {deal.id for deal in known.deals}
    assert "d-5" in {deal.id for deal in book.known_at(CLOSED).deals}
    assert all(cert.valid_from <= CLOSED for cert in book.known_at(CLOSED).certifications)


def test_a_day_before_every_record_gives_the_empty_book_answer() -> None:
    book = pt.demo_book()
    early = dt.date(2020, 1, 1)
    known = book.known_at(early)
    assert (known.deals, known.certifications, known.managed_services) == ((), (), ())
    empty = attrs.evolve(book, deals=(), certifications=(), managed_services=())
    status = pt.evaluate(book, SERIES, as_of=dt.date(2025, 9, 30), known_at=early)
    assert status.points == pt.evaluate(empty, SERIES, as_of=dt.date(2025, 9, 30)).points
    assert status.tier is None


def test_a_derived_mrr_history_loses_the_change_of_a_deal_not_yet_known() -> None:
    book = pt.demo_book()  # s-fab-mkt: 900 EUR, 1200 EUR from d-2's close on 2024-10-01
    known = book.known_at(dt.date(2024, 9, 30))
    assert known.mrr_on("s-fab-mkt", dt.date(2025, 9, 30)) == pt.Money("900.00", "EUR")
    assert book.mrr_on("s-fab-mkt", dt.date(2025, 9, 30)) == pt.Money("1200.00", "EUR")
    assert known.known_at(dt.date(2024, 9, 30)) == known  # asking again changes nothing


def test_a_managed_service_end_is_known_once_it_happened() -> None:
    service = pt.ManagedService(pt.ClientId("c-1"), dt.date(2024, 1, 1), until=dt.date(2024, 6, 1))
    book = pt.Book(
        partner=pt.demo_book().partner,
        clients=(pt.Client(pt.ClientId("c-1"), "One", "US", "managed"),),
        managed_services=(service,),
    )
    assert book.known_at(dt.date(2024, 3, 1)).managed_services[0].until is None
    assert book.known_at(dt.date(2024, 6, 1)).managed_services[0].until == dt.date(2024, 6, 1)
    late = attrs.evolve(service, recorded_on=dt.date(2024, 7, 1))
    book = attrs.evolve(book, managed_services=(late,))
    assert book.known_at(dt.date(2024, 6, 30)).managed_services == ()


def test_mrr_rows_recorded_later_are_not_known_before() -> None:
    rows = (
        pt.MrrEntry(dt.date(2024, 1, 1), pt.Money("100", "USD")),
        pt.MrrEntry(dt.date(2024, 3, 1), pt.Money("300", "USD"), dt.date(2024, 5, 1)),
    )
    subscription = pt.Subscription(
        pt.SubscriptionId("s-1"),
        pt.ClientId("c-1"),
        "marketing-hub",
        "pro",
        pt.Money("300", "USD"),
        dt.date(2024, 1, 1),
        dt.date(2025, 1, 1),
        mrr_history=rows,
    )
    book = pt.Book(
        partner=pt.demo_book().partner,
        clients=(pt.Client(pt.ClientId("c-1"), "One", "US", "managed"),),
        subscriptions=(subscription,),
    )
    assert book.known_at(dt.date(2024, 4, 30)).mrr_on("s-1", dt.date(2024, 4, 1)).amount == 100
    assert book.known_at(dt.date(2024, 5, 1)).mrr_on("s-1", dt.date(2024, 4, 1)).amount == 300


def test_recorded_on_round_trips_through_a_book_file(tmp_path: Path) -> None:
    book = late_demo()
    path = tmp_path / "book.json"
    path.write_text(pt.dumps_book(book), "utf-8")
    assert '"recorded_on": "2025-03-10"' in path.read_text("utf-8")
    assert pt.load_book(path) == book


def test_a_bad_known_at_is_named() -> None:
    with pytest.raises(pt.InvalidRecordError, match="known_at"):
        pt.evaluate(pt.demo_book(), SERIES, as_of=dt.date(2025, 9, 30), known_at="2025-01-01")  # type: ignore[arg-type]


def test_timeline_and_statuses_take_known_at() -> None:
    book = late_demo()
    known = dt.date(2025, 3, 1)
    line = pt.timeline(book, SERIES, dt.date(2025, 1, 31), dt.date(2025, 3, 31), known_at=known)
    assert [status.known_at for status in line.statuses] == [known] * 3
    assert line[dt.date(2025, 3, 31)] == pt.evaluate(
        book, SERIES, as_of=dt.date(2025, 3, 31), known_at=known
    )


def test_cli_evaluate_known_at_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "book.json"
    path.write_text(pt.dumps_book(late_demo()), "utf-8")
    answers = []
    for known in ("2025-03-09", "2025-03-10"):
        main(["evaluate", str(path), "--as-of", "2025-02-28", "--known-at", known, "--json"])
        answers.append(json.loads(capsys.readouterr().out))
    assert [answer["known_at"] for answer in answers] == ["2025-03-09", "2025-03-10"]
    assert answers[0]["points"]["assisted"] != answers[1]["points"]["assisted"]


@st.composite
def late_deals(draw: st.DrawFn, book: pt.Book, known_at: dt.date) -> tuple[pt.Deal, ...]:
    """Deals recorded after known_at on a product line no subscription has (a derived
    subscription's current MRR already includes every deal on its line)."""
    if not book.clients:
        return ()
    drawn = draw(st.lists(pts.deals([c.id for c in book.clients]), max_size=3))
    return tuple(
        attrs.evolve(
            deal,
            id=pt.DealId(f"late-{number}"),
            product_line="late-line",
            recorded_on=known_at + dt.timedelta(days=draw(st.integers(1, 400))),
        )
        for number, deal in enumerate(drawn)
    )


@settings(max_examples=40, deadline=None)
@given(st.data(), pts.books(max_clients=4, max_records=5), pts.dates(dt.date(2019, 1, 1)))
def test_known_at_history_is_stable_when_later_records_are_added(
    data: st.DataObject, book: pt.Book, known_at: dt.date
) -> None:
    as_of = data.draw(pts.dates(dt.date(2019, 1, 1)))
    later = known_at + dt.timedelta(days=data.draw(st.integers(1, 400)))
    more = attrs.evolve(
        book,
        deals=(*book.deals, *data.draw(late_deals(book, known_at))),
        certifications=(
            *book.certifications,
            pt.Certification(
                pt.CertificationId("late-cert"),
                "Late",
                known_at - dt.timedelta(days=30),
                known_at + dt.timedelta(days=300),
                recorded_on=later,
            ),
        ),
    )
    try:
        status = pt.evaluate(book, HUBSPOT_2025, as_of=as_of, known_at=known_at)
    except pt.PricingError:
        return
    assert pt.evaluate(more, HUBSPOT_2025, as_of=as_of, known_at=known_at) == status
