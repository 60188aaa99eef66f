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
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path
from types import ModuleType

import attrs
import pytest
from dateutil.relativedelta import relativedelta

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


# --- the same-work numpy reference: the whole decision of pt.evaluate ---------------------

SAME_WORK_DATES = (
    dt.date(2023, 6, 30),
    dt.date(2024, 3, 1),
    dt.date(2024, 7, 15),
    dt.date(2025, 1, 20),
    dt.date(2025, 9, 30),
)


def _variants(book: pt.Book) -> list[pt.Book]:
    """The book; with a certification gap (the gate fails, then recovers); invited to
    Elite with every Elite fact met."""
    gap = (
        pt.Certification(
            pt.CertificationId("c-a"), "Platform", dt.date(2021, 1, 1), dt.date(2023, 11, 30)
        ),
        pt.Certification(
            pt.CertificationId("c-b"), "Platform", dt.date(2024, 8, 15), dt.date(2026, 12, 31)
        ),
    )
    elite = {"invited": True, "retention": "0.9", "team_certifications": 150}
    return [book, attrs.evolve(book, certifications=gap), attrs.evolve(book, facts=elite)]


@pytest.fixture(scope="module")
def varied_books() -> list[pt.Book]:
    mix = ((5, 0.3), (20, 0.4), (60, 0.3))
    return [v for book in synthetic.portfolio(10, 7, mix=mix) for v in _variants(book)]


def _decision(status: pt.TierStatus) -> tuple[object, ...]:
    return (status.tier, status.qualified_tier, status.projected_tier, dict(status.points))


@pytest.mark.parametrize("name", PROGRAMS)
def test_numpy_same_work_decision_equals_evaluate(varied_books: list[pt.Book], name: str) -> None:
    reference = _reference("reference_numpy")
    program = pt.load_program(name)
    tiers = set()
    for book in varied_books:
        columns = reference.columns(book)
        for day in SAME_WORK_DATES:
            status = pt.evaluate(book, program, as_of=day)
            result = reference.evaluate_columns(columns, program, day)
            assert tuple(result) == _decision(status), (book.partner.id, day)
            tiers.add((status.tier, status.qualified_tier, status.level))
    # Worth something only if the books reach the whole ladder, gates cap it, and some
    # partners miss the first-tier deadline.
    assert {tier for tier, _, _ in tiers} >= {None, "gold", "platinum", "diamond", "elite"}
    assert any(tier != qualified for tier, qualified, _ in tiers)
    assert any(level == "provider" for _, _, level in tiers)


def test_numpy_same_work_decision_equals_evaluate_on_the_demo_book() -> None:
    reference = _reference("reference_numpy")
    book = pt.demo_book()
    for name in PROGRAMS:
        program = pt.load_program(name)
        for day in SAME_WORK_DATES:
            result = reference.evaluate(book, program, as_of=day)
            assert tuple(result) == _decision(pt.evaluate(book, program, as_of=day)), (name, day)


def test_numpy_add_months_clips_to_the_month_end_as_the_library() -> None:
    reference = _reference("reference_numpy")
    first = dt.date(2023, 11, 1)
    days = [first + dt.timedelta(days=n) for n in range(800)]
    for months in (1, 3, 12, 24):
        got = reference.add_months([reference.days(day) for day in days], months)
        expected = [reference.days(day + relativedelta(months=months)) for day in days]
        assert got.tolist() == expected, months


def test_share_of_points_rounds_as_the_library() -> None:
    """The integer share of a partly offset batch equals the library's rounding of the
    batch's points times a 60-digit Decimal share, exact halves of a cent included."""
    common = _reference("reference_common")
    halves = 0
    for amount in range(2, 40):
        for take in range(1, amount):
            for points in range(0, 60):
                with localcontext() as context:
                    context.prec = 60
                    share = Decimal(take) / Decimal(amount)
                    value = (Decimal(points).scaleb(-2) * share).quantize(
                        Decimal("0.01"), rounding=ROUND_HALF_UP
                    )
                assert common.share_of_points(points, take, amount) == int(value.scaleb(2))
                halves += (2 * points * take) % (2 * amount) == amount
    assert halves > 100  # the exact half cents, where rounding could go either way
