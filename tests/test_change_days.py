"""The replay visits the days each rule says it can change on, and every day for a rule
that does not say (the change-days protocol of `Registry.with_gate`/`with_track`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import pytest

import partner_tiers as pt
from partner_tiers._engine.replay import change_days

D = dt.date
OPENS = D(2024, 7, 20)


def _opens(context: pt.Context, params: Mapping[str, Any]) -> pt.GateOutcome:
    return pt.GateOutcome(context.as_of >= OPENS, f"opens on {OPENS}")


def _opening_day(
    book: pt.Book, ledger: pt.PointsLedger, params: Mapping[str, Any], start: D, end: D
) -> Iterable[D]:
    return [OPENS] if start < OPENS <= end else []


def _platinum_book() -> pt.Book:
    """Points reach Platinum under hubspot-2025 from 2024-03-01: 4000 USD sourced (200
    points) and 3000 USD managed (30 points), a valid certification all along."""
    partner = pt.Partner(pt.PartnerId("p-1"), "Partner", "US", D(2024, 1, 1))
    sold, managed = pt.ClientId("c-sold"), pt.ClientId("c-managed")
    deal = pt.Deal(
        pt.DealId("d-1"),
        sold,
        "sales-hub",
        pt.DealKind.NEW,
        pt.SalesMotion.SOURCED,
        D(2024, 3, 1),
        pt.Money("4000", "USD"),
    )
    subscription = pt.Subscription(
        pt.SubscriptionId("s-1"),
        managed,
        "service-hub",
        "professional",
        pt.Money("3000", "USD"),
        D(2024, 1, 1),
        D(2025, 1, 1),
    )
    return pt.Book(
        partner,
        clients=[
            pt.Client(sold, "Sold client", "US", pt.Relationship.SOLD),
            pt.Client(managed, "Managed client", "US", pt.Relationship.MANAGED),
        ],
        deals=[deal],
        subscriptions=[subscription],
        managed_services=[pt.ManagedService(managed, D(2024, 1, 1))],
        certifications=[
            pt.Certification(pt.CertificationId("c"), "C", D(2024, 1, 1), D(2026, 12, 31))
        ],
    )


def _gated_program(registry: pt.Registry) -> pt.Program:
    data = pt.program_to_dict(pt.load_program("hubspot-2025"))
    data["gates"] = [{"id": "opening", "kind": "opens", "tiers": ["platinum"]}]
    return pt.program_from_dict(data, registry=registry)


@pytest.mark.parametrize(
    "registry",
    [
        pt.Registry().with_gate("opens", _opens),
        pt.Registry().with_gate("opens", _opens, changes=_opening_day),
    ],
    ids=["no change days", "with change days"],
)
def test_a_custom_gate_promotes_on_the_day_it_opens(registry: pt.Registry) -> None:
    # From a bug report: the promotion was found on 2024-07-31, the first day the
    # replay visited after the gate opened (the review of 07-01 plus 30 days' notice).
    book, program = _platinum_book(), _gated_program(registry)
    before = pt.evaluate(book, program, as_of=D(2024, 7, 19))
    assert (before.qualified_tier, before.tier) == ("gold", "gold")
    for day in (OPENS, OPENS + dt.timedelta(days=1)):
        status = pt.evaluate(book, program, as_of=day)
        assert status.qualified_tier == status.tier == "platinum"
    [promotion] = [c for c in status.history if c.to_tier == "platinum"]
    assert (promotion.on, promotion.from_tier, promotion.reason) == (
        OPENS,
        "gold",
        "reached Platinum on qualifying",
    )
    days = [OPENS, D(2024, 7, 31)]
    assert [s.tier for s in pt.statuses(book, program, days)] == ["platinum", "platinum"]


def test_a_custom_track_without_change_days_is_read_on_every_day() -> None:
    # A track that jumps on a day the ledger and the policy know nothing of.
    def bonus(context: pt.Context, params: Mapping[str, Any]) -> Decimal:
        return Decimal(100) if context.as_of >= OPENS else Decimal(0)

    data = pt.program_to_dict(pt.load_program("hubspot-2025"))
    data["gates"] = []
    data["tracks"].append({"id": "bonus", "kind": "bonus"})
    data["tiers"][1]["reach"]["bonus"] = 50
    program = pt.program_from_dict(data, registry=pt.Registry().with_track("bonus", bonus))
    status = pt.evaluate(_platinum_book(), program, as_of=OPENS)
    assert status.tier == "platinum"
    assert status.history[-1].on == OPENS


def test_builtin_rules_visit_only_their_change_days() -> None:
    book, program = _platinum_book(), pt.load_program("hubspot-2025")
    ledger = pt.build_ledger(book, program)
    days = change_days(book, program, ledger, D(2023, 12, 31), D(2024, 12, 31))
    assert len(days) < 20
    assert {D(2024, 1, 1), D(2024, 3, 1), D(2024, 7, 1), D(2024, 7, 31)} <= set(days)


def test_a_rule_without_change_days_makes_every_day_a_change_day() -> None:
    book = _platinum_book()
    program = _gated_program(pt.Registry().with_gate("opens", _opens))
    ledger = pt.build_ledger(book, program)
    days = change_days(book, program, ledger, D(2023, 12, 31), D(2024, 12, 31))
    assert days == [D(2024, 1, 1) + dt.timedelta(days=n) for n in range(366)]


def test_a_fact_gate_does_not_add_the_days_a_sale_leaves_a_window() -> None:
    # Only median_tool_usage reads window_months; the 12-month mark of the sale of
    # 2024-03-01 is no change day for a program whose only gate is a fact gate.
    data = pt.program_to_dict(pt.load_program("hubspot-2025"))
    data["gates"] = [
        {"id": "invited", "kind": "fact_true", "params": {"fact": "invited"}, "tiers": ["elite"]}
    ]
    program = pt.program_from_dict(data)
    book = _platinum_book()
    ledger = pt.build_ledger(book, program)
    days = change_days(book, program, ledger, D(2023, 12, 31), D(2026, 12, 31))
    assert D(2025, 3, 2) not in days
    assert D(2025, 3, 1) in days  # the sale's batch expires


def test_a_rules_change_days_are_asked_with_the_book_ledger_params_and_range() -> None:
    seen: list[tuple[Any, ...]] = []

    def opening_day(
        book: pt.Book, ledger: pt.PointsLedger, params: Mapping[str, Any], start: D, end: D
    ) -> Iterable[D]:
        seen.append((book, ledger, dict(params), start, end))
        return _opening_day(book, ledger, params, start, end)

    registry = pt.Registry().with_gate("opens", _opens, changes=opening_day)
    book, program = _platinum_book(), _gated_program(registry)
    pt.evaluate(book, program, as_of=OPENS)
    assert seen == [(book, pt.build_ledger(book, program), {}, D(2023, 12, 31), OPENS)]
