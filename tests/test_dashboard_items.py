"""Dashboard items of issue 18 that live in the views, one section per item number.

Each test failed before its fix. The book is the example book (northwind.json) under
hubspot-2025, the same as tests/test_views.py, changed with ``evolve`` where an item needs
a record the example lacks.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any

import pytest
from attrs import evolve

import partner_tiers as pt

D = dt.date
AS_OF = D(2025, 9, 30)


@pytest.fixture(scope="module")
def book() -> pt.Book:
    text = resources.files("partner_tiers").joinpath("data", "northwind.json").read_text("utf-8")
    return pt.loads_book(text, source="northwind.json")


@pytest.fixture(scope="module")
def program() -> pt.Program:
    return pt.load_program("hubspot-2025")


def _retyped(book: pt.Book, client_id: str, **changes: Any) -> pt.Book:
    clients = tuple(evolve(c, **changes) if c.id == client_id else c for c in book.clients)
    return evolve(book, clients=clients)


# --- 3. relationship derived from the book ----------------------------------------------


def test_item3_relationship_is_derived_and_a_contradiction_is_noted(
    book: pt.Book, capsys: pytest.CaptureFixture[str]
) -> None:
    # Adatum has a managed service and no deal; typed "sold" it used to show "sold".
    wrong = _retyped(book, "c-adatum", relationship=pt.Relationship.SOLD)
    rows = {row.client: row for row in pt.clients_table(wrong, as_of=AS_OF).rows}
    adatum = rows["c-adatum"]
    assert (adatum.relationship, adatum.typed_relationship) == ("managed", "sold")
    assert adatum.relationship_note == (
        "relationship typed as sold, but the book shows a managed service and no sale: managed"
    )
    table = pt.clients_table(wrong, as_of=AS_OF)
    assert table.warnings == (f"c-adatum: {adatum.relationship_note}",)
    assert table.to_dict()["warnings"] == list(table.warnings)
    # The clients that agree with the book carry no note.
    assert rows["c-fabrikam"].relationship == "sold_and_managed"
    assert rows["c-tailspin"].relationship == "sold"
    assert rows["c-fabrikam"].relationship_note is None
    details = pt.client_details(wrong, "c-adatum")
    assert details.relationship == "managed"
    assert details.relationship_note == adatum.relationship_note
    assert details.warnings == table.warnings
    assert capsys.readouterr() == ("", "")


def test_item3_relationship_counts_only_what_happened_by_the_date(book: pt.Book) -> None:
    # Fabrikam's first deal and managed service both start on 2023-09-14; Tailspin's
    # first deal closes on 2024-06-03.
    rows = {r.client: r for r in pt.clients_table(book, as_of=D(2024, 1, 1)).rows}
    assert rows["c-fabrikam"].relationship == "sold_and_managed"
    assert rows["c-tailspin"].relationship == "sold"  # typed, the book shows nothing yet
    assert rows["c-tailspin"].relationship_note == (
        "relationship typed as sold, but the book shows neither a sale nor a managed service"
    )
    assert pt.client_details(book, "c-tailspin", as_of=D(2024, 6, 3)).relationship_note is None


def test_item3_the_example_book_agrees_with_itself(book: pt.Book) -> None:
    assert pt.clients_table(book, as_of=AS_OF).warnings == ()
    assert all(pt.client_details(book, c.id).warnings == () for c in book.clients)


# --- 4. engagement index from tool usage ------------------------------------------------


def test_item4_engagement_index_comes_from_the_tools_used(book: pt.Book) -> None:
    # Tailspin uses 2 tools; typed 9 it used to show 9 (high).
    wrong = _retyped(book, "c-tailspin", engagement_index=9)
    row = next(r for r in pt.clients_table(wrong, as_of=AS_OF).rows if r.client == "c-tailspin")
    assert (row.engagement_index, row.engagement_band) == (2, "low")
    assert (row.typed_engagement_index, row.engagement_source) == (9, "tools used")
    details = pt.client_details(wrong, "c-tailspin")
    assert (details.engagement_index, details.typed_engagement_index) == (2, 9)
    assert details.warnings == (
        "c-tailspin: engagement index typed as 9, but 2 tools are used: the views use 2",
    )


def test_item4_engagement_index_is_capped_at_ten_and_typed_without_tools(book: pt.Book) -> None:
    tools = tuple(f"tool-{n}" for n in range(12))
    many = _retyped(book, "c-tailspin", tools_used=tools, engagement_index=10)
    row = next(r for r in pt.clients_table(many, as_of=AS_OF).rows if r.client == "c-tailspin")
    assert (row.tools_used, row.engagement_index, row.engagement_band) == (12, 10, "high")
    assert pt.clients_table(many, as_of=AS_OF).warnings == ()
    none = _retyped(book, "c-tailspin", tools_used=(), engagement_index=5)
    row = next(r for r in pt.clients_table(none, as_of=AS_OF).rows if r.client == "c-tailspin")
    assert (row.engagement_index, row.engagement_source) == (5, "typed")


# --- 10. alerts and renewals ------------------------------------------------------------


def test_item10_alerts_leave_out_subscriptions_not_started(book: pt.Book) -> None:
    later = pt.Subscription(
        pt.SubscriptionId("s-tail-later"),
        pt.ClientId("c-tailspin"),
        "service-hub",
        "starter",
        pt.Money("100.00", "USD"),
        started_on=D(2025, 11, 1),
        renews_on=D(2025, 12, 1),
    )
    with_later = evolve(book, subscriptions=(*book.subscriptions, later))
    found = pt.alerts(with_later, as_of=AS_OF, within_days=365)
    assert "s-tail-later" not in [a.subscription for a in found.rows]
    assert [a.subscription for a in found.rows] == [
        a.subscription for a in pt.alerts(book, as_of=AS_OF, within_days=365).rows
    ]
    # Once started, it is a renewal decision like any other.
    started = pt.alerts(with_later, as_of=D(2025, 11, 1), within_days=90)
    assert "s-tail-later" in [a.subscription for a in started.rows]


def test_item10_client_panel_leaves_out_renewals_of_ended_subscriptions(book: pt.Book) -> None:
    subs = tuple(
        evolve(s, ended_on=D(2025, 8, 1)) if s.id == "s-fab-sales" else s
        for s in book.subscriptions
    )
    ended = evolve(book, subscriptions=subs)
    details = pt.client_details(ended, "c-fabrikam")
    assert [r["subscription"] for r in details.renewals] == ["s-fab-mkt"]
    # The subscription itself stays on the subscriptions tab.
    assert [s["id"] for s in details.subscriptions] == ["s-fab-mkt", "s-fab-sales"]


def test_item10_one_alert_horizon_default() -> None:
    from partner_tiers._views.dashboard import ALERT_HORIZON_DAYS

    assert ALERT_HORIZON_DAYS == 90
    book = pt.demo_book()
    assert pt.alerts(book, as_of=AS_OF).within_days == ALERT_HORIZON_DAYS
