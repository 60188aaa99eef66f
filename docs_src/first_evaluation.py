"""Tutorial: load a book, evaluate it under a shipped program, read the explanation."""

# --8<-- [start:load]
import datetime as dt

import partner_tiers as pt

book = pt.load_book("book.json")
print(book.partner.name, "joined on", book.partner.joined_on)
print(len(book.clients), "clients and", len(book.deals), "deals")

print(pt.list_programs())
program = pt.load_program("hubspot-2025")
print(program.label, "-", program.title)
# --8<-- [end:load]

# --8<-- [start:evaluate]
status = pt.evaluate(book, program, as_of=dt.date(2025, 9, 30))

print("tier:", status.tier)
print("points:", {name: str(value) for name, value in status.points.items()})
for track, value in status.values.items():
    print(f"track {track}: {value}")
# --8<-- [end:evaluate]

# --8<-- [start:next]
print("next tier:", status.next_tier)
for track, missing in status.to_next_tier.items():
    reach = status.next_tier_reach[track]
    print(f"  {track}: reach {reach}, value {status.values[track]}, missing {missing}")
# --8<-- [end:next]

# --8<-- [start:keep]
for track, surplus in status.to_keep_tier.items():
    minimum = status.retain_minimum[track]
    print(f"keep {status.tier} on {track}: minimum {minimum}, surplus {surplus}")
print("next review:", status.next_review, "- projected:", status.projected_tier)
# --8<-- [end:keep]

# --8<-- [start:gates]
for gate in status.gates:
    print("PASS" if gate.passed else "FAIL", gate.name, "-", gate.reason)
# --8<-- [end:gates]

# --8<-- [start:explain]
explanation = status.explain()
print(explanation)
# --8<-- [end:explain]

# --8<-- [start:about]
for reason in explanation.about("track"):
    if reason.batches:
        print(reason.subject, "<-", ", ".join(reason.batches))
# --8<-- [end:about]

# --8<-- [start:history]
hubspot = pt.load_program("hubspot")
for day in (dt.date(2025, 7, 14), dt.date(2025, 7, 15), dt.date(2025, 9, 30)):
    on_day = pt.evaluate(book, hubspot, as_of=day)
    print(day, on_day.program, on_day.tier)
for change in on_day.history:
    print(f"{change.on} {change.cause}: {change.from_tier} -> {change.to_tier}")
    print(f"  under {change.version}: {change.reason}")
# --8<-- [end:history]
