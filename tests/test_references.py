"""The benchmark references agree exactly with the library: the pandas and polars
notebooks of ``benchmarks/`` compute the same point totals as
``pt.build_ledger(book, program).totals(as_of)`` and the tier the points reach, on
synthetic books with sales, upsells, downgrades, churn, growth markets, several
currencies and managed service.

If they disagree, either the library or the rules written down in the references
changed; the benchmark ratios are only meaningful while they agree.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

import partner_tiers as pt
from partner_tiers import synthetic

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
PROGRAMS = ("hubspot-2022", "hubspot-2024", "hubspot-2025")
DATES = (dt.date(2023, 6, 30), dt.date(2024, 3, 1), dt.date(2025, 9, 30))
SEEDS = (0, 1, 2, 3)


def _reference(name: str) -> ModuleType:
    # The references are scripts beside benchmarks/run.py, not a package.
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module(name)


def _points_tier(program: pt.Program, totals: pt.LedgerTotals) -> str | None:
    """The highest tier whose reach thresholds the totals meet (gates left out)."""
    values = {track.id: getattr(totals, track.rule) for track in program.tracks}
    reached = [tier.id for tier in program.tiers if tier.met(values)]
    return reached[-1] if reached else None


@pytest.fixture(scope="module")
def books() -> list[pt.Book]:
    return [synthetic.book("S", seed) for seed in SEEDS]


@pytest.mark.parametrize("name", PROGRAMS)
def test_pandas_totals_and_tier_equal_the_library(books: list[pt.Book], name: str) -> None:
    reference = _reference("reference_pandas")
    program = pt.load_program(name)
    for book in books:
        ledger = pt.build_ledger(book, program)
        frames = reference.frames(book)
        for day in DATES:
            totals = ledger.totals(day)
            result = reference.evaluate_frames(frames, program, day)
            assert result.totals == totals.as_dict(), (book.partner.id, day)
            assert result.tier == _points_tier(program, totals), (book.partner.id, day)


@pytest.mark.parametrize("name", PROGRAMS)
def test_polars_totals_and_tier_equal_the_library(books: list[pt.Book], name: str) -> None:
    pytest.importorskip("polars")
    reference = _reference("reference_polars")
    program = pt.load_program(name)
    frames = reference.frames(books)
    for day in DATES:
        table = reference.tiers(frames, program, day)
        rows = {row["partner"]: row for row in table.iter_rows(named=True)}
        for book in books:
            totals = pt.build_ledger(book, program).totals(day)
            row = rows[book.partner.id]
            got = {name: Decimal(row[name]).scaleb(-2) for name in totals.as_dict()}
            assert got == totals.as_dict(), (book.partner.id, day)
            assert row["tier"] == _points_tier(program, totals), (book.partner.id, day)


def test_polars_impact_equals_program_impact_when_gates_pass() -> None:
    pytest.importorskip("polars")
    reference = _reference("reference_polars")
    a, b = pt.load_program("hubspot-2024"), pt.load_program("hubspot-2025")
    day = dt.date(2025, 9, 30)
    books = list(synthetic.portfolio(12, 5, mix=((4, 0.5), (12, 0.5))))
    counts = reference.impact(reference.frames(books), a, b, day)
    expected: dict[tuple[str | None, str | None], int] = {}
    for book in books:
        pair = (
            _points_tier(a, pt.build_ledger(book, a).totals(day)),
            _points_tier(b, pt.build_ledger(book, b).totals(day)),
        )
        expected[pair] = expected.get(pair, 0) + 1
    assert dict(counts) == expected


def test_references_agree_with_evaluate_on_the_status_points(books: list[pt.Book]) -> None:
    pandas_reference = _reference("reference_pandas")
    program = pt.load_program("hubspot-2025")
    day = dt.date(2025, 9, 30)
    status = pt.evaluate(books[0], program, as_of=day)
    result = pandas_reference.evaluate(books[0], program, as_of=day)
    assert dict(status.points) == result.totals
    # Gates can only lower the tier the points reach.
    assert program.tier_index(status.qualified_tier) <= program.tier_index(result.tier)


def test_references_cover_downgrades_churn_growth_markets_and_managed_service(
    books: list[pt.Book],
) -> None:
    """The agreement above is only worth something if the books exercise every rule."""
    kinds = {deal.kind for book in books for deal in book.deals}
    assert {pt.DealKind.DOWNGRADE, pt.DealKind.CHURN, pt.DealKind.UPSELL} <= kinds
    ledger = pt.build_ledger(books[0], pt.load_program("hubspot-2025"))
    assert any(batch.offsets for batch in ledger)
    assert any(batch.market is pt.Market.GROWTH for batch in ledger)
    assert any(batch.track is pt.Track.MANAGED for batch in ledger)
    assert any("grandfathered" in batch.rule for batch in ledger)
    assert len({deal.mrr_change.currency for deal in books[0].deals}) >= 4
