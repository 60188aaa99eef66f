"""How-to: what to do, by when, to keep a tier or reach the next one."""

# --8<-- [start:plan]
import datetime as dt

import partner_tiers as pt

book = pt.load_book("book.json")
program = pt.load_program("hubspot-2025")
as_of = dt.date(2025, 9, 30)

reach = pt.plan(book, program, as_of=as_of, goal="reach")
print(reach)
# --8<-- [end:plan]

# --8<-- [start:check]
check = pt.what_if(book, program, as_of=as_of, until=reach.review, **reach.what_if_arguments())
print(check.after_until.qualified_tier if check.after_until else None)
# --8<-- [end:check]

# --8<-- [start:keep]
keep = pt.plan(book, program, as_of=as_of)
print(keep.reason)
print("cliff:", keep.cliff_date)
# --8<-- [end:keep]

# --8<-- [start:forward]
later = pt.Deal(
    pt.DealId("d-later"),
    pt.ClientId("c-prospect"),
    "marketing-hub",
    pt.DealKind.NEW,
    pt.SalesMotion.SOURCED,
    dt.date(2025, 11, 15),
    pt.Money("2100", "USD"),
)
print(pt.what_if(book, program, as_of=as_of, deals=[later]))
# --8<-- [end:forward]
