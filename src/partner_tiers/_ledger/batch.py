"""Point batches: what one sale or managed period earns, when, under which rule, and the
totals of a ledger on a day."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from attrs import Attribute, field, frozen

from partner_tiers._errors import LedgerError
from partner_tiers._model.records import SalesMotion
from partner_tiers._model.values import ClientId, check_date, enum_member, to_decimal

__all__ = ["FIGURES", "Figure", "LedgerTotals", "Market", "PointBatch", "Track"]

ZERO = Decimal(0)


class Track(enum.StrEnum):
    """The two ways a partner earns points."""

    SOLD = "sold"
    MANAGED = "managed"


class Market(enum.StrEnum):
    """Growth markets earn a multiplier; every other country is standard."""

    GROWTH = "growth"
    STANDARD = "standard"


def _points(value: object) -> Decimal:
    return to_decimal(value, field_name="PointBatch.points")


def _rate(value: object) -> Decimal:
    return to_decimal(value, field_name="PointBatch.rate")


def _track(value: object) -> Track:
    return enum_member(Track, "PointBatch.track", value)


def _motion(value: object) -> SalesMotion:
    return enum_member(SalesMotion, "PointBatch.motion", value)


def _market(value: object) -> Market:
    return enum_member(Market, "PointBatch.market", value)


def _date(_instance: object, attribute: Attribute[Any], value: object) -> None:
    check_date("PointBatch", attribute.name, value)


def _optional_date(_instance: object, attribute: Attribute[Any], value: object) -> None:
    if value is not None:
        check_date("PointBatch", attribute.name, value)


def _usd(value: object) -> Decimal:
    return to_decimal(value, field_name="PointBatch.mrr_usd")


@frozen
class PointBatch:
    """Points earned (or taken away) at once, with where they came from.

    Attributes:
        id: unique in the ledger, e.g. ``sold:d-3`` or ``managed:c-fabrikam:s-fab-mkt:0``.
        track: sold or managed.
        motion: sourced, assisted, or none (managed credit, adjustments).
        client: the client the points come from.
        points: exact points; negative for downgrades and churn.
        earned_on: first day the points count.
        expires_on: first day they no longer count, or None if they never expire.
        origin: the deal id, or the managed-credit period, that produced the batch.
        program: the program version that priced the batch.
        rate: points per 100 USD-equivalent applied, multiplier included.
        rule: the rate row and currency table that priced it, in words.
        market: growth or standard, from the client's country.
        mrr_usd: the USD-equivalent MRR the batch priced (the partner's share for managed
            credit); the legacy MRR tracks sum it.
        offsets: for a negative batch, the id of the batch it reduces.
    """

    id: str
    track: Track = field(converter=_track)
    motion: SalesMotion = field(converter=_motion)
    client: ClientId
    points: Decimal = field(converter=_points)
    earned_on: dt.date = field(validator=_date)
    expires_on: dt.date | None = field(validator=_optional_date)
    origin: str
    program: str = ""
    rate: Decimal = field(default=ZERO, converter=_rate)
    rule: str = ""
    market: Market = field(default=Market.STANDARD, converter=_market)
    mrr_usd: Decimal = field(default=ZERO, converter=_usd)
    offsets: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.expires_on is not None and self.expires_on <= self.earned_on:
            raise LedgerError(
                f"PointBatch.expires_on: {self.expires_on} must be after earned_on "
                f"{self.earned_on} (batch {self.id!r})"
            )

    def active_on(self, day: dt.date) -> bool:
        """True when the batch counts on the day."""
        return self.earned_on <= day and (self.expires_on is None or day < self.expires_on)

    def expired_on(self, day: dt.date) -> bool:
        """True when the batch was earned and has stopped counting by the day."""
        return self.expires_on is not None and self.expires_on <= day


@frozen
class LedgerTotals:
    """Point totals (and USD-equivalent MRR) as of one date.

    Attributes:
        sold: sold points, whatever the motion.
        sourced: sold points from partner-sourced deals.
        assisted: sold points from partner-assisted deals.
        managed: managed points.
        sold_mrr_usd: USD-equivalent MRR of the active sold batches.
        managed_mrr_usd: USD-equivalent managed MRR (the partner's share).
        total: sold + managed.
    """

    sold: Decimal = ZERO
    sourced: Decimal = ZERO
    assisted: Decimal = ZERO
    managed: Decimal = ZERO
    sold_mrr_usd: Decimal = ZERO
    managed_mrr_usd: Decimal = ZERO
    total: Decimal = field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "total", self.sold + self.managed)

    def as_dict(self) -> dict[str, Decimal]:
        """The points totals by name: sold, sourced, assisted, managed and total."""
        return {
            "sold": self.sold,
            "sourced": self.sourced,
            "assisted": self.assisted,
            "managed": self.managed,
            "total": self.total,
        }


@frozen
class Figure:
    """One figure of the ledger that a built-in track reads: which batches count toward
    it, and whether it adds their points or their USD-equivalent MRR.

    This table is the one place that says which track counts what: the ledger's running
    sums, the built-in tracks, the projection, the explanation and the what-if solver
    all read it.

    Attributes:
        name: the figure's and the built-in track's name, e.g. ``sourced``.
        description: what it measures, in words.
        track: the batches' track it counts (None: both).
        motion: the sales motion it counts (None: any).
        usd: whether it adds ``mrr_usd`` rather than ``points``.
    """

    name: str
    description: str
    track: Track | None = None
    motion: SalesMotion | None = None
    usd: bool = False

    def counts(self, track: Track, motion: SalesMotion | str) -> bool:
        """Whether a batch of the track and motion counts toward the figure."""
        return (self.track is None or track is self.track) and (
            self.motion is None or motion == self.motion
        )

    def of(self, batch: PointBatch) -> Decimal:
        """What the batch adds to the figure (zero when it does not count)."""
        if not self.counts(batch.track, batch.motion):
            return ZERO
        return batch.mrr_usd if self.usd else batch.points


FIGURES: tuple[Figure, ...] = (
    Figure("sold", "sold points, any sales motion", Track.SOLD),
    Figure("sourced", "sold points from partner-sourced deals", Track.SOLD, SalesMotion.SOURCED),
    Figure("assisted", "sold points from partner-assisted deals", Track.SOLD, SalesMotion.ASSISTED),
    Figure("managed", "managed points", Track.MANAGED),
    Figure(
        "sold_mrr_usd",
        "USD-equivalent MRR of the sold batches still counting (legacy)",
        Track.SOLD,
        usd=True,
    ),
    Figure(
        "managed_mrr_usd",
        "USD-equivalent managed MRR, the partner's share (legacy)",
        Track.MANAGED,
        usd=True,
    ),
    Figure("total", "sold + managed points"),
)
"""Every figure of the ledger, in the order of `LedgerTotals`' fields."""
