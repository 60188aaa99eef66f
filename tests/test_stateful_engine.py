"""A book built step by step, checked against a brute-force oracle after every check step.

The machine adds clients, subscriptions, positive deals, certifications and managed
services, one at a time (bidict's RuleBasedStateMachine with a naive model). The oracle
does not use the ledger: it recomputes each track by pricing every deal and every managed
subscription that is active on the day, straight from the published formula (points =
MRR / currency-per-100-USD x rate x growth multiplier [/ partners], rounded half up to the
cent), then reads the tier off the ladder's reach thresholds and the certification gate.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs
import pytest
from attrs import frozen
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
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

CENT = Decimal("0.01")
START = dt.date(2023, 1, 1)
END = dt.date(2024, 12, 31)
RATES = {"sourced": Decimal(5), "assisted": Decimal(3)}
MANAGED_RATE = Decimal(1)
PER_100_USD = {"USD": Decimal(100), "EUR": Decimal(88), "JPY": Decimal(14400)}
GROWTH = {"IN", "BR"}
MULTIPLIER = Decimal(2)
LADDER = (  # (tier, total, sourced, managed): low, so that small books reach them
    ("gold", Decimal("5.25"), Decimal(1), Decimal(1)),
    ("platinum", Decimal("52.5"), Decimal(10), Decimal(10)),
    ("diamond", Decimal(420), Decimal(80), Decimal(80)),
)


def machine_program() -> pt.Program:
    """Constant rules: one rate row, one currency table, one growth list; one gate."""
    return pt.program_from_dict(
        {
            "name": "stateful",
            "version": "1",
            "title": "A constant program for the state machine",
            "description": "Example values.",
            "effective_from": "2019-01-01",
            "tracks": [{"id": "total"}, {"id": "sourced"}, {"id": "managed"}],
            "tiers": [
                {
                    "id": tier,
                    "name": tier.title(),
                    "reach": {
                        "total": str(total),
                        "sourced": str(sourced),
                        "managed": str(managed),
                    },
                }
                for tier, total, sourced, managed in LADDER
            ],
            "gates": [{"id": "certified", "kind": "certification"}],
            "rates": [
                {
                    "effective_from": "2019-01-01",
                    "sourced": "5",
                    "assisted": "3",
                    "unattributed": "3",
                    "managed": "1",
                }
            ],
            "currencies": [{"per_100_usd": {code: str(v) for code, v in PER_100_USD.items()}}],
            "growth_markets": [{"countries": sorted(GROWTH), "multiplier": "2"}],
            "expiry": [{"months": 12}],
            "rounding": [{"places": 2, "mode": "half_up"}],
        }
    )


PROGRAM = machine_program()


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
        status = pt.evaluate(self.book, PROGRAM, day, ledger=ledger)
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
    assert pt.evaluate(book, PROGRAM, day).qualified_tier == "platinum"
    # Earned on Feb 29: twelve months later is Feb 28 of the next year, the first day
    # the points no longer count.
    assert twelve_months_after(deal.closed_on) == dt.date(2025, 2, 28)
    assert oracle_totals(book, dt.date(2025, 2, 27))["sold"] == Decimal("52.50")
    assert oracle_totals(book, dt.date(2025, 2, 28))["sold"] == Decimal(0)
    assert pt.build_ledger(book, PROGRAM).totals(dt.date(2025, 2, 28)).sold == Decimal(0)
    assert oracle_tier(book, dt.date(2026, 1, 1)) is None


# --- the fact gates, checked directly --------------------------------------------------------

NORTHWIND = pt.load_book(pt.__file__.replace("__init__.py", "data/northwind.json"))
HUBSPOT_2025 = pt.load_program("hubspot-2025")


def oracle_fact_gates(facts: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """hubspot-2025's Elite gates straight from their published rules: invited; retention
    of at least 85%; at least 100 certifications across the team."""

    def at_least(name: str, minimum: Decimal) -> tuple[bool, str]:
        if name not in facts:
            return False, f"the book states no {name}"
        raw = facts[name]
        if isinstance(raw, bool):
            raw = int(raw)
        if not isinstance(raw, (int, Decimal, str)):
            return False, f"{name} is {facts[name]!r}, not a number"
        try:
            value = Decimal(raw)
        except ArithmeticError:
            return False, f"{name} is {facts[name]!r}, not a number"
        verdict = ">=" if value >= minimum else "<"
        return value >= minimum, f"{name} {value} {verdict} {minimum}"

    invited = facts.get("invited")
    return [
        (
            "invited",
            invited is True,
            "invited is true"
            if invited is True
            else f"invited is {'not stated' if invited is None else repr(invited)}",
        ),
        ("retention", *at_least("retention", Decimal("0.85"))),
        ("team-certifications", *at_least("team_certifications", Decimal(100))),
    ]


FACTS = [
    pytest.param(
        {"retention": Decimal("0.85"), "invited": True, "team_certifications": 100},
        id="at-minimums",
    ),
    pytest.param(
        {"retention": Decimal("0.8499"), "invited": "yes", "team_certifications": 99},
        id="just-below",
    ),
    pytest.param({"retention": "high", "team_certifications": True}, id="not-numbers"),
    pytest.param(
        {"retention": "0.9", "invited": False, "team_certifications": [1]}, id="text-and-list"
    ),
    pytest.param({}, id="none-stated"),
]


@pytest.mark.parametrize("facts", FACTS)
def test_the_fact_gates_agree_with_their_published_rules(facts: dict[str, Any]) -> None:
    book = attrs.evolve(NORTHWIND, facts=facts)
    status = pt.evaluate(book, HUBSPOT_2025, dt.date(2025, 9, 30))
    gates = [(gate.name, gate.passed, gate.reason) for gate in status.gates[2:]]
    assert gates == oracle_fact_gates(facts)
    for gate in status.gates[2:]:
        assert gate.tiers == ("elite",)
        assert gate.caps_at == (None if gate.passed else "diamond")


def test_the_fact_gates_pass_exactly_at_their_minimums() -> None:
    at_minimums = {"retention": Decimal("0.85"), "invited": True, "team_certifications": 100}
    below = {"retention": Decimal("0.8499"), "invited": 1, "team_certifications": 99}
    assert [passed for _, passed, _ in oracle_fact_gates(at_minimums)] == [True] * 3
    assert [passed for _, passed, _ in oracle_fact_gates(below)] == [False] * 3


def test_statuses_use_the_ledger_they_are_given() -> None:
    day = dt.date(2025, 9, 30)
    [given_empty] = pt.statuses(NORTHWIND, HUBSPOT_2025, [day], ledger=pt.PointsLedger())
    assert set(given_empty.points.values()) == {Decimal(0)}
    [built] = pt.statuses(NORTHWIND, HUBSPOT_2025, [day])
    assert built.points["total"] == Decimal("66.69")
    assert pt.evaluate(NORTHWIND, HUBSPOT_2025, day, ledger=pt.PointsLedger()).tier is None


def test_the_ladder_agrees_with_the_oracle_thresholds() -> None:
    from partner_tiers._rules.ladder import highest_met

    tiers = PROGRAM.tiers
    for total, sourced, managed in [
        ("52.5", "10", "10"),  # exactly Platinum's reach: met
        ("52.49", "10", "10"),
        ("420", "80", "79.99"),
        ("420", "80", "80"),
        ("0", "0", "0"),
    ]:
        values = {"total": Decimal(total), "sourced": Decimal(sourced), "managed": Decimal(managed)}
        expected = [
            index
            for index, (_, t, s, m) in enumerate(LADDER)
            if values["total"] >= t and values["sourced"] >= s and values["managed"] >= m
        ]
        top = max(expected, default=-1)

        def reached(_: int, tier: pt.Tier, values: dict[str, Decimal] = values) -> bool:
            return tier.met(values)

        assert highest_met(tiers, reached) == top
        assert highest_met(tiers, reached, below=top) == max(
            [index for index in expected if index < top], default=-1
        )
        for index, tier in enumerate(tiers):
            assert tier.met(values) == (index in expected)
            assert (sum(tier.shortfall(values).values()) == 0) == (index in expected)
    assert highest_met(tiers, lambda index, _: index == 0) == 0
    assert highest_met(tiers, lambda index, _: True, below=0) == -1


# --- what custom rules see, and the explanation at the edges of the ladder -------------------


def test_a_custom_track_sees_the_book_ledger_program_date_and_totals() -> None:
    day = dt.date(2025, 9, 30)
    seen: list[pt.Context] = []

    def probe(context: pt.Context, params: Any) -> Decimal:
        seen.append(context)
        return Decimal(len(context.ledger)) + context.totals.sold + context.as_of.day

    data = pt.program_to_dict(HUBSPOT_2025)
    data["tracks"].append({"id": "probe", "kind": "probe"})
    program = pt.program_from_dict(data, registry=pt.Registry().with_track("probe", probe))
    status = pt.evaluate(NORTHWIND, program, day)
    ledger = pt.build_ledger(NORTHWIND, program)
    assert status.values["probe"] == len(ledger) + Decimal("36.00") + 30
    # The replay asks on every change day; the status asks on the day itself (and once
    # more with the totals projected to the next review).
    on_the_day = [context for context in seen if context.as_of == day]
    assert on_the_day
    assert {(c.book, c.program, c.ledger) == (NORTHWIND, program, ledger) for c in seen} == {True}
    assert on_the_day[0].totals == ledger.totals(day)


def test_a_custom_gate_sees_the_ledger_and_totals_while_the_tier_is_replayed() -> None:
    def enough_points(context: pt.Context, params: Any) -> pt.GateOutcome:
        active = len(context.ledger.active(context.as_of))
        total = context.totals.total
        return pt.GateOutcome(total >= 60, f"{active} batches, {total} points")

    data = pt.program_to_dict(HUBSPOT_2025)
    data["gates"].append({"id": "enough", "kind": "enough_points", "tiers": ["gold"]})
    program = pt.program_from_dict(
        data, registry=pt.Registry().with_gate("enough_points", enough_points)
    )
    status = pt.evaluate(NORTHWIND, program, dt.date(2025, 9, 30))
    enough = next(gate for gate in status.gates if gate.name == "enough")
    assert (enough.passed, enough.reason) == (True, "6 batches, 66.69 points")
    assert status.tier == "gold"
    early = pt.evaluate(NORTHWIND, program, dt.date(2024, 1, 1))
    assert early.qualified_tier is None
    assert next(g for g in early.gates if g.name == "enough").reason.endswith(" points")


def _two_clients_book(sourced_usd: str) -> pt.Book:
    partner = pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START)
    us, india = pt.ClientId("c-us"), pt.ClientId("c-in")
    deal = pt.Deal(
        pt.DealId("d-1"),
        us,
        "sales-hub",
        pt.DealKind.NEW,
        pt.SalesMotion.SOURCED,
        dt.date(2024, 3, 1),
        pt.Money(sourced_usd, "USD"),
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
    return pt.Book(
        partner,
        clients=[
            pt.Client(us, "US client", "US", pt.Relationship.SOLD),
            pt.Client(india, "Indian client", "IN", pt.Relationship.MANAGED),
        ],
        deals=[deal],
        subscriptions=[subscription],
        managed_services=[pt.ManagedService(india, dt.date(2024, 1, 1), partners=2)],
        certifications=[
            pt.Certification(pt.CertificationId("c"), "C", START, dt.date(2025, 12, 31))
        ],
    )


def test_the_explanation_names_the_tier_above_the_second_highest() -> None:
    # 1050 USD sourced and 10.00 managed points reach Platinum; Diamond is the top.
    status = pt.evaluate(_two_clients_book("1050"), PROGRAM, dt.date(2024, 6, 1))
    assert status.qualified_tier == "platinum"
    assert (status.next_tier, status.next_tier_reach["total"]) == ("diamond", Decimal(420))
    assert [r.text for r in status.explain().about("qualified")] == [
        "points reach Platinum: total 62.50 >= 52.5, sourced 52.50 >= 10, managed 10.00 >= 10",
        "points do not reach Diamond: total 62.50 < 420 (357.50 short), sourced 52.50 < 80 "
        "(27.50 short), managed 10.00 < 80 (70.00 short)",
    ]


def test_the_explanation_names_a_shortfall_of_less_than_a_point() -> None:
    # 199 USD sourced: 9.95 sourced points, 0.05 short of Platinum's 10.
    status = pt.evaluate(_two_clients_book("199"), PROGRAM, dt.date(2024, 6, 1))
    assert status.tier == "gold"
    assert status.to_next_tier == {
        "total": Decimal("32.55"),
        "sourced": Decimal("0.05"),
        "managed": Decimal(0),
    }
    [line] = status.explain().about("next")
    assert (line.text, line.subject) == (
        "to reach Platinum: total 32.55, sourced 0.05 more",
        "platinum",
    )


# --- reductions, worked by hand -----------------------------------------------------------
#
# Under PROGRAM: sourced 5 and assisted 3 points per 100 USD; EUR 88 per 100 USD. A
# downgrade or churn offsets the newest active batches of the client's product line first,
# each offset expiring with the batch it reduces.

_C1 = pt.ClientId("c-1")


def _deal(
    deal_id: str, kind: str, motion: str, day: dt.date, amount: str, cur: str = "USD"
) -> pt.Deal:
    return pt.Deal(
        pt.DealId(deal_id),
        _C1,
        "sales-hub",
        pt.DealKind(kind),
        pt.SalesMotion(motion),
        day,
        pt.Money(amount, cur),
    )


def _offsets(*deals: pt.Deal) -> list[tuple[object, ...]]:
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(_C1, "Client", "US", pt.Relationship.SOLD)],
        deals=deals,
    )
    ledger = pt.build_ledger(book, PROGRAM)
    for batch in ledger:
        assert (batch.program, batch.market, batch.client) == (
            "stateful@1",
            pt.Market.STANDARD,
            _C1,
        )
    return [
        (b.id, b.points, b.mrr_usd, b.earned_on, b.expires_on, b.motion, b.rate, b.rule)
        for b in ledger
        if b.offsets is not None
    ]


JAN_10, FEB_1, FEB_10, MAR_1 = (
    dt.date(2024, 1, 10),
    dt.date(2024, 2, 1),
    dt.date(2024, 2, 10),
    dt.date(2024, 3, 1),
)
EXPIRES_D1, EXPIRES_D2 = dt.date(2025, 1, 10), dt.date(2025, 2, 10)
SOURCED, ASSISTED = pt.SalesMotion.SOURCED, pt.SalesMotion.ASSISTED


def test_a_partial_downgrade_offsets_its_share_of_the_batch() -> None:
    # 1000 USD sourced = 50.00 points; -400 USD takes 400 / 1000 of them: 20.00.
    assert _offsets(
        _deal("d-1", "new", "sourced", JAN_10, "1000"),
        _deal("d-2", "downgrade", "sourced", MAR_1, "-400"),
    ) == [
        (
            "sold:d-2:offsets:sold:d-1",
            Decimal("-20.00"),
            Decimal("-400.00"),
            MAR_1,
            EXPIRES_D1,
            SOURCED,
            Decimal(5),
            "downgrade of -400 USD offsets 400 USD of sold:d-1: -20.00",
        )
    ]


def test_a_downgrade_offsets_the_newest_batch_first_then_older_ones() -> None:
    # -1000.50 USD: all of d-2 (1000 USD, 30.00 points), then 0.50 USD of d-1:
    # 50.00 x 0.50 / 1000 = 0.025 -> 0.03.
    assert _offsets(
        _deal("d-1", "new", "sourced", JAN_10, "1000"),
        _deal("d-2", "upsell", "assisted", FEB_10, "1000"),
        _deal("d-3", "downgrade", "assisted", MAR_1, "-1000.50"),
    ) == [
        (
            "sold:d-3:offsets:sold:d-1",
            Decimal("-0.03"),
            Decimal("-0.50"),
            MAR_1,
            EXPIRES_D1,
            SOURCED,
            Decimal(5),
            "downgrade of -1000.50 USD offsets 0.50 USD of sold:d-1: -0.03",
        ),
        (
            "sold:d-3:offsets:sold:d-2",
            Decimal("-30.00"),
            Decimal("-1000.00"),
            MAR_1,
            EXPIRES_D2,
            ASSISTED,
            Decimal(3),
            "downgrade of -1000.50 USD offsets 1000 USD of sold:d-2: -30.00",
        ),
    ]


def test_a_downgrade_used_up_by_the_newest_batch_leaves_older_ones_alone() -> None:
    offsets = _offsets(
        _deal("d-1", "new", "sourced", JAN_10, "1000"),
        _deal("d-2", "upsell", "assisted", FEB_10, "1000"),
        _deal("d-3", "downgrade", "assisted", MAR_1, "-1000"),
    )
    assert [offset[0] for offset in offsets] == ["sold:d-3:offsets:sold:d-2"]


def test_a_downgrade_in_another_currency_converts_through_the_table() -> None:
    # 880 EUR = 1000 USD = 50.00 points. -100 USD = 88 EUR: 5.00 points, 792 EUR left.
    # Churn of -2000 USD: the 792 EUR left (900 USD, 45.00 points), no more.
    assert _offsets(
        _deal("d-1", "new", "sourced", JAN_10, "880", "EUR"),
        _deal("d-2", "downgrade", "sourced", FEB_1, "-100"),
        _deal("d-3", "churn", "sourced", MAR_1, "-2000"),
    ) == [
        (
            "sold:d-2:offsets:sold:d-1",
            Decimal("-5.00"),
            Decimal("-100.00"),
            FEB_1,
            EXPIRES_D1,
            SOURCED,
            Decimal(5),
            "downgrade of -100 USD offsets 100 USD of sold:d-1: -5.00",
        ),
        (
            "sold:d-3:offsets:sold:d-1",
            Decimal("-45.00"),
            Decimal("-900.00"),
            MAR_1,
            EXPIRES_D1,
            SOURCED,
            Decimal(5),
            "churn of -2000 USD offsets 900 USD of sold:d-1: -45.00",
        ),
    ]


def test_a_batch_of_less_than_a_point_is_offset_too() -> None:
    assert _offsets(
        _deal("d-1", "new", "sourced", JAN_10, "10"),
        _deal("d-2", "churn", "sourced", FEB_1, "-10"),
    ) == [
        (
            "sold:d-2:offsets:sold:d-1",
            Decimal("-0.50"),
            Decimal("-10.00"),
            FEB_1,
            EXPIRES_D1,
            SOURCED,
            Decimal(5),
            "churn of -10 USD offsets 10 USD of sold:d-1: -0.50",
        )
    ]


def test_a_downgrade_in_a_currency_the_program_lacks_names_the_deal() -> None:
    with pytest.raises(pt.PricingError) as info:
        _offsets(
            _deal("d-1", "new", "sourced", JAN_10, "10"),
            _deal("d-2", "churn", "sourced", FEB_1, "-10", "GBP"),
        )
    assert str(info.value) == (
        "deal d-2: currency GBP on 2024-02-01 is not in the currency table of stateful@1 "
        "in force since the beginning"
    )


# --- movements and rolling MRR at the edges of their ranges --------------------------------


def test_movements_count_the_first_day_of_the_range_and_not_the_last() -> None:
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(_C1, "Client", "US", pt.Relationship.SOLD)],
        deals=[
            _deal("d-1", "new", "sourced", dt.date(2023, 3, 1), "100"),  # expires 2024-03-01
            _deal("d-2", "new", "sourced", dt.date(2024, 3, 1), "200"),  # on the start
            _deal("d-3", "new", "assisted", dt.date(2024, 3, 31), "300"),  # on the end
            _deal("d-4", "downgrade", "sourced", dt.date(2024, 3, 15), "-40"),
        ],
    )
    ledger = pt.build_ledger(book, PROGRAM)
    movements = ledger.movements(dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    # New: d-2's 10.00; lost: d-1's 5.00 expiring on the start, and d-4's 2.00 (40 USD of
    # d-2, the newest batch of the line).
    assert (movements.new.sold, movements.new.sourced, movements.new.assisted) == (
        Decimal("10.00"),
        Decimal("10.00"),
        Decimal(0),
    )
    assert movements.lost.sold == Decimal("7.00")
    assert movements.new.sold_mrr_usd == Decimal("200.00")
    # Sold MRR counts (start, end]: d-3 on the end and d-4, not d-2 on the start.
    assert ledger.sold_mrr_usd(dt.date(2024, 3, 1), dt.date(2024, 3, 31)) == Decimal("260.00")
    assert ledger.sold_mrr_usd(dt.date(2024, 2, 29), dt.date(2024, 3, 30)) == Decimal("160.00")
    assert ledger.sold_mrr_usd(
        dt.date(2024, 2, 29), dt.date(2024, 3, 31), motion=pt.SalesMotion.ASSISTED
    ) == Decimal("300.00")
    empty = ledger.sold_mrr_usd(dt.date(2020, 1, 1), dt.date(2020, 2, 1))
    assert isinstance(empty, Decimal)
    assert empty == 0


def test_managed_movements_sum_every_rise_and_fall_of_the_level() -> None:
    book = _two_clients_book("1050")
    ended = attrs.evolve(book.subscriptions[0], ended_on=dt.date(2025, 1, 1))
    ledger = pt.build_ledger(attrs.evolve(book, subscriptions=[ended]), PROGRAM)
    # Managed from 2024-01-01 at 10.00 points (500.00 USD); the subscription ends on
    # 2025-01-01. A range holding both the rise and the fall counts each once.
    whole = ledger.movements(dt.date(2023, 12, 1), dt.date(2025, 2, 1))
    assert (whole.new.managed, whole.lost.managed) == (Decimal("10.00"), Decimal("10.00"))
    assert (whole.new.managed_mrr_usd, whole.lost.managed_mrr_usd) == (
        Decimal("500.00"),
        Decimal("500.00"),
    )
    assert ledger.movements(dt.date(2024, 1, 1), dt.date(2024, 1, 2)).new.managed == Decimal(
        "10.00"
    )
    assert ledger.movements(dt.date(2023, 12, 1), dt.date(2024, 1, 1)).new.managed == 0


# --- the built-in gate rules, called as a custom rule would be --------------------------------


def _context(book: pt.Book, day: dt.date) -> pt.Context:
    return pt.Context.make(book, pt.build_ledger(book, HUBSPOT_2025), HUBSPOT_2025, day)


def _rule(kind: str) -> pt.GateRule:
    rule = pt.Registry().gate(kind)
    assert rule is not None
    return rule


@pytest.mark.parametrize(
    ("kind", "params", "facts", "expected"),
    [
        ("fact_true", {"fact": "invited"}, {}, pt.GateOutcome(False, "invited is not stated")),
        ("fact_true", {"fact": "invited"}, {"invited": 1}, pt.GateOutcome(False, "invited is 1")),
        (
            "fact_true",
            {"fact": "invited"},
            {"invited": True},
            pt.GateOutcome(True, "invited is true"),
        ),
        (
            "fact_at_least",
            {"fact": "retention", "minimum": Decimal("0.85")},
            {},
            pt.GateOutcome(False, "the book states no retention"),
        ),
        (
            "fact_at_least",
            {"fact": "retention", "minimum": Decimal("0.85")},
            {"retention": "n/a"},
            pt.GateOutcome(False, "retention is 'n/a', not a number"),
        ),
        (
            "fact_at_least",
            {"fact": "seats", "minimum": 1},
            {"seats": True},
            pt.GateOutcome(True, "seats 1 >= 1"),
        ),
    ],
)
def test_a_built_in_gate_rule_decides_with_a_reason(
    kind: str, params: dict[str, Any], facts: dict[str, Any], expected: pt.GateOutcome
) -> None:
    context = _context(attrs.evolve(NORTHWIND, facts=facts), dt.date(2025, 9, 30))
    assert _rule(kind)(context, params) == expected


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("fact_true", {}, "gates.fact_true.params.fact: is required but missing"),
        (
            "fact_at_least",
            {"minimum": 1},
            "gates.fact_at_least.params.fact: is required but missing",
        ),
        (
            "fact_at_least",
            {"fact": "x"},
            "gates.fact_at_least.params.minimum: is required but missing",
        ),
        (
            "median_tool_usage",
            {},
            "gates.median_tool_usage.params.minimum: is required but missing",
        ),
    ],
)
def test_a_built_in_gate_rule_without_its_parameters_says_which(
    kind: str, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(pt.ProgramError) as info:
        _rule(kind)(_context(NORTHWIND, dt.date(2025, 9, 30)), params)
    assert str(info.value) == message


def test_the_certification_gate_names_the_certification_that_decides() -> None:
    rule = _rule("certification")
    day = dt.date(2025, 4, 25)  # cert-1 until 2025-05-01, cert-2 from 2025-04-20
    assert rule(_context(NORTHWIND, day), {}) == pt.GateOutcome(
        True, "certification cert-2 is valid from 2025-04-20 until 2027-04-19"
    )
    assert rule(_context(NORTHWIND, dt.date(2023, 1, 1)), {}) == pt.GateOutcome(
        False, "certification cert-1 is valid only from 2023-05-02"
    )
    assert rule(_context(NORTHWIND, dt.date(2027, 4, 20)), {}) == pt.GateOutcome(
        False,
        "certification cert-2 lapsed: valid until 2027-04-19, and no certification is valid "
        "on 2027-04-20",
    )
    assert rule(_context(NORTHWIND, dt.date(2027, 4, 19)), {}).passed is True
    assert rule(_context(NORTHWIND, dt.date(2023, 5, 2)), {}).passed is True
    uncertified = attrs.evolve(NORTHWIND, certifications=())
    assert rule(_context(uncertified, dt.date(2025, 1, 1)), {}) == pt.GateOutcome(
        False, "the book holds no certification"
    )


def test_the_median_tool_usage_gate_at_its_minimum_and_window() -> None:
    rule = _rule("median_tool_usage")
    day = dt.date(2025, 9, 30)
    context = _context(NORTHWIND, day)
    listing = "c-adatum 8, c-fabrikam 6, c-tailspin 2"
    assert rule(context, {"minimum": 6}) == pt.GateOutcome(
        True, f"median tool usage 6 >= 6 over {listing}"
    )
    assert rule(context, {"minimum": Decimal("6.5")}) == pt.GateOutcome(
        False, f"median tool usage 6 < 6.5 over {listing}"
    )
    # c-tailspin's last sale (d-5) closed on 2025-02-11: inside a 12-month window (the
    # default), outside a 7-month one.
    assert rule(context, {"minimum": 6, "window_months": 12}) == rule(context, {"minimum": 6})
    assert rule(context, {"minimum": 6, "window_months": 7}) == pt.GateOutcome(
        True, "median tool usage 7 >= 6 over c-adatum 8, c-fabrikam 6"
    )
    on_window_end = _context(NORTHWIND, dt.date(2026, 2, 11))
    assert "c-tailspin" not in rule(on_window_end, {"minimum": 1}).reason
    day_before = _context(NORTHWIND, dt.date(2026, 2, 10))
    assert "c-tailspin 2" in rule(day_before, {"minimum": 1}).reason
    nobody = attrs.evolve(NORTHWIND, deals=(), managed_services=())
    assert rule(_context(nobody, day), {"minimum": 1}) == pt.GateOutcome(
        False, "no client counts (none managed, none sold in the window)"
    )


# --- review dates --------------------------------------------------------------------------


def test_reviews_fall_after_the_start_and_on_or_before_the_end() -> None:
    policy = pt.ReviewPolicy(review_dates=("07-01", "01-01"))
    assert policy.review_dates == ("01-01", "07-01")
    assert policy.reviews(dt.date(2024, 1, 1), dt.date(2025, 1, 1)) == [
        dt.date(2024, 7, 1),
        dt.date(2025, 1, 1),
    ]
    assert policy.next_review(dt.date(2024, 12, 31)) == dt.date(2025, 1, 1)
    assert policy.next_review(dt.date(2025, 1, 1)) == dt.date(2025, 7, 1)
    assert policy.next_review(dt.date(2025, 7, 1)) == dt.date(2026, 1, 1)


def test_a_review_on_feb_29_falls_on_feb_28_in_common_years() -> None:
    policy = pt.ReviewPolicy(review_dates=("02-29",))
    assert policy.reviews(dt.date(2023, 1, 1), dt.date(2025, 12, 31)) == [
        dt.date(2023, 2, 28),
        dt.date(2024, 2, 29),
        dt.date(2025, 2, 28),
    ]


@pytest.mark.parametrize("text", ["-1", "x", "7-01", "13-01", "00-10", "04-31", "02-30", "01-00"])
def test_review_dates_that_are_not_month_days_are_refused_when_used(text: str) -> None:
    # Program files are refused when loaded (check_program); a policy built in Python
    # names the date when it is first used.
    policy = pt.ReviewPolicy(review_dates=("07-01", text))
    with pytest.raises(pt.ProgramError) as info:
        policy.next_review(dt.date(2024, 1, 1))
    assert str(info.value) == (
        f"policy.review_dates: must be MM-DD month-days, e.g. 01-01 (got {text!r})"
    )


@pytest.mark.parametrize(
    ("text", "pair"),
    [("01-01", (1, 1)), ("02-29", (2, 29)), ("12-31", (12, 31)), ("04-30", (4, 30))],
)
def test_review_dates_at_the_ends_of_months_are_month_days(
    text: str, pair: tuple[int, int]
) -> None:
    assert pt.ReviewPolicy(review_dates=(text,)).month_days() == [pair]


def test_highest_met_asks_each_tier_once_from_the_top() -> None:
    from partner_tiers._rules.ladder import highest_met

    asked: list[int] = []

    def never(index: int, tier: pt.Tier) -> bool:
        asked.append(index)
        return False

    assert highest_met(PROGRAM.tiers, never) == -1
    assert asked == [2, 1, 0]
    asked.clear()
    assert highest_met(PROGRAM.tiers, never, below=2) == -1
    assert asked == [1, 0]


# --- the review policy, replayed day by day --------------------------------------------------
#
# The engine visits only the days on which something can change. The oracle below visits
# every day from joining, and applies the published shape of the policy directly:
# promotions immediately or at reviews (capped by failing gates), demotions only at
# reviews, with notice, at most one tier down with a soft landing, an announced demotion
# withdrawn when the retain minimums are met again when it lands, and Provider for a
# partner with no tier by the first-tier deadline.


@frozen
class OracleState:
    held: int = -1
    history: tuple[tuple[dt.date, str | None, str | None, str], ...] = ()
    pending: tuple[dt.date, int, str] | None = None
    ever: bool = False
    provider: bool = False


def oracle_values(program: pt.Program, ledger: pt.PointsLedger, day: dt.date) -> dict[str, Decimal]:
    totals = ledger.totals(day)
    return {track.id: getattr(totals, track.rule) for track in program.tracks}


def oracle_cap(program: pt.Program, book: pt.Book, ledger: pt.PointsLedger, day: dt.date) -> int:
    ids = [tier.id for tier in program.tiers]
    context = pt.Context.make(book, ledger, program, day)
    cap = len(ids) - 1
    for gate in program.gates:
        rule = program.registry.gate(gate.kind)
        assert rule is not None
        if not rule(context, gate.params).passed:
            lowest = min(ids.index(t) for t in gate.tiers) if gate.tiers else 0
            cap = min(cap, lowest - 1)
    return cap


def oracle_highest(
    tiers: Sequence[pt.Tier], values: dict[str, Decimal], keep_up_to: int = -1
) -> int:
    met = [i for i, tier in enumerate(tiers) if tier.met(values, keep=i <= keep_up_to)]
    return max(met, default=-1)


def oracle_replay(book: pt.Book, program: pt.Program, end: dt.date) -> OracleState:
    policy, tiers = program.policy, program.tiers
    ledger = pt.build_ledger(book, program)
    joined = book.partner.joined_on
    months = policy.first_tier_deadline_months
    deadline = None if months is None else joined + relativedelta(months=months)
    review_days = set(policy.reviews(joined - dt.timedelta(days=1), end))
    name = [tier.id for tier in tiers]
    state = OracleState()
    day = joined
    while day <= end:
        held, history, pending = state.held, list(state.history), state.pending
        ever, provider = state.ever, state.provider
        values = oracle_values(program, ledger, day)

        def tier_of(index: int) -> str | None:
            return name[index] if index >= 0 else None

        if pending is not None and day >= pending[0]:
            if held >= 0 and tiers[held].met(values, keep=True):
                text = (
                    f"demotion announced for {pending[0]} withdrawn: "
                    f"{tiers[held].name} retain minimums met again"
                )
                history.append((day, name[held], name[held], text))
            else:
                history.append(
                    (day, name[held] if held >= 0 else None, tier_of(pending[1]), pending[2])
                )
                held = pending[1]
            pending = None
        review = day in review_days
        reached = oracle_highest(tiers, values)
        if (policy.promotion is pt.Promotion.IMMEDIATE or review) and reached > held:
            allowed = min(reached, oracle_cap(program, book, ledger, day))
            if allowed > held:
                when = (
                    "at the review"
                    if policy.promotion is pt.Promotion.AT_REVIEW
                    else "on qualifying"
                )
                history.append(
                    (day, tier_of(held), name[allowed], f"reached {tiers[allowed].name} {when}")
                )
                held, pending = allowed, None
        if review and held >= 0 and pending is None and not tiers[held].met(values, keep=True):
            target = min(oracle_highest(tiers, values, keep_up_to=held), held - 1)
            if policy.soft_landing:
                target = max(target, held - 1)
            short = ", ".join(
                f"{track} {values[track]} < {tiers[held].retain_for(track)}"
                for track in tiers[held].reach
                if values[track] < tiers[held].retain_for(track)
            )
            reason = f"below the {tiers[held].name} retain minimum at the review of {day} ({short})"
            if policy.soft_landing:
                reason += "; soft landing: one tier down"
            if policy.notice_days == 0:
                history.append((day, name[held], tier_of(target), reason))
                held = target
            else:
                pending = (
                    day + dt.timedelta(days=policy.notice_days),
                    target,
                    f"{reason}; notice given on {day}",
                )
        ever = ever or held >= 0
        if review and deadline is not None and day >= deadline and not ever and not provider:
            provider = True
            history.append(
                (
                    day,
                    None,
                    None,
                    f"no tier reached within {months} months of joining on {joined}: "
                    f"moved to Provider at the review of {day}",
                )
            )
        if provider and held >= 0:
            provider = False
        state = OracleState(held, tuple(history), pending, ever, provider)
        day += dt.timedelta(days=1)
    return state


POLICIES = st.fixed_dictionaries(
    {
        # 01-03 is the day the partners of busy_books() join: a review on the first day.
        "review_dates": st.sampled_from(
            [["01-01", "07-01"], ["02-29"], ["03-31", "09-30", "12-15"], ["01-03", "07-03"]]
        ),
        "promotion": st.sampled_from(["immediate", "at_review"]),
        "notice_days": st.sampled_from([0, 1, 30, 200]),
        "soft_landing": st.booleans(),
        "first_tier_deadline_months": st.sampled_from([None, 1, 6, 24]),
    }
)


EVERY_TRACK = ("total", "sold", "sourced", "assisted", "managed", "sold_mrr_usd", "managed_mrr_usd")


def program_with(
    policy: dict[str, Any], scale: Decimal, base: str = "hubspot-2025", window: int = 12
) -> pt.Program:
    """A shipped program with another policy, its thresholds scaled (lower: more changes),
    the tool-usage window changed, and every built-in track (so that the status shows
    each of them, expiring points included)."""
    data = pt.program_to_dict(pt.load_program(base))
    data["policy"] = {key: value for key, value in policy.items() if value is not None}
    for tier in data["tiers"]:
        for kind in ("reach", "retain"):
            tier[kind] = {track: str(Decimal(v) * scale) for track, v in tier[kind].items()}
    for gate in data["gates"]:
        if gate["kind"] == "median_tool_usage":
            gate["params"]["window_months"] = window
    known = {track["id"] for track in data["tracks"]}
    data["tracks"] += [{"id": track} for track in EVERY_TRACK if track not in known]
    return pt.program_from_dict(data)


JOINED = dt.date(2022, 1, 3)
PERIOD = st.integers(min_value=0, max_value=3 * 365).map(lambda n: JOINED + dt.timedelta(days=n))
EARLY = st.one_of(
    st.integers(min_value=0, max_value=500).map(lambda n: JOINED + dt.timedelta(days=n)),
    # Month ends (calendar months clip there), and the day before joining.
    st.sampled_from(
        [
            dt.date(2022, 1, 31),
            dt.date(2022, 8, 31),
            dt.date(2022, 12, 31),
            JOINED - dt.timedelta(days=1),
        ]
    ),
)
TOOLS = ("crm", "email", "forms", "workflows", "chat")


@st.composite
def busy_books(draw: st.DrawFn) -> pt.Book:
    """Books whose tiers move in their first three years: sales that expire a year later,
    managed service that starts and stops, certifications that lapse."""
    clients = [
        pt.Client(
            pt.ClientId(f"c-{i}"),
            f"Client {i}",
            country,
            pt.Relationship.SOLD_AND_MANAGED,
            tools_used=TOOLS[: draw(st.integers(min_value=1, max_value=5))],
        )
        for i, country in enumerate(
            draw(st.lists(st.sampled_from(["US", "IN"]), min_size=1, max_size=3))
        )
    ]
    ids = [client.id for client in clients]
    deals = [
        pt.Deal(
            pt.DealId(f"d-{i}"),
            draw(st.sampled_from(ids)),
            "sales-hub",
            *draw(
                st.sampled_from(
                    [
                        (pt.DealKind.NEW, pt.SalesMotion.SOURCED),
                        (pt.DealKind.NEW, pt.SalesMotion.ASSISTED),
                        (pt.DealKind.ADJUSTMENT, pt.SalesMotion.NONE),
                    ]
                )
            ),
            draw(EARLY),
            pt.Money(draw(st.integers(min_value=100, max_value=6000)), "USD"),
        )
        for i in range(draw(st.integers(min_value=1, max_value=8)))
    ]
    subscriptions, services = [], []
    for index, client in enumerate(ids):
        if index == 0 or draw(st.booleans()):
            since = draw(EARLY)
            until = draw(st.one_of(st.none(), st.integers(min_value=30, max_value=700)))
            subscriptions.append(
                pt.Subscription(
                    pt.SubscriptionId(f"s-{client}"),
                    client,
                    "service-hub",
                    "pro",
                    pt.Money(draw(st.integers(min_value=500, max_value=20000)), "USD"),
                    since,
                    since + dt.timedelta(days=365),
                )
            )
            services.append(
                pt.ManagedService(
                    client, since, None if until is None else since + dt.timedelta(days=until)
                )
            )
    starts = [JOINED, *draw(st.lists(PERIOD, max_size=1))]
    certifications = [
        pt.Certification(
            pt.CertificationId(f"cert-{i}"),
            "Certification",
            start,
            start + dt.timedelta(days=draw(st.integers(min_value=200, max_value=1200))),
        )
        for i, start in enumerate(starts)
    ]
    return pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", JOINED),
        clients=clients,
        deals=deals,
        subscriptions=subscriptions,
        managed_services=services,
        certifications=certifications,
    )


def oracle_next_review(policy: pt.ReviewPolicy, day: dt.date) -> dt.date:
    after = day + dt.timedelta(days=1)
    while True:
        for text in policy.review_dates:
            month, day_of_month = int(text[:2]), int(text[3:])
            last = calendar.monthrange(after.year, month)[1]
            if (after.month, after.day) == (month, min(day_of_month, last)):
                return after
        after += dt.timedelta(days=1)


def oracle_status(book: pt.Book, program: pt.Program, end: dt.date) -> dict[str, Any]:
    """The status the documented rules give: the replay above, then the tier capped by
    today's gates, what is still needed, and what expires by the next review."""
    tiers = program.tiers
    ledger = pt.build_ledger(book, program)
    state = oracle_replay(book, program, end)
    values = oracle_values(program, ledger, end)
    cap = oracle_cap(program, book, ledger, end)
    held = min(state.held, cap)
    review = oracle_next_review(program.policy, end)
    lost = dict.fromkeys(EVERY_TRACK, Decimal(0))
    for batch in ledger:
        expires = batch.expires_on
        if batch.track is pt.Track.SOLD and expires and batch.earned_on <= end < expires <= review:
            for name in ("sold", "total", str(batch.motion)):
                if name in lost:
                    lost[name] += batch.points
            lost["sold_mrr_usd"] += batch.mrr_usd
    projected = {track.id: values[track.id] - lost[track.rule] for track in program.tracks}
    tier = state.held
    reached = oracle_highest(tiers, projected)
    if reached > tier:
        tier = reached
    elif tier >= 0 and not tiers[tier].met(projected, keep=True):
        target = min(oracle_highest(tiers, projected, keep_up_to=tier), tier - 1)
        tier = max(target, tier - 1) if program.policy.soft_landing else target
    following = held + 1 if held + 1 < len(tiers) else None
    retain = tiers[held].retain_thresholds() if held >= 0 else {}

    def tier_id(index: int | None) -> str | None:
        return None if index is None or index < 0 else tiers[index].id

    return {
        "tier": tier_id(held),
        "qualified_tier": tier_id(min(oracle_highest(tiers, values), cap)),
        "level": "provider" if state.provider and held < 0 else "partner",
        "values": values,
        "next_tier": tier_id(following),
        "next_tier_reach": {} if following is None else dict(tiers[following].reach),
        "to_next_tier": {}
        if following is None
        else {t: max(Decimal(0), v - values[t]) for t, v in tiers[following].reach.items()},
        "retain_minimum": dict(retain),
        "to_keep_tier": {track: values[track] - minimum for track, minimum in retain.items()},
        "next_review": review,
        "expiring_before_review": {track.id: lost[track.rule] for track in program.tracks},
        "projected_tier": tier_id(min(tier, cap)),
        "history": list(state.history),
        "pending": None
        if state.pending is None
        else (state.pending[0], tier_id(state.pending[1]), state.pending[2]),
    }


@settings(max_examples=60, deadline=None)
@given(
    busy_books(),
    POLICIES,
    st.sampled_from([Decimal("0.05"), Decimal("0.2"), Decimal(1)]),
    st.sampled_from(["hubspot-2025", "hubspot-2018"]),
    st.sampled_from([12, 6, 1]),
    # Mostly late days: the first year holds the sales, the next two their expiry.
    st.one_of(st.sampled_from([540, 800, 1095]), st.integers(min_value=-1, max_value=3 * 365)),
)
def test_the_status_agrees_with_a_day_by_day_oracle(
    book: pt.Book, policy: dict[str, Any], scale: Decimal, base: str, window: int, days: int
) -> None:
    program = program_with(policy, scale, base, window)
    end = book.partner.joined_on + dt.timedelta(days=max(days, 0))
    try:
        status = pt.evaluate(book, program, end)
    except pt.PricingError:
        return  # a deal the program cannot price: nothing to replay
    pending = status.pending_demotion
    actual = {
        "tier": status.tier,
        "qualified_tier": status.qualified_tier,
        "level": status.level,
        "values": dict(status.values),
        "next_tier": status.next_tier,
        "next_tier_reach": dict(status.next_tier_reach),
        "to_next_tier": dict(status.to_next_tier),
        "retain_minimum": dict(status.retain_minimum),
        "to_keep_tier": dict(status.to_keep_tier),
        "next_review": status.next_review,
        "expiring_before_review": dict(status.expiring_before_review),
        "projected_tier": status.projected_tier,
        "history": [(c.on, c.from_tier, c.to_tier, c.reason) for c in status.history],
        "pending": None if pending is None else (pending.on, pending.to_tier, pending.reason),
    }
    assert actual == oracle_status(book, program, end)


def test_an_announced_demotion_is_withdrawn_when_the_minimums_are_met_again() -> None:
    program = program_with(
        {
            "review_dates": ["07-01"],
            "promotion": "immediate",
            "notice_days": 30,
            "soft_landing": True,
            "first_tier_deadline_months": None,
        },
        Decimal(1),
    )
    client = pt.ClientId("c-1")
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", JOINED),
        clients=[
            pt.Client(client, "Client", "US", pt.Relationship.SOLD_AND_MANAGED, ("a", "b", "c"))
        ],
        subscriptions=[
            pt.Subscription(
                pt.SubscriptionId("s-1"),
                client,
                "service-hub",
                "pro",
                pt.Money("3800", "USD"),
                JOINED,
                dt.date(2027, 1, 1),
            )
        ],
        managed_services=[pt.ManagedService(client, JOINED)],
        certifications=[
            pt.Certification(pt.CertificationId("c"), "C", JOINED, dt.date(2027, 1, 1))
        ],
        deals=[
            # 1200 USD at 3: 36 sourced points + 38 managed = 74 >= 52.5: Gold on the day.
            pt.Deal(pt.DealId("d-1"), client, "l", pt.DealKind.NEW, SOURCED,
                    dt.date(2023, 6, 1), pt.Money("1200", "USD")),
            # After d-1 expires (2024-06-01) the review of 2024-07-01 finds sourced 0 < 9
            # and announces the demotion for 2024-07-31; this deal (190 USD at 5: 9.50)
            # brings the retain minimums back (total 47.50 >= 47.25, sourced 9.50 >= 9)
            # though not the reach thresholds (52.5 and 10) before it lands.
            pt.Deal(pt.DealId("d-2"), client, "l2", pt.DealKind.NEW, SOURCED,
                    dt.date(2024, 7, 15), pt.Money("190", "USD")),
        ],
    )  # fmt: skip
    during = pt.evaluate(book, program, dt.date(2024, 7, 20))
    assert during.tier == "gold"
    assert [r.text for r in during.explain().about("held")][1].startswith(
        "pending: down to untiered on 2024-07-31 (below the Gold retain minimum"
    )
    assert during.pending_demotion is not None
    assert (during.pending_demotion.on, during.pending_demotion.to_tier) == (
        dt.date(2024, 7, 31),
        None,
    )
    after = pt.evaluate(book, program, dt.date(2024, 8, 1))
    assert after.pending_demotion is None
    assert (after.values["total"], after.values["sourced"]) == (Decimal("47.50"), Decimal("9.50"))
    assert [(c.on, c.from_tier, c.to_tier, c.reason) for c in after.history] == [
        (dt.date(2023, 6, 1), None, "gold", "reached Gold on qualifying"),
        (
            dt.date(2024, 7, 31),
            "gold",
            "gold",
            "demotion announced for 2024-07-31 withdrawn: Gold retain minimums met again",
        ),
    ]
    assert oracle_replay(book, program, dt.date(2024, 8, 1)).history == tuple(
        (c.on, c.from_tier, c.to_tier, c.reason) for c in after.history
    )
    without = attrs.evolve(book, deals=book.deals[:1])
    landed = pt.evaluate(without, program, dt.date(2024, 8, 1))
    assert landed.tier is None
    assert landed.history[-1].reason == (
        "below the Gold retain minimum at the review of 2024-07-01 (total 38.00 < 47.25, "
        "sourced 0.00 < 9); soft landing: one tier down; notice given on 2024-07-01"
    )


# --- more edges, each found by mutation testing (docs/testing.md) ---------------------------


def test_movements_leave_out_what_expires_on_the_last_day_and_add_every_rise() -> None:
    client = pt.ClientId("c-1")
    second = pt.ClientId("c-2")
    starts = ((client, "1000", dt.date(2024, 3, 5)), (second, "500", dt.date(2024, 3, 9)))
    subscriptions = [
        pt.Subscription(
            pt.SubscriptionId(f"s-{c}"), c, "l", "e", pt.Money(mrr, "USD"), day, dt.date(2025, 1, 1)
        )
        for c, mrr, day in starts
    ]
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[
            pt.Client(client, "C1", "US", pt.Relationship.SOLD_AND_MANAGED),
            pt.Client(second, "C2", "US", pt.Relationship.MANAGED),
        ],
        deals=[
            # Expires on 2024-03-31, the end of the range: not lost in it.
            pt.Deal(pt.DealId("d-1"), client, "l", pt.DealKind.NEW, SOURCED,
                    dt.date(2023, 3, 31), pt.Money("100", "USD")),
        ],
        subscriptions=subscriptions,
        managed_services=[
            pt.ManagedService(client, dt.date(2024, 3, 5)),
            pt.ManagedService(second, dt.date(2024, 3, 9)),
        ],
    )  # fmt: skip
    movements = pt.build_ledger(book, PROGRAM).movements(dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    assert movements.lost.sold == 0
    # Two rises of the managed level: 10.00 (1000 USD) and 5.00 (500 USD).
    assert movements.new.managed == Decimal("15.00")
    assert movements.new.managed_mrr_usd == Decimal("1500.00")
    later = pt.build_ledger(book, PROGRAM).movements(dt.date(2024, 3, 31), dt.date(2024, 4, 1))
    assert later.lost.sold == Decimal("5.00")


def test_what_expires_before_the_next_review_is_summed_over_every_batch() -> None:
    data = pt.program_to_dict(PROGRAM)
    data["tracks"] += [{"id": t} for t in ("sold", "assisted", "sold_mrr_usd", "managed_mrr_usd")]
    data["expiry"] = [{"months": 12}, {"effective_from": "2025-01-01", "months": 1}]
    program = pt.program_from_dict(data)
    base = _two_clients_book("1050")
    book = attrs.evolve(
        base,
        clients=(*base.clients, pt.Client(_C1, "Client", "US", pt.Relationship.SOLD)),
        deals=[
            _deal("d-1", "new", "sourced", JAN_10, "1000"),
            _deal("d-2", "upsell", "assisted", FEB_10, "1000"),
            _deal("d-3", "cross_sell", "assisted", dt.date(2024, 3, 10), "500"),
            _deal("d-4", "adjustment", "none", dt.date(2024, 3, 20), "100"),
            # Under the one-month rule from 2025: earned on the day, gone by 2025-02-02.
            _deal("d-5", "new", "sourced", dt.date(2025, 1, 2), "200"),
        ],
        managed_services=[
            # Managed points end before the review too, but they are a level: not counted.
            pt.ManagedService(pt.ClientId("c-in"), dt.date(2024, 1, 1), dt.date(2025, 3, 1))
        ],
    )
    status = pt.evaluate(book, program, dt.date(2025, 1, 2))
    assert status.next_review == dt.date(2025, 7, 1)
    # d-1 50.00 sourced, d-2 30.00 and d-3 15.00 assisted, d-4 3.00 unattributed, d-5 10.00.
    assert status.expiring_before_review == {
        "total": Decimal("108.00"),
        "sourced": Decimal("60.00"),
        "managed": Decimal(0),
        "sold": Decimal("108.00"),
        "assisted": Decimal("45.00"),
        "sold_mrr_usd": Decimal("2800.00"),
        "managed_mrr_usd": Decimal(0),
    }


def test_an_offset_keeps_the_market_of_the_batch_it_reduces() -> None:
    client = pt.ClientId("c-in")
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(client, "Client", "IN", pt.Relationship.SOLD)],
        deals=[
            pt.Deal(pt.DealId("d-1"), client, "l", pt.DealKind.NEW, SOURCED, JAN_10,
                    pt.Money("1000", "USD")),
            pt.Deal(pt.DealId("d-2"), client, "l", pt.DealKind.DOWNGRADE, SOURCED, FEB_1,
                    pt.Money("-500", "USD")),
        ],
    )  # fmt: skip
    sale, offset = pt.build_ledger(book, PROGRAM)
    assert (sale.market, sale.points, sale.rate) == (
        pt.Market.GROWTH,
        Decimal("100.00"),
        Decimal(10),
    )
    assert (offset.market, offset.points) == (pt.Market.GROWTH, Decimal("-50.00"))


def test_an_offset_needs_the_currency_of_the_batch_it_reduces_in_todays_table() -> None:
    data = pt.program_to_dict(PROGRAM)
    data["currencies"].append({"effective_from": "2024-02-01", "per_100_usd": {"USD": "100"}})
    program = pt.program_from_dict(data)
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(_C1, "Client", "US", pt.Relationship.SOLD)],
        deals=[
            _deal("d-1", "new", "sourced", JAN_10, "880", "EUR"),
            _deal("d-2", "downgrade", "sourced", MAR_1, "-100"),
        ],
    )
    with pytest.raises(pt.PricingError) as info:
        pt.build_ledger(book, program)
    assert str(info.value) == (
        "deal d-2: currency EUR on 2024-03-01 is not in the currency table of stateful@1 "
        "in force since 2024-02-01"
    )


def test_a_gate_guarding_the_second_tier_caps_at_the_first() -> None:
    data = pt.program_to_dict(PROGRAM)
    data["gates"].append(
        {"id": "tools", "kind": "median_tool_usage", "tiers": ["platinum", "diamond"],
         "params": {"minimum": 9}}
    )  # fmt: skip
    program = pt.program_from_dict(data)
    status = pt.evaluate(_two_clients_book("1050"), program, dt.date(2024, 6, 1))
    tools = next(gate for gate in status.gates if gate.name == "tools")
    assert (tools.passed, tools.caps_at, tools.tiers) == (False, "gold", ("platinum", "diamond"))
    # Points reach Platinum; the gate lets the partner be promoted to Gold only.
    assert (status.qualified_tier, status.tier) == ("gold", "gold")
    assert [(c.to_tier, c.reason) for c in status.history] == [
        ("gold", "reached Gold on qualifying")
    ]
    [line] = [r.text for r in status.explain().about("gate") if r.subject == "tools"]
    assert line == (
        "gate tools (platinum, diamond) failed: median tool usage 0 < 9 over c-in 0, c-us 0; "
        "caps the tier at gold"
    )


def test_a_gate_kind_no_registry_knows_is_named() -> None:
    data = pt.program_to_dict(PROGRAM)
    data["gates"].append({"id": "x", "kind": "custom_kind"})
    always = pt.Registry().with_gate("custom_kind", lambda c, p: pt.GateOutcome(True, "ok"))
    program = attrs.evolve(pt.program_from_dict(data, registry=always), registry=pt.Registry())
    with pytest.raises(pt.ProgramError) as info:
        pt.evaluate(_two_clients_book("1050"), program, dt.date(2024, 6, 1))
    assert str(info.value) == (
        "program stateful@1: gates[1].kind: is no built-in or registered gate (got 'custom_kind')"
    )
    # The program is refused before anything is evaluated, points or none.
    nothing = attrs.evolve(_two_clients_book("1050"), deals=(), managed_services=())
    with pytest.raises(pt.ProgramError) as again:
        pt.evaluate(nothing, program, dt.date(2024, 6, 1))
    assert str(again.value) == str(info.value)


def test_custom_rules_see_the_program_and_their_parameters() -> None:
    seen: list[tuple[str, Any]] = []

    def scaled(context: pt.Context, params: Any) -> Decimal:
        seen.append((context.program.label, dict(params)))
        factor: int = params["factor"]
        return context.totals.sourced * factor

    def labelled(context: pt.Context, params: Any) -> pt.GateOutcome:
        return pt.GateOutcome(context.program.name == params["name"], context.program.label)

    data = pt.program_to_dict(PROGRAM)
    data["tracks"].append({"id": "double", "kind": "scaled", "params": {"factor": 2}})
    data["gates"].append({"id": "named", "kind": "labelled", "params": {"name": "stateful"}})
    registry = pt.Registry().with_track("scaled", scaled).with_gate("labelled", labelled)
    program = pt.program_from_dict(data, registry=registry)
    status = pt.evaluate(_two_clients_book("1050"), program, dt.date(2024, 6, 1))
    assert status.values["double"] == Decimal("105.00")
    assert status.expiring_before_review["double"] == 0
    assert seen[-1] == ("stateful@1", {"factor": 2})
    named = next(gate for gate in status.gates if gate.name == "named")
    assert (named.passed, named.reason) == (True, "stateful@1")
    assert status.tier == "platinum"  # the gate passed on every replayed day


def test_the_shortfall_to_keep_a_tier_reads_its_retain_thresholds() -> None:
    tier = HUBSPOT_2025.tiers[0]  # Gold: reach 52.5 / 10 / 10, retain 47.25 / 9 / 9
    values = {"total": Decimal(48), "sourced": Decimal(9)}
    assert tier.shortfall(values, keep=True) == {
        "total": Decimal(0),
        "sourced": Decimal(0),
        "managed": Decimal(9),
    }
    assert tier.shortfall(values) == {
        "total": Decimal("4.5"),
        "sourced": Decimal(1),
        "managed": Decimal(10),
    }
    assert tier.shortfall({}) == dict(tier.reach)


# --- pricing, worked by hand --------------------------------------------------------------------
#
# A program with HubSpot's two rate rows (3 / 3 / 1 and, from 2024-02-27, 5 / 3 / 1 with
# grandfathered upsells) and an unattributed rate of 1, unlike any other, so that every
# rate a deal can get is told apart.


def two_row_program(*, price_before_first_row: bool = False) -> pt.Program:
    data = pt.program_to_dict(PROGRAM)
    data["name"] = "two-rows"
    data["price_before_first_row"] = price_before_first_row
    data["rates"] = [
        {"effective_from": "2022-07-18", "sourced": "3", "assisted": "3", "unattributed": "1",
         "managed": "1"},
        {"effective_from": "2024-02-27", "sourced": "5", "assisted": "3", "unattributed": "1",
         "managed": "1", "grandfather_upsells": True},
    ]  # fmt: skip
    return pt.program_from_dict(data)


TWO_ROWS = two_row_program()


def _priced(*deals: pt.Deal, subscriptions: Sequence[pt.Subscription] = ()) -> dict[str, Decimal]:
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(_C1, "Client", "US", pt.Relationship.SOLD)],
        deals=deals,
        subscriptions=subscriptions,
    )
    return {batch.id: batch.rate for batch in pt.build_ledger(book, TWO_ROWS)}


UPSELL = _deal("d-up", "upsell", "sourced", dt.date(2024, 4, 1), "100")


_LINE_OPENERS = [
    # A positive adjustment first sold the line, even of 0.50 USD: the upsell keeps 3.
    pytest.param(("adjustment", "none", dt.date(2023, 6, 1), "0.50"), 3, id="adjustment"),
    # A negative adjustment sells nothing: the line's first sale is the upsell itself.
    pytest.param(("adjustment", "none", dt.date(2023, 6, 1), "-5"), 5, id="negative-adjustment"),
    pytest.param(("new", "sourced", dt.date(2023, 6, 1), "100"), 3, id="new"),
    pytest.param(("new", "sourced", dt.date(2024, 3, 1), "100"), 5, id="new-after-row"),
]


@pytest.mark.parametrize(("first", "rate"), _LINE_OPENERS)
def test_an_upsell_keeps_the_rate_of_its_lines_first_sale(
    first: tuple[str, str, dt.date, str], rate: int
) -> None:
    kind, motion, day, amount = first
    assert _priced(_deal("d-0", kind, motion, day, amount), UPSELL)["sold:d-up"] == rate


def test_a_subscription_started_later_does_not_move_the_first_sale() -> None:
    started_later = pt.Subscription(
        pt.SubscriptionId("s-1"), _C1, "sales-hub", "pro", pt.Money("100", "USD"),
        dt.date(2024, 3, 1), dt.date(2025, 3, 1),
    )  # fmt: skip
    rates = _priced(
        _deal("d-0", "new", "sourced", dt.date(2023, 1, 1), "100"),
        UPSELL,
        subscriptions=[started_later],
    )
    assert rates["sold:d-up"] == 3
    started_earlier = attrs.evolve(started_later, started_on=dt.date(2023, 1, 1))
    assert _priced(UPSELL, subscriptions=[started_earlier])["sold:d-up"] == 3


def test_a_grandfathered_upsell_keeps_the_rate_of_its_motion() -> None:
    assisted = attrs.evolve(UPSELL, motion=pt.SalesMotion.ASSISTED)
    first = _deal("d-0", "new", "sourced", dt.date(2023, 6, 1), "100")
    assert _priced(first, assisted)["sold:d-up"] == 3
    adjustment = _deal("d-adj", "adjustment", "none", dt.date(2024, 4, 1), "100")
    assert _priced(first, adjustment)["sold:d-adj"] == 1  # unattributed, of the 2022 row
    assert (
        _priced(_deal("d-adj", "adjustment", "none", dt.date(2024, 4, 1), "100"))["sold:d-adj"] == 1
    )


def test_on_one_day_a_sale_is_booked_before_the_reduction_of_it() -> None:
    # The downgrade's id sorts first, and the sale is under 1 USD: still the sale first.
    day = dt.date(2024, 4, 1)
    rates = _priced(
        _deal("d-b", "new", "sourced", day, "0.50"),
        _deal("d-a", "downgrade", "sourced", day, "-0.50"),
    )
    assert set(rates) == {"sold:d-b", "sold:d-a:offsets:sold:d-b"}


def test_a_growth_market_sale_says_so_in_its_rule() -> None:
    client = pt.ClientId("c-in")
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(client, "Client", "IN", pt.Relationship.SOLD)],
        deals=[pt.Deal(pt.DealId("d-1"), client, "l", pt.DealKind.NEW, SOURCED,
                       dt.date(2024, 4, 1), pt.Money("100", "USD"))],
    )  # fmt: skip
    [batch] = pt.build_ledger(book, TWO_ROWS)
    assert batch.rule == (
        "100 USD at 100 USD per 100 USD x 5 points per 100 USD x 2 (growth market IN) = 10.00 "
        "(sourced rate of the rows from 2024-02-27)"
    )


def _managed(
    program: pt.Program,
    since: dt.date,
    until: dt.date | None,
    *,
    started: dt.date,
    ended: dt.date | None = None,
    country: str = "IN",
    currency: str = "USD",
) -> list[pt.PointBatch]:
    client = pt.ClientId("c-m")
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(client, "Client", country, pt.Relationship.MANAGED)],
        subscriptions=[pt.Subscription(pt.SubscriptionId("s-m"), client, "l", "e",
                                       pt.Money("1000", currency), started, started,
                                       ended_on=ended)],
        managed_services=[pt.ManagedService(client, since, until)],
    )  # fmt: skip
    return list(pt.build_ledger(book, program))


def test_a_managed_batch_says_where_it_comes_from() -> None:
    [open_batch] = _managed(TWO_ROWS, dt.date(2024, 3, 1), None, started=dt.date(2024, 3, 1))
    assert (open_batch.program, open_batch.rate, open_batch.points) == (
        "two-rows@1",
        Decimal(2),
        Decimal("20.00"),
    )
    assert open_batch.origin == "managed service of c-m since 2024-03-01, s-m from 2024-03-01"
    [ended] = _managed(
        TWO_ROWS, dt.date(2024, 3, 1), dt.date(2024, 5, 1), started=dt.date(2024, 3, 1)
    )
    assert ended.origin == (
        "managed service of c-m since 2024-03-01, s-m from 2024-03-01 to 2024-05-01"
    )
    assert ended.expires_on == dt.date(2024, 5, 1)


def test_managed_points_start_with_the_first_rate_row_unless_the_program_prices_before() -> None:
    since = dt.date(2021, 1, 1)
    [strict] = _managed(TWO_ROWS, since, None, started=since)
    assert strict.earned_on == dt.date(2022, 7, 18)
    [priced] = _managed(two_row_program(price_before_first_row=True), since, None, started=since)
    assert priced.earned_on == since


def test_a_managed_period_that_ends_where_it_starts_earns_nothing() -> None:
    # The subscription ends on the day the service starts.
    assert _managed(TWO_ROWS, dt.date(2024, 6, 1), None, started=dt.date(2024, 1, 1),
                    ended=dt.date(2024, 6, 1)) == []  # fmt: skip


def test_a_managed_period_ending_on_a_rule_change_is_one_batch() -> None:
    # hubspot-2025's currency table changes on 2025-07-15: a period ending that day
    # lies wholly under the old table.
    # In EUR, whose amount per 100 USD changes that day, no second batch starts on it.
    for currency in ("USD", "EUR"):
        [batch] = _managed(HUBSPOT_2025, dt.date(2025, 1, 1), dt.date(2025, 7, 15),
                           started=dt.date(2025, 1, 1), country="US",
                           currency=currency)  # fmt: skip
        assert (batch.earned_on, batch.expires_on) == (dt.date(2025, 1, 1), dt.date(2025, 7, 15))


def test_a_track_missing_from_the_values_counts_as_zero() -> None:
    free = pt.Tier("free", "Free", reach={"x": Decimal(0)})
    half = pt.Tier("half", "Half", reach={"x": Decimal("0.5")}, retain={"x": Decimal("0.25")})
    assert free.met({}) is True
    assert free.met({}, keep=True) is True
    assert half.met({}) is False
    assert half.met({}, keep=True) is False
    assert half.met({"x": Decimal("0.25")}, keep=True) is True
    assert half.met({"x": Decimal("0.25")}) is False


def test_each_sales_motion_has_its_own_rate() -> None:
    [_, row] = TWO_ROWS.rates
    assert [row.sold_rate(motion) for motion in pt.SalesMotion] == [
        Decimal(5),  # sourced
        Decimal(3),  # assisted
        Decimal(1),  # none: unattributed
    ]


# --- the projection to the next review, track by track ----------------------------------


@pytest.mark.parametrize(
    ("track", "motion", "threshold"),
    [
        # 1000 USD sourced at 5 points per 100 USD = 50.00; assisted at 3 = 30.00.
        ("sold", pt.SalesMotion.SOURCED, "50"),
        ("sourced", pt.SalesMotion.SOURCED, "50"),
        ("assisted", pt.SalesMotion.ASSISTED, "30"),
        ("total", pt.SalesMotion.ASSISTED, "30"),
        ("sold_mrr_usd", pt.SalesMotion.ASSISTED, "1000"),
    ],
)
def test_what_expires_before_the_review_is_taken_off_each_track_of_the_projection(
    track: str, motion: pt.SalesMotion, threshold: str
) -> None:
    data = pt.program_to_dict(PROGRAM)
    data["tracks"] = [{"id": track}]
    data["tiers"] = [{"id": "gold", "name": "Gold", "reach": {track: threshold}}]
    data["gates"] = []
    program = pt.program_from_dict(data)
    sale = pt.Deal(pt.DealId("d-1"), _C1, "l", pt.DealKind.NEW, motion, dt.date(2023, 3, 1),
                   pt.Money("1000", "USD"))  # fmt: skip
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(_C1, "Client", "US", pt.Relationship.SOLD)],
        deals=[sale],
    )
    # On 2024-02-01 the sale still counts; it expires on 2024-03-01, before the review on
    # 2024-07-01: everything it earned is lost by then, and Gold with it.
    status = pt.evaluate(book, program, dt.date(2024, 2, 1))
    assert (status.tier, status.next_review) == ("gold", dt.date(2024, 7, 1))
    assert status.expiring_before_review == {track: Decimal(threshold)}
    assert status.projected_tier is None
    # A day after the expiry nothing is left to lose, and nothing to project away.
    after = pt.evaluate(book, program, dt.date(2024, 3, 1))
    assert (after.tier, after.expiring_before_review, after.projected_tier) == (
        "gold", {track: Decimal(0)}, None,
    )  # fmt: skip


# --- the review's demotion rule, in the replay and in the projection -------------------------
#
# One track, three tiers (reach / retain): gold 10 / 8, platinum 50 / 40, diamond 100 / 80.
# Deal A (2023-03-01) expires on 2024-03-01, before the review of 2024-07-01; deal B
# (2024-01-15) outlives it. On 2024-02-01 the partner holds the tier of A + B; at the
# review only B counts.

REVIEW = dt.date(2024, 7, 1)


def _ladder_program(*, soft_landing: bool) -> pt.Program:
    data = pt.program_to_dict(PROGRAM)
    data["tracks"] = [{"id": "total"}]
    data["tiers"] = [
        {"id": tier, "name": tier.title(), "reach": {"total": reach}, "retain": {"total": keep}}
        for tier, reach, keep in (("gold", "10", "8"), ("platinum", "50", "40"),
                                  ("diamond", "100", "80"))
    ]  # fmt: skip
    data["gates"] = []
    data["policy"] = {"review_dates": ["01-01", "07-01"], "soft_landing": soft_landing}
    return pt.program_from_dict(data)


def _book_of(a_points: int, b_points: int) -> pt.Book:
    # Sourced at 5 points per 100 USD: 20 USD a point.
    deals = [
        pt.Deal(pt.DealId(f"d-{name}"), _C1, f"line-{name}", pt.DealKind.NEW,
                pt.SalesMotion.SOURCED, day, pt.Money(points * 20, "USD"))
        for name, day, points in (("a", dt.date(2023, 3, 1), a_points),
                                  ("b", dt.date(2024, 1, 15), b_points))
    ]  # fmt: skip
    return pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(_C1, "Client", "US", pt.Relationship.SOLD)],
        deals=deals,
    )


@pytest.mark.parametrize(
    ("a", "b", "soft", "held", "after"),
    [
        # Gold's retain (8) met at the review by B alone: kept, though its reach (10) is not.
        pytest.param(2, 8, True, "gold", "gold", id="first-tier-kept-on-retain"),
        # Below gold's retain: the first tier is lost too.
        pytest.param(5, 5, True, "gold", None, id="first-tier-lost"),
        # Diamond held; 45 at the review meets platinum's retain (40), not its reach (50):
        # the tier kept is platinum, with or without a soft landing.
        pytest.param(55, 45, False, "diamond", "platinum", id="kept-on-lower-retain"),
        pytest.param(55, 45, True, "diamond", "platinum", id="kept-on-lower-retain-soft"),
        # 5 at the review reaches nothing: a soft landing still goes one tier down only.
        pytest.param(95, 5, True, "diamond", "platinum", id="soft-landing-one-down"),
        pytest.param(95, 5, False, "diamond", None, id="hard-landing-to-nothing"),
        # 30 at the review: gold by reach; a soft landing stops at platinum.
        pytest.param(70, 30, False, "diamond", "gold", id="hard-landing-two-down"),
        pytest.param(70, 30, True, "diamond", "platinum", id="soft-landing-not-two-down"),
    ],
)
def test_the_review_decides_what_the_projection_foresaw(
    a: int, b: int, soft: bool, held: str, after: str | None
) -> None:
    program = _ladder_program(soft_landing=soft)
    book = _book_of(a, b)
    before = pt.evaluate(book, program, dt.date(2024, 2, 1))
    assert (before.tier, before.next_review) == (held, REVIEW)
    assert before.expiring_before_review == {"total": Decimal(a)}
    assert before.projected_tier == after
    at_review = pt.evaluate(book, program, REVIEW)
    assert at_review.tier == after
    if after != held:
        [change] = [c for c in at_review.history if c.on == REVIEW]
        assert (change.from_tier, change.to_tier) == (held, after)
        assert change.reason.startswith(
            f"below the {held.title()} retain minimum at the review of {REVIEW} "
            f"(total {b}.00 < {_RETAIN[held]})"
        )
        assert change.reason.endswith("; soft landing: one tier down") == soft
    else:
        assert not [c for c in at_review.history if c.on == REVIEW]


_RETAIN = {"gold": 8, "platinum": 40, "diamond": 80}


def test_a_ladder_whose_tiers_count_different_tracks_never_demotes_upwards() -> None:
    # Gold counts total and managed, platinum only total: platinum's reach can be met
    # while gold's retain is not. Held gold, no managed points at the review, and a gate
    # that blocks platinum: the review demotes to nothing, never "down" to platinum.
    data = pt.program_to_dict(PROGRAM)
    data["tracks"] = [{"id": "total"}, {"id": "managed"}]
    data["tiers"] = [
        {"id": "gold", "name": "Gold", "reach": {"total": "10", "managed": "1"}},
        {"id": "platinum", "name": "Platinum", "reach": {"total": "20"}},
    ]
    data["gates"] = [{"id": "never", "kind": "fact_true", "params": {"fact": "x"},
                      "tiers": ["platinum"]}]  # fmt: skip
    data["policy"] = {"review_dates": ["07-01"], "soft_landing": False}
    program = pt.program_from_dict(data)
    service = pt.ManagedService(_C1, dt.date(2023, 2, 1), dt.date(2024, 6, 1))
    subscription = pt.Subscription(pt.SubscriptionId("s-1"), _C1, "l", "pro",
                                   pt.Money("100", "USD"), dt.date(2023, 1, 1),
                                   dt.date(2025, 1, 1))  # fmt: skip
    book = attrs.evolve(
        _book_of(1, 30),
        clients=[pt.Client(_C1, "Client", "US", pt.Relationship.SOLD_AND_MANAGED)],
        subscriptions=[subscription],
        managed_services=[service],
    )
    before = pt.evaluate(book, program, dt.date(2024, 6, 30))
    assert (before.tier, before.values["managed"]) == ("gold", Decimal(0))
    assert before.projected_tier is None
    status = pt.evaluate(book, program, REVIEW)
    assert status.tier is None
    assert [(c.from_tier, c.to_tier) for c in status.history if c.on == REVIEW] == [("gold", None)]


def test_a_client_sold_at_a_month_end_stops_counting_the_day_after_the_clipped_date() -> None:
    # Sold on 2024-03-31 with a one-month window: 2024-03-31 + 1 month is clipped to
    # 2024-04-30, on which the client still counts (sold in (2024-03-30, 2024-04-30]);
    # it stops counting on 2024-05-01, the day after. With it gone, the median tool usage
    # rises to 8 and the promotion the points allowed all along happens that very day.
    data = pt.program_to_dict(PROGRAM)
    data["gates"] = [{"id": "tools", "kind": "median_tool_usage",
                      "params": {"minimum": 5, "window_months": 1}}]  # fmt: skip
    program = pt.program_from_dict(data)
    managed, sold = pt.ClientId("c-managed"), pt.ClientId("c-sold")
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[
            pt.Client(managed, "Managed", "US", pt.Relationship.MANAGED,
                      tools_used=tuple(f"tool-{n}" for n in range(8))),
            pt.Client(sold, "Sold", "US", pt.Relationship.SOLD, tools_used=("tool-0",)),
        ],
        subscriptions=[pt.Subscription(pt.SubscriptionId("s-1"), managed, "l", "pro",
                                       pt.Money("100", "USD"), START, dt.date(2026, 1, 1))],
        managed_services=[pt.ManagedService(managed, START)],
        deals=[pt.Deal(pt.DealId("d-1"), sold, "l", pt.DealKind.NEW, pt.SalesMotion.SOURCED,
                       dt.date(2024, 3, 31), pt.Money("1000", "USD"))],
    )  # fmt: skip
    on_the_clipped_day = pt.evaluate(book, program, dt.date(2024, 4, 30))
    assert (on_the_clipped_day.tier, on_the_clipped_day.gates[0].passed) == (None, False)
    the_day_after = pt.evaluate(book, program, dt.date(2024, 5, 1))
    assert (the_day_after.tier, the_day_after.gates[0].passed) == ("gold", True)
    assert [(c.on, c.to_tier) for c in the_day_after.history] == [(dt.date(2024, 5, 1), "gold")]


def _one_client_book(joined: dt.date, *deals: tuple[str, dt.date, int]) -> pt.Book:
    """A partner with one sold client and sourced deals of the given points (20 USD a
    point at 5 points per 100 USD), each on its own product line."""
    return pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", joined),
        clients=[pt.Client(_C1, "Client", "US", pt.Relationship.SOLD)],
        deals=[
            pt.Deal(pt.DealId(name), _C1, f"line-{name}", pt.DealKind.NEW,
                    pt.SalesMotion.SOURCED, day, pt.Money(points * 20, "USD"))
            for name, day, points in deals
        ],
    )  # fmt: skip


def test_a_partner_who_joins_on_a_review_day_is_reviewed_that_day() -> None:
    data = pt.program_to_dict(_ladder_program(soft_landing=True))
    data.setdefault("policy", {})["promotion"] = "at_review"
    program = pt.program_from_dict(data)
    day = dt.date(2024, 7, 1)  # a review date
    status = pt.evaluate(_one_client_book(day, ("d-1", day, 10)), program, day)
    assert status.tier == "gold"
    assert [(c.on, c.from_tier, c.to_tier, c.reason) for c in status.history] == [
        (day, None, "gold", "reached Gold at the review")
    ]


def test_each_promotion_says_from_which_tier() -> None:
    program = _ladder_program(soft_landing=True)
    book = _one_client_book(
        START, ("d-1", dt.date(2024, 2, 1), 10), ("d-2", dt.date(2024, 3, 1), 40)
    )
    status = pt.evaluate(book, program, dt.date(2024, 3, 1))
    assert [(c.on, c.from_tier, c.to_tier) for c in status.history] == [
        (dt.date(2024, 2, 1), None, "gold"),
        (dt.date(2024, 3, 1), "gold", "platinum"),
    ]


def test_a_demotion_names_only_the_tracks_below_their_retain_minimum() -> None:
    # Gold: reach total 10 and sourced 10, retain 8 and 8. At the review total is 9,
    # between retain and reach (not named), and sourced 0, below its retain (named).
    data = pt.program_to_dict(PROGRAM)
    data["tracks"] = [{"id": "total"}, {"id": "sourced"}]
    data["tiers"] = [{"id": "gold", "name": "Gold", "reach": {"total": "10", "sourced": "10"},
                      "retain": {"total": "8", "sourced": "8"}}]  # fmt: skip
    data["gates"] = []
    program = pt.program_from_dict(data)
    # 20 sourced points from 2023-03-01 (expire 2024-03-01) make gold; 9 assisted points
    # (300 USD at 3 per 100 USD) from 2024-01-15 remain at the review of 2024-07-01.
    book = attrs.evolve(
        _one_client_book(START, ("d-1", dt.date(2023, 3, 1), 20)),
        deals=(
            *_one_client_book(START, ("d-1", dt.date(2023, 3, 1), 20)).deals,
            pt.Deal(pt.DealId("d-2"), _C1, "line-2", pt.DealKind.NEW, pt.SalesMotion.ASSISTED,
                    dt.date(2024, 1, 15), pt.Money("300", "USD")),
        ),
    )  # fmt: skip
    status = pt.evaluate(book, program, REVIEW)
    [change] = [c for c in status.history if c.on == REVIEW]
    assert change.reason == (
        f"below the Gold retain minimum at the review of {REVIEW} (sourced 0.00 < 8)"
        "; soft landing: one tier down"
    )


def test_a_provider_who_reaches_a_tier_is_a_partner_again_even_after_losing_it() -> None:
    data = pt.program_to_dict(_ladder_program(soft_landing=True))
    data.setdefault("policy", {})["first_tier_deadline_months"] = 3
    program = pt.program_from_dict(data)
    # Joined 2023-01-01: no tier by the review of 2023-07-01, so Provider. Gold from
    # 2023-09-01 (10 points, expiring 2024-09-01); lost at the review of 2025-01-01.
    book = _one_client_book(START, ("d-1", dt.date(2023, 9, 1), 10))
    assert pt.evaluate(book, program, dt.date(2023, 8, 1)).level == "provider"
    assert pt.evaluate(book, program, dt.date(2023, 9, 1)).level == "partner"
    later = pt.evaluate(book, program, dt.date(2025, 1, 1))
    assert (later.tier, later.level) == (None, "partner")


def test_a_demotion_with_notice_is_pending_from_the_tier_held() -> None:
    data = pt.program_to_dict(_ladder_program(soft_landing=True))
    data.setdefault("policy", {})["notice_days"] = 30
    program = pt.program_from_dict(data)
    book = _book_of(55, 45)  # diamond on 2024-02-01; 45 at the review of 2024-07-01
    status = pt.evaluate(book, program, dt.date(2024, 7, 15))
    assert status.tier == "diamond"
    pending = status.pending_demotion
    assert pending is not None
    assert (pending.on, pending.from_tier, pending.to_tier) == (
        dt.date(2024, 7, 31), "diamond", "platinum",
    )  # fmt: skip
    assert pending.reason.endswith(f"; notice given on {REVIEW}")
    assert pt.evaluate(book, program, dt.date(2024, 7, 31)).tier == "platinum"


# --- movements of fractions, several sales, and the projection of every metric --------------


def test_movements_add_up_every_sale_and_fractions_of_a_point() -> None:
    # Two sales in March: 10 USD sourced (0.50 points) and 100 USD assisted (3.00).
    book = _one_client_book(START)
    book = attrs.evolve(
        book,
        deals=[
            pt.Deal(pt.DealId("d-1"), _C1, "l-1", pt.DealKind.NEW, pt.SalesMotion.SOURCED,
                    dt.date(2024, 3, 5), pt.Money("10", "USD")),
            pt.Deal(pt.DealId("d-2"), _C1, "l-2", pt.DealKind.NEW, pt.SalesMotion.ASSISTED,
                    dt.date(2024, 3, 20), pt.Money("100", "USD")),
            pt.Deal(pt.DealId("d-3"), _C1, "l-1", pt.DealKind.DOWNGRADE, pt.SalesMotion.SOURCED,
                    dt.date(2024, 3, 25), pt.Money("-5", "USD")),
        ],
    )  # fmt: skip
    moved = pt.build_ledger(book, PROGRAM).movements(dt.date(2024, 3, 1), dt.date(2024, 4, 1))
    assert (moved.new.sold, moved.new.sourced, moved.new.assisted) == (
        Decimal("3.50"), Decimal("0.50"), Decimal("3.00"),
    )  # fmt: skip
    assert moved.new.sold_mrr_usd == Decimal("110.00")
    # The downgrade takes back half of d-1: 0.25 points, 5 USD.
    assert (moved.lost.sold, moved.lost.sourced, moved.lost.sold_mrr_usd) == (
        Decimal("0.25"), Decimal("0.25"), Decimal("5.00"),
    )  # fmt: skip


@pytest.mark.parametrize("track", ["assisted", "sold_mrr_usd", "managed_mrr_usd", "managed"])
def test_the_projection_keeps_what_does_not_expire_of_every_metric(track: str) -> None:
    # An assisted sale that expires before the review (A), one that does not (B), and a
    # managed service that goes on. Gold needs exactly what is left at the review.
    kept = {"assisted": "30", "sold_mrr_usd": "1000", "managed_mrr_usd": "100", "managed": "1"}
    data = pt.program_to_dict(PROGRAM)
    data["tracks"] = [{"id": track}]
    data["tiers"] = [{"id": "gold", "name": "Gold", "reach": {track: kept[track]}}]
    data["gates"] = []
    program = pt.program_from_dict(data)
    sales = [
        pt.Deal(pt.DealId(name), _C1, f"l-{name}", pt.DealKind.NEW, pt.SalesMotion.ASSISTED,
                day, pt.Money("1000", "USD"))
        for name, day in (("a", dt.date(2023, 3, 1)), ("b", dt.date(2024, 1, 15)))
    ]  # fmt: skip
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(_C1, "Client", "US", pt.Relationship.SOLD_AND_MANAGED)],
        deals=sales,
        subscriptions=[pt.Subscription(pt.SubscriptionId("s-1"), _C1, "l-a", "pro",
                                       pt.Money("100", "USD"), START, dt.date(2026, 1, 1))],
        managed_services=[pt.ManagedService(_C1, START)],
    )  # fmt: skip
    status = pt.evaluate(book, program, dt.date(2024, 2, 1))
    assert (status.tier, status.next_review) == ("gold", REVIEW)
    assert status.projected_tier == "gold"


def test_a_landed_demotion_says_from_which_tier() -> None:
    data = pt.program_to_dict(_ladder_program(soft_landing=True))
    data.setdefault("policy", {})["notice_days"] = 30
    program = pt.program_from_dict(data)
    status = pt.evaluate(_book_of(55, 45), program, dt.date(2024, 7, 31))
    assert [(c.on, c.from_tier, c.to_tier) for c in status.history][-1] == (
        dt.date(2024, 7, 31), "diamond", "platinum",
    )  # fmt: skip


@pytest.mark.parametrize("value", ["01-01", None, 101, {"01-01": True}])
def test_review_dates_must_be_a_list(value: object) -> None:
    with pytest.raises(pt.InvalidRecordError) as info:
        pt.ReviewPolicy(review_dates=value)
    assert (info.value.field, info.value.reason) == (
        "ReviewPolicy.review_dates", "must be a list of MM-DD month-days",
    )  # fmt: skip
    assert info.value.value == value


def test_the_first_rise_of_the_managed_level_is_a_movement() -> None:
    # The ledger's first event is a managed service starting: its rise is measured
    # from nothing, not from any later level.
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(_C1, "Client", "US", pt.Relationship.MANAGED)],
        subscriptions=[pt.Subscription(pt.SubscriptionId("s-1"), _C1, "l", "pro",
                                       pt.Money("300", "USD"), START, dt.date(2026, 1, 1))],
        managed_services=[pt.ManagedService(_C1, dt.date(2024, 3, 1))],
    )  # fmt: skip
    moved = pt.build_ledger(book, PROGRAM).movements(dt.date(2024, 3, 1), dt.date(2024, 4, 1))
    # 300 USD at 1 point per 100 USD: 3.00 points, 300.00 USD managed.
    assert (moved.new.managed, moved.new.managed_mrr_usd) == (Decimal("3.00"), Decimal("300.00"))
    assert moved.lost.managed == moved.lost.managed_mrr_usd == 0


def test_a_promotion_at_the_review_is_projected() -> None:
    # Promotion at reviews only: 10 points on 2024-02-01 reach Gold, which the review of
    # 2024-07-01 will grant, so Gold is projected while none is held.
    data = pt.program_to_dict(_ladder_program(soft_landing=True))
    data.setdefault("policy", {})["promotion"] = "at_review"
    program = pt.program_from_dict(data)
    book = _one_client_book(START, ("d-1", dt.date(2024, 2, 1), 10))
    status = pt.evaluate(book, program, dt.date(2024, 3, 1))
    assert (status.tier, status.qualified_tier, status.projected_tier) == (None, "gold", "gold")
    assert pt.evaluate(book, program, REVIEW).tier == "gold"
