"""What a track or gate rule sees: the book, its ledger, the program and the date."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from attrs import field, frozen

from partner_tiers._ledger.ledger import LedgerTotals, PointsLedger
from partner_tiers._model.book import Book

if TYPE_CHECKING:
    from partner_tiers._rules.program import Program

__all__ = ["Context"]


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
