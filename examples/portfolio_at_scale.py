"""Evaluate a portfolio of partners at scale: the plain partitioned loop, the Dask recipe,
and the per-partner function a Spark job would call.

Run it with ``python examples/portfolio_at_scale.py``; it needs ``dask`` and ``pandas``.
The portfolio is synthetic (`partner_tiers.synthetic`), small enough to run in a few
seconds. The points thresholds of the shipped programs are EXAMPLE VALUES: HubSpot never
published them.
"""

# --8<-- [start:plain]
import datetime as dt
from collections.abc import Iterator

import partner_tiers as pt
from partner_tiers import portfolio, synthetic

AS_OF = dt.date(2025, 9, 30)
MIX = ((5, 0.5), (15, 0.4), (40, 0.1))  # clients per partner, and its share
programs = [pt.load_program("hubspot-2024"), pt.load_program("hubspot-2025")]

# One book at a time: a generator of books (from files, a database...) keeps memory flat.
books = synthetic.portfolio(24, seed=7, mix=MIX)
result = portfolio.evaluate_portfolio(books, programs, as_of=AS_OF, partition_size=8)
print(f"{len(result)} partners under {', '.join(result.programs)}")
print(result.impact("hubspot-2024@2024-02-27", "hubspot-2025@2025-07-15"))
# --8<-- [end:plain]


# --8<-- [start:dask]
def load_partition(key: tuple[int, int]) -> Iterator[pt.Book]:
    """A partition's books, loaded where the task runs: here partners first..first+count
    of the synthetic portfolio; in production, a query for those partner ids."""
    first, count = key
    return synthetic.portfolio(count, seed=7, first=first, mix=MIX)


partitions = [(0, 8), (8, 8), (16, 8)]  # whole partners in each partition
with_dask = portfolio.evaluate_portfolio_dask(
    partitions,
    load_partition,
    ["hubspot-2024", "hubspot-2025"],  # names: each worker loads the shipped programs
    as_of=AS_OF,
    scheduler="threads",  # or a distributed.Client(...) for a cluster
)
print("Dask gives the plain results:", with_dask == result)
# --8<-- [end:dask]


# --8<-- [start:spark]
import pandas as pd  # noqa: E402


def evaluate_group(frame: pd.DataFrame) -> pd.DataFrame:
    """One partner's rows in, one row per program out: the function a Spark job hands to
    ``groupBy("partner").applyInPandas(evaluate_group, schema)``."""
    books = [pt.loads_book(text) for text in frame["book"]]
    rows = portfolio.evaluate_partition(books, programs, as_of=AS_OF)
    return pd.DataFrame(
        {
            "partner": [r.partner for r in rows],
            "program": [r.program for r in rows],
            "tier": pd.Series([r.tier for r in rows], dtype=object),  # None: untiered
            "total": [str(r.total) for r in rows],
        }
    )


# A stand-in for the Spark table: one row per partner, the book as JSON text.
table = pd.DataFrame({"partner": [b.partner.id for b in load_partition((0, 24))]}).assign(
    book=[pt.dumps_book(b) for b in load_partition((0, 24))]
)
# What Spark does per group, done here with pandas:
spark_like = pd.concat(
    [evaluate_group(group) for _, group in table.groupby("partner", sort=True)],
    ignore_index=True,
)
columns = spark_like[["partner", "program", "tier"]].itertuples(index=False)
tiers = {(partner, program): tier for partner, program, tier in columns}
same = all(tiers[r.partner, r.program] == r.tier for r in result.results)
print(spark_like.head(4).to_string(index=False))
print("per-partner groups give the plain results:", same)
# --8<-- [end:spark]
