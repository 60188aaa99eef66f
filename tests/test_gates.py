"""The gates: hubspot-2025's fact gates against their published rules, the built-in gate
rules called as a custom rule would be, what custom rules see, and how a failing gate caps
the tier. The worked examples use the Northwind book (src/partner_tiers/data/northwind.json)
or the small books of tests/_books.py under tests/_programs.PROGRAM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest

import partner_tiers as pt
from _books import START, one_client_book, two_clients_book, with_upsell
from _programs import PROGRAM, ladder_program

# --- the fact gates, checked directly --------------------------------------------------------


def oracle_fact_gates(facts: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """hubspot-2025's Elite gates straight from their published rules: invited; retention
    of at least 85%; at least 100 certifications across the team."""

    def at_least(name: str, minimum: Decimal) -> tuple[bool, str]:
        if name not in facts:
            return False, f"the book states no {name}"
        raw = facts[name]
        if isinstance(raw, bool):
            raw = int(raw)
        if not isinstance(raw, (int, Decimal, str)):
            return False, f"{name} is {facts[name]!r}, not a number"
        try:
            value = Decimal(raw)
        except ArithmeticError:
            return False, f"{name} is {facts[name]!r}, not a number"
        verdict = ">=" if value >= minimum else "<"
        return value >= minimum, f"{name} {value} {verdict} {minimum}"

    invited = facts.get("invited")
    return [
        (
            "invited",
            invited is True,
            "invited is true"
            if invited is True
            else f"invited is {'not stated' if invited is None else repr(invited)}",
        ),
        ("retention", *at_least("retention", Decimal("0.85"))),
        ("team-certifications", *at_least("team_certifications", Decimal(100))),
    ]


FACTS = [
    pytest.param(
        {"retention": Decimal("0.85"), "invited": True, "team_certifications": 100},
        id="at-minimums",
    ),
    pytest.param(
        {"retention": Decimal("0.8499"), "invited": "yes", "team_certifications": 99},
        id="just-below",
    ),
    pytest.param({"retention": "high", "team_certifications": True}, id="not-numbers"),
    pytest.param(
        {"retention": "0.9", "invited": False, "team_certifications": [1]}, id="text-and-list"
    ),
    pytest.param({}, id="none-stated"),
]


@pytest.mark.parametrize("facts", FACTS)
def test_the_fact_gates_agree_with_their_published_rules(
    facts: dict[str, Any], northwind: pt.Book, hubspot_2025: pt.Program
) -> None:
    book = attrs.evolve(northwind, facts=facts)
    status = pt.evaluate(book, hubspot_2025, as_of=dt.date(2025, 9, 30))
    gates = [(gate.name, gate.passed, gate.reason) for gate in status.gates[1:]]
    assert gates == oracle_fact_gates(facts)
    for gate in status.gates[1:]:
        assert gate.tiers == ("elite",)
        assert gate.caps_at == (None if gate.passed else "diamond")


def test_the_fact_gates_pass_exactly_at_their_minimums() -> None:
    at_minimums = {"retention": Decimal("0.85"), "invited": True, "team_certifications": 100}
    below = {"retention": Decimal("0.8499"), "invited": 1, "team_certifications": 99}
    assert [passed for _, passed, _ in oracle_fact_gates(at_minimums)] == [True] * 3
    assert [passed for _, passed, _ in oracle_fact_gates(below)] == [False] * 3


# --- the built-in gate rules, called as a custom rule would be --------------------------------


@pytest.fixture
def context_on(hubspot_2025: pt.Program) -> Callable[[pt.Book, dt.date], pt.Context]:
    """What a gate rule is given for a book under hubspot-2025 on a day."""

    def context(book: pt.Book, day: dt.date) -> pt.Context:
        ledger = pt.build_ledger(book, hubspot_2025)
        return pt.Context(book, ledger, hubspot_2025, day, ledger.totals(day))

    return context


def _rule(kind: str) -> pt.GateRule:
    rule = pt.Registry().gate(kind)
    assert rule is not None
    return rule


@pytest.mark.parametrize(
    ("kind", "params", "facts", "expected"),
    [
        ("fact_true", {"fact": "invited"}, {}, pt.GateOutcome(False, "invited is not stated")),
        ("fact_true", {"fact": "invited"}, {"invited": 1}, pt.GateOutcome(False, "invited is 1")),
        (
            "fact_true",
            {"fact": "invited"},
            {"invited": True},
            pt.GateOutcome(True, "invited is true"),
        ),
        (
            "fact_at_least",
            {"fact": "retention", "minimum": Decimal("0.85")},
            {},
            pt.GateOutcome(False, "the book states no retention"),
        ),
        (
            "fact_at_least",
            {"fact": "retention", "minimum": Decimal("0.85")},
            {"retention": "n/a"},
            pt.GateOutcome(False, "retention is 'n/a', not a number"),
        ),
        (
            "fact_at_least",
            {"fact": "seats", "minimum": 1},
            {"seats": True},
            pt.GateOutcome(True, "seats 1 >= 1"),
        ),
    ],
)
def test_a_built_in_gate_rule_decides_with_a_reason(
    kind: str,
    params: dict[str, Any],
    facts: dict[str, Any],
    expected: pt.GateOutcome,
    northwind: pt.Book,
    context_on: Callable[[pt.Book, dt.date], pt.Context],
) -> None:
    context = context_on(attrs.evolve(northwind, facts=facts), dt.date(2025, 9, 30))
    assert _rule(kind)(context, params) == expected


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("fact_true", {}, "gates.fact_true.params.fact: is required but missing"),
        (
            "fact_at_least",
            {"minimum": 1},
            "gates.fact_at_least.params.fact: is required but missing",
        ),
        (
            "fact_at_least",
            {"fact": "x"},
            "gates.fact_at_least.params.minimum: is required but missing",
        ),
        (
            "median_tool_usage",
            {},
            "gates.median_tool_usage.params.minimum: is required but missing",
        ),
    ],
)
def test_a_built_in_gate_rule_without_its_parameters_says_which(
    kind: str,
    params: dict[str, Any],
    message: str,
    northwind: pt.Book,
    context_on: Callable[[pt.Book, dt.date], pt.Context],
) -> None:
    with pytest.raises(pt.ProgramError) as info:
        _rule(kind)(context_on(northwind, dt.date(2025, 9, 30)), params)
    assert str(info.value) == message


def test_the_certification_gate_names_the_certification_that_decides(
    northwind: pt.Book, context_on: Callable[[pt.Book, dt.date], pt.Context]
) -> None:
    rule = _rule("certification")
    day = dt.date(2025, 4, 25)  # cert-1 until 2025-05-01, cert-2 from 2025-04-20
    assert rule(context_on(northwind, day), {}) == pt.GateOutcome(
        True, "certification cert-2 is valid from 2025-04-20 until 2027-04-19"
    )
    assert rule(context_on(northwind, dt.date(2023, 1, 1)), {}) == pt.GateOutcome(
        False, "certification cert-1 is valid only from 2023-05-02"
    )
    assert rule(context_on(northwind, dt.date(2027, 4, 20)), {}) == pt.GateOutcome(
        False,
        "certification cert-2 lapsed: valid until 2027-04-19, and no certification is valid "
        "on 2027-04-20",
    )
    assert rule(context_on(northwind, dt.date(2027, 4, 19)), {}).passed is True
    assert rule(context_on(northwind, dt.date(2023, 5, 2)), {}).passed is True
    uncertified = attrs.evolve(northwind, certifications=())
    assert rule(context_on(uncertified, dt.date(2025, 1, 1)), {}) == pt.GateOutcome(
        False, "the book holds no certification"
    )


def test_the_median_tool_usage_gate_at_its_minimum_and_window(
    northwind: pt.Book, context_on: Callable[[pt.Book, dt.date], pt.Context]
) -> None:
    rule = _rule("median_tool_usage")
    day = dt.date(2025, 9, 30)
    context = context_on(northwind, day)
    listing = "c-adatum 8, c-fabrikam 6, c-tailspin 2"
    assert rule(context, {"minimum": 6}) == pt.GateOutcome(
        True, f"median tool usage 6 >= 6 over {listing}"
    )
    assert rule(context, {"minimum": Decimal("6.5")}) == pt.GateOutcome(
        False, f"median tool usage 6 < 6.5 over {listing}"
    )
    # c-tailspin's last sale (d-5) closed on 2025-02-11: inside a 12-month window (the
    # default), outside a 7-month one.
    assert rule(context, {"minimum": 6, "window_months": 12}) == rule(context, {"minimum": 6})
    assert rule(context, {"minimum": 6, "window_months": 7}) == pt.GateOutcome(
        True, "median tool usage 7 >= 6 over c-adatum 8, c-fabrikam 6"
    )
    on_window_end = context_on(northwind, dt.date(2026, 2, 11))
    assert "c-tailspin" not in rule(on_window_end, {"minimum": 1}).reason
    day_before = context_on(northwind, dt.date(2026, 2, 10))
    assert "c-tailspin 2" in rule(day_before, {"minimum": 1}).reason
    nobody = attrs.evolve(northwind, deals=(), managed_services=())
    assert rule(context_on(nobody, day), {"minimum": 1}) == pt.GateOutcome(
        False, "no client counts (none managed, none sold in the window)"
    )


def test_a_client_sold_at_a_month_end_stops_counting_the_day_after_the_clipped_date() -> None:
    # Sold on 2024-03-31 with a one-month window: 2024-03-31 + 1 month is clipped to
    # 2024-04-30, on which the client still counts (sold in (2024-03-30, 2024-04-30]);
    # it stops counting on 2024-05-01, the day after. With it gone, the median tool usage
    # rises to 8 and the promotion the points allowed all along happens that very day.
    data = pt.program_to_dict(PROGRAM)
    data["gates"] = [{"id": "tools", "kind": "median_tool_usage",
                      "params": {"minimum": 5, "window_months": 1}}]  # fmt: skip
    program = pt.program_from_dict(data)
    managed, sold = pt.ClientId("c-managed"), pt.ClientId("c-sold")
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[
            pt.Client(managed, "Managed", "US", pt.Relationship.MANAGED,
                      tools_used=tuple(f"tool-{n}" for n in range(8))),
            pt.Client(sold, "Sold", "US", pt.Relationship.SOLD, tools_used=("tool-0",)),
        ],
        subscriptions=[pt.Subscription(pt.SubscriptionId("s-1"), managed, "l", "pro",
                                       pt.Money("100", "USD"), START, dt.date(2026, 1, 1))],
        managed_services=[pt.ManagedService(managed, START)],
        deals=[pt.Deal(pt.DealId("d-1"), sold, "l", pt.DealKind.NEW, pt.SalesMotion.SOURCED,
                       dt.date(2024, 3, 31), pt.Money("1000", "USD"))],
    )  # fmt: skip
    on_the_clipped_day = pt.evaluate(book, program, as_of=dt.date(2024, 4, 30))
    assert (on_the_clipped_day.tier, on_the_clipped_day.gates[0].passed) == (None, False)
    the_day_after = pt.evaluate(book, program, as_of=dt.date(2024, 5, 1))
    assert (the_day_after.tier, the_day_after.gates[0].passed) == ("gold", True)
    assert [(c.on, c.to_tier) for c in the_day_after.history] == [(dt.date(2024, 5, 1), "gold")]


# --- a failing gate caps the tier; a gate kind must be known ---------------------------------


def test_a_gate_guarding_the_second_tier_caps_at_the_first() -> None:
    data = pt.program_to_dict(PROGRAM)
    data["gates"].append(
        {"id": "tools", "kind": "median_tool_usage", "tiers": ["platinum", "diamond"],
         "params": {"minimum": 9}}
    )  # fmt: skip
    program = pt.program_from_dict(data)
    status = pt.evaluate(two_clients_book("1050"), program, as_of=dt.date(2024, 6, 1))
    tools = next(gate for gate in status.gates if gate.name == "tools")
    assert (tools.passed, tools.caps_at, tools.tiers) == (False, "gold", ("platinum", "diamond"))
    # Points reach Platinum; the gate lets the partner be promoted to Gold only.
    assert (status.qualified_tier, status.tier) == ("gold", "gold")
    assert [(c.to_tier, c.reason) for c in status.history] == [
        ("gold", "reached Gold on qualifying")
    ]
    [line] = [r.text for r in status.explain().about("gate") if r.subject == "tools"]
    assert line == (
        "gate tools (platinum, diamond) failed: median tool usage 0 < 9 over c-in 0, c-us 0; "
        "caps the tier at gold"
    )


def test_a_gate_of_the_held_tier_is_asked_after_one_guarding_only_higher_tiers() -> None:
    # "top" guards Diamond only and comes first; "pause" guards every tier and fails in
    # May 2024. The held Gold is capped while it fails, comes back, and a later sale's
    # Platinum lands. The failing gate's reason is built from the ledger and program its
    # rule is given.
    def top(context: pt.Context, params: Any) -> pt.GateOutcome:
        return pt.GateOutcome(False, "never")

    def pause(context: pt.Context, params: Any) -> pt.GateOutcome:
        paused = dt.date(2024, 5, 1) <= context.as_of < dt.date(2024, 6, 1)
        total, batches = context.totals.total, len(context.ledger)
        return pt.GateOutcome(not paused, f"{context.program.label}: {total} of {batches}")

    data = pt.program_to_dict(PROGRAM)
    data["gates"][:0] = [{"id": "top", "kind": "top", "tiers": ["diamond"]}]
    data["gates"].append({"id": "pause", "kind": "pause"})
    registry = pt.Registry().with_gate("top", top).with_gate("pause", pause)
    program = pt.program_from_dict(data, registry=registry)
    book = with_upsell(two_clients_book("100"), dt.date(2024, 9, 2), "1000")
    status = pt.evaluate(book, program, as_of=dt.date(2024, 10, 1))
    assert status.tier == "platinum"
    assert [(c.on, c.from_tier, c.to_tier, c.cause, c.reason) for c in status.history] == [
        (dt.date(2024, 3, 1), None, "gold", pt.ChangeCause.PROMOTION,
         "reached Gold on qualifying"),
        (dt.date(2024, 5, 1), "gold", None, pt.ChangeCause.GATE_FAILED,
         "gate pause failed on 2024-05-01: stateful@1: 15.00 of 3"),
        (dt.date(2024, 6, 1), None, "gold", pt.ChangeCause.GATE_RECOVERED,
         "every gate of the held tier passes again on 2024-06-01"),
        (dt.date(2024, 9, 2), "gold", "platinum", pt.ChangeCause.PROMOTION,
         "reached Platinum on qualifying"),
    ]  # fmt: skip


def _closed(gate: str, since: dt.date, until: dt.date) -> pt.GateRule:
    def rule(context: pt.Context, params: Any) -> pt.GateOutcome:
        return pt.GateOutcome(not since <= context.as_of < until, f"{gate} closed")

    return rule


def test_gates_failing_together_and_one_recovering_are_each_in_the_history() -> None:
    # "a" guards every tier and fails in May; "b" guards Platinum and fails in May and
    # June. Platinum is capped to nothing, then to Gold, then free again.
    may, june, july = dt.date(2024, 5, 1), dt.date(2024, 6, 1), dt.date(2024, 7, 1)
    data = pt.program_to_dict(PROGRAM)
    data["gates"] += [
        {"id": "a", "kind": "a"},
        {"id": "b", "kind": "b", "tiers": ["platinum", "diamond"]},
    ]
    registry = pt.Registry().with_gate("a", _closed("a", may, june))
    registry = registry.with_gate("b", _closed("b", may, july))
    program = pt.program_from_dict(data, registry=registry)
    status = pt.evaluate(two_clients_book("1050"), program, as_of=dt.date(2024, 8, 1))
    assert [(c.on, c.from_tier, c.to_tier, c.cause, c.reason) for c in status.history] == [
        (dt.date(2024, 3, 1), None, "platinum", pt.ChangeCause.PROMOTION,
         "reached Platinum on qualifying"),
        (may, "platinum", None, pt.ChangeCause.GATE_FAILED,
         "gate a failed on 2024-05-01: a closed; gate b failed on 2024-05-01: b closed"),
        (june, None, "gold", pt.ChangeCause.GATE_RECOVERED,
         "gate b failed on 2024-06-01: b closed"),
        (july, "gold", "platinum", pt.ChangeCause.GATE_RECOVERED,
         "every gate of the held tier passes again on 2024-07-01"),
    ]  # fmt: skip


def test_a_second_gate_failing_lower_down_caps_the_tier_further() -> None:
    # Elite held (300 points, the ladder with Elite on top); "x" guards Elite and fails
    # from May, "y" guards Platinum and up and fails from June: Diamond, then Gold.
    may, june = dt.date(2024, 5, 1), dt.date(2024, 6, 1)
    data = pt.program_to_dict(ladder_program(soft_landing=True))
    data["tiers"].append(
        {"id": "elite", "name": "Elite", "reach": {"total": "200"}, "retain": {"total": "160"}}
    )
    data["gates"] = [
        {"id": "x", "kind": "x", "tiers": ["elite"]},
        {"id": "y", "kind": "y", "tiers": ["platinum", "diamond", "elite"]},
    ]
    never = dt.date(2099, 1, 1)
    registry = pt.Registry().with_gate("x", _closed("x", may, never))
    registry = registry.with_gate("y", _closed("y", june, never))
    program = pt.program_from_dict(data, registry=registry)
    book = one_client_book(START, ("d-1", dt.date(2024, 3, 1), 300))
    status = pt.evaluate(book, program, as_of=dt.date(2024, 6, 15))
    assert status.tier == "gold"
    assert [(c.on, c.to_tier, c.cause) for c in status.history] == [
        (dt.date(2024, 3, 1), "elite", pt.ChangeCause.PROMOTION),
        (may, "diamond", pt.ChangeCause.GATE_FAILED),
        (june, "gold", pt.ChangeCause.GATE_FAILED),
    ]


def _fact_gated(minimum: str, effective_from: str = "2019-01-01") -> pt.Program:
    """PROGRAM with two fact gates on Platinum: invited, and a retention minimum."""
    data = pt.program_to_dict(PROGRAM)
    data["effective_from"] = effective_from
    data["gates"] += [
        {"id": "invited", "kind": "fact_true", "tiers": ["platinum", "diamond"],
         "params": {"fact": "invited"}},
        {"id": "retention", "kind": "fact_at_least", "tiers": ["platinum", "diamond"],
         "params": {"fact": "retention", "minimum": minimum}},
    ]  # fmt: skip
    return pt.program_from_dict(data)


def test_each_fact_gate_of_a_tier_gives_its_own_verdict() -> None:
    # Invited, but retention 0.5 < 0.85: the points reach Platinum, the partner is Gold.
    book = attrs.evolve(two_clients_book("1050"), facts={"invited": True, "retention": "0.5"})
    status = pt.evaluate(book, _fact_gated("0.85"), as_of=dt.date(2024, 6, 1))
    assert (status.qualified_tier, status.tier) == ("gold", "gold")
    assert [(c.on, c.to_tier) for c in status.history] == [(dt.date(2024, 3, 1), "gold")]


def test_fact_gates_that_passed_pass_again_when_a_promotion_is_retried() -> None:
    # Gold from 2024-03-01; a sale on 05-01 reaches Platinum, whose fact gates pass, but
    # the certification lapsed from 04-15: no tier. It is renewed on 05-15: Platinum.
    book = attrs.evolve(two_clients_book("100"), facts={"invited": True, "retention": "0.9"})
    book = with_upsell(book, dt.date(2024, 5, 1), "1000")
    lapsing = (
        pt.Certification(pt.CertificationId("c-1"), "C", START, dt.date(2024, 4, 14)),
        pt.Certification(pt.CertificationId("c-2"), "C", dt.date(2024, 5, 15), dt.date(2026, 1, 1)),
    )
    book = attrs.evolve(book, certifications=lapsing)
    status = pt.evaluate(book, _fact_gated("0.85"), as_of=dt.date(2024, 6, 1))
    assert status.tier == "platinum"
    assert [(c.on, c.to_tier) for c in status.history] == [
        (dt.date(2024, 3, 1), "gold"),
        (dt.date(2024, 4, 15), None),
        (dt.date(2024, 5, 15), "gold"),  # the held tier back
        (dt.date(2024, 5, 15), "platinum"),  # and the promotion the gates held back
    ]


def test_a_fact_gate_is_asked_again_under_a_newer_version() -> None:
    # The same gate, at the same place, asks for 0.85 until 2024-05-01 and for 0.4 after:
    # retention 0.5 fails it, then passes it, and Platinum lands on the switch.
    book = attrs.evolve(two_clients_book("1050"), facts={"invited": True, "retention": "0.5"})
    older = _fact_gated("0.85")
    newer = attrs.evolve(_fact_gated("0.4", "2024-05-01"), version="2")
    series = pt.ProgramSeries("facts", "Facts", (older, newer))
    status = pt.evaluate(book, series, as_of=dt.date(2024, 6, 1))
    assert status.tier == "platinum"
    assert [(c.on, c.to_tier) for c in status.history][-1] == (dt.date(2024, 5, 1), "platinum")


def test_a_gate_kind_no_registry_knows_is_named() -> None:
    data = pt.program_to_dict(PROGRAM)
    data["gates"].append({"id": "x", "kind": "custom_kind"})
    always = pt.Registry().with_gate("custom_kind", lambda c, p: pt.GateOutcome(True, "ok"))
    program = attrs.evolve(pt.program_from_dict(data, registry=always), registry=pt.Registry())
    with pytest.raises(pt.ProgramError) as info:
        pt.evaluate(two_clients_book("1050"), program, as_of=dt.date(2024, 6, 1))
    assert str(info.value) == (
        "program stateful@1: gates[1].kind: is no built-in or registered gate (got 'custom_kind')"
    )
    # The program is refused before anything is evaluated, points or none.
    nothing = attrs.evolve(two_clients_book("1050"), deals=(), managed_services=())
    with pytest.raises(pt.ProgramError) as again:
        pt.evaluate(nothing, program, as_of=dt.date(2024, 6, 1))
    assert str(again.value) == str(info.value)


# --- what custom rules see --------------------------------------------------------------------


def test_a_custom_track_sees_the_book_ledger_program_date_and_totals(
    northwind: pt.Book, hubspot_2025: pt.Program
) -> None:
    day = dt.date(2025, 9, 30)
    seen: list[pt.Context] = []

    def probe(context: pt.Context, params: Any) -> Decimal:
        seen.append(context)
        return Decimal(len(context.ledger)) + context.totals.sold + context.as_of.day

    data = pt.program_to_dict(hubspot_2025)
    data["tracks"].append({"id": "probe", "kind": "probe"})
    program = pt.program_from_dict(data, registry=pt.Registry().with_track("probe", probe))
    status = pt.evaluate(northwind, program, as_of=day)
    ledger = pt.build_ledger(northwind, program)
    assert status.values["probe"] == len(ledger) + Decimal("36.00") + 30
    # The replay asks on every change day; the status asks on the day itself (and once
    # more with the totals projected to the next review).
    on_the_day = [context for context in seen if context.as_of == day]
    assert on_the_day
    assert {(c.book, c.program, c.ledger) == (northwind, program, ledger) for c in seen} == {True}
    assert on_the_day[0].totals == ledger.totals(day)


def test_a_custom_gate_sees_the_ledger_and_totals_while_the_tier_is_replayed(
    northwind: pt.Book, hubspot_2025: pt.Program
) -> None:
    def enough_points(context: pt.Context, params: Any) -> pt.GateOutcome:
        active = len(context.ledger.active(context.as_of))
        total = context.totals.total
        return pt.GateOutcome(total >= 60, f"{active} batches, {total} points")

    data = pt.program_to_dict(hubspot_2025)
    data["gates"].append({"id": "enough", "kind": "enough_points", "tiers": ["gold"]})
    program = pt.program_from_dict(
        data, registry=pt.Registry().with_gate("enough_points", enough_points)
    )
    status = pt.evaluate(northwind, program, as_of=dt.date(2025, 9, 30))
    enough = next(gate for gate in status.gates if gate.name == "enough")
    assert (enough.passed, enough.reason) == (True, "6 batches, 66.69 points")
    assert status.tier == "gold"
    early = pt.evaluate(northwind, program, as_of=dt.date(2024, 1, 1))
    assert early.qualified_tier is None
    assert next(g for g in early.gates if g.name == "enough").reason.endswith(" points")


def test_custom_rules_see_the_program_and_their_parameters() -> None:
    seen: list[tuple[str, Any]] = []

    def scaled(context: pt.Context, params: Any) -> Decimal:
        seen.append((context.program.label, dict(params)))
        factor: int = params["factor"]
        return context.totals.sourced * factor

    def labelled(context: pt.Context, params: Any) -> pt.GateOutcome:
        return pt.GateOutcome(context.program.name == params["name"], context.program.label)

    data = pt.program_to_dict(PROGRAM)
    data["tracks"].append({"id": "double", "kind": "scaled", "params": {"factor": 2}})
    data["gates"].append({"id": "named", "kind": "labelled", "params": {"name": "stateful"}})
    registry = pt.Registry().with_track("scaled", scaled).with_gate("labelled", labelled)
    program = pt.program_from_dict(data, registry=registry)
    status = pt.evaluate(two_clients_book("1050"), program, as_of=dt.date(2024, 6, 1))
    assert status.values["double"] == Decimal("105.00")
    assert status.expiring_before_review["double"] == 0
    assert seen[-1] == ("stateful@1", {"factor": 2})
    named = next(gate for gate in status.gates if gate.name == "named")
    assert (named.passed, named.reason) == (True, "stateful@1")
    assert status.tier == "platinum"  # the gate passed on every replayed day
