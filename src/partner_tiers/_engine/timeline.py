"""Timelines: the status month by month, from one replay of the policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from attrs import frozen
from dateutil.relativedelta import relativedelta

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._engine.evaluate import statuses
from partner_tiers._engine.status import TierStatus
from partner_tiers._errors import InvalidRecordError, require
from partner_tiers._ledger.ledger import PointsLedger
from partner_tiers._model.book import Book
from partner_tiers._model.values import MAX_MONTHS, check_count, check_day
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries

__all__ = ["Timeline", "timeline"]


@frozen
class Timeline(Mapping[dt.date, TierStatus]):
    """Statuses on a series of dates; ``timeline[d]`` equals ``evaluate(..., as_of=d)``.

    Attributes:
        program: the program's ``name@version``.
        statuses: the statuses, oldest first.
    """

    program: str
    statuses: tuple[TierStatus, ...]

    def __getitem__(self, day: dt.date) -> TierStatus:
        for status in self.statuses:
            if status.as_of == day:
                return status
        raise KeyError(day)

    def __iter__(self) -> Iterator[dt.date]:
        return (status.as_of for status in self.statuses)

    def __len__(self) -> int:
        return len(self.statuses)

    def rows(self) -> list[dict[str, Any]]:
        """One row per date: tier, every track's value, and the next tier's reach lines."""
        rows = []
        for status in self.statuses:
            row: dict[str, Any] = {"as_of": status.as_of, "tier": status.tier}
            row.update({f"value.{track}": value for track, value in status.values.items()})
            reach = status.next_tier_reach
            row.update({f"reach.{track}": reach.get(track) for track in status.values})
            row["next_tier"] = status.next_tier
            rows.append(row)
        return rows

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame (needs the ``pandas`` extra)."""
        with require("pandas"):
            import pandas as pd

        return pd.DataFrame(self.rows()).set_index("as_of")

    def to_polars(self) -> Any:
        """The rows as a polars DataFrame (needs the ``polars`` extra)."""
        with require("polars"):
            import polars as pl

        return pl.DataFrame(self.rows())


def timeline(
    book: Book,
    program: Program | ProgramSeries,
    start: dt.date,
    end: dt.date,
    *,
    months: int = 1,
    ledger: PointsLedger | None = None,
    known_at: dt.date | None = None,
) -> Timeline:
    """The status every ``months`` months from ``start`` to ``end`` (both included when
    they fall on the step), computed in one pass over the ledger; with ``known_at``, of
    the book as it was known on that day (see `evaluate`).

    Raises:
        InvalidRecordError: when an argument is of the wrong type, end is before start,
            or months is not from 1 to 3600.
    """
    check_arguments(book, program, ledger)
    start, end = check_day("start", start), check_day("end", end)
    if end < start:
        raise InvalidRecordError("end", end, f"is before start {start}")
    check_count("months", months, 1, MAX_MONTHS)
    days = []
    step = 0
    while (day := start + relativedelta(months=step * months)) <= end:
        days.append(day)
        step += 1
    return Timeline(
        program.label, tuple(statuses(book, program, days, ledger=ledger, known_at=known_at))
    )
