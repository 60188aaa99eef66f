"""The exceptions partner_tiers raises, all in one place.

Every exception the package raises on purpose derives from `PartnerTiersError`,
so a service can catch that one class at its edge::

    PartnerTiersError
    ├── InvalidRecordError      a record or book breaks a rule (field, value, why)
    │   └── BookIntegrityError  duplicate ids, dangling references inside a book
    ├── FileFormatError         a book or program file that cannot be read (all problems,
    │                           each with its path and, where known, its line)
    ├── LedgerError             conflicting point batches
    ├── PricingError            no rate, currency or country rule covers a deal
    └── ProgramError            a program that cannot be found or does not hold together
        ├── UnknownProgramError
        └── ProgramValidationError   every problem of a program file, at once

Each class is also a `ValueError` (or `LookupError`) where that is what the
caller would otherwise expect, so code written against the builtins keeps working.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from attrs import frozen

__all__ = [
    "BookIntegrityError",
    "FileFormatError",
    "InvalidRecordError",
    "LedgerError",
    "PartnerTiersError",
    "PricingError",
    "Problem",
    "ProgramError",
    "ProgramValidationError",
    "UnknownProgramError",
]


class PartnerTiersError(Exception):
    """Base class of every error partner_tiers raises on purpose."""


class InvalidRecordError(PartnerTiersError, ValueError):
    """A value breaks a rule of the record it is given to.

    Attributes:
        field: the field's name, or its path inside a book (``deals[3].client``).
        value: the offending value.
        reason: what was expected, in words.
    """

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {_show(value)})")


class BookIntegrityError(InvalidRecordError):
    """The records of a book do not fit together: a duplicate id, a dangling reference,
    overlapping managed periods.

    Attributes:
        problems: every such problem of the book as (field, value, reason), the first of
            which is also the error's own field, value and reason.
    """

    def __init__(
        self,
        field: str,
        value: object,
        reason: str,
        *,
        problems: list[tuple[str, object, str]] | None = None,
    ) -> None:
        self.problems = list(problems or [(field, value, reason)])
        super().__init__(field, value, reason)
        if len(self.problems) > 1:
            more = len(self.problems) - 1
            self.args = (f"{self.args[0]} and {more} more problem{'s' if more > 1 else ''}",)


def _show(value: object) -> str:
    """Text quoted; numbers, dates and money as they are written in files (``5.00``,
    ``2024-01-31``, ``-5.00 EUR``); anything else, datetimes among them, as its repr."""
    from partner_tiers._model.values import Money

    if isinstance(value, (str, bytes, bool, dt.datetime)):
        return repr(value)
    if isinstance(value, (int, Decimal, dt.date, Money)):
        return str(value)
    return repr(value)


@frozen
class Problem:
    """One problem found in an input: where it is, what is there, and what was expected.

    Attributes:
        path: where the problem is, e.g. ``deals[3].mrr_change.currency`` or
            ``tiers[2].reach.total``; empty for the document as a whole.
        message: what is wrong, in words.
        value: the offending value, or None when there is none (a missing key).
        line: the 1-based line in the file, where the format tells it.
    """

    path: str
    message: str
    value: object = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.path or "(document)"
        if self.line is not None:
            where = f"line {self.line}: {where}"
        shown = "" if self.value is None else f" (got {_show(self.value)})"
        return f"{where}: {self.message}{shown}"


class FileFormatError(PartnerTiersError, ValueError):
    """A file could not be read: every problem found, each with its path.

    Attributes:
        source: the file's name (or ``<string>``).
        problems: every problem found, not only the first.
    """

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        if len(self.problems) == 1:
            return f"{self.source}: {self.problems[0]}"
        lines = [f"{self.source}: {len(self.problems)} problems"]
        lines += [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)

    def lines(self) -> list[str]:
        """One line per problem, each starting with the file's name."""
        return [f"{self.source}: {problem}" for problem in self.problems]


class LedgerError(PartnerTiersError, ValueError):
    """Two point batches share an id but differ, or a batch is malformed."""


class PricingError(PartnerTiersError, ValueError):
    """No rule of the program covers a deal: a currency, a date or a rate row is missing.

    The message names the deal (or managed period), the currency and the date.
    """


class ProgramError(PartnerTiersError, ValueError):
    """A program cannot be used."""


class UnknownProgramError(ProgramError, LookupError):
    """No shipped program has the name, and no file is at that path."""


class ProgramValidationError(ProgramError, FileFormatError):
    """A program file (or program data) breaks the format or its rules: every problem."""
