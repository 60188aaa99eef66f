"""What a track or gate rule sees -- the book, its ledger, the program and the date -- and
the protocol by which a rule says on which days its answer can change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from partner_tiers._ledger.ledger import LedgerTotals, PointsLedger
from partner_tiers._model.book import Book

if TYPE_CHECKING:
    from partner_tiers._rules.program import Program

__all__ = ["ChangeDays", "Context"]

ChangeDays = Callable[[Book, PointsLedger, Mapping[str, Any], dt.date, dt.date], Iterable[dt.date]]
"""When a rule's answer can change: given the book, its ledger, the rule's params, a
start and an end, every day in (start, end] on which the rule may answer differently
than on the day before (a gate: pass or fail; a track: its value). Days outside the
range are ignored, duplicates are harmless.

The engine evaluates a rule only on such days (and on the days the ledger's batches
start and stop counting, which it adds itself). A rule registered without one may change
on any day: the engine then evaluates it on every day, which is correct but slow.
"""


@frozen
class Context:
    """The inputs of one evaluation, handed to every track and gate rule.

    Attributes:
        book: the partner's book.
        ledger: the book's points ledger under the program.
        program: the program being applied.
        as_of: the date of the evaluation.
        totals: the ledger's totals on that date.
    """

    book: Book
    ledger: PointsLedger
    program: Program
    as_of: dt.date
    totals: LedgerTotals = field(eq=False)

    @classmethod
    def make(cls, book: Book, ledger: PointsLedger, program: Program, as_of: dt.date) -> Context:
        """A context with the totals looked up once."""
        return cls(book, ledger, program, as_of, ledger.totals(as_of))
