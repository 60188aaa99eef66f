"""The ``partner-tiers`` command line, end to end, on the Northwind Digital example book.

The expected numbers of ``evaluate --json`` are derived by hand from
``src/partner_tiers/data/northwind.json`` and the published rules (domain.md, section 2)
under ``hubspot-2025`` as of 2025-09-30:

sold points active on 2025-09-30 (12-month expiry):
  d-1 2023-09-14 assisted 900 EUR        expired on 2024-09-14
  d-2 2024-10-01 sourced upsell 300 EUR  marketing-hub first sold 2023-09-14, before
                                         2024-02-27: grandfathered at 3 per 100 USD;
                                         EUR table before 2025-07-15: 75 per 100 USD
                                         300 / 75 * 3 = 12.00 sourced
  d-3 2025-01-20 sourced 180 EUR         5 per 100 USD: 180 / 75 * 5 = 12.00 sourced
  d-4 2024-06-03 sourced 2000 USD        expired on 2025-06-03
  d-5 2025-02-11 assisted 400 USD        3 per 100 USD: 400 / 100 * 3 = 12.00 assisted
  sold 36.00 = sourced 24.00 + assisted 12.00
managed points on 2025-09-30 (EUR table from 2025-07-15: 88 per 100 USD):
  c-fabrikam s-fab-mkt 1200 EUR / 88 = 13.636... -> 13.64
  c-fabrikam s-fab-sales 180 EUR / 88 = 2.045... -> 2.05
  c-adatum (India, growth market x 2) 1500 USD / 100 * 2 / 2 partners = 15.00
  managed 30.69; total 66.69
tiers: Gold reach total 52.5, sourced 10, managed 10: met; Platinum reach 157.5, 30, 30:
  to_next_tier total 157.5 - 66.69 = 90.81, sourced 30 - 24.00 = 6.00, managed 0.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path

import attrs
import click
import pytest
import yaml

import partner_tiers as pt
from cli_run import run_cli
from partner_tiers._cli import DEMO_AS_OF, cli, demo_book

NORTHWIND = Path(pt.__file__).resolve().parent / "data" / "northwind.json"
BOOK = str(NORTHWIND)
AS_OF = "2025-09-30"


def ok(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = run_cli(argv, capsys)
    assert code == 0, err
    assert err == ""
    return out


# --- demo -----------------------------------------------------------------------------


def test_demo_prints_the_dashboard_of_the_built_in_book(capsys: pytest.CaptureFixture[str]) -> None:
    out = ok(["demo"], capsys)
    lines = out.splitlines()
    assert lines[0] == "Northwind Digital (p-northwind) - hubspot-2025@2025-07-15 as of 2025-09-30"
    assert lines[1].startswith("Tier: gold   qualified: gold   next: platinum")
    assert (
        "  PASS  certified (every tier): certification cert-2 is valid from 2025-04-20 until"
        " 2027-04-19" in lines
    )
    # One alert horizon everywhere (ALERT_HORIZON_DAYS): no renewal of the demo book is
    # due within 90 days of 2025-09-30; the first, s-fab-sales, renews on 2026-01-20.
    assert "Alerts: 0 renewal decisions within 90 days" in lines
    assert any(line.startswith("  total") and "66.69" in line for line in lines)


def test_demo_book_is_the_shipped_northwind_example(northwind: pt.Book) -> None:
    assert demo_book() == northwind
    assert dt.date(2025, 9, 30) == DEMO_AS_OF


def test_demo_on_another_date_and_program(capsys: pytest.CaptureFixture[str]) -> None:
    out = ok(["demo", "--as-of", "2024-12-31", "--program", "hubspot-2024"], capsys)
    assert out.splitlines()[0].endswith("hubspot-2024@2024-02-27 as of 2024-12-31")
    status = pt.evaluate(demo_book(), pt.load_program("hubspot-2024"), as_of=dt.date(2024, 12, 31))
    assert f"Tier: {status.tier or 'untiered'}" in out


# --- evaluate -------------------------------------------------------------------------

CONTRACT_KEYS = {
    "as_of",
    "program",
    "tier",
    "qualified_tier",
    "points",
    "next_tier",
    "to_next_tier",
    "to_keep_tier",
    "gates",
    "reasons",
}


def evaluate_json(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    out = ok(["evaluate", BOOK, "--as-of", AS_OF, "--json", *extra], capsys)
    data: dict[str, object] = json.loads(out)
    return data


def test_evaluate_json_prints_the_contract_keys(capsys: pytest.CaptureFixture[str]) -> None:
    data = evaluate_json(capsys)
    assert set(data) >= CONTRACT_KEYS
    assert data["as_of"] == "2025-09-30"
    assert data["program"] == "hubspot-2025@2025-07-15"


def test_evaluate_json_numbers_derived_by_hand(capsys: pytest.CaptureFixture[str]) -> None:
    data = evaluate_json(capsys, "--program", "hubspot-2025")
    assert data["points"] == {
        "sold": "36.00",
        "sourced": "24.00",
        "assisted": "12.00",
        "managed": "30.69",
        "total": "66.69",
    }
    assert data["tier"] == "gold"
    assert data["qualified_tier"] == "gold"
    assert data["next_tier"] == "platinum"
    assert data["to_next_tier"] == {"total": "90.81", "sourced": "6.00", "managed": "0"}
    # Gold retain minimums 47.25 / 9 / 9: the surplus over each.
    assert data["to_keep_tier"] == {"total": "19.44", "sourced": "15.00", "managed": "21.69"}


def test_evaluate_json_gates_have_name_passed_and_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = evaluate_json(capsys)
    gates = data["gates"]
    assert isinstance(gates, list)
    keys = {"name", "passed", "reason", "tiers", "caps_at"}  # tiers, caps_at: issue 18, 21
    assert [set(gate) for gate in gates] == [keys] * len(gates)
    by_name = {gate["name"]: gate for gate in gates}
    assert by_name["certified"]["passed"] is True
    assert "cert-2" in by_name["certified"]["reason"]
    # The points programs carry only published gates: no median tool usage (issue 18).
    assert "median-tools" not in by_name
    assert by_name["invited"] == {
        "name": "invited",
        "passed": False,
        "reason": "invited is not stated",
        "tiers": ["elite"],
        "caps_at": "diamond",
    }


def test_evaluate_json_reasons_trace_the_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    data = evaluate_json(capsys)
    reasons = data["reasons"]
    assert isinstance(reasons, list)
    assert all(isinstance(line, str) for line in reasons)
    assert "total: 66.69 = sold 36.00 + managed 30.69" in reasons
    assert "sourced: 24.00 = 12.00 (sold:d-2) + 12.00 (sold:d-3)" in reasons
    assert any("grandfathered: marketing-hub first sold on 2023-09-14" in line for line in reasons)


def test_evaluate_json_equals_the_library_status(
    capsys: pytest.CaptureFixture[str], northwind: pt.Book
) -> None:
    data = evaluate_json(capsys)  # the default program is the hubspot series
    status = pt.evaluate(northwind, pt.load_program("hubspot"), as_of=dt.date(2025, 9, 30))
    assert data == json.loads(json.dumps(status.to_dict()))


def test_evaluate_without_json_prints_the_dashboard(capsys: pytest.CaptureFixture[str]) -> None:
    out = ok(["evaluate", BOOK, "--as-of", AS_OF], capsys)
    assert out == ok(["demo"], capsys)


# --- programs -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
def test_a_shown_program_validates_and_evaluates_like_the_shipped_one(
    fmt: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    northwind: pt.Book,
) -> None:
    monkeypatch.chdir(tmp_path)
    text = ok(["programs", "show", "hubspot-2025", "--format", fmt], capsys)
    written = tmp_path / f"p.{fmt}"
    written.write_text(text, encoding="utf-8")  # what `> p.toml` does
    out = ok(["validate", f"p.{fmt}"], capsys)
    assert out == f"p.{fmt}: valid (hubspot-2025@2025-07-15, 4 tiers)\n"
    shipped = pt.load_program("hubspot-2025")
    loaded = pt.load_program(f"p.{fmt}")
    assert loaded == shipped
    book = northwind
    for day in (dt.date(2023, 12, 31), dt.date(2025, 9, 30), dt.date(2026, 6, 30)):
        assert pt.evaluate(book, loaded, as_of=day) == pt.evaluate(book, shipped, as_of=day)
        assert pt.build_ledger(book, loaded) == pt.build_ledger(book, shipped)
    evaluated = ok(["evaluate", BOOK, "--as-of", AS_OF, "--json", "--program", f"p.{fmt}"], capsys)
    shipped_json = ["evaluate", BOOK, "--as-of", AS_OF, "--json", "--program", "hubspot-2025"]
    assert evaluated == ok(shipped_json, capsys)


def test_programs_show_prints_toml_that_reads_back_equal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = ok(["programs", "show", "hubspot-2022"], capsys)
    assert text == pt.dumps_program(pt.load_program("hubspot-2022"))
    assert pt.loads_program(text) == pt.load_program("hubspot-2022")


@pytest.mark.parametrize("argv", [["programs"], ["programs", "list"]])
def test_programs_lists_every_shipped_program(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = ok(argv, capsys)
    names = [line.split()[0] for line in out.splitlines()]
    assert names == pt.list_programs()
    assert "hubspot-2025  HubSpot Solutions Partner Program, from 15 July 2025" in out.splitlines()


def test_programs_schema_prints_a_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    schema = json.loads(ok(["programs", "schema"], capsys))
    assert schema == pt.program_schema()
    assert "tiers" in schema["properties"]


def test_programs_diff_names_the_2025_changes(capsys: pytest.CaptureFixture[str]) -> None:
    out = ok(["programs", "diff", "hubspot-2024", "hubspot-2025"], capsys)
    lines = out.splitlines()
    assert lines[0].startswith("hubspot-2024@2024-02-27 -> hubspot-2025@2025-07-15: ")
    # Total thresholds raised about 5%; the sold minimum replaced by a sourced minimum.
    assert "~ tiers[gold].reach.total: 50 -> 52.5 (+5.0%)" in lines
    assert "- tiers[gold].reach.sold: 10" in lines
    assert "+ tiers[gold].reach.sourced: 10" in lines
    expected = pt.diff_programs(pt.load_program("hubspot-2024"), pt.load_program("hubspot-2025"))
    assert lines[0].endswith(f"{len(expected.changes)} changes")


def test_programs_diff_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(ok(["programs", "diff", "hubspot-2024", "hubspot-2025", "--json"], capsys))
    assert data["a"] == "hubspot-2024@2024-02-27"
    assert data["b"] == "hubspot-2025@2025-07-15"
    change = {"path": "tiers[gold].reach.total", "kind": "changed", "before": "50", "after": "52.5"}
    assert change in data["changes"]


def test_programs_diff_of_a_program_with_itself_is_empty(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = ok(["programs", "diff", "hubspot-2025", "hubspot-2025"], capsys)
    assert out == "hubspot-2025@2025-07-15 -> hubspot-2025@2025-07-15: 0 changes\n"


def test_validate_of_a_shipped_program_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(pt.__file__).resolve().parent / "programs" / "hubspot-2016.toml"
    out = ok(["validate", str(path)], capsys)
    assert out.startswith(f"{path}: valid (hubspot-2016@")


def test_validate_prints_every_problem_one_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = pt.dumps_program(pt.load_program("hubspot-2025"))
    text = text.replace("total = 157.5", "total = 50").replace('"USD" = 100', '"ZZZ" = 100')
    program = tmp_path / "bad.toml"
    program.write_text(text.replace('id = "gold"', 'id = "gold"\ncolour = 1'), "utf-8")
    code, out, err = run_cli(["validate", str(program)], capsys)
    assert code == 2
    assert out == ""
    problems = err.splitlines()
    assert len(problems) >= 3
    assert all(line.startswith(f"{program}: line ") for line in problems)
    assert any("tiers[0].colour: unknown key" in line for line in problems)
    assert any("tiers[1].reach.total: must be greater than" in line for line in problems)


# --- whatif, explain, report -----------------------------------------------------------


def test_whatif_adds_a_sourced_deal(capsys: pytest.CaptureFixture[str]) -> None:
    out = ok(["whatif", BOOK, "--as-of", AS_OF, "--deal", "sourced:1000:USD"], capsys)
    lines = out.splitlines()
    assert lines[0] == (
        "what if: add client c-whatif-1 with the defaults: US, 6 tools (leaving the gates "
        "as they are); add sourced new 1000 USD for c-whatif-1 on 2025-09-30"
    )
    # 1000 USD sourced at 5 points per 100 USD = 50 points more.
    assert any(line.split()[:4] == ["total", "66.69", "->", "116.69"] for line in lines)
    assert any(line.split()[:4] == ["sourced", "24.00", "->", "74.00"] for line in lines)


def test_whatif_json_before_and_after(capsys: pytest.CaptureFixture[str]) -> None:
    out = ok(
        [
            "whatif",
            BOOK,
            "--as-of",
            AS_OF,
            "--deal",
            "sourced:3000:EUR:c-fabrikam:content-hub",
            "--end-services",
            "c-tailspin",
            "--json",
        ],
        capsys,
    )
    data = json.loads(out)
    assert data["changes"][0] == "end services for c-tailspin"
    assert data["before"]["points"]["total"] == "66.69"
    # c-tailspin is sold only: ending its (no) managed service keeps its 12.00 assisted
    # points (issue 14); + 3000 EUR / 88 * 5 = 170.45 sourced points.
    assert data["after"]["points"]["assisted"] == "12.00"
    assert data["after"]["points"]["sourced"] == "194.45"
    assert data["after"]["points"]["total"] == "237.14"
    rows = {row["track"]: row for row in data["rows"]}
    assert rows["total"]["change"] == "170.45"


def test_whatif_certification_lapse_drops_the_tier(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(
        ok(
            ["whatif", BOOK, "--as-of", AS_OF, "--lapse-certification", "2025-09-01", "--json"],
            capsys,
        )
    )
    assert data["before"]["qualified_tier"] == "gold"
    assert data["after"]["qualified_tier"] is None
    gates = {gate["name"]: gate for gate in data["after"]["gates"]}
    assert gates["certified"]["passed"] is False


def test_explain_traces_every_number(
    capsys: pytest.CaptureFixture[str], northwind: pt.Book
) -> None:
    out = ok(["explain", BOOK, "--as-of", AS_OF], capsys)
    lines = out.splitlines()
    assert lines[0].startswith("hubspot-2025@2025-07-15 as of 2025-09-30: ")
    assert "total: 66.69 = sold 36.00 + managed 30.69" in lines
    assert any(
        line.startswith("  sold:d-3: 180.00 EUR at 75 EUR per 100 USD x 5") for line in lines
    )
    assert "to reach Platinum: total 90.81, sourced 6.00 more" in lines
    status = pt.evaluate(northwind, pt.load_program("hubspot"), as_of=dt.date(2025, 9, 30))
    assert out == str(status.explain()) + "\n"


def test_report_writes_a_self_contained_html_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page_path = tmp_path / "report.html"
    out = ok(["report", BOOK, "--as-of", AS_OF, "--html", str(page_path)], capsys)
    assert out == f"wrote {page_path}\n"
    page = page_path.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page
    assert page.count("<table>") == 9  # and the plans' two and the projection's two
    for caption in ("Gates", "Clients", "Points breakdown", "Tier gold (qualified gold)"):
        assert f"<caption>{caption}" in page
    assert "Fabrikam GmbH" in page
    assert "<script" not in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert not list(tmp_path.glob(".*.tmp"))


def test_report_html_replaces_an_existing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], northwind: pt.Book
) -> None:
    page_path = tmp_path / "report.html"
    page_path.write_text("old", "utf-8")
    ok(["report", BOOK, "--as-of", AS_OF, "--html", str(page_path), "--months", "3"], capsys)
    page = page_path.read_text("utf-8")
    assert page != "old"
    assert page == pt.report_html(
        northwind, pt.load_program("hubspot"), as_of=dt.date(2025, 9, 30), months=3
    )


# --- the command itself ----------------------------------------------------------------


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert pt.__version__ in ok(["--version"], capsys)
    help_text = ok(["--help"], capsys)
    for command in ("demo", "evaluate", "explain", "programs", "report", "validate", "whatif"):
        assert f"  {command}" in help_text


def test_python_dash_m_runs_the_demo_in_a_real_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "partner_tiers", "demo"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Tier: gold" in done.stdout
    assert done.stderr == ""


def test_a_real_process_answers_bad_input_with_one_line_and_exit_2(tmp_path: Path) -> None:
    book = tmp_path / "book.json"
    book.write_text(NORTHWIND.read_text("utf-8").replace('"GB"', '"UK"'), "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "partner_tiers", "evaluate", str(book), "--as-of", AS_OF],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        f"partner-tiers: error: {book}: partner.country: must be an ISO 3166-1 alpha-2 "
        "country code (got 'UK')\n"
    )


def test_yaml_program_output_is_plain_yaml(capsys: pytest.CaptureFixture[str]) -> None:
    text = ok(["programs", "show", "hubspot-2025", "--format", "yaml"], capsys)
    data = yaml.safe_load(text)
    assert data["name"] == "hubspot-2025"
    assert "!!python" not in text


# --- usage: help, wrong kinds of file, overwriting -------------------------------------


def _commands(command: click.Command, path: str) -> Iterator[tuple[str, click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, f"{path} {name}")


def test_no_arguments_prints_the_help_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    out = ok([], capsys)
    assert out.startswith("Usage: ")
    assert "\nCommands:\n" in out
    assert out == ok(["--help"], capsys)


@pytest.mark.parametrize("argv", [["--help"], ["programs", "--help"]])
def test_help_summarises_every_command_in_full(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    listed = ok(argv, capsys).split("\nCommands:\n")[1].splitlines()
    group = cli if argv == ["--help"] else cli.commands["programs"]
    assert isinstance(group, click.Group)
    summaries = {
        name: (command.help or "").splitlines()[0] for name, command in group.commands.items()
    }
    assert [line.split(maxsplit=1) for line in listed] == [
        [name, summaries[name]] for name in sorted(summaries)
    ]


def test_every_option_has_a_help_text() -> None:
    missing = [
        f"{path} {param.opts[0]}"
        for path, command in _commands(cli, "partner-tiers")
        for param in command.params
        if isinstance(param, click.Option) and not param.help
    ]
    assert missing == []


def program_file(tmp_path: Path, fmt: str) -> Path:
    path = tmp_path / f"my-program.{fmt}"
    path.write_text(pt.dumps_program(pt.load_program("hubspot-2025"), fmt), "utf-8")  # type: ignore[arg-type]
    return path


def _command_id(argv: list[str]) -> str:
    return argv[0] if argv[0] != "programs" else f"programs-{argv[1]}"


BOOK_COMMANDS = [
    ["evaluate", "{book}", "--as-of", AS_OF],
    ["explain", "{book}", "--as-of", AS_OF],
    ["report", "{book}", "--as-of", AS_OF, "--html", "{tmp}/page.html"],
    ["whatif", "{book}", "--as-of", AS_OF],
    ["programs", "impact", "hubspot-2024", "hubspot-2025", "{book}", "--as-of", AS_OF],
]


@pytest.mark.parametrize("fmt", ["toml", "json", "yaml"])
@pytest.mark.parametrize("argv", BOOK_COMMANDS, ids=_command_id)
def test_a_program_file_given_as_a_book_is_named_in_one_line(
    argv: list[str], fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = program_file(tmp_path, fmt)
    words = [word.format(book=program, tmp=tmp_path) for word in argv]
    code, out, err = run_cli(words, capsys)
    hint = "" if argv[0] == "programs" else " (pass it with --program)"
    assert (code, out) == (2, "")
    assert err == f"partner-tiers: error: {program} is a program file, not a book{hint}\n"
    assert not (tmp_path / "page.html").exists()


PROGRAM_COMMANDS = [
    ["demo", "--program", "{book}"],
    ["evaluate", BOOK, "--as-of", AS_OF, "--program", "{book}"],
    ["explain", BOOK, "--as-of", AS_OF, "--program", "{book}"],
    ["report", BOOK, "--as-of", AS_OF, "--html", "{tmp}/page.html", "--program", "{book}"],
    ["whatif", BOOK, "--as-of", AS_OF, "--program", "{book}"],
    ["programs", "show", "{book}"],
    ["programs", "diff", "hubspot-2025", "{book}"],
    ["programs", "impact", "{book}", "hubspot-2025", BOOK, "--as-of", AS_OF],
]


@pytest.mark.parametrize("argv", PROGRAM_COMMANDS, ids=_command_id)
def test_a_book_file_given_as_a_program_is_named_in_one_line(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book.json"
    book.write_bytes(NORTHWIND.read_bytes())
    words = [word.format(book=book, tmp=tmp_path) for word in argv]
    code, out, err = run_cli(words, capsys)
    hint = " (pass it as BOOK)" if argv[0] in {"evaluate", "explain", "report", "whatif"} else ""
    assert (code, out) == (2, "")
    assert err == f"partner-tiers: error: {book} is a book file, not a program{hint}\n"


def test_demo_write_book_refuses_to_replace_a_file_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "book.json"
    target.write_text("mine", "utf-8")
    code, out, err = run_cli(["demo", "--write-book", str(target)], capsys)
    assert (code, out) == (2, "")
    assert err == f"partner-tiers: error: {target} exists: pass --force to replace it\n"
    assert target.read_text("utf-8") == "mine"
    assert ok(["demo", "--write-book", str(target), "--force"], capsys) == f"wrote {target}\n"
    assert pt.load_book(target) == demo_book()


# --- whatif: the kind of a deal -------------------------------------------------------


def test_whatif_downgrade_offsets_the_newest_batch_of_the_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    deal = "downgrade:sourced:-300:EUR:c-fabrikam:marketing-hub"
    lines = ok(["whatif", BOOK, "--as-of", AS_OF, "--deal", deal], capsys).splitlines()
    assert lines[0] == "what if: add sourced downgrade -300 EUR for c-fabrikam on 2025-09-30"
    # The newest active batch of c-fabrikam's marketing-hub is d-2: 12.00 sourced points.
    assert any(line.split()[:5] == ["total", "66.69", "->", "54.69", "(-12.00)"] for line in lines)
    assert any(line.split()[:4] == ["sourced", "24.00", "->", "12.00"] for line in lines)


def test_whatif_churn_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    deal = "churn:none:-2400:USD:c-tailspin:crm-suite"
    data = json.loads(ok(["whatif", BOOK, "--as-of", AS_OF, "--deal", deal, "--json"], capsys))
    assert data["changes"] == ["add none churn -2400 USD for c-tailspin on 2025-09-30"]
    # d-4 expired on 2025-06-03; the churn takes d-5's 12.00 assisted points.
    assert data["after"]["points"]["assisted"] == "0.00"
    assert data["after"]["points"]["total"] == "54.69"


def test_whatif_deal_without_a_kind_is_new(capsys: pytest.CaptureFixture[str]) -> None:
    plain = ok(["whatif", BOOK, "--as-of", AS_OF, "--deal", "sourced:1000:USD"], capsys)
    assert plain == ok(["whatif", BOOK, "--as-of", AS_OF, "--deal", "new:sourced:1000:USD"], capsys)


@pytest.mark.parametrize(
    ("deal", "words"),
    [
        ("upgrade:sourced:100:USD", ["'upgrade'", "new, cross_sell, upsell, downgrade, churn"]),
        ("upsell:sourced:100:USD", ["upsell", "CLIENT and LINE"]),
        ("churn:sourced:-100:USD:c-tailspin", ["churn", "CLIENT and LINE"]),
        ("downgrade:bought:-100:USD:c-tailspin:crm-suite", ["motion", "'bought'"]),
        ("downgrade:sourced:100:USD:c-tailspin:crm-suite", ["must be negative"]),
        ("sourced:1:USD:c-tailspin:crm-suite:extra", ["expected [KIND:]MOTION"]),
    ],
)
def test_whatif_bad_deal_is_one_line_and_exit_2(
    deal: str, words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["whatif", BOOK, "--as-of", AS_OF, "--deal", deal], capsys)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("partner-tiers: error: ")
    for word in words:
        assert word in err


# --- validate: books too --------------------------------------------------------------


def test_validate_of_a_book_file(capsys: pytest.CaptureFixture[str]) -> None:
    out = ok(["validate", BOOK], capsys)
    assert out == f"{BOOK}: valid (book of Northwind Digital, 3 clients)\n"


def test_validate_prints_every_problem_of_a_book_one_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book.json"
    text = NORTHWIND.read_text("utf-8").replace('"GB"', '"UK"').replace('"sourced"', '"bought"')
    book.write_text(text, "utf-8")
    code, out, err = run_cli(["validate", str(book)], capsys)
    assert (code, out) == (2, "")
    problems = err.splitlines()
    assert len(problems) >= 2
    assert all(line.startswith(f"{book}: ") for line in problems)
    assert any("partner.country" in line and "'UK'" in line for line in problems)
    assert any(".motion" in line and "'bought'" in line for line in problems)


def test_validate_book_or_program_is_forced_by_an_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = program_file(tmp_path, "toml")
    code, _, err = run_cli(["validate", "--book", str(program)], capsys)
    assert code == 2
    assert err.splitlines()[0].startswith(f"{program}: line 1: (document): is not valid JSON")
    code, _, err = run_cli(["validate", "--program", BOOK], capsys)
    assert code == 2
    assert f"{BOOK}: tiers: is required but missing" in err.splitlines()


def test_validate_of_a_missing_file_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["validate", "no-such-file.toml"], capsys)
    assert (code, out) == (2, "")
    assert err == "partner-tiers: error: FILE: File 'no-such-file.toml' does not exist.\n"


# --- the explanation, to the letter -------------------------------------------------------
#
# Worked explanations of the Northwind book (src/partner_tiers/data/northwind.json; the
# thresholds are the shipped EXAMPLE VALUES): every line the engine writes, so that a
# changed word, number or branch of the explanation shows here (docs/testing.md).

EXPLAIN_PENDING = [
    (
        "hubspot-2025@2025-07-15 as of 2025-07-15: HubSpot Solutions Partner Program, "
        "from 15 July 2025"
    ),
    "total: 66.69 = sold 36.00 + managed 30.69",
    (
        "  sold:d-2: 300.00 EUR at 75 EUR per 100 USD x 3 points per 100 USD = 12.00 "
        "(sourced rate of the rows from 2022-07-18, grandfathered: marketing-hub first "
        "sold on 2023-09-14); counts from 2024-10-01 until 2025-10-01"
    ),
    (
        "  sold:d-3: 180.00 EUR at 75 EUR per 100 USD x 5 points per 100 USD = 12.00 "
        "(sourced rate of the rows from 2024-02-27); counts from 2025-01-20 until "
        "2026-01-20"
    ),
    (
        "  sold:d-5: 400.00 USD at 100 USD per 100 USD x 3 points per 100 USD = 12.00 "
        "(assisted rate of the rows from 2024-02-27); counts from 2025-02-11 until "
        "2026-02-11"
    ),
    (
        "  managed:c-adatum:2022-11-01:s-ada-svc:2022-11-01: 1500.00 USD MRR at 100 USD "
        "per 100 USD x 1 points per 100 USD x 2 (growth market IN) / 2 partners = "
        "15.00; counts from 2022-11-01 while it lasts"
    ),
    (
        "  managed:c-fabrikam:2023-09-14:s-fab-mkt:2025-07-15: 1200.00 EUR MRR at 88 EUR "
        "per 100 USD x 1 points per 100 USD = 13.64; counts from 2025-07-15 while it "
        "lasts"
    ),
    (
        "  managed:c-fabrikam:2023-09-14:s-fab-sales:2025-07-15: 180.00 EUR MRR at 88 EUR "
        "per 100 USD x 1 points per 100 USD = 2.05; counts from 2025-07-15 while it "
        "lasts"
    ),
    "sourced: 24.00 = 12.00 (sold:d-2) + 12.00 (sold:d-3)",
    (
        "managed: 30.69 = 15.00 (managed:c-adatum:2022-11-01:s-ada-svc:2022-11-01) + "
        "13.64 (managed:c-fabrikam:2023-09-14:s-fab-mkt:2025-07-15) + 2.05 "
        "(managed:c-fabrikam:2023-09-14:s-fab-sales:2025-07-15)"
    ),
    "gate certified passed: certification cert-2 is valid from 2025-04-20 until 2027-04-19",
    "gate invited (elite) failed: invited is not stated; caps the tier at diamond",
    "gate retention (elite) failed: the book states no retention; caps the tier at diamond",
    (
        "gate team-certifications (elite) failed: the book states no "
        "team_certifications; caps the tier at diamond"
    ),
    "points reach Gold: total 66.69 >= 52.5, sourced 24.00 >= 10, managed 30.69 >= 10",
    (
        "points do not reach Platinum: total 66.69 < 157.5 (90.81 short), sourced 24.00 "
        "< 30 (6.00 short), managed 30.69 >= 30"
    ),
    "tier held: platinum (since 2025-02-11: reached Platinum on qualifying)",
    (
        "pending: down to gold on 2025-07-31 (below the Platinum retain minimum at the "
        "review of 2025-07-01 (total 69.40 < 141.75, sourced 24.00 < 27); soft landing: "
        "one tier down; notice given on 2025-07-01)"
    ),
    (
        "keep Platinum: total 66.69 < 141.75 (75.06 short), sourced 24.00 < 27 (3.00 "
        "short), managed 30.69 >= 27"
    ),
    "to reach Diamond: total 353.31, sourced 56.00, managed 49.31 more",
    ("next review 2026-01-01: expiring before it: total 12.00, sourced 12.00; projected tier gold"),
]

EXPLAIN_LEGACY = [
    (
        "hubspot-2018@2018-01-01 as of 2025-09-30: HubSpot Solutions Partner Program, "
        "MRR tiers of 2018"
    ),
    "sold_mrr_usd: 1040.00 = 400.00 (sold:d-2) + 240.00 (sold:d-3) + 400.00 (sold:d-5)",
    (
        "  sold:d-2: 300.00 EUR at 75 EUR per 100 USD x 0 points per 100 USD = 0.00 "
        "(sourced rate of the rows from 2018-01-01); counts from 2024-10-01 until "
        "2025-10-01"
    ),
    (
        "  sold:d-3: 180.00 EUR at 75 EUR per 100 USD x 0 points per 100 USD = 0.00 "
        "(sourced rate of the rows from 2018-01-01); counts from 2025-01-20 until "
        "2026-01-20"
    ),
    (
        "  sold:d-5: 400.00 USD at 100 USD per 100 USD x 0 points per 100 USD = 0.00 "
        "(assisted rate of the rows from 2018-01-01); counts from 2025-02-11 until "
        "2026-02-11"
    ),
    (
        "managed_mrr_usd: 2590.00 = 750.00 "
        "(managed:c-adatum:2022-11-01:s-ada-svc:2022-11-01) + 1600.00 "
        "(managed:c-fabrikam:2023-09-14:s-fab-mkt:2024-10-01) + 240.00 "
        "(managed:c-fabrikam:2023-09-14:s-fab-sales:2025-01-20)"
    ),
    (
        "  managed:c-adatum:2022-11-01:s-ada-svc:2022-11-01: 1500.00 USD MRR at 100 USD "
        "per 100 USD x 0 points per 100 USD / 2 partners = 0.00; counts from 2022-11-01 "
        "while it lasts"
    ),
    (
        "  managed:c-fabrikam:2023-09-14:s-fab-mkt:2024-10-01: 1200.00 EUR MRR at 75 EUR "
        "per 100 USD x 0 points per 100 USD = 0.00; counts from 2024-10-01 while it "
        "lasts"
    ),
    (
        "  managed:c-fabrikam:2023-09-14:s-fab-sales:2025-01-20: 180.00 EUR MRR at 75 EUR "
        "per 100 USD x 0 points per 100 USD = 0.00; counts from 2025-01-20 while it "
        "lasts"
    ),
    "gate certified passed: certification cert-2 is valid from 2025-04-20 until 2027-04-19",
    (
        "gate median-tools passed: median tool usage 6 >= 3 over c-adatum 8, c-fabrikam "
        "6, c-tailspin 2"
    ),
    (
        "points do not reach Silver: sold_mrr_usd 1040.00 < 1125 (85.00 short), "
        "managed_mrr_usd 2590.00 >= 1125"
    ),
    (
        "tier held: untiered (since 2025-07-31: below the Silver retain minimum at the "
        "review of 2025-07-01 (sold_mrr_usd 1040.00 < 1125); soft landing: one tier "
        "down; notice given on 2025-07-01)"
    ),
    "to reach Silver: sold_mrr_usd 85.00 more",
    "next review 2026-01-01: expiring before it: sold_mrr_usd 400.00; projected tier untiered",
]

EXPLAIN_BEFORE_ANY_SALE = [
    (
        "hubspot-2025@2025-07-15 as of 2022-06-01: HubSpot Solutions Partner Program, "
        "from 15 July 2025"
    ),
    "total: 0 = sold 0 + managed 0",
    "sourced: 0 (no active batch)",
    "managed: 0 (no active batch)",
    (
        "gate certified failed: certification cert-1 is valid only from 2023-05-02; no "
        "tier can be held"
    ),
    "gate invited (elite) failed: invited is not stated; caps the tier at diamond",
    "gate retention (elite) failed: the book states no retention; caps the tier at diamond",
    (
        "gate team-certifications (elite) failed: the book states no "
        "team_certifications; caps the tier at diamond"
    ),
    (
        "points do not reach Gold: total 0 < 52.5 (52.5 short), sourced 0 < 10 (10 "
        "short), managed 0 < 10 (10 short)"
    ),
    "tier held: untiered",
    "to reach Gold: total 52.5, sourced 10, managed 10 more",
    "next review 2022-07-01: nothing expires before it; projected tier untiered",
]

EXPLAIN_UNCERTIFIED_TAIL = [
    "gate retention (elite) failed: the book states no retention; caps the tier at diamond",
    (
        "gate team-certifications (elite) failed: the book states no "
        "team_certifications; caps the tier at diamond"
    ),
    "points reach Gold: total 66.69 >= 52.5, sourced 24.00 >= 10, managed 30.69 >= 10",
    (
        "points do not reach Platinum: total 66.69 < 157.5 (90.81 short), sourced 24.00 "
        "< 30 (6.00 short), managed 30.69 >= 30"
    ),
    "gates cap the qualified tier at untiered",
    (
        "tier held: untiered (since 2023-07-01: no tier reached within 24 months of "
        "joining on 2021-03-01: moved to Provider at the review of 2023-07-01)"
    ),
    "to reach Gold: every threshold is met",
    (
        "next review 2026-01-01: expiring before it: total 12.00, sourced 12.00; "
        "projected tier untiered"
    ),
]


@pytest.mark.parametrize(
    ("program", "day", "expected"),
    [
        pytest.param("hubspot-2025", "2025-07-15", EXPLAIN_PENDING, id="pending-demotion"),
        pytest.param("hubspot-2018", "2025-09-30", EXPLAIN_LEGACY, id="legacy-mrr-tracks"),
        pytest.param("hubspot-2025", "2022-06-01", EXPLAIN_BEFORE_ANY_SALE, id="before-any-sale"),
    ],
)
def test_explain_writes_every_line_of_the_worked_example(
    program: str,
    day: str,
    expected: list[str],
    capsys: pytest.CaptureFixture[str],
    northwind: pt.Book,
) -> None:
    status = pt.evaluate(northwind, pt.load_program(program), as_of=dt.date.fromisoformat(day))
    assert status.reasons == expected
    # Batch lines are indented under the track they count toward.
    assert ok(["explain", BOOK, "--as-of", day, "--program", program], capsys) == (
        "\n".join(expected) + "\n"
    )


def test_explain_when_gates_cap_the_qualified_tier(northwind: pt.Book) -> None:
    book = attrs.evolve(northwind, certifications=())
    status = pt.evaluate(book, pt.load_program("hubspot-2025"), as_of=dt.date(2025, 9, 30))
    assert status.reasons[-8:] == EXPLAIN_UNCERTIFIED_TAIL
    assert [r.text for r in status.explain().about("qualified")][-1] == (
        "gates cap the qualified tier at untiered"
    )
    assert "gate certified failed: the book holds no certification; no tier can be held" in (
        status.reasons
    )
    assert status.level == "provider"


def test_evaluate_json_is_the_whole_contract(capsys: pytest.CaptureFixture[str]) -> None:
    data = evaluate_json(capsys)
    reasons = data.pop("reasons")
    gates = data.pop("gates")
    history = data.pop("history")
    assert isinstance(history, list)
    assert data.pop("pending_demotion") is None
    assert data.pop("known_at") is None  # every record: no --known-at
    receipt = data.pop("receipt")
    assert isinstance(receipt, dict)
    assert receipt["program"] == "hubspot"  # the series; the version judged the day
    assert (receipt["version"], receipt["as_of"], receipt["known_at"]) == (
        "hubspot-2025@2025-07-15",
        "2025-09-30",
        None,
    )
    assert receipt["book_hash"] == pt.book_hash(pt.demo_book())
    assert receipt["program_hash"] == pt.program_hash(pt.load_program("hubspot"))
    assert [(change["on"], change["to_tier"], change["cause"]) for change in history] == [
        ("2023-07-01", None, "first_tier_deadline"),
        ("2023-09-14", "gold", "promotion"),
        ("2025-01-20", "platinum", "promotion"),  # managed MRR of the day
        ("2025-07-31", "gold", "review_demotion"),
    ]
    assert [change["version"] for change in history] == [
        "hubspot-2022@2022-07-18",
        "hubspot-2022@2022-07-18",
        "hubspot-2024@2024-02-27",
        "hubspot-2025@2025-07-15",
    ]
    assert isinstance(reasons, list)
    assert isinstance(gates, list)
    assert data == {
        "as_of": "2025-09-30",
        "program": "hubspot-2025@2025-07-15",
        "tier": "gold",
        "qualified_tier": "gold",
        "level": "partner",
        "points": {
            "sold": "36.00",
            "sourced": "24.00",
            "assisted": "12.00",
            "managed": "30.69",
            "total": "66.69",
        },
        "values": {"total": "66.69", "sourced": "24.00", "managed": "30.69"},
        "next_tier": "platinum",
        "to_next_tier": {"total": "90.81", "sourced": "6.00", "managed": "0"},
        "to_keep_tier": {"total": "19.44", "sourced": "15.00", "managed": "21.69"},
        "next_review": "2026-01-01",
        "projected_tier": "gold",
        # Added by issue 18, item 21: the keys above keep their meaning.
        "held_since": "2025-07-31",
        "next_tier_reach": {"total": "157.5", "sourced": "30", "managed": "30"},
        "retain_minimum": {"total": "47.25", "sourced": "9", "managed": "9"},
        "expiring_before_review": {"total": "12.00", "sourced": "12.00", "managed": "0"},
    }
    assert [gate["name"] for gate in gates] == [
        "certified",
        "invited",
        "retention",
        "team-certifications",
    ]
    assert [gate["passed"] for gate in gates] == [True, False, False, False]
    assert reasons[0] == (
        "hubspot-2025@2025-07-15 as of 2025-09-30: HubSpot Solutions Partner Program, "
        "from 15 July 2025"
    )


def test_the_explanation_is_structured_by_topic_subject_and_batches(northwind: pt.Book) -> None:
    status = pt.evaluate(northwind, pt.load_program("hubspot-2025"), as_of=dt.date(2025, 7, 15))
    sold = ("sold:d-2", "sold:d-3", "sold:d-5")
    managed = (
        "managed:c-adatum:2022-11-01:s-ada-svc:2022-11-01",
        "managed:c-fabrikam:2023-09-14:s-fab-mkt:2025-07-15",
        "managed:c-fabrikam:2023-09-14:s-fab-sales:2025-07-15",
    )
    explanation = status.explain()
    assert [(r.topic, r.subject, r.batches, r.depth) for r in explanation.reasons] == [
        ("program", None, (), 0),
        ("track", "total", (), 0),
        *[("batch", "total", (batch,), 1) for batch in (*sold, *managed)],
        ("track", "sourced", sold[:2], 0),
        ("track", "managed", managed, 0),
        ("gate", "certified", (), 0),
        ("gate", "invited", (), 0),
        ("gate", "retention", (), 0),
        ("gate", "team-certifications", (), 0),
        ("qualified", "gold", (), 0),
        ("qualified", "platinum", (), 0),
        ("held", "platinum", (), 0),
        ("held", "platinum", (), 0),
        ("keep", "platinum", (), 0),
        ("next", "diamond", (), 0),
        ("review", None, (), 0),
    ]
    assert [r.text for r in explanation.about("held")] == EXPLAIN_PENDING[-5:-3]
    assert explanation.lines() == EXPLAIN_PENDING


def test_the_explanation_of_an_assisted_track_lists_its_batches(northwind: pt.Book) -> None:
    data = pt.program_to_dict(pt.load_program("hubspot-2025"))
    data["tracks"].append({"id": "assisted", "label": "Assisted points"})
    program = pt.program_from_dict(data)
    status = pt.evaluate(northwind, program, as_of=dt.date(2025, 9, 30))
    [assisted] = [r for r in status.explain().about("track") if r.subject == "assisted"]
    assert assisted.text == "assisted: 12.00 = 12.00 (sold:d-5)"
    assert assisted.batches == ("sold:d-5",)
    assert status.values["assisted"] == Decimal("12.00")


def test_the_explanation_of_a_custom_track_names_its_kind(northwind: pt.Book) -> None:
    data = pt.program_to_dict(pt.load_program("hubspot-2025"))
    data["tracks"].append({"id": "clients", "kind": "client_count"})
    registry = pt.Registry().with_track(
        "client_count", lambda context, params: Decimal(len(context.book.clients))
    )
    program = pt.program_from_dict(data, registry=registry)
    status = pt.evaluate(northwind, program, as_of=dt.date(2025, 9, 30))
    [custom] = [r for r in status.explain().about("track") if r.subject == "clients"]
    assert (custom.topic, custom.text, custom.batches) == (
        "track",
        "clients: 3 (custom track client_count)",
        (),
    )
    assert str(status.explain()).count("  sold:d-5:") == 1  # each batch shown once


def test_demo_shows_the_plan_the_team_the_breakdown_and_the_projection(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Issue 18, "Done when": the demo shows the team tab, the sold breakdown, the
    # three-month projection and the plan.
    out = ok(["demo"], capsys)
    lines = out.splitlines()
    assert "Plan for the review on 2026-01-01" in lines
    assert "  to keep gold: already holds: nothing to do" in lines
    assert (
        "    by 2026-01-01: close a partner-sourced deal of 2056.10 USD MRR for a new client "
        "(c-plan-sourced)"
    ) in lines
    assert (
        "Points: sold 36.00 (sourced 24.00, assisted 12.00)   managed 30.69   total 66.69" in lines
    )
    assert "Projection to 2025-12-30 (upcoming expirations, nothing else changing):" in lines
    assert "  Channel Account Manager: Priya Raman  mailto:priya.raman@vendor.example.com" in lines
