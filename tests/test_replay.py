"""The engine replayed to a day, worked by hand: the status and its explanation, the
projection to the next review, and the history of promotions and demotions that the
review's demotion rule writes. The small books are tests/_books.py's, under the programs
of tests/_programs.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

import partner_tiers as pt
from _books import C1, FEB_10, JAN_10, START, c1_deal, one_client_book, two_clients_book
from _programs import PROGRAM, REVIEW, ladder_program


def test_statuses_use_the_ledger_they_are_given(
    northwind: pt.Book, hubspot_2025: pt.Program
) -> None:
    day = dt.date(2025, 9, 30)
    [given_empty] = pt.statuses(northwind, hubspot_2025, [day], ledger=pt.PointsLedger())
    assert set(given_empty.points.values()) == {Decimal(0)}
    [built] = pt.statuses(northwind, hubspot_2025, [day])
    assert built.points["total"] == Decimal("66.69")
    assert pt.evaluate(northwind, hubspot_2025, as_of=day, ledger=pt.PointsLedger()).tier is None


# --- the explanation at the edges of the ladder ------------------------------------------------


def test_the_explanation_names_the_tier_above_the_second_highest() -> None:
    # 1050 USD sourced and 10.00 managed points reach Platinum; Diamond is the top.
    status = pt.evaluate(two_clients_book("1050"), PROGRAM, as_of=dt.date(2024, 6, 1))
    assert status.qualified_tier == "platinum"
    assert (status.next_tier, status.next_tier_reach["total"]) == ("diamond", Decimal(420))
    assert [r.text for r in status.explain().about("qualified")] == [
        "points reach Platinum: total 62.50 >= 52.5, sourced 52.50 >= 10, managed 10.00 >= 10",
        "points do not reach Diamond: total 62.50 < 420 (357.50 short), sourced 52.50 < 80 "
        "(27.50 short), managed 10.00 < 80 (70.00 short)",
    ]


def test_the_explanation_names_a_shortfall_of_less_than_a_point() -> None:
    # 199 USD sourced: 9.95 sourced points, 0.05 short of Platinum's 10.
    status = pt.evaluate(two_clients_book("199"), PROGRAM, as_of=dt.date(2024, 6, 1))
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


# --- the projection to the next review, track by track ----------------------------------


def test_what_expires_before_the_next_review_is_summed_over_every_batch() -> None:
    data = pt.program_to_dict(PROGRAM)
    data["tracks"] += [{"id": t} for t in ("sold", "assisted", "sold_mrr_usd", "managed_mrr_usd")]
    data["expiry"] = [{"months": 12}, {"effective_from": "2025-01-01", "months": 1}]
    program = pt.program_from_dict(data)
    base = two_clients_book("1050")
    book = attrs.evolve(
        base,
        clients=(*base.clients, pt.Client(C1, "Client", "US", pt.Relationship.SOLD)),
        deals=[
            c1_deal("d-1", "new", "sourced", JAN_10, "1000"),
            c1_deal("d-2", "upsell", "assisted", FEB_10, "1000"),
            c1_deal("d-3", "cross_sell", "assisted", dt.date(2024, 3, 10), "500"),
            c1_deal("d-4", "adjustment", "none", dt.date(2024, 3, 20), "100"),
            # Under the one-month rule from 2025: earned on the day, gone by 2025-02-02.
            c1_deal("d-5", "new", "sourced", dt.date(2025, 1, 2), "200"),
        ],
        managed_services=[
            # Managed points end before the review too, but they are a level: not counted.
            pt.ManagedService(pt.ClientId("c-in"), dt.date(2024, 1, 1), dt.date(2025, 3, 1))
        ],
    )
    status = pt.evaluate(book, program, as_of=dt.date(2025, 1, 2))
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
    sale = pt.Deal(pt.DealId("d-1"), C1, "l", pt.DealKind.NEW, motion, dt.date(2023, 3, 1),
                   pt.Money("1000", "USD"))  # fmt: skip
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(C1, "Client", "US", pt.Relationship.SOLD)],
        deals=[sale],
    )
    # On 2024-02-01 the sale still counts; it expires on 2024-03-01, before the review on
    # 2024-07-01: everything it earned is lost by then, and Gold with it.
    status = pt.evaluate(book, program, as_of=dt.date(2024, 2, 1))
    assert (status.tier, status.next_review) == ("gold", dt.date(2024, 7, 1))
    assert status.expiring_before_review == {track: Decimal(threshold)}
    assert status.projected_tier is None
    # A day after the expiry nothing is left to lose, and nothing to project away.
    after = pt.evaluate(book, program, as_of=dt.date(2024, 3, 1))
    assert (after.tier, after.expiring_before_review, after.projected_tier) == (
        "gold", {track: Decimal(0)}, None,
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
        pt.Deal(pt.DealId(name), C1, f"l-{name}", pt.DealKind.NEW, pt.SalesMotion.ASSISTED,
                day, pt.Money("1000", "USD"))
        for name, day in (("a", dt.date(2023, 3, 1)), ("b", dt.date(2024, 1, 15)))
    ]  # fmt: skip
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(C1, "Client", "US", pt.Relationship.SOLD_AND_MANAGED)],
        deals=sales,
        subscriptions=[pt.Subscription(pt.SubscriptionId("s-1"), C1, "l-managed", "pro",
                                       pt.Money("100", "USD"), START, dt.date(2026, 1, 1))],
        managed_services=[pt.ManagedService(C1, START)],
    )  # fmt: skip
    status = pt.evaluate(book, program, as_of=dt.date(2024, 2, 1))
    assert (status.tier, status.next_review) == ("gold", REVIEW)
    assert status.projected_tier == "gold"


def test_a_promotion_at_the_review_is_projected() -> None:
    # Promotion at reviews only: 10 points on 2024-02-01 reach Gold, which the review of
    # 2024-07-01 will grant, so Gold is projected while none is held.
    data = pt.program_to_dict(ladder_program(soft_landing=True))
    data.setdefault("policy", {})["promotion"] = "at_review"
    program = pt.program_from_dict(data)
    book = one_client_book(START, ("d-1", dt.date(2024, 2, 1), 10))
    status = pt.evaluate(book, program, as_of=dt.date(2024, 3, 1))
    assert (status.tier, status.qualified_tier, status.projected_tier) == (None, "gold", "gold")
    assert pt.evaluate(book, program, as_of=REVIEW).tier == "gold"


# --- the review's demotion rule, in the replay and in the projection -------------------------
#
# One track, three tiers (reach / retain): gold 10 / 8, platinum 50 / 40, diamond 100 / 80
# (tests/_programs.ladder_program). Deal A (2023-03-01) expires on 2024-03-01, before the
# review of 2024-07-01; deal B (2024-01-15) outlives it. On 2024-02-01 the partner holds
# the tier of A + B; at the review only B counts.


def _book_of(a_points: int, b_points: int) -> pt.Book:
    # Sourced at 5 points per 100 USD: 20 USD a point.
    deals = [
        pt.Deal(pt.DealId(f"d-{name}"), C1, f"line-{name}", pt.DealKind.NEW,
                pt.SalesMotion.SOURCED, day, pt.Money(points * 20, "USD"))
        for name, day, points in (("a", dt.date(2023, 3, 1), a_points),
                                  ("b", dt.date(2024, 1, 15), b_points))
    ]  # fmt: skip
    return pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(C1, "Client", "US", pt.Relationship.SOLD)],
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
    program = ladder_program(soft_landing=soft)
    book = _book_of(a, b)
    before = pt.evaluate(book, program, as_of=dt.date(2024, 2, 1))
    assert (before.tier, before.next_review) == (held, REVIEW)
    assert before.expiring_before_review == {"total": Decimal(a)}
    assert before.projected_tier == after
    at_review = pt.evaluate(book, program, as_of=REVIEW)
    assert at_review.tier == after
    if after != held:
        [change] = [c for c in at_review.history if c.on == REVIEW]
        assert (change.from_tier, change.to_tier) == (held, after)
        assert change.reason.startswith(
            f"below the {held.title()} retain minimum at the review of {REVIEW} "
            f"(total {b}.00 < {_RETAIN[held]})"
        )
        assert change.reason.endswith("; soft landing: one tier down") == soft
        assert soft or change.reason.endswith(")")  # a hard landing adds nothing
    else:
        assert not [c for c in at_review.history if c.on == REVIEW]


_RETAIN = {"gold": 8, "platinum": 40, "diamond": 80}


def test_a_demotion_from_the_fourth_tier_lands_on_the_third() -> None:
    # The ladder with Elite (200 / 160) on top: held Elite on 240 points, 90 at the
    # review meets Diamond's retain (80): the partner holds Diamond, no gate capping it.
    data = pt.program_to_dict(ladder_program(soft_landing=True))
    data["tiers"].append(
        {"id": "elite", "name": "Elite", "reach": {"total": "200"}, "retain": {"total": "160"}}
    )
    program = pt.program_from_dict(data)
    book = _book_of(150, 90)
    assert pt.evaluate(book, program, as_of=dt.date(2024, 2, 1)).tier == "elite"
    status = pt.evaluate(book, program, as_of=REVIEW)
    assert (status.tier, status.qualified_tier) == ("diamond", "platinum")
    assert [(c.from_tier, c.to_tier) for c in status.history if c.on == REVIEW] == [
        ("elite", "diamond")
    ]


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
    service = pt.ManagedService(C1, dt.date(2023, 2, 1), dt.date(2024, 6, 1))
    subscription = pt.Subscription(pt.SubscriptionId("s-1"), C1, "l", "pro",
                                   pt.Money("100", "USD"), dt.date(2023, 1, 1),
                                   dt.date(2025, 1, 1))  # fmt: skip
    book = attrs.evolve(
        _book_of(1, 30),
        clients=[pt.Client(C1, "Client", "US", pt.Relationship.SOLD_AND_MANAGED)],
        subscriptions=[subscription],
        managed_services=[service],
    )
    before = pt.evaluate(book, program, as_of=dt.date(2024, 6, 30))
    assert (before.tier, before.values["managed"]) == ("gold", Decimal(0))
    assert before.projected_tier is None
    status = pt.evaluate(book, program, as_of=REVIEW)
    assert status.tier is None
    assert [(c.from_tier, c.to_tier) for c in status.history if c.on == REVIEW] == [("gold", None)]


def test_a_partner_who_joins_on_a_review_day_is_reviewed_that_day() -> None:
    data = pt.program_to_dict(ladder_program(soft_landing=True))
    data.setdefault("policy", {})["promotion"] = "at_review"
    program = pt.program_from_dict(data)
    day = dt.date(2024, 7, 1)  # a review date
    status = pt.evaluate(one_client_book(day, ("d-1", day, 10)), program, as_of=day)
    assert status.tier == "gold"
    assert [(c.on, c.from_tier, c.to_tier, c.reason) for c in status.history] == [
        (day, None, "gold", "reached Gold at the review")
    ]


def test_points_earned_before_joining_promote_on_the_first_day() -> None:
    # A sale of 2024-02-29 (20 points) in the book of a partner who joins on 2024-03-01:
    # Gold from the day it joins, as the day-by-day oracle has it, not from the next day
    # something else changes (nothing does until the sale expires).
    joined = dt.date(2024, 3, 1)
    book = one_client_book(joined, ("d-1", dt.date(2024, 2, 29), 20))
    status = pt.evaluate(book, ladder_program(soft_landing=True), as_of=dt.date(2024, 4, 1))
    assert status.tier == "gold"
    assert [(c.on, c.from_tier, c.to_tier) for c in status.history] == [(joined, None, "gold")]
    before = pt.evaluate(book, ladder_program(soft_landing=True), as_of=dt.date(2024, 2, 29))
    assert (before.tier, before.qualified_tier, before.history) == (None, "gold", ())
    assert before.next_tier == "gold"  # untiered: the first tier is next
    program = ladder_program(soft_landing=True)
    # On the day it joins, and on a day before the first review, in one replay.
    statuses = pt.statuses(book, program, [joined, dt.date(2024, 3, 15), dt.date(2024, 8, 1)])
    assert [status.tier for status in statuses] == ["gold", "gold", "gold"]
    assert pt.evaluate(book, program, as_of=joined).tier == "gold"  # the replay ends on it


def test_each_promotion_says_from_which_tier() -> None:
    program = ladder_program(soft_landing=True)
    book = one_client_book(
        START, ("d-1", dt.date(2024, 2, 1), 10), ("d-2", dt.date(2024, 3, 1), 40)
    )
    status = pt.evaluate(book, program, as_of=dt.date(2024, 3, 1))
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
        one_client_book(START, ("d-1", dt.date(2023, 3, 1), 20)),
        deals=(
            *one_client_book(START, ("d-1", dt.date(2023, 3, 1), 20)).deals,
            pt.Deal(pt.DealId("d-2"), C1, "line-2", pt.DealKind.NEW, pt.SalesMotion.ASSISTED,
                    dt.date(2024, 1, 15), pt.Money("300", "USD")),
        ),
    )  # fmt: skip
    status = pt.evaluate(book, program, as_of=REVIEW)
    [change] = [c for c in status.history if c.on == REVIEW]
    assert change.reason == (
        f"below the Gold retain minimum at the review of {REVIEW} (sourced 0.00 < 8)"
        "; soft landing: one tier down"
    )


def test_a_provider_who_reaches_a_tier_is_a_partner_again_even_after_losing_it() -> None:
    data = pt.program_to_dict(ladder_program(soft_landing=True))
    data.setdefault("policy", {})["first_tier_deadline_months"] = 3
    program = pt.program_from_dict(data)
    # Joined 2023-01-01: no tier by the review of 2023-07-01, so Provider. Gold from
    # 2023-09-01 (10 points, expiring 2024-09-01); lost at the review of 2025-01-01.
    book = one_client_book(START, ("d-1", dt.date(2023, 9, 1), 10))
    assert pt.evaluate(book, program, as_of=dt.date(2023, 8, 1)).level == "provider"
    assert pt.evaluate(book, program, as_of=dt.date(2023, 9, 1)).level == "partner"
    later = pt.evaluate(book, program, as_of=dt.date(2025, 1, 1))
    assert (later.tier, later.level) == (None, "partner")


def test_a_demotion_with_notice_is_pending_from_the_tier_held() -> None:
    data = pt.program_to_dict(ladder_program(soft_landing=True))
    data.setdefault("policy", {})["notice_days"] = 30
    program = pt.program_from_dict(data)
    book = _book_of(55, 45)  # diamond on 2024-02-01; 45 at the review of 2024-07-01
    status = pt.evaluate(book, program, as_of=dt.date(2024, 7, 15))
    assert status.tier == "diamond"
    pending = status.pending_demotion
    assert pending is not None
    assert (pending.on, pending.from_tier, pending.to_tier) == (
        dt.date(2024, 7, 31), "diamond", "platinum",
    )  # fmt: skip
    assert pending.reason.endswith(f"; notice given on {REVIEW}")
    assert pt.evaluate(book, program, as_of=dt.date(2024, 7, 31)).tier == "platinum"


def test_a_landed_demotion_says_from_which_tier() -> None:
    data = pt.program_to_dict(ladder_program(soft_landing=True))
    data.setdefault("policy", {})["notice_days"] = 30
    program = pt.program_from_dict(data)
    status = pt.evaluate(_book_of(55, 45), program, as_of=dt.date(2024, 7, 31))
    assert [(c.on, c.from_tier, c.to_tier) for c in status.history][-1] == (
        dt.date(2024, 7, 31), "diamond", "platinum",
    )  # fmt: skip
