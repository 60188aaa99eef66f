"""How-to: explain why a partner's status changed between two days."""

# --8<-- [start:compare]
import datetime as dt

import partner_tiers as pt

book = pt.load_book("book.json")
program = pt.load_program("hubspot")

december = pt.evaluate(book, program, as_of=dt.date(2024, 12, 31))
june = pt.evaluate(book, program, as_of=dt.date(2025, 6, 30))
difference = pt.explain_difference(december, june)
print(difference)
# --8<-- [end:compare]

# --8<-- [start:values]
sold = difference.track("sold")
for cause in sold.causes:
    print(cause.kind, cause.amount, [batch for batch, _ in cause.items])
print(sum(cause.amount for cause in sold.causes) == sold.change)
# --8<-- [end:values]
