"""The projection: the points a partner will have on a later day if nothing else happens,
from the sold points that expire before it, as the 2022 dashboard projected three months
ahead "based on upcoming point expirations" (domain.md, section 2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

from attrs import field, frozen
from dateutil.relativedelta import relativedelta

from partner_tiers._engine.arguments import check_arguments

# The status's own projection to the next review, reused for any day: one rule for both.
from partner_tiers._engine.evaluate import _projection, evaluate
from partner_tiers._engine.ledgers import build_ledger
from partner_tiers._engine.qualify import evaluate_gates, points_index, track_values
from partner_tiers._errors import InvalidRecordError
from partner_tiers._html import table_html
from partner_tiers._ledger.batch import FIGURES
from partner_tiers._ledger.ledger import PointsLedger
from partner_tiers._model.book import Book
from partner_tiers._model.values import MAX_MONTHS, check_count, check_day, frozen_map
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries, program_on
from partner_tiers._views.tables import Table

__all__ = ["PROJECTION_MONTHS", "ExpiringBatch", "Projection", "projection", "projection_html"]

PROJECTION_MONTHS = 3
"""How far ahead the dashboard projects by default: three months."""

_FIGURES = tuple(figure.name for figure in FIGURES if not figure.name.endswith("_usd"))


@frozen
class ExpiringBatch:
    """A sold points batch active on the as-of date that expires by the projected day.

    Attributes:
        batch: the batch's id.
        client: the client's id.
        motion: sourced, assisted or none.
        expires_on: the first day it no longer counts.
        points: its points (negative for a reduction, which gives points back).
    """

    batch: str
    client: str
    motion: str
    expires_on: dt.date
    points: Decimal


@frozen
class Projection(Table):
    """Points now and on a later day if nothing else happens: no new deal, managed points
    as they are, the sold batches that expire by then gone.

    Attributes:
        as_of: the date of the projection.
        on: the projected day.
        program: the ``name@version`` in force on as_of, whose thresholds judge the day.
        points_now: sold, sourced, assisted, managed and total points on as_of.
        expiring: the same figures, what expires by ``on``.
        points_then: the figures on ``on``: now minus what expires.
        values_then: every track's value on ``on``.
        tier: the tier held on as_of.
        qualified_tier_then: the tier the points on ``on`` qualify for, with the gates as
            they are on as_of.
        next_tier: the tier above the one held (None at the top).
        next_tier_reach: its reach thresholds, the line the chart draws.
        next_review: the first review after as_of.
        tier_at_review: the tier the next review would decide if nothing else happens
            (the status's ``projected_tier``).
        rows: the expiring batches, soonest first.
    """

    as_of: dt.date
    on: dt.date
    program: str
    points_now: Mapping[str, Decimal] = field(converter=frozen_map)
    expiring: Mapping[str, Decimal] = field(converter=frozen_map)
    points_then: Mapping[str, Decimal] = field(converter=frozen_map)
    values_then: Mapping[str, Decimal] = field(converter=frozen_map)
    tier: str | None
    qualified_tier_then: str | None
    next_tier: str | None
    next_tier_reach: Mapping[str, Decimal] = field(converter=frozen_map)
    next_review: dt.date
    tier_at_review: str | None
    rows: tuple[ExpiringBatch, ...]

    def lines(self) -> list[str]:
        """The projection as lines of text, as the command line prints it."""
        expire = "batch expires" if len(self.rows) == 1 else "batches expire"
        figures = "  ".join(
            f"{name} {self.points_now[name]} -> {self.points_then[name]}" for name in _FIGURES
        )
        return [
            f"Projection to {self.on} (upcoming expirations, nothing else changing):",
            f"  {figures}",
            f"  {len(self.rows)} sold {expire}"
            "; qualifies then for "
            f"{self.qualified_tier_then or 'untiered'}; at the review on {self.next_review}: "
            f"{self.tier_at_review or 'untiered'}",
        ]

    def _repr_html_(self) -> str:
        return projection_html(self)


def projection_html(view: Projection) -> str:
    """The figures now, expiring and then, and the expiring batches, as HTML tables."""
    figures = table_html(
        ["points", "now", f"expiring by {view.on}", f"on {view.on}"],
        (
            [name, view.points_now[name], view.expiring[name], view.points_then[name]]
            for name in _FIGURES
        ),
        f"Projection to {view.on}: qualifies for {view.qualified_tier_then or 'untiered'}"
        f" (tier at the review on {view.next_review}: {view.tier_at_review or 'untiered'})",
    )
    batches = table_html(
        ["batch", "client", "motion", "expires on", "points"],
        ([b.batch, b.client, b.motion, b.expires_on, b.points] for b in view.rows),
        "Expiring sold batches",
    )
    return figures + batches


def projection(
    book: Book,
    program: Program | ProgramSeries,
    *,
    as_of: dt.date,
    months: int | None = None,
    until: dt.date | Literal["review"] | None = None,
    ledger: PointsLedger | None = None,
) -> Projection:
    """The points on a later day if nothing else happens, from the upcoming expirations.

    By default three months ahead (`PROJECTION_MONTHS`), as the dashboard projects;
    ``months=`` for another span, or ``until=`` a day or ``"review"`` (the next review,
    where the figures agree with the status's ``expiring_before_review``). Managed
    points are a level and are assumed to stay as they are.

    Raises:
        InvalidRecordError: when both months and until are given, months is not from 1
            to 3600, or until is not after as_of.
    """
    check_arguments(book, program, ledger)
    as_of = check_day("as_of", as_of)
    ledger = ledger if ledger is not None else build_ledger(book, program)
    status = evaluate(book, program, as_of=as_of, ledger=ledger)
    on = _projected_day(as_of, months, until, status.next_review)
    version = program_on(program, as_of)
    totals = ledger.totals(as_of)
    _lost, then = _projection(ledger, as_of, on, totals)
    values = track_values(version, book, ledger, as_of, then)
    _gates, cap = evaluate_gates(version, book, ledger, as_of, totals)
    qualified = min(points_index(version.tiers, values), cap)
    points_then = then.as_dict()
    return Projection(
        as_of=as_of,
        on=on,
        program=version.label,
        points_now=totals.as_dict(),
        expiring={name: totals.as_dict()[name] - points_then[name] for name in _FIGURES},
        points_then=points_then,
        values_then=values,
        tier=status.tier,
        qualified_tier_then=version.tiers[qualified].id if qualified >= 0 else None,
        next_tier=status.next_tier,
        next_tier_reach=status.next_tier_reach,
        next_review=status.next_review,
        tier_at_review=status.projected_tier,
        rows=tuple(
            ExpiringBatch(b.id, b.client, b.motion.value, b.expires_on, b.points)
            for b in ledger.sold_expiring_batches(as_of, on)
            if b.expires_on is not None
        ),
    )


def _projected_day(as_of: dt.date, months: int | None, until: object, review: dt.date) -> dt.date:
    if months is not None and until is not None:
        raise InvalidRecordError("until", until, "cannot be given together with months")
    if until is None:
        count = PROJECTION_MONTHS if months is None else months
        check_count("months", count, 1, MAX_MONTHS)
        return as_of + relativedelta(months=count)
    if until == "review":
        return review
    on = check_day("until", until)
    if on <= as_of:
        raise InvalidRecordError("until", until, f"must be after as_of {as_of}")
    return on
