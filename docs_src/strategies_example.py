"""How-to: property-based tests of your own code with partner_tiers' strategies.

Save as tests/test_summary.py in your project and run pytest; Hypothesis is needed
(pip install "partner-tiers[tests]" or pip install hypothesis).
"""

# --8<-- [start:imports]
import datetime as dt
import json
from decimal import Decimal
from typing import Any

from hypothesis import given, settings

import partner_tiers as pt
from partner_tiers.testing import strategies as pts

# --8<-- [end:imports]

# --8<-- [start:code]
PROGRAM = pt.load_program("hubspot-2025")


def summary(book: pt.Book, as_of: dt.date) -> dict[str, Any]:
    """Your code: the summary a dashboard shows for one partner."""
    status = pt.evaluate(book, PROGRAM, as_of=as_of)
    return {
        "partner": book.partner.name,
        "tier": status.tier,
        "total": str(status.values["total"]),
        "missing_for_next_tier": {k: str(v) for k, v in status.to_next_tier.items()},
    }


# --8<-- [end:code]


# --8<-- [start:tests]
@settings(max_examples=25, deadline=None)
@given(book=pts.books(), as_of=pts.dates())
def test_summary_is_json_for_any_book(book: pt.Book, as_of: dt.date) -> None:
    data = summary(book, as_of)
    assert json.loads(json.dumps(data)) == data
    assert data["tier"] in {None, *(tier.id for tier in PROGRAM.tiers)}


@settings(max_examples=25, deadline=None)
@given(ledger=pts.ledgers(), as_of=pts.dates())
def test_totals_add_up(ledger: pt.PointsLedger, as_of: dt.date) -> None:
    totals = ledger.totals(as_of)
    assert totals.total == totals.sold + totals.managed
    active_sold = [b.points for b in ledger.active(as_of) if b.track is pt.Track.SOLD]
    assert totals.sold == sum(active_sold, Decimal(0))


@settings(max_examples=25, deadline=None)
@given(book=pts.books(countries=pts.GROWTH_COUNTRIES, currencies=["USD"]))
def test_round_trip_through_the_file_format(book: pt.Book) -> None:
    assert pt.loads_book(pt.dumps_book(book)) == book


# --8<-- [end:tests]
