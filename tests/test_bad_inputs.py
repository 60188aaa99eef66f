"""A catalogue of bad inputs, one per case, across every entry point: book files, program
files, command-line arguments and the Python API.

Each case names the exception class, the path (``problem.path`` or ``error.field``) and
words of the message, the offending value among them. Every book and program file case is
also run through the command line: exit code 2, exactly one line on stderr, no traceback.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import sys
import tomllib
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w
import yaml

import partner_tiers as pt
from cli_run import run_cli
from partner_tiers._io import bookfile as _bookfile
from partner_tiers._io import programfile as _programfile
from partner_tiers._rules import program as _program_module

PACKAGE = Path(pt.__file__).resolve().parent
NORTHWIND = PACKAGE / "data" / "northwind.json"
NORTHWIND_TEXT = NORTHWIND.read_text("utf-8")
HUBSPOT_2025_TOML = (PACKAGE / "programs" / "hubspot-2025.toml").read_text("utf-8")
AS_OF = "2025-09-30"

Data = Any
Edit = Callable[[Data], None]


# --- helpers --------------------------------------------------------------------------


def assert_one_line_error(code: int, err: str, *words: str) -> str:
    assert code == 2, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    line = lines[0]
    for word in words:
        assert word in line, (word, line)
    return line


def _walk_to(data: Data, path: Sequence[str | int]) -> Data:
    for key in path:
        data = data[key]
    return data


def set_(path: Sequence[str | int], value: object) -> Edit:
    def edit(data: Data) -> None:
        _walk_to(data, path[:-1])[path[-1]] = copy.deepcopy(value)

    return edit


def delete(path: Sequence[str | int]) -> Edit:
    def edit(data: Data) -> None:
        del _walk_to(data, path[:-1])[path[-1]]

    return edit


def append_copy(path: Sequence[str | int], index: int) -> Edit:
    def edit(data: Data) -> None:
        items = _walk_to(data, path)
        items.append(copy.deepcopy(items[index]))

    return edit


def append(path: Sequence[str | int], value: object) -> Edit:
    def edit(data: Data) -> None:
        _walk_to(data, path).append(copy.deepcopy(value))

    return edit


def reverse(path: Sequence[str | int]) -> Edit:
    def edit(data: Data) -> None:
        _walk_to(data, path).reverse()

    return edit


def problem_at(problems: Sequence[pt.Problem], path: str, words: Sequence[str] = ()) -> pt.Problem:
    """The problem at the path whose text holds every word (a path may have several)."""
    found = [
        problem
        for problem in problems
        if problem.path == path and all(word in str(problem) for word in words)
    ]
    assert found, f"no problem at {path!r} with {words} in {[str(p) for p in problems]}"
    return found[0]


# --- book files -----------------------------------------------------------------------


def northwind_data() -> Data:
    return json.loads(NORTHWIND_TEXT)


def edited_book(edit: Edit) -> str:
    data = northwind_data()
    edit(data)
    return json.dumps(data)


_EXTRA_DEAL = {
    "id": "d-9",
    "client": "c-fabrikam",
    "product_line": "marketing-hub",
    "kind": "adjustment",
    "motion": "none",
    "closed_on": "2025-01-01",
    "mrr_change": {"amount": "0.00", "currency": "EUR"},
}

BOOK_CASES = [
    # missing and unknown keys
    pytest.param(
        delete(["partner", "name"]),
        "partner.name",
        ["required but missing"],
        id="missing-partner-name",
    ),
    pytest.param(delete(["partner"]), "partner", ["required but missing"], id="missing-partner"),
    pytest.param(
        delete(["deals", 0, "closed_on"]),
        "deals[0].closed_on",
        ["required"],
        id="missing-deal-date",
    ),
    pytest.param(
        delete(["subscriptions", 0, "mrr", "currency"]),
        "subscriptions[0].mrr.currency",
        ["required"],
        id="missing-currency",
    ),
    pytest.param(set_(["colour"], "blue"), "colour", ["unknown key"], id="unknown-top-key"),
    pytest.param(
        set_(["clients", 0, "nmae"], "x"),
        "clients[0].nmae",
        ["unknown key", "did you mean 'name'"],
        id="unknown-client-key",
    ),
    pytest.param(
        set_(["managed_services", 0, "since"], "2023-09-14"),
        "managed_services[0].since",
        ["unknown key"],
        id="python-name-of-renamed-key",
    ),
    pytest.param(
        set_(["deals", 0, "mrr_change", "amout"], "1"),
        "deals[0].mrr_change.amout",
        ["unknown key", "'amount'"],
        id="unknown-money-key",
    ),
    # wrong types
    pytest.param(set_(["deals"], {}), "deals", ["expected a list", "{}"], id="deals-object"),
    pytest.param(set_(["deals"], "d-1"), "deals", ["expected a list", "'d-1'"], id="deals-string"),
    pytest.param(
        set_(["clients", 0, "tools_used"], "crm"),
        "clients[0].tools_used",
        ["expected a list", "'crm'"],
        id="tools-string",
    ),
    pytest.param(
        set_(["clients", 0, "engagement_index"], "6"),
        "clients[0].engagement_index",
        ["expected an integer", "'6'"],
        id="engagement-string",
    ),
    pytest.param(
        set_(["clients", 0, "engagement_index"], 6.5),
        "clients[0].engagement_index",
        ["expected an integer", "6.5"],
        id="engagement-float",
    ),
    pytest.param(
        set_(["managed_services", 1, "partners"], True),
        "managed_services[1].partners",
        ["expected an integer", "True"],
        id="partners-bool",
    ),
    pytest.param(
        set_(["deals", 0, "mrr_change", "amount"], True),
        "deals[0].mrr_change.amount",
        ["decimal number", "True"],
        id="amount-bool",
    ),
    pytest.param(
        set_(["deals", 0, "mrr_change", "amount"], ["900"]),
        "deals[0].mrr_change.amount",
        ["decimal number", "['900']"],
        id="amount-list",
    ),
    pytest.param(
        set_(["partner"], None),
        "partner",
        ["expected a table of keys and values"],
        id="partner-null",
    ),
    pytest.param(
        set_(["subscriptions", 0, "mrr"], "1200 EUR"),
        "subscriptions[0].mrr",
        ["table of keys and values", "'1200 EUR'"],
        id="money-string",
    ),
    pytest.param(set_(["facts"], []), "facts", ["table of keys and values", "[]"], id="facts-list"),
    pytest.param(
        set_(["partner", "joined_on"], 20210301),
        "partner.joined_on",
        ["YYYY-MM-DD", "20210301"],
        id="date-int",
    ),
    # negative and absurd amounts
    pytest.param(
        set_(["subscriptions", 0, "mrr", "amount"], "-5.00"),
        "subscriptions[0].mrr",
        ["must not be negative", "-5.00"],
        id="negative-mrr",
    ),
    pytest.param(
        set_(["deals", 0, "mrr_change", "amount"], "-900.00"),
        "deals[0].mrr_change",
        ["must be positive for a new deal", "-900.00"],
        id="negative-new-deal",
    ),
    pytest.param(
        set_(["deals", 0, "kind"], "churn"),
        "deals[0].mrr_change",
        ["must be negative for a churn deal", "900.00"],
        id="positive-churn",
    ),
    pytest.param(
        append(["deals"], _EXTRA_DEAL),
        "deals[5].mrr_change",
        ["must not be zero for an adjustment"],
        id="zero-adjustment",
    ),
    pytest.param(
        set_(["deals", 0, "mrr_change", "amount"], "NaN"),
        "deals[0].mrr_change.amount",
        ["decimal number", "'NaN'"],
        id="amount-nan",
    ),
    pytest.param(
        set_(["deals", 0, "mrr_change", "amount"], "-Infinity"),
        "deals[0].mrr_change.amount",
        ["decimal number", "'-Infinity'"],
        id="amount-infinite",
    ),
    pytest.param(
        set_(["deals", 0, "mrr_change", "amount"], "9OO.00"),
        "deals[0].mrr_change.amount",
        ["decimal number", "'9OO.00'"],
        id="amount-letters",
    ),
    pytest.param(
        set_(["deals", 0, "mrr_change", "amount"], ""),
        "deals[0].mrr_change.amount",
        ["decimal number", "''"],
        id="amount-empty",
    ),
    pytest.param(
        set_(["subscriptions", 0, "contact_tier"], -1),
        "subscriptions[0].contact_tier",
        ["int >= 0", "-1"],
        id="negative-contact-tier",
    ),
    pytest.param(
        set_(["clients", 0, "engagement_index"], 11),
        "clients[0].engagement_index",
        ["0 to 10", "11"],
        id="engagement-above-10",
    ),
    pytest.param(
        set_(["managed_services", 0, "partners"], 0),
        "managed_services[0].partners",
        ["int >= 1", "0"],
        id="zero-partners",
    ),
    # malformed and impossible dates
    pytest.param(
        set_(["deals", 0, "closed_on"], "2024-02-30"),
        "deals[0].closed_on",
        ["real calendar date", "'2024-02-30'"],
        id="date-feb-30",
    ),
    pytest.param(
        set_(["deals", 0, "closed_on"], "2023-02-29"),
        "deals[0].closed_on",
        ["real calendar date", "'2023-02-29'"],
        id="date-feb-29-common-year",
    ),
    pytest.param(
        set_(["deals", 0, "closed_on"], "2024-13-01"),
        "deals[0].closed_on",
        ["real calendar date", "'2024-13-01'"],
        id="date-month-13",
    ),
    pytest.param(
        set_(["deals", 0, "closed_on"], "0000-01-01"),
        "deals[0].closed_on",
        ["real calendar date", "'0000-01-01'"],
        id="date-year-0",
    ),
    pytest.param(
        set_(["deals", 0, "closed_on"], "2024/02/03"),
        "deals[0].closed_on",
        ["YYYY-MM-DD", "'2024/02/03'"],
        id="date-slashes",
    ),
    pytest.param(
        set_(["deals", 0, "closed_on"], "2024-2-3"),
        "deals[0].closed_on",
        ["YYYY-MM-DD", "'2024-2-3'"],
        id="date-unpadded",
    ),
    pytest.param(
        set_(["deals", 0, "closed_on"], "2024-01-01T00:00:00"),
        "deals[0].closed_on",
        ["YYYY-MM-DD", "'2024-01-01T00:00:00'"],
        id="date-with-time",
    ),
    pytest.param(
        set_(["subscriptions", 0, "renews_on"], "2020-01-01"),
        "subscriptions[0].renews_on",
        ["before started_on 2023-09-14", "2020"],
        id="renewal-before-start",
    ),
    pytest.param(
        set_(["certifications", 0, "valid_until"], "2020-01-01"),
        "certifications[0].valid_until",
        ["before valid_from 2023-05-02", "2020"],
        id="certification-reversed",
    ),
    pytest.param(
        set_(["managed_services", 0, "until"], "2023-09-14"),
        "managed_services[0].until",
        ["must be after since 2023-09-14", "2023"],
        id="service-ends-when-it-starts",
    ),
    # unknown currencies and countries ("XXX" is a valid ISO 4217 code: see below)
    pytest.param(
        set_(["deals", 0, "mrr_change", "currency"], "ZZZ"),
        "deals[0].mrr_change.currency",
        ["ISO 4217", "'ZZZ'"],
        id="currency-zzz",
    ),
    pytest.param(
        set_(["deals", 0, "mrr_change", "currency"], "eur"),
        "deals[0].mrr_change.currency",
        ["ISO 4217", "'eur'"],
        id="currency-lower-case",
    ),
    pytest.param(
        set_(["subscriptions", 2, "renewal", "mrr", "currency"], "US$"),
        "subscriptions[2].renewal.mrr.currency",
        ["ISO 4217", "'US$'"],
        id="renewal-currency",
    ),
    pytest.param(
        set_(["clients", 0, "country"], "ZZ"),
        "clients[0].country",
        ["ISO 3166-1", "'ZZ'"],
        id="country-zz",
    ),
    pytest.param(
        set_(["partner", "country"], "UK"),
        "partner.country",
        ["ISO 3166-1", "'UK'"],
        id="country-uk-is-not-iso",
    ),
    pytest.param(
        set_(["clients", 1, "country"], "usa"),
        "clients[1].country",
        ["ISO 3166-1", "'usa'"],
        id="country-alpha-3",
    ),
    # enumerations
    pytest.param(set_(["deals", 0, "kind"], "gift"), "deals[0].kind", ["'gift'"], id="deal-kind"),
    pytest.param(
        set_(["deals", 0, "motion"], "collab"), "deals[0].motion", ["'collab'"], id="deal-motion"
    ),
    pytest.param(
        set_(["clients", 0, "relationship"], "friend"),
        "clients[0].relationship",
        ["'friend'"],
        id="relationship",
    ),
    pytest.param(
        set_(["subscriptions", 0, "renewal_owner"], "nobody"),
        "subscriptions[0].renewal_owner",
        ["'nobody'"],
        id="renewal-owner",
    ),
    pytest.param(
        set_(["clients", 0, "id"], ""), "clients[0].id", ["non-empty string", "''"], id="empty-id"
    ),
    pytest.param(
        set_(["clients", 0, "name"], "   "),
        "clients[0].name",
        ["non-empty string", "'   '"],
        id="blank-name",
    ),
    # duplicate ids and dangling references
    pytest.param(
        append_copy(["clients"], 0),
        "clients[3].id",
        ["duplicates the id", "'c-fabrikam'"],
        id="duplicate-client",
    ),
    pytest.param(
        append_copy(["deals"], 0),
        "deals[5].id",
        ["duplicates the id", "'d-1'"],
        id="duplicate-deal",
    ),
    pytest.param(
        append_copy(["subscriptions"], 1),
        "subscriptions[4].id",
        ["duplicates the id", "'s-fab-sales'"],
        id="duplicate-subscription",
    ),
    pytest.param(
        append_copy(["certifications"], 0),
        "certifications[2].id",
        ["duplicates the id", "'cert-1'"],
        id="duplicate-certification",
    ),
    pytest.param(
        set_(["deals", 2, "client"], "c-nobody"),
        "deals[2].client",
        ["names no client", "'c-nobody'"],
        id="dangling-deal",
    ),
    pytest.param(
        set_(["subscriptions", 3, "client"], "c-gone"),
        "subscriptions[3].client",
        ["names no client", "'c-gone'"],
        id="dangling-subscription",
    ),
    pytest.param(
        set_(["managed_services", 1, "client"], "c-x"),
        "managed_services[1].client",
        ["names no client", "'c-x'"],
        id="dangling-managed-service",
    ),
]


WHOLE_BOOK_CASES = [
    pytest.param(b"", ["is empty"], id="empty-file"),
    pytest.param(b"  \n\t\n", ["is empty"], id="whitespace-file"),
    pytest.param(b"\xff\xfe{}", ["not UTF-8", "byte 0"], id="utf16-bom"),
    pytest.param(b'{"partner": "caf\xe9"}', ["not UTF-8", "byte 16"], id="latin-1-byte"),
    pytest.param(NORTHWIND_TEXT[:200].encode(), ["not valid JSON"], id="truncated"),
    pytest.param(b"[]", ["must be a JSON object", "'list'"], id="top-level-list"),
    pytest.param(b"null", ["must be a JSON object", "'NoneType'"], id="top-level-null"),
    pytest.param(b"[" * 100_000, ["nested too deeply"], id="deep-list"),
    pytest.param(b'{"a":' * 100_000, ["nested too deeply"], id="deep-object"),
    pytest.param(
        b'{"partner": {}, "partner": {}}', ["duplicate key 'partner'"], id="duplicate-key"
    ),
    pytest.param(
        NORTHWIND_TEXT.encode() + b"}", ["not valid JSON", "Extra data"], id="trailing-garbage"
    ),
    pytest.param(b"{'partner': 1}", ["not valid JSON"], id="single-quotes"),
]


@pytest.mark.parametrize(("edit", "path", "words"), BOOK_CASES)
def test_a_bad_book_is_refused_with_its_path_and_value(
    edit: Edit, path: str, words: list[str]
) -> None:
    with pytest.raises(pt.FileFormatError) as info:
        pt.loads_book(edited_book(edit), source="book.json")
    problem = problem_at(info.value.problems, path, words)
    assert str(problem).startswith(path)
    assert str(info.value).startswith("book.json: ")


@pytest.mark.parametrize(("edit", "path", "words"), BOOK_CASES)
def test_a_bad_book_on_the_command_line_is_one_line_and_exit_2(
    edit: Edit,
    path: str,
    words: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    book = tmp_path / "book.json"
    book.write_text(edited_book(edit), encoding="utf-8")
    code, out, err = run_cli(["evaluate", str(book), "--as-of", AS_OF], capsys)
    assert out == ""
    assert_one_line_error(code, err, str(book), path, *words)


@pytest.mark.parametrize(("raw", "words"), WHOLE_BOOK_CASES)
def test_an_unreadable_book_document_is_refused_as_a_whole(raw: bytes, words: list[str]) -> None:
    with pytest.raises(pt.FileFormatError) as info:
        pt.loads_book(raw)
    [problem] = info.value.problems
    assert problem.path == ""
    for word in words:
        assert word in str(problem), (word, str(problem))


@pytest.mark.parametrize(("raw", "words"), WHOLE_BOOK_CASES)
def test_an_unreadable_book_file_on_the_command_line_is_one_line(
    raw: bytes, words: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book.json"
    book.write_bytes(raw)
    code, _, err = run_cli(["evaluate", str(book), "--as-of", AS_OF], capsys)
    assert_one_line_error(code, err, str(book), "(document)", *words)


def test_xxx_is_a_valid_currency_code_refused_only_by_the_program() -> None:
    # XXX is ISO 4217's "no currency": the book accepts it, pricing names what is missing.
    text = edited_book(set_(["deals", 0, "mrr_change", "currency"], "XXX"))
    book = pt.loads_book(text)
    assert book.deals[0].mrr_change.currency == "XXX"
    with pytest.raises(pt.PricingError) as info:
        pt.evaluate(book, pt.load_program("hubspot-2025"), as_of=dt.date(2025, 9, 30))
    message = str(info.value)
    assert message.startswith("deals[0].mrr_change.currency: deal d-1: ")
    assert "currency XXX on 2023-09-14" in message
    assert "which accepts AUD, CAD, COP, EUR, GBP, JPY, SGD, USD, ZAR;" in message
    assert "add a XXX currency row with a program that extends hubspot-2025" in message


def test_every_problem_of_a_book_is_reported_at_once() -> None:
    data = northwind_data()
    data["deals"][0]["closed_on"] = "2024-02-30"
    data["clients"][1]["country"] = "ZZ"
    data["subscriptions"][0]["mrr"]["currency"] = "ZZZ"
    with pytest.raises(pt.FileFormatError) as info:
        pt.book_from_dict(data)
    paths = {problem.path for problem in info.value.problems}
    assert {"deals[0].closed_on", "clients[1].country", "subscriptions[0].mrr.currency"} <= paths


@pytest.mark.parametrize("limit", [0, 100, len(NORTHWIND_TEXT) - 1])
def test_a_book_over_the_size_limit_is_refused_before_parsing(
    limit: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Writing 64 MiB is slow; a small limit exercises the same check.
    monkeypatch.setattr(_bookfile, "MAX_BOOK_BYTES", limit)
    with pytest.raises(pt.FileFormatError) as info:
        pt.loads_book(NORTHWIND_TEXT)
    assert f"is larger than {limit} bytes" in str(info.value)
    book = tmp_path / "big.json"
    book.write_text(NORTHWIND_TEXT, encoding="utf-8")
    with pytest.raises(pt.FileFormatError) as from_file:
        pt.load_book(book)
    [problem] = from_file.value.problems
    assert problem.path == ""
    assert problem.value == book.stat().st_size
    code, _, err = run_cli(["evaluate", str(book), "--as-of", AS_OF], capsys)
    assert_one_line_error(code, err, str(book), f"larger than {limit} bytes")


def test_a_book_exactly_at_the_size_limit_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_bookfile, "MAX_BOOK_BYTES", len(NORTHWIND_TEXT))
    assert pt.loads_book(NORTHWIND_TEXT).partner.id == "p-northwind"


def test_a_missing_book_file_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(pt.FileFormatError) as info:
        pt.load_book(missing)
    assert str(info.value) == f"{missing}: (document): cannot be read: No such file or directory"


# --- program files --------------------------------------------------------------------


def program_data() -> Data:
    return tomllib.loads(HUBSPOT_2025_TOML, parse_float=Decimal)


def as_json(data: Data) -> str:
    return json.dumps(data, default=str, indent=2)


def edited_program(edit: Edit, fmt: str) -> str:
    data = program_data()
    edit(data)
    return tomli_w.dumps(data) if fmt == "toml" else as_json(data)


PROGRAM_CASES = [
    pytest.param(set_(["colour"], "blue"), "colour", ["unknown key"], id="unknown-top-key"),
    pytest.param(
        set_(["tiers", 0, "reech"], {"total": 1}),
        "tiers[0].reech",
        ["unknown key", "did you mean 'reach'"],
        id="unknown-tier-key",
    ),
    pytest.param(
        set_(["policy", "notice"], 30),
        "policy.notice",
        ["unknown key", "did you mean 'notice_days'"],
        id="unknown-policy-key",
    ),
    pytest.param(delete(["name"]), "name", ["required but missing"], id="missing-name"),
    pytest.param(
        delete(["tiers", 1, "reach"]),
        "tiers[1].reach",
        ["required but missing"],
        id="missing-reach",
    ),
    pytest.param(set_(["name"], " "), "name", ["must not be empty", "' '"], id="blank-name"),
    pytest.param(
        reverse(["rates"]),
        "rates[1].effective_from",
        ["must be after rates[0].effective_from (2024-02-27)", "2022"],
        id="rates-unsorted",
    ),
    pytest.param(
        set_(["rates", 1, "effective_from"], dt.date(2022, 7, 18)),
        "rates[1].effective_from",
        ["must not overlap", "2022"],
        id="rates-overlapping",
    ),
    pytest.param(
        reverse(["currencies"]),
        "currencies[1].effective_from",
        ["only the first row may omit it"],
        id="currencies-unsorted",
    ),
    pytest.param(set_(["rates"], []), "rates", ["at least one rate row"], id="no-rates"),
    pytest.param(
        set_(["rates", 0, "sourced"], -3),
        "rates[0].sourced",
        ["must not be negative", "-3"],
        id="negative-rate",
    ),
    pytest.param(
        set_(["rates", 0, "sourced"], "three"),
        "rates[0].sourced",
        ["decimal number", "'three'"],
        id="rate-word",
    ),
    pytest.param(
        set_(["rates", 0, "effective_from"], "2024-02-30"),
        "rates[0].effective_from",
        ["real calendar date", "'2024-02-30'"],
        id="rate-date-feb-30",
    ),
    pytest.param(
        set_(["tiers", 0, "retain", "total"], Decimal(60)),
        "tiers[0].retain.total",
        ["must be <= tiers[0].reach.total (52.5)", "60"],
        id="retain-above-reach",
    ),
    pytest.param(
        set_(["tiers", 1, "reach", "sourced"], Decimal(10)),
        "tiers[1].reach.sourced",
        ["strictly increase", "10"],
        id="ladder-not-increasing",
    ),
    pytest.param(
        set_(["tiers", 0, "reach", "total"], Decimal(-1)),
        "tiers[0].reach.total",
        ["must not be negative", "-1"],
        id="negative-reach",
    ),
    pytest.param(
        set_(["tiers", 0, "reach", "sorced"], Decimal(1)),
        "tiers[0].reach.sorced",
        ["track the program does not define", "did you mean 'sourced'"],
        id="threshold-unknown-track",
    ),
    pytest.param(
        set_(["tiers", 0, "reach", "total"], "lots"),
        "tiers[0].reach.total",
        ["decimal number", "'lots'"],
        id="threshold-word",
    ),
    pytest.param(
        set_(["tiers", 0, "retain", "sold"], Decimal(1)),
        "tiers[0].retain.sold",
        ["no reach threshold to keep"],
        id="retain-without-reach",
    ),
    pytest.param(
        append_copy(["tiers"], 0),
        "tiers[4].id",
        ["duplicates another tier's id", "'gold'"],
        id="duplicate-tier",
    ),
    pytest.param(set_(["tiers"], []), "tiers", ["at least one tier"], id="no-tiers"),
    pytest.param(
        append(["tracks"], {"id": "bogus"}),
        "tracks[3].id",
        ["no built-in or registered track", "'bogus'"],
        id="unknown-track",
    ),
    pytest.param(
        set_(["tracks", 0, "kind"], "os.system"),
        "tracks[0].kind",
        ["no built-in or registered track", "'os.system'"],
        id="track-kind-is-no-import",
    ),
    pytest.param(
        set_(["currencies", 0, "per_100_usd", "ZZZ"], "5"),
        "currencies[0].per_100_usd.ZZZ",
        ["ISO 4217", "'ZZZ'"],
        id="currency-zzz",
    ),
    pytest.param(
        set_(["currencies", 1, "per_100_usd", "EUR"], "0"),
        "currencies[1].per_100_usd.EUR",
        ["must be positive", "0"],
        id="currency-zero",
    ),
    pytest.param(
        append(["growth_markets", 0, "countries"], "QQ"),
        "growth_markets[0].countries",
        ["ISO 3166-1", "'QQ'"],
        id="growth-country-qq",
    ),
    pytest.param(
        set_(["growth_markets", 0, "multiplier"], 0),
        "growth_markets[0].multiplier",
        ["must be positive", "0"],
        id="growth-multiplier-zero",
    ),
    pytest.param(
        set_(["gates", 0, "kind"], "certificaton"),
        "gates[0].kind",
        ["no built-in or registered gate", "did you mean 'certification'", "'certificaton'"],
        id="gate-kind-typo",
    ),
    pytest.param(
        set_(["gates", 2, "tiers"], ["eliet"]),
        "gates[2].tiers",
        ["names no tier", "did you mean 'elite'", "'eliet'"],
        id="gate-tier-typo",
    ),
    pytest.param(
        set_(["gates", 1, "params"], {}),
        "gates[1].params.fact",
        ["required but missing"],
        id="gate-param-missing",
    ),
    pytest.param(
        set_(["gates", 1, "params", "minimum"], "three"),
        "gates[1].params.minimum",
        ["must be a number", "'three'"],
        id="gate-param-word",
    ),
    pytest.param(
        set_(["policy", "review_dates"], ["13-01"]),
        "policy.review_dates",
        ["MM-DD", "'13-01'"],
        id="review-month-13",
    ),
    pytest.param(
        set_(["policy", "review_dates"], []),
        "policy.review_dates",
        ["at least one MM-DD date"],
        id="no-review-dates",
    ),
    pytest.param(
        set_(["policy", "review_dates"], "01-01"),
        "policy.review_dates",
        ["expected a list", "'01-01'"],
        id="review-dates-string",
    ),
    pytest.param(
        set_(["policy", "promotion"], "never"),
        "policy.promotion",
        ["'never'"],
        id="promotion-unknown",
    ),
    pytest.param(
        set_(["policy", "notice_days"], -1),
        "policy.notice_days",
        ["must not be negative", "-1"],
        id="negative-notice",
    ),
    pytest.param(
        set_(["policy", "first_tier_deadline_months"], 0),
        "policy.first_tier_deadline_months",
        ["at least 1", "0"],
        id="deadline-zero",
    ),
    pytest.param(
        set_(["expiry", 0, "months"], 0), "expiry[0].months", ["at least 1", "0"], id="expiry-zero"
    ),
    pytest.param(
        set_(["rounding", 0, "places"], 13),
        "rounding[0].places",
        ["from 0 to 12", "13"],
        id="rounding-places",
    ),
    pytest.param(
        set_(["rounding", 0, "mode"], "down"), "rounding[0].mode", ["'down'"], id="rounding-mode"
    ),
    pytest.param(
        set_(["price_before_first_row"], "yes"),
        "price_before_first_row",
        ["true or false", "'yes'"],
        id="flag-string",
    ),
]

FORMATS = ["toml", "json"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("edit", "path", "words"), PROGRAM_CASES)
def test_a_bad_program_is_refused_with_its_path_and_value(
    edit: Edit, path: str, words: list[str], fmt: str
) -> None:
    text = edited_program(edit, fmt)
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.loads_program(text, fmt, source=f"program.{fmt}")  # type: ignore[arg-type]
    problem = problem_at(info.value.problems, path, words)
    if fmt == "toml" and "missing" not in problem.message:
        # TOML problems carry the line of the key (or of the nearest table above it).
        assert problem.line is not None
        assert 1 <= problem.line <= len(text.splitlines())


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("edit", "path", "words"), PROGRAM_CASES)
def test_a_bad_program_on_the_command_line_is_one_line_and_exit_2(
    edit: Edit,
    path: str,
    words: list[str],
    fmt: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    program = tmp_path / f"program.{fmt}"
    program.write_text(edited_program(edit, fmt), encoding="utf-8")
    code, out, err = run_cli(
        ["evaluate", str(NORTHWIND), "--as-of", AS_OF, "--program", str(program)], capsys
    )
    assert out == ""
    assert_one_line_error(code, err, str(program), path, *words)
    # validate prints every problem, one per line, each naming the file.
    code, out, err = run_cli(["validate", str(program)], capsys)
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert lines
    assert all(line.startswith(f"{program}: ") for line in lines)
    assert any(path in line for line in lines)


def test_a_toml_problem_names_the_line_of_the_key() -> None:
    text = HUBSPOT_2025_TOML.replace('name = "Platinum"', 'name = "Platinum"\ncolor = "grey"')
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.loads_program(text)
    problem = problem_at(info.value.problems, "tiers[1].color")
    expected = text.splitlines().index('color = "grey"') + 1
    assert problem.line == expected
    assert str(problem).startswith(f"line {expected}: tiers[1].color: unknown key")


WHOLE_PROGRAM_CASES = [
    pytest.param("", "toml", ["is empty"], id="empty-toml"),
    pytest.param(" \n", "json", ["is empty"], id="empty-json"),
    pytest.param(
        HUBSPOT_2025_TOML[: len(HUBSPOT_2025_TOML) // 2],
        "toml",
        ["not valid TOML"],
        id="truncated-toml",
    ),
    pytest.param(
        'name = "hubspot-2025"\nversion = \n',
        "toml",
        ["not valid TOML", "line 2"],
        id="toml-missing-value",
    ),
    pytest.param(as_json(program_data())[:300], "json", ["not valid JSON"], id="truncated-json"),
    pytest.param("[1, 2]", "json", ["table of keys and values"], id="json-list"),
    pytest.param("name = 'a'\nname = 'b'\n", "toml", ["not valid TOML"], id="toml-duplicate-key"),
    pytest.param("[" * 100_000, "json", ["nested too deeply"], id="deep-json"),
]


@pytest.mark.parametrize(("text", "fmt", "words"), WHOLE_PROGRAM_CASES)
def test_an_unreadable_program_document_is_refused_as_a_whole(
    text: str, fmt: str, words: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.loads_program(text, fmt)  # type: ignore[arg-type]
    [problem] = info.value.problems
    assert problem.path == ""
    for word in words:
        assert word in str(problem)
    program = tmp_path / f"program.{fmt}"
    program.write_text(text, encoding="utf-8")
    code, _, err = run_cli(
        ["evaluate", str(NORTHWIND), "--as-of", AS_OF, "--program", str(program)], capsys
    )
    assert_one_line_error(code, err, str(program), *words)


def test_program_bytes_that_are_not_utf8_are_refused() -> None:
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.loads_program(b"name = '\xe9'")
    assert "not UTF-8 text (byte 8)" in str(info.value)


def test_a_program_file_with_an_unknown_suffix_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = tmp_path / "program.ini"
    program.write_text(HUBSPOT_2025_TOML, encoding="utf-8")
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.load_program(program)
    [problem] = info.value.problems
    assert problem.value == ".ini"
    assert "unknown suffix" in problem.message
    code, _, err = run_cli(["programs", "show", str(program)], capsys)
    assert_one_line_error(code, err, str(program), "unknown suffix", "'.ini'")


def test_a_program_over_the_size_limit_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(_programfile, "MAX_PROGRAM_BYTES", 1000)
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.loads_program(HUBSPOT_2025_TOML)
    assert "is larger than 1000 bytes" in str(info.value)
    program = tmp_path / "big.toml"
    program.write_text(HUBSPOT_2025_TOML, encoding="utf-8")
    code, _, err = run_cli(["validate", str(program)], capsys)
    assert_one_line_error(code, err, str(program), "larger than 1000 bytes")


def test_every_problem_of_a_program_is_reported_at_once() -> None:
    data = program_data()
    data["tiers"][0]["retain"]["total"] = Decimal(60)
    data["currencies"][0]["per_100_usd"]["ZZZ"] = "5"
    data["colour"] = "blue"
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.program_from_dict(data)
    paths = {problem.path for problem in info.value.problems}
    assert {"tiers[0].retain.total", "currencies[0].per_100_usd.ZZZ", "colour"} <= paths


# --- command-line arguments -----------------------------------------------------------

BOOK = str(NORTHWIND)

CLI_CASES = [
    # Known escape C5: a months count out of range did not name --months.
    pytest.param(
        ["report", BOOK, "--as-of", "2025-09-30", "--html", "r.html", "--months", "-5"],
        ["--months: -5 is not in the range 1<=x<=1200"],
        id="report-negative-months",
    ),
    pytest.param(
        ["report", BOOK, "--as-of", "2025-09-30", "--html", "r.html", "--months", "100000"],
        ["--months: 100000 is not in the range"],
        id="report-absurd-months",
    ),
    # A folder that does not exist: the message names the file asked for, not the
    # temporary file it would have been written through.
    pytest.param(
        ["report", BOOK, "--as-of", "2025-09-30", "--html", "/no/such/folder/r.html"],
        ["/no/such/folder/r.html: cannot write: No such file or directory"],
        id="report-missing-folder",
    ),
    pytest.param(
        ["evaluate", BOOK, "--as-of", "2024-02-30"],
        ["--as-of", "'2024-02-30'", "YYYY-MM-DD"],
        id="as-of-feb-30",
    ),
    pytest.param(
        ["evaluate", BOOK, "--as-of", "2025-9-30"], ["--as-of", "'2025-9-30'"], id="as-of-unpadded"
    ),
    pytest.param(
        ["evaluate", BOOK, "--as-of", "yesterday"], ["--as-of", "'yesterday'"], id="as-of-word"
    ),
    pytest.param(["explain", BOOK, "--as-of", ""], ["--as-of", "''"], id="as-of-empty"),
    pytest.param(
        ["demo", "--as-of", "30.09.2025"], ["--as-of", "'30.09.2025'"], id="demo-as-of-german"
    ),
    pytest.param(
        ["whatif", BOOK, "--as-of", AS_OF, "--lapse-certification", "2025-13-01"],
        ["--lapse-certification", "'2025-13-01'"],
        id="lapse-date",
    ),
    pytest.param(
        ["evaluate", "/no/such/book.json", "--as-of", AS_OF],
        ["/no/such/book.json", "cannot be read", "No such file"],
        id="missing-book",
    ),
    pytest.param(
        ["evaluate", str(PACKAGE), "--as-of", AS_OF],
        [str(PACKAGE), "cannot be read"],
        id="book-is-a-folder",
    ),
    pytest.param(
        ["evaluate", BOOK, "--as-of", AS_OF, "--program", "hubspot-2030"],
        ["program", "'hubspot-2030'", "hubspot-2025"],
        id="unknown-program",
    ),
    pytest.param(
        ["programs", "show", "hubspot-2o25"],
        ["'hubspot-2o25'", "neither a shipped program"],
        id="show-unknown-program",
    ),
    pytest.param(
        ["programs", "diff", "hubspot-2024", "nope"], ["'nope'"], id="diff-unknown-program"
    ),
    pytest.param(
        ["programs", "show", "hubspot-2025", "--format", "xml"], ["'xml'", "toml"], id="show-format"
    ),
    pytest.param(
        ["whatif", BOOK, "--as-of", AS_OF, "--deal", "x"],
        ["--deal", "MOTION:AMOUNT:CURRENCY", "'x'"],
        id="deal-shape",
    ),
    pytest.param(
        ["whatif", BOOK, "--as-of", AS_OF, "--deal", "gift:5:USD"],
        ["--deal", "'gift'"],
        id="deal-motion",
    ),
    pytest.param(
        ["whatif", BOOK, "--as-of", AS_OF, "--deal", "sourced:abc:USD"],
        ["Money.amount", "'abc'"],
        id="deal-amount-word",
    ),
    pytest.param(
        ["whatif", BOOK, "--as-of", AS_OF, "--deal", "sourced:-5:USD"],
        ["Deal.mrr_change", "must be positive", "-5"],
        id="deal-negative",
    ),
    pytest.param(
        ["whatif", BOOK, "--as-of", AS_OF, "--deal", "sourced:0:USD"],
        ["Deal.mrr_change", "must be positive"],
        id="deal-zero",
    ),
    pytest.param(
        ["whatif", BOOK, "--as-of", AS_OF, "--deal", "sourced:5:ZZZ"],
        ["Money.currency", "'ZZZ'"],
        id="deal-currency",
    ),
    pytest.param(
        ["whatif", BOOK, "--as-of", AS_OF, "--deal", "sourced:5:XXX"],
        ["deal whatif-1", "currency XXX"],
        id="deal-currency-not-in-table",
    ),
    pytest.param(
        ["whatif", BOOK, "--as-of", AS_OF, "--deal", "sourced:5:USD:c-nobody"],
        ["client", "'c-nobody'"],
        id="deal-dangling-client",
    ),
    pytest.param(
        ["whatif", BOOK, "--as-of", AS_OF, "--end-services", "c-nobody"],
        ["client", "'c-nobody'"],
        id="end-unknown-client",
    ),
    pytest.param(
        ["report", BOOK, "--as-of", AS_OF, "--html", str(PACKAGE)],
        [str(PACKAGE), "directory"],
        id="report-into-folder",
    ),
    pytest.param(
        ["report", BOOK, "--as-of", AS_OF, "--html", "x.html", "--months", "many"],
        ["'many'"],
        id="report-months-word",
    ),
    pytest.param(["bogus"], ["'bogus'"], id="unknown-command"),
    pytest.param(
        ["evaluate", BOOK, "--as-of", AS_OF, "--colour"], ["--colour"], id="unknown-option"
    ),
]


@pytest.mark.parametrize(("argv", "words"), CLI_CASES)
def test_bad_command_line_arguments_are_one_line_and_exit_2(
    argv: list[str], words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(argv, capsys)
    assert out == ""
    line = assert_one_line_error(code, err, *words)
    assert line.startswith("partner-tiers: error: ")


# --- the Python API -------------------------------------------------------------------

_BOOK = pt.loads_book(NORTHWIND_TEXT)
_DAY = dt.date(2025, 9, 30)


def _batch(**changes: Any) -> pt.PointBatch:
    fields: dict[str, Any] = {
        "id": "sold:x",
        "track": "sold",
        "motion": "sourced",
        "client": "c-1",
        "points": "10",
        "earned_on": dt.date(2024, 1, 1),
        "expires_on": dt.date(2025, 1, 1),
        "origin": "x",
    }
    fields.update(changes)
    return pt.PointBatch(**fields)


def _money(amount: object, currency: object = "USD") -> pt.Money:
    return pt.Money(amount, currency)  # type: ignore[arg-type]


def _deal(kind: str, amount: str, **changes: Any) -> pt.Deal:
    fields: dict[str, Any] = {
        "id": "d-x",
        "client": "c-fabrikam",
        "product_line": "marketing-hub",
        "kind": kind,
        "motion": "sourced",
        "closed_on": dt.date(2025, 1, 1),
        "mrr_change": pt.Money(amount, "USD"),
    }
    fields.update(changes)
    return pt.Deal(**fields)


def _program() -> pt.Program:
    return pt.load_program("hubspot-2025")


# The API called with values of the wrong type on purpose: typed Any, so that mypy lets
# the calls through to the run-time checks they test.
api: Any = pt

_OLD_DEAL = _deal("new", "100", id="d-old", closed_on=dt.date(2020, 1, 1))

API_CASES: list[Any] = [
    # money
    pytest.param(
        lambda: _money(0.1),
        pt.InvalidRecordError,
        "Money.amount",
        ["not a float", "0.1"],
        id="money-float",
    ),
    pytest.param(
        lambda: _money("nan"),
        pt.InvalidRecordError,
        "Money.amount",
        ["finite", "'nan'"],
        id="money-nan",
    ),
    pytest.param(
        lambda: _money("Infinity"),
        pt.InvalidRecordError,
        "Money.amount",
        ["finite", "'Infinity'"],
        id="money-infinity",
    ),
    pytest.param(
        lambda: _money("12,50"),
        pt.InvalidRecordError,
        "Money.amount",
        ["not a decimal number", "'12,50'"],
        id="money-comma",
    ),
    pytest.param(
        lambda: _money([1]), pt.InvalidRecordError, "Money.amount", ["[1]"], id="money-list"
    ),
    pytest.param(
        lambda: _money("1", "ZZZ"),
        pt.InvalidRecordError,
        "Money.currency",
        ["ISO 4217", "'ZZZ'"],
        id="money-zzz",
    ),
    pytest.param(
        lambda: _money("1", "usd"),
        pt.InvalidRecordError,
        "Money.currency",
        ["ISO 4217", "'usd'"],
        id="money-lower-case",
    ),
    pytest.param(
        lambda: _money("1", None),
        pt.InvalidRecordError,
        "Money.currency",
        ["ISO 4217", "None"],
        id="money-no-currency",
    ),
    pytest.param(
        lambda: api.Money("1", "USD") + pt.Money("1", "EUR"),
        pt.InvalidRecordError,
        "Money.currency",
        ["cannot combine with USD", "'EUR'"],
        id="money-mixed-currencies",
    ),
    # dates given to the engine
    pytest.param(
        lambda: api.evaluate(_BOOK, _program(), as_of=dt.datetime(2025, 9, 30)),
        pt.InvalidRecordError,
        "as_of",
        ["must be a date", "datetime.datetime(2025, 9, 30"],
        id="evaluate-datetime",
    ),
    pytest.param(
        lambda: api.evaluate(_BOOK, _program(), as_of="2025-09-30"),
        pt.InvalidRecordError,
        "as_of",
        ["must be a date", "'2025-09-30'"],
        id="evaluate-string",
    ),
    pytest.param(
        lambda: api.evaluate(_BOOK, _program(), as_of=None),
        pt.InvalidRecordError,
        "as_of",
        ["must be a date", "None"],
        id="evaluate-none",
    ),
    pytest.param(
        lambda: api.statuses(_BOOK, _program(), [_DAY, "2025-10-01"]),
        pt.InvalidRecordError,
        "days",
        ["'2025-10-01'"],
        id="statuses-string",
    ),
    pytest.param(
        lambda: api.what_if(_BOOK, _program(), as_of=20250930),
        pt.InvalidRecordError,
        "as_of",
        ["20250930"],
        id="what-if-int",
    ),
    pytest.param(
        lambda: api.timeline(_BOOK, _program(), _DAY, dt.date(2025, 1, 1)),
        pt.InvalidRecordError,
        "end",
        ["before start 2025-09-30", "2025"],
        id="timeline-reversed",
    ),
    pytest.param(
        lambda: api.timeline(_BOOK, _program(), dt.date(2025, 1, 1), _DAY, months=0),
        pt.InvalidRecordError,
        "months",
        ["must be from 1 to 3600", "0"],
        id="timeline-zero-months",
    ),
    pytest.param(
        lambda: api.alerts(_BOOK, as_of=_DAY, within_days=-1),
        pt.InvalidRecordError,
        "within_days",
        ["must be from 0 to 36500", "-1"],
        id="alerts-negative-window",
    ),
    # records
    pytest.param(
        lambda: _deal("new", "-10"),
        pt.InvalidRecordError,
        "Deal.mrr_change",
        ["must be positive for a new deal", "-10"],
        id="deal-negative-new",
    ),
    pytest.param(
        lambda: _deal("upsell", "0"),
        pt.InvalidRecordError,
        "Deal.mrr_change",
        ["must be positive", "upsell"],
        id="deal-zero-upsell",
    ),
    pytest.param(
        lambda: _deal("downgrade", "10"),
        pt.InvalidRecordError,
        "Deal.mrr_change",
        ["must be negative for a downgrade deal", "(got 10 USD)"],
        id="deal-positive-downgrade",
    ),
    pytest.param(
        lambda: _deal("adjustment", "0", motion="none"),
        pt.InvalidRecordError,
        "Deal.mrr_change",
        ["must not be zero"],
        id="deal-zero-adjustment",
    ),
    pytest.param(
        lambda: _deal("gift", "10"),
        pt.InvalidRecordError,
        "Deal.kind",
        ["must be one of new, cross_sell", "'gift'"],
        id="deal-kind",
    ),
    pytest.param(
        lambda: _deal("new", "10", motion="collab"),
        pt.InvalidRecordError,
        "Deal.motion",
        ["must be one of sourced, assisted, none", "'collab'"],
        id="deal-motion",
    ),
    pytest.param(
        lambda: _deal("new", "10", closed_on="2025-01-01"),
        pt.InvalidRecordError,
        "Deal.closed_on",
        ["must be a date", "'2025-01-01'"],
        id="deal-date-string",
    ),
    pytest.param(
        lambda: _deal("new", "10", mrr_change=Decimal(10)),
        pt.InvalidRecordError,
        "Deal.mrr_change",
        ["must be Money", "(got 10)"],
        id="deal-bare-amount",
    ),
    pytest.param(
        lambda: _deal("new", "10", id=""),
        pt.InvalidRecordError,
        "Deal.id",
        ["non-empty string", "''"],
        id="deal-empty-id",
    ),
    pytest.param(
        lambda: api.Client("c", "n", "gb", "sold"),
        pt.InvalidRecordError,
        "Client.country",
        ["ISO 3166-1", "'gb'"],
        id="client-country",
    ),
    pytest.param(
        lambda: api.Client("c", "n", "GB", "friend"),
        pt.InvalidRecordError,
        "Client.relationship",
        ["'friend'"],
        id="client-relationship",
    ),
    pytest.param(
        lambda: api.Client("c", "n", "GB", "sold", tools_used="crm"),
        pt.InvalidRecordError,
        "Client.tools_used",
        ["list of strings", "'crm'"],
        id="client-tools-string",
    ),
    pytest.param(
        lambda: api.Client("c", "n", "GB", "sold", engagement_index=-1),
        pt.InvalidRecordError,
        "Client.engagement_index",
        ["0 to 10", "-1"],
        id="client-engagement",
    ),
    pytest.param(
        lambda: api.Partner("p", "n", "GB", dt.datetime(2021, 3, 1)),
        pt.InvalidRecordError,
        "Partner.joined_on",
        ["must be a date", "datetime.datetime(2021, 3, 1"],
        id="partner-datetime",
    ),
    pytest.param(
        lambda: api.Subscription("s", "c", "l", "e", pt.Money("-1", "USD"), _DAY, _DAY),
        pt.InvalidRecordError,
        "Subscription.mrr",
        ["must not be negative", "-1"],
        id="subscription-negative",
    ),
    pytest.param(
        lambda: api.Subscription(
            "s", "c", "l", "e", pt.Money("1", "USD"), _DAY, dt.date(2025, 1, 1)
        ),
        pt.InvalidRecordError,
        "Subscription.renews_on",
        ["before started_on 2025-09-30"],
        id="subscription-renews-before-start",
    ),
    pytest.param(
        lambda: api.ManagedService("c", _DAY, partners=0),
        pt.InvalidRecordError,
        "ManagedService.partners",
        ["int >= 1", "0"],
        id="service-zero-partners",
    ),
    pytest.param(
        lambda: api.ManagedService("c", _DAY, _DAY),
        pt.InvalidRecordError,
        "ManagedService.until",
        ["must be after since 2025-09-30"],
        id="service-empty-period",
    ),
    pytest.param(
        lambda: api.Certification("c", "n", _DAY, dt.date(2025, 1, 1)),
        pt.InvalidRecordError,
        "Certification.valid_until",
        ["before valid_from 2025-09-30"],
        id="certification-reversed",
    ),
    # books
    pytest.param(
        lambda: api.Book(None),
        pt.InvalidRecordError,
        "Book.partner",
        ["must be a Partner", "None"],
        id="book-no-partner",
    ),
    pytest.param(
        lambda: api.Book(_BOOK.partner, clients="c-1"),
        pt.InvalidRecordError,
        "Book.clients",
        ["sequence of Client", "'c-1'"],
        id="book-clients-string",
    ),
    pytest.param(
        lambda: api.Book(_BOOK.partner, clients=[1]),
        pt.InvalidRecordError,
        "clients[0]",
        ["must be a Client", "1"],
        id="book-clients-int",
    ),
    pytest.param(
        lambda: api.Book(_BOOK.partner, clients=_BOOK.clients[:1] * 2),
        pt.BookIntegrityError,
        "clients[1].id",
        ["duplicates", "'c-fabrikam'"],
        id="book-duplicate-client",
    ),
    pytest.param(
        lambda: api.Book(_BOOK.partner, deals=_BOOK.deals[:1]),
        pt.BookIntegrityError,
        "deals[0].client",
        ["names no client", "'c-fabrikam'"],
        id="book-dangling-deal",
    ),
    pytest.param(
        lambda: api.Book(_BOOK.partner, facts={"retention": 0.9}),
        pt.InvalidRecordError,
        "facts.retention",
        ["must not be a float", "0.9"],
        id="book-float-fact",
    ),
    pytest.param(
        lambda: api.Book(_BOOK.partner, facts={"": 1}),
        pt.InvalidRecordError,
        "facts",
        ["non-empty strings", "''"],
        id="book-empty-fact-name",
    ),
    pytest.param(
        lambda: _BOOK.client("c-nobody"),
        pt.UnknownIdError,
        "client",
        ["no client with this id", "'c-nobody'"],
        id="book-lookup",
    ),
    pytest.param(
        lambda: api.without_client(_BOOK, "c-nobody"),
        pt.UnknownIdError,
        "client",
        ["'c-nobody'"],
        id="without-unknown-client",
    ),
    pytest.param(
        lambda: api.what_if(_BOOK, _program(), as_of=_DAY, deals=[_BOOK.deals[0]]),
        pt.BookIntegrityError,
        "deals[5].id",
        ["duplicates", "'d-1'"],
        id="what-if-duplicate-deal",
    ),
    # ledger
    pytest.param(
        lambda: _batch(expires_on=dt.date(2024, 1, 1)),
        pt.LedgerError,
        "PointBatch.expires_on",
        ["must be after earned_on 2024-01-01", "'sold:x'"],
        id="batch-expires-on-earning",
    ),
    pytest.param(
        lambda: _batch(points=0.5),
        pt.InvalidRecordError,
        "PointBatch.points",
        ["not a float", "0.5"],
        id="batch-float-points",
    ),
    pytest.param(
        lambda: api.PointsLedger([_batch(), _batch(points="11")]),
        pt.LedgerError,
        "PointsLedger.batches",
        ["'sold:x'", "other content"],
        id="ledger-conflicting-batches",
    ),
    pytest.param(
        lambda: api.PointsLedger([1]),
        pt.LedgerError,
        "PointsLedger.batches",
        ["1 is not a PointBatch"],
        id="ledger-not-a-batch",
    ),
    pytest.param(
        lambda: api.PointsLedger([_batch()]).batch("sold:y"),
        pt.UnknownIdError,
        "batch_id",
        ["'sold:y'"],
        id="ledger-unknown-batch",
    ),
    # pricing and programs
    pytest.param(
        lambda: api.build_ledger(
            attrs.evolve(_BOOK, deals=(*_BOOK.deals, _OLD_DEAL)),
            attrs.evolve(_program(), price_before_first_row=False),
        ),
        pt.PricingError,
        "deal d-old",
        ["no rate row", "2020-01-01", "2022-07-18"],
        id="deal-before-first-rate-row",
    ),
    pytest.param(
        lambda: api.build_ledger(
            attrs.evolve(
                _BOOK, deals=(attrs.evolve(_BOOK.deals[0], mrr_change=pt.Money("5", "XXX")),)
            ),
            _program(),
        ),
        pt.PricingError,
        "deals[0].mrr_change.currency",
        ["deal d-1", "currency XXX", "2023-09-14", "which accepts", "extends hubspot-2025"],
        id="currency-not-in-table",
    ),
    pytest.param(
        lambda: api.load_program("hubspot-2030"),
        pt.UnknownProgramError,
        "program",
        ["'hubspot-2030'", "hubspot-2025"],
        id="unknown-program",
    ),
    pytest.param(
        lambda: api.program_from_dict([]),
        pt.ProgramValidationError,
        "<data>",
        ["table of keys and values"],
        id="program-from-list",
    ),
    pytest.param(
        lambda: api.book_from_dict(None),
        pt.FileFormatError,
        "<data>",
        ["must be a JSON object", "'NoneType'"],
        id="book-from-none",
    ),
    # Known escape E6: wrong types through the Python API raised TypeError, KeyError or
    # IndexError from deep inside; each argument is now checked where it comes in.
    pytest.param(
        lambda: api.timeline(_BOOK, _program(), "2025-01-01", _DAY),
        pt.InvalidRecordError,
        "start",
        ["must be a date", "'2025-01-01'"],
        id="timeline-string-start",
    ),
    pytest.param(
        lambda: api.what_if(_BOOK, _program(), as_of=_DAY, certifications_lapse_on="2025-10-01"),
        pt.InvalidRecordError,
        "certifications_lapse_on",
        ["must be a date", "'2025-10-01'"],
        id="what-if-string-lapse",
    ),
    pytest.param(
        lambda: _program().tier("nobody"),
        pt.InvalidRecordError,
        "tier_id",
        ["must be one of gold, platinum, diamond, elite", "'nobody'"],
        id="program-unknown-tier",
    ),
    pytest.param(
        lambda: api.ReviewPolicy(review_dates="01-01"),
        pt.InvalidRecordError,
        "ReviewPolicy.review_dates",
        ["must be a list of MM-DD month-days", "'01-01'"],
        id="policy-one-string",
    ),
    pytest.param(
        lambda: api.ReviewPolicy(promotion="sometimes"),
        pt.InvalidRecordError,
        "ReviewPolicy.promotion",
        ["must be one of immediate, at_review", "'sometimes'"],
        id="policy-unknown-promotion",
    ),
    pytest.param(
        lambda: api.ReviewPolicy(review_dates=[]).next_review(_DAY),
        pt.ProgramError,
        "policy.review_dates",
        ["at least one MM-DD date"],
        id="policy-no-review-dates",
    ),
    pytest.param(
        lambda: api.loads_book(5),
        pt.FileFormatError,
        "<string>",
        ["must be str or bytes, not int"],
        id="loads-book-int",
    ),
    pytest.param(
        lambda: api.loads_program({"name": "x"}),
        pt.ProgramValidationError,
        "<string>",
        ["must be str or bytes, not dict"],
        id="loads-program-dict",
    ),
    pytest.param(
        lambda: api.load_book(5),
        pt.InvalidRecordError,
        "path",
        ["must be a path", "5"],
        id="load-book-int",
    ),
    pytest.param(
        lambda: api.load_program(None),
        pt.InvalidRecordError,
        "name_or_path",
        ["must be a path", "None"],
        id="load-program-none",
    ),
    pytest.param(
        lambda: api.loads_program("name = 'x'", "xml"),
        pt.InvalidRecordError,
        "format",
        ["must be one of toml, json, yaml", "'xml'"],
        id="loads-program-unknown-format",
    ),
    pytest.param(
        lambda: api.evaluate(NORTHWIND_TEXT, _program(), as_of=_DAY),
        pt.InvalidRecordError,
        "book",
        ["must be a Book"],
        id="evaluate-text-as-book",
    ),
    pytest.param(
        lambda: api.build_ledger(_BOOK, "hubspot-2025"),
        pt.InvalidRecordError,
        "program",
        ["must be a Program", "'hubspot-2025'"],
        id="build-ledger-program-name",
    ),
    pytest.param(
        lambda: api.evaluate(_BOOK, _program(), as_of=_DAY, ledger=[]),
        pt.InvalidRecordError,
        "ledger",
        ["must be a PointsLedger", "[]"],
        id="evaluate-list-as-ledger",
    ),
    pytest.param(
        lambda: api.statuses(_BOOK, _program(), _DAY),
        pt.InvalidRecordError,
        "days",
        ["must be an iterable of dates", "(got 2025-09-30)"],
        id="statuses-one-date",
    ),
    pytest.param(
        lambda: api.build_ledger(_BOOK, _program()).totals("2025-09-30"),
        pt.InvalidRecordError,
        "as_of",
        ["must be a date", "'2025-09-30'"],
        id="ledger-totals-string",
    ),
    pytest.param(
        lambda: api.build_ledger(_BOOK, _program()).movements(_DAY, dt.datetime(2025, 10, 1)),
        pt.InvalidRecordError,
        "end",
        ["must be a date", "datetime.datetime(2025, 10, 1, 0, 0)"],
        id="ledger-movements-datetime",
    ),
    pytest.param(
        lambda: api.cliff_date(_BOOK, _program(), as_of=_DAY, horizon_months=0),
        pt.InvalidRecordError,
        "horizon_months",
        ["must be from 1 to 3600", "0"],
        id="cliff-zero-horizon",
    ),
    pytest.param(
        lambda: api.needed_to_reach(_BOOK, _program(), as_of="2026-01-01"),
        pt.InvalidRecordError,
        "as_of",
        ["must be a date", "'2026-01-01'"],
        id="needed-string-as-of",
    ),
    pytest.param(
        lambda: api.program_impact([_BOOK, "book"], _program(), _program(), as_of=_DAY),
        pt.InvalidRecordError,
        "books[1]",
        ["must be a Book", "'book'"],
        id="impact-not-a-book",
    ),
    pytest.param(
        lambda: api.report_html(_BOOK, _program(), as_of=_DAY, months=True),
        pt.InvalidRecordError,
        "months",
        ["must be a whole number", "True"],
        id="report-bool-months",
    ),
    pytest.param(
        lambda: api.rolling_mrr(_BOOK, _program(), as_of=_DAY, months=100_000),
        pt.InvalidRecordError,
        "months",
        ["must be from 1 to 3600", "100000"],
        id="rolling-mrr-absurd-months",
    ),
    pytest.param(
        lambda: api.clients_table(_BOOK, as_of=_DAY, program="hubspot-2025"),
        pt.InvalidRecordError,
        "program",
        ["must be a Program"],
        id="clients-table-program-name",
    ),
]


@pytest.mark.parametrize(("call", "error", "where", "words"), API_CASES)
def test_a_bad_value_for_the_python_api_raises_with_its_field_and_value(
    call: Callable[[], object], error: type[pt.PartnerTiersError], where: str, words: list[str]
) -> None:
    with pytest.raises(error) as info:
        call()
    raised = info.value
    message = str(raised)
    if isinstance(raised, pt.InvalidRecordError):
        assert raised.field == where
    assert message.startswith(f"{where}: ") or message.startswith(f"{where} "), message
    for word in words:
        assert word in message, (word, message)
    assert isinstance(raised, pt.PartnerTiersError)
    assert isinstance(raised, ValueError)


def test_the_catalogue_holds_at_least_sixty_distinct_bad_inputs() -> None:
    groups = (
        BOOK_CASES,
        WHOLE_BOOK_CASES,
        PROGRAM_CASES,
        WHOLE_PROGRAM_CASES,
        CLI_CASES,
        API_CASES,
    )
    assert sum(len(group) for group in groups) >= 60
    for group in groups:
        ids = [case.id for case in group]
        assert len(set(ids)) == len(ids), "each case has its own id"


# --- every rule of check_program, with its exact message ------------------------------
#
# The catalogue above checks words; these check every problem of a small program to the
# letter, in order, and the boundary values that are still valid. Messages are part of
# the contract (a user greps for them), and mutation testing showed that only exact
# comparisons notice a changed message or a moved boundary (docs/testing.md).

MINI: dict[str, Any] = {
    "name": "mini",
    "version": "1",
    "title": "A small program",
    "description": "Example values.",
    "effective_from": "2024-01-01",
    "tracks": [{"id": "total"}, {"id": "sourced"}],
    "tiers": [
        {
            "id": "gold",
            "name": "Gold",
            "reach": {"total": "10", "sourced": "1"},
            "retain": {"total": "9"},
        },
        {"id": "platinum", "name": "Platinum", "reach": {"total": "20", "sourced": "2"}},
    ],
    "gates": [
        {"id": "certified", "kind": "certification"},
        {
            "id": "tools",
            "kind": "median_tool_usage",
            "tiers": ["platinum"],
            "params": {"minimum": 3},
        },
    ],
    "rates": [
        {
            "effective_from": "2024-01-01",
            "sourced": "5",
            "assisted": "3",
            "unattributed": "3",
            "managed": "1",
        }
    ],
    "currencies": [{"per_100_usd": {"USD": "100"}}],
    "growth_markets": [{"countries": ["IN"], "multiplier": "2"}],
    "expiry": [{"months": 12}],
    "rounding": [{"places": 2}],
}


def mini_problems(edit: Edit) -> list[str]:
    data = copy.deepcopy(MINI)
    edit(data)
    try:
        pt.program_from_dict(data)
    except pt.ProgramValidationError as error:
        return [str(problem) for problem in error.problems]
    return []


def _update(path: Sequence[str | int], **values: object) -> Edit:
    def edit(data: Data) -> None:
        _walk_to(data, path).update(copy.deepcopy(values))

    return edit


def _extend(path: Sequence[str | int], *items: object) -> Edit:
    def edit(data: Data) -> None:
        _walk_to(data, path).extend(copy.deepcopy(list(items)))

    return edit


def _both(*edits: Edit) -> Edit:
    def edit(data: Data) -> None:
        for one in edits:
            one(data)

    return edit


_RATE = MINI["rates"][0]
_UNUSED_TRACK = "uses a track the program does not define"
_MM_DD = "policy.review_dates: must be MM-DD, e.g. 01-01"
_SORTED = "rows are sorted and must not overlap"

EXACT_CASES = [
    pytest.param(set_(["name"], " "), ["name: must not be empty (got ' ')"], id="name-blank"),
    pytest.param(
        set_(["tracks"], []),
        [
            "tracks: must define at least one track",
            f"tiers[0].reach.total: {_UNUSED_TRACK}",
            f"tiers[0].reach.sourced: {_UNUSED_TRACK}",
            f"tiers[0].retain.total: {_UNUSED_TRACK}",
            f"tiers[1].reach.total: {_UNUSED_TRACK}",
            f"tiers[1].reach.sourced: {_UNUSED_TRACK}",
        ],
        id="no-tracks",
    ),
    pytest.param(
        append(["tracks"], {"id": "total"}),
        ["tracks[2].id: duplicates another track's id (got 'total')"],
        id="duplicate-track",
    ),
    pytest.param(
        _update(["tracks", 1], kind="sourcd"),
        [
            "tracks[1].kind: is no built-in or registered track; did you mean 'sourced'? "
            "(got 'sourcd')"
        ],
        id="track-kind-typo",
    ),
    pytest.param(
        append(["tracks"], {"id": "bogus"}),
        ["tracks[2].id: is no built-in or registered track (got 'bogus')"],
        id="unknown-track",
    ),
    pytest.param(
        set_(["tiers"], []),
        [
            "tiers: must hold at least one tier",
            "gates[1].tiers: names no tier of the ladder (got 'platinum')",
        ],
        id="no-tiers",
    ),
    pytest.param(
        _update(["tiers", 1], id="gold"),
        [
            "tiers[1].id: duplicates another tier's id (got 'gold')",
            "gates[1].tiers: names no tier of the ladder (got 'platinum')",
        ],
        id="duplicate-tier",
    ),
    pytest.param(
        _update(["tiers", 0], reach={}, retain={}),
        ["tiers[0].reach: must set at least one threshold"],
        id="empty-reach",
    ),
    pytest.param(
        _update(["tiers", 0, "reach"], managed="1"),
        [f"tiers[0].reach.managed: {_UNUSED_TRACK}"],
        id="reach-on-undefined-track",
    ),
    pytest.param(
        _update(["tiers", 0, "retain"], totl="1"),
        [
            f"tiers[0].retain.totl: {_UNUSED_TRACK}; did you mean 'total'?",
            "tiers[0].retain.totl: has no reach threshold to keep",
        ],
        id="retain-on-undefined-track",
    ),
    pytest.param(
        _update(["tiers", 0], reach={"total": "-1", "sourced": "1"}, retain={"total": "-2"}),
        [
            "tiers[0].reach.total: must not be negative (got -1)",
            "tiers[0].retain.total: must not be negative (got -2)",
        ],
        id="negative-thresholds",
    ),
    pytest.param(
        _update(["tiers", 1], reach={"total": "20"}, retain={"sourced": "1"}),
        ["tiers[1].retain.sourced: has no reach threshold to keep"],
        id="retain-without-reach",
    ),
    pytest.param(
        _update(["tiers", 0, "retain"], total="10.01"),
        ["tiers[0].retain.total: must be <= tiers[0].reach.total (10) (got 10.01)"],
        id="retain-a-cent-above-reach",
    ),
    pytest.param(
        _update(["tiers", 1, "reach"], total="10"),
        [
            "tiers[1].reach.total: must be greater than tiers[0].reach.total (10): reach "
            "thresholds strictly increase up the ladder (got 10)"
        ],
        id="reach-equal-to-the-tier-below",
    ),
    pytest.param(
        _both(
            _update(["tiers", 0], reach={"total": "10"}, retain={}),
            _update(["tiers", 1], reach={"sourced": "2"}),
        ),
        [
            "tiers[1].reach: shares no track with tiers[0]: the tier could be met without "
            "the one below it"
        ],
        id="no-shared-track",
    ),
    pytest.param(
        _update(["gates", 1], id="certified"),
        ["gates[1].id: duplicates another gate's id (got 'certified')"],
        id="duplicate-gate",
    ),
    pytest.param(
        _update(["gates", 0], kind="certfication"),
        [
            "gates[0].kind: is no built-in or registered gate; did you mean 'certification'? "
            "(got 'certfication')"
        ],
        id="gate-kind-typo",
    ),
    pytest.param(
        _update(["gates", 1], tiers=["platnum", "diamond"]),
        [
            "gates[1].tiers: names no tier of the ladder; did you mean 'platinum'? (got 'platnum')",
            "gates[1].tiers: names no tier of the ladder (got 'diamond')",
        ],
        id="gate-unknown-tiers",
    ),
    pytest.param(
        _update(["gates", 1], params={}),
        ["gates[1].params.minimum: is required but missing"],
        id="median-without-minimum",
    ),
    pytest.param(
        append(["gates"], {"id": "r", "kind": "fact_at_least", "params": {}}),
        [
            "gates[2].params.fact: is required but missing",
            "gates[2].params.minimum: is required but missing",
        ],
        id="fact-at-least-without-params",
    ),
    pytest.param(
        append(["gates"], {"id": "i", "kind": "fact_true"}),
        ["gates[2].params.fact: is required but missing"],
        id="fact-true-without-fact",
    ),
    pytest.param(
        _update(["gates", 1], params={"minimum": "3"}),
        ["gates[1].params.minimum: must be a number (got '3')"],
        id="minimum-as-text",
    ),
    pytest.param(
        set_(["policy"], {"review_dates": []}),
        ["policy.review_dates: must hold at least one MM-DD date"],
        id="no-review-dates",
    ),
    pytest.param(
        set_(
            ["policy"],
            {"review_dates": ["00-10", "01-32", "13-01", "1-01", "01-00", "12-31", "01-01"]},
        ),
        [
            f"{_MM_DD} (got '00-10')",
            f"{_MM_DD} (got '01-00')",
            f"{_MM_DD} (got '01-32')",
            f"{_MM_DD} (got '1-01')",
            f"{_MM_DD} (got '13-01')",
        ],
        id="review-dates-out-of-range",
    ),
    pytest.param(
        set_(["policy"], {"notice_days": -1}),
        ["policy.notice_days: must not be negative (got -1)"],
        id="negative-notice",
    ),
    pytest.param(
        set_(["policy"], {"first_tier_deadline_months": 0}),
        ["policy.first_tier_deadline_months: must be at least 1 (got 0)"],
        id="zero-deadline",
    ),
    pytest.param(set_(["rates"], []), ["rates: must hold at least one rate row"], id="no-rates"),
    pytest.param(
        _update(["rates", 0], sourced="-1", assisted="-2", unattributed="-3", managed="-4"),
        [
            "rates[0].sourced: must not be negative (got -1)",
            "rates[0].assisted: must not be negative (got -2)",
            "rates[0].unattributed: must not be negative (got -3)",
            "rates[0].managed: must not be negative (got -4)",
        ],
        id="negative-rates",
    ),
    pytest.param(
        append(["rates"], {**_RATE, "effective_from": "2023-12-31"}),
        [
            "rates[1].effective_from: must be after rates[0].effective_from (2024-01-01): "
            f"{_SORTED} (got 2023-12-31)"
        ],
        id="rates-unsorted",
    ),
    pytest.param(
        append(["rates"], _RATE),
        [
            "rates[1].effective_from: must be after rates[0].effective_from (2024-01-01): "
            f"{_SORTED} (got 2024-01-01)"
        ],
        id="rates-on-the-same-day",
    ),
    pytest.param(
        set_(["currencies"], []),
        ["currencies: must hold at least one currency table"],
        id="no-currencies",
    ),
    pytest.param(
        append(["currencies"], {"per_100_usd": {"USD": "100"}}),
        ["currencies[1].effective_from: is required (only the first row may omit it)"],
        id="second-currency-table-without-date",
    ),
    pytest.param(
        set_(
            ["currencies"],
            [
                {"effective_from": "2025-01-01", "per_100_usd": {"USD": "100"}},
                {"effective_from": "2024-01-01", "per_100_usd": {"USD": "100"}},
            ],
        ),
        [
            "currencies[1].effective_from: must be after currencies[0].effective_from "
            f"(2025-01-01): {_SORTED} (got 2024-01-01)"
        ],
        id="currencies-unsorted",
    ),
    pytest.param(
        _update(["currencies", 0, "per_100_usd"], ZZZ="1", usd="1"),
        [
            "currencies[0].per_100_usd.ZZZ: is not an ISO 4217 currency code (got 'ZZZ')",
            "currencies[0].per_100_usd.usd: is not an ISO 4217 currency code (got 'usd')",
        ],
        id="currency-codes",
    ),
    pytest.param(
        _update(["currencies", 0, "per_100_usd"], USD="0", EUR="-1"),
        [
            "currencies[0].per_100_usd.USD: must be positive (got 0)",
            "currencies[0].per_100_usd.EUR: must be positive (got -1)",
        ],
        id="currency-amounts",
    ),
    pytest.param(
        _extend(
            ["growth_markets"],
            {"effective_from": "2025-01-01", "countries": ["IN"]},
            {"effective_from": "2024-06-01", "countries": ["IN"]},
        ),
        [
            "growth_markets[2].effective_from: must be after growth_markets[1].effective_from "
            f"(2025-01-01): {_SORTED} (got 2024-06-01)"
        ],
        id="growth-markets-unsorted",
    ),
    pytest.param(
        _update(["growth_markets", 0], countries=["IN", "in", "XX"]),
        [
            "growth_markets[0].countries: is not an ISO 3166-1 alpha-2 code (got 'XX')",
            "growth_markets[0].countries: is not an ISO 3166-1 alpha-2 code (got 'in')",
        ],
        id="growth-countries",
    ),
    pytest.param(
        _update(["growth_markets", 0], multiplier="0"),
        ["growth_markets[0].multiplier: must be positive (got 0)"],
        id="growth-multiplier",
    ),
    pytest.param(
        set_(["expiry"], []), ["expiry: must hold at least one expiry rule"], id="no-expiry"
    ),
    pytest.param(
        _update(["expiry", 0], months=0),
        ["expiry[0].months: must be at least 1 (got 0)"],
        id="expiry-zero-months",
    ),
    pytest.param(
        _extend(
            ["expiry"],
            {"effective_from": "2025-01-01", "months": 6},
            {"effective_from": "2025-01-01", "months": 6},
        ),
        [
            "expiry[2].effective_from: must be after expiry[1].effective_from (2025-01-01): "
            f"{_SORTED} (got 2025-01-01)"
        ],
        id="expiry-unsorted",
    ),
    pytest.param(
        set_(["rounding"], []), ["rounding: must hold at least one rounding rule"], id="no-rounding"
    ),
    pytest.param(
        _extend(
            ["rounding"],
            {"effective_from": "2025-01-01", "places": 13},
            {"effective_from": "2026-01-01", "places": -1},
        ),
        [
            "rounding[1].places: must be from 0 to 12 (got 13)",
            "rounding[2].places: must be from 0 to 12 (got -1)",
        ],
        id="rounding-places",
    ),
    pytest.param(
        _extend(["rounding"], {"effective_from": "2025-01-01"}, {"effective_from": "2024-06-01"}),
        [
            "rounding[2].effective_from: must be after rounding[1].effective_from (2025-01-01): "
            f"{_SORTED} (got 2024-06-01)"
        ],
        id="rounding-unsorted",
    ),
]


def test_the_small_program_is_valid() -> None:
    assert mini_problems(lambda data: None) == []


@pytest.mark.parametrize(("edit", "expected"), EXACT_CASES)
def test_check_program_reports_exactly_these_problems(edit: Edit, expected: list[str]) -> None:
    assert mini_problems(edit) == expected


BOUNDARY_CASES = [
    pytest.param(_update(["tiers", 0, "retain"], total="10"), id="retain-equal-to-reach"),
    pytest.param(_update(["tiers", 1, "reach"], total="10.01"), id="reach-a-cent-above"),
    pytest.param(set_(["policy"], {"notice_days": 0}), id="no-notice"),
    pytest.param(set_(["policy"], {"first_tier_deadline_months": 1}), id="deadline-one-month"),
    pytest.param(set_(["policy"], {"review_dates": ["12-31", "01-01", "02-29"]}), id="reviews"),
    pytest.param(
        _update(["rates", 0], sourced="0", assisted="0", unattributed="0", managed="0"),
        id="zero-rates",
    ),
    pytest.param(_update(["currencies", 0, "per_100_usd"], XXX="0.01"), id="tiny-currency"),
    pytest.param(_update(["growth_markets", 0], multiplier="0.01"), id="small-multiplier"),
    pytest.param(_update(["expiry", 0], months=1), id="one-month-expiry"),
    pytest.param(
        _extend(
            ["rounding"],
            {"effective_from": "2025-01-01", "places": 0},
            {"effective_from": "2026-01-01", "places": 12},
        ),
        id="rounding-0-and-12",
    ),
    pytest.param(
        _extend(["expiry"], {"effective_from": "2024-01-01"}, {"effective_from": "2024-01-02"}),
        id="rows-a-day-apart",
    ),
    pytest.param(set_(["gates"], []), id="no-gates"),
    pytest.param(set_(["growth_markets"], []), id="no-growth-markets"),
]


@pytest.mark.parametrize("edit", BOUNDARY_CASES)
def test_values_on_the_boundary_are_valid(edit: Edit) -> None:
    assert mini_problems(edit) == []


def test_check_program_requires_a_date_on_every_rate_row() -> None:
    # Files cannot leave out a rate row's date (the format requires it), but a program
    # built in Python can: check_program names the row.
    program = pt.program_from_dict(MINI)
    undated = attrs.evolve(program.rates[0], effective_from=None)  # type: ignore[arg-type]
    problems = pt.check_program(attrs.evolve(program, rates=(undated, program.rates[0])))
    assert [str(problem) for problem in problems] == [
        "rates[0].effective_from: is required (only the first row may omit it)",
    ]


def test_check_program_uses_the_registry_it_is_given() -> None:
    program = pt.program_from_dict(MINI)
    custom = attrs.evolve(program, tracks=(*program.tracks, pt.TrackSpec("clients")))
    assert [str(p) for p in pt.check_program(custom)] == [
        "tracks[2].id: is no built-in or registered track (got 'clients')"
    ]
    registry = pt.Registry().with_track(
        "clients", lambda context, params: Decimal(len(context.book.clients))
    )
    assert pt.check_program(custom, registry) == []


def test_a_document_that_is_not_a_table_is_refused() -> None:
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.program_from_dict(["name", "mini"], source="list.json")
    assert str(info.value) == "list.json: (document): must be a table of keys and values"


# --- parsing program text: exact messages and lines --------------------------------------

PARSE_CASES = [
    pytest.param("", "toml", None, "(document): is empty", id="empty"),
    pytest.param(" \n\t", "yaml", None, "(document): is empty", id="blank-yaml"),
    pytest.param(
        'name = "x"\nversion = \n',
        "toml",
        2,
        "line 2: (document): is not valid TOML: Invalid value (at line 2, column 11)",
        id="toml-line-in-message",
    ),
    pytest.param(
        'name = "x"\ntitle = "abc',
        "toml",
        2,
        "line 2: (document): is not valid TOML: Unterminated string (at end of document)",
        id="toml-cut-without-newline",
    ),
    pytest.param(
        "name = 1\na = [1,\n2,\n",
        "toml",
        3,
        "line 3: (document): is not valid TOML: Invalid value (at end of document)",
        id="toml-cut-after-newline",
    ),
    pytest.param(
        '{\n "a": 1,\n}',
        "json",
        3,
        "line 3: (document): is not valid JSON: Expecting property name enclosed in double quotes",
        id="json-trailing-comma",
    ),
    pytest.param(
        "[" * 5000, "json", None, "(document): is nested too deeply", id="json-nested-too-deeply"
    ),
    # Known escape E5: Python's TOML and YAML parsers recursed past the interpreter's limit.
    pytest.param(
        "x = " + "[" * 600 + "]" * 600,
        "toml",
        None,
        "(document): is nested too deeply",
        id="toml-nested-too-deeply",
    ),
    pytest.param(
        "[" * 100_000, "yaml", None, "(document): is nested too deeply", id="yaml-nested-too-deeply"
    ),
    # Known escape C2: PyYAML's text spans four lines; what is wrong fits on one.
    pytest.param(
        "name: x\ntitle: [1\nversion: 2\n",
        "yaml",
        3,
        "line 3: (document): is not valid YAML: while parsing a flow sequence, "
        "expected ',' or ']', but got ':' (column 8)",
        id="yaml-one-line",
    ),
    pytest.param(
        "!!python/object/apply:os.system ['true']\n",
        "yaml",
        1,
        "line 1: (document): is not valid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system' (column 1)",
        id="yaml-python-tag",
    ),
    pytest.param(
        "name: \x07\n",
        "yaml",
        None,
        "(document): is not valid YAML: unacceptable character #x0007: special characters "
        'are not allowed in "<unicode string>", position 6',
        id="yaml-control-character",
    ),
    # Found by fuzzing YAML: unquoted null, number, boolean and date keys are no text, and
    # reached the path renderer, which raised TypeError.
    pytest.param(
        "null: 1\nname: x\n",
        "yaml",
        None,
        "(document): has a null key; quote it",
        id="yaml-null-key",
    ),
    pytest.param(
        "name: x\ntiers:\n  - id: g\n    reach: {1: 2}\n",
        "yaml",
        None,
        "tiers[0].reach: has a key that is not text; quote it (got 1)",
        id="yaml-number-key",
    ),
]


@pytest.mark.parametrize(("text", "fmt", "line", "expected"), PARSE_CASES)
def test_unreadable_program_text_reports_its_line(
    text: str, fmt: str, line: int | None, expected: str
) -> None:
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.loads_program(text, fmt, source="p")  # type: ignore[arg-type]
    [problem] = info.value.problems
    assert problem.line == line
    assert str(problem) == expected
    assert info.value.source == "p"
    if expected.partition(": ")[0].endswith("(document)"):
        assert problem.path == ""  # the document as a whole: an empty path, not None


def test_a_yaml_syntax_error_names_its_line() -> None:
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.loads_program("name: x\ntitle: [1\nversion: 2\n", "yaml")
    [problem] = info.value.problems
    assert problem.line == 3
    assert problem.message.startswith("is not valid YAML: while parsing a flow sequence")


def test_yaml_without_the_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)  # import yaml raises ImportError
    with pytest.raises(pt.MissingExtraError) as info:
        pt.loads_program("name: x\n", "yaml", source="p.yaml")
    assert [problem.path for problem in info.value.problems] == ["yaml"]
    assert str(info.value) == (
        "yaml: is not installed; the 'yaml' extra brings it: pip install 'partner-tiers[yaml]'"
    )


def _with_float_minimum() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(pt.dumps_program(pt.load_program("hubspot-2025"), "json"))
    [retention] = [gate for gate in data["gates"] if gate["id"] == "retention"]
    retention["params"]["minimum"] = 0.85  # a number in the file, not a string
    data["tiers"][0]["reach"]["total"] = 52.5
    return data


def test_json_numbers_in_a_program_are_exact_decimals() -> None:
    text = json.dumps(_with_float_minimum())
    assert '"minimum": 0.85' in text
    program = pt.loads_program(text, "json")
    minimum = program.gates[2].params["minimum"]
    assert isinstance(minimum, Decimal)
    assert minimum == Decimal("0.85")
    assert program.tiers[0].reach["total"] == Decimal("52.5")
    assert program == pt.load_program("hubspot-2025")


def test_yaml_numbers_in_a_program_are_exact_decimals() -> None:
    text = yaml.safe_dump(_with_float_minimum(), sort_keys=False)
    assert "minimum: 0.85" in text
    program = pt.loads_program(text, "yaml")
    minimum = program.gates[2].params["minimum"]
    assert isinstance(minimum, Decimal)
    assert minimum == Decimal("0.85")
    assert program == pt.load_program("hubspot-2025")


def test_dumps_program_json_is_indented_utf8_with_a_final_newline() -> None:
    program = attrs.evolve(pt.load_program("hubspot-2025"), title="Programm für Ωμέγα")
    text = pt.dumps_program(program, "json")
    assert text == json.dumps(pt.program_to_dict(program), indent=2, ensure_ascii=False) + "\n"
    assert '\n  "title": "Programm für Ωμέγα",\n' in text
    assert pt.loads_program(text, "json") == program


def test_dumps_program_yaml_keeps_the_format_order_and_unicode() -> None:
    program = attrs.evolve(pt.load_program("hubspot-2025"), title="Programm für Ωμέγα")
    text = pt.dumps_program(program, "yaml")
    assert text.startswith("name: hubspot-2025\nversion: '2025-07-15'\n")
    assert "title: Programm für Ωμέγα\n" in text
    assert pt.loads_program(text, "yaml") == program


def test_dumps_program_toml_writes_numbers_and_dates_natively() -> None:
    program = pt.load_program("hubspot-2025")
    text = pt.dumps_program(program)
    assert text == pt.dumps_program(program, "toml")
    assert "effective_from = 2025-07-15\n" in text
    assert "total = 52.5" in text
    assert "notice_days = 30\n" in text
    assert pt.loads_program(text) == program


# --- loading program files: what each failure says ---------------------------------------


def test_an_unknown_program_lists_the_shipped_ones() -> None:
    with pytest.raises(pt.UnknownProgramError) as info:
        pt.load_program("hubspot-2030")
    shipped = ", ".join(pt.list_programs())
    assert str(info.value) == (
        f"program: 'hubspot-2030' is neither a shipped program ({shipped}) nor a file"
    )
    assert shipped.startswith("hubspot, hubspot-2016, hubspot-2018, ")


def test_a_shipped_program_takes_the_registry_it_is_given() -> None:
    registry = pt.Registry().with_track("clients", lambda context, params: Decimal(1))
    shipped = pt.load_program("hubspot-2025")
    with_registry = pt.load_program("hubspot-2025", registry=registry)
    assert with_registry.registry is registry
    assert with_registry == shipped
    assert shipped.registry is not registry
    assert pt.load_program("hubspot-2025") is shipped  # read once, shared


def test_a_program_file_with_an_unknown_suffix_names_no_path(tmp_path: Path) -> None:
    program = tmp_path / "program.txt"
    program.write_text(HUBSPOT_2025_TOML, encoding="utf-8")
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.load_program(program)
    [problem] = info.value.problems
    assert (problem.path, problem.value) == ("", ".txt")
    assert str(info.value) == (
        f"{program}: (document): has an unknown suffix: use .toml, .json, .yaml or .yml "
        "(got '.txt')"
    )


def test_a_program_file_exactly_at_the_size_limit_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = tmp_path / "program.toml"
    program.write_text(HUBSPOT_2025_TOML, encoding="utf-8")
    size = program.stat().st_size
    monkeypatch.setattr(_programfile, "MAX_PROGRAM_BYTES", size)
    assert pt.load_program(program) == pt.load_program("hubspot-2025")
    monkeypatch.setattr(_programfile, "MAX_PROGRAM_BYTES", size - 1)
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.load_program(program)
    [problem] = info.value.problems
    assert problem.path == ""
    assert str(info.value) == f"{program}: (document): is larger than {size - 1} bytes"


def test_a_program_file_that_cannot_be_read_names_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = tmp_path / "program.toml"
    program.write_text(HUBSPOT_2025_TOML, encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.load_program(program)
    [problem] = info.value.problems
    assert problem.path == ""
    assert str(info.value) == f"{program}: (document): cannot be read: Permission denied"


def test_a_yaml_reader_error_has_no_line_but_a_clear_message() -> None:
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.loads_program("name: \x07\n", "yaml", source="p.yaml")
    [problem] = info.value.problems
    assert (problem.path, problem.line) == ("", None)
    assert str(info.value).startswith(
        "p.yaml: (document): is not valid YAML: unacceptable character #x0007"
    )


def test_yaml_and_json_problems_carry_their_own_line_not_a_toml_guess() -> None:
    data = pt.program_to_dict(pt.load_program("hubspot-2025"))
    # A line that would look like a TOML key to the line finder.
    data["description"] = "first line\ncolour = red\nlast line"
    data["colour"] = "red"
    for fmt, text in (
        ("yaml", yaml.safe_dump(data, sort_keys=False)),
        ("json", json.dumps(data, indent=2).replace('"colour": "red"', '"colour":\n"red"')),
    ):
        with pytest.raises(pt.ProgramValidationError) as info:
            pt.loads_program(text, fmt)  # type: ignore[arg-type]
        [problem] = info.value.problems
        # The key's own line, not that of the description's "colour = red".
        key_line = next(
            number
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip().startswith(("colour:", '"colour":'))
        )
        assert (problem.path, problem.line) == ("colour", key_line)


def test_a_toml_problem_in_a_sub_table_names_the_table_line() -> None:
    text = HUBSPOT_2025_TOML + "\n[policy.extra]\nx = 1\n"
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.loads_program(text)
    [problem] = info.value.problems
    assert problem.path == "policy.extra"
    assert problem.line == text.splitlines().index("[policy.extra]") + 1


def test_a_missing_toml_key_has_no_line() -> None:
    text = HUBSPOT_2025_TOML.replace('name = "hubspot-2025"\n', "")
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.loads_program(text)
    [problem] = info.value.problems
    assert problem.line is None
    assert str(problem) == "name: is required but missing"


def test_a_json_schema_key_is_allowed_and_ignored() -> None:
    data = pt.program_to_dict(pt.load_program("hubspot-2025"))
    data = {"$schema": "./program.schema.json", **data}
    assert pt.program_from_dict(data) == pt.load_program("hubspot-2025")
    data["$SCHEMA"] = "x"
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.program_from_dict(data)
    assert [problem.path for problem in info.value.problems] == ["$SCHEMA"]


def test_a_part_of_the_wrong_shape_shows_the_value_found() -> None:
    data = pt.program_to_dict(pt.load_program("hubspot-2025"))
    data["tiers"][0]["reach"] = "lots"
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.program_from_dict(data)
    [problem] = info.value.problems
    assert (problem.path, problem.value) == ("tiers[0].reach", "lots")


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(_update(["tiers", 0, "retain"], total="0"), id="retain-zero"),
        pytest.param(_update(["tiers", 0, "reach"], sourced="0.5"), id="reach-half"),
        pytest.param(_update(["tiers", 0, "reach"], sourced="0"), id="reach-zero"),
    ],
)
def test_thresholds_of_zero_and_below_one_are_valid(edit: Edit) -> None:
    assert mini_problems(edit) == []


# --- point batches name the field they refuse ------------------------------------------------

_BATCH_FIELDS: dict[str, Any] = {
    "id": "sold:x",
    "track": "sold",
    "motion": "sourced",
    "client": "c-1",
    "points": "10",
    "earned_on": dt.date(2024, 1, 1),
    "expires_on": dt.date(2025, 1, 1),
    "origin": "x",
}
_NOT_A_FLOAT = "must be a Decimal, an int or a decimal string, not a float"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"track": "x"}, "PointBatch.track: must be one of sold, managed (got 'x')"),
        ({"motion": "x"}, "PointBatch.motion: must be one of sourced, assisted, none (got 'x')"),
        ({"market": "x"}, "PointBatch.market: must be one of growth, standard (got 'x')"),
        ({"earned_on": "2024-01-01"}, "PointBatch.earned_on: must be a date (got '2024-01-01')"),
        ({"expires_on": "2025-01-01"}, "PointBatch.expires_on: must be a date (got '2025-01-01')"),
        ({"mrr_usd": 0.5}, f"PointBatch.mrr_usd: {_NOT_A_FLOAT} (got 0.5)"),
        ({"points": 0.5}, f"PointBatch.points: {_NOT_A_FLOAT} (got 0.5)"),
    ],
)
def test_a_malformed_point_batch_names_its_field(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(pt.InvalidRecordError) as info:
        pt.PointBatch(**{**_BATCH_FIELDS, **changes})
    assert str(info.value) == message


def test_two_batches_with_one_id_and_other_content_are_refused_by_name() -> None:
    batch = pt.PointBatch(**_BATCH_FIELDS)
    with pytest.raises(pt.LedgerError) as info:
        pt.PointsLedger([batch, attrs.evolve(batch, points=Decimal(11))])
    assert str(info.value) == (
        "PointsLedger.batches: batch id 'sold:x' is already in the ledger with other content"
    )
    assert len(pt.PointsLedger([batch, batch])) == 1


def test_a_program_without_rate_rows_or_currency_table_names_what_is_missing(
    northwind: pt.Book,
) -> None:
    book = northwind
    program = pt.load_program("hubspot-2025")
    # A program without rate rows is refused before pricing, as its file would be.
    with pytest.raises(pt.ProgramValidationError) as no_rows:
        pt.build_ledger(book, attrs.evolve(program, rates=()))
    assert str(no_rows.value) == (
        "program hubspot-2025@2025-07-15: rates: must hold at least one rate row"
    )
    late_table = attrs.evolve(program, currencies=program.currencies[1:])
    with pytest.raises(pt.PricingError) as no_table:
        pt.build_ledger(book, late_table)
    assert str(no_table.value) == (
        "deal d-1: no currency table of hubspot-2025@2025-07-15 covers 2023-09-14"
    )
    strict = attrs.evolve(program, price_before_first_row=False)
    early = attrs.evolve(book.deals[0], closed_on=dt.date(2022, 7, 17))
    with pytest.raises(pt.PricingError) as before:
        pt.build_ledger(attrs.evolve(book, deals=(early,)), strict)
    assert str(before.value) == (
        "deal d-1: no rate row of hubspot-2025@2025-07-15 covers 2022-07-17 "
        "(the first row starts on 2022-07-18)"
    )


def test_a_problem_in_a_sub_table_of_a_tier_gives_the_line_of_its_key() -> None:
    # Known escape W4: `programs show` writes each tier's thresholds as [tiers.reach]
    # under [[tiers]]; the line given was the [[tiers]] header's.
    text = pt.load_program("hubspot-2025").to_toml()
    lines = text.splitlines()
    second = [i for i, line in enumerate(lines) if line == "[tiers.reach]"][1]
    key = next(i for i in range(second, len(lines)) if lines[i].startswith("total = "))
    lines[key] = "total = -1"
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.loads_program("\n".join(lines) + "\n")
    negative = [p for p in info.value.problems if p.message == "must not be negative"]
    assert [(p.path, p.line) for p in negative] == [("tiers[1].reach.total", key + 1)]


# --- programs built in Python are checked before use -------------------------------------


def _hand_built(**changes: Any) -> pt.Program:
    return attrs.evolve(pt.load_program("hubspot-2025"), **changes)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"tiers": ()}, "tiers: must hold at least one tier", id="no-tiers"),
        pytest.param({"name": " "}, "name: must not be empty (got ' ')", id="blank-name"),
        pytest.param(
            {"policy": pt.ReviewPolicy(notice_days=-1)},
            "policy.notice_days: must not be negative (got -1)",
            id="negative-notice",
        ),
    ],
)
def test_a_program_built_in_python_is_checked_like_its_file(
    changes: dict[str, Any], message: str
) -> None:
    program = _hand_built(**changes)
    for use in (
        lambda: pt.evaluate(_BOOK, program, as_of=_DAY),
        lambda: pt.build_ledger(_BOOK, program),
        lambda: pt.timeline(_BOOK, program, dt.date(2025, 1, 1), _DAY),
        program.check,
    ):
        with pytest.raises(pt.ProgramValidationError) as info:
            use()
        assert message in [str(problem) for problem in info.value.problems]
        assert str(info.value).startswith(f"program {program.label}: ")


def test_a_program_field_of_the_wrong_type_is_named_not_a_type_error() -> None:
    program = _hand_built(tiers="gold")
    with pytest.raises(pt.ProgramError) as info:
        pt.evaluate(_BOOK, program, as_of=_DAY)
    assert str(info.value).startswith(
        "program hubspot-2025@2025-07-15: a field holds a value of the wrong type ("
    )


def test_a_program_is_checked_once_per_object(monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[pt.Program] = []

    def counting(program: pt.Program, registry: Any = None) -> list[pt.Problem]:
        checked.append(program)
        return real(program, registry)

    real = _program_module.check_program
    monkeypatch.setattr(_program_module, "check_program", counting)
    program = _hand_built(title="Hand-built")
    for _ in range(3):
        assert (
            pt.evaluate(_BOOK, program, as_of=_DAY).tier
            == pt.evaluate(_BOOK, _program(), as_of=_DAY).tier
        )
    assert checked.count(program) == 1
    # A changed copy is another program: checked again.
    pt.evaluate(_BOOK, attrs.evolve(program, title="Changed"), as_of=_DAY)
    assert len([p for p in checked if p.title == "Changed"]) == 1


# --- every date argument of the ledger and the policy is named when refused ----------------

_LEDGER = pt.build_ledger(_BOOK, pt.load_program("hubspot-2025"))
_POLICY = pt.ReviewPolicy()
_BAD_DAY: Any = "2025-09-30"  # typed Any: the point is a value of the wrong type


@pytest.mark.parametrize(
    ("call", "field"),
    [
        pytest.param(lambda: _LEDGER.totals(_BAD_DAY), "as_of", id="totals"),
        pytest.param(lambda: _LEDGER.totals_by_client(_BAD_DAY), "as_of", id="by-client"),
        pytest.param(lambda: _LEDGER.totals_by_market(_BAD_DAY), "as_of", id="by-market"),
        pytest.param(lambda: _LEDGER.active(_BAD_DAY), "as_of", id="active"),
        pytest.param(lambda: _LEDGER.expired(_BAD_DAY), "as_of", id="expired"),
        pytest.param(lambda: _LEDGER.expiring(_BAD_DAY, _DAY), "start", id="expiring-start"),
        pytest.param(lambda: _LEDGER.expiring(_DAY, _BAD_DAY), "end", id="expiring-end"),
        pytest.param(lambda: _LEDGER.sold_mrr_usd(_BAD_DAY, _DAY), "start", id="mrr-start"),
        pytest.param(lambda: _LEDGER.sold_mrr_usd(_DAY, _BAD_DAY), "end", id="mrr-end"),
        pytest.param(lambda: _LEDGER.movements(_BAD_DAY, _DAY), "start", id="movements-start"),
        pytest.param(lambda: _LEDGER.movements(_DAY, _BAD_DAY), "end", id="movements-end"),
        pytest.param(lambda: _POLICY.reviews(_BAD_DAY, _DAY), "start", id="reviews-start"),
        pytest.param(lambda: _POLICY.reviews(_DAY, _BAD_DAY), "end", id="reviews-end"),
        pytest.param(lambda: _POLICY.next_review(_BAD_DAY), "after", id="next-review"),
    ],
)
def test_a_date_argument_of_a_query_is_named_when_refused(
    call: Callable[[], object], field: str
) -> None:
    with pytest.raises(pt.InvalidRecordError) as info:
        call()
    assert str(info.value) == f"{field}: must be a date (got '2025-09-30')"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(
            lambda: api.statuses(_BOOK, _program(), "2025-09-30"),
            "days: must be an iterable of dates (got '2025-09-30')",
            id="statuses-one-string",
        ),
        pytest.param(
            lambda: api.statuses(_BOOK, _program(), [_DAY], ledger={}),
            "ledger: must be a PointsLedger (got {})",
            id="statuses-dict-as-ledger",
        ),
    ],
)
def test_the_days_and_ledger_of_statuses_are_checked(
    call: Callable[[], object], message: str
) -> None:
    with pytest.raises(pt.InvalidRecordError) as info:
        call()
    assert str(info.value) == message


def test_a_problem_in_a_table_nested_in_a_tier_gives_the_line_of_its_header() -> None:
    text = pt.load_program("hubspot-2025").to_toml()
    lines = text.splitlines()
    first = lines.index("[tiers.reach]")
    end = next(i for i in range(first + 1, len(lines)) if lines[i].startswith("["))
    lines[end:end] = ["", "[tiers.reach.extra]", "a = 1"]
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.loads_program("\n".join(lines) + "\n")
    [problem] = [p for p in info.value.problems if p.path.startswith("tiers[0].reach.extra")]
    assert problem.line == end + 2  # the [tiers.reach.extra] header, 1-based
