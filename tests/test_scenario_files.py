"""Scenario tests (issue 17): the shipped scenario files, built from the worked examples
of domain.md, pass under their programs; the CLI's answers and exit codes; coverage."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

import partner_tiers as pt
from cli_run import run_cli
from partner_tiers._views.scenario_coverage import scenario_coverage
from partner_tiers._views.scenario_tests import load_scenario, run_scenario

SHIPPED = Path(str(resources.files("partner_tiers") / "programs" / "scenarios"))
FILES = sorted(SHIPPED.glob("*.scenario.toml"))


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_shipped_scenario_passes_under_its_program(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.program is not None
    result = run_scenario(scenario, pt.load_program(scenario.program))
    assert result.passed, "\n".join(result.lines())


def test_shipped_scenarios_cover_hubspot_2025_but_diamond_kept_at_a_review() -> None:
    program = pt.load_program("hubspot-2025")
    results = [
        run_scenario(scenario, program)
        for scenario in map(load_scenario, FILES)
        if scenario.program == "hubspot-2025"
    ]
    coverage = scenario_coverage(results, program)
    uncovered = [(item.kind, item.item) for item in coverage.uncovered]
    assert uncovered == [("tier retained at a review", "diamond")]
    assert coverage.percent == 95


def _scenario(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "s.scenario.toml"
    path.write_text('name = "northwind"\nbook = "book.json"\n\n' + body, "utf-8")
    (tmp_path / "book.json").write_text(pt.dumps_book(pt.demo_book()), "utf-8")
    return path


def test_a_failing_scenario_shows_expected_actual_and_the_explanation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The example book under hubspot-2025 on 2025-09-30: gold, total 66.69 (test_cli.py).
    path = _scenario(
        tmp_path,
        '[[expect]]\nas_of = 2025-09-30\ntier = "platinum"\ntracks = { total = "66.69" }\n',
    )
    code, out, err = run_cli(["test", "hubspot-2025", str(path)], capsys)
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0] == f"FAIL  northwind ({path})"
    assert lines[1] == "  as of 2025-09-30: tier: expected platinum, got gold"
    assert any(line.startswith("      tier held: gold") for line in lines)
    assert "tracks.total" not in out  # 66.69 holds
    assert lines[-1] == "0 passed, 1 failed"


def test_a_passing_scenario_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _scenario(
        tmp_path,
        '[[expect]]\nas_of = 2025-09-30\ntier = "gold"\ngates = { certified = "passed" }\n',
    )
    code, out, _ = run_cli(["test", "hubspot-2025", str(path)], capsys)
    assert (code, out.splitlines()[-1]) == (0, "1 passed, 0 failed")


def test_an_unknown_tier_exits_2_with_one_line_naming_file_and_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _scenario(tmp_path, '[[expect]]\nas_of = 2025-09-30\ntier = "silver"\n')
    code, out, err = run_cli(["test", "hubspot-2025", str(path)], capsys)
    assert code == 2
    assert out == ""
    assert err == (
        f"partner-tiers: error: {path}: expect[0].tier: names no tier of "
        "hubspot-2025@2025-07-15 (it has gold, platinum, diamond, elite) (got 'silver')\n"
    )


def test_a_bad_inline_book_names_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.scenario.toml"
    path.write_text('name = "x"\n[book.partner]\nid = "p"\n[[expect]]\nas_of = 2025-01-01\n')
    code, _, err = run_cli(["test", "hubspot-2025", str(path)], capsys)
    assert code == 2
    assert f"{path}: book.partner.name: is required but missing" in err
