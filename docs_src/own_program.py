"""Tutorial: load a program file of your own and evaluate a book under it."""

# --8<-- [start:evaluate]
import datetime as dt

import partner_tiers as pt

program = pt.load_program("my-program.toml")  # a path: the format follows the suffix
print(program.label, "-", [tier.id for tier in program.tiers])

book = pt.load_book("book.json")
status = pt.evaluate(book, program, as_of=dt.date(2025, 9, 30))
missing = ", ".join(f"{track} {value}" for track, value in status.to_next_tier.items())
print("tier:", status.tier, "- next:", status.next_tier, "needs", missing, "more")
# --8<-- [end:evaluate]

# --8<-- [start:explain]
for line in status.explain().lines():
    if line.startswith(("points", "tier held", "to reach")):
        print(line)
# --8<-- [end:explain]

# --8<-- [start:history]
for change in status.history:
    print(change.on, change.from_tier, "->", change.to_tier, "-", change.reason)
# --8<-- [end:history]
