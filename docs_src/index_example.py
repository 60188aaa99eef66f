"""The ten-line example of the home page."""

import datetime as dt

import partner_tiers as pt

book = pt.load_book("book.json")  # a partner's clients, deals and certifications
program = pt.load_program("hubspot-2025")  # a shipped program, or a file path
status = pt.evaluate(book, program, as_of=dt.date(2025, 9, 30))

print(status.tier, status.values["total"])  # the tier held, and the total points
print(status.next_tier, status.to_next_tier["total"], status.to_next_tier["sourced"])
print(status.explain().about("next")[0])  # one line of the full explanation
