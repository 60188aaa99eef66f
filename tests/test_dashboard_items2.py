"""Items 1, 2, 9, 12, 13 and 19 of the seed dashboard review (issue 18): the team tab,
client company details, the 2025 deal-type names, the median tool usage gate of the points
programs, grandfathering by the line's first sale, and line numbers in every program
format."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import partner_tiers as pt

PARTNER = pt.Partner(pt.PartnerId("p-1"), "Partner", "US", dt.date(2021, 1, 1))
CERT = pt.Certification(
    pt.CertificationId("cert"), "Cert", dt.date(2021, 1, 1), dt.date(2027, 1, 1)
)


# --- item 12: the median tool usage gate --------------------------------------------------


def _book_199_points_median_2() -> pt.Book:
    """169 sourced points (3,380 USD at 5 per 100) and 30 managed points (3,000 USD at 1
    per 100): 199 points under hubspot-2024, every client using 2 tools."""
    sold, managed = pt.ClientId("c-sold"), pt.ClientId("c-managed")
    tools = ("crm", "email")
    return pt.Book(
        PARTNER,
        clients=[
            pt.Client(sold, "Sold", "US", pt.Relationship.SOLD, tools),
            pt.Client(managed, "Managed", "US", pt.Relationship.MANAGED, tools),
        ],
        subscriptions=[
            pt.Subscription(
                pt.SubscriptionId("s-1"),
                managed,
                "service-hub",
                "professional",
                pt.Money("3000", "USD"),
                dt.date(2024, 1, 1),
                dt.date(2026, 1, 1),
            )
        ],
        deals=[
            pt.Deal(
                pt.DealId("d-1"),
                sold,
                "sales-hub",
                pt.DealKind.NEW,
                pt.SalesMotion.SOURCED,
                dt.date(2024, 6, 3),
                pt.Money("3380", "USD"),
            )
        ],
        certifications=[CERT],
        managed_services=[pt.ManagedService(managed, dt.date(2024, 1, 1))],
    )


@pytest.mark.parametrize("name", ["hubspot-2022", "hubspot-2024", "hubspot-2025"])
def test_the_points_programs_carry_no_median_tool_usage_gate(name: str) -> None:
    # domain.md: the median app usage gate is published for the 2016/2018 MRR model only.
    program = pt.load_program(name)
    assert [g.kind for g in program.gates if g.kind == "median_tool_usage"] == []


@pytest.mark.parametrize("name", ["hubspot-2016", "hubspot-2018"])
def test_the_mrr_programs_keep_their_published_median_gate(name: str) -> None:
    program = pt.load_program(name)
    assert [g.kind for g in program.gates].count("median_tool_usage") == 1


def test_199_points_and_a_median_of_2_tools_is_platinum_under_hubspot_2024() -> None:
    book = _book_199_points_median_2()
    status = pt.evaluate(book, pt.load_program("hubspot-2024"), dt.date(2024, 7, 1))
    assert status.values["total"] == Decimal("199.00")
    assert pt.account_performance(
        book, pt.load_program("hubspot-2024"), as_of=dt.date(2024, 7, 1)
    ).median_tool_usage == Decimal(2)
    assert status.qualified_tier == "platinum"
