"""Explanation: effective-dated rules, on the example book."""

# --8<-- [start:rows]
import datetime as dt

import partner_tiers as pt

program = pt.load_program("hubspot-2025")
for day in (dt.date(2023, 1, 1), dt.date(2024, 6, 1), dt.date(2025, 8, 1)):
    rates, table = program.rate_row(day), program.currency_table(day)
    assert rates is not None  # a program may have no row on a day: None
    assert table is not None
    eur = table.per_100_usd["EUR"]
    print(day, "sourced rate", rates.sourced, "-", eur, "EUR count as 100 USD")
# --8<-- [end:rows]

# --8<-- [start:batches]
book = pt.load_book("book.json")
ledger = pt.build_ledger(book, program)
for day in (dt.date(2025, 7, 14), dt.date(2025, 7, 15)):
    totals = ledger.totals(day)
    print(day, "sold", totals.sold, "- managed", totals.managed)
# --8<-- [end:batches]

# --8<-- [start:stamps]
for batch in ledger:
    if batch.client == "c-fabrikam":
        until = batch.expires_on or "open"
        print(f"{batch.id}: {batch.points} from {batch.earned_on} to {until}")
# --8<-- [end:stamps]

# --8<-- [start:versions]
as_of = dt.date(2025, 9, 30)
for name in ("hubspot-2024", "hubspot-2025"):
    status = pt.evaluate(book, pt.load_program(name), as_of=as_of)
    values = ", ".join(f"{track} {value}" for track, value in status.values.items())
    print(name, status.tier, "-", values)
# --8<-- [end:versions]

# --8<-- [start:series]
hubspot = pt.load_program("hubspot")  # every version, each in force from its date
for day in (dt.date(2024, 6, 30), dt.date(2025, 7, 14), dt.date(2025, 7, 15)):
    status = pt.evaluate(book, hubspot, as_of=day)
    print(day, status.program, status.tier)
status = pt.evaluate(book, hubspot, as_of=as_of)
for change in status.history:
    print(change.on, change.cause, change.from_tier, "->", change.to_tier, "-", change.version)
# --8<-- [end:series]
