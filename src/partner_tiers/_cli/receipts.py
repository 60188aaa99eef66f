"""``verify``: replay a recorded evaluation from its receipt and say whether it is the same."""

from __future__ import annotations

import sys

import click

from partner_tiers._cli.base import cli, read_book, read_program


@cli.command("verify")
@click.argument("receipt_path", metavar="RECEIPT")
@click.argument("book_path", metavar="BOOK")
@click.argument("program_name", metavar="[PROGRAM]", required=False)
def verify_command(receipt_path: str, book_path: str, program_name: str | None) -> None:
    """Replay a recorded evaluation and say whether it is the same.

    RECEIPT is the output of evaluate --json; the replay evaluates BOOK again. PROGRAM
    defaults to the program the receipt names (a shipped one). Prints "same" when
    the replay gives the same tier, qualified tier and track values from the same book
    and program; otherwise each difference, and whether the book or the program changed
    since. Exits 0 when the same, 1 when different, 2 on bad input.
    """
    from partner_tiers._views.receipts import load_recorded, verify_receipt

    recorded = load_recorded(receipt_path)
    book = read_book(book_path)
    program = read_program(program_name or recorded.receipt.program)
    verification = verify_receipt(recorded, book, program)
    for line in verification.lines():
        click.echo(line)
    if not verification.same:
        sys.exit(1)
