"""How-to: a custom gate and a custom track, registered and named by a program file."""

# --8<-- [start:rules]
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import partner_tiers as pt


def managed_clients(context: pt.Context, params: Mapping[str, Any]) -> pt.GateOutcome:
    """A gate: the partner manages at least ``minimum`` clients on the date."""
    services = context.book.managed_services
    managed = sorted({m.client for m in services if m.active_on(context.as_of)})
    minimum = int(params["minimum"])
    listing = ", ".join(managed)
    return pt.GateOutcome(
        passed=len(managed) >= minimum,
        reason=f"{len(managed)} clients managed ({listing}), minimum {minimum}",
    )


def managed_clients_changes(
    book: pt.Book, ledger: pt.PointsLedger, params: Mapping[str, Any], start: dt.date, end: dt.date
) -> list[dt.date]:
    """When managed_clients can change: the days a managed service starts or ends."""
    days = {m.since for m in book.managed_services}
    days |= {m.until for m in book.managed_services if m.until is not None}
    return sorted(day for day in days if start < day <= end)


def growth_points(context: pt.Context, params: Mapping[str, Any]) -> Decimal:
    """A track: the points earned from clients in growth markets, active on the date."""
    return context.ledger.totals(context.as_of, market=pt.Market.GROWTH).total


# --8<-- [end:rules]


# --8<-- [start:registry]
registry = (
    pt.Registry()
    .with_gate(
        "managed_clients",
        managed_clients,
        changes=managed_clients_changes,
        params=[pt.GateParam("minimum", "int", required=True, minimum=0)],
    )
    .with_track("growth_points", growth_points)
)
program = pt.load_program("custom-program.toml", registry=registry)
print(program.label, "- gates:", registry.gate_kinds())
# --8<-- [end:registry]

# --8<-- [start:evaluate]
book = pt.load_book("book.json")
status = pt.evaluate(book, program, as_of=dt.date(2025, 9, 30))
print("tier:", status.tier, "-", ", ".join(f"{k} {v}" for k, v in status.values.items()))
for line in status.explain().lines():
    if line.startswith(("growth:", "gate two-managed-clients")):
        print(line)
# --8<-- [end:evaluate]

# --8<-- [start:unregistered]
try:
    pt.load_program("custom-program.toml")  # no registry: the kinds are unknown
except pt.ProgramValidationError as error:
    for line in error.lines():
        print(line)
# --8<-- [end:unregistered]
