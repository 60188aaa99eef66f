"""Account performance, as the dashboard shows it: the median tool usage over the clients
that count, and whether the partner is certified."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from attrs import frozen

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._html import table_html
from partner_tiers._ledger.ledger import PointsLedger
from partner_tiers._model.book import Book
from partner_tiers._model.values import MAX_MONTHS, check_count, check_day
from partner_tiers._rules.context import Context
from partner_tiers._rules.gates import counting_clients
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries, program_on
from partner_tiers._views.tables import plain

__all__ = ["AccountPerformance", "account_performance"]


@frozen
class AccountPerformance:
    """Median tool usage and certification status on a date.

    Attributes:
        as_of: the date.
        median_tool_usage: the median number of tools over the clients that count
            (managed on the date, or sold in the last 12 months); None when none count.
        counting_clients: those clients.
        certified: whether a certification is valid on the date.
        certification_ends_on: the last day of the valid certification that lasts
            longest, or of the last one that lapsed.
    """

    as_of: dt.date
    median_tool_usage: Decimal | None
    counting_clients: tuple[str, ...]
    certified: bool
    certification_ends_on: dt.date | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        data: dict[str, Any] = plain(self)
        return data

    def _repr_html_(self) -> str:
        return table_html(
            ["median tool usage", "clients counted", "certified", "certification ends on"],
            [
                [
                    self.median_tool_usage,
                    ", ".join(self.counting_clients),
                    self.certified,
                    self.certification_ends_on,
                ]
            ],
            f"Account performance as of {self.as_of}",
        )


def account_performance(
    book: Book,
    program: Program | ProgramSeries,
    *,
    as_of: dt.date,
    window_months: int | None = None,
) -> AccountPerformance:
    """Median tool usage across the clients that count, and certification status.

    The window for "sold in the last months" is the program's median-tool-usage gate's
    (12 months when the program has no such gate), unless ``window_months`` is given.
    """
    check_arguments(book, program)
    as_of = check_day("as_of", as_of)
    program = program_on(program, as_of)
    if window_months is not None:
        check_count("window_months", window_months, 1, MAX_MONTHS)
    import statistics

    if window_months is None:
        windows = [
            int(gate.params.get("window_months", 12))
            for gate in program.gates
            if gate.kind == "median_tool_usage"
        ]
        window_months = windows[0] if windows else 12

    ledger = PointsLedger()
    context = Context(book, ledger, program, as_of, ledger.totals(as_of))
    clients = tuple(counting_clients(context, window_months))
    usage = [book.client(c).tool_usage for c in clients]
    median = Decimal(str(statistics.median(usage))) if usage else None
    valid = [c for c in book.certifications if c.valid_on(as_of)]
    if valid:
        ends: dt.date | None = max(c.valid_until for c in valid)
    else:
        lapsed = [c.valid_until for c in book.certifications if c.valid_until < as_of]
        ends = max(lapsed) if lapsed else None
    return AccountPerformance(as_of, median, clients, bool(valid), ends)
