"""Dashboard items of issue 18 that live in the views, one section per item number.

Each test failed before its fix. The book is the example book (northwind.json) under
hubspot-2025, the same as tests/test_views.py, changed with ``evolve`` where an item needs
a record the example lacks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest
from attrs import evolve

import partner_tiers as pt

D = dt.date
AS_OF = D(2025, 9, 30)
HUBSPOT_2025 = pt.load_program("hubspot-2025")


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
    rows = {row.client: row for row in pt.clients_table(wrong, HUBSPOT_2025, as_of=AS_OF).rows}
    adatum = rows["c-adatum"]
    assert (adatum.relationship, adatum.typed_relationship) == ("managed", "sold")
    assert adatum.relationship_note == (
        "relationship typed as sold, but the book shows a managed service and no sale: managed"
    )
    table = pt.clients_table(wrong, HUBSPOT_2025, as_of=AS_OF)
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
    rows = {r.client: r for r in pt.clients_table(book, HUBSPOT_2025, as_of=D(2024, 1, 1)).rows}
    assert rows["c-fabrikam"].relationship == "sold_and_managed"
    assert rows["c-tailspin"].relationship == "sold"  # typed, the book shows nothing yet
    assert rows["c-tailspin"].relationship_note == (
        "relationship typed as sold, but the book shows neither a sale nor a managed service"
    )
    assert pt.client_details(book, "c-tailspin", as_of=D(2024, 6, 3)).relationship_note is None


def test_item3_the_example_book_agrees_with_itself(book: pt.Book) -> None:
    assert pt.clients_table(book, HUBSPOT_2025, as_of=AS_OF).warnings == ()
    assert all(pt.client_details(book, c.id).warnings == () for c in book.clients)


# --- 4. engagement index from tool usage ------------------------------------------------


def test_item4_engagement_index_comes_from_the_tools_used(book: pt.Book) -> None:
    # Tailspin uses 2 tools; typed 9 it used to show 9 (high).
    wrong = _retyped(book, "c-tailspin", engagement_index=9)
    row = next(
        r
        for r in pt.clients_table(wrong, HUBSPOT_2025, as_of=AS_OF).rows
        if r.client == "c-tailspin"
    )
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
    row = next(
        r
        for r in pt.clients_table(many, HUBSPOT_2025, as_of=AS_OF).rows
        if r.client == "c-tailspin"
    )
    assert (row.tools_used, row.engagement_index, row.engagement_band) == (12, 10, "high")
    assert pt.clients_table(many, HUBSPOT_2025, as_of=AS_OF).warnings == ()
    none = _retyped(book, "c-tailspin", tools_used=(), engagement_index=5)
    row = next(
        r
        for r in pt.clients_table(none, HUBSPOT_2025, as_of=AS_OF).rows
        if r.client == "c-tailspin"
    )
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


# --- 11. rolling MRR ends with the sold points' expiry ----------------------------------


def _leap_day_book(book: pt.Book) -> pt.Book:
    deal = pt.Deal(
        pt.DealId("d-leap"),
        pt.ClientId("c-tailspin"),
        "service-hub",
        pt.DealKind.CROSS_SELL,
        pt.SalesMotion.SOURCED,
        D(2024, 2, 29),
        pt.Money("1000.00", "USD"),
    )
    return evolve(book, deals=(deal,))


@pytest.mark.parametrize(
    ("day", "points", "mrr"),
    [
        (D(2025, 2, 27), Decimal("50.00"), Decimal("1000.00")),
        (D(2025, 2, 28), Decimal("0"), Decimal("0")),
        (D(2025, 3, 1), Decimal("0"), Decimal("0")),
    ],
)
def test_item11_rolling_mrr_stops_with_the_points_of_a_leap_day_deal(
    book: pt.Book, program: pt.Program, day: dt.date, points: Decimal, mrr: Decimal
) -> None:
    # 1,000 USD sourced on 2024-02-29 at 5 per 100 USD = 50.00 points; they expire on
    # 2024-02-29 + 12 months = 2025-02-28 (clipped), and so does the rolling MRR.
    leap = _leap_day_book(book)
    ledger = pt.build_ledger(leap, program)
    assert ledger.batch("sold:d-leap").expires_on == D(2025, 2, 28)
    assert ledger.totals(day).sourced == points
    assert pt.rolling_mrr(leap, program, as_of=day, ledger=ledger) == mrr
    assert pt.rolling_mrr(leap, program, as_of=day, motion=None) == mrr


# --- 8. re-priced managed points are not expired ----------------------------------------


def test_item8_managed_points_repriced_on_2025_07_15_are_not_expired(
    book: pt.Book, program: pt.Program
) -> None:
    # Fabrikam's managed batches were priced under the EUR 75 table until 2025-07-15 and
    # under EUR 88 from then on (s-fab-mkt also at its new MRR from d-2 on 2024-10-01):
    # the same service goes on, re-priced.
    breakdown = pt.points_breakdown(book, program, as_of=AS_OF)
    fabrikam = next(row for row in breakdown.rows if row.client == "c-fabrikam")
    assert fabrikam.expired == ("sold:d-1",)
    assert fabrikam.repriced == (
        "managed:c-fabrikam:2023-09-14:s-fab-mkt:2023-09-14",
        "managed:c-fabrikam:2023-09-14:s-fab-mkt:2024-10-01",
        "managed:c-fabrikam:2023-09-14:s-fab-sales:2025-01-20",
    )
    history = {b.id: breakdown.status(b) for b in breakdown.history("c-fabrikam")}
    assert history["managed:c-fabrikam:2023-09-14:s-fab-mkt:2023-09-14"] == "re-priced"
    assert history["managed:c-fabrikam:2023-09-14:s-fab-mkt:2024-10-01"] == "re-priced"
    assert history["managed:c-fabrikam:2023-09-14:s-fab-mkt:2025-07-15"] == "active"
    assert history["sold:d-1"] == "expired"
    # The points themselves do not change.
    assert (fabrikam.sold, fabrikam.managed) == (Decimal("24.00"), Decimal("15.69"))


def test_item8_a_managed_service_that_ends_is_expired_not_repriced(
    book: pt.Book, program: pt.Program
) -> None:
    services = tuple(
        evolve(m, until=D(2025, 7, 15)) if m.client == "c-fabrikam" else m
        for m in book.managed_services
    )
    ended = evolve(book, managed_services=services)
    breakdown = pt.points_breakdown(ended, program, as_of=AS_OF)
    fabrikam = next(row for row in breakdown.rows if row.client == "c-fabrikam")
    # Only the piece at the MRR of d-1 was re-priced (at d-2's MRR, by the same service).
    assert fabrikam.repriced == ("managed:c-fabrikam:2023-09-14:s-fab-mkt:2023-09-14",)
    assert len(fabrikam.expired) == 3
    statuses = {b.id: breakdown.status(b) for b in breakdown.history("c-fabrikam")}
    assert statuses["managed:c-fabrikam:2023-09-14:s-fab-mkt:2024-10-01"] == "expired"


# --- 7. sold sales history per client ---------------------------------------------------


def test_item7_sales_history_of_a_client(book: pt.Book, program: pt.Program) -> None:
    history = pt.sales_history(book, program, "c-fabrikam", as_of=AS_OF)
    assert (history.client, history.client_name) == ("c-fabrikam", "Fabrikam GmbH")
    assert [
        (s.deal, s.closed_on, s.kind, s.motion, s.product_line, s.mrr_change, s.currency)
        for s in history.rows
    ] == [
        ("d-1", D(2023, 9, 14), pt.DealKind.NEW, pt.SalesMotion.ASSISTED, "marketing-hub",
         Decimal("900.00"), "EUR"),
        ("d-2", D(2024, 10, 1), pt.DealKind.UPSELL, pt.SalesMotion.SOURCED, "marketing-hub",
         Decimal("300.00"), "EUR"),
        ("d-3", D(2025, 1, 20), pt.DealKind.CROSS_SELL, pt.SalesMotion.SOURCED, "sales-hub",
         Decimal("180.00"), "EUR"),
    ]  # fmt: skip
    # d-1: 900 EUR / 75 * 100 * 3 / 100 = 36.00, expired 2024-09-14; d-2 and d-3 12.00 each
    # (tests/test_views.py's worked example), both still counting on 2025-09-30.
    assert [(s.points, s.expires_on, s.status) for s in history.rows] == [
        (Decimal("36.00"), D(2024, 9, 14), "expired"),
        (Decimal("12.00"), D(2025, 10, 1), "active"),
        (Decimal("12.00"), D(2026, 1, 20), "active"),
    ]
    assert history.active_points == Decimal("24.00")
    assert history.to_dict()["rows"][0]["kind"] == "new"
    # Deals closed after the date are not history yet.
    assert [
        s.deal for s in pt.sales_history(book, program, "c-fabrikam", as_of=D(2024, 12, 31)).rows
    ] == ["d-1", "d-2"]


def test_item7_a_reduction_shows_the_points_it_took(book: pt.Book, program: pt.Program) -> None:
    churn = pt.Deal(
        pt.DealId("d-churn"),
        pt.ClientId("c-tailspin"),
        "crm-suite",
        pt.DealKind.DOWNGRADE,
        pt.SalesMotion.SOURCED,
        D(2025, 3, 1),
        pt.Money("-200.00", "USD"),
    )
    changed = evolve(book, deals=(*book.deals, churn))
    history = pt.sales_history(changed, program, "c-tailspin", as_of=AS_OF)
    last = history.rows[-1]
    assert last.deal == "d-churn"
    assert last.points < 0
    assert last.status in ("active", "expired", "no points")
    ledger = pt.build_ledger(changed, program)
    taken = sum(b.points for b in ledger.batches if b.origin == "d-churn")
    assert last.points == taken


# --- 14. program impact between different ladders ---------------------------------------


def _bronze_silver_gold(program: pt.Program) -> pt.Program:
    """hubspot-2025's thresholds under other names: gold, platinum, diamond become
    bronze, silver, gold; elite and its gates are left out."""
    rename = {"gold": "bronze", "platinum": "silver", "diamond": "gold"}
    data = pt.program_to_dict(program)
    data["name"] = "bronze-silver-gold"
    data["tiers"] = [
        dict(t, id=rename[t["id"]], name=rename[t["id"]].title())
        for t in data["tiers"]
        if t["id"] in rename
    ]
    data["gates"] = [g for g in data["gates"] if not set(g.get("tiers", [])) - set(rename)]
    return pt.program_from_dict(data)


def test_item14_impact_between_different_ladders_is_not_ranked(
    book: pt.Book, program: pt.Program
) -> None:
    other = _bronze_silver_gold(program)
    impact = pt.program_impact([book], program, other, as_of=AS_OF)
    # The example book is gold under hubspot-2025, so bronze under the renamed ladder.
    # A merged list ranked bronze above elite: "up 1".
    assert impact.moves == {book.partner.id: ("gold", "bronze")}
    assert (impact.up, impact.down, impact.same) == (None, None, 0)
    assert not impact.comparable
    assert impact.tiers_a == (None, "gold", "platinum", "diamond", "elite")
    assert impact.tiers_b == (None, "bronze", "silver", "gold")
    lines = str(impact).splitlines()
    assert lines[1].split() == ["untiered", "bronze", "silver", "gold"]
    assert lines[2].split() == ["untiered", "0", "0", "0", "0"]
    assert lines[3].split() == ["gold", "0", "1", "0", "0"]
    assert lines[-1] == "up and down: not comparable (the ladders differ), same 0"
    data = impact.to_dict()
    assert (data["up"], data["down"]) == (None, None)
    assert data["matrix"] == [{"from": "gold", "to": "bronze", "partners": 1}]


def test_item14_impact_on_one_ladder_still_counts_up_and_down(
    book: pt.Book, program: pt.Program
) -> None:
    impact = pt.program_impact([book], pt.load_program("hubspot-2024"), program, as_of=AS_OF)
    assert impact.comparable
    assert impact.tiers_a == impact.tiers_b == impact.tiers
    assert (impact.up, impact.down, impact.same) == (0, 0, 1)


# --- 15. programs diff on effective values, sets as sets ---------------------------------


def test_item15_a_changed_default_shows_its_before(program: pt.Program) -> None:
    # hubspot-2018 leaves first_tier_deadline_months at its default (None); it used to
    # show as "+ policy.first_tier_deadline_months: 24", with no before.
    diff = pt.diff_programs(pt.load_program("hubspot-2018"), program)
    [deadline] = [c for c in diff.changes if c.path == "policy.first_tier_deadline_months"]
    assert (deadline.kind, deadline.before, deadline.after) == ("changed", None, 24)
    assert str(deadline) == "~ policy.first_tier_deadline_months: None -> 24"


def test_item15_expiry_months_changed_from_the_default(program: pt.Program) -> None:
    data = pt.program_to_dict(program)
    data["expiry"] = [dict(data["expiry"][0], months=18)]
    longer = pt.program_from_dict(data)
    diff = pt.diff_programs(program, longer)
    assert [str(c) for c in diff.changes] == ["~ expiry[0].months: 12 -> 18 (+50.0%)"]


def test_item15_growth_countries_are_compared_as_sets(program: pt.Program) -> None:
    data = pt.program_to_dict(program)
    countries = data["growth_markets"][0]["countries"]
    # Drop the first country and add one: position by position, every later line moved.
    data["growth_markets"][0]["countries"] = [*countries[1:], "FR"]
    changed = pt.program_from_dict(data)
    diff = pt.diff_programs(program, changed)
    assert [str(c) for c in diff.changes] == [
        "+ growth_markets[0].countries: ['FR']",
        f"- growth_markets[0].countries: ['{countries[0]}']",
    ]


def test_item15_gate_tiers_are_compared_as_sets(program: pt.Program) -> None:
    data = pt.program_to_dict(program)
    gate = next(g for g in data["gates"] if g["id"] == "retention")
    gate["tiers"] = ["diamond", "elite"]
    diff = pt.diff_programs(program, pt.program_from_dict(data))
    assert [(c.kind, c.path, c.before, c.after) for c in diff.changes] == [
        ("added", "gates[retention].tiers", None, ["diamond"])
    ]
    same = [*reversed(gate["tiers"])]
    gate["tiers"] = same
    assert not pt.diff_programs(
        pt.program_from_dict(dict(data, gates=data["gates"])),
        pt.program_from_dict(data),
    )


# --- 16. data frames hold floats unless exact -------------------------------------------


def test_item16_to_pandas_numbers_are_float64(book: pt.Book, program: pt.Program) -> None:
    pd = pytest.importorskip("pandas")
    progress = pt.progress(book, program, D(2025, 1, 1), AS_OF, months=3)
    frame = progress.to_pandas()
    assert frame["value.total"].dtype == "float64"
    assert pd.api.types.is_numeric_dtype(frame["value.total"])
    assert frame["value.total"].tolist() == [float(r["value.total"]) for r in progress.rows]
    exact = progress.to_pandas(exact=True)
    assert exact["value.total"].dtype == object
    assert exact["value.total"].tolist() == [r["value.total"] for r in progress.rows]
    points = pt.points_breakdown(book, program, as_of=AS_OF).to_pandas()
    assert points["total"].dtype == "float64"
    # The views themselves stay exact.
    assert isinstance(progress.records()[0]["value.total"], Decimal)
    assert isinstance(progress.to_dict()["rows"][0]["value.total"], str)


def test_item16_to_polars_numbers_are_float64(book: pt.Book, program: pt.Program) -> None:
    pl = pytest.importorskip("polars")
    table = pt.clients_table(book, as_of=AS_OF, program=program)
    assert table.to_polars()["mrr_usd"].dtype == pl.Float64
    assert table.to_polars(exact=True)["mrr_usd"].dtype != pl.Float64
