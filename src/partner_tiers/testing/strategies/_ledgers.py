"""Strategies for point batches priced at a published rate, and for points ledgers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal

from hypothesis import strategies as st

from partner_tiers import ClientId, Market, PointBatch, PointsLedger, SalesMotion, Track
from partner_tiers.testing.strategies._values import (
    CENT,
    CLIENT_IDS,
    MAX_DATE,
    MIN_DATE,
    amounts,
    client_ids_from,
    date_after,
    dates,
    id_text,
    maybe,
)

__all__ = ["ledgers", "point_batches"]

_PROGRAMS = ("hubspot-2022", "hubspot-2024", "hubspot-2025")

# Points per 100 USD-equivalent, growth-market multiplier included (domain.md, section 2).
_SOLD_RATES = (Decimal(3), Decimal(5), Decimal(6), Decimal(10))
_MANAGED_RATES = (Decimal(1), Decimal(2))

# At least 1 USD, so that even the lowest rate gives at least 0.01 points.
_BATCH_MRR = amounts(1, 100_000)
_NEGATIVE_ODDS = st.integers(min_value=0, max_value=3)
_EARNED_ON = dates(MIN_DATE, MAX_DATE - dt.timedelta(days=1))
_BATCH_IDS = {track: id_text(str(track)) for track in Track}
_TRACKS = st.sampled_from(Track)
_MOTIONS = st.sampled_from(SalesMotion)
_MARKETS = st.sampled_from(Market)


@st.composite
def _point_batches(
    draw: st.DrawFn,
    ids: st.SearchStrategy[str] | None,
    client_choice: st.SearchStrategy[ClientId],
    allow_negative: bool,
) -> PointBatch:
    track = draw(_TRACKS)
    if track is Track.SOLD:
        motion = draw(_MOTIONS)
        rate = draw(st.sampled_from(_SOLD_RATES))
    else:
        motion = SalesMotion.NONE
        rate = draw(st.sampled_from(_MANAGED_RATES))
    mrr_usd = draw(_BATCH_MRR)
    points = (mrr_usd * rate / 100).quantize(CENT, rounding=ROUND_HALF_EVEN)
    negative = allow_negative and track is Track.SOLD and draw(_NEGATIVE_ODDS) == 0
    if negative:
        points, mrr_usd = -points, -mrr_usd
    earned_on = draw(_EARNED_ON)
    batch_id = draw(_BATCH_IDS[track] if ids is None else ids)
    return PointBatch(
        id=batch_id,
        track=track,
        motion=motion,
        client=draw(client_choice),
        points=points,
        earned_on=earned_on,
        expires_on=date_after(draw, earned_on) if draw(st.booleans()) else None,
        origin=f"origin-of-{batch_id}",
        program=draw(st.sampled_from(_PROGRAMS)),
        rate=rate,
        rule=f"{rate} points per 100 USD",
        market=draw(_MARKETS),
        mrr_usd=mrr_usd,
        offsets=maybe(draw, _BATCH_IDS[Track.SOLD]) if negative else None,
    )


def point_batches(
    *,
    ids: st.SearchStrategy[str] | None = None,
    client_ids: Sequence[str] | None = None,
    allow_negative: bool = True,
) -> st.SearchStrategy[PointBatch]:
    """Point batches of either track, priced at a published rate.

    Sold batches have any motion; managed batches have motion ``none``. With
    ``allow_negative`` about one sold batch in four is a reduction (negative points and
    MRR, as for a downgrade or churn). A batch never expires, or expires after the day it
    is earned.

    Args:
        ids: the batch ids (ids such as ``sold-x1`` by default).
        client_ids: the clients the batches come from (any client id when None).
        allow_negative: whether reductions are generated.
    """
    return _point_batches(ids, client_ids_from(client_ids), allow_negative)


@st.composite
def _ledgers(draw: st.DrawFn, min_size: int, max_size: int, allow_negative: bool) -> PointsLedger:
    # A few clients shared by many batches, so that per-client totals are interesting.
    pool = draw(st.lists(CLIENT_IDS, min_size=1, max_size=4, unique=True))
    batches = draw(
        st.lists(
            point_batches(client_ids=pool, allow_negative=allow_negative),
            min_size=min_size,
            max_size=max_size,
            unique_by=lambda batch: batch.id,
        )
    )
    return PointsLedger(batches)


def ledgers(
    *, min_size: int = 0, max_size: int = 20, allow_negative: bool = True
) -> st.SearchStrategy[PointsLedger]:
    """Points ledgers of ``min_size`` to ``max_size`` batches with unique ids, from a
    handful of clients (see `point_batches`)."""
    return _ledgers(min_size, max_size, allow_negative)
