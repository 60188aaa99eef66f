"""Program impact: many books under two programs, as a transition matrix of tiers."""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import traceback
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sized
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Generic, TypeVar

from attrs import frozen

from partner_tiers._engine.evaluate import evaluate
from partner_tiers._errors import InvalidRecordError, InvalidTypeError
from partner_tiers._html import table_html
from partner_tiers._model.book import Book
from partner_tiers._model.deprecated import keyword_as_of
from partner_tiers._model.values import check_day, check_instance
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries, program_on

__all__ = ["CHUNK_SIZE", "ImpactMatrix", "program_impact", "program_impact_of"]

_S = TypeVar("_S")

Move = tuple[str, tuple[str | None, str | None]]
"""A partner's id with its tier under program a and under program b."""

CHUNK_SIZE = 32
"""The most books one task of a worker process evaluates with ``jobs`` > 1: enough to
outweigh the cost of a task, few enough to keep the workers evenly busy."""


@frozen
class ImpactMatrix:
    """How partners move between tiers when one program replaces another.

    Each side is ranked by its own ladder. When the two ladders differ (other tier ids or
    another order), "up" and "down" have no meaning: Silver in a Bronze/Silver/Gold
    program is neither above nor below Gold in a Gold/Platinum ladder. The matrix (rows:
    ``a``'s ladder, columns: ``b``'s) still shows every move, and ``up`` and ``down`` are
    None.

    Attributes:
        a: the first program's ``name@version``.
        b: the second program's ``name@version``.
        as_of: the date of both evaluations.
        tiers: the tier ids of both ladders, a's first, untiered (None) first.
        counts: (tier under a, tier under b) -> number of partners.
        moves: per partner id: (tier under a, tier under b).
        tiers_a: a's ladder, untiered (None) first; ``tiers`` when not given.
        tiers_b: b's ladder, untiered (None) first; ``tiers`` when not given.
    """

    a: str
    b: str
    as_of: dt.date
    tiers: tuple[str | None, ...]
    counts: dict[tuple[str | None, str | None], int]
    moves: dict[str, tuple[str | None, str | None]]
    tiers_a: tuple[str | None, ...] = ()
    tiers_b: tuple[str | None, ...] = ()

    def __attrs_post_init__(self) -> None:
        for side in ("tiers_a", "tiers_b"):
            if not getattr(self, side):
                object.__setattr__(self, side, self.tiers)

    @property
    def comparable(self) -> bool:
        """True when both programs have the same ladder, so up and down mean something."""
        return self.tiers_a == self.tiers_b

    def _count(self, moved: Callable[[int, int], bool]) -> int | None:
        if not self.comparable:
            return None
        rank = self.tiers_a.index
        return sum(n for (x, y), n in self.counts.items() if moved(rank(x), rank(y)))

    @property
    def up(self) -> int | None:
        """Partners with a higher tier under b; None when the ladders differ."""
        return self._count(lambda x, y: y > x)

    @property
    def down(self) -> int | None:
        """Partners with a lower tier under b; None when the ladders differ."""
        return self._count(lambda x, y: y < x)

    @property
    def same(self) -> int:
        """Partners whose tier does not change."""
        return sum(n for (x, y), n in self.counts.items() if x == y)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "a": self.a,
            "b": self.b,
            "as_of": self.as_of.isoformat(),
            "up": self.up,
            "down": self.down,
            "same": self.same,
            "matrix": [
                {"from": x, "to": y, "partners": n}
                for (x, y), n in sorted(
                    self.counts.items(),
                    key=lambda kv: (self.tiers_a.index(kv[0][0]), self.tiers_b.index(kv[0][1])),
                )
            ],
        }

    def __str__(self) -> str:
        rows = [t or "untiered" for t in self.tiers_a]
        columns = [t or "untiered" for t in self.tiers_b]
        width = max(len(n) for n in rows + columns) + 2
        lines = [f"{self.a} (rows) -> {self.b} (columns) as of {self.as_of}"]
        lines.append(" " * width + "".join(f"{n:>{width}}" for n in columns))
        for x in self.tiers_a:
            cells = "".join(f"{self.counts.get((x, y), 0):>{width}}" for y in self.tiers_b)
            lines.append(f"{x or 'untiered':<{width}}{cells}")
        if self.comparable:
            lines.append(f"up {self.up}, down {self.down}, same {self.same}")
        else:
            lines.append(f"up and down: not comparable (the ladders differ), same {self.same}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        columns = [t or "untiered" for t in self.tiers_b]
        return table_html(
            ["a \\ b", *columns],
            (
                [x or "untiered", *(self.counts.get((x, y), 0) for y in self.tiers_b)]
                for x in self.tiers_a
            ),
            f"{self.a} -> {self.b} as of {self.as_of}",
        )


def _check_program(where: str, program: object) -> None:
    """Refuse what is neither a `Program` nor a `ProgramSeries`, naming the argument."""
    if not isinstance(program, (Program, ProgramSeries)):
        raise InvalidTypeError(where, program, "must be a Program or a ProgramSeries")


def _check_jobs(jobs: object) -> int:
    """The number of worker processes ``jobs`` asks for; 0 is one per core."""
    if isinstance(jobs, bool) or not isinstance(jobs, int):
        raise InvalidTypeError("jobs", jobs, "must be an int >= 0 (0: one process per core)")
    if jobs < 0:
        raise InvalidRecordError("jobs", jobs, "must be an int >= 0 (0: one process per core)")
    if jobs:
        return jobs
    if hasattr(os, "sched_getaffinity"):  # the cores this process may run on
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _has_custom_rules(program: Program | ProgramSeries) -> bool:
    """Whether a version of the program runs registered Python rules, which a worker
    process may be unable to unpickle (a function defined in a notebook or in
    ``__main__``)."""
    versions = program.versions if isinstance(program, ProgramSeries) else (program,)
    return any(version.registry.gates or version.registry.tracks for version in versions)


def _check_book(index: int, book: object) -> None:
    check_instance(f"books[{index}]", book, Book)


def _as_is(book: Book) -> Book:
    return book


@frozen
class _Outcome:
    """The moves of a chunk of books, in order, up to the first book that failed; and
    that failure, with the book's partner id (None when the book could not be loaded)."""

    moves: tuple[Move, ...]
    error: Exception | None = None
    partner: str | None = None


@frozen
class _Task(Generic[_S]):
    """What every chunk of work needs: the two programs, the date, and how to make a book
    of what was sent (the book itself, or a file's path to read where it runs)."""

    a: Program | ProgramSeries
    b: Program | ProgramSeries
    as_of: dt.date
    load: Callable[[_S], Book]

    def run(self, sources: Iterable[_S]) -> _Outcome:
        """Each source's move, in order, up to the first that fails.

        The failure is returned, not raised, with the moves before it: the caller
        checks them, and the failed book's partner id, for duplicates first, as one
        process does book by book.
        """
        moves: list[Move] = []
        partner: str | None = None
        try:
            for source in sources:
                partner = None
                book = self.load(source)
                partner = book.partner.id
                tier_a = evaluate(book, self.a, as_of=self.as_of).tier
                tier_b = evaluate(book, self.b, as_of=self.as_of).tier
                moves.append((partner, (tier_a, tier_b)))
        except Exception as error:  # noqa: BLE001 -- raised again by the caller, unchanged
            return _Outcome(tuple(moves), error, partner)
        return _Outcome(tuple(moves))


def _run_in_worker(task: _Task[_S], sources: list[_S]) -> _Outcome:
    """`_Task.run` in a worker process; a failure carries the worker's traceback as a
    note, since its frames do not travel with it."""
    outcome = task.run(sources)
    if outcome.error is not None:
        outcome.error.add_note("".join(traceback.format_exception(outcome.error)).rstrip())
    return outcome


def _chunks(
    sources: Iterable[_S], check: Callable[[int, _S], None] | None, size: int
) -> Iterator[tuple[list[_S], Exception | None]]:
    """The sources in lists of ``size``, each checked as it comes. When a source fails
    its check (or the iterable raises), the sources before it come in a last list with
    the error, to be raised after they are evaluated, as in one process."""
    chunk: list[_S] = []
    try:
        for index, source in enumerate(sources):
            if check is not None:
                check(index, source)
            chunk.append(source)
            if len(chunk) == size:
                yield chunk, None
                chunk = []
    except Exception as error:  # noqa: BLE001 -- raised again by the caller, unchanged
        yield chunk, error
    else:
        if chunk:
            yield chunk, None


def _in_this_process(
    sources: Iterable[_S], task: _Task[_S], check: Callable[[int, _S], None] | None
) -> Generator[_Outcome, None, None]:
    for chunk, failure in _chunks(sources, check, 1):
        if chunk:
            yield task.run(chunk)
        if failure is not None:
            raise failure


def _in_workers(
    sources: Iterable[_S],
    task: _Task[_S],
    check: Callable[[int, _S], None] | None,
    workers: int,
    size: int,
) -> Generator[_Outcome, None, None]:
    """The outcome of each chunk of sources, in order, evaluated by ``workers``
    processes, with at most two chunks a worker in flight, so a lazy ``sources`` is
    never all in memory."""
    # "spawn" behaves the same on every platform and is safe in a process with threads;
    # "fork" (the default on Linux before Python 3.14) is neither.
    context = multiprocessing.get_context("spawn")
    pending: deque[Future[_Outcome]] = deque()
    failure: Exception | None = None
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        try:
            for chunk, error in _chunks(sources, check, size):
                failure = error
                if chunk:
                    pending.append(pool.submit(_run_in_worker, task, chunk))
                while len(pending) >= 2 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:  # after an error, skip the chunks not started
            pool.shutdown(cancel_futures=True)
    if failure is not None:
        raise failure


def _impact(
    sources: Iterable[_S],
    load: Callable[[_S], Book],
    a: Program | ProgramSeries,
    b: Program | ProgramSeries,
    as_of: object,
    progress: Callable[[int], None] | None,
    jobs: object,
    check: Callable[[int, _S], None] | None,
) -> ImpactMatrix:
    _check_program("a", a)
    _check_program("b", b)
    day = check_day("as_of", as_of)
    workers = _check_jobs(jobs)
    if _has_custom_rules(a) or _has_custom_rules(b):
        workers = 1
    size = CHUNK_SIZE
    if isinstance(sources, Sized):  # smaller chunks, to give every worker a few
        size = max(1, min(CHUNK_SIZE, -(-len(sources) // (4 * workers))))
        workers = min(workers, -(-len(sources) // size))
    task = _Task(a, b, day, load)
    outcomes = (
        _in_workers(sources, task, check, workers, size)
        if workers > 1
        else _in_this_process(sources, task, check)
    )
    counts: Counter[tuple[str | None, str | None]] = Counter()
    moves: dict[str, tuple[str | None, str | None]] = {}

    def check_new(partner: str | None) -> None:
        if partner in moves:
            raise InvalidRecordError(
                f"books[{len(moves)}].partner.id", partner, "duplicates another book's"
            )

    with contextlib.closing(outcomes):  # an error here stops the workers at once
        for outcome in outcomes:
            for partner, pair in outcome.moves:
                check_new(partner)
                counts[pair] += 1
                moves[partner] = pair
            if outcome.error is not None:
                check_new(outcome.partner)
                raise outcome.error
            if progress is not None:
                progress(len(moves))
    # Under a series, the ladder of the version in force on as_of.
    ladder_a: tuple[str | None, ...] = (None, *(t.id for t in program_on(a, day).tiers))
    ladder_b: tuple[str | None, ...] = (None, *(t.id for t in program_on(b, day).tiers))
    both = (*ladder_a, *(t for t in ladder_b if t not in ladder_a))
    return ImpactMatrix(a.label, b.label, day, both, dict(counts), moves, ladder_a, ladder_b)


@keyword_as_of("books", "a", "b")
def program_impact(
    books: Iterable[Book],
    a: Program | ProgramSeries,
    b: Program | ProgramSeries,
    *,
    as_of: dt.date,
    progress: Callable[[int], None] | None = None,
    jobs: int = 1,
) -> ImpactMatrix:
    """Evaluate every book under programs ``a`` and ``b`` and count the tier moves.

    ``books`` may be a lazy iterator (a generator reading files or a database): with
    ``jobs`` > 1 too, only a few chunks of books are held at a time.

    Args:
        books: one book per partner.
        a: the program the partners are under.
        b: the program that would replace it.
        as_of: the date of both evaluations.
        progress: called with the number of books done: after each book, or with
            ``jobs`` > 1 after each chunk of books (at most 32).
        jobs: the number of worker processes that evaluate the books; 1 (the default)
            evaluates them in this process, 0 starts one per core. The matrix is the
            same, and so is the error when a book is bad: the first bad book's, with
            its type and message. Workers are started with "spawn": in a script, call
            this under ``if __name__ == "__main__":``. The books travel to the workers
            pickled, and pickling a book here costs about as much as evaluating it:
            for books already in memory, ``jobs`` > 1 is usually slower than one
            process (``programs impact --jobs`` has the workers read the book files
            instead). A program with custom rules (a
            `Registry` with gates or tracks) is always evaluated in this process: a
            worker could not unpickle a rule defined in a notebook or a script.

    Raises:
        InvalidTypeError: for a program that is neither a `Program` nor a
            `ProgramSeries`, a book that is no `Book` (``books[i]``), or a ``jobs`` that
            is no int.
        InvalidRecordError: for two books with the same partner id
            (``books[i].partner.id``) or a negative ``jobs``.
        PricingError: when a program cannot price a deal of a book.
    """
    return _impact(books, _as_is, a, b, as_of, progress, jobs, _check_book)


def program_impact_of(
    sources: Iterable[_S],
    load: Callable[[_S], Book],
    a: Program | ProgramSeries,
    b: Program | ProgramSeries,
    *,
    as_of: dt.date,
    progress: Callable[[int], None] | None = None,
    jobs: int = 1,
) -> ImpactMatrix:
    """`program_impact` of the books ``load`` makes of the sources (book files, say),
    each loaded where it is evaluated: with ``jobs`` > 1, in a worker process, so only
    the sources travel. ``load`` must pickle: a module-level function. Errors of
    ``load`` come in the order of the sources, as the program's errors do.
    """
    return _impact(sources, load, a, b, as_of, progress, jobs, None)
