"""Hypothetical clients: the client a what-if deal or a planned action is for, when the
caller names none, built so that it leaves every gate as it is.

A new client counts toward the median tool usage of a ``median_tool_usage`` gate. Its
documented defaults are chosen so that the gate's outcome does not move: the client uses
as many tools as the median of the clients that count on its day -- rounded up when the
gate passes there (the median can only rise to the next whole count), down when it
fails (the median can only fall to the count below). A median that is a whole count is
left exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from dateutil.relativedelta import relativedelta

from partner_tiers._model.book import Book
from partner_tiers._model.records import Client, Relationship
from partner_tiers._model.values import ClientId
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries, program_on

__all__ = ["DEFAULT_COUNTRY", "default_client", "default_tool_count"]

DEFAULT_COUNTRY = "US"
_DEFAULT_WINDOW = 12


def _median(counts: list[int]) -> Decimal | None:
    if not counts:
        return None
    ordered = sorted(counts)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return Decimal(ordered[middle - 1] + ordered[middle]) / 2


def _counting_usage(book: Book, on: dt.date, window_months: int) -> list[int]:
    """The tool usage of the clients a median gate counts on ``on`` (as the gate does)."""
    since = on - relativedelta(months=window_months)
    managed = {m.client for m in book.managed_services if m.active_on(on)}
    counted = managed | book.clients_sold(since, on)
    known = {client.id: client for client in book.clients}
    return [known[c].tool_usage for c in sorted(counted) if c in known]


def default_tool_count(book: Book, program: Program | ProgramSeries, on: dt.date) -> int:
    """How many tools a new client uses by default: the count that leaves the outcome of
    every median-tool-usage gate in force on ``on`` as it is (see the module docstring);
    without such a gate, the median of the whole book rounded up; 0 for an empty book."""
    version = program_on(program, on)
    gates = [g for g in version.gates if g.kind == "median_tool_usage"]
    for gate in gates:
        window = int(gate.params.get("window_months", _DEFAULT_WINDOW))
        median = _median(_counting_usage(book, on, window))
        if median is None:
            continue
        passes = median >= Decimal(gate.params.get("minimum", 0))
        rounding = ROUND_CEILING if passes else ROUND_FLOOR
        return int(median.to_integral_value(rounding=rounding))
    median = _median([client.tool_usage for client in book.clients])
    return 0 if median is None else int(median.to_integral_value(rounding=ROUND_CEILING))


def default_client(
    book: Book,
    program: Program | ProgramSeries,
    client_id: str,
    on: dt.date,
    *,
    country: str = DEFAULT_COUNTRY,
    relationship: Relationship = Relationship.SOLD,
) -> Client:
    """A new client for a hypothetical deal or service from ``on``: in ``country``
    (default the US, a standard market), using `default_tool_count` tools (those of the
    book's most used tools first), with a middling engagement index."""
    count = default_tool_count(book, program, on)
    known: dict[str, int] = {}
    for client in book.clients:
        for tool in dict.fromkeys(client.tools_used):
            known[tool] = known.get(tool, 0) + 1
    tools = sorted(known, key=lambda tool: (-known[tool], tool))[:count]
    tools += [f"tool-{n}" for n in range(len(tools) + 1, count + 1)]
    engagement = 0 if count <= 3 else 4 if count <= 6 else 7
    return Client(
        ClientId(client_id),
        f"Hypothetical client {client_id}",
        country,
        relationship,
        tuple(tools),
        engagement,
    )
