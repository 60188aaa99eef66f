"""The ``compare`` command: why a book's status differs between two days, or between
what was known on two days (`explain_difference`)."""

from __future__ import annotations

import datetime as dt
import json

import click

from partner_tiers._cli.base import (
    as_of_option,
    cli,
    json_option,
    known_at_option,
    parse_date,
    program_option,
    read_book,
    read_program,
)
from partner_tiers._engine.evaluate import evaluate


@cli.command("compare")
@click.argument("book_path", metavar="BOOK")
@program_option
@as_of_option
@known_at_option
@click.option(
    "--to-as-of",
    callback=parse_date,
    required=True,
    metavar="DATE",
    help="The date of the second evaluation, YYYY-MM-DD.",
)
@click.option(
    "--to-known-at",
    callback=parse_date,
    default=None,
    metavar="DATE",
    help="Judge the second evaluation as the book was known on DATE.",
)
@json_option
def compare(
    book_path: str,
    program_name: str,
    as_of: dt.date,
    known_at: dt.date | None,
    to_as_of: dt.date,
    to_known_at: dt.date | None,
    as_json: bool,
) -> None:
    """Explain why BOOK's status differs between two dates."""
    from partner_tiers._views.difference import explain_difference

    book, program = read_book(book_path), read_program(program_name)
    before = evaluate(book, program, as_of=as_of, known_at=known_at)
    after = evaluate(book, program, as_of=to_as_of, known_at=to_known_at)
    difference = explain_difference(before, after)
    if as_json:
        click.echo(json.dumps(difference.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(difference.lines()))
