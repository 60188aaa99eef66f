"""A self-contained static HTML dashboard: no script, no network at view time; the
progress chart is inline SVG. Every string from the book is escaped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from html import escape
from typing import Any

from attrs import frozen
from dateutil.relativedelta import relativedelta

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._engine.evaluate import evaluate
from partner_tiers._engine.ledgers import build_ledger
from partner_tiers._engine.status import gates_table, tracks_table
from partner_tiers._html import table_html
from partner_tiers._ledger.ledger import PointsLedger
from partner_tiers._model.book import Book
from partner_tiers._model.deprecated import keyword_as_of
from partner_tiers._model.values import check_count, check_day
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries
from partner_tiers._views.chart import breakdown_figures, line_label
from partner_tiers._views.company import client_links, links_html
from partner_tiers._views.dashboard import ALERT_HORIZON_DAYS, alerts, clients_table
from partner_tiers._views.plan import plans_html
from partner_tiers._views.points import Progress, points_breakdown, progress
from partner_tiers._views.projection import projection, projection_html
from partner_tiers._views.team import team, team_html

__all__ = ["progress_svg", "report_html"]

_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")
_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; }
caption { font-weight: bold; text-align: left; padding: .3rem 0; }
.pass { color: #2ca02c; } .fail { color: #d62728; }
"""


def _legend(names: list[str], left: int, baseline: int) -> list[str]:
    """The chart's legend: each line's name in its colour, in one row."""
    return [
        f"<text class='legend' x='{left + 130 * index}' y='{baseline}' font-size='12' "
        f"fill='{_COLORS[index % len(_COLORS)]}'>{escape(line_label(name))}</text>"
        for index, name in enumerate(names)
    ]


@frozen
class _Frame:
    """The chart's plotting area: where a month and a value are drawn."""

    months: int
    top: Decimal
    left: int
    bottom: int
    right: int
    upper: int

    def x(self, index: int) -> float:
        return self.left + (self.right - self.left) * index / max(1, self.months - 1)

    def y(self, value: Decimal) -> float:
        return self.bottom - float(value / self.top) * (self.bottom - self.upper)

    def points(self, rows: Sequence[Mapping[str, Any]], key: str) -> str:
        """The polyline points of a row key, over the months that have it."""
        return " ".join(
            f"{self.x(i):.1f},{self.y(Decimal(row[key])):.1f}"
            for i, row in enumerate(rows)
            if row.get(key) is not None
        )


def _axes(view: Progress, frame: _Frame, width: int, height: int) -> list[str]:
    rows = view.rows
    left, bottom, right, upper = frame.left, frame.bottom, frame.right, frame.upper
    return [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='progress-chart' width='{width}' "
        f"height='{height}' viewBox='0 0 {width} {height}' role='img'>",
        f"<title>{escape(f'Progress ({view.program})')}</title>",
        f"<line x1='{left}' y1='{bottom}' x2='{right}' y2='{bottom}' stroke='#888'/>",
        f"<line x1='{left}' y1='{upper}' x2='{left}' y2='{bottom}' stroke='#888'/>",
        f"<text x='5' y='{upper + 5}' font-size='11'>{escape(str(frame.top))}</text>",
        f"<text x='5' y='{bottom}' font-size='11'>0</text>",
        f"<text x='{left}' y='{height - 8}' font-size='11'>{escape(str(rows[0]['as_of']))}</text>",
        f"<text x='{right - 70}' y='{height - 8}' font-size='11'>"
        f"{escape(str(rows[-1]['as_of']))}</text>",
    ]


def progress_svg(view: Progress, width: int = 720, height: int = 320) -> str:
    """The progress chart as an SVG element: one line per track, dashed reach lines, and
    dotted lines for the sold breakdown (sold, sourced and assisted) that are not tracks."""
    rows = list(view.rows)
    if not rows:
        return "<svg xmlns='http://www.w3.org/2000/svg' class='progress-chart'></svg>"
    # Under a series the tracks are the latest version's; a track drawn where it exists.
    tracks = [k.removeprefix("value.") for k in rows[-1] if k.startswith("value.")]
    figures = breakdown_figures(rows)
    drawn = {f"points.{name}" for name in figures}
    values = [
        Decimal(row[key])
        for row in rows
        for key in row
        if (key.startswith(("value.", "reach.")) or key in drawn) and row[key] is not None
    ]
    frame = _Frame(len(rows), max([*values, Decimal(1)]), 50, height - 30, width - 10, 20)
    parts = _axes(view, frame, width, height)
    for index, name in enumerate(figures, start=len(tracks)):
        parts.append(
            f"<polyline class='figure' data-figure='{escape(name)}' fill='none' "
            f"stroke='{_COLORS[index % len(_COLORS)]}' stroke-width='2' "
            f"stroke-dasharray='2,3' points='{frame.points(rows, f'points.{name}')}'/>"
        )
    parts += _legend([*tracks, *figures], frame.left + 10, frame.upper - 5)
    for index, track in enumerate(tracks):
        color = _COLORS[index % len(_COLORS)]
        parts.append(
            f"<polyline class='track' data-track='{escape(track)}' fill='none' "
            f"stroke='{color}' stroke-width='2' points='{frame.points(rows, f'value.{track}')}'/>"
        )
        reach = frame.points(rows, f"reach.{track}")
        if reach:
            parts.append(
                f"<polyline class='reach' data-track='{escape(track)}' fill='none' "
                f"stroke='{color}' stroke-dasharray='5,4' points='{reach}'/>"
            )
    parts.append("</svg>")
    return "".join(parts)


@keyword_as_of("book", "program")
def report_html(
    book: Book,
    program: Program | ProgramSeries,
    *,
    as_of: dt.date,
    months: int = 12,
    within_days: int = ALERT_HORIZON_DAYS,
) -> str:
    """The dashboard of a book on a date as one HTML page (progress over ``months``,
    renewal alerts within ``within_days``)."""
    check_arguments(book, program)
    as_of = check_day("as_of", as_of)
    check_count("months", months, 1, 1200)
    check_count("within_days", within_days, 0, 36500)
    ledger = build_ledger(book, program)
    status = evaluate(book, program, as_of=as_of, ledger=ledger)
    start = as_of - relativedelta(months=months)
    chart = progress_svg(progress(book, program, start, as_of))
    partner = book.partner
    title = f"{partner.name} - {status.program} as of {as_of}"
    tracks = tracks_table(status)
    gates = gates_table(status)
    ahead = projection_html(projection(book, program, as_of=as_of, ledger=ledger))
    reasons = "".join(f"<li>{escape(line)}</li>" for line in status.reasons)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"<section id='progress'><h2>Progress</h2>{chart}</section>"
        f"<section id='tier'>{tracks}{gates}</section>"
        f"{plans_html(book, program, as_of)}"
        f"<section id='projection'><h2>Projection</h2>{ahead}</section>"
        f"<section id='alerts'>{_alerts_html(book, as_of, within_days)}</section>"
        f"<section id='clients'>{_clients_html(book, program, as_of)}</section>"
        f"{_links_section(book)}"
        f"<section id='team'>{team_html(team(book))}</section>"
        f"<section id='points'>{_points_html(book, program, as_of, ledger)}</section>"
        f"<section id='explanation'><h2>Explanation</h2><ul>{reasons}</ul></section>"
        "</body></html>"
    )


def _alerts_html(book: Book, as_of: dt.date, within_days: int) -> str:
    due = alerts(book, as_of=as_of, within_days=within_days)
    return table_html(
        ["renews on", "client", "subscription", "renewal owner"],
        ([a.renews_on, a.client_name, a.subscription, a.renewal_owner or ""] for a in due.rows),
        f"Alerts: {len(due.rows)} renewal decisions within {within_days} days",
    )


_CLIENT_COLUMNS = (
    "client",
    "domain",
    "industry",
    "products",
    "relationship",
    "tools",
    "engagement",
    "MRR",
    "MRR (USD)",
)


def _clients_html(book: Book, program: Program | ProgramSeries, as_of: dt.date) -> str:
    clients = clients_table(book, program, as_of=as_of)
    return table_html(
        _CLIENT_COLUMNS,
        (
            [
                r.name,
                book.client(r.client).domain,
                book.client(r.client).industry,
                ", ".join(r.products),
                r.relationship,
                r.tools_used,
                f"{r.engagement_index} ({r.engagement_band})",
                ", ".join(f"{v} {k}" for k, v in r.mrr.items()),
                r.mrr_usd,
            ]
            for r in clients.rows
        ),
        "Clients",
    )


def _points_html(
    book: Book, program: Program | ProgramSeries, as_of: dt.date, ledger: PointsLedger
) -> str:
    breakdown = points_breakdown(book, program, as_of=as_of, ledger=ledger)
    return table_html(
        ["client", "market", "sold", "managed", "total"],
        ([r.client_name, r.market, r.sold, r.managed, r.total] for r in breakdown.rows),
        "Points breakdown",
    )


def _links_section(book: Book) -> str:
    links = "".join(
        f"<li>{escape(client.name)}: {links_html(client_links(book, client))}</li>"
        for client in book.clients
        if client_links(book, client)
    )
    return f"<section id='links'><h2>Client links</h2><ul>{links}</ul></section>" if links else ""
