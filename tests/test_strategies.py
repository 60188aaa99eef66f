"""The public strategies in partner_tiers.testing generate what they promise, and the core
works without Hypothesis."""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import partner_tiers as pt
from partner_tiers.testing import strategies as pts


def in_range(day: dt.date | None) -> bool:
    return day is None or pts.MIN_DATE <= day <= pts.MAX_DATE


def has_two_places(amount: Decimal) -> bool:
    return amount.as_tuple().exponent == -2 and abs(amount) <= pts.MAX_AMOUNT


@given(pts.money())
def test_money_has_two_places_a_bounded_amount_and_a_default_currency(money: pt.Money) -> None:
    assert has_two_places(money.amount)
    assert money.amount >= 0
    assert money.currency in pts.DEFAULT_CURRENCIES


@given(pts.money(["CHF", "XXX"], min_amount=-5, max_amount=5))
def test_money_keeps_to_the_currencies_and_bounds_asked_for(money: pt.Money) -> None:
    assert money.currency in ("CHF", "XXX")
    assert -5 <= money.amount <= 5


@given(pts.amounts(Decimal("0.005"), Decimal("0.019")))
def test_amount_bounds_are_rounded_inwards_to_whole_cents(amount: Decimal) -> None:
    assert amount == Decimal("0.01")


def test_the_default_countries_include_growth_and_standard_markets() -> None:
    assert {"IN", "BR", "MX", "SG"} <= set(pts.DEFAULT_COUNTRIES)
    assert {"US", "DE", "GB", "FR"} <= set(pts.DEFAULT_COUNTRIES)
    assert not set(pts.GROWTH_COUNTRIES) & set(pts.STANDARD_COUNTRIES)


@given(pts.deals())
def test_deals_have_the_sign_their_kind_requires(deal: pt.Deal) -> None:
    amount = deal.mrr_change.amount
    if deal.kind.earns:
        assert amount > 0
    elif deal.kind.reduces:
        assert amount < 0
    else:
        assert amount != 0
        assert deal.motion is pt.SalesMotion.NONE
    assert has_two_places(amount)
    assert in_range(deal.closed_on)


@given(pts.deals(["c-1"], ["sales-hub"], kinds=[pt.DealKind.CHURN], currencies=["ZAR"]))
def test_deals_keep_to_the_clients_lines_kinds_and_currencies_asked_for(deal: pt.Deal) -> None:
    assert (deal.client, deal.product_line, deal.kind) == ("c-1", "sales-hub", "churn")
    assert deal.mrr_change.currency == "ZAR"
    assert deal.mrr_change.amount < 0


@given(
    st.one_of(
        pts.subscriptions(["c-1", "c-2"]),
        pts.managed_services(["c-1", "c-2"]),
    )
)
def test_records_refer_only_to_the_clients_given(
    record: pt.Subscription | pt.ManagedService,
) -> None:
    assert record.client in ("c-1", "c-2")


@given(pts.subscriptions())
def test_subscriptions_have_dates_in_range_and_renewals_in_their_currency(
    subscription: pt.Subscription,
) -> None:
    for day in (subscription.started_on, subscription.renews_on, subscription.ended_on):
        assert in_range(day)
    if subscription.renewal is not None:
        assert subscription.renewal.mrr.currency == subscription.mrr.currency


@given(st.one_of(pts.certifications(), pts.managed_services(), pts.partners(), pts.clients()))
def test_record_dates_are_in_range(record: object) -> None:
    for name in ("valid_from", "valid_until", "since", "until", "joined_on"):
        assert in_range(getattr(record, name, None))


@given(pts.clients())
def test_clients_come_from_the_default_countries(client: pt.Client) -> None:
    assert client.country in pts.DEFAULT_COUNTRIES
    assert 0 <= client.engagement_index <= 10


def test_records_need_at_least_one_client_id() -> None:
    with pytest.raises(ValueError, match="at least one client"):
        pts.deals([])


@given(pts.books(max_clients=3, max_records=4, currencies=["EUR"], countries=["IN"]))
def test_books_are_consistent(book: pt.Book) -> None:
    for ids in (
        Counter(record.id for record in book.clients),
        Counter(record.id for record in book.subscriptions),
        Counter(record.id for record in book.deals),
        Counter(record.id for record in book.certifications),
    ):
        assert all(count == 1 for count in ids.values())
    clients = {client.id for client in book.clients}
    assert len(clients) <= 3
    assert len(book.deals) <= 4
    referenced = (
        {record.client for record in book.subscriptions}
        | {record.client for record in book.deals}
        | {record.client for record in book.managed_services}
    )
    assert referenced <= clients
    for client in clients:
        periods = sorted(
            (s for s in book.managed_services if s.client == client), key=lambda s: s.since
        )
        assert len(periods) <= 2
        for earlier, later in itertools.pairwise(periods):
            assert earlier.until is not None
            assert earlier.until <= later.since
    assert {deal.mrr_change.currency for deal in book.deals} <= {"EUR"}
    assert {client.country for client in book.clients} <= {"IN"}
    assert book.partner.country == "IN"


@given(pts.point_batches(allow_negative=False))
def test_point_batches_are_positive_when_asked(batch: pt.PointBatch) -> None:
    assert batch.points > 0
    assert batch.mrr_usd > 0


@given(pts.point_batches(client_ids=["c-1"]))
def test_point_batches_are_well_formed(batch: pt.PointBatch) -> None:
    assert batch.client == "c-1"
    assert batch.expires_on is None or batch.expires_on > batch.earned_on
    assert in_range(batch.earned_on)
    assert in_range(batch.expires_on)
    if batch.track is pt.Track.MANAGED:
        assert batch.motion is pt.SalesMotion.NONE
        assert batch.points > 0
    assert (batch.points < 0) == (batch.mrr_usd < 0)
    assert batch.points.as_tuple().exponent == -2


@given(pts.ledgers(min_size=2, max_size=5))
def test_ledgers_hold_batches_with_unique_ids(ledger: pt.PointsLedger) -> None:
    assert 2 <= len(ledger) <= 5
    assert len({batch.id for batch in ledger}) == len(ledger)
    assert 1 <= len(ledger.clients()) <= 4


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    source = Path(pt.__file__).resolve().parents[1]
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(source)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_core_does_not_import_hypothesis() -> None:
    result = run_python(
        "import sys, partner_tiers, partner_tiers.testing\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'hypothesis')\n"
        "assert not loaded, loaded\n"
    )
    assert result.returncode == 0, result.stderr


def test_the_core_works_where_hypothesis_is_not_installed() -> None:
    result = run_python(
        "import sys\n"
        "sys.modules['hypothesis'] = None  # as if it were not installed\n"
        "import partner_tiers, partner_tiers.testing\n"
        "try:\n"
        "    import partner_tiers.testing.strategies\n"
        "except ImportError:\n"
        "    print('strategies need hypothesis')\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "strategies need hypothesis\n"
