"""Every check of the project: `nox` runs them all, `nox -s NAME` one of them."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "typecheck", "docs"]
nox.options.error_on_missing_interpreters = True

PYTHON = "3.11"


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Unit, property and stateful tests."""
    session.install("-e", ".[tests]")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict over src and tests."""
    # The test extra too: mypy must see the same optional libraries the tests import.
    session.install("-e", ".[tests,typecheck]")
    session.run("mypy")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the documentation site strictly (no network needed)."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", "--strict", "--site-dir", "site")


@nox.session(python=PYTHON)
def fuzz(session: nox.Session) -> None:
    """The long fuzzing profile (2000 examples a test); not part of the default run."""
    session.install("-e", ".[tests]")
    session.run("pytest", "tests/test_fuzz.py", env={"PARTNER_TIERS_FUZZ": "long"})


@nox.session(python=PYTHON)
def mutation(session: nox.Session) -> None:
    """mutmut over the ledger, rules, engine and configuration modules; fails on any
    survivor that is not a reviewed equivalent (mutmut itself exits 0 with survivors)."""
    session.install("-e", ".[tests]", "mutmut>=3")
    session.run("mutmut", "run", "--max-children", "2")
    session.run("mutmut", "export-cicd-stats")
    output = session.run("mutmut", "results", silent=True) or ""
    survivors = sorted(
        line.strip().rpartition(": ")[0]
        for line in output.splitlines()
        if line.strip().endswith((": survived", ": no tests", ": suspicious"))
    )
    reviewed = tomllib.loads(Path("tests/mutation-equivalents.toml").read_text("utf-8"))
    equivalent = reviewed["equivalent"]
    # mutmut counts pytest's exit code 3 (internal error: a plugin that fails to load, a
    # broken conftest) as a kill. Such "kills" mean the tests did not run: a pytest plugin
    # that stopped loading half-way through a run once made 2,991 mutants count as killed.
    broken = sorted(
        name
        for meta in Path("mutants").rglob("*.meta")
        for name, code in json.loads(meta.read_text("utf-8"))["exit_code_by_key"].items()
        if code == 3
    )
    if broken:
        session.error(
            f"pytest failed to run (exit code 3) for {len(broken)} mutants: {broken[0]}, ..."
        )
    stats = json.loads(Path("mutants/mutmut-cicd-stats.json").read_text("utf-8"))
    killed = stats["killed"] + stats["timeout"]
    session.log(
        f"{killed} of {stats['total']} mutants killed ({100 * killed / stats['total']:.1f} %); "
        f"{len(survivors)} survived, {sum(s in equivalent for s in survivors)} of them "
        "reviewed as equivalent (tests/mutation-equivalents.toml)"
    )
    unreviewed = [name for name in survivors if name not in equivalent]
    if unreviewed:
        session.error(
            "survivors to kill with a test or to review as equivalent: "
            + " ".join(unreviewed)
            + " (see `mutmut show NAME`)"
        )
