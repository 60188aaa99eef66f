"""The rules layer's protocol for when a rule's answer can change, and the parameter specs
gates declare."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
import pytest

import partner_tiers as pt
from partner_tiers._model.dated import expiry_date

D = dt.date
HUBSPOT_2025 = pt.load_program("hubspot-2025")
START, END = D(2023, 12, 31), D(2026, 6, 30)


def _deal(number: int, client: str, kind: pt.DealKind, day: dt.date, mrr: str) -> pt.Deal:
    return pt.Deal(
        pt.DealId(f"d-{number}"),
        pt.ClientId(client),
        "marketing-hub",
        kind,
        pt.SalesMotion.SOURCED,
        day,
        pt.Money(mrr, "USD"),
    )


def tools(count: int) -> list[str]:
    return [f"tool-{n}" for n in range(count)]


def _book() -> pt.Book:
    partner = pt.Partner(pt.PartnerId("p"), "P", "US", D(2024, 1, 1))
    clients = [
        pt.Client(
            pt.ClientId(f"c-{n}"), f"C{n}", "US", pt.Relationship.SOLD, [f"t{i}" for i in range(n)]
        )
        for n in (2, 5, 9)
    ]
    deals = [
        _deal(1, "c-2", pt.DealKind.NEW, D(2024, 1, 31), "1000"),
        _deal(2, "c-5", pt.DealKind.NEW, D(2024, 3, 15), "1000"),
        _deal(3, "c-5", pt.DealKind.DOWNGRADE, D(2024, 6, 3), "-100"),
    ]
    certifications = [
        pt.Certification(pt.CertificationId("cert-1"), "Cert", D(2024, 2, 1), D(2024, 8, 31)),
        pt.Certification(pt.CertificationId("cert-2"), "Cert", D(2024, 10, 1), D(2025, 9, 30)),
    ]
    services = [pt.ManagedService(pt.ClientId("c-9"), D(2024, 5, 10), D(2025, 2, 1))]
    return pt.Book(
        partner=partner,
        clients=clients,
        deals=deals,
        certifications=certifications,
        managed_services=services,
        facts={"retention": Decimal("0.9"), "invited": True},
    )


BOOK = _book()
LEDGER = pt.build_ledger(BOOK, HUBSPOT_2025)


def _days(kind: str, params: Mapping[str, Any], start: dt.date, end: dt.date) -> list[dt.date]:
    changes = pt.Registry().gate_changes(kind)
    assert changes is not None
    return sorted(changes(BOOK, LEDGER, params, start, end))


def test_expiry_date_is_calendar_months_clipped_to_the_month_end() -> None:
    assert expiry_date(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert expiry_date(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert expiry_date(D(2024, 1, 15), 1) == D(2024, 2, 15)


def test_certification_changes_where_one_starts_and_the_day_after_one_ends() -> None:
    assert _days("certification", {}, START, END) == [
        D(2024, 2, 1),
        D(2024, 9, 1),
        D(2024, 10, 1),
        D(2025, 10, 1),
    ]


def test_change_days_are_only_those_after_start_up_to_end() -> None:
    assert _days("certification", {}, D(2024, 2, 1), D(2024, 10, 1)) == [
        D(2024, 9, 1),
        D(2024, 10, 1),
    ]


def test_median_tool_usage_changes_on_sales_their_window_end_and_managed_service() -> None:
    # Sales on 01-31 and 03-15 (the downgrade earns no count); with a one-month window
    # they stop counting on 02-29 or the day after, and 04-15 or the day after; c-9 is
    # managed from 05-10 until 2025-02-01.
    assert _days("median_tool_usage", {"minimum": 3, "window_months": 1}, START, END) == [
        D(2024, 1, 31),
        D(2024, 2, 29),
        D(2024, 3, 1),
        D(2024, 3, 15),
        D(2024, 4, 15),
        D(2024, 4, 16),
        D(2024, 5, 10),
        D(2025, 2, 1),
    ]


def test_median_tool_usage_window_defaults_to_12_months() -> None:
    days = _days("median_tool_usage", {"minimum": 3}, START, END)
    assert D(2025, 1, 31) in days
    assert D(2025, 3, 15) in days
    assert D(2024, 2, 29) not in days


@pytest.mark.parametrize("kind", ["fact_at_least", "fact_true"])
def test_fact_gates_never_change_within_a_book(kind: str) -> None:
    assert _days(kind, {"fact": "retention", "minimum": 1}, START, END) == []


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("certification", {}),
        ("median_tool_usage", {"minimum": 5, "window_months": 1}),
        ("median_tool_usage", {"minimum": 3}),
    ],
)
def test_a_builtin_gate_answers_differently_only_on_its_change_days(
    kind: str, params: Mapping[str, Any]
) -> None:
    rule = pt.Registry().gate(kind)
    days = set(_days(kind, params, START, END))
    previous = None
    day = START
    while day <= END:
        totals = LEDGER.totals(day)
        # The reason may name the day; the answer the replay uses is pass or fail.
        outcome = rule(pt.Context(BOOK, LEDGER, HUBSPOT_2025, day, totals), params).passed
        if previous is not None and outcome != previous:
            assert day in days, f"{kind} changed on {day}, which it did not declare"
        previous = outcome
        day += dt.timedelta(days=1)


def _never(context: pt.Context, params: Mapping[str, Any]) -> pt.GateOutcome:
    return pt.GateOutcome(False, "never")


def _first_of_months(
    book: pt.Book, ledger: pt.PointsLedger, params: Mapping[str, Any], start: dt.date, end: dt.date
) -> list[dt.date]:
    return [D(year, month, 1) for year in (start.year, end.year) for month in (1, 7)]


def test_a_custom_gate_registered_with_change_days_reports_them() -> None:
    registry = pt.Registry().with_gate("never", _never, changes=_first_of_months)
    changes = registry.gate_changes("never")
    assert changes is _first_of_months
    assert list(changes(BOOK, LEDGER, {}, D(2024, 3, 1), D(2025, 3, 1))) == [
        D(2024, 1, 1),
        D(2024, 7, 1),
        D(2025, 1, 1),
        D(2025, 7, 1),
    ]


def test_a_custom_rule_registered_without_change_days_may_change_any_day() -> None:
    registry = pt.Registry().with_gate("never", _never).with_track("one", lambda c, p: Decimal(1))
    assert registry.gate_changes("never") is None
    assert registry.track_changes("one") is None


def test_a_custom_track_registered_with_change_days_reports_them() -> None:
    registry = pt.Registry().with_track("one", lambda c, p: Decimal(1), changes=_first_of_months)
    assert registry.track_changes("one") is _first_of_months


def test_registering_again_without_change_days_forgets_the_old_ones() -> None:
    registry = pt.Registry().with_gate("never", _never, changes=_first_of_months)
    assert registry.with_gate("never", _never).gate_changes("never") is None


@pytest.mark.parametrize("kind", ["total", "sold", "managed_mrr_usd"])
def test_builtin_tracks_change_only_with_the_ledger(kind: str) -> None:
    changes = pt.Registry().track_changes(kind)
    assert changes is not None
    assert list(changes(BOOK, LEDGER, {}, START, END)) == []


def test_unknown_kinds_have_no_rule_nor_change_days() -> None:
    registry = pt.Registry()
    for ask in (registry.gate, registry.gate_changes, registry.gate_params):
        with pytest.raises(pt.ProgramError, match="'nope' is no built-in or registered gate"):
            ask("nope")
    with pytest.raises(pt.ProgramError, match="'nope' is no built-in or registered track"):
        registry.track_changes("nope")


def test_registry_refuses_change_days_that_are_not_callable() -> None:
    with pytest.raises(pt.ProgramError, match="changes for 'never' is not callable"):
        pt.Registry().with_gate("never", _never, changes=5)  # type: ignore[arg-type]
    with pytest.raises(pt.ProgramError, match="changes for 'one' is not callable"):
        pt.Registry().with_track("one", lambda c, p: Decimal(1), changes="daily")  # type: ignore[arg-type]


def test_registry_refuses_params_that_are_not_gate_params() -> None:
    with pytest.raises(pt.ProgramError, match="must be GateParams"):
        pt.Registry().with_gate("never", _never, params=["minimum"])  # type: ignore[list-item]
    with pytest.raises(pt.ProgramError, match="repeat a name"):
        pt.Registry().with_gate(
            "never", _never, params=[pt.GateParam("a", "int"), pt.GateParam("a", "text")]
        )


# --- parameter specs ----------------------------------------------------------------------


def test_builtin_gates_declare_their_params() -> None:
    window, minimum = pt.Registry().gate_params("median_tool_usage")
    assert window == pt.GateParam("window_months", "int", default=12, minimum=1, maximum=1200)
    assert minimum == pt.GateParam("minimum", "number", required=True)
    assert [p.name for p in pt.Registry().gate_params("fact_at_least")] == ["fact", "minimum"]
    assert pt.Registry().gate_params("certification") == ()


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        (pt.GateParam("n", "int", minimum=1, maximum=9), 10, "must be from 1 to 9"),
        (pt.GateParam("n", "int", minimum=1, maximum=9), True, "must be from 1 to 9"),
        (pt.GateParam("n", "int"), Decimal("1.5"), "must be a whole number"),
        (pt.GateParam("n", "number"), Decimal("NaN"), "must be a number"),
        (pt.GateParam("n", "number"), False, "must be a number"),
        (pt.GateParam("n", "text"), 3, "must be text"),
        (pt.GateParam("n", "number", minimum=0, maximum=1), Decimal(2), "must be from 0 to 1"),
    ],
)
def test_a_value_that_does_not_fit_its_param_is_named(
    param: pt.GateParam, value: object, message: str
) -> None:
    assert param.problem(value) == message


@pytest.mark.parametrize(
    ("param", "value"),
    [
        (pt.GateParam("n", "int", minimum=1, maximum=9), 9),
        (pt.GateParam("n", "number"), Decimal("0.5")),
        (pt.GateParam("n", "number", minimum=0), 0),
        (pt.GateParam("n", "text"), "retention"),
    ],
)
def test_a_value_that_fits_its_param_passes(param: pt.GateParam, value: object) -> None:
    assert param.problem(value) is None


def _with_gate(kind: str, params: Mapping[str, Any], registry: pt.Registry) -> pt.Program:
    gate = pt.GateSpec("extra", kind, params=params)
    return attrs.evolve(HUBSPOT_2025, gates=(*HUBSPOT_2025.gates, gate), registry=registry)


def test_program_checks_hold_a_custom_gate_to_its_declared_params() -> None:
    spec = (pt.GateParam("minimum", "int", required=True, minimum=0, maximum=10),)
    registry = pt.Registry().with_gate("counted", _never, params=spec)
    where = f"gates[{len(HUBSPOT_2025.gates)}].params.minimum"
    assert pt.check_program(_with_gate("counted", {}, registry)) == [
        pt.Problem(where, "is required but missing")
    ]
    assert pt.check_program(_with_gate("counted", {"minimum": 11}, registry)) == [
        pt.Problem(where, "must be from 0 to 10", 11)
    ]
    assert pt.check_program(_with_gate("counted", {"minimum": 3}, registry)) == []


def test_a_custom_gate_without_declared_params_checks_its_own() -> None:
    registry = pt.Registry().with_gate("counted", _never)
    assert pt.check_program(_with_gate("counted", {"minimum": "many"}, registry)) == []


def test_a_fact_that_is_not_text_is_refused() -> None:
    where = f"gates[{len(HUBSPOT_2025.gates)}].params.fact"
    program = _with_gate("fact_true", {"fact": 7}, pt.Registry())
    assert pt.check_program(program) == [pt.Problem(where, "must be text", 7)]


def test_a_minimum_that_is_not_finite_is_refused() -> None:
    where = f"gates[{len(HUBSPOT_2025.gates)}].params.minimum"
    program = _with_gate(
        "fact_at_least", {"fact": "retention", "minimum": Decimal("NaN")}, pt.Registry()
    )
    (problem,) = pt.check_program(program)
    assert (problem.path, problem.message) == (where, "must be a number")


# --- the registry's messages, exactly (mutation testing) --------------------------------


def _message_of(register: Any) -> str:
    with pytest.raises(pt.ProgramError) as caught:
        register()
    return str(caught.value)


def test_registry_messages_name_the_method_the_rule_and_what_is_wrong() -> None:
    registry = pt.Registry()
    one = lambda c, p: Decimal(1)  # noqa: E731
    assert [
        _message_of(lambda: registry.with_gate("never", 5)),  # type: ignore[arg-type]
        _message_of(lambda: registry.with_track("one", "x")),  # type: ignore[arg-type]
        _message_of(lambda: registry.with_gate("never", _never, changes=5)),  # type: ignore[arg-type]
        _message_of(lambda: registry.with_track("one", one, changes=5)),  # type: ignore[arg-type]
        _message_of(lambda: registry.with_track("1one", one)),
        _message_of(lambda: registry.with_track("total", one)),
        _message_of(lambda: registry.with_gate("never", _never, params=["m"])),  # type: ignore[list-item]
    ] == [
        "Registry.with_gate: rule for 'never' is not callable",
        "Registry.with_track: rule for 'one' is not callable",
        "Registry.with_gate: changes for 'never' is not callable",
        "Registry.with_track: changes for 'one' is not callable",
        "Registry: track name '1one' must be an identifier",
        "Registry: track name 'total' is built in and cannot be replaced",
        "Registry.with_gate: params for 'never' must be GateParams",
    ]


@pytest.mark.parametrize("params", [5, "minimum", {pt.GateParam("a", "int")}])
def test_registry_refuses_params_that_are_not_a_sequence_by_name(params: Any) -> None:
    assert _message_of(lambda: pt.Registry().with_gate("never", _never, params=params)) == (
        "Registry.with_gate: params for 'never' must be GateParams"
    )


def test_an_unknown_kind_lists_the_known_ones() -> None:
    assert _message_of(lambda: pt.Registry().gate("nope")) == (
        "Registry: 'nope' is no built-in or registered gate "
        "(known: certification, fact_at_least, fact_true, median_tool_usage)"
    )


def test_a_custom_gate_registered_without_params_declares_none() -> None:
    assert pt.Registry().with_gate("never", _never).gate_params("never") == ()


def test_a_param_with_one_bound_names_that_bound() -> None:
    # Found by mutation testing: a whole number below the minimum was refused with
    # "must be a whole number".
    assert pt.GateParam("n", "int", minimum=1).problem(0) == "must be at least 1"
    assert pt.GateParam("n", "number", maximum=5).problem(6) == "must be at most 5"
    assert pt.GateParam("n", "int", minimum=1).problem("x") == "must be a whole number"
    assert pt.GateParam("n", "int", minimum=1, maximum=5).problem(6) == "must be from 1 to 5"


def test_a_gate_registered_without_params_declares_none() -> None:
    assert pt.Registry(gates={"never": _never}).gate_params("never") == ()


def test_a_day_before_every_dated_row_takes_the_first_row() -> None:
    # Two expiry and two rounding rows, the first from 2020: 2019 is judged by the first.
    shipped = pt.load_program("hubspot-2025")
    expiry = (
        pt.ExpiryRule(months=12, effective_from=dt.date(2020, 1, 1)),
        pt.ExpiryRule(months=24, effective_from=dt.date(2024, 1, 1)),
    )
    rounding = (
        pt.RoundingRule(places=2, effective_from=dt.date(2020, 1, 1)),
        pt.RoundingRule(places=1, effective_from=dt.date(2024, 1, 1)),
    )
    program = attrs.evolve(shipped, expiry=expiry, rounding=rounding)
    assert program.expiry_rule(dt.date(2019, 6, 1)) == expiry[0]
    assert program.rounding_rule(dt.date(2019, 6, 1)) == rounding[0]
    assert program.expiry_rule(dt.date(2024, 6, 1)) == expiry[1]
    assert program.rounding_rule(dt.date(2024, 6, 1)) == rounding[1]
