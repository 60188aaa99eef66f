"""A book built step by step, checked against a brute-force oracle after every check step.

The machine adds clients, subscriptions, positive deals, certifications and managed
services, one at a time (bidict's RuleBasedStateMachine with a naive model). The oracle
does not use the ledger: it recomputes each track by pricing every deal and every managed
subscription that is active on the day, straight from the published formula (points =
MRR / currency-per-100-USD x rate x growth multiplier [/ partners], rounded half up to the
cent), then reads the tier off the ladder's reach thresholds and the certification gate.
The program is tests/_programs.PROGRAM, built from the same constants as the oracle.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

import partner_tiers as pt
from _books import START
from _programs import GROWTH, LADDER, MANAGED_RATE, MULTIPLIER, PER_100_USD, PROGRAM, RATES

CENT = Decimal("0.01")


END = dt.date(2024, 12, 31)


# --- the oracle ------------------------------------------------------------------------


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def twelve_months_after(day: dt.date) -> dt.date:
    last = calendar.monthrange(day.year + 1, day.month)[1]
    return dt.date(day.year + 1, day.month, min(day.day, last))


def multiplier(client: pt.Client) -> Decimal:
    return MULTIPLIER if client.country in GROWTH else Decimal(1)


def sale_points(book: pt.Book, deal: pt.Deal) -> tuple[Decimal, Decimal]:
    """(points, USD-equivalent MRR) of a positive deal."""
    money = deal.mrr_change
    per_100 = PER_100_USD[money.currency]
    client = book.client(deal.client)
    # Multiply before dividing: 2028 JPY at 3 x 2 is exactly 0.845, which a division
    # first (2028 / 14400 to 28 digits) would leave at 0.84499... and round down.
    points = cents(money.amount * RATES[deal.motion] * multiplier(client) / per_100)
    return points, cents(money.amount * 100 / per_100)


def oracle_totals(book: pt.Book, day: dt.date) -> dict[str, Decimal]:
    """Every total of the ledger on the day, from the records alone."""
    zero = Decimal(0)
    totals = dict.fromkeys(
        ("sold", "sourced", "assisted", "managed", "sold_mrr_usd", "managed_mrr_usd"), zero
    )
    for deal in book.deals:
        if deal.closed_on <= day < twelve_months_after(deal.closed_on):
            points, usd = sale_points(book, deal)
            totals["sold"] += points
            totals[str(deal.motion)] += points
            totals["sold_mrr_usd"] += usd
    for service in book.managed_services:
        if not service.active_on(day):
            continue
        client = book.client(service.client)
        for subscription in book.subscriptions:
            if subscription.client == client.id and subscription.active_on(day):
                money = subscription.mrr
                per_100 = PER_100_USD[money.currency]
                totals["managed"] += cents(
                    money.amount * MANAGED_RATE * multiplier(client) / per_100 / service.partners
                )
                totals["managed_mrr_usd"] += cents(money.amount * 100 / per_100 / service.partners)
    totals["total"] = totals["sold"] + totals["managed"]
    return totals


def points_only(totals: dict[str, Decimal]) -> dict[str, Decimal]:
    return {name: totals[name] for name in ("sold", "sourced", "assisted", "managed", "total")}


def oracle_movements(
    book: pt.Book, start: dt.date, end: dt.date
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """(new, lost) in [start, end) of every metric: sold points and MRR earned and expired
    in the range (each motion on its own); managed points and MRR as levels, summed over
    their daily rises and falls."""
    zero = Decimal(0)
    metrics = ("sold", "sourced", "assisted", "managed", "sold_mrr_usd", "managed_mrr_usd")
    new = dict.fromkeys(metrics, zero)
    lost = dict.fromkeys(metrics, zero)
    for deal in book.deals:
        points, usd = sale_points(book, deal)
        for when, moved in (
            (deal.closed_on, new),
            (twelve_months_after(deal.closed_on), lost),
        ):
            if start <= when < end:
                moved["sold"] += points
                moved[str(deal.motion)] += points
                moved["sold_mrr_usd"] += usd
    day = start
    before = oracle_totals(book, day - dt.timedelta(days=1))
    while day < end:
        after = oracle_totals(book, day)
        for name in ("managed", "managed_mrr_usd"):
            change = after[name] - before[name]
            new[name] += max(change, zero)
            lost[name] += max(-change, zero)
        before, day = after, day + dt.timedelta(days=1)
    return new, lost


def oracle_tier(book: pt.Book, day: dt.date) -> str | None:
    if not any(c.valid_from <= day <= c.valid_until for c in book.certifications):
        return None
    totals = oracle_totals(book, day)
    reached = None
    for tier, total, sourced, managed in LADDER:
        if (
            totals["total"] >= total
            and totals["sourced"] >= sourced
            and totals["managed"] >= managed
        ):
            reached = tier
    return reached


# --- the machine -----------------------------------------------------------------------

DAYS = st.dates(min_value=START, max_value=END)
# Whole amounts large enough that tiers are reached; cents that test the rounding.


AMOUNTS = st.one_of(
    st.integers(min_value=100, max_value=20_000).map(Decimal),
    st.integers(min_value=1, max_value=2_000_000).map(lambda c: Decimal(c).scaleb(-2)),
)


class BookMachine(RuleBasedStateMachine):
    """Grows a book record by record; every check compares the engine with the oracle."""

    clients = Bundle("clients")

    def __init__(self) -> None:
        super().__init__()
        self.book = pt.Book(pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START))
        self.counter = 0

    # --- building blocks (the rules below combine them) ---

    def _next_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def _replace(self, **changes: Any) -> bool:
        """Take the changed book when it is valid; a refused record is not added."""
        try:
            self.book = attrs.evolve(self.book, **changes)
        except pt.BookIntegrityError:
            return False
        return True

    def _client(self, country: str) -> pt.ClientId:
        client = pt.Client(
            pt.ClientId(self._next_id("c")),
            "Client",
            country,
            pt.Relationship.SOLD_AND_MANAGED,
            tools_used=("crm", "email", "forms"),
        )
        assert self._replace(clients=(*self.book.clients, client))
        return client.id

    def _deal(
        self, client: str, kind: pt.DealKind, motion: pt.SalesMotion, day: dt.date, money: pt.Money
    ) -> None:
        deal_id = pt.DealId(self._next_id("d"))
        deal = pt.Deal(deal_id, pt.ClientId(client), "marketing-hub", kind, motion, day, money)
        assert self._replace(deals=(*self.book.deals, deal))

    def _subscription(
        self, client: str, day: dt.date, money: pt.Money, ended_on: dt.date | None
    ) -> None:
        subscription = pt.Subscription(
            pt.SubscriptionId(self._next_id("s")),
            pt.ClientId(client),
            "service-hub",
            "professional",
            money,
            day,
            day + dt.timedelta(days=365),
            ended_on=ended_on,
        )
        assert self._replace(subscriptions=(*self.book.subscriptions, subscription))

    def _certification(self, start: dt.date, days: int) -> None:
        certification = pt.Certification(
            pt.CertificationId(self._next_id("cert")),
            "Certification",
            start,
            start + dt.timedelta(days=days),
        )
        assert self._replace(certifications=(*self.book.certifications, certification))

    def _service(self, client: str, since: dt.date, until: dt.date | None, partners: int) -> None:
        service = pt.ManagedService(pt.ClientId(client), since, until, partners)
        # A period overlapping another of the same client is refused by the book.
        self._replace(managed_services=(*self.book.managed_services, service))

    # --- rules ---

    @initialize(
        target=clients, country=st.sampled_from(["US", "DE", "IN"]), certified=st.booleans()
    )
    def first_client(self, country: str, certified: bool) -> str:
        if certified:  # often certified from the start, so that tiers are reached
            self._certification(START, (END - START).days)
        return self._client(country)

    @rule(target=clients, country=st.sampled_from(["US", "DE", "IN", "BR", "GB"]))
    def add_client(self, country: str) -> str:
        return self._client(country)

    @rule(
        client=clients,
        kind=st.sampled_from([pt.DealKind.NEW, pt.DealKind.CROSS_SELL, pt.DealKind.UPSELL]),
        motion=st.sampled_from([pt.SalesMotion.SOURCED, pt.SalesMotion.ASSISTED]),
        day=DAYS,
        amount=AMOUNTS,
        currency=st.sampled_from(sorted(PER_100_USD)),
    )
    def add_deal(
        self,
        client: str,
        kind: pt.DealKind,
        motion: pt.SalesMotion,
        day: dt.date,
        amount: Decimal,
        currency: str,
    ) -> None:
        self._deal(client, kind, motion, day, pt.Money(amount, currency))

    @rule(
        client=clients,
        day=DAYS,
        amount=AMOUNTS,
        currency=st.sampled_from(sorted(PER_100_USD)),
        days=st.one_of(st.none(), st.integers(min_value=1, max_value=900)),
    )
    def add_subscription(
        self, client: str, day: dt.date, amount: Decimal, currency: str, days: int | None
    ) -> None:
        ended_on = None if days is None else day + dt.timedelta(days=days)
        self._subscription(client, day, pt.Money(amount, currency), ended_on)

    @rule(start=DAYS, days=st.integers(min_value=0, max_value=800))
    def add_certification(self, start: dt.date, days: int) -> None:
        self._certification(start, days)

    @rule(
        client=clients,
        since=DAYS,
        days=st.one_of(st.none(), st.integers(min_value=1, max_value=900)),
        partners=st.integers(min_value=1, max_value=3),
    )
    def add_managed_service(
        self, client: str, since: dt.date, days: int | None, partners: int
    ) -> None:
        until = None if days is None else since + dt.timedelta(days=days)
        self._service(client, since, until, partners)

    @rule(
        target=clients,
        country=st.sampled_from(["US", "IN"]),
        since=DAYS,
        amount=AMOUNTS,
        currency=st.sampled_from(sorted(PER_100_USD)),
        partners=st.integers(min_value=1, max_value=3),
        sold=st.sampled_from([None, pt.SalesMotion.SOURCED, pt.SalesMotion.ASSISTED]),
    )
    def add_managed_client(
        self,
        country: str,
        since: dt.date,
        amount: Decimal,
        currency: str,
        partners: int,
        sold: pt.SalesMotion | None,
    ) -> str:
        """A client with one subscription, serviced (and perhaps sold) from the day it
        starts: swarm testing often leaves out whole rules, and this one alone reaches
        tiers."""
        client = self._client(country)
        self._subscription(client, since, pt.Money(amount * 10, currency), None)
        self._service(client, since, None, partners)
        if sold is not None:
            self._deal(client, pt.DealKind.NEW, sold, since, pt.Money(amount, currency))
        return client

    def compare(self, day: dt.date) -> None:
        """The engine against the oracle on one day."""
        expected = oracle_totals(self.book, day)
        ledger = pt.build_ledger(self.book, PROGRAM)
        assert attrs.asdict(ledger.totals(day)) == expected
        status = pt.evaluate(self.book, PROGRAM, as_of=day, ledger=ledger)
        assert dict(status.points) == points_only(expected)
        assert status.qualified_tier == oracle_tier(self.book, day)
        certified = next(gate for gate in status.gates if gate.name == "certified")
        assert certified.passed == any(c.valid_on(day) for c in self.book.certifications)

    @rule(day=DAYS)
    def check(self, day: dt.date) -> None:
        self.compare(day)

    @precondition(lambda self: bool(self.book.deals or self.book.managed_services))
    @rule()
    def check_around_the_latest_records(self) -> None:
        # The days the latest deal and service start, and the edges of the deal's batch:
        # where the totals change, and where the most points count at once.
        days = set()
        if self.book.deals:
            closed = self.book.deals[-1].closed_on
            expires = twelve_months_after(closed)
            days |= {closed, expires, expires - dt.timedelta(days=1)}
        if self.book.managed_services:
            days.add(self.book.managed_services[-1].since)
        for day in sorted(days):
            self.compare(day)

    @rule(end=DAYS, days=st.integers(min_value=1, max_value=40))
    def check_movements(self, end: dt.date, days: int) -> None:
        start = end - dt.timedelta(days=days)
        ledger = pt.build_ledger(self.book, PROGRAM)
        movements = ledger.movements(start, end)
        new, lost = oracle_movements(self.book, start, end)
        for name, value in new.items():
            assert getattr(movements.new, name) == value, name
        for name, value in lost.items():
            assert getattr(movements.lost, name) == value, name
        # The dashboard's rolling sold MRR: what was sold in (start, end].
        for motion in (None, pt.SalesMotion.SOURCED, pt.SalesMotion.ASSISTED):
            sold = [
                sale_points(self.book, deal)[1]
                for deal in self.book.deals
                if start < deal.closed_on <= end and motion in (None, deal.motion)
            ]
            assert ledger.sold_mrr_usd(start, end, motion=motion) == sum(sold, Decimal(0))

    @invariant()
    def one_sold_batch_per_deal(self) -> None:
        ledger = pt.build_ledger(self.book, PROGRAM)
        sold = [batch for batch in ledger if batch.track is pt.Track.SOLD]
        assert sorted(batch.origin for batch in sold) == sorted(d.id for d in self.book.deals)
        assert all(batch.points >= 0 for batch in ledger)


BookMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)
TestBookMachine = BookMachine.TestCase


def test_the_oracle_agrees_with_the_northwind_style_example() -> None:
    """The oracle itself, on numbers worked by hand: 1050 USD sourced -> 52.50 points;
    880 EUR managed by two partners in India -> 880 / 88 x 2 / 2 = 10.00 points."""
    partner = pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START)
    us, india = pt.ClientId("c-us"), pt.ClientId("c-in")
    clients = [
        pt.Client(us, "US client", "US", pt.Relationship.SOLD),
        pt.Client(india, "Indian client", "IN", pt.Relationship.MANAGED),
    ]
    deal = pt.Deal(
        pt.DealId("d-1"),
        us,
        "sales-hub",
        pt.DealKind.NEW,
        pt.SalesMotion.SOURCED,
        dt.date(2024, 2, 29),
        pt.Money("1050", "USD"),
    )
    subscription = pt.Subscription(
        pt.SubscriptionId("s-1"),
        india,
        "service-hub",
        "professional",
        pt.Money("880", "EUR"),
        dt.date(2024, 1, 1),
        dt.date(2025, 1, 1),
    )
    service = pt.ManagedService(india, dt.date(2024, 1, 1), partners=2)
    certification = pt.Certification(
        pt.CertificationId("cert"), "C", dt.date(2024, 1, 1), dt.date(2025, 12, 31)
    )
    book = pt.Book(
        partner,
        clients=clients,
        deals=[deal],
        subscriptions=[subscription],
        managed_services=[service],
        certifications=[certification],
    )
    day = dt.date(2024, 6, 1)
    expected = {
        "sold": Decimal("52.50"),
        "sourced": Decimal("52.50"),
        "assisted": Decimal(0),
        "managed": Decimal("10.00"),
        "total": Decimal("62.50"),
    }
    assert points_only(oracle_totals(book, day)) == expected
    assert pt.build_ledger(book, PROGRAM).totals(day).as_dict() == expected
    assert oracle_totals(book, day)["sold_mrr_usd"] == Decimal("1050.00")
    assert oracle_totals(book, day)["managed_mrr_usd"] == Decimal("500.00")
    assert oracle_tier(book, day) == "platinum"
    assert pt.evaluate(book, PROGRAM, as_of=day).qualified_tier == "platinum"
    # Earned on Feb 29: twelve months later is Feb 28 of the next year, the first day
    # the points no longer count.
    assert twelve_months_after(deal.closed_on) == dt.date(2025, 2, 28)
    assert oracle_totals(book, dt.date(2025, 2, 27))["sold"] == Decimal("52.50")
    assert oracle_totals(book, dt.date(2025, 2, 28))["sold"] == Decimal(0)
    assert pt.build_ledger(book, PROGRAM).totals(dt.date(2025, 2, 28)).sold == Decimal(0)
    assert oracle_tier(book, dt.date(2026, 1, 1)) is None
