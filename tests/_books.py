"""Small books for the worked examples: a partner joined on 2023-01-01 (START) with one
or two clients, and the deals of client C1 (each priced under tests/_programs.PROGRAM)."""

from __future__ import annotations

import datetime as dt

import attrs

import partner_tiers as pt

__all__ = [
    "ASSISTED",
    "C1",
    "FEB_1",
    "FEB_10",
    "JAN_10",
    "MAR_1",
    "SOURCED",
    "START",
    "c1_deal",
    "one_client_book",
    "two_clients_book",
    "with_upsell",
]

START = dt.date(2023, 1, 1)
C1 = pt.ClientId("c-1")
JAN_10, FEB_1, FEB_10, MAR_1 = (
    dt.date(2024, 1, 10),
    dt.date(2024, 2, 1),
    dt.date(2024, 2, 10),
    dt.date(2024, 3, 1),
)
SOURCED, ASSISTED = pt.SalesMotion.SOURCED, pt.SalesMotion.ASSISTED


def c1_deal(
    deal_id: str, kind: str, motion: str, day: dt.date, amount: str, cur: str = "USD"
) -> pt.Deal:
    """A deal of client C1 on the sales-hub line."""
    return pt.Deal(
        pt.DealId(deal_id),
        C1,
        "sales-hub",
        pt.DealKind(kind),
        pt.SalesMotion(motion),
        day,
        pt.Money(amount, cur),
    )


def two_clients_book(sourced_usd: str) -> pt.Book:
    """A certified partner with a US client sold ``sourced_usd`` USD on 2024-03-01, and an
    Indian client whose 880 EUR subscription two partners manage from 2024-01-01."""
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


def one_client_book(joined: dt.date, *deals: tuple[str, dt.date, int]) -> pt.Book:
    """A partner with one sold client and sourced deals of the given points (20 USD a
    point at 5 points per 100 USD), each on its own product line."""
    return pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", joined),
        clients=[pt.Client(C1, "Client", "US", pt.Relationship.SOLD)],
        deals=[
            pt.Deal(pt.DealId(name), C1, f"line-{name}", pt.DealKind.NEW,
                    pt.SalesMotion.SOURCED, day, pt.Money(points * 20, "USD"))
            for name, day, points in deals
        ],
    )  # fmt: skip


def sold_and_managed(
    joined: dt.date, sold_on: dt.date, certifications: list[pt.Certification]
) -> pt.Book:
    """A partner with two clients: 300 USD sourced sold to one on ``sold_on`` (15 points at
    5 per 100 USD) and 3,600 USD MRR managed for the other since ``joined`` (36 points)."""
    sold, managed = pt.ClientId("c-sold"), pt.ClientId("c-managed")
    tools = ("crm", "email", "forms", "ads")
    return pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", joined),
        clients=[
            pt.Client(sold, "Sold", "US", pt.Relationship.SOLD, tools_used=tools),
            pt.Client(managed, "Managed", "US", pt.Relationship.MANAGED, tools_used=tools),
        ],
        deals=[
            pt.Deal(pt.DealId("d-1"), sold, "sales-hub", pt.DealKind.NEW,
                    pt.SalesMotion.SOURCED, sold_on, pt.Money("300", "USD")),
        ],
        subscriptions=[
            pt.Subscription(pt.SubscriptionId("s-1"), managed, "service-hub", "pro",
                            pt.Money("3600", "USD"), joined, dt.date(2026, 1, 1)),
        ],
        managed_services=[pt.ManagedService(managed, joined)],
        certifications=certifications,
    )  # fmt: skip


def with_upsell(book: pt.Book, day: dt.date, usd: str, deal_id: str = "d-2") -> pt.Book:
    """The book with an upsell of ``usd`` USD on ``day``: a copy of its first deal (same
    client, line and motion)."""
    upsell = attrs.evolve(
        book.deals[0],
        id=pt.DealId(deal_id),
        kind=pt.DealKind.UPSELL,
        closed_on=day,
        mrr_change=pt.Money(usd, "USD"),
    )
    return attrs.evolve(book, deals=(*book.deals, upsell))
