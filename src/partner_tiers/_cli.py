"""The ``partner-tiers`` command line.

Bad input -- a missing file, a malformed book or program, an impossible date -- is
answered with exit code 2 and one line naming the file, the field and the value, never a
traceback. A book given where a program belongs, or the other way round, is named as
such. ``validate`` prints every problem of a book or program file, one per line.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from partner_tiers._engine.evaluate import evaluate
from partner_tiers._engine.status import TierStatus
from partner_tiers._errors import FileFormatError, PartnerTiersError
from partner_tiers._io.bookfile import demo_book, dumps_book, load_book
from partner_tiers._io.programfile import dumps_program, list_programs, load_program
from partner_tiers._model.book import Book
from partner_tiers._rules.program import Program

if TYPE_CHECKING:
    from partner_tiers._model.records import Client, Deal

__all__ = ["DEMO_AS_OF", "demo_book", "main"]

DEMO_AS_OF = dt.date(2025, 9, 30)
"""The date the demo evaluates on: the library never reads the clock."""

DEFAULT_PROGRAM = "hubspot-2025"

EXIT_BAD_INPUT = 2


def _date(ctx: click.Context, param: click.Parameter, value: object) -> dt.date | None:
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
_BOOK_KEYS = frozenset({"partner", "clients", "deals"})
_PROGRAM_KEYS = frozenset({"tiers", "tracks", "rates"})


def _top_level_keys(path: Path) -> frozenset[str]:
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


def _kind_of_file(path: str) -> str | None:
    """``"book"`` or ``"program"`` by the file's top-level keys; None when they do not tell."""
    keys = _top_level_keys(Path(path))
    is_book, is_program = bool(keys & _BOOK_KEYS), bool(keys & _PROGRAM_KEYS)
    if is_book == is_program:
        return None
    return "book" if is_book else "program"


def _takes(parameter: str) -> bool:
    """Whether the running command has the parameter (to say how to pass a file)."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and parameter in ctx.params


def _book(path: str) -> Book:
    """The book file at path; a program file there is named as one."""
    try:
        return load_book(path)
    except FileFormatError:
        if _kind_of_file(path) != "program":
            raise
        hint = " (pass it with --program)" if _takes("program_name") else ""
        raise click.UsageError(f"{path} is a program file, not a book{hint}") from None


def _program(name_or_path: str) -> Program:
    """The shipped program or program file; a book file there is named as one."""
    try:
        return load_program(name_or_path)
    except FileFormatError:
        if _kind_of_file(name_or_path) != "book":
            raise
        hint = " (pass it as BOOK)" if _takes("book_path") else ""
        raise click.UsageError(f"{name_or_path} is a book file, not a program{hint}") from None


def _one_line(error: BaseException) -> str:
    if isinstance(error, FileFormatError):
        return "; ".join(error.lines())
    return " ".join(str(error).split())


def _printable(line: str) -> str:
    """The line with every character that is not printable -- line breaks, ESC and other
    controls a key or value may hold -- shown escaped: one line, and nothing a terminal
    would obey."""
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in line)


def _fail(message: str) -> NoReturn:
    # One line, whatever the input held: line breaks between problems become spaces.
    line = " ".join(message.splitlines())
    click.echo(f"partner-tiers: error: {_printable(line)}", err=True)
    sys.exit(EXIT_BAD_INPUT)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.version_option(package_name="partner-tiers")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Points, tiers and explanations for solutions-partner programs."""
    if ctx.invoked_subcommand is None:  # no command: the help, not a usage error
        click.echo(ctx.get_help())


_program_option = click.option(
    "--program",
    "program_name",
    default=DEFAULT_PROGRAM,
    show_default=True,
    metavar="NAME_OR_FILE",
    help="A shipped program's name or a program file.",
)
_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead.")


_as_of_option = click.option(
    "--as-of",
    callback=_date,
    required=True,
    metavar="DATE",
    help="The date of the evaluation, YYYY-MM-DD.",
)


def _bar(value: Decimal, line: Decimal | None, width: int = 30) -> str:
    if line is None or line <= 0:
        return ""
    filled = min(width, int(value / line * width)) if value > 0 else 0
    return "[" + "#" * filled + "." * (width - filled) + "]"


def _dashboard(book: Book, status: TierStatus, program: Program) -> str:
    from partner_tiers._views.dashboard import alerts
    from partner_tiers._views.points import points_breakdown

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
    lines += ["", "Gates"]
    for gate in status.gates:
        lines.append(f"  {'PASS' if gate.passed else 'FAIL'}  {gate.name}: {gate.reason}")
    due = alerts(book, as_of=status.as_of, within_days=365)
    lines += ["", f"Alerts: {len(due.items)} renewal decisions within 365 days"]
    for item in due.items:
        lines.append(
            f"  {item.renews_on}  {item.client_name} ({item.subscription}) owner: "
            f"{item.renewal_owner or '-'}"
        )
    breakdown = points_breakdown(book, program, as_of=status.as_of)
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
    callback=_date,
    default=DEMO_AS_OF.isoformat(),
    show_default=True,
    metavar="DATE",
    help="The date of the evaluation, YYYY-MM-DD.",
)
@_program_option
@click.option(
    "--write-book",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE",
    help="Write the demo book's JSON to FILE instead (a start for your own).",
)
@click.option("--force", is_flag=True, help="Let --write-book replace an existing file.")
def demo(as_of: dt.date, program_name: str, write_book: str | None, force: bool) -> None:
    """Print the dashboard of the built-in demo book."""
    book = demo_book()
    if write_book is not None:
        from partner_tiers._io.files import write_atomically

        if not force and Path(write_book).exists():
            raise click.UsageError(f"{write_book} exists: pass --force to replace it")
        write_atomically(Path(write_book), dumps_book(book))
        click.echo(f"wrote {write_book}")
        return
    program = _program(program_name)
    status = evaluate(book, program, as_of)
    click.echo(_dashboard(book, status, program))


@cli.command("evaluate")
@click.argument("book_path", metavar="BOOK")
@_program_option
@_as_of_option
@click.option("--json", "as_json", is_flag=True, help="Print the JSON contract instead.")
def evaluate_command(book_path: str, program_name: str, as_of: dt.date, as_json: bool) -> None:
    """Evaluate BOOK under a program on a date."""
    book = _book(book_path)
    program = _program(program_name)
    status = evaluate(book, program, as_of)
    if as_json:
        click.echo(json.dumps(status.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(_dashboard(book, status, program))


@cli.command()
@click.argument("book_path", metavar="BOOK")
@_program_option
@_as_of_option
def explain(book_path: str, program_name: str, as_of: dt.date) -> None:
    """Explain every number of BOOK's status on a date."""
    status = evaluate(_book(book_path), _program(program_name), as_of)
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
        if (kind or _kind_of_file(path)) == "book":
            book = load_book(path)
            summary = f"book of {book.partner.name}, {len(book.clients)} clients"
        else:
            program = load_program(Path(path))
            summary = f"{program.label}, {len(program.tiers)} tiers"
    except FileFormatError as error:
        for line in error.lines():
            click.echo(_printable(line), err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(f"{path}: valid ({summary})")


def _list_programs() -> None:
    for name in list_programs():
        click.echo(f"{name}  {load_program(name).title}")


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
def programs_show(name: str, fmt: str) -> None:
    """Print a program as TOML, JSON or YAML."""
    click.echo(dumps_program(_program(name), fmt), nl=False)  # type: ignore[arg-type]


@programs.command("impact")
@click.argument("a")
@click.argument("b")
@click.argument("books", nargs=-1, required=True, metavar="BOOK...")
@_as_of_option
@_json_option
def programs_impact(a: str, b: str, books: tuple[str, ...], as_of: dt.date, as_json: bool) -> None:
    """How partners move from program A to program B.

    Evaluates every BOOK under programs A and B on the date and prints how many
    partners move up, down or stay.
    """
    from partner_tiers._views.impact import program_impact

    first, second = _program(a), _program(b)
    loaded = (_book(path) for path in books)
    if not sys.stderr.isatty():  # no progress bar in logs and pipes: errors stay one line
        matrix = program_impact(loaded, first, second, as_of)
    else:
        with click.progressbar(length=len(books), label="evaluating books", file=sys.stderr) as bar:
            matrix = program_impact(loaded, first, second, as_of, progress=lambda _: bar.update(1))
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
@click.argument("b")
@_json_option
def programs_diff(a: str, b: str, as_json: bool) -> None:
    """What changed from program A to program B, rule by rule."""
    from partner_tiers._views.diff import diff_programs

    difference = diff_programs(_program(a), _program(b))
    if as_json:
        click.echo(json.dumps(difference.to_dict(), indent=2, default=str))
    else:
        click.echo(str(difference))


@cli.command()
@click.argument("book_path", metavar="BOOK")
@_program_option
@_as_of_option
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
def report(book_path: str, program_name: str, as_of: dt.date, html_path: str, months: int) -> None:
    """Write an HTML dashboard of BOOK.

    The page is self-contained (no script, nothing from the network) and written
    atomically.
    """
    from partner_tiers._io.files import write_atomically
    from partner_tiers._views.report import report_html

    page = report_html(_book(book_path), _program(program_name), as_of, months=months)
    write_atomically(Path(html_path), page)
    click.echo(f"wrote {html_path}")


DEAL_SYNTAX = "[KIND:]MOTION:AMOUNT:CURRENCY[:CLIENT[:LINE]]"


def _deal_option(value: str, as_of: dt.date, index: int) -> tuple[Deal, Client | None]:
    """A ``--deal`` value as a deal closed on the date, with the what-if client it needs
    when it names none."""
    from partner_tiers._model.records import Client, Deal, DealKind, Relationship, SalesMotion
    from partner_tiers._model.values import ClientId, DealId, Money

    kinds, motions = [kind.value for kind in DealKind], [motion.value for motion in SalesMotion]
    parts, kind = value.split(":"), DealKind.NEW
    if not 3 <= len(parts) <= 6:
        raise click.BadParameter(f"--deal: expected {DEAL_SYNTAX} (got {value!r})")
    if parts[0] not in motions:
        if parts[0] not in kinds:
            raise click.BadParameter(
                f"--deal: {parts[0]!r} is neither a kind ({', '.join(kinds)}) nor a motion "
                f"({', '.join(motions)}) in {value!r}"
            )
        kind, parts = DealKind(parts[0]), parts[1:]
    if not 3 <= len(parts) <= 5:
        raise click.BadParameter(f"--deal: expected {DEAL_SYNTAX} (got {value!r})")
    motion, amount, currency, client, line = (*parts, "", "")[:5]
    if motion not in motions:
        raise click.BadParameter(
            f"--deal: motion must be {', '.join(motions)} (got {motion!r} in {value!r})"
        )
    if kind is not DealKind.NEW and not (client and line):
        raise click.BadParameter(
            f"--deal: {kind} changes a client's product line: give CLIENT and LINE (got {value!r})"
        )
    new_client = None
    if not client:
        client = f"c-whatif-{index}"
        new_client = Client(ClientId(client), f"What-if client {index}", "US", Relationship.SOLD)
    deal = Deal(
        DealId(f"whatif-{index}"),
        ClientId(client),
        line or f"whatif-line-{index}",
        kind,
        SalesMotion(motion),
        as_of,
        Money(amount, currency),
    )
    return deal, new_client


@cli.command()
@click.argument("book_path", metavar="BOOK")
@_program_option
@_as_of_option
@click.option(
    "--deal",
    "deals",
    multiple=True,
    metavar=DEAL_SYNTAX,
    help="A hypothetical deal closed on the date (repeatable). KIND is new (the default), "
    "cross_sell, upsell, downgrade, churn or adjustment; all but new need CLIENT and LINE. "
    "MOTION is sourced, assisted or none; AMOUNT the MRR change, negative for downgrade "
    "and churn. Without CLIENT, a new client in the US.",
)
@click.option(
    "--end-services",
    "ended",
    multiple=True,
    metavar="CLIENT",
    help="Remove a client and its records (repeatable).",
)
@click.option(
    "--lapse-certification",
    callback=_date,
    default=None,
    metavar="DATE",
    help="Every certification lapses on this date.",
)
@_json_option
def whatif(
    book_path: str,
    program_name: str,
    as_of: dt.date,
    deals: tuple[str, ...],
    ended: tuple[str, ...],
    lapse_certification: dt.date | None,
    as_json: bool,
) -> None:
    """Compare BOOK with hypothetical changes.

    Hypothetical deals, ended services or a certification lapse.
    """
    from partner_tiers._views.whatif import what_if

    book = _book(book_path)
    made = [_deal_option(value, as_of, index) for index, value in enumerate(deals, start=1)]
    result = what_if(
        book,
        _program(program_name),
        as_of,
        deals=[deal for deal, _ in made],
        clients=[client for _, client in made if client is not None],
        end_services=ended,
        certifications_lapse_on=lapse_certification,
    )
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(str(result))


def _bad_parameter(error: click.BadParameter) -> str:
    """Click's message for a bad option value, led by the option's name (click's own
    types, such as ranges, leave it out)."""
    message = error.message
    if not message:  # a missing parameter: only the formatted message says which
        return " ".join(error.format_message().split())
    if error.param is not None:
        option = isinstance(error.param, click.Option) and error.param.opts
        name = error.param.opts[0] if option else error.param.human_readable_name
        if not message.startswith(f"{name}:"):
            message = f"{name}: {message}"
    return " ".join(message.split())


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line; bad input exits with 2 and one line on stderr."""
    try:
        cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.Abort:
        _fail("aborted")
    except click.BadParameter as error:
        _fail(_bad_parameter(error))
    except click.ClickException as error:
        _fail(" ".join(error.format_message().split()))
    except PartnerTiersError as error:
        _fail(_one_line(error))
    except ValueError as error:  # an enum value from a command-line field
        _fail(" ".join(str(error).split()))
    except RecursionError:
        _fail("input is nested too deeply")
    except OSError as error:  # a file the command was asked to write
        _fail(f"{error.filename or 'file'}: cannot write: {error.strerror or error}")
