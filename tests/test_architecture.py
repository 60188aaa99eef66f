"""The import graph: each layer imports only the layers below it, and no modules import
each other in a circle (docs/explanation/architecture.md).

The contracts are import-linter's, kept in pyproject.toml; this test runs them, and
shows that they would catch a new upward import or cycle by planting one in a copy of
the package.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "pyproject.toml"


def _lint_imports(source: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter's contracts over the package found at ``source``."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from importlinter.cli import lint_imports_command; "
        "sys.argv = ['lint-imports', '--no-cache', '--config', sys.argv[2]]; "
        "lint_imports_command()"
    )
    return subprocess.run(
        [sys.executable, "-c", script, str(source), str(CONFIG)],
        capture_output=True,
        text=True,
        check=False,
        cwd=source,
    )


def test_the_layers_and_no_cycles_hold() -> None:
    result = _lint_imports(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


PLANTED = {
    "the model importing the engine": (
        {"_model/book.py": "from partner_tiers._engine import evaluate as _up"},
        "partner_tiers._model.book -> partner_tiers._engine.evaluate",
    ),
    "the ledger importing the rules": (
        {"_ledger/__init__.py": "from partner_tiers._rules import program as _up"},
        "partner_tiers._ledger -> partner_tiers._rules.program",
    ),
    "two views importing each other, one under type checking only": (
        {
            "_views/report.py": "from partner_tiers._views import diff as _there",
            "_views/diff.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from partner_tiers._views import report as _back"
            ),
        },
        "No cycles are allowed in partner_tiers._views",
    ),
}


@pytest.mark.parametrize("case", sorted(PLANTED))
def test_a_planted_upward_import_or_cycle_breaks_a_contract(tmp_path: Path, case: str) -> None:
    lines, broken = PLANTED[case]
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "src", copy, ignore=shutil.ignore_patterns("__pycache__"))
    for module, line in lines.items():
        target = copy / "partner_tiers" / module
        target.write_text(target.read_text("utf-8") + "\n" + line + "\n", "utf-8")
    result = _lint_imports(copy)
    assert result.returncode != 0
    assert broken in " ".join(result.stdout.split())
