"""Program impact: many books under two programs, as a transition matrix of tiers."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from attrs import frozen

from partner_tiers._engine.evaluate import evaluate
from partner_tiers._errors import InvalidRecordError, InvalidTypeError
from partner_tiers._html import table_html
from partner_tiers._model.book import Book
from partner_tiers._model.deprecated import keyword_as_of
from partner_tiers._model.values import check_day, check_instance
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries, program_on

__all__ = ["ImpactMatrix", "program_impact"]


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


@keyword_as_of("books", "a", "b")
def program_impact(
    books: Iterable[Book],
    a: Program | ProgramSeries,
    b: Program | ProgramSeries,
    *,
    as_of: dt.date,
    progress: Callable[[int], None] | None = None,
) -> ImpactMatrix:
    """Evaluate every book under programs ``a`` and ``b`` and count the tier moves.

    Args:
        progress: called with the number of books done after each book, for feedback.
    """
    _check_program("a", a)
    _check_program("b", b)
    as_of = check_day("as_of", as_of)
    counts: Counter[tuple[str | None, str | None]] = Counter()
    moves: dict[str, tuple[str | None, str | None]] = {}
    for done, book in enumerate(books, start=1):
        check_instance(f"books[{done - 1}]", book, Book)
        if book.partner.id in moves:
            raise InvalidRecordError(
                f"books[{done - 1}].partner.id", book.partner.id, "duplicates another book's"
            )
        pair = (evaluate(book, a, as_of=as_of).tier, evaluate(book, b, as_of=as_of).tier)
        counts[pair] += 1
        moves[book.partner.id] = pair
        if progress is not None:
            progress(done)
    # Under a series, the ladder of the version in force on as_of.
    ladder_a: tuple[str | None, ...] = (None, *(t.id for t in program_on(a, as_of).tiers))
    ladder_b: tuple[str | None, ...] = (None, *(t.id for t in program_on(b, as_of).tiers))
    both = (*ladder_a, *(t for t in ladder_b if t not in ladder_a))
    return ImpactMatrix(a.label, b.label, as_of, both, dict(counts), moves, ladder_a, ladder_b)
