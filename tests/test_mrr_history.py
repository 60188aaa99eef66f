"""Subscription MRR over time (issue 14, part 1): managed points on a day use the MRR in
force that day, from an explicit ``mrr_history`` or one derived from the deals.

Hand-worked values: managed points = MRR / (per-100-USD amount of the currency table)
x managed rate (1, 2 in a growth market) / partners, rounded half up to the cent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

import partner_tiers as pt

D = dt.date
HUBSPOT_2025 = pt.load_program("hubspot-2025")
NORTHWIND = pt.demo_book()
PARTNER = pt.Partner(pt.PartnerId("p"), "Partner", "GB", D(2023, 1, 1))
C1 = pt.ClientId("c-1")


def _usd(amount: str) -> pt.Money:
    return pt.Money(amount, "USD")


def _book(
    subscription: pt.Subscription,
    deals: tuple[pt.Deal, ...] = (),
    *,
    country: str = "US",
    partners: int = 1,
) -> pt.Book:
    return pt.Book(
        PARTNER,
        clients=[pt.Client(C1, "Client", country, pt.Relationship.SOLD_AND_MANAGED)],
        subscriptions=[subscription],
        deals=deals,
        managed_services=[pt.ManagedService(C1, D(2024, 1, 1), partners=partners)],
    )


def _subscription(mrr: pt.Money, history: tuple[pt.MrrEntry, ...] = ()) -> pt.Subscription:
    return pt.Subscription(
        pt.SubscriptionId("s-1"),
        C1,
        "marketing-hub",
        "professional",
        mrr,
        D(2024, 1, 1),
        D(2026, 1, 1),
        mrr_history=history,
    )


def _deal(name: str, kind: pt.DealKind, day: dt.date, amount: pt.Money) -> pt.Deal:
    motion = pt.SalesMotion.NONE if kind is pt.DealKind.ADJUSTMENT else pt.SalesMotion.SOURCED
    return pt.Deal(pt.DealId(name), C1, "marketing-hub", kind, motion, day, amount)


def _managed(book: pt.Book, day: dt.date, program: pt.Program = HUBSPOT_2025) -> Decimal:
    return pt.build_ledger(book, program).totals(day).managed


# --- an explicit history ------------------------------------------------------------------

EXPLICIT = (
    pt.MrrEntry(D(2024, 1, 1), _usd("1000")),
    pt.MrrEntry(D(2024, 6, 1), _usd("1500")),
    pt.MrrEntry(D(2025, 1, 1), _usd("600")),
)


@pytest.mark.parametrize(
    ("day", "points"),
    [
        (D(2024, 1, 1), "5.00"),  # 1000 USD / 100 x 1 / 2 partners = 5.00
        (D(2024, 5, 31), "5.00"),  # the day before the change: still 1000 USD
        (D(2024, 6, 1), "7.50"),  # 1500 / 100 x 1 / 2 = 7.50
        (D(2024, 12, 31), "7.50"),
        (D(2025, 1, 1), "3.00"),  # 600 / 100 x 1 / 2 = 3.00 (the current MRR)
        (D(2025, 9, 30), "3.00"),
    ],
)
def test_managed_points_from_an_explicit_history(day: dt.date, points: str) -> None:
    book = _book(_subscription(_usd("600"), EXPLICIT), partners=2)
    assert _managed(book, day) == Decimal(points)


def test_an_explicit_history_in_a_growth_market_and_across_the_currency_tables() -> None:
    history = (pt.MrrEntry(D(2024, 1, 1), pt.Money("900", "EUR")),
               pt.MrrEntry(D(2025, 3, 1), pt.Money("1000", "EUR")))  # fmt: skip
    book = _book(_subscription(pt.Money("1000", "EUR"), history), country="IN", partners=3)
    # 900 EUR / 75 x 1 x 2 (India) / 3 partners = 8.00
    assert _managed(book, D(2025, 2, 28)) == Decimal("8.00")
    # 1000 EUR / 75 x 2 / 3 = 8.888... -> 8.89
    assert _managed(book, D(2025, 3, 1)) == Decimal("8.89")
    # From 2025-07-15 EUR is 88 per 100 USD: 1000 / 88 x 2 / 3 = 7.5757... -> 7.58
    assert _managed(book, D(2025, 7, 15)) == Decimal("7.58")


def test_before_the_first_row_no_mrr_is_recorded() -> None:
    late = (pt.MrrEntry(D(2024, 3, 1), _usd("400")),)
    book = _book(_subscription(_usd("400"), late))
    assert _managed(book, D(2024, 2, 29)) == 0
    assert _managed(book, D(2024, 3, 1)) == Decimal("4.00")  # 400 / 100 x 1
    assert book.mrr_on("s-1", D(2024, 2, 29)) == _usd("0")


# --- a history derived from the deals ----------------------------------------------------


def test_managed_points_from_a_derived_history() -> None:
    # Current MRR 500 USD; new 1000 on the first day, downgrade -700 on 2024-03-01,
    # upsell +200 on 2024-09-01. MRR on d = 500 minus the changes closed after d:
    #   from 2024-01-01: 500 - (-700 + 200) = 1000;  from 2024-03-01: 500 - 200 = 300;
    #   from 2024-09-01: 500.
    deals = (
        _deal("d-new", pt.DealKind.NEW, D(2024, 1, 1), _usd("1000")),
        _deal("d-down", pt.DealKind.DOWNGRADE, D(2024, 3, 1), _usd("-700")),
        _deal("d-up", pt.DealKind.UPSELL, D(2024, 9, 1), _usd("200")),
    )
    book = _book(_subscription(_usd("500")), deals)
    assert book.mrr_history("s-1") == (
        pt.MrrEntry(D(2024, 1, 1), _usd("1000")),
        pt.MrrEntry(D(2024, 3, 1), _usd("300")),
        pt.MrrEntry(D(2024, 9, 1), _usd("500")),
    )
    assert _managed(book, D(2024, 2, 29)) == Decimal("10.00")  # 1000 / 100 x 1
    assert _managed(book, D(2024, 3, 1)) == Decimal("3.00")  # 300 / 100 x 1
    assert _managed(book, D(2024, 8, 31)) == Decimal("3.00")
    assert _managed(book, D(2024, 9, 1)) == Decimal("5.00")  # 500 / 100 x 1


def test_the_demo_fabrikam_is_managed_at_900_eur_until_its_upsell() -> None:
    # s-fab-mkt: current 1200 EUR; d-2 (+300 EUR) closed on 2024-10-01, so its MRR was
    # 900 EUR from 2023-09-14. Under hubspot-2025: 900 / 75 x 1 = 12.00, not 1200 / 75 = 16.00.
    assert NORTHWIND.mrr_history("s-fab-mkt") == (
        pt.MrrEntry(D(2023, 9, 14), pt.Money("900.00", "EUR")),
        pt.MrrEntry(D(2024, 10, 1), pt.Money("1200.00", "EUR")),
    )
    ledger = pt.build_ledger(NORTHWIND, HUBSPOT_2025)
    fabrikam = {day: ledger.totals_by_client(day)[pt.ClientId("c-fabrikam")].managed for day in (
        D(2024, 6, 3), D(2024, 9, 30), D(2024, 10, 1), D(2025, 7, 15))}  # fmt: skip
    assert fabrikam[D(2024, 6, 3)] == Decimal("12.00")
    assert fabrikam[D(2024, 9, 30)] == Decimal("12.00")
    assert fabrikam[D(2024, 10, 1)] == Decimal("16.00")  # 1200 / 75
    # 1200 / 88 = 13.636 -> 13.64, + s-fab-sales 180 / 88 = 2.045 -> 2.05
    assert fabrikam[D(2025, 7, 15)] == Decimal("15.69")


def test_the_demo_is_gold_on_2024_06_03_and_platinum_from_2025_02_11() -> None:
    # 2024-06-03: sold 136 (d-4 100 + d-1 36), managed 12.00 + Adatum 15.00 = 27 < 30:
    # Gold, not Platinum. 2025-02-11: managed 15 + 16 + 2.40 = 33.40 >= 30, total 169.40.
    status = pt.evaluate(NORTHWIND, HUBSPOT_2025, as_of=D(2025, 3, 1))
    promotions = [(c.on, c.to_tier) for c in status.history if c.to_tier is not None]
    assert promotions == [(D(2024, 6, 3), "gold"), (D(2025, 2, 11), "platinum")]
    assert pt.evaluate(NORTHWIND, HUBSPOT_2025, as_of=D(2024, 6, 3)).points["managed"] == Decimal(
        "27.00"
    )


def test_the_legacy_managed_mrr_track_uses_the_mrr_of_the_day() -> None:
    # hubspot-2018: managed_mrr_usd = MRR x 100 / per-100-USD / partners.
    # 2024-06-03: Fabrikam 900 EUR x 100 / 75 = 1200.00, Adatum 1500 / 2 = 750.00.
    ledger = pt.build_ledger(NORTHWIND, pt.load_program("hubspot-2018"))
    assert ledger.totals(D(2024, 6, 3)).managed_mrr_usd == Decimal("1950.00")
    # 2024-10-01: Fabrikam 1200 EUR x 100 / 75 = 1600.00.
    assert ledger.totals(D(2024, 10, 1)).managed_mrr_usd == Decimal("2350.00")


def test_the_clients_table_shows_the_mrr_of_the_day() -> None:
    row = next(r for r in pt.clients_table(NORTHWIND, HUBSPOT_2025, as_of=D(2024, 6, 3)).rows
               if r.client == "c-fabrikam")  # fmt: skip
    assert row.mrr == {"EUR": Decimal("900.00")}
    details = pt.client_details(NORTHWIND, "c-fabrikam", as_of=D(2024, 6, 3))
    assert details.subscriptions[0]["mrr"] == "900.00 EUR"
    assert pt.client_details(NORTHWIND, "c-fabrikam").subscriptions[0]["mrr"] == "1200.00 EUR"


def test_an_ended_subscription_keeps_the_mrr_it_had_until_its_churn() -> None:
    # The churn on the end day is not subtracted: the MRR before it is the current one.
    subscription = attrs.evolve(_subscription(_usd("800")), ended_on=D(2024, 7, 1))
    deals = (
        _deal("d-new", pt.DealKind.NEW, D(2024, 1, 1), _usd("500")),
        _deal("d-up", pt.DealKind.UPSELL, D(2024, 4, 1), _usd("300")),
        _deal("d-churn", pt.DealKind.CHURN, D(2024, 7, 1), _usd("-800")),
    )
    book = _book(subscription, deals)
    assert _managed(book, D(2024, 3, 31)) == Decimal("5.00")  # 500 / 100
    assert _managed(book, D(2024, 6, 30)) == Decimal("8.00")  # 800 / 100
    assert _managed(book, D(2024, 7, 1)) == 0


# --- what a book refuses ------------------------------------------------------------------


def test_a_derived_mrr_below_zero_names_the_subscription_and_the_day() -> None:
    deals = (_deal("d-up", pt.DealKind.UPSELL, D(2024, 5, 1), _usd("800")),)
    with pytest.raises(pt.BookIntegrityError) as caught:
        _book(_subscription(_usd("500")), deals)
    error = caught.value
    assert error.field == "subscriptions[0].mrr"
    assert "s-1" in str(error)
    assert "2024-01-01" in str(error)  # 500 - 800 = -300 from the first day
    assert "-300 USD" in str(error)


def test_a_deal_in_another_currency_names_the_subscription_and_the_day() -> None:
    deals = (_deal("d-up", pt.DealKind.UPSELL, D(2024, 5, 1), pt.Money("100", "EUR")),)
    with pytest.raises(pt.BookIntegrityError) as caught:
        _book(_subscription(_usd("500")), deals)
    message = str(caught.value)
    assert "s-1" in message
    assert "2024-05-01" in message
    assert "EUR" in message


def test_an_explicit_history_makes_such_deals_acceptable() -> None:
    deals = (_deal("d-up", pt.DealKind.UPSELL, D(2024, 5, 1), pt.Money("100", "EUR")),)
    history = (pt.MrrEntry(D(2024, 1, 1), _usd("500")),)
    book = _book(_subscription(_usd("500"), history), deals)
    assert _managed(book, D(2024, 6, 1)) == Decimal("5.00")


@pytest.mark.parametrize(
    ("history", "field", "reason"),
    [
        ((pt.MrrEntry(D(2023, 12, 31), _usd("600")),), "mrr_history[0].from", "before started_on"),
        (
            (pt.MrrEntry(D(2024, 6, 1), _usd("500")), pt.MrrEntry(D(2024, 6, 1), _usd("600"))),
            "mrr_history[1].from",
            "after the row before",
        ),
        ((pt.MrrEntry(D(2024, 1, 1), _usd("500")),), "mrr_history[0].mrr", "current MRR"),
        ((pt.MrrEntry(D(2024, 1, 1), pt.Money("600", "EUR")),), "mrr_history[0].mrr", "currency"),
    ],
)
def test_a_bad_explicit_history_is_refused_with_its_row(
    history: tuple[pt.MrrEntry, ...], field: str, reason: str
) -> None:
    with pytest.raises(pt.InvalidRecordError, match=reason) as caught:
        _subscription(_usd("600"), history)
    assert caught.value.field == f"Subscription.{field}"


def test_a_negative_row_is_refused() -> None:
    with pytest.raises(pt.InvalidRecordError, match="negative"):
        pt.MrrEntry(D(2024, 1, 1), _usd("-1"))


def test_a_history_round_trips_through_the_book_file() -> None:
    book = _book(_subscription(_usd("600"), EXPLICIT), partners=2)
    text = pt.dumps_book(book)
    assert '"from": "2024-06-01"' in text
    assert pt.loads_book(text) == book
    assert pt.loads_book(pt.dumps_book(NORTHWIND)) == NORTHWIND  # no history: none written
    assert "mrr_history" not in pt.dumps_book(NORTHWIND)


def test_a_bad_history_in_a_file_names_its_json_path() -> None:
    data = pt.book_to_dict(_book(_subscription(_usd("600"), EXPLICIT)))
    data["subscriptions"][0]["mrr_history"][2]["from"] = "2024-05-01"
    with pytest.raises(pt.FileFormatError) as caught:
        pt.book_from_dict(data)
    assert "subscriptions[0].mrr_history[2].from" in str(caught.value)


def test_the_documented_history_is_the_one_the_demo_derives() -> None:
    # docs/how-to/book-format.md shows s-fab-mkt's history written out: the same rows the
    # example book derives from d-1 and d-2.
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "docs_src" / "book-mrr-history.json"
    written = pt.load_book(path)
    assert written.mrr_history("s-fab-mkt") == NORTHWIND.mrr_history("s-fab-mkt")
    assert written.subscription("s-fab-mkt").mrr_history == NORTHWIND.mrr_history("s-fab-mkt")


# --- pieces without MRR, and the smallest MRR -------------------------------------------


def test_a_paused_subscription_earns_no_managed_batch_while_its_mrr_is_zero() -> None:
    """A history row of 0 USD is a gap: no managed batch covers it, in the totals or in
    the batches, and the MRR after it starts a batch of its own."""
    paused = (
        pt.MrrEntry(D(2024, 1, 1), _usd("1000")),
        pt.MrrEntry(D(2024, 6, 1), _usd("0")),
        pt.MrrEntry(D(2024, 9, 1), _usd("1000")),
    )
    book = _book(_subscription(_usd("1000"), paused))
    ledger = pt.build_ledger(book, HUBSPOT_2025)
    managed = [batch for batch in ledger.batches if batch.track is pt.Track.MANAGED]
    assert [(b.earned_on, b.expires_on) for b in managed] == [
        (D(2024, 1, 1), D(2024, 6, 1)),
        (D(2024, 9, 1), None),
    ]
    assert all(batch.points > 0 for batch in managed)
    assert ledger.totals(D(2024, 7, 1)).managed == 0
    assert ledger.totals(D(2024, 7, 1)).managed_mrr_usd == 0
    assert ledger.totals(D(2024, 10, 1)).managed == managed[1].points


def test_one_unit_of_mrr_is_managed_credit_not_a_gap() -> None:
    """1.00 USD of MRR is priced like any other amount (it is not the zero of a gap)."""
    book = _book(_subscription(_usd("1")))
    ledger = pt.build_ledger(book, HUBSPOT_2025)
    [batch] = [batch for batch in ledger.batches if batch.track is pt.Track.MANAGED]
    assert batch.mrr_usd == Decimal("1.00")
    assert ledger.totals(D(2024, 2, 1)).managed_mrr_usd == Decimal("1.00")


def test_before_an_explicit_history_starts_the_service_earns_nothing() -> None:
    """A history may start after the subscription: before its first row the MRR is
    zero, a gap with no managed credit, priced the columnar way all the same."""
    late = (pt.MrrEntry(D(2024, 3, 1), _usd("1000")),)
    book = _book(_subscription(_usd("1000"), late))
    ledger = pt.build_ledger(book, HUBSPOT_2025)
    assert ledger._events is not None  # the columnar path, not the fallback
    assert repr(ledger.totals(D(2024, 2, 1)).managed) == "Decimal('0')"
    assert ledger.totals(D(2024, 3, 1)).managed > 0
    managed = [batch for batch in ledger.batches if batch.track is pt.Track.MANAGED]
    assert [batch.earned_on for batch in managed] == [D(2024, 3, 1)]
