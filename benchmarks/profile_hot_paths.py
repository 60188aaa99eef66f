"""Profiles of the two hot paths with pyinstrument: ``pt.evaluate`` of an M book and the
impact of hubspot-2024 -> hubspot-2025 on a synthetic portfolio.

Run from the repository root (needs ``pip install pyinstrument``)::

    python benchmarks/profile_hot_paths.py [--partners 50] [--html FOLDER]

It prints each call tree, heaviest first, with library frames only.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from pyinstrument import Profiler

import partner_tiers as pt
from partner_tiers import synthetic

AS_OF = dt.date(2025, 9, 30)


def profile(title: str, work: Callable[[], object], html: Path | None) -> None:
    profiler = Profiler(interval=0.0005)
    profiler.start()
    work()
    profiler.stop()
    print(f"\n== {title} ".ljust(80, "="))
    print(profiler.output_text(unicode=False, color=False, show_all=False))
    if html is not None:
        html.mkdir(parents=True, exist_ok=True)
        name = title.split(":")[0].replace(" ", "-")
        (html / f"{name}.html").write_text(profiler.output_html(), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=50)
    parser.add_argument("--html", type=Path, help="also write HTML profiles here")
    options = parser.parse_args()
    a, b = pt.load_program("hubspot-2024"), pt.load_program("hubspot-2025")
    book = synthetic.book("M", 1)
    profile(
        "evaluate: an M book on one date", lambda: pt.evaluate(book, b, as_of=AS_OF), options.html
    )
    books = list(synthetic.portfolio(options.partners, 1))  # generation left out
    profile(
        f"impact: {options.partners} partners, two programs",
        lambda: pt.program_impact(books, a, b, as_of=AS_OF),
        options.html,
    )


if __name__ == "__main__":
    main()
