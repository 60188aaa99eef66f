"""The documentation, executed: every example the docs show runs here.

Every Python, TOML, JSON and console example of ``docs/`` is a file under ``docs_src/``
(or ``examples/``) that the pages include with ``pymdownx.snippets``. These tests run each
script section by section and compare what it prints with ``docs_src/outputs/NAME.out``
(the output the pages show), replay each ``.console`` transcript against the real command
line, and check that the pages name only things that exist and document everything the
reference pages promise. After a deliberate change of behaviour, rewrite the outputs with
``DOCS_REGEN=1 pytest tests/test_docs.py`` and review the diff.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import io
import os
import re
import runpy
import shlex
import shutil
import sys
import types
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import click
import pytest
import yaml

import partner_tiers as pt
from partner_tiers._cli import cli, main
from test_pytest_plugin import PLUGIN_ARGS

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
DOCS_SRC = ROOT / "docs_src"
OUTPUTS = DOCS_SRC / "outputs"
EXAMPLES = ROOT / "examples"
REGEN = os.environ.get("DOCS_REGEN") == "1"

_MARKER = re.compile(r"--8<-- \[(start|end):([\w-]+)\]")
_INCLUDE = re.compile(r"""^\s*-+8<-+\s+["']([^"']+)["']\s*$""")


# --- running the examples ----------------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder like the reader's: book.json and every example file, as the current folder."""
    example = resources.files("partner_tiers") / "data" / "northwind.json"
    (tmp_path / "book.json").write_bytes(example.read_bytes())
    for source in [*DOCS_SRC.glob("*.json"), *DOCS_SRC.glob("*.toml")]:
        shutil.copy(source, tmp_path / source.name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(DOCS_SRC))  # web_service_try imports web_service
    return tmp_path


def _chunks(path: Path) -> list[tuple[str, int, str]]:
    """The script as (section name or "", first line, code), in order."""
    chunks: list[tuple[str, int, str]] = []
    name, start, lines = "", 1, []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        marker = _MARKER.search(line)
        if marker is None:
            lines.append(line)
            continue
        if lines:
            chunks.append((name, start, "\n".join(lines) + "\n"))
        name = marker.group(2) if marker.group(1) == "start" else ""
        start, lines = number + 1, []
    if lines:
        chunks.append((name, start, "\n".join(lines) + "\n"))
    return chunks


def _normal(text: str) -> str:
    """Text with trailing spaces and trailing blank lines removed."""
    return "\n".join(line.rstrip() for line in text.rstrip().splitlines()) + "\n"


def _compare(expected_path: Path, actual: str) -> None:
    if REGEN:
        expected_path.parent.mkdir(exist_ok=True)
        expected_path.write_text(_normal(actual), "utf-8")
        return
    assert expected_path.exists(), f"no {expected_path}: run with DOCS_REGEN=1"
    expected = _normal(expected_path.read_text("utf-8"))
    if expected != _normal(actual):
        diff = difflib.unified_diff(
            expected.splitlines(), _normal(actual).splitlines(), "documented", "actual", lineterm=""
        )
        pytest.fail(
            f"{expected_path.name} differs from what the example prints:\n" + "\n".join(diff)
        )


def run_example(path: Path) -> dict[str, Any]:
    """Run a script section by section; compare its output with outputs/<stem>.out."""
    namespace: dict[str, Any] = {"__name__": "docs_example", "__file__": str(path)}
    rendered = []
    for name, first_line, code in _chunks(path):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(compile("\n" * (first_line - 1) + code, str(path), "exec"), namespace)
        output = buffer.getvalue()
        if name and output:
            rendered.append(f"--8<-- [start:{name}]\n{output}--8<-- [end:{name}]\n")
        elif output:
            rendered.append(output)
    _compare(OUTPUTS / f"{path.stem}.out", "".join(rendered))
    return namespace


def _matches(expected: list[str], actual: list[str]) -> bool:
    """Line-by-line equality where an expected line ``...`` stands for any lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(_matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and _matches(expected[1:], actual[1:])


def _run_command(command: str) -> tuple[int, str]:
    """Run one ``partner-tiers ...`` command in-process: exit code, stdout then stderr."""
    words = shlex.split(command)
    assert words[0] == "partner-tiers", command
    target = None
    if ">" in words:
        at = words.index(">")
        words, target = words[:at], words[at + 1]
    out, err = io.StringIO(), io.StringIO()
    code = 0
    # As the installed console script runs: click names the program after argv[0] when
    # __main__ is a plain script (no __package__), as it is for an entry point.
    argv, main_module = sys.argv, sys.modules["__main__"]
    sys.argv = ["partner-tiers", *words[1:]]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(words[1:])
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    finally:
        sys.argv, sys.modules["__main__"] = argv, main_module
    if target is not None:
        Path(target).write_text(out.getvalue(), "utf-8")
        return code, err.getvalue()
    return code, out.getvalue() + err.getvalue()


def run_console(path: Path) -> list[int]:
    """Replay a ``$ partner-tiers ...`` transcript; every output must match. Exit codes."""
    items: list[str | tuple[str, list[str]]] = []  # section markers and (command, output)
    for line in path.read_text("utf-8").splitlines():
        if _MARKER.search(line):
            items.append(line)
        elif line.startswith("$ "):
            items.append((line[2:], []))
        else:
            last = items[-1] if items else None
            assert isinstance(last, tuple), f"{path.name}: output before its command: {line}"
            last[1].append(line.rstrip())
    codes, regenerated = [], []
    for item in items:
        if isinstance(item, str):
            regenerated.append(item)
            continue
        command, expected = item
        code, output = _run_command(command)
        codes.append(code)
        actual = _normal(output).splitlines() if output.strip() else []
        matched = _matches(expected, actual)
        regenerated += [f"$ {command}", *(expected if matched else actual)]
        assert matched or REGEN, f"{path.name}: `{command}` printed:\n" + "\n".join(actual)
    if REGEN:
        path.write_text("\n".join(regenerated) + "\n", "utf-8")
    return codes


# --- the tutorials ----------------------------------------------------------------------


def test_index_example(workspace: Path) -> None:
    ns = run_example(DOCS_SRC / "index_example.py")
    assert ns["status"].tier == "gold"
    assert ns["status"].values["total"] == Decimal("66.69")


def test_first_evaluation(workspace: Path) -> None:
    run_example(DOCS_SRC / "get_example_book.py")
    ns = run_example(DOCS_SRC / "first_evaluation.py")
    status: pt.TierStatus = ns["status"]
    assert status.program == "hubspot-2025@2025-07-15"
    across: pt.TierStatus = ns["on_day"]  # the history across 2025-07-15, under the series
    assert [(change.on, change.version) for change in across.history[-2:]] == [
        (dt.date(2025, 1, 20), "hubspot-2024@2024-02-27"),
        (dt.date(2025, 7, 31), "hubspot-2025@2025-07-15"),
    ]
    assert status.tier == "gold"
    assert status.points == {
        "sold": Decimal("36.00"),
        "sourced": Decimal("24.00"),
        "assisted": Decimal("12.00"),
        "managed": Decimal("30.69"),
        "total": Decimal("66.69"),
    }
    assert status.next_tier == "platinum"
    assert status.to_next_tier["total"] == Decimal("90.81")
    assert status.to_next_tier["sourced"] == Decimal("6.00")


def test_first_evaluation_on_the_command_line(workspace: Path) -> None:
    assert run_console(DOCS_SRC / "first-evaluation.console") == [0, 0]


def test_notebook_script_runs_without_jupyter(workspace: Path) -> None:
    ns = run_example(EXAMPLES / "scenarios.py")
    assert ns["scenario"].after.tier == "platinum"
    cheapest = ns["cheapest"][0]
    assert (cheapest.motion, cheapest.market) == ("sourced", "standard")
    assert cheapest.amount == Decimal("1816.10")
    assert ns["check"].after.tier == "platinum"
    assert "<svg" in (workspace / "northwind-report.html").read_text("utf-8")


def test_notebook_extras(workspace: Path) -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    ns = run_example(DOCS_SRC / "notebook_extras.py")
    assert len(ns["frame"]) == 12
    assert (workspace / "progress.png").stat().st_size > 0


def test_own_program(workspace: Path) -> None:
    good = (workspace / "my-program.toml").read_text("utf-8")
    mistakes = (DOCS_SRC / "own-program-mistakes.toml").read_text("utf-8")
    silver = re.search(r'\[\[tiers\]\]\nid = "silver"\n(?:.+\n)+', good)
    assert silver is not None, "the tutorial's file has no silver tier to break"
    (workspace / "my-program.toml").write_text(good.replace(silver.group(0), mistakes), "utf-8")
    assert run_console(DOCS_SRC / "own-program-broken.console") == [2]
    (workspace / "my-program.toml").write_text(good, "utf-8")
    assert run_console(DOCS_SRC / "own-program-valid.console") == [0, 0]
    ns = run_example(DOCS_SRC / "own_program.py")
    assert ns["status"].tier == "silver"
    assert ns["status"].qualified_tier == "bronze"


# --- the how-to guides ------------------------------------------------------------------


def test_book_format(workspace: Path) -> None:
    ns = run_example(DOCS_SRC / "book_errors.py")
    assert ns["book"].facts["retention"] == Decimal("0.91")
    with pytest.raises(pt.FileFormatError) as broken:
        pt.load_book("book-broken.json")
    assert [p.path for p in broken.value.problems] == [
        "partner.country",
        "deals[0].kind",
        "deals[0].closed_on",
        "deals[0].mrr_change.currency",
        "deals[1].closed_on",
        "deals[1].closed",
    ]


def test_custom_rules(workspace: Path) -> None:
    ns = run_example(DOCS_SRC / "custom_rules.py")
    status: pt.TierStatus = ns["status"]
    assert status.values["growth"] == Decimal("15.00")
    assert status.tier == "member"
    gate = next(g for g in status.gates if g.name == "two-managed-clients")
    assert gate.passed
    assert run_console(DOCS_SRC / "custom-rules.console") == [2]


def test_web_service(workspace: Path) -> None:
    ns = run_example(DOCS_SRC / "web_service_try.py")
    post = ns["post"]
    status, data = post((workspace / "book.json").read_bytes(), "as_of=2025-09-30")
    assert (status, data["tier"]) == ("200 OK", "gold")
    status, data = post(b"{}", "as_of=2025-09-30&program=hubspot-1999")
    assert status == "400 Bad Request"
    assert "hubspot-1999" in data["error"]


def test_compare_programs(workspace: Path) -> None:
    ns = run_example(DOCS_SRC / "compare_programs.py")
    assert ns["impact"].moves["p-assisted"] == ("gold", None)
    assert ns["impact"].down == 1
    assert run_console(DOCS_SRC / "compare-programs.console") == [0, 0]


def test_known_at(workspace: Path) -> None:
    ns = run_example(DOCS_SRC / "known_at.py")
    assert ns["early"].tier is None
    assert "d-5" not in [deal.id for deal in ns["known"].deals]


def test_explain_difference(workspace: Path) -> None:
    ns = run_example(DOCS_SRC / "explain_difference.py")
    sold = ns["difference"].track("sold")
    assert sum(cause.amount for cause in sold.causes) == sold.change
    assert run_console(DOCS_SRC / "compare.console") == [0]


def test_plan_a_tier(workspace: Path) -> None:
    ns = run_example(DOCS_SRC / "plan_a_tier.py")
    assert ns["reach"].holds
    assert ns["reach"].tier == "platinum"
    assert ns["check"].after_until.qualified_tier == "platinum"
    assert run_console(DOCS_SRC / "plan-a-tier.console") == [0]


def test_testing_strategies_example() -> None:
    pytest.importorskip("hypothesis")
    example = runpy.run_path(str(DOCS_SRC / "strategies_example.py"))
    tests = [name for name in example if name.startswith("test_")]
    assert len(tests) == 3
    for name in tests:
        example[name]()  # each runs its Hypothesis examples


def test_testing_strategies_page_names_existing_strategies() -> None:
    pytest.importorskip("hypothesis")
    from partner_tiers.testing import strategies

    page = (DOCS / "how-to" / "testing-strategies.md").read_text("utf-8")
    named = set(re.findall(r"`pts\.(\w+)", page))
    assert named, "the page names no strategy"
    assert named <= set(strategies.__all__), named - set(strategies.__all__)
    functions = {name for name in strategies.__all__ if callable(getattr(strategies, name))}
    assert functions <= named, f"strategies the page does not list: {functions - named}"


# --- the reference ----------------------------------------------------------------------


def test_cli_reference_transcripts(workspace: Path) -> None:
    codes = run_console(DOCS_SRC / "cli.console")
    assert codes.count(2) == 2, "the page shows two commands that fail with bad input"


def test_cli_reference_names_every_command_and_option() -> None:
    page = (DOCS / "reference" / "cli.md").read_text("utf-8")

    def walk(command: click.Command, path: list[str]) -> Iterator[tuple[str, click.Command]]:
        yield " ".join(path), command
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, [*path, name])

    for path, command in walk(cli, ["partner-tiers"]):
        assert f"`{path}" in page, f"cli.md does not document `{path}`"
        for param in command.params:
            if isinstance(param, click.Option):
                for option in param.opts:
                    if option.startswith("--") and option != "--help":
                        assert option in page, f"cli.md does not document {path} {option}"


def test_errors_reference(workspace: Path) -> None:
    run_example(DOCS_SRC / "errors_example.py")
    page = (DOCS / "reference" / "errors.md").read_text("utf-8")
    for name in pt.__all__:
        value = getattr(pt, name)
        if isinstance(value, type) and issubclass(value, pt.PartnerTiersError):
            assert f"`{name}`" in page, f"errors.md does not describe {name}"


def _documented_keys(page: str) -> set[str]:
    return set(re.findall(r"`([a-z_0-9]+)`", page))


def test_program_format_reference_names_every_key() -> None:
    page = (DOCS / "reference" / "program-format.md").read_text("utf-8")
    keys = _documented_keys(page)
    missing = []
    for kind in (
        pt.Program,
        pt.TrackSpec,
        pt.Tier,
        pt.GateSpec,
        pt.ReviewPolicy,
        pt.RateRow,
        pt.CurrencyTable,
        pt.GrowthMarkets,
        pt.ExpiryRule,
        pt.RoundingRule,
        pt.Source,
    ):
        for field in attrs.fields(kind):
            if field.init and field.name != "registry" and field.name not in keys:
                missing.append(f"{kind.__name__}.{field.name}")
    registry = pt.Registry()
    missing += [kind for kind in registry.gate_kinds() + registry.track_kinds() if kind not in keys]
    missing += [mode.value for mode in pt.RoundingMode if mode.value not in keys]
    missing += [mode.value for mode in pt.Promotion if mode.value not in keys]
    assert not missing, f"program-format.md does not document: {missing}"
    schema_keys = set(pt.program_schema()["properties"])
    assert schema_keys <= keys


def test_book_format_page_names_every_key() -> None:
    page = (DOCS / "how-to" / "book-format.md").read_text("utf-8")
    keys = _documented_keys(page)
    renamed = {("ManagedService", "since"): "from"}
    missing = []
    for kind in (
        pt.Book,
        pt.Partner,
        pt.Client,
        pt.Subscription,
        pt.RenewalProposal,
        pt.Deal,
        pt.Certification,
        pt.ManagedService,
        pt.Money,
    ):
        for field in attrs.fields(kind):
            key = renamed.get((kind.__name__, field.name), field.name)
            if field.init and key not in keys:
                missing.append(f"{kind.__name__}.{key}")
    for enum in (pt.Relationship, pt.DealKind, pt.SalesMotion, pt.RenewalOwner):
        missing += [member.value for member in enum if member.value not in keys]
    assert not missing, f"book-format.md does not document: {missing}"


def test_api_reference_lists_every_public_name_once() -> None:
    page = (DOCS / "reference" / "api.md").read_text("utf-8")
    listed = re.findall(r"^::: partner_tiers\.(\w+)$", page, flags=re.MULTILINE)
    by_hand = set(re.findall(r"^### `(\w+)`", page, flags=re.MULTILINE))
    duplicates = {name for name in listed if listed.count(name) > 1}
    assert not duplicates, duplicates
    public = set(pt.__all__) - {"__version__"}
    assert set(listed) | by_hand == public, (
        f"missing: {public - set(listed) - by_hand}, unknown: {set(listed) - public}"
    )


# --- the explanation --------------------------------------------------------------------


def test_points_examples(workspace: Path) -> None:
    ns = run_example(DOCS_SRC / "points_examples.py")
    assert ns["ledger"].totals(dt.date(2025, 5, 1)).sold == Decimal("75.00")


def test_grandfathering_worked_example(workspace: Path) -> None:
    # HubSpot's own worked example (hubspot.com/partners/how-tiers-work, 2024-02-27):
    # Oct 2021 Marketing Hub 1,000 USD -> 30 points; Mar 2024 sourced cross-sell of
    # Sales Hub 1,000 USD -> 50 points; Apr 2024 upsell of the Marketing Hub line at 3.
    ns = run_example(DOCS_SRC / "points_examples.py")
    book = pt.Book(
        ns["partner"],
        clients=[ns["client"]],
        deals=[
            ns["sale"]("a", "marketing-hub", pt.DealKind.NEW, dt.date(2021, 10, 4)),
            ns["sale"]("b", "sales-hub", pt.DealKind.CROSS_SELL, dt.date(2024, 3, 4)),
            ns["sale"]("c", "marketing-hub", pt.DealKind.UPSELL, dt.date(2024, 4, 2)),
        ],
    )
    ledger = pt.build_ledger(book, pt.load_program("hubspot-2024"))
    assert [batch.points for batch in ledger] == [Decimal(30), Decimal(50), Decimal(30)]


def test_effective_dating(workspace: Path) -> None:
    ns = run_example(DOCS_SRC / "effective_dating.py")
    ledger: pt.PointsLedger = ns["ledger"]
    assert ledger.totals(dt.date(2025, 7, 14)).managed == Decimal("33.40")
    assert ledger.totals(dt.date(2025, 7, 15)).managed == Decimal("30.69")


def test_published_values(workspace: Path) -> None:
    ns = run_example(DOCS_SRC / "published.py")
    assert ns["program"].name == "hubspot-2025"


def test_decisions(workspace: Path) -> None:
    ns = run_example(DOCS_SRC / "decisions.py")
    # Gold on 2024-06-03 (Fabrikam managed at its 900 EUR MRR of then), Platinum on
    # 2025-02-11 (issue 14).
    assert [change.to_tier for change in ns["status"].history] == [None, "gold", "platinum"]
    assert ns["lapsed"].after.tier is None


# --- the pages as a whole ---------------------------------------------------------------

_TESTED_LANGUAGES = {"python", "py", "pycon", "toml", "json", "console", "text"}


def _pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def _fences(page: Path) -> Iterator[tuple[str, list[str]]]:
    language, inside = "", False
    body: list[str] = []
    for line in page.read_text("utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("```") and not inside:
            inside, language, body = True, stripped[3:].split()[0] if stripped[3:] else "", []
        elif stripped.startswith("```") and inside:
            inside = False
            yield language, body
        elif inside:
            body.append(line)


def test_every_example_block_is_an_included_file() -> None:
    for page in _pages():
        if "```python" in page.read_text("utf-8"):
            # ruff format (0.16 and later) formats Python blocks in Markdown, and would
            # rewrite `--8<-- "file.py"` into `--8 < --"file.py"`.
            assert page.read_text("utf-8").startswith("<!-- fmt:off -->\n"), (
                f"{page.name}: start the page with <!-- fmt:off --> (see this test)"
            )
        for language, body in _fences(page):
            lines = [line for line in body if line.strip()]
            if language in _TESTED_LANGUAGES:
                assert lines, f"{page.name}: an empty {language} block"
                assert all(_INCLUDE.match(line) for line in lines), (
                    f"{page.name}: a {language} block that is not included from docs_src/ "
                    f"(so no test runs it): {lines[0]}"
                )
            else:
                assert not any(line.lstrip("$ ").startswith("partner-tiers") for line in lines), (
                    f"{page.name}: a partner-tiers command outside a tested console block"
                )


def _included() -> set[str]:
    found = set()
    for page in _pages():
        for _language, body in _fences(page):
            for line in body:
                match = _INCLUDE.match(line)
                if match:
                    found.add(match.group(1).split(":")[0])
    return found


def test_every_included_file_exists_and_every_example_is_shown() -> None:
    included = _included()
    package = ROOT / "src" / "partner_tiers"
    searched = [DOCS_SRC, EXAMPLES, package / "data", package / "programs"]
    for name in included:
        assert any((folder / name).exists() for folder in searched), f"no file {name}"
    shown = {
        str(path.relative_to(folder))
        for folder in (DOCS_SRC, EXAMPLES)
        for path in folder.rglob("*")
        if path.suffix in {".py", ".toml", ".json", ".console", ".out"}
    }
    assert shown <= included, f"example files no page shows: {shown - included}"


def test_every_docs_src_script_is_run_by_a_test() -> None:
    source = Path(__file__).read_text("utf-8")
    run = [path for path in DOCS_SRC.glob("*.py") if f'"{path.name}"' in source]
    imported = "\n".join(path.read_text("utf-8") for path in run)
    for script in DOCS_SRC.glob("*.py"):
        assert (
            f'"{script.name}"' in source
            or f"import {script.stem}\n" in source
            or f"from {script.stem} import" in imported
        ), f"no test runs docs_src/{script.name}"


def test_pages_name_only_what_exists() -> None:
    for page in _pages():
        text = page.read_text("utf-8")
        for name in re.findall(r"\bpt\.(\w+)", text):
            assert hasattr(pt, name), f"{page.name} names pt.{name}, which does not exist"
        for owner, member in re.findall(r"`(?:pt\.)?([A-Z]\w+)\.(\w+)", text):
            if owner in pt.__all__:
                value = getattr(pt, owner)
                fields = {f.name for f in attrs.fields(value)} if attrs.has(value) else set()
                assert hasattr(value, member) or member in fields, (
                    f"{page.name} names {owner}.{member}, which does not exist"
                )


def test_nav_holds_every_page() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))

    def pages(entry: Any) -> Iterator[str]:
        if isinstance(entry, str):
            yield entry
        elif isinstance(entry, dict):
            for value in entry.values():
                yield from pages(value)
        elif isinstance(entry, list):
            for item in entry:
                yield from pages(item)

    in_nav = set(pages(config["nav"]))
    on_disk = {str(page.relative_to(DOCS)) for page in _pages()}
    assert in_nav == on_disk
    handler = config["plugins"][1]["mkdocstrings"]["handlers"]["python"]
    assert handler["paths"] == ["src"]
    assert "inventories" not in handler, "the docs build must not fetch from the network"


def test_shipped_thresholds_are_called_example_values() -> None:
    shows_thresholds = re.compile(r"hubspot-202[2-5]|northwind|first_evaluation|scenarios")
    for page in _pages():
        text = page.read_text("utf-8")
        if shows_thresholds.search(text) and re.search(r"\b(gold|platinum)\b", text, re.I):
            assert re.search(r"example values?", text, re.I), (
                f"{page.name} shows tiers of a shipped program but does not say that the "
                "points thresholds are example values"
            )


# --- write and test your own program (issue 17) ------------------------------------------


def test_write_and_test_a_program(
    workspace: Path, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workspace)  # pytester moved to a folder of its own
    codes = run_console(DOCS_SRC / "write-and-test.console")
    assert codes == [0, 0, 0, 1, 0, 0, 0, 1, 2, 2]
    # The same three scenarios under pytest, with the plugin the package installs.
    for name in ("brl-sale", "brl-gold", "northwind"):
        shutil.copy(workspace / f"{name}.scenario.toml", pytester.path)
    for name in ("book.json", "brazil-club.toml"):
        shutil.copy(workspace / name, pytester.path)
    monkeypatch.chdir(pytester.path)
    result = pytester.runpytest(*PLUGIN_ARGS)
    result.assert_outcomes(passed=3)
