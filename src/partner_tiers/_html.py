"""HTML tables for notebooks (``_repr_html_``) and reports. Every user string is escaped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from partner_tiers._engine import TierStatus

__all__ = ["status_html", "table_html"]


def _cell(value: object) -> str:
    return escape("" if value is None else str(value))


def table_html(headers: Sequence[str], rows: Iterable[Sequence[object]], caption: str = "") -> str:
    """A plain HTML table with escaped content."""
    head = "".join(f"<th>{_cell(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{_cell(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def status_html(status: TierStatus) -> str:
    """A tier status as HTML: tier, tracks against the next tier and retain lines, gates."""
    caption = (
        f"{status.program} as of {status.as_of}: tier {status.tier or 'untiered'} "
        f"(qualified {status.qualified_tier or 'untiered'})"
    )
    tracks = table_html(
        ["track", "value", f"to reach {status.next_tier or '-'}", "retain minimum", "surplus"],
        (
            [
                track,
                value,
                status.to_next_tier.get(track, ""),
                status.retain_minimum.get(track, ""),
                status.to_keep_tier.get(track, ""),
            ]
            for track, value in status.values.items()
        ),
        caption,
    )
    gates = table_html(
        ["gate", "passed", "reason"],
        ([gate.name, "yes" if gate.passed else "no", gate.reason] for gate in status.gates),
    )
    return f"<div class='partner-tiers-status'>{tracks}{gates}</div>"
