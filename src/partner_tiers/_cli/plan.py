"""The ``plan`` command: the dated actions that keep the tier, or reach one, at the next
review."""

from __future__ import annotations

import datetime as dt
import json

import click

from partner_tiers._cli.base import (
    as_of_option,
    cli,
    json_option,
    program_option,
    read_book,
    read_program,
)


@cli.command("plan")
@click.argument("book_path", metavar="BOOK")
@program_option
@as_of_option
@click.option(
    "--reach",
    "reach",
    default=None,
    metavar="TIER",
    help="Plan to reach TIER at the next review (default: keep the tier held).",
)
@click.option(
    "--reach-next",
    is_flag=True,
    default=False,
    help="Plan to reach the tier above the one held.",
)
@json_option
def plan_command(
    book_path: str,
    program_name: str,
    as_of: dt.date,
    reach: str | None,
    reach_next: bool,
    as_json: bool,
) -> None:
    """Dated actions that keep or reach a tier at the next review.

    The fewest actions for BOOK, verified by a what-if.
    """
    from partner_tiers._views.plan import plan

    goal = "reach" if reach is not None or reach_next else "keep"
    result = plan(
        read_book(book_path), read_program(program_name), as_of=as_of, goal=goal, tier=reach
    )
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(str(result))
