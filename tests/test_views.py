"""Dashboard views (domain.md section 1): alerts, clients table, client details, points
breakdown, progress, account performance, end services and rolling MRR.

The worked example is the example book src/partner_tiers/data/northwind.json under
hubspot-2025 as of 2025-09-30, derived by hand:

- sold 36.00 = sourced 24.00 (d-2 300 EUR upsell of a line first sold 2023-09-14, at
  the grandfathered rate 3 and the old EUR 75 table: 300/75*100*3/100 = 12.00; d-3 180
  EUR cross-sell at 5: 180/75*100*5/100 = 12.00) + assisted 12.00 (d-5 400 USD at 3);
- managed 30.69 = fabrikam 1200 EUR/88*1 = 13.64 and 180/88 = 2.05, plus adatum (India,
  growth x2) 1500 USD/100*1*2 / 2 partners = 15.00;
- total 66.69, tier gold; d-2 expires 2025-10-01, next review 2026-01-01.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from attrs import evolve

import partner_tiers as pt

D = dt.date
AS_OF = D(2025, 9, 30)


@pytest.fixture(scope="module")
def book(northwind: pt.Book) -> pt.Book:
    return northwind


@pytest.fixture(scope="module")
def program() -> pt.Program:
    return pt.load_program("hubspot-2025")


# --- alerts -----------------------------------------------------------------------------


def test_alerts_within_a_year_soonest_first(book: pt.Book) -> None:
    found = pt.alerts(book, as_of=AS_OF, within_days=365)
    assert [(a.subscription, a.renews_on, a.renewal_owner) for a in found.rows] == [
        ("s-fab-sales", D(2026, 1, 20), None),
        ("s-tail-crm", D(2026, 6, 3), pt.RenewalOwner.VENDOR),
        ("s-fab-mkt", D(2026, 9, 14), pt.RenewalOwner.PARTNER),
    ]
    # 2025-09-30 -> 2026-01-20: 31 (Oct) + 30 + 31 + 20 = 112 days;
    # -> 2026-06-03: 112 + 11 (rest of Jan) + 28 + 31 + 30 + 31 + 3 = 246;
    # -> 2026-09-14: 365 - 16 (2026-09-14 .. 2026-09-30) = 349.
    assert [a.days_left for a in found.rows] == [112, 246, 349]
    assert [a.client_name for a in found.rows] == [
        "Fabrikam GmbH",
        "Tailspin Toys",
        "Fabrikam GmbH",
    ]
    assert found.items == found.rows


def test_alerts_within_90_days_are_none(book: pt.Book) -> None:
    assert pt.alerts(book, as_of=AS_OF).rows == ()
    assert pt.alerts(book, as_of=AS_OF, within_days=90).within_days == 90


def test_alerts_horizon_includes_its_last_day(book: pt.Book) -> None:
    # s-fab-sales renews 112 days after the date: in at 112, out at 111.
    assert [a.subscription for a in pt.alerts(book, as_of=AS_OF, within_days=112).rows] == [
        "s-fab-sales"
    ]
    assert pt.alerts(book, as_of=AS_OF, within_days=111).rows == ()
    # A renewal on the date itself is due in 0 days.
    on_the_day = pt.alerts(book, as_of=D(2026, 1, 20), within_days=0).rows
    assert [(a.subscription, a.days_left) for a in on_the_day] == [("s-fab-sales", 0)]


def test_alerts_skip_ended_subscriptions(book: pt.Book) -> None:
    ended = evolve(
        book,
        subscriptions=tuple(
            evolve(s, ended_on=D(2025, 9, 1)) if s.id == "s-fab-sales" else s
            for s in book.subscriptions
        ),
    )
    subs = [a.subscription for a in pt.alerts(ended, as_of=AS_OF, within_days=365).rows]
    assert subs == ["s-tail-crm", "s-fab-mkt"]


def test_alerts_refuse_a_negative_horizon(book: pt.Book) -> None:
    with pytest.raises(pt.InvalidRecordError, match="within_days"):
        pt.alerts(book, as_of=AS_OF, within_days=-1)


# --- clients ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "band"),
    [(0, "low"), (3, "low"), (4, "medium"), (6, "medium"), (7, "high"), (10, "high")],
)
def test_engagement_band_boundaries(index: int, band: str) -> None:
    assert pt.engagement_band(index) == band


@pytest.mark.parametrize("index", [-1, 11])
def test_engagement_band_refuses_out_of_range(index: int) -> None:
    with pytest.raises(pt.InvalidRecordError, match="engagement_index"):
        pt.engagement_band(index)


def test_clients_table_of_the_example(book: pt.Book, program: pt.Program) -> None:
    table = pt.clients_table(book, as_of=AS_OF, program=program)
    rows = {row.client: row for row in table.rows}
    assert [row.client for row in table.rows] == ["c-fabrikam", "c-tailspin", "c-adatum"]
    fabrikam = rows["c-fabrikam"]
    assert fabrikam.products == ("marketing-hub", "sales-hub")
    assert fabrikam.relationship == "sold_and_managed"
    assert fabrikam.tools_used == 6
    assert (fabrikam.engagement_index, fabrikam.engagement_band) == (6, "medium")
    # 1200.00 + 180.00 EUR; under the table from 2025-07-15 (EUR 88 per 100 USD):
    # 1380 * 100 / 88 = 1568.1818... -> 1568.18 USD.
    assert fabrikam.mrr == {"EUR": Decimal("1380.00")}
    assert fabrikam.mrr_usd == Decimal("1568.18")
    tailspin = rows["c-tailspin"]
    assert (tailspin.products, tailspin.relationship) == (("crm-suite",), "sold")
    assert (tailspin.tools_used, tailspin.engagement_band) == (2, "low")
    assert tailspin.mrr == {"USD": Decimal("2400.00")}
    assert tailspin.mrr_usd == Decimal("2400.00")
    adatum = rows["c-adatum"]
    assert (adatum.relationship, adatum.tools_used, adatum.engagement_band) == (
        "managed",
        8,
        "high",
    )
    assert adatum.country == "IN"
    assert adatum.mrr_usd == Decimal("1500.00")


def test_clients_table_converts_under_the_table_of_the_date(
    book: pt.Book, program: pt.Program
) -> None:
    # Before 2025-07-15 EUR 75 counts as 100 USD: 1380 * 100 / 75 = 1840.00.
    before = pt.clients_table(book, as_of=D(2025, 7, 1), program=program)
    assert before.rows[0].mrr_usd == Decimal("1840.00")
    # Without a program (deprecated) there is no table to convert with.
    with pytest.warns(DeprecationWarning, match=r"clients_table\(book, program, as_of=day\)"):
        without = pt.clients_table(book, as_of=AS_OF)
    assert {row.mrr_usd for row in without.rows} == {None}


def test_clients_table_counts_active_subscriptions_only(book: pt.Book, program: pt.Program) -> None:
    ended = evolve(
        book,
        subscriptions=tuple(
            evolve(s, ended_on=D(2025, 9, 1)) if s.id == "s-fab-sales" else s
            for s in book.subscriptions
        ),
    )
    fabrikam = pt.clients_table(ended, as_of=AS_OF, program=program).rows[0]
    assert fabrikam.products == ("marketing-hub",)
    # 1200 * 100 / 88 = 1363.636... -> 1363.64.
    assert fabrikam.mrr == {"EUR": Decimal("1200.00")}
    assert fabrikam.mrr_usd == Decimal("1363.64")


def test_client_details_subscriptions_with_contact_and_email_tiers(book: pt.Book) -> None:
    details = pt.client_details(book, "c-fabrikam")
    assert (details.client, details.name, details.country) == (
        "c-fabrikam",
        "Fabrikam GmbH",
        "DE",
    )
    subs = {s["id"]: s for s in details.subscriptions}
    assert subs["s-fab-mkt"]["contact_tier"] == 2000
    assert subs["s-fab-mkt"]["email_tier"] == 20000
    assert subs["s-fab-mkt"]["mrr"] == "1200.00 EUR"
    assert subs["s-fab-sales"]["edition"] == "starter"
    assert subs["s-fab-sales"]["contact_tier"] is None
    assert details.tools_used == (
        "crm",
        "email",
        "forms",
        "workflows",
        "landing-pages",
        "reporting",
    )
    assert (details.engagement_index, details.engagement_band) == (6, "medium")
    renewals = {r["subscription"]: r for r in details.renewals}
    assert renewals["s-fab-mkt"]["renewal_owner"] == "partner"
    assert renewals["s-fab-mkt"]["renewal_manager"] == "Dana Whitfield"
    assert renewals["s-fab-mkt"]["proposed"] is None


def test_client_details_renewals(book: pt.Book) -> None:
    [renewal] = pt.client_details(book, "c-tailspin").renewals
    assert renewal == {
        "subscription": "s-tail-crm",
        "renews_on": D(2026, 6, 3),
        "renewal_owner": "vendor",
        "renewal_manager": "Sam Okafor",
        "current": "professional, 2400.00 USD",
        "proposed": "enterprise, 3600.00 USD",
    }


def test_client_details_of_an_unknown_client_raises(book: pt.Book) -> None:
    with pytest.raises(pt.UnknownIdError, match="c-nobody"):
        pt.client_details(book, "c-nobody")


# --- points breakdown -------------------------------------------------------------------


def test_points_breakdown_per_client(book: pt.Book, program: pt.Program) -> None:
    breakdown = pt.points_breakdown(book, program, as_of=AS_OF)
    rows = {row.client: row for row in breakdown.rows}
    # fabrikam: sold d-2 12.00 + d-3 12.00; managed 13.64 + 2.05 = 15.69; total 39.69.
    assert (rows["c-fabrikam"].sold, rows["c-fabrikam"].managed, rows["c-fabrikam"].total) == (
        Decimal("24.00"),
        Decimal("15.69"),
        Decimal("39.69"),
    )
    # tailspin: d-5 assisted 400 USD at 3 = 12.00; d-4 expired on 2025-06-03.
    assert (rows["c-tailspin"].sold, rows["c-tailspin"].managed) == (
        Decimal("12.00"),
        Decimal(0),
    )
    # adatum: 1500/100 * 1 * 2 (India) / 2 partners = 15.00 managed.
    assert (rows["c-adatum"].sold, rows["c-adatum"].managed) == (
        Decimal(0),
        Decimal("15.00"),
    )
    assert rows["c-adatum"].market == "growth"
    assert rows["c-fabrikam"].market == "standard"


def test_points_breakdown_adds_up_to_the_ledger_total(book: pt.Book, program: pt.Program) -> None:
    breakdown = pt.points_breakdown(book, program, as_of=AS_OF)
    # 39.69 + 12.00 + 15.00 = 66.69, the total track of the status.
    assert breakdown.total == Decimal("66.69")
    assert sum((row.total for row in breakdown.rows), Decimal(0)) == Decimal("66.69")
    assert breakdown.total == pt.evaluate(book, program, as_of=AS_OF).points["total"]
    assert breakdown.total == pt.build_ledger(book, program).totals(AS_OF).total


def test_points_breakdown_filtered_to_sourced_deals(book: pt.Book, program: pt.Program) -> None:
    sourced = pt.points_breakdown(book, program, as_of=AS_OF, deal_types=["sourced"])
    assert sourced.deal_types == ("sourced",)
    assert {b.motion for b in sourced.batches} == {pt.SalesMotion.SOURCED}
    assert {b.track for b in sourced.batches} == {pt.Track.SOLD}
    rows = {row.client: row for row in sourced.rows}
    # adatum has managed points only: no row. fabrikam keeps d-2 + d-3 = 24.00;
    # tailspin keeps only its expired sourced d-4 (its d-5 is assisted).
    assert set(rows) == {"c-fabrikam", "c-tailspin"}
    assert rows["c-fabrikam"].total == Decimal("24.00")
    assert rows["c-fabrikam"].managed == 0
    assert rows["c-tailspin"].total == 0
    assert rows["c-tailspin"].expired == ("sold:d-4",)
    assert sourced.total == Decimal("24.00")


def test_points_breakdown_filtered_to_growth_markets(book: pt.Book, program: pt.Program) -> None:
    growth = pt.points_breakdown(book, program, as_of=AS_OF, markets=["growth"])
    assert [row.client for row in growth.rows] == ["c-adatum"]
    assert growth.total == Decimal("15.00")
    standard = pt.points_breakdown(book, program, as_of=AS_OF, markets=["standard"])
    # 66.69 - 15.00 = 51.69 from the standard-market clients.
    assert standard.total == Decimal("51.69")


def test_points_breakdown_active_and_expired_batches(book: pt.Book, program: pt.Program) -> None:
    breakdown = pt.points_breakdown(book, program, as_of=AS_OF)
    rows = {row.client: row for row in breakdown.rows}
    fabrikam = rows["c-fabrikam"]
    assert {"sold:d-2", "sold:d-3"} <= set(fabrikam.active)
    assert "sold:d-1" in fabrikam.expired  # d-1 earned 2023-09-14, expired 2024-09-14
    assert not set(fabrikam.active) & set(fabrikam.expired)
    assert rows["c-tailspin"].active == ("sold:d-5",)
    assert rows["c-tailspin"].expired == ("sold:d-4",)
    assert rows["c-adatum"].expired == ()
    # One day later d-2 (earned 2024-10-01) has expired too.
    later = {r.client: r for r in pt.points_breakdown(book, program, as_of=D(2025, 10, 1)).rows}
    assert "sold:d-2" in later["c-fabrikam"].expired
    assert "sold:d-2" not in later["c-fabrikam"].active
    # The history holds every batch of the client, active or not, oldest first.
    history = breakdown.history("c-fabrikam")
    assert {"sold:d-1", "sold:d-2", "sold:d-3"} <= {b.id for b in history}
    assert {b.client for b in history} == {"c-fabrikam"}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"deal_types": ["referral"]}, "deal_types"), ({"markets": ["emerging"]}, "markets")],
)
def test_points_breakdown_refuses_unknown_filters(
    book: pt.Book, program: pt.Program, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(pt.InvalidRecordError, match=field):
        pt.points_breakdown(book, program, as_of=AS_OF, **kwargs)


def test_rolling_mrr(book: pt.Book, program: pt.Program) -> None:
    # Sold in (2024-09-30, 2025-09-30]: d-2 300 EUR (EUR 75 table: 400 USD, sourced),
    # d-3 180 EUR (240 USD, sourced), d-5 400 USD (assisted).
    assert pt.rolling_mrr(book, program, as_of=AS_OF) == Decimal("640.00")  # 400 + 240
    assert pt.rolling_mrr(book, program, as_of=AS_OF, motion=None) == Decimal("1040.00")
    assert pt.rolling_mrr(book, program, as_of=AS_OF, motion="assisted") == Decimal("400.00")
    # On 2025-10-01 d-2 (closed 2024-10-01) is out of the window: 240 sourced.
    assert pt.rolling_mrr(book, program, as_of=D(2025, 10, 1)) == Decimal("240.00")


# --- progress and account performance ---------------------------------------------------


def test_progress_rows_per_month_with_the_next_tiers_reach(
    book: pt.Book, program: pt.Program
) -> None:
    chart = pt.progress(book, program, D(2025, 1, 1), D(2025, 12, 1))
    assert chart.program == "hubspot-2025@2025-07-15"
    assert [row["as_of"] for row in chart.rows] == [D(2025, m, 1) for m in range(1, 13)]
    for row in chart.rows:
        reach = program.tier(row["next_tier"]).reach
        for track in ("total", "sourced", "managed"):
            assert row[f"reach.{track}"] == reach[track]
    rows = {row["as_of"]: row for row in chart.rows}
    september = rows[D(2025, 9, 1)]
    assert september["tier"] == "gold"
    assert september["value.total"] == Decimal("66.69")
    assert september["value.sourced"] == Decimal("24.00")
    assert september["value.managed"] == Decimal("30.69")
    assert (september["reach.total"], september["reach.sourced"]) == (Decimal("157.5"), 30)
    # d-2 expires on 2025-10-01: 66.69 - 12.00 = 54.69.
    assert rows[D(2025, 10, 1)]["value.total"] == Decimal("54.69")
    # Platinum until the demotion lands on 2025-07-31: the next tier is diamond till then.
    assert rows[D(2025, 7, 1)]["next_tier"] == "diamond"
    assert rows[D(2025, 7, 1)]["reach.total"] == Decimal("420")


def test_progress_every_quarter(book: pt.Book, program: pt.Program) -> None:
    chart = pt.progress(book, program, D(2025, 1, 1), D(2025, 12, 1), months=3)
    assert [row["as_of"] for row in chart.rows] == [
        D(2025, 1, 1),
        D(2025, 4, 1),
        D(2025, 7, 1),
        D(2025, 10, 1),
    ]


def test_account_performance_of_the_example(book: pt.Book, program: pt.Program) -> None:
    performance = pt.account_performance(book, program, as_of=AS_OF)
    # adatum (managed) 8 tools, fabrikam (managed) 6, tailspin (sold d-5 on 2025-02-11,
    # inside the 12 months) 2: median 6.
    assert performance.counting_clients == ("c-adatum", "c-fabrikam", "c-tailspin")
    assert performance.median_tool_usage == Decimal(6)
    assert performance.certified is True
    assert performance.certification_ends_on == D(2027, 4, 19)


def test_account_performance_drops_clients_sold_long_ago(
    book: pt.Book, program: pt.Program
) -> None:
    # On 2026-03-01 tailspin's last sale (2025-02-11) is over 12 months old: (8 + 6) / 2.
    performance = pt.account_performance(book, program, as_of=D(2026, 3, 1))
    assert performance.counting_clients == ("c-adatum", "c-fabrikam")
    assert performance.median_tool_usage == Decimal(7)


@pytest.mark.parametrize(
    ("day", "certified", "ends_on"),
    [
        # cert-1 is not valid yet (from 2023-05-02) and nothing has lapsed.
        (D(2023, 5, 1), False, None),
        (D(2023, 5, 2), True, D(2025, 5, 1)),
        # Both valid: the one that lasts longest.
        (D(2025, 4, 25), True, D(2027, 4, 19)),
        # cert-1 lapsed on 2025-05-01, cert-2 valid since 2025-04-20.
        (D(2025, 5, 10), True, D(2027, 4, 19)),
        # Both lapsed: the last day of the last one.
        (D(2027, 4, 20), False, D(2027, 4, 19)),
    ],
)
def test_account_performance_certification(
    book: pt.Book, program: pt.Program, day: dt.date, certified: bool, ends_on: dt.date | None
) -> None:
    performance = pt.account_performance(book, program, as_of=day)
    assert performance.certified is certified
    assert performance.certification_ends_on == ends_on


def test_account_performance_with_a_lapsed_certification_only(
    book: pt.Book, program: pt.Program
) -> None:
    only_first = evolve(book, certifications=(book.certification("cert-1"),))
    performance = pt.account_performance(only_first, program, as_of=D(2025, 5, 10))
    assert performance.certified is False
    assert performance.certification_ends_on == D(2025, 5, 1)
    assert pt.evaluate(only_first, program, as_of=D(2025, 5, 10)).qualified_tier is None


def test_account_performance_without_counting_clients(book: pt.Book, program: pt.Program) -> None:
    nobody = evolve(book, deals=(), managed_services=())
    performance = pt.account_performance(nobody, program, as_of=AS_OF)
    assert performance.counting_clients == ()
    assert performance.median_tool_usage is None


# --- end services -----------------------------------------------------------------------


def test_end_services_for_adatum(book: pt.Book, program: pt.Program) -> None:
    before = pt.book_to_dict(book)
    ended = pt.end_services_effect(book, program, "c-adatum", as_of=AS_OF)
    # adatum earns 15.00 managed points and nothing sold.
    assert ended.changes()["managed"] == Decimal("-15.00")
    assert ended.changes()["total"] == Decimal("-15.00")
    assert ended.changes()["sold"] == 0
    assert ended.after.points["total"] == Decimal("51.69")  # 66.69 - 15.00
    # 51.69 is under Gold's reach (52.5) but over its retain minimum (47.25): still Gold.
    assert (ended.before.tier, ended.after.tier) == ("gold", "gold")
    # The client, its subscription and its past service stay; the service ends on AS_OF.
    assert "c-adatum" in {c.id for c in ended.book.clients}
    assert [m.until for m in ended.book.managed_services if m.client == "c-adatum"] == [AS_OF]
    assert "c-adatum" in {s.client for s in ended.book.subscriptions}
    # The input book is unchanged.
    assert pt.book_to_dict(book) == before
    assert "c-adatum" in {c.id for c in book.clients}
    assert ended.to_dict()["changes"]["total"] == "-15.00"


def test_end_services_for_an_unknown_client_raises(book: pt.Book, program: pt.Program) -> None:
    with pytest.raises(pt.UnknownIdError, match="c-nobody"):
        pt.end_services_effect(book, program, "c-nobody", as_of=AS_OF)


# --- output formats ---------------------------------------------------------------------


def _views(book: pt.Book, program: pt.Program) -> dict[str, Any]:
    return {
        "alerts": pt.alerts(book, as_of=AS_OF, within_days=365),
        "clients_table": pt.clients_table(book, as_of=AS_OF, program=program),
        "client_details": pt.client_details(book, "c-tailspin"),
        "points_breakdown": pt.points_breakdown(book, program, as_of=AS_OF),
        "progress": pt.progress(book, program, D(2025, 1, 1), D(2025, 12, 1)),
        "account_performance": pt.account_performance(book, program, as_of=AS_OF),
        "end_services": pt.end_services_effect(book, program, "c-adatum", as_of=AS_OF),
    }


# A value of each view (a decimal where the view has one), where it lands in to_dict(),
# and the string it must be there.
_VALUE_AT: dict[str, tuple[Callable[[dict[str, Any]], Any], str]] = {
    "alerts": (lambda d: d["rows"][0]["renews_on"], "2026-01-20"),
    "clients_table": (lambda d: d["rows"][0]["mrr_usd"], "1568.18"),
    "client_details": (lambda d: d["renewals"][0]["proposed"], "enterprise, 3600.00 USD"),
    "points_breakdown": (lambda d: d["rows"][0]["total"], "39.69"),
    "progress": (lambda d: d["rows"][8]["value.total"], "66.69"),
    "account_performance": (lambda d: d["median_tool_usage"], "6"),
    "end_services": (lambda d: d["points_after"]["total"], "51.69"),
}


@pytest.mark.parametrize("name", sorted(_VALUE_AT))
def test_to_dict_is_json_with_decimals_as_strings(
    book: pt.Book, program: pt.Program, name: str
) -> None:
    data = _views(book, program)[name].to_dict()
    assert json.loads(json.dumps(data)) == data  # only JSON types, nothing lost
    where, expected = _VALUE_AT[name]
    assert where(data) == expected


def _named_book(book: pt.Book, name: str) -> pt.Book:
    return evolve(
        book,
        clients=tuple(evolve(c, name=name) if c.id == "c-tailspin" else c for c in book.clients),
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda b, p: pt.alerts(b, as_of=AS_OF, within_days=365),
        lambda b, p: pt.clients_table(b, as_of=AS_OF, program=p),
        lambda b, p: pt.client_details(b, "c-tailspin"),
        lambda b, p: pt.points_breakdown(b, p, as_of=AS_OF),
        lambda b, p: pt.progress(b, p, D(2025, 1, 1), D(2025, 12, 1)),
        lambda b, p: pt.account_performance(b, p, as_of=AS_OF),
    ],
    ids=[
        "alerts",
        "clients_table",
        "client_details",
        "points_breakdown",
        "progress",
        "account_performance",
    ],
)
def test_repr_html_is_a_table_that_escapes_names(
    book: pt.Book, program: pt.Program, make: Callable[[pt.Book, pt.Program], Any]
) -> None:
    html = make(_named_book(book, "<b>x</b>"), program)._repr_html_()
    assert html.startswith("<table>")
    assert html.endswith("</table>")
    assert "<b>" not in html


def test_repr_html_shows_the_escaped_name(book: pt.Book, program: pt.Program) -> None:
    named = _named_book(book, "<b>x</b>")
    for view in (
        pt.clients_table(named, as_of=AS_OF, program=program),
        pt.alerts(named, as_of=AS_OF, within_days=365),
        pt.points_breakdown(named, program, as_of=AS_OF),
        pt.client_details(named, "c-tailspin"),
    ):
        assert "&lt;b&gt;x&lt;/b&gt;" in view._repr_html_()


def test_frames_have_one_row_per_client(book: pt.Book, program: pt.Program) -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("polars")
    table = pt.clients_table(book, as_of=AS_OF, program=program)
    frame = table.to_pandas(exact=True)
    assert list(frame["client"]) == ["c-fabrikam", "c-tailspin", "c-adatum"]
    assert frame.loc[0, "mrr_usd"] == Decimal("1568.18")
    polars_frame = table.to_polars()
    assert polars_frame.height == 3
    assert polars_frame["client"].to_list() == ["c-fabrikam", "c-tailspin", "c-adatum"]
    breakdown = pt.points_breakdown(book, program, as_of=AS_OF)
    assert len(breakdown.to_pandas()) == 3
    assert breakdown.to_polars(exact=True)["total"].to_list() == [
        Decimal("39.69"),
        Decimal("12.00"),
        Decimal("15.00"),
    ]


def test_progress_frames_have_one_row_per_month(book: pt.Book, program: pt.Program) -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("polars")
    chart = pt.progress(book, program, D(2025, 1, 1), D(2025, 12, 1))
    frame = chart.to_pandas()
    assert len(frame) == 12
    assert {"as_of", "tier", "value.total", "reach.total", "next_tier"} <= set(frame.columns)
    assert list(frame["as_of"])[-1] == D(2025, 12, 1)
    polars_frame = chart.to_polars()
    assert polars_frame.height == 12
    assert polars_frame["value.total"].to_list()[8] == 66.69
    assert chart.to_polars(exact=True)["value.total"].to_list()[8] == Decimal("66.69")


def test_progress_plot_draws_each_track_and_its_reach_line(
    book: pt.Book, program: pt.Program
) -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    chart = pt.progress(book, program, D(2025, 1, 1), D(2025, 12, 1))
    ax = chart.plot()
    assert isinstance(ax, Axes)
    figure = ax.get_figure()
    try:
        lines = ax.get_lines()
        assert [line.get_label() for line in lines] == [
            "total",
            "total: next tier",
            "sourced (of sold)",
            "sourced (of sold): next tier",
            "managed",
            "managed: next tier",
            "sold",  # the sold breakdown besides the tracks (issue 18, item 5)
            "assisted (of sold)",
        ]
        # September's total and December's platinum reach line.
        assert np.asarray(lines[0].get_ydata(), dtype=float)[8] == pytest.approx(66.69)
        assert np.asarray(lines[1].get_ydata(), dtype=float)[-1] == pytest.approx(157.5)
        assert np.asarray(lines[0].get_xdata()).shape == (12,)
        assert "hubspot-2025@2025-07-15" in ax.get_title()
    finally:
        if isinstance(figure, Figure):
            plt.close(figure)


def test_progress_plot_draws_on_given_axes(book: pt.Book, program: pt.Program) -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, own = plt.subplots()
    try:
        chart = pt.progress(book, program, D(2025, 1, 1), D(2025, 12, 1))
        assert chart.plot(ax=own) is own
        assert len(own.get_lines()) == 8  # three tracks, three reach lines, sold, assisted
    finally:
        plt.close(figure)
