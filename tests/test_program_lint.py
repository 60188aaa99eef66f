"""partner-tiers lint: warnings with codes, silenced by lint.ignore in the file."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import partner_tiers as pt
from cli_run import run_cli
from partner_tiers._views.program_lint import lint_program
from partner_tiers.testing.program_properties import check_properties


def _program(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "p.toml"
    path.write_text('extends = "hubspot-2025"\nname = "p"\n' + body, "utf-8")
    return path


def test_the_shipped_2025_program_is_clean_and_2018_has_no_hysteresis() -> None:
    assert lint_program(pt.load_program("hubspot-2025")) == []
    codes = {warning.code for warning in lint_program(pt.load_program("hubspot-2018"))}
    assert codes == {"PT001"}  # 2018 published no retain values: retain equals reach


def test_each_code_is_found(tmp_path: Path) -> None:
    path = _program(
        tmp_path,
        '[[tiers]]\nid = "gold"\nretain = { total = 52.5 }\n\n[policy]\nnotice_days = 200\n',
    )
    warnings = lint_program(pt.load_program(path))
    assert [(w.code, w.path) for w in warnings] == [
        ("PT001", "tiers[0].retain.total"),
        ("PT005", "policy.notice_days"),
    ]


def test_lint_exits_1_with_warnings_and_0_once_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _program(tmp_path, "[policy]\nnotice_days = 200\n")
    code, out, _ = run_cli(["lint", str(path)], capsys)
    assert code == 1
    assert out.splitlines() == [
        f"{path}: PT005 policy.notice_days: 200 days of notice, but reviews can be 181 days "
        "apart: a demotion lands after the next review has looked again",
        "1 warning",
    ]
    path.write_text(path.read_text() + '\n[lint]\nignore = ["PT005"]\n')
    code, out, _ = run_cli(["lint", str(path)], capsys)
    assert (code, out) == (0, "0 warnings\n")


def test_an_unknown_code_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _program(tmp_path, '[lint]\nignore = ["PT999"]\n')
    code, _, err = run_cli(["lint", str(path)], capsys)
    assert code == 2
    assert f"{path}: lint.ignore: must be a list of codes" in err


def test_contradicting_fact_gates_make_a_tier_unreachable(tmp_path: Path) -> None:
    path = _program(
        tmp_path,
        '[[gates]]\nid = "invited"\nkind = "fact_true"\ntiers = ["gold"]\n'
        'params = { fact = "invited" }\n\n'
        '[[gates]]\nid = "invited-twice"\nkind = "fact_at_least"\ntiers = ["platinum"]\n'
        'params = { fact = "invited", minimum = 2 }\n',
    )
    program = pt.load_program(path)
    warnings = [w for w in lint_program(program) if w.code == "PT002"]
    index = [gate.id for gate in program.gates].index("invited-twice")
    assert [(w.path, w.message.split(":")[0]) for w in warnings] == [
        (f"gates[{index}].params.minimum", "Platinum cannot be reached")
    ]
    book = pt.demo_book()
    book = attrs.evolve(book, facts={**book.facts, "invited": True})
    assert pt.evaluate(book, program, as_of=dt.date(2025, 9, 30)).qualified_tier != "platinum"


def test_a_minimum_of_one_is_met_by_true(tmp_path: Path) -> None:
    path = _program(
        tmp_path,
        '[[gates]]\nid = "invited"\nkind = "fact_true"\nparams = { fact = "invited" }\n\n'
        '[[gates]]\nid = "at-least"\nkind = "fact_at_least"\n'
        'params = { fact = "invited", minimum = 1 }\n',
    )
    assert [w for w in lint_program(pt.load_program(path)) if w.code == "PT002"] == []


def _falls_with_sales(context: pt.Context, params: Mapping[str, Any]) -> Decimal:
    """A track that a sale lowers: 10 until the first deal, then 0."""
    sold = any(deal.closed_on <= context.as_of for deal in context.book.deals)
    return Decimal(0 if sold else 10)


def test_properties_find_a_sale_that_lowers_the_tier_with_a_shrunk_book() -> None:
    registry = pt.Registry().with_track("falls_with_sales", _falls_with_sales)
    data = pt.program_to_dict(pt.load_program("hubspot-2025"))
    data["tracks"].append({"id": "quiet", "kind": "falls_with_sales", "label": "Quiet"})
    data["tiers"] = [{"id": "quiet", "name": "Quiet", "reach": {"quiet": "5"}}]
    data["gates"] = []
    program = pt.program_from_dict(data, registry=registry)
    [violation] = check_properties(program, 30)
    assert violation.code == "PT101"
    assert "moves the tier on" in violation.message
    assert violation.book.deals == ()  # shrunk: the sale alone shows it
    assert len(violation.book.clients) == 1


def test_the_shipped_programs_keep_the_properties() -> None:
    for name in ("hubspot-2025", "hubspot-2022"):
        assert check_properties(pt.load_program(name), 15) == []


def test_lint_properties_prints_the_counterexample_book(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _program(tmp_path, "")
    code, out, _ = run_cli(["lint", str(path), "--properties", "10"], capsys)
    assert (code, out) == (0, "0 warnings\n")
    code, _, err = run_cli(["lint", str(path), "--properties", "0"], capsys)
    assert code == 2
    assert "--properties" in err


def test_lint_properties_without_hypothesis_names_the_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "hypothesis", None)  # an import of it fails
    code, _, err = run_cli(["lint", str(_program(tmp_path, "")), "--properties", "5"], capsys)
    assert code == 2
    assert "properties" in err
