"""A polars reference: point totals and the tier by reach thresholds of many partners on
one date, and the tier moves between two programs, as a hand-written polars query.

The same rules as ``reference_pandas`` (see its docstring), written over one table of
every partner's deals: money and points are Int64 cents, each batch rounded half up to
the cent, so each partner's totals equal ``pt.build_ledger(book, program).totals(as_of)``.
Gates and the review policy are left out: the tier is the one the points reach.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

import polars as pl
from reference_common import (
    Rules,
    days,
    mrr_periods,
    offsets,
    round_half_up,
    rules,
    to_totals,
)

import partner_tiers as pt

__all__ = ["Frames", "Result", "evaluate", "frames", "impact", "tiers"]

_NONE_DAY = 2**62  # "no end" for services and subscriptions
_CHUNK = 200  # books per block of rows while building the frames


class Frames(NamedTuple):
    """Every partner's records as DataFrames: partners, deals (with the client's country),
    subscriptions and managed services. Days are Int64 days since 1970-01-01 and amounts
    Int64 cents."""

    partners: Any
    deals: Any
    subscriptions: Any
    managed: Any


class Result(NamedTuple):
    """Point totals (exact Decimals) and the tier the points reach."""

    totals: dict[str, Decimal]
    tier: str | None


def _cents(money: pt.Money) -> int:
    scaled = money.amount * 100
    if scaled != scaled.to_integral_value():
        raise NotImplementedError(f"{money} has more than two decimal places")
    return int(scaled)


def _block(books: list[pt.Book]) -> tuple[Any, Any, Any, Any]:
    deals: dict[str, list[Any]] = {
        name: []
        for name in ("partner", "deal", "client", "line", "kind", "motion", "closed", "cents")
    }
    deals["currency"], deals["country"] = [], []
    subscriptions: dict[str, list[Any]] = {
        name: []
        for name in (
            "partner",
            "client",
            "line",
            "started",
            "ended",
            "mrr_from",
            "mrr_until",
            "mrr_cents",
            "currency",
        )
    }
    subscriptions["country"] = []
    managed: dict[str, list[Any]] = {
        name: [] for name in ("partner", "client", "since", "until", "partners")
    }
    for book in books:
        partner = book.partner.id
        countries = {client.id: client.country for client in book.clients}
        for deal in book.deals:
            deals["partner"].append(partner)
            deals["deal"].append(deal.id)
            deals["client"].append(deal.client)
            deals["line"].append(deal.product_line)
            deals["kind"].append(deal.kind.value)
            deals["motion"].append(deal.motion.value)
            deals["closed"].append(days(deal.closed_on))
            deals["cents"].append(_cents(deal.mrr_change))
            deals["currency"].append(deal.mrr_change.currency)
            deals["country"].append(countries[deal.client])
        for subscription, (since, until, mrr) in (
            (s, period) for s in book.subscriptions for period in mrr_periods(book, s)
        ):
            # One row per MRR period; started and ended stay the subscription's own.
            subscriptions["partner"].append(partner)
            subscriptions["client"].append(subscription.client)
            subscriptions["line"].append(subscription.product_line)
            subscriptions["started"].append(days(subscription.started_on))
            ended = subscription.ended_on
            subscriptions["ended"].append(_NONE_DAY if ended is None else days(ended))
            subscriptions["mrr_from"].append(days(since))
            subscriptions["mrr_until"].append(_NONE_DAY if until is None else days(until))
            subscriptions["mrr_cents"].append(_cents(mrr))
            subscriptions["currency"].append(subscription.mrr.currency)
            subscriptions["country"].append(countries[subscription.client])
        for service in book.managed_services:
            managed["partner"].append(partner)
            managed["client"].append(service.client)
            managed["since"].append(days(service.since))
            managed["until"].append(_NONE_DAY if service.until is None else days(service.until))
            managed["partners"].append(service.partners)
    integers = (
        "closed",
        "cents",
        "started",
        "ended",
        "mrr_from",
        "mrr_until",
        "mrr_cents",
        "since",
        "until",
        "partners",
    )
    ints = dict.fromkeys(integers, pl.Int64)

    def frame(columns: dict[str, list[Any]]) -> Any:
        schema = {name: ints.get(name, pl.String) for name in columns}
        return pl.DataFrame(columns, schema=schema)

    return (
        pl.DataFrame(
            {"partner": [book.partner.id for book in books]}, schema={"partner": pl.String}
        ),
        frame(deals),
        frame(subscriptions),
        frame(managed),
    )


def frames(books: Iterable[pt.Book]) -> Frames:
    """Every book's records as DataFrames, built a block of books at a time so that a
    lazily generated portfolio never sits in memory as records."""
    blocks: list[tuple[Any, Any, Any, Any]] = []
    pending: list[pt.Book] = []
    for book in books:
        pending.append(book)
        if len(pending) == _CHUNK:
            blocks.append(_block(pending))
            pending = []
    if pending or not blocks:
        blocks.append(_block(pending))
    return Frames(*(pl.concat([block[i] for block in blocks], rechunk=True) for i in range(4)))


def _in_force(starts: tuple[int, ...], day: Any, values: list[Any], before_first: Any) -> Any:
    """The value of the row in force on ``day`` (an expression): that of the last row
    started on or before it, or ``before_first`` before every row."""
    expression: Any = None
    for start, value in reversed(list(zip(starts, values, strict=True))):
        if expression is None:
            expression = pl.when(day >= start).then(value)
        else:
            expression = expression.when(day >= start).then(value)
    return before_first if expression is None else expression.otherwise(before_first)


def _rows(rules: Rules, day: Any, rate: tuple[int, ...]) -> Any:
    first = pl.lit(rate[0], pl.Int64) if rules.price_before_first_row else pl.lit(None, pl.Int64)
    return _in_force(rules.rate_starts, day, [pl.lit(r, pl.Int64) for r in rate], first)


def _motion_rate(rules: Rules, day: Any) -> Any:
    motion = pl.col("motion")
    return (
        pl.when(motion == "sourced")
        .then(_rows(rules, day, rules.sourced))
        .when(motion == "assisted")
        .then(_rows(rules, day, rules.assisted))
        .otherwise(_rows(rules, day, rules.unattributed))
    )


def _per_100(rules: Rules, day: Any) -> Any:
    tables = [
        pl.col("currency").replace_strict(dict(amounts), default=None, return_dtype=pl.Int64)
        for amounts in rules.per_100_usd
    ]
    return _in_force(rules.currency_starts, day, tables, pl.lit(None, pl.Int64))


def _multiplier(rules: Rules, day: Any) -> Any:
    lists = [
        pl.when(pl.col("country").is_in(sorted(countries)))
        .then(pl.lit(factor, pl.Int64))
        .otherwise(pl.lit(100, pl.Int64))
        for countries, factor in rules.growth
    ]
    return _in_force(rules.growth_starts, day, lists, pl.lit(100, pl.Int64))


def _expiry(rules: Rules, day: Any) -> Any:
    """Calendar months later, clipped to the month's end (polars' offset_by("12mo")
    clips like dateutil's relativedelta)."""
    date = pl.from_epoch(day, time_unit="d")
    shifted = [date.dt.offset_by(f"{months}mo").cast(pl.Int64) for months in rules.expiry_months]
    return _in_force(rules.expiry_starts, day, shifted, shifted[0])


def _priced(frames: Frames, rules: Rules) -> Any:
    """The positive deals with their points (cents) and expiry day."""
    positive = frames.deals.filter(pl.col("cents") > 0)
    first_sale = (
        pl.concat(
            [
                positive.select("partner", "client", "line", "closed"),
                frames.subscriptions.select(
                    "partner", "client", "line", pl.col("started").alias("closed")
                ),
            ]
        )
        .group_by("partner", "client", "line")
        .agg(pl.col("closed").min().alias("first_sale"))
    )
    day = pl.col("closed")
    first = pl.col("first_sale")
    grandfathered = (
        # Whatever the deal's kind says: the rate follows the line's first sale.
        _rows(rules, day, tuple(int(flag) for flag in rules.grandfather)).cast(pl.Boolean)
        & (first < _rows(rules, day, rules.rate_starts))
    )
    rate = (
        pl.when(grandfathered).then(_motion_rate(rules, first)).otherwise(_motion_rate(rules, day))
    )
    priced = positive.join(first_sale, on=["partner", "client", "line"], how="left").with_columns(
        rate=rate, per_100=_per_100(rules, day), multiplier=_multiplier(rules, day)
    )
    if priced.select(pl.col("rate").is_null().any() | pl.col("per_100").is_null().any()).item():
        raise ValueError("a deal that no rate row or currency table entry covers")
    return priced.with_columns(
        points=round_half_up(
            pl.col("cents") * pl.col("rate") * pl.col("multiplier"), pl.col("per_100") * 100
        ),
        expires=_expiry(rules, day),
    )


def _offsets(frames: Frames, priced: Any) -> Any:
    """The negative batches of downgrades and churn: the integer offsets loop over the
    deals of the product lines that have a reduction."""
    keys = ["partner", "client", "line"]
    negative = frames.deals.filter(pl.col("cents") < 0)
    columns = [*keys, "deal", "closed", "cents", "currency", "motion", "points", "expires"]
    rows = (
        pl.concat(
            [
                priced.select(columns),
                negative.with_columns(
                    points=pl.lit(0, pl.Int64), expires=pl.lit(0, pl.Int64)
                ).select(columns),
            ]
        )
        .join(negative.select(keys).unique(), on=keys)
        # A product line as one integer, for the loop to compare.
        .with_columns(group=pl.struct(keys).rank("dense"), order=pl.col("cents") < 0)
        .sort(["group", "closed", "order", "deal"])
    )
    found = offsets(
        rows["group"].to_numpy(),
        rows["closed"].to_numpy(),
        rows["cents"].to_numpy(),
        rows["currency"].to_list(),
        rows["points"].to_numpy(),
        rows["expires"].to_numpy(),
    )
    source = pl.Series(found.source, dtype=pl.Int64)
    return pl.DataFrame(
        {
            "partner": rows["partner"].gather(source),
            "earned": pl.Series(found.earned, dtype=pl.Int64),
            "expires": rows["expires"].gather(source),
            "points": -pl.Series(found.points_cents, dtype=pl.Int64),
            "motion": rows["motion"].gather(source),
        },
        schema={
            "partner": pl.String,
            "earned": pl.Int64,
            "expires": pl.Int64,
            "points": pl.Int64,
            "motion": pl.String,
        },
    )


def _managed(frames: Frames, rules: Rules, as_of: int) -> Any:
    """Managed points per partner on the day (cents), priced by the rules in force."""
    day = pl.lit(as_of, pl.Int64)
    start = pl.max_horizontal("since", "started", "mrr_from")
    if rules.rate_starts and not rules.price_before_first_row:
        start = pl.max_horizontal(start, pl.lit(rules.rate_starts[0], pl.Int64))
    end = pl.min_horizontal("until", "ended", "mrr_until")
    active = frames.managed.join(frames.subscriptions, on=["partner", "client"]).filter(
        (start <= as_of) & (end > as_of)
    )
    return (
        active.with_columns(
            points=round_half_up(
                pl.col("mrr_cents") * _rows(rules, day, rules.managed) * _multiplier(rules, day),
                _per_100(rules, day) * 100 * pl.col("partners"),
            )
        )
        .group_by("partner")
        .agg(managed=pl.col("points").sum())
    )


def _totals(frames: Frames, rules: Rules, as_of: int) -> Any:
    """Per partner: sold, sourced, assisted, managed and total points (cents)."""
    priced = _priced(frames, rules)
    batches = pl.concat(
        [
            priced.select(
                "partner", pl.col("closed").alias("earned"), "expires", "points", "motion"
            ),
            _offsets(frames, priced),
        ]
    )
    motion = pl.col("motion")
    sold = (
        batches.filter((pl.col("earned") <= as_of) & (pl.col("expires") > as_of))
        .group_by("partner")
        .agg(
            sold=pl.col("points").sum(),
            sourced=pl.col("points").filter(motion == "sourced").sum(),
            assisted=pl.col("points").filter(motion == "assisted").sum(),
        )
    )
    return (
        frames.partners.join(sold, on="partner", how="left")
        .join(_managed(frames, rules, as_of), on="partner", how="left")
        .fill_null(0)
        .with_columns(total=pl.col("sold") + pl.col("managed"))
    )


def tiers(frames: Frames, program: pt.Program, as_of: dt.date) -> Any:
    """Per partner: the points totals (cents) and the tier the points reach."""
    table = rules(program)
    totals = _totals(frames, table, days(as_of))
    tier: Any = pl.lit(None, pl.String)
    for tier_id, reach in table.tiers:  # lowest first: each higher tier overrides
        met = pl.all_horizontal(
            [pl.col(dict(table.tracks)[track]) >= threshold for track, threshold in reach.items()]
        )
        tier = pl.when(met).then(pl.lit(tier_id)).otherwise(tier)
    return totals.with_columns(tier=tier)


def impact(
    frames: Frames, a: pt.Program, b: pt.Program, as_of: dt.date
) -> Counter[tuple[str | None, str | None]]:
    """How many partners move from each tier under ``a`` to each tier under ``b``."""
    moves = (
        tiers(frames, a, as_of)
        .select("partner", tier_a="tier")
        .join(tiers(frames, b, as_of).select("partner", tier_b="tier"), on="partner")
    )
    counts = moves.group_by("tier_a", "tier_b").len()
    return Counter({(row[0], row[1]): row[2] for row in counts.iter_rows()})


def evaluate(book: pt.Book, program: pt.Program, as_of: dt.date) -> Result:
    """Point totals and the tier by reach thresholds of one book on ``as_of``."""
    row = tiers(frames([book]), program, as_of).row(0, named=True)
    totals = to_totals(row["sold"], row["sourced"], row["assisted"], row["managed"])
    return Result(totals, row["tier"])
