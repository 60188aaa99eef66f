"""The exception hierarchy: one design (every error carries its problems), the builtin
classes each error also is, the extras a missing library names, and the command line's
answer to each."""

from __future__ import annotations

import ast
import datetime as dt
import pickle
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

import partner_tiers as pt
from cli_run import run_cli
from partner_tiers._cli import demo_book
from partner_tiers._errors import Problem, show_value

BOOK = demo_book()
PROGRAM = pt.load_program("hubspot-2025")
AS_OF = dt.date(2025, 9, 30)
START = dt.date(2025, 7, 31)
ERROR_CLASSES = [
    value
    for name in pt.__all__
    if isinstance(value := getattr(pt, name), type) and issubclass(value, pt.PartnerTiersError)
]


def _batch(**changes: object) -> pt.PointBatch:
    fields: dict[str, object] = {
        "id": "sold:d-1",
        "track": pt.Track.SOLD,
        "motion": pt.SalesMotion.SOURCED,
        "client": pt.ClientId("c-1"),
        "points": Decimal(10),
        "earned_on": dt.date(2024, 1, 1),
        "expires_on": None,
        "origin": "d-1",
    }
    return pt.PointBatch(**(fields | changes))  # type: ignore[arg-type]


# --- one design ---------------------------------------------------------------------------


def test_every_error_class_is_exported_and_derives_from_the_base() -> None:
    names = {cls.__name__ for cls in ERROR_CLASSES}
    assert {"InvalidTypeError", "UnknownIdError", "MissingExtraError"} <= names
    assert issubclass(pt.PartnerTiersWarning, UserWarning)
    assert "PartnerTiersWarning" in pt.__all__


@pytest.mark.parametrize(
    ("attempt", "kind", "path", "value", "message"),
    [
        (
            lambda: pt.Money("1", "XXY"),
            pt.InvalidRecordError,
            "Money.currency",
            "XXY",
            "Money.currency: must be an ISO 4217 currency code (got 'XXY')",
        ),
        (
            lambda: pt.Money(1.5, "EUR"),
            pt.InvalidTypeError,
            "Money.amount",
            1.5,
            "Money.amount: must be a Decimal, an int or a decimal string, not a float (got 1.5)",
        ),
        (
            lambda: BOOK.client("c-nobody"),
            pt.UnknownIdError,
            "client",
            "c-nobody",
            "client: no client with this id in the book (got 'c-nobody')",
        ),
        (
            lambda: pt.PointsLedger([_batch(), _batch(points=Decimal(11))]),
            pt.LedgerError,
            "PointsLedger.batches",
            None,
            "PointsLedger.batches: batch id 'sold:d-1' is already in the ledger with other content",
        ),
        (
            lambda: _batch(expires_on=dt.date(2024, 1, 1)),
            pt.LedgerError,
            "PointBatch.expires_on",
            None,
            "PointBatch.expires_on: 2024-01-01 must be after earned_on 2024-01-01 "
            "(batch 'sold:d-1')",
        ),
        (
            lambda: pt.Registry().with_gate("bad name", lambda *_: None),  # type: ignore[arg-type]
            pt.ProgramError,
            "Registry",
            None,
            "Registry: gate name 'bad name' must be an identifier",
        ),
        (
            lambda: pt.loads_book("{", source="b.json"),
            pt.FileFormatError,
            "",
            None,
            "b.json: line 1: (document): is not valid JSON: "
            "Expecting property name enclosed in double quotes",
        ),
    ],
    ids=["record", "type", "lookup", "ledger", "ledger-expiry", "program", "file"],
)
def test_every_error_carries_its_problems_and_keeps_its_message(
    attempt: Callable[[], object],
    kind: type[pt.PartnerTiersError],
    path: str,
    value: object,
    message: str,
) -> None:
    with pytest.raises(kind) as caught:
        attempt()
    assert str(caught.value) == message
    [problem] = caught.value.problems
    assert isinstance(problem, pt.Problem)
    assert (problem.path, problem.value) == (path, value)
    assert problem.message in message


def test_a_pricing_error_carries_its_message_as_a_problem() -> None:
    error = pt.PricingError("deal d-1: currency CHF on 2023-09-14 is not in the table")
    [problem] = error.problems
    # "deal d-1" holds a space: not a path, so the whole text is the message.
    assert problem == Problem("", "deal d-1: currency CHF on 2023-09-14 is not in the table")
    assert str(error) == problem.message


def test_an_error_of_several_problems_lists_each_on_a_line() -> None:
    error = pt.ProgramError(Problem("a.b", "is wrong"), Problem("c", "is missing", 5))
    assert str(error) == "2 problems\n  a.b: is wrong\n  c: is missing (got 5)"


def test_a_book_integrity_error_holds_every_problem_as_a_problem() -> None:
    duplicate = BOOK.clients[0]
    with pytest.raises(pt.BookIntegrityError) as caught:
        pt.Book(BOOK.partner, clients=(duplicate, duplicate, duplicate))
    error = caught.value
    assert [p.path for p in error.problems] == ["clients[1].id", "clients[2].id"]
    assert all(p.value == duplicate.id for p in error.problems)
    assert (error.field, error.value) == ("clients[1].id", duplicate.id)
    assert str(error).endswith(" and 1 more problem")


def test_an_invalid_record_error_keeps_field_value_and_reason() -> None:
    error = pt.InvalidRecordError("Deal.closed_on", None, "must be a date")
    assert (error.field, error.value, error.reason) == ("Deal.closed_on", None, "must be a date")
    assert error.problems == (Problem("Deal.closed_on", "must be a date", None),)
    assert str(error) == "Deal.closed_on: must be a date (got None)"


@pytest.mark.parametrize(
    "error",
    [
        pt.InvalidRecordError("x", 5, "must be small"),
        pt.BookIntegrityError("a", 1, "b", problems=[Problem("a", "b", 1), Problem("c", "d")]),
        pt.FileFormatError("f.json", [Problem("x", "is wrong", line=3)]),
        pt.LedgerError("PointsLedger.batches: wrong"),
        pt.MissingExtraError("yaml", "yaml"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_an_error_pickles_with_its_attributes(error: pt.PartnerTiersError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (str(copy), copy.problems) == (str(error), error.problems)
    assert vars(copy) == vars(error)


# --- the builtin class each error also is ----------------------------------------------


@pytest.mark.parametrize(
    ("attempt", "field"),
    [
        (lambda: pt.evaluate(BOOK, PROGRAM, as_of=20250930), "as_of"),  # type: ignore[arg-type]
        (lambda: pt.evaluate(BOOK, PROGRAM, as_of="2025-09-30"), "as_of"),  # type: ignore[arg-type]
        (lambda: pt.alerts("book.json", as_of=AS_OF), "book"),  # type: ignore[arg-type]
        (lambda: pt.Money("1", 978), "Money.currency"),  # type: ignore[arg-type]
        (lambda: BOOK.client(["c-1"]), "client"),  # type: ignore[arg-type]
        (lambda: pt.Book(BOOK.partner, clients="c-1"), "Book.clients"),
    ],
    ids=["int-date", "str-date", "str-book", "int-currency", "list-id", "str-clients"],
)
def test_a_value_of_the_wrong_type_raises_a_type_error(
    attempt: Callable[[], object], field: str
) -> None:
    with pytest.raises(TypeError) as caught:
        attempt()
    assert isinstance(caught.value, pt.InvalidTypeError)
    assert isinstance(caught.value, ValueError)  # as before: code that caught it still does
    assert caught.value.field == field


def test_a_wrong_value_of_the_right_type_is_not_a_type_error() -> None:
    with pytest.raises(pt.InvalidRecordError) as caught:
        pt.Money("1", "XXY")
    assert not isinstance(caught.value, TypeError)


@pytest.mark.parametrize(
    ("attempt", "field", "value"),
    [
        (lambda: BOOK.client("c-nobody"), "client", "c-nobody"),
        (lambda: BOOK.deal("d-nobody"), "deal", "d-nobody"),
        (lambda: PROGRAM.tier("titanium"), "tier_id", "titanium"),
        (lambda: pt.PointsLedger([_batch()]).batch("sold:nope"), "batch_id", "sold:nope"),
    ],
    ids=["client", "deal", "tier", "batch"],
)
def test_a_lookup_of_an_unknown_id_raises_a_lookup_error(
    attempt: Callable[[], object], field: str, value: str
) -> None:
    with pytest.raises(LookupError) as caught:
        attempt()
    assert isinstance(caught.value, pt.UnknownIdError)
    assert not isinstance(caught.value, KeyError)  # str() stays the message, not its repr
    assert (caught.value.field, caught.value.value) == (field, value)
    assert repr(value) in str(caught.value)


def test_an_unknown_tier_lists_the_tiers() -> None:
    with pytest.raises(pt.UnknownIdError, match=r"must be one of .*platinum.*\(got 'titanium'\)"):
        PROGRAM.tier("titanium")


# --- names of fields and formats ----------------------------------------------------------


def test_a_float_rate_names_the_rate_field() -> None:
    with pytest.raises(pt.InvalidTypeError) as caught:
        _batch(rate=0.5)
    assert (caught.value.field, caught.value.value) == ("PointBatch.rate", 0.5)


@pytest.mark.parametrize("format", ["xml", "TOML", ""])
def test_an_unknown_format_name_is_refused_with_the_accepted_names(format: str) -> None:
    for attempt in (
        lambda: pt.dumps_program(PROGRAM, format),  # type: ignore[arg-type]
        lambda: pt.loads_program('name = "x"', format),  # type: ignore[arg-type]
    ):
        with pytest.raises(pt.InvalidRecordError) as caught:
            attempt()
        assert caught.value.field == "format"
        assert str(caught.value) == f"format: must be one of toml, json, yaml (got {format!r})"


# --- extras -----------------------------------------------------------------------------


def test_dumping_yaml_without_pyyaml_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)  # import yaml raises ModuleNotFoundError
    with pytest.raises(pt.MissingExtraError) as caught:
        pt.dumps_program(PROGRAM, "yaml")
    assert isinstance(caught.value, ImportError)
    assert (caught.value.name, caught.value.extra) == ("yaml", "yaml")
    assert "pip install 'partner-tiers[yaml]'" in str(caught.value)


@pytest.mark.parametrize(
    ("module", "extra", "attempt"),
    [
        ("pandas", "pandas", lambda: pt.timeline(BOOK, PROGRAM, START, AS_OF).to_pandas()),
        ("polars", "polars", lambda: pt.timeline(BOOK, PROGRAM, START, AS_OF).to_polars()),
        ("pandas", "pandas", lambda: pt.alerts(BOOK, as_of=AS_OF).to_pandas()),
        ("matplotlib", "plot", lambda: pt.progress(BOOK, PROGRAM, START, AS_OF).plot()),
    ],
    ids=["timeline-pandas", "timeline-polars", "alerts-pandas", "plot"],
)
def test_a_view_without_its_library_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, module: str, extra: str, attempt: Callable[[], object]
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(pt.MissingExtraError) as caught:
        attempt()
    assert caught.value.name == module
    assert f"pip install 'partner-tiers[{extra}]'" in str(caught.value)


def test_the_command_line_answers_a_missing_extra_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = tmp_path / "p.yaml"
    program.write_text("name: x\n", "utf-8")
    monkeypatch.setitem(sys.modules, "yaml", None)
    code, _out, err = run_cli(["validate", str(program)], capsys)
    assert code == 2
    assert err.strip().splitlines() == [
        "partner-tiers: error: yaml: is not installed; the 'yaml' extra brings it: "
        "pip install 'partner-tiers[yaml]'"
    ]


# --- how values are shown -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (pt.Money("-5.00", "EUR"), "-5.00 EUR"),
        (Decimal("5.00"), "5.00"),
        (7, "7"),
        (True, "True"),
        (dt.date(2024, 1, 31), "2024-01-31"),
        (dt.datetime(2024, 1, 31, 12), "datetime.datetime(2024, 1, 31, 12, 0)"),
        ("x", "'x'"),
        (None, "None"),
    ],
)
def test_a_value_is_shown_as_files_write_it(value: object, shown: str) -> None:
    assert show_value(value) == shown


def test_money_in_a_problem_is_shown_as_files_write_it() -> None:
    problem = Problem("deals[0].mrr_change", "must be positive", pt.Money("-5.00", "EUR"))
    assert str(problem) == "deals[0].mrr_change: must be positive (got -5.00 EUR)"


def test_the_errors_module_imports_nothing_of_the_package() -> None:
    tree = ast.parse(Path(pt.__file__).with_name("_errors.py").read_text("utf-8"))
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ] + [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert imported
    assert not [name for name in imported if name.startswith("partner_tiers")]
