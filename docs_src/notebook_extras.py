"""Tutorial: the progress chart as a pandas DataFrame and as a matplotlib chart.

Needs the extras: pip install "partner-tiers[pandas,plot]".
"""

import datetime as dt

import partner_tiers as pt

book = pt.load_book("book.json")
program = pt.load_program("hubspot-2025")

# --8<-- [start:pandas]
chart = pt.progress(book, program, dt.date(2024, 10, 1), dt.date(2025, 9, 30))
frame = chart.to_pandas()  # one row per month
print(len(frame), "rows:", ", ".join(frame.columns))
changes = frame[frame["tier"] != frame["tier"].shift()]  # the months the tier changed
for day, tier in zip(changes["as_of"], changes["tier"], strict=True):
    print(day, tier)
# --8<-- [end:pandas]

# --8<-- [start:plot]
ax = chart.plot()  # a matplotlib Axes: one line per track, dashed next-tier lines
ax.figure.savefig("progress.png", dpi=100)
print("saved progress.png")
# --8<-- [end:plot]
