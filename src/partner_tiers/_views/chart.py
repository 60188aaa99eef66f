"""The progress chart, like the dashboard's: points per track over the months, with the
next tier's reach lines. Needs the ``plot`` extra (matplotlib); the core never imports it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from partner_tiers._errors import require

__all__ = ["FIGURE_LABELS", "breakdown_figures", "line_label", "progress_chart"]

FIGURE_LABELS = {"sourced": "sourced (of sold)", "assisted": "assisted (of sold)"}
"""How the chart names a points figure: sourced and assisted are parts of sold."""


def line_label(name: str) -> str:
    """The legend's name of a track or points figure."""
    return FIGURE_LABELS.get(name, name)


def breakdown_figures(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The points figures (sold, sourced, assisted, managed, total) the chart draws
    besides the tracks: those that are not a track themselves and are not zero in every
    row (a program of MRR tracks has no points to show)."""
    if not rows:
        return []
    tracks = {key.removeprefix("value.") for row in rows for key in row if key.startswith("value.")}
    figures = [key.removeprefix("points.") for key in rows[-1] if key.startswith("points.")]
    return [
        name
        for name in figures
        if name not in tracks and any(row.get(f"points.{name}") for row in rows)
    ]


def progress_chart(program: str, rows: Sequence[Mapping[str, Any]], ax: Any = None) -> Any:
    """Draw the progress chart on ``ax`` (a new figure when None) and return the axes.

    Args:
        program: the program's ``name@version``, for the title.
        rows: one mapping per month, as ``Progress.rows``: as_of, value.<track>,
            reach.<track> (None where no tier is above) and points.<figure>; the figures
            that are not tracks (`breakdown_figures`) are drawn dotted.
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
        values = [float(row[f"value.{track}"]) for row in rows]
        ax.plot(days, values, label=line_label(track), color=color)
        reach = [row.get(f"reach.{track}") for row in rows]
        if any(value is not None for value in reach):
            ax.step(
                days,
                [float(value) if value is not None else float("nan") for value in reach],
                where="post",
                linestyle="--",
                color=color,
                label=f"{line_label(track)}: next tier",
            )
    for index, name in enumerate(breakdown_figures(rows), start=len(tracks)):
        values = [float(row.get(f"points.{name}", 0)) for row in rows]
        ax.plot(days, values, label=line_label(name), color=f"C{index}", linestyle=":")
    ax.set_title(f"Progress ({program})")
    ax.set_ylabel("points")
    ax.legend(loc="upper left", fontsize="small")
    ax.grid(alpha=0.3)
    return ax
