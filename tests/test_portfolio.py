"""partner_tiers.portfolio: the partitioned and the Dask paths give exactly the plain
path's results -- each partner's evaluate() under each program, and program_impact()."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator

import pytest

import partner_tiers as pt
from partner_tiers import portfolio, synthetic

AS_OF = dt.date(2025, 9, 30)
MIX = ((3, 0.4), (8, 0.4), (20, 0.2))
SEED = 21
PARTNERS = 10


def _books() -> list[pt.Book]:
    return list(synthetic.portfolio(PARTNERS, SEED, mix=MIX))


def _load(seed: int, key: tuple[int, int]) -> Iterator[pt.Book]:
    first, count = key
    return synthetic.portfolio(count, seed, first=first, mix=MIX)


@pytest.fixture(scope="module")
def programs() -> tuple[pt.Program, pt.Program]:
    return pt.load_program("hubspot-2024"), pt.load_program("hubspot-2025")


@pytest.fixture(scope="module")
def plain(programs: tuple[pt.Program, pt.Program]) -> portfolio.Portfolio:
    return portfolio.evaluate_portfolio(_books(), programs, as_of=AS_OF, partition_size=3)


def test_results_are_each_books_evaluate(
    plain: portfolio.Portfolio, programs: tuple[pt.Program, pt.Program]
) -> None:
    books = _books()
    assert plain.partners() == tuple(book.partner.id for book in books)
    assert len(plain) == PARTNERS
    for result, (book, program) in zip(
        plain.results, ((b, p) for b in books for p in programs), strict=True
    ):
        status = pt.evaluate(book, program, as_of=AS_OF)
        assert (result.partner, result.program) == (book.partner.id, program.label)
        assert (result.tier, result.qualified_tier, result.level) == (
            status.tier,
            status.qualified_tier,
            status.level,
        )
        assert result.total == status.points["total"]
        assert result.sourced == status.points["sourced"]


def test_impact_equals_program_impact(
    plain: portfolio.Portfolio, programs: tuple[pt.Program, pt.Program]
) -> None:
    a, b = programs
    assert plain.impact(a.label, b.label) == pt.program_impact(_books(), a, b, as_of=AS_OF)


@pytest.mark.parametrize("size", [1, 4, 100])
def test_partition_size_does_not_change_the_results(
    plain: portfolio.Portfolio, programs: tuple[pt.Program, pt.Program], size: int
) -> None:
    seen: list[int] = []
    again = portfolio.evaluate_portfolio(
        iter(_books()), programs, as_of=AS_OF, partition_size=size, progress=seen.append
    )
    assert again == plain
    assert seen[-1] == PARTNERS


def test_dask_threads_equal_the_plain_path(
    plain: portfolio.Portfolio, programs: tuple[pt.Program, pt.Program]
) -> None:
    pytest.importorskip("dask")
    partitions = [(0, 4), (4, 4), (8, 2)]
    got = portfolio.evaluate_portfolio_dask(
        partitions,
        functools.partial(_load, SEED),
        ["hubspot-2024", programs[1]],
        as_of=AS_OF,
        scheduler="threads",
    )
    assert got == plain


def test_dask_local_cluster_equals_the_plain_path(plain: portfolio.Portfolio) -> None:
    pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    partitions = [(0, 3), (3, 3), (6, 3), (9, 1)]
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        got = portfolio.evaluate_portfolio_dask(
            partitions,
            functools.partial(_load, SEED),
            ["hubspot-2024", "hubspot-2025"],
            as_of=AS_OF,
            scheduler=client,
        )
    assert got == plain


def test_a_partner_in_two_partitions_is_refused(programs: tuple[pt.Program, pt.Program]) -> None:
    books = _books()[:2]
    with pytest.raises(pt.BookIntegrityError, match="p-00001"):
        portfolio.evaluate_portfolio([*books, books[1]], programs, as_of=AS_OF)


def test_unknown_program_label_and_bad_arguments_are_refused(
    plain: portfolio.Portfolio, programs: tuple[pt.Program, pt.Program]
) -> None:
    with pytest.raises(pt.InvalidRecordError, match="hubspot-2016"):
        plain.tiers("hubspot-2016")
    with pytest.raises(pt.InvalidRecordError, match="programs"):
        portfolio.evaluate_portfolio(_books(), [], as_of=AS_OF)
    with pytest.raises(pt.InvalidRecordError, match="partition_size"):
        portfolio.evaluate_portfolio(_books(), programs, as_of=AS_OF, partition_size=0)


def test_scale_guide_example_prints_what_the_guide_shows() -> None:
    """examples/portfolio_at_scale.py, shown by docs/how-to/scale.md, run section by
    section against docs_src/outputs/portfolio_at_scale.out (DOCS_REGEN=1 rewrites it)."""
    pytest.importorskip("dask")
    pytest.importorskip("pandas")
    from test_docs import EXAMPLES, run_example

    namespace = run_example(EXAMPLES / "portfolio_at_scale.py")
    assert namespace["with_dask"] == namespace["result"]
    assert namespace["same"] is True


def test_impact_between_different_ladders_equals_program_impact(
    programs: tuple[pt.Program, pt.Program],
) -> None:
    # The portfolio ranks each side by its own ladder, as program_impact does: between
    # unlike ladders up and down are not comparable (None), not ranks in a merged list.
    from test_dashboard_items import _bronze_silver_gold

    a = programs[1]
    b = _bronze_silver_gold(a)
    books = _books()
    impact = portfolio.evaluate_portfolio(books, (a, b), as_of=AS_OF).impact(a.label, b.label)
    assert impact == pt.program_impact(books, a, b, as_of=AS_OF)
    assert impact.up is None
    assert impact.tiers_b == (None, "bronze", "silver", "gold")
