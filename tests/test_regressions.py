"""Regression tests: each was a bug found by review, named after what it guarantees."""

from __future__ import annotations

import datetime as dt
import json
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import partner_tiers as pt

NORTHWIND = Path(pt.__file__).resolve().parent / "data" / "northwind.json"


def test_dump_book_keeps_the_permissions_of_the_file_it_replaces(
    tmp_path: Path, northwind: pt.Book
) -> None:
    path = tmp_path / "book.json"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o644)
    pt.dump_book(northwind, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_number_where_a_string_is_expected_is_refused() -> None:
    data = json.loads(NORTHWIND.read_text(encoding="utf-8"))
    data["partner"]["name"] = 123
    with pytest.raises(pt.FileFormatError) as caught:
        pt.book_from_dict(data)
    assert [(p.path, p.value) for p in caught.value.problems] == [("partner.name", 123)]
    assert caught.value.problems[0].message == "expected a string"


def test_an_unknown_enum_value_is_reported_with_the_choices() -> None:
    data = json.loads(NORTHWIND.read_text(encoding="utf-8"))
    data["clients"][0]["relationship"] = "resold"
    with pytest.raises(pt.FileFormatError) as caught:
        pt.book_from_dict(data)
    (problem,) = caught.value.problems
    assert problem.path == "clients[0].relationship"
    assert "sold, managed, sold_and_managed" in problem.message


def _batch(**changes: object) -> pt.PointBatch:
    fields: dict[str, object] = {
        "id": "sold:r",
        "track": "sold",
        "motion": "sourced",
        "client": "c-1",
        "points": "10",
        "earned_on": dt.date(2024, 1, 1),
        "expires_on": dt.date(2024, 6, 1),
        "origin": "d-r",
    }
    fields.update(changes)
    return pt.PointBatch(**fields)  # type: ignore[arg-type]


def test_market_totals_do_not_depend_on_the_order_of_queries() -> None:
    ledger = pt.PointsLedger([_batch()])
    day = dt.date(2024, 2, 1)
    ledger.totals(day, market="standard")  # type: ignore[arg-type]
    assert ledger.totals(day, market=pt.Market.STANDARD).sold == 10


@pytest.mark.parametrize("changes", [{"track": "bogus"}, {"motion": "x"}, {"market": "emerging"}])
def test_a_malformed_point_batch_raises_a_partner_tiers_error(changes: dict[str, object]) -> None:
    with pytest.raises(pt.PartnerTiersError):
        _batch(**changes)


def test_a_point_batch_refuses_a_date_that_is_not_a_date() -> None:
    with pytest.raises(pt.PartnerTiersError):
        _batch(earned_on="2024-01-01", expires_on=None)


def test_adding_money_to_a_number_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        pt.Money("1.00", "USD") + 1  # type: ignore[operator]


def test_copies_and_pickles_of_records_programs_and_statuses_are_equal(northwind: pt.Book) -> None:
    import copy
    import pickle

    book = northwind
    program = pt.load_program("hubspot-2025")
    status = pt.evaluate(book, program, as_of=dt.date(2025, 9, 30))
    assert copy.deepcopy(book) == book
    assert pickle.loads(pickle.dumps(program)) == program
    assert copy.deepcopy(status) == status
    assert hash(program.tiers[0]) == hash(copy.deepcopy(program.tiers[0]))


def test_a_toml_file_cut_mid_line_reports_its_last_line() -> None:
    text = pt.load_program("hubspot-2025").to_toml()
    cut = text[: text.index('"', text.index("title")) + 5]  # inside the title string
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.loads_program(cut)
    (problem,) = caught.value.problems
    assert problem.line == cut.count("\n") + 1


def test_book_integrity_reports_every_problem_at_once() -> None:
    data = json.loads(NORTHWIND.read_text(encoding="utf-8"))
    data["deals"][0]["client"] = "c-ghost"
    data["deals"][1]["id"] = "d-1"
    with pytest.raises(pt.FileFormatError) as caught:
        pt.book_from_dict(data)
    assert [(p.path, p.value) for p in caught.value.problems] == [
        ("deals[0].client", "c-ghost"),
        ("deals[1].id", "d-1"),
    ]


def test_a_sold_client_stops_counting_for_tool_usage_on_the_window_end() -> None:
    """The gate changes on closed_on + 12 months, and the replay visits that very day."""
    import attrs

    program = _with_median_gate(pt.load_program("hubspot-2025"), window_months=12)
    # Sold points count for 24 months, so only the tool-usage gate changes on the day.
    program = attrs.evolve(program, expiry=(pt.ExpiryRule(months=24),))
    partner = pt.Partner(pt.PartnerId("p"), "P", "US", dt.date(2024, 1, 1))
    tools = ("crm", "email", "forms", "workflows", "sequences")
    clients = (
        pt.Client(pt.ClientId("a"), "A", "US", pt.Relationship.MANAGED, tools, 5),
        pt.Client(pt.ClientId("b"), "B", "US", pt.Relationship.SOLD, (), 0),
        pt.Client(pt.ClientId("c"), "C", "US", pt.Relationship.SOLD, (), 0),
    )
    subscription = pt.Subscription(
        pt.SubscriptionId("s-a"),
        pt.ClientId("a"),
        "service-hub",
        "pro",
        pt.Money("1000", "USD"),
        dt.date(2024, 1, 1),
        dt.date(2026, 1, 1),
    )
    deals = (
        pt.Deal(
            pt.DealId("d-b"),
            pt.ClientId("b"),
            "crm",
            pt.DealKind.NEW,
            pt.SalesMotion.SOURCED,
            dt.date(2024, 3, 1),
            pt.Money("2000", "USD"),
        ),
        pt.Deal(
            pt.DealId("d-c"),
            pt.ClientId("c"),
            "crm",
            pt.DealKind.NEW,
            pt.SalesMotion.SOURCED,
            dt.date(2024, 3, 1),
            pt.Money("2000", "USD"),
        ),
    )
    book = pt.Book(
        partner,
        clients,
        (subscription,),
        deals,
        (
            pt.Certification(
                pt.CertificationId("cert"), "Cert", dt.date(2024, 1, 1), dt.date(2027, 1, 1)
            ),
        ),
        (pt.ManagedService(pt.ClientId("a"), dt.date(2024, 1, 1)),),
    )
    before = pt.evaluate(book, program, as_of=dt.date(2025, 2, 28))
    assert before.qualified_tier is None  # median of 5, 0, 0 is 0 < 3
    on_the_day = pt.evaluate(book, program, as_of=dt.date(2025, 3, 1))
    assert on_the_day.qualified_tier is not None
    assert on_the_day.tier == on_the_day.qualified_tier
    assert on_the_day.history[-1].on == dt.date(2025, 3, 1)


def test_an_upsell_on_a_line_sold_before_the_first_rate_row_keeps_the_first_rate() -> None:
    import attrs

    program = attrs.evolve(pt.load_program("hubspot-2024"), price_before_first_row=False)
    partner = pt.Partner(pt.PartnerId("p"), "P", "US", dt.date(2021, 1, 1))
    client = pt.Client(pt.ClientId("c"), "C", "US", pt.Relationship.SOLD)
    subscription = pt.Subscription(
        pt.SubscriptionId("s"),
        pt.ClientId("c"),
        "marketing-hub",
        "pro",
        pt.Money("1000", "USD"),
        dt.date(2021, 10, 1),
        dt.date(2026, 10, 1),
    )
    upsell = pt.Deal(
        pt.DealId("up"),
        pt.ClientId("c"),
        "marketing-hub",
        pt.DealKind.UPSELL,
        pt.SalesMotion.SOURCED,
        dt.date(2024, 4, 15),
        pt.Money("1000", "USD"),
    )
    book = pt.Book(partner, (client,), (subscription,), (upsell,))
    (batch,) = pt.build_ledger(book, program).batches
    assert batch.points == 30  # 1,000 USD at the 2022 sourced rate of 3, not 5


EXAMPLE = pt.load_book(NORTHWIND)
HUBSPOT_2025 = pt.load_program("hubspot-2025")


def _with_sourced_deal(book: pt.Book, amount: str, on: dt.date) -> pt.Book:
    client = pt.Client(pt.ClientId("c-extra"), "Extra", "US", pt.Relationship.SOLD)
    deal = pt.Deal(
        pt.DealId("d-extra"),
        client.id,
        "new-line",
        pt.DealKind.NEW,
        pt.SalesMotion.SOURCED,
        on,
        pt.Money(amount, "USD"),
    )
    return attrs.evolve(book, clients=(*book.clients, client), deals=(*book.deals, deal))


def test_needed_to_keep_reaches_again_when_a_demotion_lands_before_the_review() -> None:
    # On 2025-07-15 platinum is held, but the demotion announced on 2025-07-01 lands on
    # 2025-07-31: keeping platinum at the 2026-01-01 review means reaching it again.
    (answer,) = pt.needed_to_keep(
        EXAMPLE, HUBSPOT_2025, as_of=dt.date(2025, 7, 15), motions=["sourced"], markets=["standard"]
    )
    assert answer.amount is not None
    review = answer.on
    kept = pt.evaluate(
        _with_sourced_deal(EXAMPLE, str(answer.amount), review), HUBSPOT_2025, as_of=review
    )
    short = pt.evaluate(
        _with_sourced_deal(EXAMPLE, str(answer.amount - Decimal("0.01")), review),
        HUBSPOT_2025,
        as_of=review,
    )
    assert kept.tier == "platinum"
    assert short.tier != "platinum"


def test_the_hypothetical_client_does_not_lower_the_median_tool_usage() -> None:
    # hubspot-2016 requires a median of 5 tools; a client with no tools would pull the
    # median of (2, 6) + 0 down to 2 and make every amount fail.
    (answer,) = pt.needed_to_reach(
        EXAMPLE,
        pt.load_program("hubspot-2016"),
        as_of=dt.date(2024, 12, 1),
        motions=["managed"],
        markets=["standard"],
    )
    assert answer.amount == Decimal("1150.00")


def _with_median_gate(program: pt.Program, *, window_months: int) -> pt.Program:
    """The program with a median tool usage gate of 3 on every tier, as a program designer
    adds it (the shipped points programs carry only published gates)."""
    gate = pt.GateSpec(
        "median-tools",
        "median_tool_usage",
        params={"minimum": 3, "window_months": window_months},
    )
    return attrs.evolve(program, gates=(*program.gates, gate))


def test_account_performance_uses_the_window_of_the_programs_gate() -> None:
    program = _with_median_gate(HUBSPOT_2025, window_months=6)
    view = pt.account_performance(EXAMPLE, program, as_of=dt.date(2025, 9, 30))
    # tailspin's last sale (2025-02-11) is more than 6 months old: adatum 8, fabrikam 6.
    assert view.counting_clients == ("c-adatum", "c-fabrikam")
    assert view.median_tool_usage == 7


@pytest.mark.parametrize(
    ("call", "field", "value"),
    [
        (
            lambda: pt.needed_to_reach(
                EXAMPLE, HUBSPOT_2025, as_of=dt.date(2025, 9, 30), motions=["foo"]
            ),
            "motions",
            "foo",
        ),
        (
            lambda: pt.needed_to_reach(
                EXAMPLE, HUBSPOT_2025, as_of=dt.date(2025, 9, 30), markets=["foo"]
            ),
            "markets",
            "foo",
        ),
        (
            lambda: pt.needed_to_reach(
                EXAMPLE, HUBSPOT_2025, as_of=dt.date(2025, 9, 30), tier="bronze"
            ),
            "tier",
            "bronze",
        ),
        (
            lambda: pt.rolling_mrr(EXAMPLE, HUBSPOT_2025, as_of=dt.date(2025, 9, 30), motion="foo"),
            "motion",
            "foo",
        ),
    ],
)
def test_scenario_arguments_are_checked(call: Any, field: str, value: str) -> None:
    with pytest.raises(pt.InvalidRecordError) as caught:
        call()
    assert (caught.value.field, caught.value.value) == (field, value)


def test_end_services_displays_as_a_table() -> None:
    view = pt.end_services_effect(EXAMPLE, HUBSPOT_2025, "c-adatum", as_of=dt.date(2025, 9, 30))
    html = view._repr_html_()
    assert html.startswith("<table>")
    assert "-15.00" in html


def test_program_impact_refuses_two_books_of_one_partner() -> None:
    with pytest.raises(pt.InvalidRecordError) as caught:
        pt.program_impact(
            [EXAMPLE, EXAMPLE], HUBSPOT_2025, HUBSPOT_2025, as_of=dt.date(2025, 9, 30)
        )
    assert caught.value.field == "books[1].partner.id"


def test_movements_count_mrr_that_earns_no_points(northwind: pt.Book) -> None:
    # Known escape W1 (docs/testing.md): hubspot-2018 prices sales at 0.00 points (its
    # tracks are MRR in USD), and movements classified a batch by the sign of its points.
    ledger = pt.build_ledger(northwind, pt.load_program("hubspot-2018"))
    september = ledger.movements(dt.date(2023, 9, 1), dt.date(2023, 10, 1))
    # d-1 (1200 USD) was sold and s-fab-mkt came under management on 2023-09-14, at its
    # MRR of then: 900 EUR = 1200 USD (until d-2 raised it to 1200 EUR on 2024-10-01).
    assert (september.new.sold_mrr_usd, september.new.managed_mrr_usd) == (
        Decimal("1200.00"),
        Decimal("1200.00"),
    )
    assert september.lost.sold_mrr_usd == september.lost.managed_mrr_usd == 0
    # d-1 expires on 2024-09-14: its MRR is lost then, its 0.00 points with it.
    expiry = ledger.movements(dt.date(2024, 9, 1), dt.date(2024, 10, 1))
    assert expiry.lost.sold_mrr_usd == Decimal("1200.00")
    assert expiry.new.sold_mrr_usd == 0


def test_a_reduction_is_lost_in_every_metric_it_lowers() -> None:
    sale = _batch(mrr_usd="100")
    reduction = _batch(id="sold:r:cut", points="-4", mrr_usd="-40", offsets="sold:r")
    moved = pt.PointsLedger([sale, reduction]).movements(dt.date(2024, 1, 1), dt.date(2024, 2, 1))
    assert [moved.new.sold, moved.new.sourced, moved.new.sold_mrr_usd] == [10, 10, 100]
    assert [moved.lost.sold, moved.lost.sourced, moved.lost.sold_mrr_usd] == [4, 4, 40]


# --- escapes found by fuzzing (docs/testing.md, "Escapes found") ----------------------------


def test_dates_at_the_ends_of_the_calendar_are_refused_by_name(northwind: pt.Book) -> None:
    # E1: 9999-12-31 as a date overflowed the engine's date arithmetic.
    book = northwind
    with pytest.raises(pt.InvalidRecordError) as late:
        pt.evaluate(book, pt.load_program("hubspot-2025"), as_of=dt.date(9999, 12, 31))
    assert str(late.value) == "as_of: must be from 1900-01-01 to 2199-12-31 (got 9999-12-31)"
    data = json.loads(NORTHWIND.read_text(encoding="utf-8"))
    data["deals"][0]["closed_on"] = "0001-01-01"
    with pytest.raises(pt.FileFormatError) as early:
        pt.book_from_dict(data)
    [problem] = early.value.problems
    assert (problem.path, problem.value) == ("deals[0].closed_on", dt.date(1, 1, 1))


@pytest.mark.parametrize("amount", ["1e999999", "1e15", "-1e15", "0.0000000000001"])
def test_amounts_beyond_the_decimal_context_are_refused_by_name(amount: str) -> None:
    # E2: 1e999999 overflowed the decimal context while pricing.
    with pytest.raises(pt.InvalidRecordError) as info:
        pt.Money(amount, "USD")
    assert str(info.value) == (
        f"Money.amount: is out of range (|x| < 1e15, 12 places) (got {amount!r})"
    )
    assert pt.Money("999999999999999.999999999999", "USD").amount == Decimal(
        "999999999999999.999999999999"
    )


def test_a_fact_that_is_not_a_number_fails_its_gate(northwind: pt.Book) -> None:
    # E4: "NaN" as a fact raised decimal.InvalidOperation under a fact_at_least gate.
    book = attrs.evolve(northwind, facts={"retention": "NaN"})
    status = pt.evaluate(book, pt.load_program("hubspot-2025"), as_of=dt.date(2025, 9, 30))
    [retention] = [gate for gate in status.gates if gate.name == "retention"]
    assert (retention.passed, retention.reason) == (
        False,
        "retention is 'NaN', not a finite number",
    )


def test_certifications_with_the_same_dates_are_chosen_by_id_in_any_order(
    northwind: pt.Book,
) -> None:
    # W2: the gate named whichever certification came first in the book.
    book = northwind
    valid = book.certifications[1]
    twin = attrs.evolve(valid, id=pt.CertificationId("cert-0"))
    program = pt.load_program("hubspot-2025")
    reasons = {
        pt.evaluate(attrs.evolve(book, certifications=order), program, as_of=dt.date(2025, 9, 30))
        .gates[0]
        .reason
        for order in ((valid, twin), (twin, valid))
    }
    assert len(reasons) == 1


def test_program_numbers_the_engine_cannot_use_are_refused_when_loaded() -> None:
    # E3: such numbers were accepted and overflowed date arithmetic inside evaluate.
    data = pt.load_program("hubspot-2025").to_dict()
    data["gates"][1]["params"]["window_months"] = 10**9
    data["policy"]["notice_days"] = 10**12
    data["policy"]["first_tier_deadline_months"] = 10**9
    data["expiry"][0]["months"] = 10**9
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.program_from_dict(data)
    assert [str(problem) for problem in info.value.problems] == [
        "gates[1].params.window_months: must be from 1 to 1200 (got 1000000000)",
        "policy.notice_days: must be at most 3650 (got 1000000000000)",
        "policy.first_tier_deadline_months: must be at most 1200 (got 1000000000)",
        "expiry[0].months: must be at most 1200 (got 1000000000)",
    ]


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["evaluate"], "partner-tiers: error: Missing argument 'BOOK'."),
        (["evaluate", str(NORTHWIND)], "partner-tiers: error: Missing option '--as-of'."),
    ],
)
def test_a_missing_argument_is_named(
    argv: list[str], line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # C1: the line ended after "error: " (click leaves .message empty for these).
    from partner_tiers._cli import main

    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    assert capsys.readouterr().err == line + "\n"


def test_the_command_line_shows_control_characters_of_a_key_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # C3: a key holding an escape sequence was echoed raw; a terminal would obey it.
    from partner_tiers._cli import main

    data = json.loads(NORTHWIND.read_text(encoding="utf-8"))
    data["partner"]["x\x1b[31mred\tü"] = 1
    path = tmp_path / "book.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["evaluate", str(path), "--as-of", "2025-09-30"])
    err = capsys.readouterr().err
    assert err == f"partner-tiers: error: {path}: partner.x\\x1b[31mred\\tü: unknown key\n"


def test_a_downgrade_reduces_sold_mrr_under_a_program_that_prices_it_at_zero_points(
    northwind: pt.Book,
) -> None:
    # W7, found by mutation testing (a surviving mutant in _reductions): a batch priced
    # at 0.00 points (hubspot-2018 counts MRR, not points) was never offset, so downgrades
    # left its MRR track untouched.
    book = northwind
    d1 = book.deals[0]  # new, assisted, 900.00 EUR on 2023-09-14: 1200.00 USD (75 EUR/100)
    down = pt.Deal(
        pt.DealId("d-down"),
        d1.client,
        d1.product_line,
        pt.DealKind.DOWNGRADE,
        d1.motion,
        dt.date(2023, 12, 1),
        pt.Money("-600", "EUR"),
    )
    ledger = pt.build_ledger(
        attrs.evolve(book, deals=(*book.deals, down)), pt.load_program("hubspot-2018")
    )
    offset = ledger.batch("sold:d-down:offsets:sold:d-1")
    assert (offset.points, offset.mrr_usd, offset.expires_on) == (
        Decimal(0),
        Decimal("-800.00"),
        d1.closed_on.replace(year=2024),
    )
    # 1200.00 USD sold, 800.00 USD of it taken back: 400.00 USD left.
    assert ledger.totals(dt.date(2024, 1, 1)).sold_mrr_usd == Decimal("400.00")
    december = ledger.movements(dt.date(2023, 12, 1), dt.date(2024, 1, 1))
    assert december.lost.sold_mrr_usd == Decimal("800.00")


def test_validate_lists_one_line_per_problem_whatever_a_key_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Found by fuzzing: "\x1e" (a record separator) is a line break to str.splitlines,
    # so a key holding it split a problem of `validate` over two lines.
    from partner_tiers._cli import main

    data = pt.load_program("hubspot-2018").to_dict()
    data["tiers"][0] = {"\x1e": None, "\x1b[2J": 1}
    path = tmp_path / "program.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["validate", str(path)])
    assert done.value.code == 2
    err = capsys.readouterr().err
    lines = err.splitlines()
    # JSON problems carry their line too (the whole file is on line 1).
    assert all(line.startswith(f"{path}: line 1: tiers[0]") for line in lines), lines
    assert "\x1b" not in err
    assert f"{path}: line 1: tiers[0].\\x1e: unknown key" in lines
