"""Untrusted input stays data: book strings are escaped in every HTML output, loading a
book or a program never runs code, and size and nesting limits give clear errors."""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
import yaml

import partner_tiers as pt
from partner_tiers._cli import main
from partner_tiers._io import bookfile as _bookfile
from partner_tiers._io import parse
from partner_tiers._io import programfile as _programfile

PACKAGE = Path(pt.__file__).resolve().parent
NORTHWIND = PACKAGE / "data" / "northwind.json"
AS_OF = dt.date(2025, 9, 30)
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(scope="module")
def hostile_book(northwind: pt.Book) -> pt.Book:
    """The Northwind book with script tags in every free-text field a view shows."""
    base = northwind  # shared and immutable: every change below makes a new record
    clients = [
        attrs.evolve(
            client, name=f"{client.name} {SCRIPT}", tools_used=(*client.tools_used, SCRIPT)
        )
        for client in base.clients
    ]
    certifications = [
        attrs.evolve(certification, id=pt.CertificationId(f"{certification.id}{SCRIPT}"))
        for certification in base.certifications
    ]
    subscriptions = [
        attrs.evolve(subscription, edition=SCRIPT, renewal_manager=SCRIPT)
        for subscription in base.subscriptions
    ]
    return attrs.evolve(
        base,
        partner=attrs.evolve(base.partner, name=f"Northwind {SCRIPT}"),
        clients=clients,
        certifications=certifications,
        subscriptions=subscriptions,
    )


def assert_escaped(page: str) -> None:
    assert "<script" not in page.lower()
    assert ESCAPED in page


# --- HTML output escapes book strings ---------------------------------------------------


def test_a_script_tag_in_names_is_escaped_in_the_html_report(
    hubspot_2025: pt.Program, hostile_book: pt.Book
) -> None:
    page = pt.report_html(hostile_book, hubspot_2025, as_of=AS_OF)
    assert_escaped(page)
    assert f"Northwind {ESCAPED}" in page
    assert f"Fabrikam GmbH {ESCAPED}" in page


def test_a_script_tag_is_escaped_in_the_status_html(
    hubspot_2025: pt.Program, hostile_book: pt.Book
) -> None:
    status = pt.evaluate(hostile_book, hubspot_2025, as_of=AS_OF)
    # The certification gate's reason names the certification id.
    assert any(SCRIPT in gate.reason for gate in status.gates)
    assert_escaped(status._repr_html_())


def test_a_script_tag_is_escaped_in_every_view_html(
    hubspot_2025: pt.Program, hostile_book: pt.Book
) -> None:
    book = hostile_book
    program = hubspot_2025
    views: list[object] = [
        pt.clients_table(book, as_of=AS_OF, program=program),
        pt.client_details(book, "c-fabrikam"),
        pt.alerts(book, as_of=AS_OF, within_days=400),
        pt.points_breakdown(book, program, as_of=AS_OF),
        pt.what_if(book, program, as_of=AS_OF, end_services=["c-tailspin"]),
    ]
    pages = [view._repr_html_() for view in views]  # type: ignore[attr-defined]
    for page in pages:
        assert "<script" not in page.lower()
    assert sum(ESCAPED in page for page in pages) >= 3


@pytest.mark.parametrize(
    "payload",
    [
        "<img src=x onerror=alert(1)>",
        '"><svg onload=alert(1)>',
        "' onmouseover='alert(1)",
        "</td></tr></table><script>x</script>",
    ],
)
def test_attribute_and_tag_breakouts_are_escaped(
    payload: str, northwind: pt.Book, hubspot_2025: pt.Program
) -> None:
    base = northwind  # shared and immutable: every change below makes a new record
    client = attrs.evolve(base.clients[0], name=payload)
    book = attrs.evolve(base, clients=(client, *base.clients[1:]))
    page = pt.report_html(book, hubspot_2025, as_of=AS_OF)
    assert payload not in page
    assert "<img" not in page
    assert "<svg onload" not in page
    assert "onerror=alert" not in page or "&lt;img" in page
    tags = re.findall(r"<(\w+)", page)
    assert set(tags) <= {
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "section", "svg",
        "line", "text", "polyline", "table", "caption", "thead", "tbody", "tr", "th", "td",
        "ul", "li", "a",
    }  # fmt: skip
    # The only anchors are the team's mailto: links and the clients' link templates.
    assert set(re.findall(r"<a [^>]*href='(\w+):", page)) <= {"mailto", "https"}


# --- loading never runs code -------------------------------------------------------------


def _source_folder() -> Path:
    """The package's source in the checkout. Under mutation testing the imported package
    is mutmut's rewritten copy (``mutants/src``), which holds mutants by design: scan the
    original next to it."""
    root = Path(__file__).resolve().parents[1]
    if root.name == "mutants":
        root = root.parent
    source = root / "src" / "partner_tiers"
    return source if source.is_dir() else PACKAGE


def package_sources() -> Iterator[Path]:
    yield from sorted(_source_folder().rglob("*.py"))


def _called_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        inner = func.value
        prefix = inner.id if isinstance(inner, ast.Name) else "?"
        return f"{prefix}.{func.attr}"
    return ""


FORBIDDEN_CALLS = {
    "eval",
    "exec",
    "compile",
    "__import__",
    "importlib.import_module",
    "os.system",
    "os.popen",
    "yaml.unsafe_load",
    "yaml.full_load",
    "yaml.load_all",
    "pickle.loads",
    "pickle.load",
    "marshal.loads",
}
FORBIDDEN_MODULES = {"pickle", "marshal", "shelve", "dill", "subprocess"}


def findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _called_name(node)
            if name in FORBIDDEN_CALLS:
                found.append(f"{path.name}:{node.lineno}: {name}(")
            if name == "yaml.load":
                loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                safe = (
                    isinstance(loader, ast.Call) and _called_name(loader) == "_decimal_yaml_loader"
                ) or (isinstance(loader, ast.Attribute) and loader.attr == "SafeLoader")
                if not safe:
                    found.append(f"{path.name}:{node.lineno}: yaml.load( without a safe loader")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in FORBIDDEN_MODULES:
                    found.append(f"{path.name}:{node.lineno}: import {alias.name}")
        elif (
            isinstance(node, ast.ImportFrom)
            and (node.module or "").split(".")[0] in FORBIDDEN_MODULES
        ):
            found.append(f"{path.name}:{node.lineno}: from {node.module} import")
    return found


def test_the_package_source_never_evaluates_imports_or_unpickles() -> None:
    sources = list(package_sources())
    assert len(sources) >= 20
    problems = [finding for path in sources for finding in findings(path)]
    assert problems == []


def test_the_package_source_has_no_textual_eval_exec_or_unsafe_yaml() -> None:
    # A second, plain-text look (catches what the AST walk might not name).
    pattern = re.compile(r"(?<![\w.])(eval|exec)\(|yaml\.(unsafe_|full_)?load\(")
    hits = []
    for path in package_sources():
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            if pattern.search(code) and "_decimal_yaml_loader()" not in code:
                hits.append(f"{path.name}:{number}: {line.strip()}")
    assert hits == []


def test_the_scan_would_see_an_eval(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import pickle\nx = eval('1')\nimport yaml\nyaml.load('a')\n", "utf-8")
    assert findings(bad) == [
        "bad.py:1: import pickle",
        "bad.py:2: eval(",
        "bad.py:4: yaml.load( without a safe loader",
    ]


def test_the_yaml_loader_is_a_safe_loader() -> None:
    loader = parse._decimal_yaml_loader()
    assert issubclass(loader, yaml.SafeLoader)
    assert not issubclass(loader, (yaml.FullLoader, yaml.UnsafeLoader))


PYTHON_TAGS = [
    pytest.param('name: !!python/object/apply:os.system ["echo hi"]\n', id="object-apply"),
    pytest.param("!!python/object/apply:os.system\nargs: ['echo hi']\n", id="object-apply-top"),
    pytest.param("name: !!python/name:os.system\n", id="name"),
    pytest.param("name: !!python/module:os\n", id="module"),
    pytest.param('name: !!python/object/new:subprocess.Popen [["echo", "hi"]]\n', id="object-new"),
]


@pytest.mark.parametrize("text", PYTHON_TAGS)
def test_a_yaml_program_with_a_python_tag_is_refused_and_runs_nothing(
    text: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[object] = []

    def system(*args: object) -> int:
        calls.append(args)
        return 0

    monkeypatch.setattr(os, "system", system)
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.loads_program(text, "yaml")
    [problem] = info.value.problems
    assert problem.path == ""
    assert "is not valid YAML" in problem.message
    assert "python/" in problem.message
    assert problem.line == 1
    path = tmp_path / "evil.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(pt.ProgramValidationError):
        pt.load_program(path)
    assert calls == []


def test_a_program_cannot_name_python_code_as_a_rule(hubspot_2025: pt.Program) -> None:
    data = pt.program_to_dict(hubspot_2025)
    data["tracks"].append({"id": "evil", "kind": "builtins.eval", "params": {"code": "1"}})
    data["gates"].append({"id": "evil", "kind": "os:system", "params": {"command": "echo"}})
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.program_from_dict(data)
    paths = {problem.path: problem for problem in info.value.problems}
    assert "is no built-in or registered track" in paths["tracks[3].kind"].message
    assert paths["tracks[3].kind"].value == "builtins.eval"
    assert "is no built-in or registered gate" in paths["gates[4].kind"].message


def test_json_programs_are_data_only(
    monkeypatch: pytest.MonkeyPatch, northwind: pt.Book, hubspot_2025: pt.Program
) -> None:
    calls: list[object] = []

    def system(*args: object) -> int:
        calls.append(args)
        return 0

    monkeypatch.setattr(os, "system", system)
    data = json.loads(pt.dumps_program(hubspot_2025, "json"))
    hook = {"__class__": "os.system", "py/object": "os.system", "args": ["echo hi"]}
    data["gates"][1]["params"]["hook"] = hook
    program = pt.loads_program(json.dumps(data), "json")
    assert program.gates[1].params["hook"] == hook
    pt.evaluate(northwind, program, as_of=AS_OF)
    assert calls == []


# --- size and nesting limits -------------------------------------------------------------


def test_the_book_size_limit_is_64_mib() -> None:
    assert _bookfile.MAX_BOOK_BYTES == 64 * 1024 * 1024


def test_the_program_size_limit_is_4_mib() -> None:
    assert _programfile.MAX_PROGRAM_BYTES == 4 * 1024 * 1024


def test_a_book_over_the_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_bookfile, "MAX_BOOK_BYTES", 10)
    path = tmp_path / "book.json"
    path.write_bytes(b"{" * 11)  # not even JSON: the size check comes first
    with pytest.raises(pt.FileFormatError) as info:
        pt.load_book(path)
    assert str(info.value) == f"{path}: (document): is larger than 10 bytes (got 11)"


def test_a_program_over_the_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_programfile, "MAX_PROGRAM_BYTES", 10)
    path = tmp_path / "program.toml"
    path.write_bytes(b"[" * 11)
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.load_program(path)
    assert str(info.value) == f"{path}: (document): is larger than 10 bytes"
    with pytest.raises(pt.ProgramValidationError, match="is larger than 10 bytes"):
        pt.loads_program("x" * 11)


@pytest.mark.parametrize("depth", [2_000, 100_000])
def test_deeply_nested_json_books_are_refused_clearly(depth: int) -> None:
    with pytest.raises(pt.FileFormatError) as info:
        pt.loads_book("[" * depth + "]" * depth)
    assert str(info.value) == "<string>: (document): is nested too deeply"


@pytest.mark.parametrize("depth", [2_000, 100_000])
def test_deeply_nested_json_programs_are_refused_clearly(depth: int) -> None:
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.loads_program("[" * depth + "]" * depth, "json")
    assert str(info.value) == "<string>: (document): is nested too deeply"


def test_moderately_nested_facts_are_still_data() -> None:
    data = json.loads(NORTHWIND.read_text("utf-8"))
    nested: object = 1
    for _ in range(50):
        nested = {"x": nested}
    data["facts"] = {"deep": nested}
    book = pt.book_from_dict(data)
    assert "deep" in book.facts


@pytest.mark.parametrize("text", PYTHON_TAGS)
def test_the_command_line_refuses_a_python_tag_in_one_line(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text(text, "utf-8")
    # Known escape C2: PyYAML's own message spans four lines (source and caret).
    for argv in (
        ["evaluate", str(NORTHWIND), "--as-of", "2025-09-30", "--program", str(path)],
        ["validate", str(path)],
    ):
        with pytest.raises(SystemExit) as done:
            main(argv)
        out, err = capsys.readouterr()
        assert done.value.code == 2
        assert out == ""
        assert len(err.splitlines()) == 1, err
        assert "is not valid YAML" in err
        assert "Traceback" not in err
