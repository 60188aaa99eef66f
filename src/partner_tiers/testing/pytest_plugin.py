"""A pytest plugin: every ``*.scenario.toml`` / ``*.scenario.yaml`` file is a test.

Installed with the package (the ``pytest11`` entry point ``partner_tiers``), so a program
team needs nothing but pytest: each scenario runs against the program it names
(``program = "hubspot-2025"`` or a path beside the file) and fails as
``partner-tiers test`` does, with expected against actual and the explanation's lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from partner_tiers._errors import PartnerTiersError
from partner_tiers._io.programfile import list_programs, load_program
from partner_tiers._views.scenario_tests import ScenarioResult, load_scenario, run_scenario

__all__ = ["ScenarioFailed", "ScenarioFile", "ScenarioItem", "pytest_collect_file"]

_SUFFIXES = (".scenario.toml", ".scenario.yaml", ".scenario.yml")


class ScenarioFailed(AssertionError):
    """A scenario's expectation does not hold: the result says which."""

    def __init__(self, result: ScenarioResult) -> None:
        self.result = result
        super().__init__("\n".join(result.lines()))


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> ScenarioFile | None:
    """Collect scenario files by their suffix."""
    if file_path.name.endswith(_SUFFIXES):
        file: ScenarioFile = ScenarioFile.from_parent(parent, path=file_path)
        return file
    return None


class ScenarioFile(pytest.File):
    """A scenario file: one test item."""

    def collect(self) -> Iterator[ScenarioItem]:
        """The file's one scenario."""
        yield ScenarioItem.from_parent(self, name=self.path.name)


class ScenarioItem(pytest.Item):
    """One scenario run against the program it names."""

    def runtest(self) -> None:
        """Run the scenario; raise ScenarioFailed when an expectation does not hold."""
        scenario = load_scenario(self.path)
        if scenario.program is None:
            raise PartnerTiersError(f"{self.path}: program: the scenario names no program")
        name = scenario.program
        target = name if name in list_programs() else str(self.path.parent / name)
        result = run_scenario(scenario, load_program(target))
        if not result.passed:
            raise ScenarioFailed(result)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: object = None,
    ) -> str:
        """A failed scenario as the CLI prints it; bad input as one line."""
        error = excinfo.value
        if isinstance(error, ScenarioFailed):
            return "\n".join(error.result.lines())
        if isinstance(error, PartnerTiersError):
            return " ".join(str(error).split())
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        """Where the item is, for pytest's report."""
        return self.path, 0, f"scenario {self.path.name}"
