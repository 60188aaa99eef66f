"""Dashboard items 5, 6 and 21 of issue 18: the sold breakdown in the progress chart, the
projection three months ahead and to the review, and the JSON and gate list that say
what they guard. The book is the demo book (northwind.json) under hubspot-2025 on
2025-09-30: Gold since 2025-07-31, sold 36.00 (sourced 24.00, assisted 12.00), managed
30.69; the sourced deal d-2 (12.00) expires on 2025-10-01, d-3 on 2026-01-20 and the
assisted d-5 on 2026-02-11. Each test failed before its change.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

import partner_tiers as pt
from cli_run import run_cli
from partner_tiers._views.chart import breakdown_figures
from partner_tiers._views.report import progress_svg

D = dt.date
AS_OF = D(2025, 9, 30)
BOOK = pt.demo_book()
HUBSPOT_2025 = pt.load_program("hubspot-2025")


# --- item 5: the sold and managed breakdown in the progress chart ------------------------


def test_progress_rows_hold_sold_of_which_sourced_and_assisted() -> None:
    view = pt.progress(BOOK, HUBSPOT_2025, D(2025, 6, 30), AS_OF, months=3)
    last = view.rows[-1]
    assert [last[f"points.{name}"] for name in ("sold", "sourced", "assisted")] == [
        Decimal("36.00"),
        Decimal("24.00"),
        Decimal("12.00"),
    ]
    assert (last["points.managed"], last["points.total"]) == (Decimal("30.69"), Decimal("66.69"))
    for row in view.rows:
        assert row["points.sold"] == row["points.sourced"] + row["points.assisted"]
        assert row["points.total"] == row["points.sold"] + row["points.managed"]
    # The tracks and the next tier's lines are still there.
    assert (last["value.sourced"], last["reach.total"]) == (Decimal("24.00"), Decimal("157.5"))


def test_the_chart_draws_the_figures_that_are_not_tracks() -> None:
    view = pt.progress(BOOK, HUBSPOT_2025, D(2024, 9, 30), AS_OF)
    # hubspot-2025 counts total, sourced and managed: sold and assisted are drawn besides.
    assert breakdown_figures(view.rows) == ["sold", "assisted"]
    svg = progress_svg(view)
    assert svg.count("class='track'") == 3
    assert svg.count("class='reach'") == 3
    assert "data-figure='sold'" in svg
    assert "data-figure='assisted'" in svg
    assert ">assisted (of sold)</text>" in svg
    assert ">sourced (of sold)</text>" in svg


def test_the_matplotlib_chart_has_the_breakdown_and_the_next_tier_lines() -> None:
    pytest.importorskip("matplotlib")
    view = pt.progress(BOOK, HUBSPOT_2025, D(2024, 9, 30), AS_OF)
    ax = view.plot()
    labels = [line.get_label() for line in ax.get_lines()]
    for label in ("sold", "assisted (of sold)", "sourced (of sold)", "managed", "total"):
        assert label in labels
    assert "total: next tier" in labels


# --- item 6: the projection, three months ahead and to the review ------------------------


def test_the_projection_looks_three_months_ahead_by_default() -> None:
    ahead = pt.projection(BOOK, HUBSPOT_2025, as_of=AS_OF)
    assert ahead.on == D(2025, 12, 30)
    assert [(b.batch, b.expires_on, b.points) for b in ahead.rows] == [
        ("sold:d-2", D(2025, 10, 1), Decimal("12.00"))
    ]
    assert ahead.expiring["sourced"] == Decimal("12.00")
    assert ahead.expiring["managed"] == Decimal("0.00")  # a level: assumed to stay
    assert ahead.points_then["total"] == Decimal("54.69")
    assert ahead.points_then["sold"] == Decimal("24.00")
    assert ahead.qualified_tier_then == "gold"
    assert ahead.tier_at_review == "gold"


def test_the_projection_to_the_review_agrees_with_the_status() -> None:
    status = pt.evaluate(BOOK, HUBSPOT_2025, as_of=AS_OF)
    to_review = pt.projection(BOOK, HUBSPOT_2025, as_of=AS_OF, until="review")
    assert to_review.on == status.next_review == D(2026, 1, 1)
    for track, lost in status.expiring_before_review.items():
        assert to_review.values_then[track] == status.values[track] - lost


def test_six_months_ahead_every_sold_batch_is_gone() -> None:
    ahead = pt.projection(BOOK, HUBSPOT_2025, as_of=AS_OF, months=6)
    assert [b.batch for b in ahead.rows] == ["sold:d-2", "sold:d-3", "sold:d-5"]
    assert ahead.points_then["sold"] == Decimal("0.00")
    assert ahead.qualified_tier_then is None  # 30.69 total is under Gold's line
    same = pt.projection(BOOK, HUBSPOT_2025, as_of=AS_OF, until=D(2026, 3, 30))
    assert same.points_then == ahead.points_then


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"months": 3, "until": "review"}, "until"),
        ({"until": AS_OF}, "until"),
        ({"until": "next week"}, "until"),
        ({"months": 0}, "months"),
    ],
)
def test_a_bad_projection_span_is_refused(arguments: dict[str, object], field: str) -> None:
    with pytest.raises(pt.InvalidRecordError) as caught:
        pt.projection(BOOK, HUBSPOT_2025, as_of=AS_OF, **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_the_projection_serialises() -> None:
    data = pt.projection(BOOK, HUBSPOT_2025, as_of=AS_OF).to_dict()
    assert json.loads(json.dumps(data))["points_then"]["total"] == "54.69"
    assert data["rows"][0]["expires_on"] == "2025-10-01"


def test_the_demo_shows_the_sold_breakdown_and_the_projection(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _err = run_cli(["demo"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert (
        "Points: sold 36.00 (sourced 24.00, assisted 12.00)   managed 30.69   total 66.69" in lines
    )
    assert "Projection to 2025-12-30 (upcoming expirations, nothing else changing):" in lines
    assert "Channel Consultant: Jonas Berg  mailto:jonas.berg@vendor.example.com" in out


# --- item 21: the JSON contract and the gates' tiers ---------------------------------------


def test_the_json_contract_has_the_new_keys(capsys: pytest.CaptureFixture[str]) -> None:
    path = "src/partner_tiers/data/northwind.json"
    code, out, _err = run_cli(
        ["evaluate", path, "--program", "hubspot-2025", "--as-of", "2025-09-30", "--json"],
        capsys,
    )
    assert code == 0
    data = json.loads(out)
    assert data["held_since"] == "2025-07-31"
    assert data["next_tier_reach"] == {"total": "157.5", "sourced": "30", "managed": "30"}
    assert data["retain_minimum"] == {"total": "47.25", "sourced": "9", "managed": "9"}
    assert data["expiring_before_review"] == {"total": "12.00", "sourced": "12.00", "managed": "0"}
    gates = {gate["name"]: gate for gate in data["gates"]}
    assert (gates["certified"]["tiers"], gates["certified"]["caps_at"]) == ([], None)
    assert (gates["invited"]["tiers"], gates["invited"]["caps_at"]) == (["elite"], "diamond")
    # The existing keys keep their meaning.
    assert data["tier"] == "gold"
    assert data["gates"][1]["passed"] is False


def test_held_since_is_the_day_the_tier_was_reached() -> None:
    status = pt.evaluate(BOOK, HUBSPOT_2025, as_of=AS_OF)
    assert status.held_since == D(2025, 7, 31)
    assert status.history[-1].to_tier == "gold"
    assert pt.evaluate(BOOK, HUBSPOT_2025, as_of=D(2022, 1, 1)).held_since is None


def test_the_gate_list_names_the_tiers_each_gate_guards(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _err = run_cli(["demo"], capsys)
    assert code == 0
    assert "  FAIL  invited (elite only; capped at diamond): invited is not stated" in out
    assert "  PASS  certified (every tier): certification cert-2" in out
    page = pt.report_html(BOOK, HUBSPOT_2025, as_of=AS_OF)
    assert "<th>guards</th>" in page
    assert "<td>elite only; capped at diamond</td>" in page
