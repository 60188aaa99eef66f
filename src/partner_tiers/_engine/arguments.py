"""Argument checks shared by the engine's public functions."""

from __future__ import annotations

from partner_tiers._ledger.ledger import PointsLedger
from partner_tiers._model.book import Book
from partner_tiers._model.values import check_instance
from partner_tiers._rules.program import Program

__all__ = ["check_arguments"]


def check_arguments(book: object, program: object, ledger: object = None) -> None:
    """Refuse a book, program or ledger of the wrong type, naming the argument, and a
    program that does not hold together (`Program.check`)."""
    check_instance("book", book, Book)
    check_instance("program", program, Program).check()
    if ledger is not None:
        check_instance("ledger", ledger, PointsLedger)
