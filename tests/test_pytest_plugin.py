"""The pytest plugin collects scenario files as tests, failing as the CLI does."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

import partner_tiers as pt

pytest_plugins = ["pytester"]

PLUGIN = "partner_tiers.testing.pytest_plugin"
GRANDFATHERING = Path(
    str(
        resources.files("partner_tiers") / "programs" / "scenarios" / "grandfathering.scenario.toml"
    )
)


def _with_book(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("book.json").write_text(pt.dumps_book(pt.demo_book()), "utf-8")


def test_scenario_files_are_collected_and_pass(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.toml", grandfathering=GRANDFATHERING.read_text("utf-8"))
    result = pytester.runpytest("-p", PLUGIN, "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["*grandfathering.scenario.toml::grandfathering.scenario.toml PASSED*"]
    )


def test_a_failure_reads_like_the_cli(pytester: pytest.Pytester) -> None:
    _with_book(pytester)
    pytester.makefile(
        ".scenario.yaml",
        northwind=(
            "name: northwind\nprogram: hubspot-2025\nbook: book.json\n"
            "expect:\n  - as_of: 2025-09-30\n    tier: platinum\n"
        ),
    )
    result = pytester.runpytest("-p", PLUGIN)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "FAIL  northwind (*northwind.scenario.yaml)",
            "  as of 2025-09-30: tier: expected platinum, got gold",
            "      tier held: gold*",
        ]
    )


def test_bad_input_fails_with_one_line(pytester: pytest.Pytester) -> None:
    _with_book(pytester)
    pytester.makefile(
        ".scenario.toml",
        bad='name = "x"\nbook = "book.json"\n[[expect]]\nas_of = 2025-09-30\n',
    )
    result = pytester.runpytest("-p", PLUGIN)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*bad.scenario.toml: program: the scenario names no program*"])
