"""How-to: evaluate what was known on a day (known-at, bitemporal evaluation)."""

# --8<-- [start:late]
import datetime as dt

import attrs

import partner_tiers as pt

book = pt.load_book("book.json")
program = pt.load_program("hubspot")

# d-5 closed on 2025-02-11 but was entered in the book on 2025-03-10.
deals = tuple(
    attrs.evolve(deal, recorded_on=dt.date(2025, 3, 10)) if deal.id == "d-5" else deal
    for deal in book.deals
)
book = attrs.evolve(book, deals=deals)

review = dt.date(2025, 2, 28)
for known_at in (dt.date(2025, 3, 1), dt.date(2025, 3, 10), None):
    status = pt.evaluate(book, program, as_of=review, known_at=known_at)
    print(
        f"as of {review}, known at {known_at}: assisted {status.points['assisted']}, "
        f"total {status.points['total']}, tier {status.tier}"
    )
# --8<-- [end:late]

# --8<-- [start:book]
known = book.known_at(dt.date(2025, 3, 1))
print([deal.id for deal in known.deals])
print(known.mrr_on("s-fab-mkt", dt.date(2025, 2, 28)))
# --8<-- [end:book]

# --8<-- [start:empty]
early = pt.evaluate(book, program, as_of=review, known_at=dt.date(2020, 1, 1))
print(early.tier, early.points["total"], early.known_at)
# --8<-- [end:empty]
