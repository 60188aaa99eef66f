"""Book files: the example books load, books round-trip losslessly, and a malformed file
reports every problem with its JSON path and value."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

import partner_tiers as pt
from partner_tiers._io import bookfile as _bookfile
from partner_tiers.testing import strategies as pts

REPO_ROOT = Path(__file__).resolve().parents[1]
NORTHWIND = Path(pt.__file__).resolve().parent / "data" / "northwind.json"
SHARED_EXAMPLE = REPO_ROOT.parent / "shared" / "examples" / "book.json"


def northwind_data() -> dict[str, Any]:
    """A fresh copy of the example book as plain JSON data, to break in one place."""
    data: dict[str, Any] = json.loads(NORTHWIND.read_text(encoding="utf-8"))
    return data


def problems_of(data: object) -> list[tuple[str, object]]:
    """The (path, value) of every problem found in the data, in the order reported."""
    with pytest.raises(pt.FileFormatError) as caught:
        pt.book_from_dict(data)
    return [(problem.path, problem.value) for problem in caught.value.problems]


def only_problem(data: object) -> pt.Problem:
    with pytest.raises(pt.FileFormatError) as caught:
        pt.book_from_dict(data)
    assert len(caught.value.problems) == 1, caught.value.problems
    return caught.value.problems[0]


def text_problems(text: str | bytes) -> tuple[pt.Problem, ...]:
    with pytest.raises(pt.FileFormatError) as caught:
        pt.loads_book(text, source="book.json")
    assert caught.value.source == "book.json"
    return caught.value.problems


# --- the example books --------------------------------------------------------------------


def test_the_northwind_example_book_loads_with_every_record(northwind: pt.Book) -> None:
    book = northwind
    assert attrs.evolve(book.partner, team=(), links={}) == pt.Partner(
        id=pt.PartnerId("p-northwind"),
        name="Northwind Digital",
        country="GB",
        joined_on=dt.date(2021, 3, 1),
    )
    assert [member.role for member in book.partner.team] == list(pt.TeamRole)
    assert set(book.partner.links) == {"crm", "account"}
    assert [client.id for client in book.clients] == ["c-fabrikam", "c-tailspin", "c-adatum"]
    assert [deal.id for deal in book.deals] == ["d-1", "d-2", "d-3", "d-4", "d-5"]
    assert len(book.subscriptions) == 4
    assert len(book.certifications) == 2
    assert book.client("c-adatum").country == "IN"
    assert book.client("c-adatum").engagement_index == 8
    assert book.subscription("s-fab-mkt").mrr == pt.Money(Decimal("1200.00"), "EUR")
    assert book.subscription("s-tail-crm").renewal == pt.RenewalProposal(
        edition="enterprise", mrr=pt.Money("3600.00", "USD")
    )
    assert book.deal("d-3").kind is pt.DealKind.CROSS_SELL
    assert book.deal("d-3").motion is pt.SalesMotion.SOURCED
    assert book.managed_services[1] == pt.ManagedService(
        client=pt.ClientId("c-adatum"), since=dt.date(2022, 11, 1), until=None, partners=2
    )


@pytest.mark.skipif(not SHARED_EXAMPLE.exists(), reason="no shared example book beside the repo")
def test_the_shared_example_book_loads_and_round_trips() -> None:
    book = pt.load_book(SHARED_EXAMPLE)
    assert book.partner.id
    assert pt.loads_book(pt.dumps_book(book)) == book


@pytest.mark.parametrize("path", [NORTHWIND, str(NORTHWIND)], ids=["path", "str"])
def test_load_book_takes_a_path_or_a_string(path: Path | str) -> None:
    assert pt.load_book(path) == pt.loads_book(NORTHWIND.read_bytes())


# --- round trips --------------------------------------------------------------------------


def test_roundtrip_of_the_example_book_gives_an_equal_book(northwind: pt.Book) -> None:
    book = northwind
    assert pt.loads_book(pt.dumps_book(book)) == book
    assert pt.book_from_dict(pt.book_to_dict(book)) == book


def test_dumps_book_is_stable_across_a_roundtrip(northwind: pt.Book) -> None:
    text = pt.dumps_book(northwind)
    assert pt.dumps_book(pt.loads_book(text)) == text
    assert text.endswith("}\n")


def test_dumps_book_writes_the_file_format(northwind: pt.Book) -> None:
    data = json.loads(pt.dumps_book(northwind))
    assert next(iter(data)) == "partner"
    assert data["partner"]["joined_on"] == "2021-03-01"
    assert data["subscriptions"][0]["mrr"] == {"amount": "1200.00", "currency": "EUR"}
    assert data["deals"][0]["kind"] == "new"
    managed = data["managed_services"][1]
    assert managed["from"] == "2022-11-01"
    assert "since" not in managed
    assert managed["partners"] == 2


@given(pts.books())
def test_roundtrip_of_any_book_through_json_text(book: pt.Book) -> None:
    text = pt.dumps_book(book)
    assert pt.loads_book(text) == book
    assert pt.loads_book(text.encode("utf-8")) == book
    assert pt.dumps_book(pt.loads_book(text)) == text


@given(pts.books())
def test_roundtrip_of_any_book_through_plain_data(book: pt.Book) -> None:
    data = pt.book_to_dict(book)
    assert pt.book_from_dict(json.loads(json.dumps(data))) == book


# --- malformed content: paths, values, every problem at once ----------------------------


def test_an_unknown_currency_is_reported_with_its_json_path_and_value() -> None:
    data = northwind_data()
    data["deals"][3]["mrr_change"]["currency"] = "ZZZ"
    problem = only_problem(data)
    assert problem.path == "deals[3].mrr_change.currency"
    assert problem.value == "ZZZ"
    assert "ISO 4217" in problem.message
    assert str(problem) == (
        "deals[3].mrr_change.currency: must be an ISO 4217 currency code (got 'ZZZ')"
    )


def test_xxx_is_a_valid_currency_code() -> None:
    data = northwind_data()
    data["deals"][3]["mrr_change"]["currency"] = "XXX"
    assert pt.book_from_dict(data).deal("d-4").mrr_change.currency == "XXX"


def test_every_problem_is_reported_at_once() -> None:
    data = northwind_data()
    data["clients"][0]["country"] = "XX"
    data["subscriptions"][0]["started_on"] = "2023-02-30"
    data["deals"][1]["kindd"] = "upsell"
    data["deals"][3]["mrr_change"]["currency"] = "ZZZ"
    data["certifications"][1]["valid_from"] = 20250420
    with pytest.raises(pt.FileFormatError) as caught:
        pt.book_from_dict(data, source="northwind.json")
    error = caught.value
    assert sorted((p.path, p.value) for p in error.problems) == [
        ("certifications[1].valid_from", 20250420),
        ("clients[0].country", "XX"),
        ("deals[1].kindd", None),
        ("deals[3].mrr_change.currency", "ZZZ"),
        ("subscriptions[0].started_on", "2023-02-30"),
    ]
    assert str(error).startswith("northwind.json: 5 problems")
    assert len(error.lines()) == 5
    assert all(line.startswith("northwind.json: ") for line in error.lines())


@pytest.mark.parametrize(
    ("where", "key", "suggestion"),
    [
        (("deals", 1), "kindd", "kind"),
        (("clients", 0), "engagement", "engagement_index"),
        (("managed_services", 0), "form", "from"),
        ((), "deal", "deals"),
    ],
)
def test_an_unknown_key_is_refused_with_a_suggestion(
    where: tuple[str | int, ...], key: str, suggestion: str
) -> None:
    data = northwind_data()
    target: Any = data
    for step in where:
        target = target[step]
    target[key] = "anything"
    problem = only_problem(data)
    path = f"{where[0]}[{where[1]}].{key}" if where else key
    assert problem.path == path
    assert problem.message == f"unknown key; did you mean {suggestion!r}?"


def test_the_python_name_of_a_renamed_key_is_unknown_in_the_file() -> None:
    data = northwind_data()
    data["managed_services"][0]["since"] = data["managed_services"][0].pop("from")
    assert problems_of(data) == [
        ("managed_services[0].from", None),
        ("managed_services[0].since", None),
    ]


def test_a_missing_key_is_reported_with_its_path() -> None:
    data = northwind_data()
    del data["partner"]["name"]
    problem = only_problem(data)
    assert problem.path == "partner.name"
    assert problem.message == "is required but missing"


BROKEN: list[Any] = [
    # (where, key, bad value, expected path, words in the message, value in the problem)
    pytest.param(
        ("deals", 2, "mrr_change"),
        "amount",
        1.5,
        "deals[2].mrr_change.amount",
        "decimal",
        1.5,
        id="float-amount",
    ),
    pytest.param(
        ("deals", 0, "mrr_change"),
        "amount",
        "NaN",
        "deals[0].mrr_change.amount",
        "decimal",
        "NaN",
        id="nan",
    ),
    pytest.param(
        ("deals", 0),
        "closed_on",
        "2023/09/14",
        "deals[0].closed_on",
        "YYYY-MM-DD",
        "2023/09/14",
        id="date",
    ),
    pytest.param(
        ("subscriptions", 0),
        "contact_tier",
        "2000",
        "subscriptions[0].contact_tier",
        "integer",
        "2000",
        id="int-text",
    ),
    pytest.param(
        ("clients", 0),
        "engagement_index",
        11,
        "clients[0].engagement_index",
        "0 to 10",
        11,
        id="engagement",
    ),
    pytest.param(
        ("clients", 0), "tools_used", "crm", "clients[0].tools_used", "list", "crm", id="list"
    ),
    pytest.param(("partner",), "country", "XX", "partner.country", "ISO 3166", "XX", id="country"),
    pytest.param(
        ("subscriptions", 0, "mrr"),
        "amount",
        "-1",
        "subscriptions[0].mrr",
        "negative",
        pt.Money("-1", "EUR"),
        id="negative-mrr",
    ),
    pytest.param(
        ("subscriptions", 2, "renewal", "mrr"),
        "currency",
        "usd",
        "subscriptions[2].renewal.mrr.currency",
        "ISO 4217",
        "usd",
        id="nested-currency",
    ),
    pytest.param(
        ("deals", 1, "mrr_change"),
        "amount",
        "-300.00",
        "deals[1].mrr_change",
        "positive",
        pt.Money("-300.00", "EUR"),
        id="deal-sign",
    ),
    pytest.param(
        ("certifications", 0),
        "valid_until",
        "2020-01-01",
        "certifications[0].valid_until",
        "before valid_from",
        dt.date(2020, 1, 1),
        id="validity",
    ),
    pytest.param(
        ("managed_services", 0),
        "until",
        "2020-01-01",
        "managed_services[0].until",
        "after",
        dt.date(2020, 1, 1),
        id="until",
    ),
]


@pytest.mark.parametrize(("where", "key", "bad", "path", "words", "shown"), BROKEN)
def test_a_bad_value_is_reported_with_its_path_and_value(
    where: tuple[str | int, ...], key: str, bad: object, path: str, words: str, shown: object
) -> None:
    data = northwind_data()
    target: Any = data
    for step in where:
        target = target[step]
    target[key] = bad
    problem = only_problem(data)
    assert problem.path == path
    assert words in problem.message
    assert problem.value == shown


@pytest.mark.parametrize(
    ("name", "value", "path"),
    [("partner", 1, "partner"), ("deals", {}, "deals"), ("clients", "c-1", "clients")],
)
def test_a_part_of_the_wrong_shape_is_reported(name: str, value: object, path: str) -> None:
    data = northwind_data()
    data[name] = value
    problem = only_problem(data)
    assert problem.path == path
    assert problem.value == value


def test_a_dangling_reference_in_a_file_is_reported_with_its_path() -> None:
    data = northwind_data()
    data["deals"][1]["client"] = "c-ghost"
    problem = only_problem(data)
    assert (problem.path, problem.value) == ("deals[1].client", "c-ghost")
    assert problem.message == "names no client of the book"


def test_a_duplicate_id_in_a_file_is_reported_with_its_path() -> None:
    data = northwind_data()
    data["clients"][2]["id"] = "c-fabrikam"
    data["managed_services"][1]["client"] = "c-fabrikam"
    data["subscriptions"][3]["client"] = "c-fabrikam"
    # Every problem at once: the duplicate id, and the two managed periods of the one
    # remaining c-fabrikam that now overlap.
    assert problems_of(data) == [
        ("clients[2].id", "c-fabrikam"),
        ("managed_services[0].from", "2023-09-14"),
    ]


@pytest.mark.parametrize("data", [[], "book", 3, None])
def test_a_document_that_is_not_an_object_is_refused(data: object) -> None:
    problem = only_problem(data)
    assert problem.path == ""
    assert problem.message == "must be a JSON object"


# --- malformed text -----------------------------------------------------------------------


def test_invalid_json_is_reported_with_its_line() -> None:
    text = '{\n  "partner": {\n    "id": "p-1",,\n    "name": "x"\n  }\n}\n'
    (problem,) = text_problems(text)
    assert problem.line == 3
    assert problem.message.startswith("is not valid JSON")
    with pytest.raises(pt.FileFormatError, match=r"^book\.json: line 3: \(document\): "):
        pt.loads_book(text, source="book.json")


@pytest.mark.parametrize("text", ["", "   \n\t", b"", b"\n"])
def test_an_empty_document_is_refused(text: str | bytes) -> None:
    (problem,) = text_problems(text)
    assert problem.message == "is empty"


def test_bytes_that_are_not_utf8_are_refused_with_their_position() -> None:
    (problem,) = text_problems(b'{"partner": "Caf\xe9"}')
    assert problem.message == "is not UTF-8 text (byte 16)"


def test_utf8_bytes_with_any_script_are_read() -> None:
    text = NORTHWIND.read_text(encoding="utf-8").replace("Fabrikam GmbH", "Fábrikam ГмбХ 株式会社")
    book = pt.loads_book(text.encode("utf-8"))
    assert book.client("c-fabrikam").name == "Fábrikam ГмбХ 株式会社"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('{"partner": {}, "partner": {}}', "partner"),
        ('{"partner": {"id": "p-1", "id": "p-2"}}', "id"),
    ],
)
def test_duplicate_json_keys_are_refused(text: str, key: str) -> None:
    (problem,) = text_problems(text)
    assert problem.message == f"has a duplicate key {key!r}"


def test_json_numbers_are_read_as_exact_decimals() -> None:
    text = NORTHWIND.read_text(encoding="utf-8").replace('"900.00"', "900.10")
    text = text.replace('"300.00"', "0.1")
    book = pt.loads_book(text)
    assert book.deal("d-1").mrr_change.amount == Decimal("900.10")
    assert str(book.deal("d-1").mrr_change.amount) == "900.10"
    assert book.deal("d-2").mrr_change.amount == Decimal("0.1")
    assert json.loads(pt.dumps_book(book))["deals"][0]["mrr_change"]["amount"] == "900.10"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_json_non_numbers_are_refused_as_amounts(literal: str) -> None:
    text = NORTHWIND.read_text(encoding="utf-8").replace('"900.00"', literal)
    (problem,) = text_problems(text)
    assert problem.path == "deals[0].mrr_change.amount"


def test_a_document_nested_too_deeply_is_refused() -> None:
    (problem,) = text_problems("[" * 100_000 + "]" * 100_000)
    assert problem.path == ""
    assert problem.message


def test_a_document_larger_than_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_bookfile, "MAX_BOOK_BYTES", 10)
    (problem,) = text_problems('{"partner": {}}')
    assert problem.message == "is larger than 10 bytes"


# --- files ------------------------------------------------------------------------------


def test_a_missing_file_is_reported_with_its_name(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(pt.FileFormatError) as caught:
        pt.load_book(missing)
    assert caught.value.source == str(missing)
    assert caught.value.problems[0].message.startswith("cannot be read")
    assert str(caught.value).startswith(f"{missing}: ")


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty"), (b"\xff\xfe{}", "is not UTF-8 text (byte 0)")],
    ids=["empty", "latin-1"],
)
def test_a_bad_file_is_reported_with_its_name(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "book.json"
    path.write_bytes(content)
    with pytest.raises(pt.FileFormatError) as caught:
        pt.load_book(path)
    assert caught.value.source == str(path)
    assert [p.message for p in caught.value.problems] == [message]


def test_file_format_error_is_a_partner_tiers_error_and_a_value_error() -> None:
    assert issubclass(pt.FileFormatError, pt.PartnerTiersError)
    assert issubclass(pt.FileFormatError, ValueError)


def test_dump_book_writes_what_dumps_book_returns(tmp_path: Path, northwind: pt.Book) -> None:
    book = northwind
    path = tmp_path / "book.json"
    pt.dump_book(book, path)
    assert path.read_text(encoding="utf-8") == pt.dumps_book(book)
    assert pt.load_book(path) == book
    assert [p.name for p in tmp_path.iterdir()] == ["book.json"]


def test_dump_book_replaces_an_existing_file(tmp_path: Path, northwind: pt.Book) -> None:
    path = tmp_path / "book.json"
    path.write_text("old content that is longer than nothing", encoding="utf-8")
    book = northwind
    pt.dump_book(book, str(path))
    assert path.read_text(encoding="utf-8") == pt.dumps_book(book)
    assert [p.name for p in tmp_path.iterdir()] == ["book.json"]


def test_dump_book_leaves_the_old_file_whole_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, northwind: pt.Book
) -> None:
    path = tmp_path / "book.json"
    path.write_text("the old book", encoding="utf-8")

    def failing_replace(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        pt.dump_book(northwind, path)
    assert path.read_text(encoding="utf-8") == "the old book"
    assert [p.name for p in tmp_path.iterdir()] == ["book.json"]


@settings(max_examples=20)
@given(pts.books(max_clients=2, max_records=3))
def test_roundtrip_of_any_book_through_a_file(book: pt.Book) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.json"
        pt.dump_book(book, path)
        assert pt.load_book(path) == book
