"""Receipts: content hashes that are stable across runs and key orders, the receipt on
every status, and ``partner-tiers verify`` replaying a recorded evaluation."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pickle
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

import partner_tiers as pt
from cli_run import run_cli
from partner_tiers._engine.receipt import LIBRARY_VERSION
from partner_tiers._model.digest import canonical_json, content_hash
from partner_tiers.testing import strategies as pts

AS_OF = dt.date(2025, 9, 30)


def _reversed_keys(data: Any) -> Any:
    """The same data with every dict built in the opposite key order."""
    if isinstance(data, dict):
        return {key: _reversed_keys(data[key]) for key in reversed(list(data))}
    if isinstance(data, list):
        return [_reversed_keys(item) for item in data]
    return data


def test_the_canonical_form_is_pinned() -> None:
    # Pinned text and digest: a change here changes every receipt ever written.
    data = {"b": [Decimal("1.50"), 2, dt.date(2025, 1, 2)], "a": {"z": None, "y": True}}
    text = '{"a":{"y":true,"z":null},"b":["1.5","2","2025-01-02"]}'
    assert canonical_json(data) == text
    assert content_hash(data) == hashlib.sha256(text.encode()).hexdigest()
    assert content_hash(data) == (
        "127a964183450e7dd94f1f086e1956c38967f71115563b168660ecd26995f0eb"
    )


def test_equal_amounts_of_another_scale_hash_the_same() -> None:
    assert content_hash({"x": Decimal("1200.00")}) == content_hash({"x": Decimal("1.2E+3")})
    assert content_hash({"x": Decimal("1200.00")}) != content_hash({"x": Decimal("1200.01")})


@settings(max_examples=40, deadline=None)
@given(pts.books())
def test_book_hash_ignores_key_order_and_survives_a_roundtrip(book: pt.Book) -> None:
    rebuilt = pt.book_from_dict(_reversed_keys(pt.book_to_dict(book)))
    assert rebuilt == book
    assert pt.book_hash(rebuilt) == pt.book_hash(book)
    assert pt.book_hash(pt.loads_book(pt.dumps_book(book))) == pt.book_hash(book)


def test_a_changed_book_hashes_differently() -> None:
    book = pt.demo_book()
    assert pt.book_hash(attrs.evolve(book, deals=book.deals[1:])) != pt.book_hash(book)


def test_program_hash_ignores_key_order_and_sees_a_threshold() -> None:
    program = pt.load_program("hubspot-2025")
    data = pt.program_to_dict(program)
    assert pt.program_hash(pt.program_from_dict(_reversed_keys(data))) == pt.program_hash(program)
    data["tiers"][1]["retain"]["total"] = "140"
    assert pt.program_hash(pt.program_from_dict(data)) != pt.program_hash(program)


def test_a_series_hash_covers_every_version() -> None:
    series = pt.load_program("hubspot")
    first = series.versions[0]
    changed = attrs.evolve(first, title=first.title + " (edited)")
    edited = attrs.evolve(series, versions=(changed, *series.versions[1:]))
    assert pt.program_hash(edited) != pt.program_hash(series)
    assert pt.program_hash(series) != pt.program_hash(series.versions[-1])


def test_hashing_something_else_is_refused() -> None:
    with pytest.raises(pt.InvalidRecordError, match="book"):
        pt.book_hash({"deals": []})  # type: ignore[arg-type]
    with pytest.raises(pt.InvalidRecordError, match="program"):
        pt.program_hash("hubspot")  # type: ignore[arg-type]


def test_every_status_carries_its_receipt() -> None:
    book, series = pt.demo_book(), pt.load_program("hubspot")
    status = pt.evaluate(book, series, as_of=AS_OF)
    assert status.receipt == pt.Receipt(
        program="hubspot",
        program_hash=pt.program_hash(series),
        version="hubspot-2025@2025-07-15",
        book_hash=pt.book_hash(book),
        as_of=AS_OF,
        known_at=None,
        library_version=pt.__version__,
    )
    early, late = pt.statuses(book, series, [dt.date(2023, 1, 1), AS_OF])
    assert early.receipt is not None
    assert early.receipt.version == "hubspot-2022@2022-07-18"
    assert late.receipt == status.receipt
    assert pickle.loads(pickle.dumps(status)).receipt == status.receipt
    assert status.to_dict()["receipt"] == status.receipt.to_dict()


def test_a_status_made_by_hand_has_no_receipt() -> None:
    status = pt.evaluate(pt.demo_book(), pt.load_program("hubspot-2025"), as_of=AS_OF)
    by_hand = pt.TierStatus(
        **{field.name: getattr(status, field.name) for field in attrs.fields(pt.TierStatus)[:18]}
    )
    assert by_hand.receipt is None
    assert by_hand.to_dict()["receipt"] is None


def test_the_library_version_is_the_package_version() -> None:
    assert pt.__version__ == LIBRARY_VERSION


@pytest.fixture
def recorded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    pt.dump_book(pt.demo_book(), tmp_path / "book.json")
    code, out, _ = run_cli(
        ["evaluate", str(tmp_path / "book.json"), "--as-of", "2025-09-30", "--json"], capsys
    )
    assert code == 0
    (tmp_path / "receipt.json").write_text(out, "utf-8")
    return tmp_path


def test_verify_says_same_for_an_unchanged_book(
    recorded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(
        ["verify", str(recorded / "receipt.json"), str(recorded / "book.json")], capsys
    )
    assert (code, out) == (
        0,
        "same: tier gold (qualified gold) on 2025-09-30 under hubspot-2025@2025-07-15\n",
    )


def test_verify_shows_what_a_changed_book_changes(
    recorded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = pt.demo_book()
    pt.dump_book(attrs.evolve(book, deals=book.deals[:1]), recorded / "book.json")
    code, out, _ = run_cli(
        ["verify", str(recorded / "receipt.json"), str(recorded / "book.json")], capsys
    )
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == "different:"
    assert any(line.startswith("  values.total: 66.69 recorded, ") for line in lines)
    assert lines[-1].startswith("  book changed since: book_hash ")
    assert not any("program changed" in line for line in lines)


def test_verify_names_a_changed_program(recorded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The receipt was made under the series; one of its versions is another program.
    code, out, _ = run_cli(
        ["verify", str(recorded / "receipt.json"), str(recorded / "book.json"), "hubspot-2025"],
        capsys,
    )
    assert code == 1
    assert out.splitlines() == [
        "different:",
        f"  program changed since: program_hash "
        f"{pt.program_hash(pt.load_program('hubspot'))[:12]} recorded (hubspot), "
        f"{pt.program_hash(pt.load_program('hubspot-2025'))[:12]} now "
        "(hubspot-2025@2025-07-15)",
    ]


def test_verify_shows_a_tampered_outcome(
    recorded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads((recorded / "receipt.json").read_text("utf-8"))
    data["tier"] = "platinum"
    (recorded / "receipt.json").write_text(json.dumps(data), "utf-8")
    code, out, _ = run_cli(
        ["verify", str(recorded / "receipt.json"), str(recorded / "book.json")], capsys
    )
    assert (code, out) == (1, "different:\n  tier: platinum recorded, gold now\n")


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("receipt", "book_hash"), "abc", "receipt.book_hash: must be a SHA-256 hex digest"),
        (("receipt", "as_of"), "2025-02-30", "receipt.as_of: must be a date as YYYY-MM-DD"),
        (("receipt", "version"), 7, "receipt.version: must be a string"),
        (("values", "total"), 66.69, "values.total: must be a decimal string"),
        (("receipt",), None, "receipt: must be a receipt object"),
        (("receipt", "known_at"), "2025-13-01", "receipt.known_at: must be a date as YYYY-MM-DD"),
    ],
)
def test_a_malformed_receipt_exits_2_naming_the_file_and_key(
    recorded: Path,
    capsys: pytest.CaptureFixture[str],
    path: tuple[str, ...],
    value: object,
    message: str,
) -> None:
    data = json.loads((recorded / "receipt.json").read_text("utf-8"))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    receipt = recorded / "receipt.json"
    receipt.write_text(json.dumps(data), "utf-8")
    code, out, err = run_cli(["verify", str(receipt), str(recorded / "book.json")], capsys)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert message in err
    assert str(receipt) in err or "<receipt>" in err


def test_a_missing_receipt_file_exits_2(recorded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(
        ["verify", str(recorded / "nope.json"), str(recorded / "book.json")], capsys
    )
    assert code == 2
    assert "nope.json: (document): cannot be read" in err


def test_a_known_at_receipt_replays_with_the_book_as_it_was_known(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book.json"
    book.write_text(pt.dumps_book(pt.demo_book()), "utf-8")
    code, out, _err = run_cli(
        ["evaluate", str(book), "--as-of", "2025-09-30", "--known-at", "2024-12-31", "--json"],
        capsys,
    )
    assert code == 0
    data = json.loads(out)
    assert data["receipt"]["known_at"] == "2024-12-31"
    # The receipt hashes the book given, not the part of it known then.
    assert data["receipt"]["book_hash"] == pt.book_hash(pt.demo_book())
    receipt = tmp_path / "receipt.json"
    receipt.write_text(out, "utf-8")
    code, out, _err = run_cli(["verify", str(receipt), str(book)], capsys)
    assert code == 0
    assert out.startswith("same: tier untiered")
