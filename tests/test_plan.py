"""What-if that looks forward, and the action plan (issue 16, parts 3 and 4).

The demo is the example book src/partner_tiers/data/northwind.json under hubspot-2025
as of 2025-09-30: gold, total 66.69; the next review is 2026-01-01, by when d-2's 12.00
sourced points have expired (total 54.69, sourced 12.00). Platinum needs total 157.5,
sourced 30 and managed 30. Every plan and every needed answer is fed back into
`what_if` and checked at the review.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from attrs import evolve
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import partner_tiers as pt
from partner_tiers._cli import cli
from partner_tiers.testing import strategies as pts

D = dt.date
AS_OF = D(2025, 9, 30)
REVIEW = D(2026, 1, 1)
DEMO = "src/partner_tiers/data/northwind.json"


@pytest.fixture(scope="module")
def program() -> pt.Program:
    return pt.load_program("hubspot-2025")


def _deal(client: str, amount: str, on: dt.date, deal_id: str = "d-new") -> pt.Deal:
    return pt.Deal(
        pt.DealId(deal_id),
        pt.ClientId(client),
        "new-line",
        pt.DealKind.NEW,
        pt.SalesMotion.SOURCED,
        on,
        pt.Money(amount, "USD"),
    )


# --- what if, looking forward -------------------------------------------------------------


def test_a_deal_after_as_of_counts_from_its_close_date(
    northwind: pt.Book, program: pt.Program
) -> None:
    result = pt.what_if(
        northwind, program, as_of=AS_OF, deals=[_deal("c-new", "2000", D(2025, 11, 15))]
    )
    assert result.until == REVIEW  # the next review by default
    assert result.after.values == result.before.values  # not yet on as_of
    assert result.after_until is not None
    assert result.before_until is not None
    assert result.after_until.values["sourced"] == Decimal("112.00")  # 12.00 + 100
    assert result.before_until.values["sourced"] == Decimal("12.00")
    assert "counts from 2025-11-15" in str(result)
    assert {"row": "held tier", "before": "gold", "after": "gold"} in result.outlook()


def test_what_if_until_a_chosen_day(northwind: pt.Book, program: pt.Program) -> None:
    deal = _deal("c-new", "2100", D(2025, 11, 15))
    result = pt.what_if(northwind, program, as_of=AS_OF, deals=[deal], until=D(2025, 11, 15))
    assert result.after_until is not None
    assert result.after_until.tier == "platinum"  # 54.69 + 105 on the day: immediate
    assert json.loads(json.dumps(result.to_dict()))["until"] == "2025-11-15"
    with pytest.raises(pt.InvalidRecordError, match="until"):
        pt.what_if(northwind, program, as_of=AS_OF, until=D(2025, 1, 1))


def _median_book() -> pt.Book:
    """Sold clients using 4 and 3 tools: median 3.5 passes hubspot-2018's gate of 3."""
    partner = pt.Partner(pt.PartnerId("p-m"), "Median Agency", "US", D(2017, 1, 1))
    clients = tuple(
        pt.Client(pt.ClientId(c), c, "US", pt.Relationship.SOLD, tools)
        for c, tools in (("c-a", ("a", "b", "c", "d")), ("c-b", ("a", "b", "c")))
    )
    deals = (
        _deal("c-a", "2500", D(2018, 3, 1), "d-a"),
        _deal("c-b", "2500", D(2018, 4, 1), "d-b"),
    )
    certification = pt.Certification(
        pt.CertificationId("cert"), "Partner", D(2017, 1, 1), D(2019, 12, 31)
    )
    return pt.Book(partner, clients, (), deals, (certification,))


def test_a_new_client_by_default_leaves_the_median_gate_as_it_is(
    hubspot_2018: pt.Program,
) -> None:
    book, day = _median_book(), D(2018, 6, 30)
    result = pt.what_if(book, hubspot_2018, as_of=day, deals=[_deal("c-new", "100", day)])
    assert result.gate_changes == ()
    assert "c-new with the defaults: US, 4 tools" in str(result)  # 3.5 rounded up: passes
    assert pt.default_client(book, hubspot_2018, "c-x", day).tool_usage == 4


def test_a_client_without_tools_names_the_gate_it_fails(hubspot_2018: pt.Program) -> None:
    book, day = _median_book(), D(2018, 6, 30)
    # Two new clients with no tools: the median of (0, 0, 3, 4) is 1.5.
    bare = [pt.Client(pt.ClientId(c), c, "US", pt.Relationship.SOLD) for c in ("c-x", "c-y")]
    deals = [_deal(c.id, "100", day, f"d-{c.id}") for c in bare]
    result = pt.what_if(book, hubspot_2018, as_of=day, clients=bare, deals=deals)
    (change,) = [c for c in result.gate_changes if c.on == day]
    assert change.gate == "median-tools"
    assert change.before
    assert not change.after
    assert "gate median-tools on 2018-06-30: passed -> failed" in str(result)


# --- needed answers are confirmed by what_if ---------------------------------------------


def _confirmed(book: pt.Book, program: pt.Program, answer: pt.Needed, keep: bool) -> bool:
    result = pt.what_if(book, program, as_of=AS_OF, until=answer.on, **answer.records())
    status = result.after_until
    assert status is not None
    if keep:
        held = program.tier_index(status.tier) >= program.tier_index(answer.target)
        return held and status.pending_demotion is None
    return program.tier_index(status.qualified_tier) >= program.tier_index(answer.target)


@pytest.mark.parametrize("by", [AS_OF, D(2025, 12, 15)])
def test_every_needed_to_reach_answer_is_confirmed_by_what_if(
    northwind: pt.Book, program: pt.Program, by: dt.date
) -> None:
    answers = [a for a in pt.needed_to_reach(northwind, program, as_of=by) if a.amount is not None]
    assert answers
    for answer in answers:
        assert _confirmed(northwind, program, answer, keep=False), answer


def test_every_needed_to_keep_answer_is_confirmed_by_what_if(
    northwind: pt.Book, program: pt.Program
) -> None:
    lapsed = evolve(northwind, deals=tuple(d for d in northwind.deals if d.id != "d-3"))
    answers = [a for a in pt.needed_to_keep(lapsed, program, as_of=AS_OF) if a.amount]
    for answer in answers:
        assert _confirmed(lapsed, program, answer, keep=True), answer


# --- the plan ----------------------------------------------------------------------------


def test_plan_to_reach_the_demos_next_tier(northwind: pt.Book, program: pt.Program) -> None:
    made = pt.plan(northwind, program, as_of=AS_OF, goal="reach")
    assert (made.tier, made.review, made.holds) == ("platinum", REVIEW, True)
    (action,) = made.actions
    assert action.kind == "sourced_mrr"
    assert action.by == REVIEW
    # 157.5 - 54.69 = 102.81 points at 5 per 100 USD: 2056.20, less a cent as the
    # batch rounds half up (2056.10 earns 102.805 -> 102.81).
    assert action.amount == Decimal("2056.10")
    check = pt.what_if(northwind, program, as_of=AS_OF, until=REVIEW, **made.what_if_arguments())
    assert check.after_until is not None
    assert check.after_until.qualified_tier == "platinum"
    assert made.cliff_date == D(2026, 7, 31)


def test_plan_to_keep_renews_a_certification_before_it_lapses(
    northwind: pt.Book, program: pt.Program
) -> None:
    short = evolve(
        northwind,
        certifications=tuple(
            evolve(c, valid_until=min(c.valid_until, D(2025, 11, 30)))
            for c in northwind.certifications
        ),
    )
    made = pt.plan(short, program, as_of=AS_OF)
    assert made.holds
    assert made.tier == "gold"
    (action,) = made.actions
    assert (action.kind, action.by, action.gate) == ("certification", D(2025, 11, 30), "certified")
    assert made.cliff_date == D(2025, 12, 1)


def test_plan_to_reach_elite_names_its_fact_gates(northwind: pt.Book, program: pt.Program) -> None:
    made = pt.plan(northwind, program, as_of=AS_OF, goal="reach", tier="elite")
    gates = {a.gate for a in made.actions if a.kind == "fact"}
    assert gates == {"invited", "retention", "team-certifications"}
    assert made.holds
    assert {a.kind for a in made.actions} >= {"sourced_mrr", "managed_mrr"}


def test_plan_rejects_an_unknown_goal_or_tier(northwind: pt.Book, program: pt.Program) -> None:
    with pytest.raises(pt.InvalidRecordError, match="goal"):
        pt.plan(northwind, program, as_of=AS_OF, goal="keep-ish")
    with pytest.raises(pt.InvalidRecordError, match="bronze"):
        pt.plan(northwind, program, as_of=AS_OF, goal="reach", tier="bronze")


def test_plan_under_a_series_uses_the_version_at_the_review(northwind: pt.Book) -> None:
    series = pt.load_series("hubspot")
    made = pt.plan(northwind, series, as_of=AS_OF, goal="reach")
    assert made.holds
    assert made.actions


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    book=pts.books(max_clients=3, max_records=5),
    day=pts.dates(D(2023, 1, 1), D(2026, 6, 30)),
    goal=st.sampled_from(["keep", "reach"]),
    name=st.sampled_from(["hubspot-2022", "hubspot-2024", "hubspot-2025"]),
)
def test_every_plan_that_holds_is_confirmed_by_what_if(
    book: pt.Book, day: dt.date, goal: str, name: str
) -> None:
    program = pt.load_program(name)
    made = pt.plan(book, program, as_of=day, goal=goal)
    if made.tier is None:
        return
    check = pt.what_if(book, program, as_of=day, until=made.review, **made.what_if_arguments())
    status = check.after_until
    assert status is not None
    rank = program.tier_index(made.tier)
    if goal == "reach":
        reached = program.tier_index(status.qualified_tier) >= rank
    else:
        reached = program.tier_index(status.tier) >= rank and status.pending_demotion is None
    assert reached == made.holds


# --- command line and report -------------------------------------------------------------


def test_cli_plan_reaches_platinum() -> None:
    result = CliRunner().invoke(cli, ["plan", DEMO, "--as-of", "2025-09-30", "--reach", "platinum"])
    assert result.exit_code == 0, result.output
    assert "close a partner-sourced deal of" in result.output
    data = json.loads(
        CliRunner().invoke(cli, ["plan", DEMO, "--as-of", "2025-09-30", "--json"]).output
    )
    assert data["goal"] == "keep"
    assert data["holds"] is True


def test_report_shows_the_plan(northwind: pt.Book, program: pt.Program) -> None:
    page = pt.report_html(northwind, program, as_of=AS_OF)
    assert "<section id='plan'>" in page
    assert "To reach platinum" in page
