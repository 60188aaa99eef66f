"""partner-tiers lint: warnings with codes, silenced by lint.ignore in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

import partner_tiers as pt
from cli_run import run_cli
from partner_tiers._views.program_lint import lint_program


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
