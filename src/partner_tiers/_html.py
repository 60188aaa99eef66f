"""HTML tables for notebooks (``_repr_html_``) and reports. Every user string is escaped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from partner_tiers._engine.status import TierStatus

__all__ = ["gates_table", "status_html", "table_html", "tracks_table"]


def _cell(value: object) -> str:
    return escape("" if value is None else str(value))


def table_html(headers: Sequence[str], rows: Iterable[Sequence[object]], caption: str = "") -> str:
    """A plain HTML table with escaped content."""
    head = "".join(f"<th>{_cell(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{_cell(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def tracks_table(status: TierStatus) -> str:
    """Tracks against the next tier's reach lines and the held tier's retain lines."""
    caption = (
        f"Tier {status.tier or 'untiered'} (qualified {status.qualified_tier or 'untiered'})"
        f" - {status.program} as of {status.as_of}"
    )
    return table_html(
        ["track", "value", f"next tier ({status.next_tier or '-'}) line", "retain line", "surplus"],
        (
            [
                track,
                value,
                status.next_tier_reach.get(track, ""),
                status.retain_minimum.get(track, ""),
                status.to_keep_tier.get(track, ""),
            ]
            for track, value in status.values.items()
        ),
        caption,
    )


def gates_table(status: TierStatus) -> str:
    """Every gate with passed or failed and its reason."""
    return table_html(
        ["gate", "passed", "reason"],
        ([gate.name, "yes" if gate.passed else "no", gate.reason] for gate in status.gates),
        "Gates",
    )


def status_html(status: TierStatus) -> str:
    """A tier status as HTML: tier, tracks against the next tier and retain lines, gates."""
    return f"<div class='partner-tiers-status'>{tracks_table(status)}{gates_table(status)}</div>"
