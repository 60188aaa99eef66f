"""A self-contained static HTML dashboard: no script, no network at view time; the
progress chart is inline SVG. Every string from the book is escaped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html import escape

from dateutil.relativedelta import relativedelta

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._engine.evaluate import evaluate
from partner_tiers._engine.ledgers import build_ledger
from partner_tiers._engine.status import gates_table, tracks_table
from partner_tiers._html import table_html
from partner_tiers._model.book import Book
from partner_tiers._model.deprecated import keyword_as_of
from partner_tiers._model.values import check_count, check_day
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries
from partner_tiers._views.chart import breakdown_figures, line_label
from partner_tiers._views.company import client_links, links_html
from partner_tiers._views.dashboard import alerts, clients_table
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
    top = max([*values, Decimal(1)])
    left, bottom, right, upper = 50, height - 30, width - 10, 20

    def x(index: int) -> float:
        return left + (right - left) * index / max(1, len(rows) - 1)

    def y(value: Decimal) -> float:
        return bottom - float(value / top) * (bottom - upper)

    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='progress-chart' width='{width}' "
        f"height='{height}' viewBox='0 0 {width} {height}' role='img'>",
        f"<title>{escape(f'Progress ({view.program})')}</title>",
        f"<line x1='{left}' y1='{bottom}' x2='{right}' y2='{bottom}' stroke='#888'/>",
        f"<line x1='{left}' y1='{upper}' x2='{left}' y2='{bottom}' stroke='#888'/>",
        f"<text x='5' y='{upper + 5}' font-size='11'>{escape(str(top))}</text>",
        f"<text x='5' y='{bottom}' font-size='11'>0</text>",
        f"<text x='{left}' y='{height - 8}' font-size='11'>{escape(str(rows[0]['as_of']))}</text>",
        f"<text x='{right - 70}' y='{height - 8}' font-size='11'>"
        f"{escape(str(rows[-1]['as_of']))}</text>",
    ]
    for index, name in enumerate(figures, start=len(tracks)):
        points = " ".join(
            f"{x(i):.1f},{y(Decimal(row[f'points.{name}'])):.1f}"
            for i, row in enumerate(rows)
            if row.get(f"points.{name}") is not None
        )
        parts.append(
            f"<polyline class='figure' data-figure='{escape(name)}' fill='none' "
            f"stroke='{_COLORS[index % len(_COLORS)]}' stroke-width='2' "
            f"stroke-dasharray='2,3' points='{points}'/>"
        )
    parts += _legend([*tracks, *figures], left + 10, upper - 5)
    for index, track in enumerate(tracks):
        color = _COLORS[index % len(_COLORS)]
        points = " ".join(
            f"{x(i):.1f},{y(Decimal(row[f'value.{track}'])):.1f}"
            for i, row in enumerate(rows)
            if f"value.{track}" in row
        )
        parts.append(
            f"<polyline class='track' data-track='{escape(track)}' fill='none' "
            f"stroke='{color}' stroke-width='2' points='{points}'/>"
        )
        reach = [
            f"{x(i):.1f},{y(Decimal(row[f'reach.{track}'])):.1f}"
            for i, row in enumerate(rows)
            if row.get(f"reach.{track}") is not None
        ]
        if reach:
            parts.append(
                f"<polyline class='reach' data-track='{escape(track)}' fill='none' "
                f"stroke='{color}' stroke-dasharray='5,4' points='{' '.join(reach)}'/>"
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
    within_days: int = 90,
) -> str:
    """The dashboard of a book on a date as one HTML page (progress over ``months``)."""
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
    due = alerts(book, as_of=as_of, within_days=within_days)
    alerts_table = table_html(
        ["renews on", "client", "subscription", "renewal owner"],
        ([a.renews_on, a.client_name, a.subscription, a.renewal_owner or ""] for a in due.rows),
        f"Alerts: {len(due.rows)} renewal decisions within {within_days} days",
    )
    clients = clients_table(book, as_of=as_of, program=program)
    clients_html = table_html(
        [
            "client",
            "domain",
            "industry",
            "products",
            "relationship",
            "tools",
            "engagement",
            "MRR",
            "MRR (USD)",
        ],
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
    breakdown = points_breakdown(book, program, as_of=as_of, ledger=ledger)
    points_html = table_html(
        ["client", "market", "sold", "managed", "total"],
        ([r.client_name, r.market, r.sold, r.managed, r.total] for r in breakdown.rows),
        "Points breakdown",
    )
    links = "".join(
        f"<li>{escape(client.name)}: {links_html(client_links(book, client))}</li>"
        for client in book.clients
        if client_links(book, client)
    )
    links_section = f"<section id='links'><h2>Client links</h2><ul>{links}</ul></section>"
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
        f"<section id='alerts'>{alerts_table}</section>"
        f"<section id='clients'>{clients_html}</section>"
        f"{links_section if links else ''}"
        f"<section id='team'>{team_html(team(book))}</section>"
        f"<section id='points'>{points_html}</section>"
        f"<section id='explanation'><h2>Explanation</h2><ul>{reasons}</ul></section>"
        "</body></html>"
    )
