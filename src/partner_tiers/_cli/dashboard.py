"""The dashboard commands: demo, evaluate, explain, validate and report."""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import click

from partner_tiers._engine.evaluate import evaluate
from partner_tiers._engine.status import TierStatus, gate_guards
from partner_tiers._errors import FileFormatError
from partner_tiers._io.bookfile import demo_book, dumps_book, load_book
from partner_tiers._io.programfile import load_series
from partner_tiers._model.book import Book
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries

if TYPE_CHECKING:
    pass
from partner_tiers._cli.base import (
    DEMO_AS_OF,
    EXIT_BAD_INPUT,
    as_of_option,
    cli,
    kind_of_file,
    known_at_option,
    parse_date,
    printable,
    program_option,
    read_book,
    read_program,
)


def _bar(value: Decimal, line: Decimal | None, width: int = 30) -> str:
    if line is None or line <= 0:
        return ""
    filled = min(width, int(value / line * width)) if value > 0 else 0
    return "[" + "#" * filled + "." * (width - filled) + "]"


def _team_lines(book: Book) -> list[str]:
    from partner_tiers._views.team import team

    contacts = team(book).rows
    lines = ["", "HubSpot team" + ("" if contacts else ": none in the book")]
    for contact in contacts:
        lines.append(f"  {contact.title}: {contact.name}  {contact.mailto}")
        if contact.description:
            lines.append(f"    {contact.description}")
    return [printable(line) for line in lines]


def _points_lines(status: TierStatus) -> list[str]:
    """The level performance: sold (of which sourced and assisted) and managed points."""
    points = status.points
    return [
        "",
        f"Points: sold {points['sold']} (sourced {points['sourced']}, assisted "
        f"{points['assisted']})   managed {points['managed']}   total {points['total']}",
    ]


def _plan_lines(book: Book, status: TierStatus, program: Program | ProgramSeries) -> list[str]:
    """The plan to keep the tier held and to reach the next (see `partner-tiers plan`)."""
    from partner_tiers._views.plan import plan

    lines = ["", f"Plan for the review on {status.next_review}"]
    for goal in ("keep", "reach"):
        made = plan(book, program, as_of=status.as_of, goal=goal)
        if made.tier is None:
            continue
        lines.append(f"  to {goal} {made.tier}: {made.reason}")
        lines += [f"    by {action.by}: {action.description}" for action in made.actions]
        if goal == "keep" and made.cliff_date is not None:
            lines.append(f"    if nothing is done, the held tier fails on {made.cliff_date}")
    return [printable(line) for line in lines]


def _dashboard(book: Book, status: TierStatus, program: Program | ProgramSeries) -> str:
    from partner_tiers._views.dashboard import ALERT_HORIZON_DAYS, alerts
    from partner_tiers._views.points import points_breakdown
    from partner_tiers._views.projection import projection

    lines = [
        f"{book.partner.name} ({book.partner.id}) - {status.program} as of {status.as_of}",
        f"Tier: {status.tier or 'untiered'}   qualified: {status.qualified_tier or 'untiered'}"
        f"   next: {status.next_tier or '-'}   next review: {status.next_review}"
        f" (projected {status.projected_tier or 'untiered'})",
        "",
        "Tracks            value      next-tier line   retain line",
    ]
    for track, value in status.values.items():
        reach = status.next_tier_reach.get(track)
        retain = status.retain_minimum.get(track)
        lines.append(
            f"  {track:<14}{value:>10}   {reach if reach is not None else '-':>12}   "
            f"{retain if retain is not None else '-':>11}  {_bar(value, reach)}"
        )
    lines += _points_lines(status)
    lines += ["", *projection(book, program, as_of=status.as_of).lines()]
    lines += ["", "Gates"]
    for gate in status.gates:
        lines.append(
            f"  {'PASS' if gate.passed else 'FAIL'}  {gate.name} ({gate_guards(gate)}): "
            f"{gate.reason}"
        )
    due = alerts(book, as_of=status.as_of)
    lines += ["", f"Alerts: {len(due.items)} renewal decisions within {ALERT_HORIZON_DAYS} days"]
    for item in due.items:
        lines.append(
            f"  {item.renews_on}  {item.client_name} ({item.subscription}) owner: "
            f"{item.renewal_owner or '-'}"
        )
    breakdown = points_breakdown(book, program, as_of=status.as_of)
    lines += _plan_lines(book, status, program)
    lines += _team_lines(book)
    lines += ["", "Top clients by points"]
    for row in sorted(breakdown.rows, key=lambda r: -r.total)[:5]:
        lines.append(
            f"  {row.client_name:<24} sold {row.sold:>8}  managed {row.managed:>8}  "
            f"total {row.total:>8}"
        )
    return "\n".join(lines)


@cli.command()
@click.option(
    "--as-of",
    callback=parse_date,
    default=DEMO_AS_OF.isoformat(),
    show_default=True,
    metavar="DATE",
    help="The date of the evaluation, YYYY-MM-DD.",
)
@program_option
@click.option(
    "--write-book",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE",
    help="Write the demo book's JSON to FILE instead (a start for your own).",
)
@click.option("--force", is_flag=True, help="Let --write-book replace an existing file.")
@known_at_option
def demo(
    as_of: dt.date, program_name: str, write_book: str | None, force: bool, known_at: dt.date | None
) -> None:
    """Print the dashboard of the built-in demo book."""
    book = demo_book()
    if write_book is not None:
        from partner_tiers._io.files import write_atomically

        if not force and Path(write_book).exists():
            raise click.UsageError(f"{write_book} exists: pass --force to replace it")
        write_atomically(Path(write_book), dumps_book(book))
        click.echo(f"wrote {write_book}")
        return
    program = read_program(program_name)
    status = evaluate(book, program, as_of=as_of, known_at=known_at)
    click.echo(_dashboard(_known(book, known_at), status, program))


def _known(book: Book, known_at: dt.date | None) -> Book:
    return book if known_at is None else book.known_at(known_at)


@cli.command("evaluate")
@click.argument("book_path", metavar="BOOK")
@program_option
@as_of_option
@known_at_option
@click.option("--json", "as_json", is_flag=True, help="Print the JSON contract instead.")
def evaluate_command(
    book_path: str, program_name: str, as_of: dt.date, known_at: dt.date | None, as_json: bool
) -> None:
    """Evaluate BOOK under a program on a date."""
    book = read_book(book_path)
    program = read_program(program_name)
    status = evaluate(book, program, as_of=as_of, known_at=known_at)
    book = _known(book, known_at)
    if as_json:
        click.echo(json.dumps(status.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(_dashboard(book, status, program))


@cli.command()
@click.argument("book_path", metavar="BOOK")
@program_option
@as_of_option
@known_at_option
def explain(book_path: str, program_name: str, as_of: dt.date, known_at: dt.date | None) -> None:
    """Explain every number of BOOK's status on a date."""
    book, program = read_book(book_path), read_program(program_name)
    status = evaluate(book, program, as_of=as_of, known_at=known_at)
    click.echo(str(status.explain()))


@cli.command()
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--book", "kind", flag_value="book", help="Check FILE as a book.")
@click.option("--program", "kind", flag_value="program", help="Check FILE as a program.")
def validate(path: str, kind: str | None) -> None:
    """Check a book or program file; print every problem.

    FILE is a book or a program by its keys (a program when they do not tell), unless
    --book or --program says which.
    """
    try:
        if (kind or kind_of_file(path)) == "book":
            book = load_book(path)
            summary = f"book of {book.partner.name}, {len(book.clients)} clients"
        else:
            program = load_series(path)
            if len(program.versions) == 1 and program.name == program.versions[0].label:
                summary = f"{program.label}, {len(program.versions[0].tiers)} tiers"
            elif isinstance(program, ProgramSeries):
                summary = f"series {program.label}, {len(program.versions)} versions"
            else:
                summary = f"{program.label}, {len(program.tiers)} tiers"
    except FileFormatError as error:
        for line in error.lines():
            click.echo(printable(line), err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(f"{path}: valid ({summary})")


@cli.command()
@click.argument("book_path", metavar="BOOK")
@program_option
@as_of_option
@known_at_option
@click.option(
    "--html",
    "html_path",
    required=True,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="The HTML file to write (replaced if it exists).",
)
@click.option(
    "--months",
    default=12,
    show_default=True,
    type=click.IntRange(1, 1200),
    help="Months of progress to chart.",
)
def report(
    book_path: str,
    program_name: str,
    as_of: dt.date,
    known_at: dt.date | None,
    html_path: str,
    months: int,
) -> None:
    """Write an HTML dashboard of BOOK.

    The page is self-contained (no script, nothing from the network) and written
    atomically.
    """
    from partner_tiers._io.files import write_atomically
    from partner_tiers._views.report import report_html

    book = _known(read_book(book_path), known_at)
    page = report_html(book, read_program(program_name), as_of=as_of, months=months)
    write_atomically(Path(html_path), page)
    click.echo(f"wrote {html_path}")
