"""Effective-dated rows (a rule is in force from its date until the next row's date) and
the calendar-month arithmetic of expiry dates."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Protocol, TypeVar

from dateutil.relativedelta import relativedelta

__all__ = ["Dated", "boundaries", "expiry_date", "in_force"]


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


@functools.lru_cache(maxsize=4096)
def expiry_date(earned_on: dt.date, months: int) -> dt.date:
    """The day a batch earned on ``earned_on`` stops counting: ``months`` calendar months
    later, clipped to the month's end (2024-02-29 + 12 months = 2025-02-28).

    Cached: books close many deals on the same days, and relativedelta is the costly
    part of pricing a deal.
    """
    expires: dt.date = earned_on + relativedelta(months=months)
    return expires
