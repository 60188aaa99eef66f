"""Receipts: what a decision was made from, so that it can be replayed and checked.

A receipt names the program (its content hash, and the version that judged the day),
the book's content hash, the dates and the library version. `partner-tiers verify`
replays an evaluation from one and says whether it comes out the same.
"""

from __future__ import annotations

import datetime as dt
from importlib import metadata
from typing import Any

from attrs import frozen

from partner_tiers._model.book import Book
from partner_tiers._model.digest import book_hash
from partner_tiers._rules.digest import program_hash
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries

__all__ = ["LIBRARY_VERSION", "Receipt", "ReceiptMaker"]


def _library_version() -> str:
    try:
        return metadata.version("partner-tiers")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown"


LIBRARY_VERSION = _library_version()
"""The installed partner-tiers version that receipts name."""


@frozen
class Receipt:
    """What one decision was made from.

    Attributes:
        program: the program's name as evaluated (a series' name, or ``name@version``).
        program_hash: the content hash of that program or series (see `program_hash`).
        version: the ``name@version`` of the program version that judged the day.
        book_hash: the content hash of the book (see `book_hash`).
        as_of: the date of the evaluation.
        known_at: the date the records were known at (None: everything in the book).
        library_version: the partner-tiers version that made the decision.
    """

    program: str
    program_hash: str
    version: str
    book_hash: str
    as_of: dt.date
    known_at: dt.date | None = None
    library_version: str = LIBRARY_VERSION

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data with the attributes as keys, dates as ISO text."""
        return {
            "program": self.program,
            "program_hash": self.program_hash,
            "version": self.version,
            "book_hash": self.book_hash,
            "as_of": self.as_of.isoformat(),
            "known_at": None if self.known_at is None else self.known_at.isoformat(),
            "library_version": self.library_version,
        }


class ReceiptMaker:
    """Makes the receipts of one evaluation run, hashing the book and the program once,
    and only when a receipt is first asked for (hashing costs about as much as a
    small evaluation)."""

    __slots__ = ("_book", "_book_hash", "_program", "_program_hash")

    def __init__(self, book: Book, program: Program | ProgramSeries) -> None:
        self._book = book
        self._program = program
        self._book_hash: str | None = None
        self._program_hash: str | None = None

    def receipt(self, version: str, as_of: dt.date, known_at: dt.date | None = None) -> Receipt:
        """The receipt of the decision on ``as_of`` made by ``version``."""
        if self._book_hash is None:
            self._book_hash = book_hash(self._book)
        if self._program_hash is None:
            self._program_hash = program_hash(self._program)
        return Receipt(
            self._program.label,
            self._program_hash,
            version,
            self._book_hash,
            as_of,
            known_at,
        )
