"""Program impact: many books under two programs, as a transition matrix of tiers."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from attrs import frozen

from partner_tiers._engine.evaluate import evaluate
from partner_tiers._errors import InvalidRecordError
from partner_tiers._html import table_html
from partner_tiers._model.book import Book
from partner_tiers._model.values import check_day, check_instance
from partner_tiers._rules.program import Program

__all__ = ["ImpactMatrix", "program_impact"]


@frozen
class ImpactMatrix:
    """How partners move between tiers when one program replaces another.

    Attributes:
        a: the first program's ``name@version``.
        b: the second program's ``name@version``.
        as_of: the date of both evaluations.
        tiers: the tier ids in ladder order, untiered (None) first.
        counts: (tier under a, tier under b) -> number of partners.
        moves: per partner id: (tier under a, tier under b).
    """

    a: str
    b: str
    as_of: dt.date
    tiers: tuple[str | None, ...]
    counts: dict[tuple[str | None, str | None], int]
    moves: dict[str, tuple[str | None, str | None]]

    def _rank(self, tier: str | None) -> int:
        return self.tiers.index(tier) if tier in self.tiers else -1

    @property
    def up(self) -> int:
        """Partners with a higher tier under b."""
        return sum(n for (x, y), n in self.counts.items() if self._rank(y) > self._rank(x))

    @property
    def down(self) -> int:
        """Partners with a lower tier under b."""
        return sum(n for (x, y), n in self.counts.items() if self._rank(y) < self._rank(x))

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
                    self.counts.items(), key=lambda kv: (self._rank(kv[0][0]), self._rank(kv[0][1]))
                )
            ],
        }

    def __str__(self) -> str:
        names = [t or "untiered" for t in self.tiers]
        width = max(len(n) for n in names) + 2
        lines = [f"{self.a} (rows) -> {self.b} (columns) as of {self.as_of}"]
        lines.append(" " * width + "".join(f"{n:>{width}}" for n in names))
        for x in self.tiers:
            cells = "".join(f"{self.counts.get((x, y), 0):>{width}}" for y in self.tiers)
            lines.append(f"{x or 'untiered':<{width}}{cells}")
        lines.append(f"up {self.up}, down {self.down}, same {self.same}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        names = [t or "untiered" for t in self.tiers]
        return table_html(
            ["a \\ b", *names],
            (
                [x or "untiered", *(self.counts.get((x, y), 0) for y in self.tiers)]
                for x in self.tiers
            ),
            f"{self.a} -> {self.b} as of {self.as_of}",
        )


def program_impact(
    books: Iterable[Book],
    a: Program,
    b: Program,
    as_of: dt.date,
    *,
    progress: Callable[[int], None] | None = None,
) -> ImpactMatrix:
    """Evaluate every book under programs ``a`` and ``b`` and count the tier moves.

    Args:
        progress: called with the number of books done after each book, for feedback.
    """
    check_instance("a", a, Program)
    check_instance("b", b, Program)
    as_of = check_day("as_of", as_of)
    counts: Counter[tuple[str | None, str | None]] = Counter()
    moves: dict[str, tuple[str | None, str | None]] = {}
    for done, book in enumerate(books, start=1):
        check_instance(f"books[{done - 1}]", book, Book)
        if book.partner.id in moves:
            raise InvalidRecordError(
                f"books[{done - 1}].partner.id", book.partner.id, "duplicates another book's"
            )
        pair = (evaluate(book, a, as_of).tier, evaluate(book, b, as_of).tier)
        counts[pair] += 1
        moves[book.partner.id] = pair
        if progress is not None:
            progress(done)
    ladder: list[str | None] = [None]
    for program in (a, b):
        ladder += [t.id for t in program.tiers if t.id not in ladder]
    return ImpactMatrix(a.label, b.label, as_of, tuple(ladder), dict(counts), moves)
