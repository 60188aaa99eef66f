"""The pytest plugin collects scenario files as tests, failing as the CLI does."""

from __future__ import annotations

from importlib import resources
from importlib.metadata import entry_points
from pathlib import Path

import pytest

import partner_tiers as pt

pytest_plugins = ["pytester"]

PLUGIN = "partner_tiers.testing.pytest_plugin"


def _installed() -> bool:
    return "partner_tiers" in {entry.name for entry in entry_points(group="pytest11")}


# Installed, the plugin loads through its pytest11 entry point (naming it again with -p
# would register it twice); a source checkout that is not installed loads it by module.
PLUGIN_ARGS: tuple[str, ...] = () if _installed() else ("-p", PLUGIN)
GRANDFATHERING = Path(
    str(
        resources.files("partner_tiers") / "programs" / "scenarios" / "grandfathering.scenario.toml"
    )
)


def _with_book(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("book.json").write_text(pt.dumps_book(pt.demo_book()), "utf-8")


def test_scenario_files_are_collected_and_pass(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.toml", grandfathering=GRANDFATHERING.read_text("utf-8"))
    result = pytester.runpytest(*PLUGIN_ARGS, "-v")
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
    result = pytester.runpytest(*PLUGIN_ARGS)
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
    result = pytester.runpytest(*PLUGIN_ARGS)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*bad.scenario.toml: program: the scenario names no program*"])


def test_the_plugin_is_declared_as_a_pytest11_entry_point() -> None:
    import tomllib

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["entry-points"]["pytest11"] == {"partner_tiers": PLUGIN}
