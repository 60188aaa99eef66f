"""Named example records for the tests, after the Northwind Digital example book
(``src/partner_tiers/data/northwind.json``), and a way to change one field of them."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from attrs import evolve

import partner_tiers as pt

__all__ = [
    "CERTIFICATION",
    "CLIENT",
    "DEAL",
    "MANAGED_SERVICE",
    "PARTNER",
    "RENEWAL",
    "SUBSCRIPTION",
    "changed",
]

_R = TypeVar("_R")

PARTNER = pt.Partner(
    id=pt.PartnerId("p-northwind"),
    name="Northwind Digital",
    country="GB",
    joined_on=dt.date(2021, 3, 1),
)
CLIENT = pt.Client(
    id=pt.ClientId("c-fabrikam"),
    name="Fabrikam GmbH",
    country="DE",
    relationship=pt.Relationship.SOLD_AND_MANAGED,
    tools_used=("crm", "email", "forms"),
    engagement_index=6,
)
RENEWAL = pt.RenewalProposal(edition="enterprise", mrr=pt.Money("3600.00", "USD"))
SUBSCRIPTION = pt.Subscription(
    id=pt.SubscriptionId("s-fab-mkt"),
    client=pt.ClientId("c-fabrikam"),
    product_line="marketing-hub",
    edition="professional",
    mrr=pt.Money("1200.00", "EUR"),
    started_on=dt.date(2023, 9, 14),
    renews_on=dt.date(2026, 9, 14),
)
DEAL = pt.Deal(
    id=pt.DealId("d-1"),
    client=pt.ClientId("c-fabrikam"),
    product_line="marketing-hub",
    kind=pt.DealKind.NEW,
    motion=pt.SalesMotion.ASSISTED,
    closed_on=dt.date(2023, 9, 14),
    mrr_change=pt.Money("900.00", "EUR"),
)
CERTIFICATION = pt.Certification(
    id=pt.CertificationId("cert-1"),
    name="Solutions Partner Certification",
    valid_from=dt.date(2023, 5, 2),
    valid_until=dt.date(2025, 5, 1),
)
MANAGED_SERVICE = pt.ManagedService(client=pt.ClientId("c-fabrikam"), since=dt.date(2023, 9, 14))


def changed(record: _R, **changes: Any) -> _R:
    """A copy of ``record`` with some fields changed, checked like a new record."""
    return evolve(record, **changes)  # type: ignore[misc]
