"""The progress chart, like the dashboard's: points per track over the months, with the
next tier's reach lines. Needs the ``plot`` extra (matplotlib); the core never imports it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from partner_tiers._errors import require

__all__ = ["progress_chart"]


def progress_chart(program: str, rows: Sequence[Mapping[str, Any]], ax: Any = None) -> Any:
    """Draw the progress chart on ``ax`` (a new figure when None) and return the axes.

    Args:
        program: the program's ``name@version``, for the title.
        rows: one mapping per month, as ``Progress.rows``: as_of, value.<track> and
            reach.<track> (None where no tier is above).
        ax: the matplotlib axes to draw on.
    """
    with require("plot"):
        import matplotlib

    if ax is None:
        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        _figure, ax = plt.subplots(figsize=(9, 4.5))
    days = [row["as_of"] for row in rows]
    tracks = (
        [key.removeprefix("value.") for key in rows[0] if key.startswith("value.")] if rows else []
    )
    for index, track in enumerate(tracks):
        color = f"C{index}"
        ax.plot(days, [float(row[f"value.{track}"]) for row in rows], label=track, color=color)
        reach = [row.get(f"reach.{track}") for row in rows]
        if any(value is not None for value in reach):
            ax.step(
                days,
                [float(value) if value is not None else float("nan") for value in reach],
                where="post",
                linestyle="--",
                color=color,
                label=f"{track}: next tier",
            )
    ax.set_title(f"Progress ({program})")
    ax.set_ylabel("points")
    ax.legend(loc="upper left", fontsize="small")
    ax.grid(alpha=0.3)
    return ax
