"""program_impact and ``programs impact`` with worker processes (``jobs``): the same
matrix, the same progress, the same errors in the same order as in one process.

Each call with jobs > 1 starts a process pool (about a second), so the books are few
and small, and each test starts at most one or two pools.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest

import partner_tiers as pt
from cli_run import run_cli
from partner_tiers import synthetic
from partner_tiers._views import impact

AS_OF = dt.date(2025, 9, 30)


@pytest.fixture(scope="module")
def books() -> list[pt.Book]:
    """Eight small synthetic books of several sizes, all with distinct partner ids."""
    return [synthetic.book(size, seed) for seed in range(4) for size in (3, 12)]


@pytest.fixture(scope="module")
def programs() -> tuple[pt.Program, pt.Program]:
    return pt.load_program("hubspot-2024"), pt.load_program("hubspot-2025")


def _unpriceable(book: pt.Book) -> pt.Book:
    """The book with its first deal in XXX, a currency no shipped program prices."""
    first = book.deals[0]
    money = pt.Money(first.mrr_change.amount, "XXX")
    return attrs.evolve(book, deals=(attrs.evolve(first, mrr_change=money), *book.deals[1:]))


def _raised(call: Callable[..., object], *args: object, **kwargs: object) -> BaseException:
    with pytest.raises(Exception) as info:  # noqa: PT011 -- compared with jobs=1 by the caller
        call(*args, **kwargs)
    return info.value


def test_jobs_2_gives_the_matrix_of_one_process_and_progress_reaches_every_book(
    books: list[pt.Book], programs: tuple[pt.Program, pt.Program]
) -> None:
    a, b = programs
    alone = pt.program_impact(books, a, b, as_of=AS_OF)
    done: list[int] = []
    shared = pt.program_impact(books, a, b, as_of=AS_OF, progress=done.append, jobs=2)
    assert shared == alone
    assert list(shared.moves) == [book.partner.id for book in books]
    assert str(shared) == str(alone)
    assert done == sorted(set(done))
    assert done[-1] == len(books)
    assert len(done) > 1  # a report per chunk, not only at the end


def test_a_lazy_iterator_is_read_a_few_chunks_ahead_only(
    books: list[pt.Book], programs: tuple[pt.Program, pt.Program], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(impact, "CHUNK_SIZE", 1)
    read: list[int] = []
    read_when_done: list[tuple[int, int]] = []

    def lazy() -> Iterator[pt.Book]:
        for book in books:
            read.append(1)
            yield book

    series = pt.load_series("hubspot")
    shared = pt.program_impact(
        lazy(),
        series,
        programs[1],
        as_of=AS_OF,
        progress=lambda done: read_when_done.append((done, len(read))),
        jobs=2,
    )
    assert shared == pt.program_impact(books, series, programs[1], as_of=AS_OF)
    # Two chunks a worker in flight: the first result comes after four books are read.
    assert read_when_done[0] == (1, 4)
    assert all(ahead - done <= 4 for done, ahead in read_when_done)
    assert read_when_done[-1] == (len(books), len(books))


def test_a_duplicate_partner_id_is_refused_as_in_one_process(
    books: list[pt.Book], programs: tuple[pt.Program, pt.Program]
) -> None:
    twice = [*books[:5], books[1], *books[5:]]
    alone = _raised(pt.program_impact, twice, *programs, as_of=AS_OF)
    shared = _raised(pt.program_impact, twice, *programs, as_of=AS_OF, jobs=2)
    assert type(shared) is type(alone) is pt.InvalidRecordError
    assert (
        str(shared)
        == str(alone)
        == (f"books[5].partner.id: duplicates another book's (got '{books[1].partner.id}')")
    )


def test_a_pricing_error_in_a_worker_comes_back_unchanged(
    books: list[pt.Book], programs: tuple[pt.Program, pt.Program]
) -> None:
    bad = [*books[:3], _unpriceable(books[3]), *books[4:]]
    alone = _raised(pt.program_impact, bad, *programs, as_of=AS_OF)
    done: list[int] = []
    shared = _raised(pt.program_impact, bad, *programs, as_of=AS_OF, progress=done.append, jobs=2)
    assert type(shared) is type(alone) is pt.PricingError
    assert str(shared) == str(alone)
    assert str(shared).startswith("deals[0].mrr_change.currency: deal d-00000-000: currency XXX")
    assert shared.problems == alone.problems
    assert "Traceback" in "".join(getattr(shared, "__notes__", []))  # the worker's frames
    assert all(count <= 3 for count in done)  # nothing counted past the bad book


def test_the_first_bad_book_wins_whichever_check_finds_it(
    books: list[pt.Book], programs: tuple[pt.Program, pt.Program]
) -> None:
    # A book the parent refuses (not a Book) after one a worker fails to price: the
    # pricing error comes first, then in the other order the type error.
    for bad in (
        [books[0], _unpriceable(books[1]), books[2], "not a book", books[3]],
        [books[0], "not a book", _unpriceable(books[1]), books[2], books[3]],
    ):
        alone = _raised(pt.program_impact, bad, *programs, as_of=AS_OF)
        shared = _raised(pt.program_impact, bad, *programs, as_of=AS_OF, jobs=2)
        assert (type(shared), str(shared)) == (type(alone), str(alone))
    assert str(shared) == "books[1]: must be a Book (got 'not a book')"


def test_custom_rules_are_evaluated_in_this_process(
    books: list[pt.Book], programs: tuple[pt.Program, pt.Program]
) -> None:
    # A lambda does not pickle: a worker process could not run this program.
    registry = pt.Registry().with_gate("always", lambda context, params: pt.GateOutcome(True, ""))
    custom = attrs.evolve(programs[1], registry=registry)
    shared = pt.program_impact(books[:3], programs[0], custom, as_of=AS_OF, jobs=2)
    assert shared == pt.program_impact(books[:3], programs[0], custom, as_of=AS_OF)


@pytest.mark.parametrize(
    ("jobs", "error", "shown"),
    [
        (-1, pt.InvalidRecordError, "-1"),
        (True, pt.InvalidTypeError, "True"),
        (2.0, pt.InvalidTypeError, "2.0"),
        ("2", pt.InvalidTypeError, "'2'"),
        (None, pt.InvalidTypeError, "None"),
    ],
)
def test_jobs_that_is_no_count_of_processes_is_refused(
    jobs: object,
    error: type[Exception],
    shown: str,
    books: list[pt.Book],
    programs: tuple[pt.Program, pt.Program],
) -> None:
    with pytest.raises(error) as info:
        pt.program_impact(books, *programs, as_of=AS_OF, jobs=jobs)  # type: ignore[arg-type]
    assert str(info.value) == f"jobs: must be an int >= 0 (0: one process per core) (got {shown})"


def test_jobs_0_is_one_process_per_core(
    books: list[pt.Book], programs: tuple[pt.Program, pt.Program]
) -> None:
    # One book makes one chunk: evaluated in this process, whatever the cores.
    assert impact._check_jobs(0) >= 1
    alone = pt.program_impact(books[:1], *programs, as_of=AS_OF)
    assert pt.program_impact(books[:1], *programs, as_of=AS_OF, jobs=0) == alone


def test_cli_jobs_2_prints_what_jobs_1_prints(
    books: list[pt.Book], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = []
    for index, book in enumerate(books[:6]):
        path = tmp_path / f"book-{index}.json"
        path.write_text(pt.dumps_book(book), "utf-8")
        paths.append(str(path))
    argv = ["programs", "impact", "hubspot-2024", "hubspot-2025", *paths, "--as-of", "2025-09-30"]
    alone = run_cli([*argv, "--json"], capsys)
    shared = run_cli([*argv, "--json", "--jobs", "2"], capsys)
    assert shared == alone
    assert alone[0] == 0
    assert '"same"' in alone[1]


@pytest.mark.parametrize("value", ["-1", "two"])
def test_cli_bad_jobs_is_one_line(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    book = str(Path(pt.__file__).resolve().parent / "data" / "northwind.json")
    argv = ["programs", "impact", "hubspot-2024", "hubspot-2025", book, "--as-of", "2025-09-30"]
    code, out, err = run_cli([*argv, "--jobs", value], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("partner-tiers: error: --jobs: ")
    assert err.count("\n") == 1
