"""The points ledger of a book under a program or a program series.

Under a series each version prices the whole book (so a downgrade can offset the sale it
reduces), and the ledger keeps of each version what falls in the days it is in force:
the sold batches earned then -- each deal priced by the version in force on its close
date, keeping that price until it expires -- and the managed pieces cut at the switch
days, so managed points on any day are priced by the version of that day.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Sequence

from attrs import evolve

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._engine.columnar import price_rows
from partner_tiers._engine.pricing import build_ledger as price_book
from partner_tiers._engine.pricing import price_batches
from partner_tiers._ledger.batch import PointBatch, Track
from partner_tiers._ledger.events import EventRows
from partner_tiers._ledger.ledger import PointsLedger
from partner_tiers._model.book import Book
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries, Version, as_series

__all__ = ["build_ledger"]


def build_ledger(book: Book, program: Program | ProgramSeries) -> PointsLedger:
    """The points ledger of a book under a program or a program series.

    Every batch is stamped with the program version and the rule that priced it. Under
    a series, a deal is priced by the version in force on its close date and managed
    points by the version in force on each day (pieces are cut at the switch days).

    Raises:
        PricingError: when no rate row, currency table or currency entry covers a deal
            or a managed period; the message names the deal, the currency, the date and
            the version.
    """
    check_arguments(book, program)
    series = as_series(program)
    if len(series.versions) == 1:
        return price_book(book, series.versions[0])
    windows = series.windows()
    parts = [price_rows(book, window.program) for window in windows]
    make = functools.partial(_series_batches, book, windows)
    if any(part is None for part in parts):
        return PointsLedger(make())
    return PointsLedger._columnar(
        EventRows.join(
            [
                part.within(window.start, window.end)
                for part, window in zip(parts, windows, strict=True)
                if part is not None
            ]
        ),
        make,
    )


def _series_batches(book: Book, windows: Sequence[Version]) -> list[PointBatch]:
    """What each version keeps of the batches it prices (the object path)."""
    batches: list[PointBatch] = []
    for window in windows:
        for batch in price_batches(book, window.program):
            batches.extend(_in_window(batch, window))
    return batches


def _in_window(batch: PointBatch, window: Version) -> Iterator[PointBatch]:
    """What of a version's batch the series keeps: a sold batch earned while the version
    is in force; the part of a managed piece inside the version's days."""
    if batch.track is Track.SOLD:
        if window.covers(batch.earned_on):
            yield batch
        return
    start = batch.earned_on if window.start is None else max(batch.earned_on, window.start)
    end = _earlier(batch.expires_on, window.end)
    if end is not None and end <= start:
        return
    if start == batch.earned_on and end == batch.expires_on:
        yield batch
        return
    # A piece cut at a switch day starts anew there: its id says from when.
    batch_id = batch.id if start == batch.earned_on else f"{batch.id}@{start}"
    yield evolve(batch, id=batch_id, earned_on=start, expires_on=end)


def _earlier(first: dt.date | None, second: dt.date | None) -> dt.date | None:
    if first is None:
        return second
    if second is None:
        return first
    return min(first, second)
