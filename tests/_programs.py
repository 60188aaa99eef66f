"""Small programs for the worked examples and the state machine, after the shape of the
shipped HubSpot programs: a constant program whose ladder small books reach, and a ladder
of one track for the review's demotion rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import partner_tiers as pt

__all__ = [
    "GROWTH",
    "LADDER",
    "MANAGED_RATE",
    "MULTIPLIER",
    "PER_100_USD",
    "PROGRAM",
    "RATES",
    "REVIEW",
    "ladder_program",
    "machine_program",
]

# The published formula the state machine's oracle prices with, and PROGRAM states.
RATES = {"sourced": Decimal(5), "assisted": Decimal(3)}
MANAGED_RATE = Decimal(1)
PER_100_USD = {"USD": Decimal(100), "EUR": Decimal(88), "JPY": Decimal(14400)}
GROWTH = {"IN", "BR"}
MULTIPLIER = Decimal(2)
LADDER = (  # (tier, total, sourced, managed): low, so that small books reach them
    ("gold", Decimal("5.25"), Decimal(1), Decimal(1)),
    ("platinum", Decimal("52.5"), Decimal(10), Decimal(10)),
    ("diamond", Decimal(420), Decimal(80), Decimal(80)),
)


def machine_program() -> pt.Program:
    """Constant rules: one rate row, one currency table, one growth list; one gate."""
    return pt.program_from_dict(
        {
            "name": "stateful",
            "version": "1",
            "title": "A constant program for the state machine",
            "description": "Example values.",
            "effective_from": "2019-01-01",
            "tracks": [{"id": "total"}, {"id": "sourced"}, {"id": "managed"}],
            "tiers": [
                {
                    "id": tier,
                    "name": tier.title(),
                    "reach": {
                        "total": str(total),
                        "sourced": str(sourced),
                        "managed": str(managed),
                    },
                }
                for tier, total, sourced, managed in LADDER
            ],
            "gates": [{"id": "certified", "kind": "certification"}],
            "rates": [
                {
                    "effective_from": "2019-01-01",
                    "sourced": "5",
                    "assisted": "3",
                    "unattributed": "3",
                    "managed": "1",
                }
            ],
            "currencies": [{"per_100_usd": {code: str(v) for code, v in PER_100_USD.items()}}],
            "growth_markets": [{"countries": sorted(GROWTH), "multiplier": "2"}],
            "expiry": [{"months": 12}],
            "rounding": [{"places": 2, "mode": "half_up"}],
        }
    )


PROGRAM = machine_program()


# The review of the ladder program's examples (its reviews are on 01-01 and 07-01).
REVIEW = dt.date(2024, 7, 1)


def ladder_program(*, soft_landing: bool) -> pt.Program:
    """PROGRAM with one track, total, and three tiers (reach / retain): gold 10 / 8,
    platinum 50 / 40, diamond 100 / 80; reviews on 01-01 and 07-01, no gates."""
    data = pt.program_to_dict(PROGRAM)
    data["tracks"] = [{"id": "total"}]
    data["tiers"] = [
        {"id": tier, "name": tier.title(), "reach": {"total": reach}, "retain": {"total": keep}}
        for tier, reach, keep in (("gold", "10", "8"), ("platinum", "50", "40"),
                                  ("diamond", "100", "80"))
    ]  # fmt: skip
    data["gates"] = []
    data["policy"] = {"review_dates": ["01-01", "07-01"], "soft_landing": soft_landing}
    return pt.program_from_dict(data)
