"""The strategy for valid programs: tracks, a ladder, rates, a currency table, gates and a
review policy that `partner_tiers.check_program` accepts."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from partner_tiers import (
    CurrencyTable,
    ExpiryRule,
    GateSpec,
    GrowthMarkets,
    Program,
    Promotion,
    RateRow,
    ReviewPolicy,
    RoundingRule,
    Tier,
    TrackSpec,
)
from partner_tiers.testing.strategies._values import (
    CENT,
    GROWTH_COUNTRIES,
    MAX_DATE,
    MIN_DATE,
    NAMES,
    dates,
    id_text,
)

__all__ = ["programs"]

_TRACK_CHOICES = ("total", "sold", "sourced", "assisted", "managed")
_THRESHOLD_STEP = st.integers(min_value=1, max_value=500)
_RATES = st.integers(min_value=0, max_value=10).map(Decimal)
_PER_100_USD: tuple[tuple[str, str], ...] = (
    ("USD", "100"),
    ("EUR", "75"),
    ("GBP", "62.50"),
    ("AUD", "105"),
    ("CAD", "130"),
    ("JPY", "12000"),
)
_PER_100 = st.sampled_from(_PER_100_USD)
_RATE_DAYS = st.lists(dates(MIN_DATE, MAX_DATE), min_size=1, max_size=3, unique=True)
_REVIEW_DATES = st.sampled_from((("01-01",), ("01-01", "07-01"), ("03-31", "09-30")))


@st.composite
def _programs(draw: st.DrawFn, max_tiers: int) -> Program:
    tracks = draw(st.lists(st.sampled_from(_TRACK_CHOICES), min_size=1, max_size=3, unique=True))
    count = draw(st.integers(min_value=1, max_value=max_tiers))
    reach_lines = {
        track: sorted(draw(st.lists(_THRESHOLD_STEP, min_size=count, max_size=count, unique=True)))
        for track in tracks
    }
    tiers = []
    for index in range(count):
        reach = {track: Decimal(lines[index]) for track, lines in reach_lines.items()}
        share = draw(st.sampled_from((Decimal("0.8"), Decimal("0.9"), Decimal(1))))
        retain = {track: (value * share).quantize(CENT) for track, value in reach.items()}
        tiers.append(Tier(f"tier-{index}", f"Tier {index}", reach, retain))
    rate_days = sorted(draw(_RATE_DAYS))
    rates = tuple(
        RateRow(day, draw(_RATES), draw(_RATES), draw(_RATES), draw(_RATES), draw(st.booleans()))
        for day in rate_days
    )
    table = dict(draw(st.lists(_PER_100, min_size=1, max_size=4, unique_by=lambda kv: kv[0])))
    gates: list[GateSpec] = []
    if draw(st.booleans()):
        gates.append(GateSpec("certified", "certification"))
    if draw(st.booleans()):
        gates.append(
            GateSpec("tools", "median_tool_usage", (), {"minimum": draw(st.integers(0, 8))})
        )
    return Program(
        name=draw(id_text("program")),
        version=draw(dates()).isoformat(),
        title=draw(NAMES),
        description=draw(NAMES),
        effective_from=rate_days[0],
        tracks=tuple(TrackSpec(track) for track in tracks),
        tiers=tuple(tiers),
        rates=rates,
        currencies=(CurrencyTable({code: Decimal(amount) for code, amount in table.items()}),),
        gates=tuple(gates),
        policy=ReviewPolicy(
            review_dates=draw(_REVIEW_DATES),
            promotion=draw(st.sampled_from(Promotion)),
            notice_days=draw(st.integers(min_value=0, max_value=60)),
            soft_landing=draw(st.booleans()),
            first_tier_deadline_months=draw(st.none() | st.integers(min_value=1, max_value=36)),
        ),
        growth_markets=(
            GrowthMarkets(frozenset(draw(st.sets(st.sampled_from(GROWTH_COUNTRIES))))),
        ),
        expiry=(ExpiryRule(draw(st.integers(min_value=1, max_value=36))),),
        rounding=(RoundingRule(draw(st.integers(min_value=0, max_value=4))),),
        price_before_first_row=draw(st.booleans()),
    )


def programs(*, max_tiers: int = 5) -> st.SearchStrategy[Program]:
    """Valid programs: 1 to 3 built-in tracks, a ladder of up to ``max_tiers`` tiers with
    strictly increasing reach thresholds and retain at 80-100% of reach, dated rate
    rows, one currency table, optional certification and tool-usage gates, and a review
    policy. Every generated program passes `partner_tiers.check_program`."""
    return _programs(max_tiers)
