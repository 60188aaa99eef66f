"""What every command shares: the group, the options, reading a book or a program
(and naming a file of the wrong kind), and failing with one line."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from partner_tiers._errors import FileFormatError
from partner_tiers._io.bookfile import load_book
from partner_tiers._io.programfile import load_series
from partner_tiers._model.book import Book
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries

if TYPE_CHECKING:
    pass


DEMO_AS_OF = dt.date(2025, 9, 30)
"""The date the demo evaluates on: the library never reads the clock."""

DEFAULT_PROGRAM = "hubspot"
"""The shipped series: every day judged by the HubSpot version in force on it."""

EXIT_BAD_INPUT = 2


def parse_date(ctx: click.Context, param: click.Parameter, value: object) -> dt.date | None:
    """Parse an option's ISO date, naming the option and the value when it is not one."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        option = param.opts[0] if param.opts else "date"
        raise click.BadParameter(
            f"{option}: expected a date as YYYY-MM-DD (got {value!r})", ctx, param
        ) from None


# Top-level keys that only one kind of file has: enough to tell a book from a program.
BOOK_KEYS = frozenset({"partner", "clients", "deals"})
PROGRAM_KEYS = frozenset({"tiers", "tracks", "rates", "versions"})


def top_level_keys(path: Path) -> frozenset[str]:
    """The top-level keys of a JSON, TOML or YAML file (by suffix); none when the file
    cannot be read or parsed -- the loader's own error says why."""
    import tomllib

    from partner_tiers._io.bookfile import MAX_BOOK_BYTES

    try:
        if not path.is_file() or path.stat().st_size > MAX_BOOK_BYTES:
            return frozenset()
        text = path.read_text("utf-8")
        if path.suffix.lower() == ".toml":
            data: object = tomllib.loads(text)
        elif path.suffix.lower() in {".yaml", ".yml"}:
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except Exception:  # noqa: BLE001 - any unreadable file tells nothing about its kind
        return frozenset()
    if not isinstance(data, dict):
        return frozenset()
    return frozenset(key for key in data if isinstance(key, str))


def kind_of_file(path: str) -> str | None:
    """``"book"`` or ``"program"`` by the file's top-level keys; None when they do not tell."""
    keys = top_level_keys(Path(path))
    is_book, is_program = bool(keys & BOOK_KEYS), bool(keys & PROGRAM_KEYS)
    if is_book == is_program:
        return None
    return "book" if is_book else "program"


def takes(parameter: str) -> bool:
    """Whether the running command has the parameter (to say how to pass a file)."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and parameter in ctx.params


def read_book(path: str) -> Book:
    """The book file at path; a program file there is named as one."""
    try:
        return load_book(path)
    except FileFormatError:
        if kind_of_file(path) != "program":
            raise
        hint = " (pass it with --program)" if takes("program_name") else ""
        raise click.UsageError(f"{path} is a program file, not a book{hint}") from None


def read_program(name_or_path: str) -> Program | ProgramSeries:
    """The shipped program or series, or a program or series file; a book file there is
    named as one."""
    try:
        series = load_series(name_or_path)
        if len(series.versions) == 1 and series.name == series.versions[0].label:
            return series.versions[0]  # a single program, not a series file
        return series
    except FileFormatError:
        if kind_of_file(name_or_path) != "book":
            raise
        hint = " (pass it as BOOK)" if takes("book_path") else ""
        raise click.UsageError(f"{name_or_path} is a book file, not a program{hint}") from None


def one_line(error: BaseException) -> str:
    if isinstance(error, FileFormatError):
        return "; ".join(error.lines())
    return " ".join(str(error).split())


def printable(line: str) -> str:
    """The line with every character that is not printable -- line breaks, ESC and other
    controls a key or value may hold -- shown escaped: one line, and nothing a terminal
    would obey."""
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in line)


def fail(message: str) -> NoReturn:
    # One line, whatever the input held: line breaks between problems become spaces.
    line = " ".join(message.splitlines())
    click.echo(f"partner-tiers: error: {printable(line)}", err=True)
    sys.exit(EXIT_BAD_INPUT)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.version_option(package_name="partner-tiers")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Points, tiers and explanations for solutions-partner programs."""
    if ctx.invoked_subcommand is None:  # no command: the help, not a usage error
        click.echo(ctx.get_help())


program_option = click.option(
    "--program",
    "program_name",
    default=DEFAULT_PROGRAM,
    show_default=True,
    metavar="NAME_OR_FILE",
    help="A shipped program's or series' name, or a program or series file.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead.")


as_of_option = click.option(
    "--as-of",
    callback=parse_date,
    required=True,
    metavar="DATE",
    help="The date of the evaluation, YYYY-MM-DD.",
)

known_at_option = click.option(
    "--known-at",
    callback=parse_date,
    default=None,
    metavar="DATE",
    help="Judge the book as it was known on DATE: only records recorded by then count.",
)
