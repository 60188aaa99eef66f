"""Benchmarks: partner_tiers against what a notebook user would write instead, and scale.

Run from the repository root::

    python benchmarks/run.py            # S, M and L books; portfolios of 1,000 and 10,000
    python benchmarks/run.py --quick    # S and M books; a portfolio of 100 partners
    python benchmarks/run.py --quick --sections c --sizes S,M,L,XL   # section c only

Sections (each prints its figures, the ratio and whether the issue's target is met):

a. evaluate an M book (500 clients, 5,000 deals) on one date, against the pandas,
   polars and same-work numpy references (issue 15's targets: the library at
   least 2x faster than pandas (a), 10x with the ledger built (a'));
b. a 36-month ``pt.timeline`` of the M book against one ``pt.evaluate`` (target: at most
   1.5x);
c. cost against ledger size, S / M / L (XL, 500,000 deals, with ``--sizes``): time per
   batch (target: flat within 1.5x), an n log n check, and the memory the built ledger
   keeps (tracemalloc; target: at most 300 bytes a batch);
d. the impact of hubspot-2024 -> hubspot-2025 on a synthetic portfolio against a
   hand-written polars query on the same data (target: at most 1.5x the polars time on
   one core, peak memory under 2 GB); then the same impact with ``--jobs`` worker
   processes that make the books themselves (target: 10,000 partners in under 2 minutes
   with 2 jobs; estimated from a smaller run by extrapolation, and marked so).

Times are wall-clock ``time.perf_counter`` medians of interleaved repeats (one call of
each contender per round), in one process; the Dask and ``--jobs`` runs of section d are
single runs, end to end. The load average is printed at the start and the end. Book
generation and the conversion of books to data frames are timed apart and left out of the
ratios: a notebook user has the tables already, the library the books. No timing is
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
import multiprocessing
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import partner_tiers as pt
from partner_tiers import portfolio, synthetic
from partner_tiers._views.impact import program_impact_of

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
    # The references (beside this script) are imported where they are used: a worker
    # process of section d imports this script, and needs neither pandas nor polars.
    import reference_numpy
    import reference_pandas
    import reference_polars

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
    ratio_with_ledger = pandas_time / replay_time
    print(f"(a)  pandas / pt.evaluate = {ratio:.2f}x (target >= 2x): {verdict(ratio >= 2)}")
    print(
        f"(a') pandas / pt.evaluate(ledger=) = {ratio_with_ledger:.2f}x (target >= 10x): "
        f"{verdict(ratio_with_ledger >= 10)}"
    )
    print(f"pt.evaluate / numpy same work = {evaluate_time / numpy_time:.1f}x")
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
        "ratio_with_ledger": ratio_with_ledger,
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


SIZES: dict[str, str | int] = {"S": "S", "M": "M", "L": "L", "XL": 50_000}
"""Section c's book sizes: the named sizes of `synthetic.SIZES`, and XL, 10x L (50,000
clients, 500,000 deals), run only when ``--sizes`` names it."""


def ledger_bytes(book: pt.Book, program: pt.Program) -> tuple[int, int]:
    """The bytes the built ledger keeps (tracemalloc: what ``pt.build_ledger`` allocated
    and did not free, after one ``ledger.totals``), and its number of batches. Run after
    the book has been priced once, so the book's own caches are not counted."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        ledger = pt.build_ledger(book, program)
        ledger.totals(AS_OF)
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    return kept, len(ledger)


def section_c(sizes: list[str], program: pt.Program) -> None:
    header("c. cost vs ledger size")
    if "XL" in sizes:
        print("XL: making a book of 500,000 deals, and pricing it, may take minutes")
    print(
        f"{'size':<5}{'deals':>8}{'batches':>9}{'generate':>11}{'1st eval':>11}{'ledger':>11}"
        f"{'evaluate':>11}{'us/batch':>10}{'bytes/batch':>13}"
        f"{'t/(n log n) vs ' + sizes[0]:>18}"
    )
    rows: list[dict[str, Any]] = []
    base = None
    for size in sizes:
        repeats = {"S": 5, "M": 3}.get(size, 1)
        generate, book = best(functools.partial(synthetic.book, SIZES[size], SEED), 1)
        # The first evaluate of a new book also turns the book into columns, which the
        # book keeps: the repeats after it (and the memory figure) leave that out.
        first, _ = best(functools.partial(pt.evaluate, book, program, as_of=AS_OF), 1)
        (ledger_time, ledger), (evaluate_time, _) = interleaved(
            [
                functools.partial(pt.build_ledger, book, program),
                functools.partial(pt.evaluate, book, program, as_of=AS_OF),
            ],
            repeats,
        )
        n = len(ledger)
        del ledger
        kept, batches = ledger_bytes(book, program)
        if batches != n:
            raise SystemExit(f"{size}: the ledger has {batches} batches, then {n}")
        per_nlogn = evaluate_time / (n * math.log2(n))
        base = base or per_nlogn
        print(
            f"{size:<5}{len(book.deals):>8}{n:>9}{fmt(generate):>11}{fmt(first):>11}"
            f"{fmt(ledger_time):>11}"
            f"{fmt(evaluate_time):>11}{evaluate_time / n * 1e6:>10.1f}{kept / n:>13.0f}"
            f"{per_nlogn / base:>18.2f}"
        )
        rows.append(
            {
                "size": size,
                "deals": len(book.deals),
                "batches": n,
                "generate": generate,
                "evaluate_first": first,
                "build_ledger": ledger_time,
                "evaluate": evaluate_time,
                "us_per_batch": evaluate_time / n * 1e6,
                "ledger_bytes": kept,
                "bytes_per_batch": kept / n,
                "nlogn_vs_S": per_nlogn / base,
            }
        )
        del book
    print("n log n holds while the last column stays near 1 (it does not grow with n).")
    print("1st eval: pt.evaluate of the new book, once; ledger, evaluate: medians after it")
    print("bytes/batch: what a built ledger keeps after one totals query (tracemalloc)")
    most = max(row["bytes_per_batch"] for row in rows)
    print(
        f"ledger memory: at most {most:.0f} bytes a batch (target <= 300): {verdict(most <= 300)}"
    )
    # Max / min of us/batch over every size run, and over the sizes from M up (S's
    # fixed costs weigh on its few batches); None with fewer than two sizes.
    flatness: dict[str, Any] = {"target": 1.5, "sizes": [row["size"] for row in rows]}
    for label, chosen in (
        ("all", rows),
        ("from_M", [row for row in rows if row["size"] != "S"]),
    ):
        if len(chosen) < 2:
            flatness[label] = None
            continue
        per_batch = [row["us_per_batch"] for row in chosen]
        flat = max(per_batch) / min(per_batch)
        flatness[label] = flat
        if label == "from_M" and len(chosen) == len(rows):
            continue  # the same sizes as "all": printed once
        names = "/".join(row["size"] for row in chosen)
        print(
            f"us/batch flatness over {names}: max / min = {flat:.2f}x (target <= 1.5x): "
            f"{verdict(flat <= 1.5)}"
        )
    RESULTS["c"] = rows
    RESULTS["c_flatness"] = flatness


def _portfolio_loader(seed: int, key: tuple[int, int]) -> Iterator[pt.Book]:
    first, count = key
    return synthetic.portfolio(count, seed, first=first)


def _partner_book(seed: int, index: int) -> pt.Book:
    """Partner ``index`` of the synthetic portfolio of ``seed``: the same book as
    ``synthetic.portfolio(n, seed)`` gives at that index. The source of the ``--jobs``
    run: an int travels to the worker, which makes the book there. (A worker started
    with "spawn" imports this script as ``__mp_main__``, with this process's sys.path.)"""
    return next(synthetic.portfolio(1, seed, first=index))


def _nothing(_: int) -> None:
    return None


def worker_start(jobs: int) -> float:
    """The time to start ``jobs`` worker processes with "spawn" (each imports this
    script and partner_tiers) and run a trivial task in each: the fixed cost of a
    ``--jobs`` run, left out of its extrapolation."""
    start = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        list(pool.map(_nothing, range(jobs)))
    return time.perf_counter() - start


def expected_deals(partners: int) -> float:
    """The expected number of deals of a synthetic portfolio of that many partners."""
    mix = synthetic.PORTFOLIO_MIX
    counts = [synthetic.SIZES[size][1] if isinstance(size, str) else size * 10 for size, _ in mix]
    shares = [share for _, share in mix]
    return partners * sum(c * w for c, w in zip(counts, shares, strict=True)) / sum(shares)


def _jobs_run(
    partners: int,
    deals: int,
    a: pt.Program,
    b: pt.Program,
    *,
    jobs: int,
    matrix: pt.ImpactMatrix,
    sequential: float,
    library: float,
) -> dict[str, Any]:
    """The library's impact with ``jobs`` worker processes, each making its own books
    (end to end, generation included, as the Dask run), checked against the one-core
    matrix, with an estimate for 10,000 partners when the run is of another size."""
    startup = worker_start(jobs)
    start = time.perf_counter()
    parallel = program_impact_of(
        range(partners), functools.partial(_partner_book, SEED), a, b, as_of=AS_OF, jobs=jobs
    )
    elapsed = time.perf_counter() - start
    equal = parallel == matrix
    print(
        f"--jobs {jobs}, end to end (books made in the workers) {fmt(elapsed):>10}  "
        f"(one core end to end {fmt(sequential)}: {sequential / elapsed:.2f}x)"
    )
    print(f"  starting {jobs} workers (spawn, imports)  {fmt(startup):>10}  (measured apart)")
    print(f"  same ImpactMatrix as the one-core run: {equal}")
    # Without the books' generation, which reading book files (the CLI) replaces: the
    # one-core run's share of evaluation applied to the parallel run's work.
    work = max(0.0, elapsed - startup)
    evaluation = startup + work * library / sequential
    target = 10_000
    if partners == target:
        estimate, estimate_evaluation, how = elapsed, evaluation, "measured"
    else:
        # Linear in deals (the portfolio's L books are rare: a small run may have none),
        # the workers' start-up counted once.
        scale = expected_deals(target) / deals
        estimate = startup + work * scale
        estimate_evaluation = startup + (evaluation - startup) * scale
        how = f"ESTIMATE, linear in deals from {partners:,} partners"
    print(
        f"10,000 partners with --jobs {jobs} ({how}): {fmt(estimate)} end to end "
        f"(target < 2 min): {verdict(estimate < 120)}; "
        f"{fmt(estimate_evaluation)} without making the books: "
        f"{verdict(estimate_evaluation < 120)}"
    )
    return {
        "jobs": jobs,
        "jobs_seconds": elapsed,
        "jobs_startup": startup,
        "jobs_equal": equal,
        "jobs_estimate_10000": estimate,
        "jobs_estimate_10000_without_generation": estimate_evaluation,
        "jobs_estimate_measured": partners == target,
    }


def section_d(partners: int, a: pt.Program, b: pt.Program, *, dask_workers: int, jobs: int) -> None:
    header(f"d. program impact of {partners:,} partners vs a polars query")
    import reference_polars

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
    parallel: dict[str, Any] = {
        "jobs": jobs,
        "jobs_seconds": None,
        "jobs_equal": None,
        "jobs_estimate_10000": None,
    }
    if jobs > 1:
        parallel = _jobs_run(
            partners, deals, a, b, jobs=jobs, matrix=matrix, sequential=total, library=library
        )
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
            **parallel,
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
    parser.add_argument(
        "--jobs",
        type=int,
        default=2,
        help="section d: worker processes of the parallel impact run (0: one per core; "
        "1: no parallel run)",
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: [size.strip().upper() for size in text.split(",") if size.strip()],
        help=f"section c's sizes, a comma list of {','.join(SIZES)} "
        "(default S,M; without --quick S,M,L)",
    )
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    options = parser.parse_args()
    for size in options.sizes or ():
        if size not in SIZES:
            parser.error(f"--sizes: {size!r} is none of {', '.join(SIZES)}")
    if options.jobs < 0:
        parser.error("--jobs must be >= 0")
    jobs = options.jobs
    if jobs == 0:  # one per core, as the library's jobs=0
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
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
        sizes = options.sizes or (["S", "M"] if options.quick else ["S", "M", "L"])
        section_c(sizes, program)
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
            section_d(partners, a, b, dask_workers=options.dask_workers, jobs=jobs)
            per_partner = (time.perf_counter() - start) / partners
    print(f"\nload average at the end: {load_average()}")
    RESULTS["load_average_end"] = load_average()
    if options.json:
        options.json.write_text(json.dumps(RESULTS, indent=2, default=str))


if __name__ == "__main__":
    main()
