"""Files are written atomically, text in any script survives, and nothing mutates its input.

- ``pt.dump_book`` and ``partner-tiers report --html`` write a temporary file beside the
  target and rename it over: a failure midway leaves the target as it was and no
  temporary file behind.
- Names in any script (Greek, Japanese, Arabic, Hebrew, emoji, combining accents) survive
  book round trips and appear, escaped, in the HTML report and the JSON output.
- evaluate, what_if, build_ledger, report_html and the loaders never change what they are
  given (pyrsistent's check that inputs are not modified).
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import html
import json
import os
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import partner_tiers as pt
from cli_run import run_cli
from partner_tiers._cli import main
from partner_tiers.testing import strategies as pts

NORTHWIND = Path(pt.__file__).resolve().parent / "data" / "northwind.json"
AS_OF = dt.date(2025, 9, 30)

NAMES = (
    "Ωμέγα 株式会社",
    "Zoë's Café",
    "شركة النور للتقنية",
    "חברת שלום",
    "🚀 Rocket Labs 🌕",
    "👩‍💻 Devs & Co <Ltd>",
    "Cafe\u0301 Décomposé",
    "Straße Müller GmbH",
    'Ñandú "quoted" S.A.',
)


def temporary_files(folder: Path) -> list[Path]:
    return [path for path in folder.iterdir() if path.name.endswith(".tmp")]


class Failure(Exception):
    """The fault injected midway through a write."""


# --- atomic writes --------------------------------------------------------------------


def _fail_replace(source: Any, target: Any) -> None:
    raise Failure(f"rename {source} -> {target} failed")


def _fail_fsync(descriptor: int) -> None:
    raise Failure("disk full")


def _interrupt_fsync(descriptor: int) -> None:
    raise KeyboardInterrupt


FAULTS: list[Any] = [
    pytest.param("replace", _fail_replace, Failure, id="rename-fails"),
    pytest.param("fsync", _fail_fsync, Failure, id="flush-fails"),
    pytest.param("fsync", _interrupt_fsync, KeyboardInterrupt, id="interrupted"),
]


@pytest.mark.parametrize(("name", "fault", "raised"), FAULTS)
def test_dump_book_failing_midway_leaves_the_target_untouched(
    name: str,
    fault: Callable[..., None],
    raised: type[BaseException],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    northwind: pt.Book,
) -> None:
    target = tmp_path / "book.json"
    target.write_text("the old book\n", encoding="utf-8")
    monkeypatch.setattr(os, name, fault)
    with pytest.raises(raised):
        pt.dump_book(northwind, target)
    assert target.read_text("utf-8") == "the old book\n"
    assert temporary_files(tmp_path) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["book.json"]


def test_dump_book_failing_midway_creates_no_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, northwind: pt.Book
) -> None:
    target = tmp_path / "new.json"
    monkeypatch.setattr(os, "replace", _fail_replace)
    with pytest.raises(Failure):
        pt.dump_book(northwind, target)
    assert list(tmp_path.iterdir()) == []


def test_a_stream_failing_after_half_the_text_leaves_the_target_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, northwind: pt.Book
) -> None:
    real_fdopen = os.fdopen
    written: list[str] = []

    class HalfStream:
        def __init__(self, stream: Any) -> None:
            self.stream = stream

        def __enter__(self) -> HalfStream:
            return self

        def __exit__(self, *exc: object) -> None:
            self.stream.close()

        def write(self, text: str) -> int:
            half = text[: len(text) // 2]
            self.stream.write(half)
            self.stream.flush()
            written.append(half)
            raise Failure("no space left on device")

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> HalfStream:
        return HalfStream(real_fdopen(fd, *args, **kwargs))

    target = tmp_path / "book.json"
    target.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(os, "fdopen", fdopen)
    with pytest.raises(Failure):
        pt.dump_book(northwind, target)
    assert written  # the fault did hit midway through the text
    assert target.read_text("utf-8") == "{}"
    assert temporary_files(tmp_path) == []


@pytest.mark.parametrize(("name", "fault", "raised"), FAULTS)
def test_report_html_failing_midway_leaves_the_target_untouched(
    name: str,
    fault: Callable[..., None],
    raised: type[BaseException],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / "report.html"
    target.write_text("<p>last week's report</p>", encoding="utf-8")
    monkeypatch.setattr(os, name, fault)
    # Whether the command reports the failure (exit 2) or lets it escape, the file on
    # disk must be the old one and no temporary file may remain.
    with pytest.raises((raised, SystemExit)):
        main(["report", str(NORTHWIND), "--as-of", "2025-09-30", "--html", str(target)])
    assert target.read_text("utf-8") == "<p>last week's report</p>"
    assert temporary_files(tmp_path) == []
    monkeypatch.undo()
    code, out, _ = run_cli(
        ["report", str(NORTHWIND), "--as-of", "2025-09-30", "--html", str(target)], capsys
    )
    assert code == 0
    assert out == f"wrote {target}\n"
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert temporary_files(tmp_path) == []


def test_dump_book_writes_utf8_with_lf_line_ends(tmp_path: Path, northwind: pt.Book) -> None:
    target = tmp_path / "book.json"
    pt.dump_book(northwind, target)
    raw = target.read_bytes()
    assert b"\r\n" not in raw
    assert raw.decode("utf-8") == pt.dumps_book(northwind)


# --- text in any script ----------------------------------------------------------------


def book_with_names(base: pt.Book, names: Sequence[str] = NAMES) -> pt.Book:
    """The partner of ``base`` renamed, with one client and one deal for each name."""
    clients = [
        pt.Client(
            pt.ClientId(f"c-{index}-{name[:3]}"),
            name,
            "DE",
            pt.Relationship.SOLD_AND_MANAGED,
            tools_used=("crm", name),
        )
        for index, name in enumerate(names)
    ]
    deals = [
        pt.Deal(
            pt.DealId(f"d-{index}-{name[:4]}"),
            client.id,
            f"line {name}",
            pt.DealKind.NEW,
            pt.SalesMotion.SOURCED,
            dt.date(2025, 3, 1),
            pt.Money("100.00", "EUR"),
        )
        for index, (name, client) in enumerate(zip(names, clients, strict=True))
    ]
    certification = pt.Certification(
        pt.CertificationId("cert-Ω"), "Zertifizierung für Lösungspartner", AS_OF, AS_OF
    )
    partner = attrs.evolve(base.partner, name="Nordwind Ωμέγα 株式会社 🌬")
    return pt.Book(partner, clients=clients, deals=deals, certifications=[certification])


def test_roundtrip_of_names_in_any_script_through_text(tmp_path: Path, northwind: pt.Book) -> None:
    book = book_with_names(northwind)
    assert pt.loads_book(pt.dumps_book(book)) == book
    target = tmp_path / "Bücher 本.json"
    pt.dump_book(book, target)
    assert pt.load_book(target) == book
    raw = target.read_text("utf-8")
    for name in NAMES:
        # Written as the characters themselves, not \\u escapes.
        assert json.dumps(name, ensure_ascii=False) in raw
    assert [client.name for client in pt.load_book(target).clients] == list(NAMES)


def test_decomposed_and_composed_accents_stay_distinct(northwind: pt.Book) -> None:
    composed, decomposed = "Caf\u00e9", "Cafe\u0301"
    book = book_with_names(northwind, [composed, decomposed])
    again = pt.loads_book(pt.dumps_book(book).encode("utf-8"))
    assert [client.name for client in again.clients] == [composed, decomposed]


@settings(max_examples=25, deadline=None)
@given(pts.books(max_clients=3, max_records=3))
def test_roundtrip_of_generated_names_through_utf8_bytes(book: pt.Book) -> None:
    assert pt.loads_book(pt.dumps_book(book).encode("utf-8")) == book


def test_names_in_any_script_appear_escaped_in_the_html_report(
    northwind: pt.Book, hubspot_2025: pt.Program
) -> None:
    book = book_with_names(northwind)
    page = pt.report_html(book, hubspot_2025, as_of=AS_OF)
    for name in NAMES:
        assert html.escape(name) in page
    assert html.escape(book.partner.name) in page
    assert "<Ltd>" not in page
    page.encode("utf-8")  # no lone surrogates


def test_names_in_any_script_appear_in_the_cli_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], northwind: pt.Book
) -> None:
    book = book_with_names(northwind)
    path = tmp_path / "book.json"
    pt.dump_book(book, path)
    code, out, err = run_cli(["evaluate", str(path), "--as-of", "2025-09-30", "--json"], capsys)
    assert (code, err) == (0, "")
    data = json.loads(out)
    reasons = "\n".join(data["reasons"])
    for deal in book.deals:
        assert f"sold:{deal.id}" in reasons
        assert f"sold:{deal.id}" in out  # raw characters, not \\u escapes
    code, out, err = run_cli(["evaluate", str(path), "--as-of", "2025-09-30"], capsys)
    assert (code, err) == (0, "")
    assert book.partner.name in out
    code, out, err = run_cli(
        ["report", str(path), "--as-of", "2025-09-30", "--html", str(tmp_path / "r.html")], capsys
    )
    assert (code, err) == (0, "")
    page = (tmp_path / "r.html").read_text("utf-8")
    assert all(html.escape(name) in page for name in NAMES)


# --- nothing mutates its input ----------------------------------------------------------


def snapshot(value: object) -> object:
    """A deep, plain copy of a value: attrs records as dicts, mappings as dicts, sequences
    as lists. Comparing two snapshots sees any change, even inside a MappingProxy."""
    if attrs.has(type(value)):
        return {
            "__class__": type(value).__name__,
            **{
                field.name: snapshot(getattr(value, field.name))
                for field in attrs.fields(cast(Any, type(value)))
                if field.eq
            },
        }
    if isinstance(value, Mapping):
        return {key: snapshot(item) for key, item in value.items()}
    if isinstance(value, pt.PointsLedger):  # not an attrs class: its batches are lazy
        return {"__class__": "PointsLedger", "batches": snapshot(value.batches)}
    if isinstance(value, (list, tuple)):
        return [type(value).__name__, *(snapshot(item) for item in value)]
    if isinstance(value, (set, frozenset)):
        return sorted(repr(snapshot(item)) for item in value)
    if isinstance(value, (str, int, Decimal, dt.date, enum.Enum)) or value is None:
        return value
    raise AssertionError(f"no snapshot for {type(value)!r}")


def test_evaluate_and_friends_do_not_mutate_the_book_the_program_or_the_ledger(
    northwind: pt.Book, hubspot_2025: pt.Program
) -> None:
    book = attrs.evolve(northwind, facts={"retention": Decimal("0.9"), "invited": True})
    program = hubspot_2025
    before = (snapshot(book), snapshot(program), pt.dumps_book(book), pt.dumps_program(program))
    ledger = pt.build_ledger(book, program)
    ledger_before = snapshot(ledger)
    extra_deals = [
        pt.Deal(
            pt.DealId("d-new"),
            pt.ClientId("c-fabrikam"),
            "content-hub",
            pt.DealKind.NEW,
            pt.SalesMotion.SOURCED,
            AS_OF,
            pt.Money("50", "EUR"),
        )
    ]
    deals_before = copy.deepcopy(extra_deals)
    ends = ["c-tailspin"]
    assert pt.evaluate(book, program, as_of=AS_OF, ledger=ledger).reasons
    pt.statuses(book, program, [AS_OF, dt.date(2024, 1, 1)], ledger=ledger)
    pt.what_if(
        book,
        program,
        as_of=AS_OF,
        deals=extra_deals,
        end_services=ends,
        certifications_lapse_on=AS_OF,
    )
    pt.report_html(book, program, as_of=AS_OF)
    pt.timeline(book, program, dt.date(2024, 1, 1), AS_OF)
    pt.points_breakdown(book, program, as_of=AS_OF, ledger=ledger)
    pt.end_services_effect(book, program, "c-adatum", as_of=AS_OF)
    after = (snapshot(book), snapshot(program), pt.dumps_book(book), pt.dumps_program(program))
    assert after == before
    assert snapshot(ledger) == ledger_before
    assert extra_deals == deals_before
    assert ends == ["c-tailspin"]


@settings(max_examples=30, deadline=None)
@given(pts.books(max_clients=3, max_records=4), pts.dates(dt.date(2022, 1, 1), dt.date(2027, 1, 1)))
def test_no_input_is_mutated_for_any_book(
    hubspot_2025: pt.Program, book: pt.Book, day: dt.date
) -> None:
    program = hubspot_2025
    before = snapshot(book)
    program_before = snapshot(program)
    try:
        ledger = pt.build_ledger(book, program)
        ledger_before = snapshot(ledger)
        pt.evaluate(book, program, as_of=day, ledger=ledger)
        assert snapshot(ledger) == ledger_before
        pt.what_if(book, program, as_of=day, certifications_lapse_on=day)
    except pt.PartnerTiersError:
        pass
    assert snapshot(book) == before
    assert snapshot(program) == program_before


def test_loaders_do_not_mutate_plain_data(hubspot_2025: pt.Program) -> None:
    book_data = json.loads(NORTHWIND.read_text("utf-8"))
    book_copy = copy.deepcopy(book_data)
    pt.book_from_dict(book_data)
    assert book_data == book_copy
    program_data = pt.program_to_dict(hubspot_2025)
    program_copy = copy.deepcopy(program_data)
    pt.program_from_dict(program_data)
    assert program_data == program_copy
    bad = copy.deepcopy(book_data)
    bad["deals"][0]["closed_on"] = "2024-02-30"
    bad_copy = copy.deepcopy(bad)
    with pytest.raises(pt.FileFormatError):
        pt.book_from_dict(bad)
    assert bad == bad_copy


def test_a_book_does_not_share_the_lists_it_was_built_from(northwind: pt.Book) -> None:
    base = northwind
    clients = list(base.clients)
    facts: dict[str, object] = {"invited": True}
    book = pt.Book(base.partner, clients=clients, facts=facts)
    clients.pop()
    facts["invited"] = False
    facts["retention"] = Decimal("0.99")
    assert len(book.clients) == len(base.clients)
    assert dict(book.facts) == {"invited": True}
    assert isinstance(book.clients, tuple)
    with pytest.raises(TypeError):
        book.facts["invited"] = False  # type: ignore[index]


@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
@settings(max_examples=20, deadline=None)
def test_report_html_of_any_names_is_valid_utf8(
    northwind: pt.Book, hubspot_2025: pt.Program, names: list[str]
) -> None:
    page = pt.report_html(book_with_names(northwind, names), hubspot_2025, as_of=AS_OF)
    assert page.encode("utf-8").decode("utf-8") == page
    for name in names:
        assert html.escape(name) in page
