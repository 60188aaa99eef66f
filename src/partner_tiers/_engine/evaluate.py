"""The engine: book + program + date -> ledger -> tier status with its explanation.

`evaluate` replays the program's policy (see `partner_tiers._engine.replay`) up to its
date and builds the status of that day: every track, the gates, what the next tier
needs, what keeping the tier takes, and what the next review would decide.
`statuses` replays once for many dates. Under a `ProgramSeries` each day is judged by
the version in force on it, and the status names that version.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from decimal import Decimal

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._engine.ledgers import build_ledger
from partner_tiers._engine.qualify import after_review, evaluate_gates, points_index, track_values
from partner_tiers._engine.receipt import ReceiptMaker
from partner_tiers._engine.replay import ReplayState, replay, tier_name
from partner_tiers._engine.status import ChangeCause, TierChange, TierStatus
from partner_tiers._errors import InvalidRecordError
from partner_tiers._ledger.batch import FIGURES, LedgerTotals
from partner_tiers._ledger.ledger import PointsLedger
from partner_tiers._model.book import Book
from partner_tiers._model.deprecated import keyword_as_of
from partner_tiers._model.values import check_day
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries, as_series

__all__ = ["evaluate", "statuses"]

ZERO = Decimal(0)


@keyword_as_of("book", "program")
def evaluate(
    book: Book,
    program: Program | ProgramSeries,
    *,
    as_of: dt.date,
    ledger: PointsLedger | None = None,
    known_at: dt.date | None = None,
) -> TierStatus:
    """The partner's tier on ``as_of`` under the program, with every number explained.

    Args:
        book: the partner's book.
        program: the program or program series (see `load_program`); under a series
            every day is judged by the version in force on it.
        as_of: the date; the library never reads the clock.
        ledger: the book's ledger under the program, if already built (saves the pricing);
            not used with known_at, whose book has a ledger of its own.
        known_at: judge the book as it was known on this day (`Book.known_at`): only
            the records recorded on or before it count. None (the default): everything.

    Raises:
        PricingError: when the program cannot price a deal of the book.
        InvalidRecordError: when an argument is of the wrong type, or as_of out of range.
    """
    check_arguments(book, program, ledger)
    as_of = check_day("as_of", as_of)
    receipts = ReceiptMaker(book, program)  # of the book given, known_at or not
    book, ledger = _as_known(book, program, ledger, known_at)
    [(_day, state)] = replay(book, program, ledger, [as_of])
    return _status(book, program, ledger, as_of, state, receipts, known_at)


def statuses(
    book: Book,
    program: Program | ProgramSeries,
    days: Iterable[dt.date],
    *,
    ledger: PointsLedger | None = None,
    known_at: dt.date | None = None,
) -> list[TierStatus]:
    """The status on each of the days, from one replay (days are sorted first); with
    ``known_at``, of the book as it was known on that day (see `evaluate`)."""
    check_arguments(book, program, ledger)
    if not isinstance(days, Iterable) or isinstance(days, (str, dt.date)):
        raise InvalidRecordError("days", days, "must be an iterable of dates")
    ordered = sorted({check_day("days", day) for day in days})
    if not ordered:
        return []
    receipts = ReceiptMaker(book, program)
    book, ledger = _as_known(book, program, ledger, known_at)
    return [
        _status(book, program, ledger, day, state, receipts, known_at)
        for day, state in replay(book, program, ledger, ordered)
    ]


def _as_known(
    book: Book,
    program: Program | ProgramSeries,
    ledger: PointsLedger | None,
    known_at: dt.date | None,
) -> tuple[Book, PointsLedger]:
    """The book as known on known_at (all of it when None) and its ledger."""
    if known_at is not None:
        return (known := book.known_at(known_at)), build_ledger(known, program)
    return book, ledger if ledger is not None else build_ledger(book, program)


def _status(
    book: Book,
    series: Program | ProgramSeries,
    ledger: PointsLedger,
    as_of: dt.date,
    state: ReplayState,
    receipts: ReceiptMaker,
    known_at: dt.date | None = None,
) -> TierStatus:
    program = series.version_on(as_of) if isinstance(series, ProgramSeries) else series
    tiers = program.tiers
    totals = ledger.totals(as_of)
    values = track_values(program, book, ledger, as_of, totals)
    gates, cap = evaluate_gates(program, book, ledger, as_of, totals)
    held = min(state.held, cap)
    next_index = held + 1 if held + 1 < len(tiers) else None
    retain = dict(tiers[held].retain_thresholds()) if held >= 0 else {}
    review = as_series(series).next_review(as_of)  # a newer version may review sooner
    lost, projected_totals = _projection(ledger, as_of, review, totals)
    projected_values = track_values(program, book, ledger, as_of, projected_totals)
    projected = _project_tier(program, state.held, projected_values, cap)
    pending = None
    if state.pending is not None:
        on, target, reason = state.pending
        pending = TierChange(
            on,
            tier_name(program, state.held),
            tier_name(program, target),
            reason,
            ChangeCause.REVIEW_DEMOTION,
            program.label,
        )
    return TierStatus(
        as_of=as_of,
        program=program.label,
        tier=tier_name(program, held),
        qualified_tier=tier_name(program, min(points_index(tiers, values), cap)),
        level="provider" if state.provider else "partner",  # a Provider holds no tier
        values=values,
        points=totals.as_dict(),
        next_tier=tier_name(program, next_index) if next_index is not None else None,
        next_tier_reach=dict(tiers[next_index].reach) if next_index is not None else {},
        to_next_tier=tiers[next_index].shortfall(values) if next_index is not None else {},
        retain_minimum=retain,
        to_keep_tier={track: values[track] - minimum for track, minimum in retain.items()},
        gates=gates,
        next_review=review,
        expiring_before_review={track.id: lost.get(track.rule, ZERO) for track in program.tracks},
        projected_tier=tier_name(program, projected),
        history=state.history,
        pending_demotion=pending,
        known_at=known_at,
        _program=program,
        _ledger=ledger,
        _receipt=functools.partial(receipts.receipt, program.label, as_of, known_at),
    )


def _project_tier(program: Program, held: int, values: Mapping[str, Decimal], cap: int) -> int:
    """The tier the next review would decide, as the replay does: a promotion to the tier
    the points reach if the gates (as they are now) allow one, else the review's demotion
    rule; capped by the gates."""
    allowed = min(points_index(program.tiers, values), cap)
    tier = allowed if allowed > held else after_review(program, held, values)
    return min(tier, cap)


def _projection(
    ledger: PointsLedger, as_of: dt.date, review: dt.date, values_now: LedgerTotals
) -> tuple[dict[str, Decimal], LedgerTotals]:
    """What expires by the review, and the totals then if nothing else happens.

    Sold batches active now that expire on or before the review are lost; managed points
    are a level and are assumed to stay as they are.
    """
    lost = ledger.sold_expiring(as_of, review)
    now = {figure.name: getattr(values_now, figure.name) for figure in FIGURES}
    projected = LedgerTotals(
        **{
            figure.name: now[figure.name] - lost.get(figure.name, ZERO)
            for figure in FIGURES
            if figure.name != "total"
        }
    )
    return lost, projected
