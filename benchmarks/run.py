"""Benchmarks: partner_tiers against what a notebook user would write instead, and scale.

Run from the repository root::

    python benchmarks/run.py            # S, M and L books; portfolios of 1,000 and 10,000
    python benchmarks/run.py --quick    # S and M books; a portfolio of 100 partners

Sections (each prints its figures, the ratio and whether the issue's target is met):

a. evaluate an M book (500 clients, 5,000 deals) on one date, against the pandas,
   polars and same-work numpy references (issue 15's targets: the library at
   least 2x faster than pandas, 10x with the ledger built);
b. a 36-month ``pt.timeline`` of the M book against one ``pt.evaluate`` (target: at most
   1.5x);
c. cost against ledger size, S / M / L: time per batch and an n log n check;
d. the impact of hubspot-2024 -> hubspot-2025 on a synthetic portfolio against a
   hand-written polars query on the same data (target: at most 1.5x the polars time,
   peak memory under 2 GB).

Times are wall-clock ``time.perf_counter`` medians of interleaved repeats (one call of
each contender per round), in one process; the load average is printed at the start and
the end. Book generation and the conversion of books to data frames are timed apart and
left out of the ratios: a notebook user has the tables already, the library the books. No timing is
asserted anywhere; the figures go into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gc
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import reference_numpy
import reference_pandas
import reference_polars

import partner_tiers as pt
from partner_tiers import portfolio, synthetic

_T = TypeVar("_T")

AS_OF = dt.date(2025, 9, 30)
SEED = 1
RESULTS: dict[str, Any] = {}


# --- measuring ---------------------------------------------------------------------------


def best(function: Callable[[], _T], repeats: int) -> tuple[float, _T]:
    """The median wall time of ``repeats`` calls, and the last call's result."""
    [(median, result)] = interleaved([function], repeats)
    return median, result


def interleaved(functions: list[Callable[[], Any]], repeats: int) -> list[tuple[float, Any]]:
    """Each function's median wall time over ``repeats`` rounds, one call of each per
    round, so that a change of the machine's load falls on all of them alike; and each
    one's last result."""
    times: list[list[float]] = [[] for _ in functions]
    results: list[Any] = [None] * len(functions)
    for _ in range(repeats):
        for index, function in enumerate(functions):
            gc.collect()
            start = time.perf_counter()
            results[index] = function()
            times[index].append(time.perf_counter() - start)
    return [(statistics.median(t), r) for t, r in zip(times, results, strict=True)]


def reset_peak_memory() -> None:
    """Reset the process's peak resident set (Linux 4.0+; elsewhere a no-op)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_memory_mb() -> float:
    """Peak resident set since the last reset (VmHWM), else since the process started."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def fmt(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.1f} us"


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"


def header(title: str) -> None:
    print(f"\n== {title} " + "=" * max(0, 76 - len(title)))


class Timed(Iterator[_T]):
    """An iterator that keeps the time spent producing its items (book generation)."""

    def __init__(self, items: Iterator[_T]) -> None:
        self.items = items
        self.seconds = 0.0
        self.count = 0

    def __iter__(self) -> Timed[_T]:
        return self

    def __next__(self) -> _T:
        start = time.perf_counter()
        try:
            item = next(self.items)
        finally:
            self.seconds += time.perf_counter() - start
        self.count += 1
        return item


# --- sections ----------------------------------------------------------------------------


def machine() -> None:
    header("machine")
    import pandas
    import polars

    print(f"uname: {' '.join(platform.uname())}")
    print(f"cpus: {os.cpu_count()}  python: {sys.version.split()[0]}")
    print(f"pandas {pandas.__version__}, polars {polars.__version__}, partner_tiers from")
    print(f"  {Path(pt.__file__).parent}")
    print(f"load average at start: {load_average()}")
    RESULTS["machine"] = {
        "uname": " ".join(platform.uname()),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "load_average_start": load_average(),
    }


def section_a(book: pt.Book, program: pt.Program, repeats: int) -> None:
    header("a. evaluate an M book on one date vs the pandas reference")
    frames = reference_pandas.frames(book)
    polars_frames = reference_polars.frames([book])
    ledger = pt.build_ledger(book, program)
    timed = interleaved(
        [
            lambda: reference_pandas.frames(book),
            lambda: reference_pandas.evaluate_frames(frames, program, AS_OF),
            lambda: reference_polars.tiers(polars_frames, program, AS_OF),
            lambda: reference_numpy.evaluate(book, program, as_of=AS_OF),
            lambda: reference_numpy.columns(book),
            lambda: pt.evaluate(book, program, as_of=AS_OF),
            lambda: pt.build_ledger(book, program),
            lambda: pt.evaluate(book, program, as_of=AS_OF, ledger=ledger),
        ],
        repeats,
    )
    convert, pandas_time, polars_time, numpy_time, numpy_columns = (t for t, _ in timed[:5])
    evaluate_time, ledger_time, replay_time = (t for t, _ in timed[5:])
    reference, status, same_work = timed[1][1], timed[5][1], timed[3][1]
    queries = 10_000
    totals_time, _ = best(lambda: [ledger.totals(AS_OF) for _ in range(queries)], 3)
    totals_time /= queries
    agree = dict(status.points) == reference.totals
    same = tuple(same_work) == (
        status.tier,
        status.qualified_tier,
        status.projected_tier,
        dict(status.points),
    )
    print(f"book: {len(book.clients)} clients, {len(book.deals)} deals, {len(ledger)} batches")
    print(f"medians of {repeats} interleaved repeats")
    print(f"pandas reference (frames ready)        {fmt(pandas_time):>10}")
    print(f"  building the frames from the book    {fmt(convert):>10}  (not counted)")
    print(f"polars reference (frames ready)        {fmt(polars_time):>10}")
    print(f"numpy same work, from the Book         {fmt(numpy_time):>10}  (the floor)")
    print(f"  of which the Book to columns         {fmt(numpy_columns):>10}")
    print(f"pt.evaluate (prices the book)          {fmt(evaluate_time):>10}")
    print(f"  of which pt.build_ledger             {fmt(ledger_time):>10}")
    print(f"pt.evaluate with the ledger built      {fmt(replay_time):>10}")
    print(f"ledger.totals(as_of), per query        {fmt(totals_time):>10}")
    print(f"totals agree exactly with the reference: {agree}")
    print(f"numpy same work equals pt.evaluate (tiers and totals): {same}")
    ratio = pandas_time / evaluate_time
    print(
        f"pandas / pt.evaluate = {ratio:.2f}x (target >= 2x): {verdict(ratio >= 2)}; "
        f"pandas / evaluate(ledger=) = {pandas_time / replay_time:.2f}x (target >= 10x): "
        f"{verdict(pandas_time / replay_time >= 10)}; "
        f"pt.evaluate / numpy same work = {evaluate_time / numpy_time:.1f}x"
    )
    RESULTS["a"] = {
        "pandas": pandas_time,
        "pandas_frames": convert,
        "polars": polars_time,
        "numpy_same_work": numpy_time,
        "numpy_columns": numpy_columns,
        "numpy_agrees": same,
        "evaluate": evaluate_time,
        "build_ledger": ledger_time,
        "evaluate_with_ledger": replay_time,
        "totals_query": totals_time,
        "agree": agree,
        "ratio": ratio,
    }


def section_b(book: pt.Book, program: pt.Program) -> None:
    header("b. a 36-month timeline of the M book vs one evaluate")
    start, end = dt.date(2023, 1, 1), dt.date(2025, 12, 1)
    (timeline_time, months), (evaluate_time, status) = interleaved(
        [
            lambda: pt.timeline(book, program, start, end),
            lambda: pt.evaluate(book, program, as_of=end),
        ],
        3,
    )
    if len(months) != 36 or months[end] != status:
        raise SystemExit("the timeline and evaluate disagree: no ratio to report")
    ratio = timeline_time / evaluate_time
    print(f"pt.timeline, {len(months)} months          {fmt(timeline_time):>10}")
    print(f"pt.evaluate, one date              {fmt(evaluate_time):>10}")
    print(f"timeline / evaluate = {ratio:.2f}x (target <= 1.5x): {verdict(ratio <= 1.5)}")
    RESULTS["b"] = {"timeline": timeline_time, "evaluate": evaluate_time, "ratio": ratio}


def section_c(sizes: list[str], program: pt.Program) -> None:
    header("c. cost vs ledger size")
    print(
        f"{'size':<5}{'deals':>7}{'batches':>9}{'generate':>11}{'ledger':>11}"
        f"{'evaluate':>11}{'us/batch':>10}{'t/(n log n) vs S':>18}"
    )
    rows = []
    base = None
    for size in sizes:
        repeats = {"S": 5, "M": 3}.get(size, 1)
        generate, book = best(functools.partial(synthetic.book, size, SEED), 1)
        (ledger_time, ledger), (evaluate_time, _) = interleaved(
            [
                functools.partial(pt.build_ledger, book, program),
                functools.partial(pt.evaluate, book, program, AS_OF),
            ],
            repeats,
        )
        n = len(ledger)
        per_nlogn = evaluate_time / (n * math.log2(n))
        base = base or per_nlogn
        print(
            f"{size:<5}{len(book.deals):>7}{n:>9}{fmt(generate):>11}{fmt(ledger_time):>11}"
            f"{fmt(evaluate_time):>11}{evaluate_time / n * 1e6:>10.1f}{per_nlogn / base:>18.2f}"
        )
        rows.append(
            {
                "size": size,
                "deals": len(book.deals),
                "batches": n,
                "generate": generate,
                "build_ledger": ledger_time,
                "evaluate": evaluate_time,
                "us_per_batch": evaluate_time / n * 1e6,
                "nlogn_vs_S": per_nlogn / base,
            }
        )
        del book, ledger
    print("n log n holds while the last column stays near 1 (it does not grow with n).")
    RESULTS["c"] = rows


def _portfolio_loader(seed: int, key: tuple[int, int]) -> Iterator[pt.Book]:
    first, count = key
    return synthetic.portfolio(count, seed, first=first)


def section_d(partners: int, a: pt.Program, b: pt.Program, *, dask_workers: int) -> None:
    header(f"d. program impact of {partners:,} partners vs a polars query")
    # The library first: its peak memory is read before the polars tables exist.
    gc.collect()
    reset_peak_memory()
    books: Timed[pt.Book] = Timed(synthetic.portfolio(partners, SEED))
    deals = 0

    def counted() -> Iterator[pt.Book]:
        nonlocal deals
        for book in books:
            deals += len(book.deals)
            yield book

    start = time.perf_counter()
    matrix = pt.program_impact(counted(), a, b, as_of=AS_OF)
    total = time.perf_counter() - start
    library = total - books.seconds
    library_peak = peak_memory_mb()
    print(f"portfolio: {partners:,} partners, {deals:,} deals (about 1.15 batches a deal)")
    print(f"generating the books                   {fmt(books.seconds):>10}  (not counted)")
    print(f"pt.program_impact (2 programs)         {fmt(library):>10}")
    print(f"  per partner                          {fmt(library / partners):>10}")
    print(f"  peak memory (resident)               {library_peak:>8.0f} MB")
    print(f"  moves: up {matrix.up}, down {matrix.down}, same {matrix.same}")
    dask_time = None
    if dask_workers:
        dask_time = _dask_run(partners, dask_workers, total)
    gc.collect()
    reset_peak_memory()
    again: Timed[pt.Book] = Timed(synthetic.portfolio(partners, SEED))
    convert_start = time.perf_counter()
    frames = reference_polars.frames(again)
    convert = time.perf_counter() - convert_start - again.seconds
    polars_time, counts = best(
        lambda: reference_polars.impact(frames, a, b, AS_OF), 1 if partners > 2000 else 3
    )
    polars_peak = peak_memory_mb()
    ratio = library / polars_time
    print(f"books to polars tables (minus generation) {fmt(convert):>7}  (not counted)")
    print(f"polars query (2 programs, points only) {fmt(polars_time):>10}")
    print(f"  peak memory (resident, with tables)  {polars_peak:>8.0f} MB")
    print(f"  points-only moves: {sum(n for (x, y), n in counts.items() if x != y):,} change")
    print(
        f"library / polars = {ratio:.1f}x (target <= 1.5x): {verdict(ratio <= 1.5)}; "
        f"peak {library_peak:.0f} MB (target < 2048 MB): {verdict(library_peak < 2048)}"
    )
    RESULTS.setdefault("d", []).append(
        {
            "partners": partners,
            "deals": deals,
            "generate": books.seconds,
            "library": library,
            "library_peak_mb": library_peak,
            "dask_end_to_end": dask_time,
            "sequential_end_to_end": total,
            "polars_frames": convert,
            "polars": polars_time,
            "polars_peak_mb": polars_peak,
            "ratio": ratio,
        }
    )


def _dask_run(partners: int, workers: int, sequential: float) -> float | None:
    """The same impact with one Dask task per partition on a local process cluster;
    each task generates its own books, so this is end to end (generation included)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("dask[distributed] is not installed: no Dask run")
        return None
    # Enough partitions to keep every worker busy to the end, at most 50 partners each.
    size = max(1, min(50, math.ceil(partners / (workers * 8))))
    partitions = [(first, min(size, partners - first)) for first in range(0, partners, size)]
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        start = time.perf_counter()
        result = portfolio.evaluate_portfolio_dask(
            partitions,
            functools.partial(_portfolio_loader, SEED),
            ["hubspot-2024", "hubspot-2025"],
            as_of=AS_OF,
            scheduler=client,
        )
        elapsed = time.perf_counter() - start
    print(
        f"Dask, {workers} worker processes, end to end {fmt(elapsed):>10}  "
        f"(sequential end to end {fmt(sequential)}: {sequential / elapsed:.2f}x), "
        f"{len(result):,} partners"
    )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, about a minute")
    parser.add_argument("--partners", type=int, nargs="*", help="portfolio sizes to run")
    parser.add_argument("--sections", default="abcd", help="which sections, e.g. ab")
    parser.add_argument(
        "--budget", type=float, default=600, help="skip a portfolio estimated above (seconds)"
    )
    parser.add_argument("--dask-workers", type=int, default=2, help="0: no Dask run")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    options = parser.parse_args()
    machine()
    program = pt.load_program("hubspot-2025")
    a, b = pt.load_program("hubspot-2024"), program
    if {"a", "b"} & set(options.sections):
        book = synthetic.book("M", SEED)
        if "a" in options.sections:
            section_a(book, program, 5 if options.quick else 9)
        if "b" in options.sections:
            section_b(book, program)
        del book
    if "c" in options.sections:
        section_c(["S", "M"] if options.quick else ["S", "M", "L"], program)
    if "d" in options.sections:
        sizes = options.partners or ([100] if options.quick else [1_000, 10_000])
        per_partner = None
        for partners in sizes:
            if per_partner is not None and per_partner * partners > options.budget:
                header(f"d. program impact of {partners:,} partners: skipped")
                print(
                    f"estimated {per_partner * partners:,.0f} s from the last run "
                    f"({per_partner:.3f} s a partner, linear): over the --budget of "
                    f"{options.budget:.0f} s"
                )
                RESULTS.setdefault("d_skipped", []).append(
                    {"partners": partners, "estimate": per_partner * partners}
                )
                continue
            start = time.perf_counter()
            section_d(partners, a, b, dask_workers=options.dask_workers)
            per_partner = (time.perf_counter() - start) / partners
    print(f"\nload average at the end: {load_average()}")
    RESULTS["load_average_end"] = load_average()
    if options.json:
        options.json.write_text(json.dumps(RESULTS, indent=2, default=str))


if __name__ == "__main__":
    main()
