"""The exceptions and the warning partner_tiers raises, all in one place.

Every exception the package raises on purpose derives from `PartnerTiersError`,
so a service can catch that one class at its edge::

    PartnerTiersError                 .problems: every Problem(path, message, value, line)
    ├── InvalidRecordError            a record or argument breaks a rule (field, value, reason)
    │   ├── InvalidTypeError          ... because it is of the wrong type (also a TypeError)
    │   ├── UnknownIdError            no client, deal, tier, batch... with this id
    │   │                             (also a LookupError)
    │   └── BookIntegrityError        duplicate ids, dangling references inside a book
    ├── FileFormatError               a book or program file that cannot be read (all
    │                                 problems, each with its path and, where known, its line)
    ├── LedgerError                   conflicting point batches
    ├── PricingError                  no rate, currency or country rule covers a deal
    ├── ProgramError                  a program that cannot be found or does not hold together
    │   ├── UnknownProgramError       (also a LookupError)
    │   └── ProgramValidationError    every problem of a program file, at once
    │                                 (also a FileFormatError)
    └── MissingExtraError             an optional library is not installed (also an ImportError)

    PartnerTiersWarning (a UserWarning)   a footgun flagged, not forbidden

Each class is also a `ValueError` (or `TypeError`, `LookupError`, `ImportError`)
where that is what the caller would otherwise expect, so code written against the
builtins keeps working. This module imports nothing of the package: the layers above
teach `show_value` how to show their own values (`Money`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from attrs import frozen

__all__ = [
    "BookIntegrityError",
    "FileFormatError",
    "InvalidRecordError",
    "InvalidTypeError",
    "LedgerError",
    "MissingExtraError",
    "PartnerTiersError",
    "PartnerTiersWarning",
    "PricingError",
    "Problem",
    "ProgramError",
    "ProgramValidationError",
    "UnknownIdError",
    "UnknownProgramError",
    "require",
    "show_value",
]


@functools.singledispatch
def show_value(value: object) -> str:
    """A value as a message quotes it: text quoted; numbers, dates and money as they are
    written in files (``5.00``, ``2024-01-31``, ``-5.00 EUR``); anything else, datetimes
    among them, as its repr.

    Modules that define a value type register how it is shown (``_model.values`` does
    for `Money`), so this module needs to import none of them.
    """
    return repr(value)


@show_value.register(int)
@show_value.register(Decimal)
@show_value.register(dt.date)
def _show_as_written(value: int | Decimal | dt.date) -> str:
    return str(value)


@show_value.register(bool)
@show_value.register(dt.datetime)
def _show_as_repr(value: bool | dt.datetime) -> str:
    # bool is an int and datetime a date, but True and a time of day are shown as such.
    return repr(value)


@frozen
class Problem:
    """One problem found in an input: where it is, what is there, and what was expected.

    Attributes:
        path: where the problem is, e.g. ``deals[3].mrr_change.currency`` or
            ``tiers[2].reach.total``; empty for the document as a whole.
        message: what is wrong, in words.
        value: the offending value, or None when there is none (a missing key) or when
            the message already names it.
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
        shown = "" if self.value is None else f" (got {show_value(self.value)})"
        return f"{where}: {self.message}{shown}"


_LEADING_PATH = re.compile(r"(?P<path>[^\s:]+): (?P<message>.*)", re.DOTALL)


def _as_problem(problem: Problem | str) -> Problem:
    """A problem as it is, or a message read as one: a leading ``path:`` (no spaces)
    becomes the problem's path."""
    if isinstance(problem, Problem):
        return problem
    match = _LEADING_PATH.fullmatch(problem)
    if match is None:
        return Problem("", problem)
    return Problem(match["path"], match["message"])


def _headline(problem: Problem) -> str:
    """The problem as one line of a message; a message alone when it has no path."""
    if not problem.path and problem.value is None and problem.line is None:
        return problem.message
    return str(problem)


def _restore(kind: type[PartnerTiersError], args: tuple[Any, ...]) -> PartnerTiersError:
    """An error of the kind with its message, for unpickling; its attributes follow."""
    error = kind.__new__(kind)
    error.args = args
    return error


class PartnerTiersError(Exception):
    """Base class of every error partner_tiers raises on purpose.

    Raise it (or a subclass that takes problems) with one or more `Problem` values, or
    with a message: ``LedgerError("PointsLedger.batches: ...")`` is one problem whose
    path is the text before the first colon.

    Attributes:
        problems: every problem found, as a tuple of `Problem`; at least one.
    """

    problems: tuple[Problem, ...]

    def __init__(self, *problems: Problem | str) -> None:
        self.problems = tuple(_as_problem(problem) for problem in problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        """The message: the one problem, or how many there are and each on a line."""
        if len(self.problems) == 1:
            return _headline(self.problems[0])
        lines = [f"{len(self.problems)} problems"]
        lines += [f"  {_headline(problem)}" for problem in self.problems]
        return "\n".join(lines)

    def __reduce__(self) -> tuple[Any, ...]:
        # The default would call the class with its message, which is not its arguments.
        return (_restore, (type(self), self.args), self.__dict__)


class InvalidRecordError(PartnerTiersError, ValueError):
    """A value breaks a rule of the record (or the argument) it is given to.

    The message always shows the value, None included: ``Deal.closed_on: must be a
    date (got None)``.

    Attributes:
        field: the field's name, or its path inside a book (``deals[3].client``).
        value: the offending value.
        reason: what was expected, in words.
        problems: the one `Problem` (field, reason, value).
    """

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(Problem(field, reason, value))

    def _summary(self) -> str:
        return f"{self.field}: {self.reason} (got {show_value(self.value)})"


class InvalidTypeError(InvalidRecordError, TypeError):
    """A value of the wrong type: an int or a string where a date is expected, a float
    for an amount, a program name where a `Program` is expected.

    Also a `ValueError`, as the `InvalidRecordError` it is, for code written before it.
    """


class UnknownIdError(InvalidRecordError, LookupError):
    """No item has the id looked up: ``book.client("nope")``, ``program.tier("nope")``,
    ``ledger.batch("nope")``.

    A `LookupError` but not a `KeyError`: ``str()`` of a KeyError is the repr of its
    argument, which would quote the whole message, and these lookups are methods, not
    subscripts. Also a `ValueError`, as the `InvalidRecordError` it is, for code
    written before it.
    """


class BookIntegrityError(InvalidRecordError):
    """The records of a book do not fit together: a duplicate id, a dangling reference,
    overlapping managed periods.

    Attributes:
        problems: every such problem of the book, the first of which is also the
            error's own field, value and reason.
    """

    def __init__(
        self,
        field: str,
        value: object,
        reason: str,
        *,
        problems: Iterable[Problem] | None = None,
    ) -> None:
        super().__init__(field, value, reason)
        if problems is not None:
            self.problems = tuple(problems) or self.problems
            self.args = (self._summary(),)

    def _summary(self) -> str:
        first = super()._summary()
        more = len(self.problems) - 1
        return f"{first} and {more} more problem{'s' if more > 1 else ''}" if more else first


class FileFormatError(PartnerTiersError, ValueError):
    """A file could not be read: every problem found, each with its path.

    Attributes:
        source: the file's name (or ``<string>``).
        problems: every problem found, not only the first.
    """

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        self.source = source
        super().__init__(*problems)

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
    """No shipped program has the name, and no file at that path."""


class ProgramValidationError(ProgramError, FileFormatError):
    """A program file (or program data) breaks the format or its rules: every problem."""


class MissingExtraError(PartnerTiersError, ImportError):
    """An optional library is not installed; the message says which extra brings it.

    Attributes:
        name: the module that could not be imported (as for any `ImportError`).
        extra: the extra to install, e.g. ``yaml`` for ``pip install 'partner-tiers[yaml]'``.
    """

    def __init__(self, module: str, extra: str) -> None:
        self.extra = extra
        super().__init__(
            Problem(
                module,
                f"is not installed; the '{extra}' extra brings it: "
                f"pip install 'partner-tiers[{extra}]'",
            )
        )
        self.name = module


class PartnerTiersWarning(UserWarning):
    """A footgun flagged, not forbidden: something the library can do but that is
    probably not what was meant. Filter it like any warning
    (``warnings.simplefilter("error", pt.PartnerTiersWarning)`` in tests)."""


@contextlib.contextmanager
def require(extra: str) -> Iterator[None]:
    """Around the import of an optional library: a module that is not installed raises
    `MissingExtraError` naming the extra that brings it::

        with require("pandas"):
            import pandas as pd

    A context manager rather than an import by name, so the import stays a plain
    statement that type checkers and security checks can read.

    Raises:
        MissingExtraError: when an import inside is of a module that is not installed.
    """
    try:
        yield
    except ModuleNotFoundError as error:
        raise MissingExtraError(error.name or extra, extra) from None
