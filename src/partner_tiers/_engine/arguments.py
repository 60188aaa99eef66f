"""Argument checks shared by the engine's public functions."""

from __future__ import annotations

from partner_tiers._errors import InvalidTypeError
from partner_tiers._ledger.ledger import PointsLedger
from partner_tiers._model.book import Book
from partner_tiers._model.values import check_instance
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries

__all__ = ["check_arguments"]


def check_arguments(book: object, program: object, ledger: object = None) -> None:
    """Refuse a book, program or ledger of the wrong type, naming the argument, and a
    program or series that does not hold together (`Program.check`, `ProgramSeries.check`)."""
    check_instance("book", book, Book)
    if not isinstance(program, (Program, ProgramSeries)):
        raise InvalidTypeError("program", program, "must be a Program or a ProgramSeries")
    program.check()
    if ledger is not None:
        check_instance("ledger", ledger, PointsLedger)
