"""Portfolios: many partners' books evaluated under one or more programs on one date,
partition by partition, and the tier moves from one program to another.

A partner's status depends on its own book only. A portfolio therefore splits into
partitions of whole partners that are evaluated apart and simply concatenated: nothing is
shared and nothing is shuffled. `evaluate_portfolio` runs the partitions one after
another in this process, holding one book at a time; `evaluate_portfolio_dask`
makes each partition a Dask task that loads its own books where it runs. The same split
maps onto Spark's ``groupBy("partner").applyInPandas`` or ``mapInPandas`` (see the how-to
guide "Evaluate a portfolio at scale").

Both paths build each book's ledger once per program and call
`partner_tiers.evaluate`: a portfolio's results are exactly the statuses of its
books, and ``portfolio.impact(a, b)`` equals `partner_tiers.program_impact`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from attrs import frozen

from partner_tiers._engine.evaluate import evaluate
from partner_tiers._engine.ledgers import build_ledger
from partner_tiers._errors import BookIntegrityError, InvalidRecordError
from partner_tiers._io.programfile import load_program
from partner_tiers._model.book import Book
from partner_tiers._model.deprecated import keyword_as_of
from partner_tiers._model.values import PartnerId
from partner_tiers._rules.program import Program
from partner_tiers._views.impact import ImpactMatrix

__all__ = [
    "PartnerResult",
    "Portfolio",
    "evaluate_partition",
    "evaluate_portfolio",
    "evaluate_portfolio_dask",
]

_K = TypeVar("_K")

ProgramSource = Program | str | os.PathLike[str]
"""A program, or the name of a shipped one, or the path of a program file."""


@frozen
class PartnerResult:
    """One partner's status under one program, reduced to what a portfolio compares.

    Attributes:
        partner: the partner's id.
        program: the program's ``name@version``.
        tier: the tier held (None: untiered).
        qualified_tier: the tier points and gates alone give on the date.
        level: ``partner`` or ``provider``.
        sold: sold points on the date.
        sourced: sold points from partner-sourced deals.
        assisted: sold points from partner-assisted deals.
        managed: managed points.
        total: sold + managed.
    """

    partner: PartnerId
    program: str
    tier: str | None
    qualified_tier: str | None
    level: str
    sold: Decimal
    sourced: Decimal
    assisted: Decimal
    managed: Decimal
    total: Decimal


@frozen
class Portfolio:
    """Every partner's result under every program, on one date.

    Attributes:
        as_of: the date of the evaluation.
        programs: the programs' ``name@version``, in the order given.
        ladders: each program's tier ids, lowest first.
        results: one result per partner and program, partners in the order their books
            came, then programs in the order given.
    """

    as_of: dt.date
    programs: tuple[str, ...]
    ladders: tuple[tuple[str, ...], ...]
    results: tuple[PartnerResult, ...]

    def __len__(self) -> int:
        """The number of partners."""
        return len(self.results) // max(1, len(self.programs))

    def partners(self) -> tuple[PartnerId, ...]:
        """The partners' ids, in order."""
        return tuple(result.partner for result in self.results[:: max(1, len(self.programs))])

    def tiers(self, program: str) -> dict[PartnerId, str | None]:
        """Partner id -> tier held under the program (``name@version``)."""
        self._position(program)
        return {r.partner: r.tier for r in self.results if r.program == program}

    def impact(self, a: str, b: str) -> ImpactMatrix:
        """How partners move between tiers from program ``a`` to program ``b`` (both
        ``name@version``); equal to `partner_tiers.program_impact` on the books."""
        ladder: list[str | None] = [None]
        for label in (a, b):
            ladder += [t for t in self.ladders[self._position(label)] if t not in ladder]
        under_a, under_b = self.tiers(a), self.tiers(b)
        moves: dict[str, tuple[str | None, str | None]] = {
            partner: (tier, under_b[partner]) for partner, tier in under_a.items()
        }
        counts = Counter(moves.values())
        return ImpactMatrix(
            a,
            b,
            self.as_of,
            tuple(ladder),
            dict(counts),
            moves,
            (None, *self.ladders[self._position(a)]),
            (None, *self.ladders[self._position(b)]),
        )

    def rows(self) -> list[dict[str, Any]]:
        """One row per partner and program (tier, qualified tier, level, points)."""
        return [
            {
                "partner": r.partner,
                "program": r.program,
                "tier": r.tier,
                "qualified_tier": r.qualified_tier,
                "level": r.level,
                "sold": r.sold,
                "sourced": r.sourced,
                "assisted": r.assisted,
                "managed": r.managed,
                "total": r.total,
            }
            for r in self.results
        ]

    def _position(self, program: str) -> int:
        try:
            return self.programs.index(program)
        except ValueError:
            raise InvalidRecordError(
                "program", program, f"is not one of {', '.join(self.programs)}"
            ) from None


def _result(book: Book, program: Program, as_of: dt.date) -> PartnerResult:
    status = evaluate(book, program, as_of=as_of, ledger=build_ledger(book, program))
    points = status.points
    return PartnerResult(
        partner=book.partner.id,
        program=status.program,
        tier=status.tier,
        qualified_tier=status.qualified_tier,
        level=status.level,
        sold=points["sold"],
        sourced=points["sourced"],
        assisted=points["assisted"],
        managed=points["managed"],
        total=points["total"],
    )


@keyword_as_of("books", "programs")
def evaluate_partition(
    books: Iterable[Book], programs: Sequence[Program], *, as_of: dt.date
) -> tuple[PartnerResult, ...]:
    """Every book of one partition under every program: the unit of work that a local
    loop, a Dask task or a Spark task runs.

    Raises:
        PricingError: when a program cannot price a deal of a book.
    """
    return tuple(_result(book, program, as_of) for book in books for program in programs)


def _portfolio(
    parts: Iterable[tuple[PartnerResult, ...]], programs: Sequence[Program], as_of: dt.date
) -> Portfolio:
    results: list[PartnerResult] = []
    seen: set[str] = set()
    for part in parts:
        for result in part[:: max(1, len(programs))]:
            if result.partner in seen:
                raise BookIntegrityError(
                    "partner.id", result.partner, "appears in more than one book of the portfolio"
                )
            seen.add(result.partner)
        results += part
    return Portfolio(
        as_of=as_of,
        programs=tuple(program.label for program in programs),
        ladders=tuple(tuple(tier.id for tier in program.tiers) for program in programs),
        results=tuple(results),
    )


def _chunks(books: Iterable[Book], size: int) -> Iterator[list[Book]]:
    chunk: list[Book] = []
    for book in books:
        chunk.append(book)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _check(programs: Sequence[object], as_of: object) -> None:
    if not programs:
        raise InvalidRecordError("programs", programs, "must name at least one program")
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise InvalidRecordError("as_of", as_of, "must be a date")


@keyword_as_of("books", "programs")
def evaluate_portfolio(
    books: Iterable[Book],
    programs: Sequence[Program],
    *,
    as_of: dt.date,
    partition_size: int = 100,
    progress: Callable[[int], None] | None = None,
) -> Portfolio:
    """Evaluate every book under every program on ``as_of``, a partition at a time.

    ``books`` may be a lazy iterator (a generator reading files or a database): only one
    partition of books is held at a time, so memory does not grow with the portfolio.

    Args:
        books: one book per partner.
        programs: the programs, e.g. ``[load_program("hubspot-2024"),
            load_program("hubspot-2025")]``.
        as_of: the date of every evaluation.
        partition_size: books per partition.
        progress: called with the number of books done after each partition.

    Raises:
        BookIntegrityError: when two books have the same partner id.
        PricingError: when a program cannot price a deal of a book.
    """
    _check(programs, as_of)
    if partition_size < 1:
        raise InvalidRecordError("partition_size", partition_size, "must be at least 1")

    def parts() -> Iterator[tuple[PartnerResult, ...]]:
        done = 0
        for chunk in _chunks(books, partition_size):
            yield evaluate_partition(chunk, programs, as_of=as_of)
            done += len(chunk)
            if progress is not None:
                progress(done)

    return _portfolio(parts(), programs, as_of)


def _program(source: ProgramSource) -> Program:
    return source if isinstance(source, Program) else load_program(source)


def _load_and_evaluate(
    key: _K,
    load: Callable[[_K], Iterable[Book]],
    programs: Sequence[ProgramSource],
    as_of: dt.date,
) -> tuple[PartnerResult, ...]:
    return evaluate_partition(load(key), [_program(p) for p in programs], as_of=as_of)


@keyword_as_of("partitions", "load", "programs")
def evaluate_portfolio_dask(
    partitions: Sequence[_K],
    load: Callable[[_K], Iterable[Book]],
    programs: Sequence[ProgramSource],
    *,
    as_of: dt.date,
    scheduler: Any = None,
) -> Portfolio:
    """Evaluate a portfolio with Dask: one task per partition of partners, each loading
    its own books where it runs (needs ``dask``; ``dask[distributed]`` for a cluster).

    Books never travel: a task receives only its partition's key and calls ``load(key)``,
    e.g. a list of book files or a range of partner ids in a database. Results come back
    in the order of ``partitions`` and equal `evaluate_portfolio` over the same
    books in the same order.

    Args:
        partitions: the partition keys; each names whole partners.
        load: key -> the partition's books. With process workers it must pickle: a
            module-level function or a `functools.partial` of one.
        programs: programs, or names of shipped programs or paths of program files (a
            name or path is loaded on each worker; shipped programs are read once per
            process).
        as_of: the date of every evaluation.
        scheduler: passed to ``dask.compute``: ``"threads"``, ``"processes"``,
            ``"sync"``, or a ``distributed.Client``; None uses Dask's default (the active
            distributed client, if any).

    Raises:
        BookIntegrityError: when a partner appears in two partitions.
        PricingError: when a program cannot price a deal of a book.
    """
    from dask.base import compute
    from dask.delayed import delayed

    _check(programs, as_of)
    loaded = [_program(p) for p in programs]
    task = delayed(_load_and_evaluate, pure=False)
    tasks = [task(key, load, list(programs), as_of) for key in partitions]
    parts: tuple[tuple[PartnerResult, ...], ...] = compute(  # type: ignore[no-untyped-call]
        *tasks, scheduler=scheduler
    )
    return _portfolio(parts, loaded, as_of)
