"""Explanation: what the shipped programs say about their sources and example values."""

# --8<-- [start:descriptions]
import re

import partner_tiers as pt

for name in pt.list_programs():
    program = pt.load_program(name)
    sentences = re.split(r"(?<=\.) ", program.description)
    print(f"{name}:", " ".join(s for s in sentences if "EXAMPLE VALUES" in s))
# --8<-- [end:descriptions]

# --8<-- [start:sources]
program = pt.load_program("hubspot-2025")
Row = pt.RateRow | pt.CurrencyTable | pt.GrowthMarkets | pt.ExpiryRule
rows: list[Row] = [*program.rates, *program.currencies, *program.growth_markets]
rows += program.expiry
for row in rows:
    source = row.source
    print(f"{type(row).__name__} from {row.effective_from or 'the beginning'}:")
    print(f"  {source.url or '(no page)'}, published {source.published or '(no date)'}")
    if re.search(r"example value|not published|not stated", source.note, re.IGNORECASE):
        print(f"  note: {source.note}")
# --8<-- [end:sources]
