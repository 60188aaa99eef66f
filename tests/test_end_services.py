"""Ending services from a date (issue 14, part 3): the managed service of a client ends on
a day; what it earned before, and the tiers held before, stay."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import partner_tiers as pt
from cli_run import run_cli
from partner_tiers.testing import strategies as pts

D = dt.date
AS_OF = D(2025, 9, 30)
NORTHWIND = pt.demo_book()
HUBSPOT_2025 = pt.load_program("hubspot-2025")


def test_regression_ending_fabrikam_keeps_its_24_sold_points_and_gold() -> None:
    # Issue 14: ending Fabrikam's services used to delete its deals: the 24 sourced points
    # of d-2 and d-3 (12.00 each) vanished and the demo fell from Gold to untiered.
    before = pt.evaluate(NORTHWIND, HUBSPOT_2025, as_of=AS_OF)
    ended = pt.end_services(NORTHWIND, "c-fabrikam", on=AS_OF)
    after = pt.evaluate(ended, HUBSPOT_2025, as_of=AS_OF)
    assert (before.tier, after.tier) == ("gold", "gold")
    # Sold points stay: d-2 12.00 + d-3 12.00 sourced, d-5 (Tailspin) 12.00 assisted.
    assert after.points["sourced"] == before.points["sourced"] == Decimal("24.00")
    assert after.points["sold"] == before.points["sold"] == Decimal("36.00")
    # Managed points lose Fabrikam's 13.64 + 2.05 and keep Adatum's 15.00:
    # total 66.69 - 15.69 = 51.00, over Gold's retain minimum 47.25.
    assert after.points["managed"] == Decimal("15.00")
    assert after.points["total"] == Decimal("51.00")
    # Removing the client altogether is what used to happen: 27.00 and untiered.
    removed = pt.evaluate(pt.without_client(NORTHWIND, "c-fabrikam"), HUBSPOT_2025, as_of=AS_OF)
    assert (removed.points["total"], removed.tier) == (Decimal("27.00"), None)


def test_ending_services_ends_the_periods_on_the_day_and_keeps_the_rest() -> None:
    ended = pt.end_services(NORTHWIND, "c-fabrikam", on=D(2024, 1, 1))
    assert ended.deals == NORTHWIND.deals
    assert ended.subscriptions == NORTHWIND.subscriptions
    assert ended.clients == NORTHWIND.clients
    periods = {m.client: (m.since, m.until) for m in ended.managed_services}
    assert periods == {
        "c-fabrikam": (D(2023, 9, 14), D(2024, 1, 1)),
        "c-adatum": (D(2022, 11, 1), None),
    }
    # On the last day of service Fabrikam still counts (900 EUR / 75 = 12.00), not the next.
    ledger = pt.build_ledger(ended, HUBSPOT_2025)
    assert ledger.totals(D(2023, 12, 31)).managed == Decimal("27.00")  # 12.00 + Adatum 15.00
    assert ledger.totals(D(2024, 1, 1)).managed == Decimal("15.00")


def test_a_period_that_would_begin_on_or_after_the_day_is_dropped() -> None:
    ended = pt.end_services(NORTHWIND, "c-fabrikam", on=D(2023, 9, 14))
    assert [m.client for m in ended.managed_services] == ["c-adatum"]


def test_a_client_without_service_from_the_day_is_left_as_it_is() -> None:
    assert pt.end_services(NORTHWIND, "c-tailspin", on=AS_OF) == NORTHWIND


def test_ending_services_does_not_touch_its_input() -> None:
    before = pt.dumps_book(NORTHWIND)
    pt.end_services(NORTHWIND, "c-fabrikam", on=AS_OF)
    assert pt.dumps_book(NORTHWIND) == before


def test_ending_services_of_an_unknown_client_or_without_a_date_raises() -> None:
    with pytest.raises(pt.UnknownIdError, match="c-nobody"):
        pt.end_services(NORTHWIND, "c-nobody", on=AS_OF)
    with pytest.raises(pt.InvalidRecordError, match="on"):
        pt.end_services(NORTHWIND, "c-fabrikam", on="2025-09-30")  # type: ignore[call-overload]
    with pytest.raises(pt.InvalidRecordError):
        pt.end_services(NORTHWIND, "c-fabrikam")  # type: ignore[call-overload]


def test_the_old_form_warns_and_gives_the_effect() -> None:
    with pytest.warns(DeprecationWarning, match="end_services_effect"):
        old = pt.end_services(NORTHWIND, HUBSPOT_2025, "c-fabrikam", as_of=AS_OF)
    new = pt.end_services_effect(NORTHWIND, HUBSPOT_2025, "c-fabrikam", as_of=AS_OF)
    assert old == new
    assert new.changes()["total"] == Decimal("-15.69")
    assert new.changes()["sold"] == 0
    assert new.to_dict()["on"] == "2025-09-30"


def test_the_effect_of_ending_earlier_than_the_as_of_date() -> None:
    # Ended on 2025-01-01, Fabrikam's managed points are gone on AS_OF as well; the
    # sold points it earned before and after stay.
    view = pt.end_services_effect(
        NORTHWIND, HUBSPOT_2025, "c-fabrikam", as_of=AS_OF, on=D(2025, 1, 1)
    )
    assert view.changes()["managed"] == Decimal("-15.69")
    assert view.changes()["sold"] == 0
    assert view.on == D(2025, 1, 1)


def test_what_if_takes_a_day_for_each_ended_client() -> None:
    result = pt.what_if(
        NORTHWIND,
        HUBSPOT_2025,
        as_of=AS_OF,
        end_services=[("c-fabrikam", D(2025, 1, 1)), "c-adatum"],
    )
    assert result.changes == (
        "end services for c-fabrikam on 2025-01-01",
        "end services for c-adatum",
    )
    rows = {row["track"]: row for row in result.rows()}
    assert rows["managed"]["change"] == Decimal("-30.69")
    assert rows["sold"]["change"] == 0


def test_cli_end_services_with_and_without_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    book = "src/partner_tiers/data/northwind.json"
    base = ["whatif", book, "--program", "hubspot-2025", "--as-of", "2025-09-30", "--json"]
    code, out, _ = run_cli([*base, "--end-services", "c-fabrikam@2025-01-01"], capsys)
    assert code == 0
    assert '"end services for c-fabrikam on 2025-01-01"' in out
    code, out, _ = run_cli([*base, "--end-services", "c-fabrikam"], capsys)
    assert code == 0
    assert '"end services for c-fabrikam"' in out
    code, _, err = run_cli([*base, "--end-services", "c-fabrikam@soon"], capsys)
    assert code == 2
    assert "--end-services" in err
    assert "c-fabrikam@soon" in err
    assert len(err.strip().splitlines()) == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pts.books(max_clients=3, max_records=5, currencies=("USD", "EUR")),
    st.data(),
)
def test_the_status_on_any_day_before_the_end_is_unchanged(
    book: pt.Book, data: st.DataObject
) -> None:
    assume(book.clients)
    client = data.draw(st.sampled_from([c.id for c in book.clients]))
    on = data.draw(pts.dates(D(2022, 7, 19), D(2027, 1, 1)))
    day = data.draw(pts.dates(D(2022, 7, 18), on - dt.timedelta(days=1)))
    program = HUBSPOT_2025
    try:
        before = pt.evaluate(book, program, as_of=day)
    except pt.PricingError:
        assume(False)
    ended = pt.end_services(book, client, on=on)
    after = pt.evaluate(ended, program, as_of=day)
    # What the past decided is the same; only forecasts (what expires before the next
    # review, the projected tier) may see the end coming.
    assert (after.tier, after.qualified_tier, after.level) == (
        before.tier,
        before.qualified_tier,
        before.level,
    )
    assert after.points == before.points
    assert after.values == before.values
    assert after.history == before.history
    # Sold points earned by the end stay after it too.
    assert (
        pt.build_ledger(ended, program).totals(on).sold
        == pt.build_ledger(book, program).totals(on).sold
    )
