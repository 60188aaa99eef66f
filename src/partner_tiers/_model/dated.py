"""Effective-dated rows: a rule is in force from its date until the next row's date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, TypeVar

__all__ = ["Dated", "boundaries", "in_force"]


class Dated(Protocol):
    """Anything with an ``effective_from`` date (None: in force from the beginning)."""

    @property
    def effective_from(self) -> dt.date | None: ...


_D = TypeVar("_D", bound=Dated)


def _start(row: Dated) -> dt.date:
    return row.effective_from or dt.date.min


def in_force(rows: Sequence[_D], day: dt.date) -> _D | None:
    """The row in force on the day: the last one whose date is on or before it.

    ``rows`` must be sorted by date (programs check that when they are made).
    """
    # Tables hold a handful of rows: a backwards scan beats building a list to bisect.
    for row in reversed(rows):
        if _start(row) <= day:
            return row
    return None


def boundaries(rows: Sequence[Dated]) -> list[dt.date]:
    """The dates on which a new row takes over."""
    return [row.effective_from for row in rows if row.effective_from is not None]
