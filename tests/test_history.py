"""History that records what happened: every change of the tier held is one `TierChange`
with its cause (promotion, review demotion, a gate failing or recovering, a version
switch, the first-tier deadline), its day and its version; the explanation states it."""

from __future__ import annotations

import datetime as dt
import itertools

import attrs

import partner_tiers as pt
from _books import sold_and_managed, with_upsell

PROGRAM = pt.load_program("hubspot-2024")
JOINED = dt.date(2024, 3, 1)
LAPSE = dt.date(2025, 4, 1)  # the first day without a valid certification
RENEWED = dt.date(2025, 5, 10)


def gold_partner(*certifications: pt.Certification) -> pt.Book:
    """Gold from 2024-12-01 under hubspot-2024: 15 sourced points (300 USD at 5, sold
    2024-12-01) and 36 managed (3,600 USD MRR), with the certifications given."""
    return sold_and_managed(JOINED, dt.date(2024, 12, 1), list(certifications))


FIRST = pt.Certification(pt.CertificationId("cert-1"), "C", JOINED, LAPSE - dt.timedelta(days=1))
SECOND = pt.Certification(pt.CertificationId("cert-2"), "C", RENEWED, dt.date(2027, 1, 1))


def test_a_certification_lapse_is_in_history_on_its_day_with_the_gate_named() -> None:
    book = gold_partner(FIRST)
    day_before, lapsed = pt.statuses(book, PROGRAM, [LAPSE - dt.timedelta(days=1), LAPSE])
    assert day_before.tier == "gold"
    assert lapsed.tier is None
    change = lapsed.history[-1]
    assert (change.on, change.from_tier, change.to_tier, change.cause, change.version) == (
        LAPSE,
        "gold",
        None,
        pt.ChangeCause.GATE_FAILED,
        "hubspot-2024@2024-02-27",
    )
    assert change.reason == (
        "gate certified failed on 2025-04-01: certification cert-1 lapsed: valid until "
        "2025-03-31, and no certification is valid on 2025-04-01"
    )


def test_a_lapse_the_day_after_a_sale_on_the_last_valid_day_is_still_recorded() -> None:
    # A small upsell on 2025-03-31, the certification's last valid day, changes no tier;
    # the lapse of the next day must still be seen, though no sale happens on it.
    book = with_upsell(gold_partner(FIRST), LAPSE - dt.timedelta(days=1), "20")
    status = pt.evaluate(book, PROGRAM, as_of=LAPSE)
    assert status.tier is None
    assert [(c.on, c.cause) for c in status.history][-1] == (LAPSE, pt.ChangeCause.GATE_FAILED)


def test_the_explanation_states_the_lapse_not_a_review_demotion() -> None:
    # Months after the lapse, past the 2025-07-01 review: the cause is still the gate.
    status = pt.evaluate(gold_partner(FIRST), PROGRAM, as_of=dt.date(2025, 9, 30))
    held = [str(reason) for reason in status.explain().about("held")]
    assert held == [
        "tier held: untiered (since 2025-04-01: gate certified failed on 2025-04-01: "
        "certification cert-1 lapsed: valid until 2025-03-31, and no certification is "
        "valid on 2025-04-01)"
    ]
    assert not any("retain minimum" in change.reason for change in status.history)


def test_a_renewed_certification_gives_the_tier_back_on_its_first_day() -> None:
    status = pt.evaluate(gold_partner(FIRST, SECOND), PROGRAM, as_of=dt.date(2025, 6, 1))
    assert status.tier == "gold"
    assert [(c.on, c.from_tier, c.to_tier, c.cause) for c in status.history] == [
        (dt.date(2024, 12, 1), None, "gold", pt.ChangeCause.PROMOTION),
        (LAPSE, "gold", None, pt.ChangeCause.GATE_FAILED),
        (RENEWED, None, "gold", pt.ChangeCause.GATE_RECOVERED),
    ]
    assert status.history[-1].reason == "every gate of the held tier passes again on 2025-05-10"


def test_every_change_is_one_record_whose_tiers_follow_on() -> None:
    status = pt.evaluate(gold_partner(FIRST, SECOND), PROGRAM, as_of=dt.date(2026, 6, 1))
    changes = [change for change in status.history if change.from_tier != change.to_tier]
    for before, after in itertools.pairwise(changes):
        assert after.from_tier == before.to_tier
    assert all(change.cause is not None for change in status.history)


def test_the_first_tier_deadline_is_its_own_cause() -> None:
    nothing = attrs.evolve(gold_partner(FIRST), deals=(), managed_services=())
    program = attrs.evolve(
        PROGRAM, policy=attrs.evolve(PROGRAM.policy, first_tier_deadline_months=12)
    )
    status = pt.evaluate(nothing, program, as_of=dt.date(2025, 9, 30))
    assert status.level == "provider"
    assert [(c.on, c.cause, c.version) for c in status.history] == [
        (dt.date(2025, 7, 1), pt.ChangeCause.FIRST_TIER_DEADLINE, program.label)
    ]


def test_the_json_contract_carries_the_history_with_causes() -> None:
    data = pt.evaluate(gold_partner(FIRST), PROGRAM, as_of=dt.date(2025, 9, 30)).to_dict()
    assert data["history"][-1] == {
        "on": "2025-04-01",
        "from_tier": "gold",
        "to_tier": None,
        "cause": "gate_failed",
        "version": "hubspot-2024@2024-02-27",
        "reason": (
            "gate certified failed on 2025-04-01: certification cert-1 lapsed: valid until "
            "2025-03-31, and no certification is valid on 2025-04-01"
        ),
    }
    assert data["pending_demotion"] is None


def test_a_change_made_by_hand_has_no_cause_in_its_json() -> None:
    change = pt.TierChange(dt.date(2025, 1, 1), None, "gold", "set by hand")
    assert change.to_dict() == {
        "on": "2025-01-01",
        "from_tier": None,
        "to_tier": "gold",
        "cause": None,
        "version": None,
        "reason": "set by hand",
    }


def test_the_json_contract_names_the_day_the_book_was_known() -> None:
    book = gold_partner(FIRST)
    as_of = dt.date(2025, 9, 30)
    known = pt.evaluate(book, PROGRAM, as_of=as_of, known_at=dt.date(2025, 6, 30)).to_dict()
    assert known["known_at"] == "2025-06-30"
    assert pt.evaluate(book, PROGRAM, as_of=as_of).to_dict()["known_at"] is None


def test_statuses_judge_the_book_as_known_on_the_day_given() -> None:
    book = gold_partner(FIRST)
    days = [dt.date(2025, 9, 30)]
    known = dt.date(2025, 6, 30)
    (status,) = pt.statuses(book, PROGRAM, days, known_at=known)
    assert status == pt.evaluate(book, PROGRAM, as_of=days[0], known_at=known)
    assert status.to_dict()["known_at"] == "2025-06-30"


def test_statuses_leave_out_what_was_recorded_after_the_known_day() -> None:
    recorded = dt.date(2025, 3, 10)
    demo = pt.demo_book()
    late = attrs.evolve(
        demo,
        deals=tuple(
            attrs.evolve(deal, recorded_on=recorded) if deal.id == "d-5" else deal
            for deal in demo.deals
        ),
    )
    series = pt.load_program("hubspot")
    day = [dt.date(2025, 2, 28)]
    (before,) = pt.statuses(late, series, day, known_at=recorded - dt.timedelta(days=1))
    (after,) = pt.statuses(late, series, day, known_at=recorded)
    assert before.points["total"] < after.points["total"]
    assert after.points == pt.evaluate(late, series, as_of=day[0]).points
