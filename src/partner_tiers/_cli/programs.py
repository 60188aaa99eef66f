"""The ``programs`` commands: list, show, schema, diff and impact."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from partner_tiers._cli.base import (
    as_of_option,
    cli,
    json_option,
    parse_date,
    read_book,
    read_program,
)
from partner_tiers._io.programfile import (
    dumps_program,
    dumps_series,
    list_programs,
    load_series,
    resolve_file,
)
from partner_tiers._rules.series import ProgramSeries, program_on


def _list_programs() -> None:
    for name in list_programs():
        click.echo(f"{name}  {load_series(name).title}")


@cli.group(invoke_without_command=True)
@click.pass_context
def programs(ctx: click.Context) -> None:
    """List, show, compare the shipped programs."""
    if ctx.invoked_subcommand is None:
        _list_programs()


@programs.command("list")
def programs_list() -> None:
    """List the shipped programs."""
    _list_programs()


@programs.command("show")
@click.argument("name", metavar="NAME_OR_FILE")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["toml", "json", "yaml"]),
    default="toml",
    show_default=True,
    help="The format to print.",
)
@click.option(
    "--resolved",
    is_flag=True,
    help="For a file that extends another program: print the merged program, "
    "not the file as written.",
)
def programs_show(name: str, fmt: str, resolved: bool) -> None:
    """Print a program, or a series' versions, as TOML, JSON or YAML.

    A file that extends another program is printed as written unless --resolved.
    """
    program = read_program(name)
    if isinstance(program, ProgramSeries):
        click.echo(dumps_series(program, fmt), nl=False)
        return
    if not resolved and name not in list_programs() and len(resolve_file(name).chain) > 1:
        click.echo(Path(name).read_text("utf-8"), nl=False)
        return
    click.echo(dumps_program(program, fmt), nl=False)  # type: ignore[arg-type]


@programs.command("impact")
@click.argument("a")
@click.argument("b")
@click.argument("books", nargs=-1, required=True, metavar="BOOK...")
@as_of_option
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    metavar="N",
    help="Worker processes that read and evaluate the books; 0: one per core.",
)
@json_option
def programs_impact(
    a: str, b: str, books: tuple[str, ...], as_of: dt.date, jobs: int, as_json: bool
) -> None:
    """How partners move from program A to program B.

    Evaluates every BOOK under programs A and B on the date and prints how many
    partners move up, down or stay. With --jobs N, N worker processes read and
    evaluate the books; the output is the same.
    """
    from partner_tiers._views.impact import program_impact_of

    first, second = read_program(a), read_program(b)
    if not sys.stderr.isatty():  # no progress bar in logs and pipes: errors stay one line
        matrix = program_impact_of(books, read_book, first, second, as_of=as_of, jobs=jobs)
    else:
        with click.progressbar(length=len(books), label="evaluating books", file=sys.stderr) as bar:
            matrix = program_impact_of(
                books,
                read_book,
                first,
                second,
                as_of=as_of,
                progress=lambda done: bar.update(done - bar.pos),
                jobs=jobs,
            )
    if as_json:
        click.echo(json.dumps(matrix.to_dict(), indent=2))
    else:
        click.echo(str(matrix))


@programs.command("schema")
def programs_schema() -> None:
    """Print the JSON Schema of program files."""
    from partner_tiers._io.schema import dumps_schema

    click.echo(dumps_schema(), nl=False)


@programs.command("diff")
@click.argument("a")
@click.argument("b", required=False)
@click.option(
    "--on",
    callback=parse_date,
    default=None,
    metavar="DATE",
    help="With a series and no B: the version in force on DATE (default: the latest).",
)
@json_option
def programs_diff(a: str, b: str | None, on: dt.date | None, as_json: bool) -> None:
    """What changed from program A to program B, rule by rule.

    With a series A (e.g. hubspot) and no B: what changed when a version took effect,
    against the version before it.
    """
    from partner_tiers._views.diff import diff_programs

    first = read_program(a)
    if b is None:
        if not isinstance(first, ProgramSeries):
            raise click.UsageError(f"{a} is a single program: name a second program B")
        difference = diff_programs(first, on=on)
    else:
        second = read_program(b)
        if isinstance(second, ProgramSeries):
            raise click.UsageError(f"{b} is a series: name one of its versions as B")
        difference = diff_programs(program_on(first, on or dt.date.max), second)
    if as_json:
        click.echo(json.dumps(difference.to_dict(), indent=2, default=str))
    else:
        click.echo(str(difference))
