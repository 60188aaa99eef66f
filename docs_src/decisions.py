"""Explanation: decisions, reviews, soft landing and gates, on the example book."""

# --8<-- [start:history]
import datetime as dt

import partner_tiers as pt

book = pt.load_book("book.json")
program = pt.load_program("hubspot-2025")
print(program.policy)

status = pt.evaluate(book, program, as_of=dt.date(2025, 9, 30))
for change in status.history:
    print(f"{change.on}: {change.from_tier} -> {change.to_tier}: {change.reason}")
# --8<-- [end:history]

# --8<-- [start:provider]
status = pt.evaluate(book, program, as_of=dt.date(2023, 12, 31))
print(status.tier, status.level)
# --8<-- [end:provider]

# --8<-- [start:pending]
status = pt.evaluate(book, program, as_of=dt.date(2025, 7, 15))
print("held:", status.tier, "- qualified:", status.qualified_tier)
print("pending:", status.pending_demotion)
# --8<-- [end:pending]

# --8<-- [start:gates]
as_of, lapse_on = dt.date(2025, 9, 30), dt.date(2025, 9, 1)
lapsed = pt.what_if(book, program, as_of=as_of, certifications_lapse_on=lapse_on)
for line in lapsed.after.reasons:
    if line.startswith(("points reach", "gates cap")):
        print(line)
print("qualified:", lapsed.after.qualified_tier, "- held:", lapsed.after.tier)
for gate in lapsed.after.gates:
    if not gate.passed:
        guards = ", ".join(gate.tiers) or "every tier"
        print(f"{gate.name} failed: guards {guards}, caps at {gate.caps_at}")
# --8<-- [end:gates]

# --8<-- [start:unchanged]
before = pt.load_book("book.json")
pt.evaluate(before, program, as_of=dt.date(2025, 9, 30))
pt.what_if(before, program, as_of=dt.date(2025, 9, 30), end_services=["c-adatum"])
print("book unchanged:", before == pt.load_book("book.json"))
# --8<-- [end:unchanged]
