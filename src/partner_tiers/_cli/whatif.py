"""The ``whatif`` command: the status with hypothetical deals, ended services or a lapse."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from partner_tiers._model.records import Deal
from partner_tiers._cli.base import (
    as_of_option,
    cli,
    json_option,
    parse_date,
    program_option,
    read_book,
    read_program,
)

DEAL_SYNTAX = "[KIND:]MOTION:AMOUNT:CURRENCY[:CLIENT[:LINE]][@DATE]"


def _deal_option(value: str, as_of: dt.date, index: int, clients: set[str]) -> Deal:
    """A ``--deal`` value as a deal closed on its @DATE (default the as-of date); without
    CLIENT, for a new client that `what_if` gives its documented defaults."""
    from partner_tiers._model.records import Deal, DealKind, SalesMotion
    from partner_tiers._model.values import ClientId, DealId, Money

    value, at, day = value.partition("@")
    closed_on = as_of
    if at:
        try:
            closed_on = dt.date.fromisoformat(day)
        except ValueError:
            raise click.BadParameter(
                f"--deal: expected a date as YYYY-MM-DD after @ (got {day!r})"
            ) from None

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
    if client and client not in clients:
        raise click.BadParameter(f"--deal: client {client!r} is not in the book (in {value!r})")
    return Deal(
        DealId(f"whatif-{index}"),
        ClientId(client or f"c-whatif-{index}"),
        line or f"whatif-line-{index}",
        kind,
        SalesMotion(motion),
        closed_on,
        Money(amount, currency),
    )


def _ended_option(value: str, as_of: dt.date) -> tuple[str, dt.date]:
    """A ``--end-services`` value, CLIENT or CLIENT@DATE, as the client and the day its
    managed service ends (the as-of date when it names none)."""
    client, at, day = value.partition("@")
    if not client:
        raise click.BadParameter(f"--end-services: expected CLIENT[@DATE] (got {value!r})")
    if not at:
        return client, as_of
    try:
        return client, dt.date.fromisoformat(day)
    except ValueError:
        raise click.BadParameter(
            f"--end-services: expected a date as YYYY-MM-DD after @ (got {value!r})"
        ) from None


@cli.command()
@click.argument("book_path", metavar="BOOK")
@program_option
@as_of_option
@click.option(
    "--deal",
    "deals",
    multiple=True,
    metavar=DEAL_SYNTAX,
    help="A hypothetical deal closed on DATE, default the as-of date (repeatable). "
    "KIND is new (the default), "
    "cross_sell, upsell, downgrade, churn or adjustment; all but new need CLIENT and LINE. "
    "MOTION is sourced, assisted or none; AMOUNT the MRR change, negative for downgrade "
    "and churn. Without CLIENT, a new client with the defaults that leave the gates as "
    "they are (in the US, the book's median tool count).",
)
@click.option(
    "--end-services",
    "ended",
    multiple=True,
    metavar="CLIENT[@DATE]",
    help="End the managed service of a client on DATE (default: the as-of date); what it "
    "earned before stays (repeatable).",
)
@click.option(
    "--lapse-certification",
    callback=parse_date,
    default=None,
    metavar="DATE",
    help="Every certification lapses on this date.",
)
@click.option(
    "--until",
    callback=parse_date,
    default=None,
    metavar="DATE",
    help="The day to look forward to (default: the next review).",
)
@json_option
def whatif(
    book_path: str,
    program_name: str,
    as_of: dt.date,
    deals: tuple[str, ...],
    ended: tuple[str, ...],
    lapse_certification: dt.date | None,
    until: dt.date | None,
    as_json: bool,
) -> None:
    """Compare BOOK with hypothetical changes.

    Hypothetical deals, ended services or a certification lapse.
    """
    from partner_tiers._views.whatif import what_if

    book = read_book(book_path)
    known: set[str] = {client.id for client in book.clients}
    made = [_deal_option(v, as_of, index, known) for index, v in enumerate(deals, start=1)]
    result = what_if(
        book,
        read_program(program_name),
        as_of=as_of,
        deals=made,
        end_services=[_ended_option(value, as_of) for value in ended],
        certifications_lapse_on=lapse_certification,
        until=until,
    )
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(str(result))
