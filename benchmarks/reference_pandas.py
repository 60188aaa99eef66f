"""A pandas reference: the point totals and the tier by reach thresholds of one book on one
date, as a notebook user would compute them without partner_tiers.

Money and points are int64 hundredths (cents); each batch is rounded half up to the cent
as the programs say, so the totals are exact and must equal
``pt.build_ledger(book, program).totals(as_of)``. The rules it implements: the rate row in
force on the closing day, grandfathered sales (the rate of the line's first sale, whatever
the deal's kind), the currency table and growth list in force, expiry after the program's
calendar months, downgrade and churn offsets (``reference_common.offsets``, on
integers), and managed credit priced by the rules in force on the date, shared between
partners. Gates and the review policy are left out: the tier is the one the points reach.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from reference_common import (
    Rules,
    days,
    mrr_periods,
    offsets,
    qualified_tier,
    round_half_up,
    rules,
    to_totals,
)

import partner_tiers as pt

__all__ = ["Frames", "Result", "evaluate", "evaluate_frames", "frames"]

_NONE_DAY = np.iinfo(np.int64).max  # "no end" for services and subscriptions


class Frames(NamedTuple):
    """A book as the tables a notebook would load: deals (with the client's country),
    subscriptions and managed services. Days are int64 days since 1970-01-01 and
    amounts int64 cents."""

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


def frames(book: pt.Book) -> Frames:
    """The book's records as DataFrames (what a notebook would read from CSV files)."""
    countries = {client.id: client.country for client in book.clients}
    deals = pd.DataFrame(
        {
            "deal": [d.id for d in book.deals],
            "client": [d.client for d in book.deals],
            "line": [d.product_line for d in book.deals],
            "kind": [d.kind.value for d in book.deals],
            "motion": [d.motion.value for d in book.deals],
            "closed": np.array([days(d.closed_on) for d in book.deals], dtype=np.int64),
            "cents": np.array([_cents(d.mrr_change) for d in book.deals], dtype=np.int64),
            "currency": [d.mrr_change.currency for d in book.deals],
            "country": [countries[d.client] for d in book.deals],
        }
    )
    # One row per MRR period of each subscription; started and ended stay its own.
    periods = [(s, period) for s in book.subscriptions for period in mrr_periods(book, s)]
    subscriptions = pd.DataFrame(
        {
            "client": [s.client for s, _ in periods],
            "line": [s.product_line for s, _ in periods],
            "started": np.array([days(s.started_on) for s, _ in periods], dtype=np.int64),
            "ended": np.array(
                [_NONE_DAY if s.ended_on is None else days(s.ended_on) for s, _ in periods],
                dtype=np.int64,
            ),
            "mrr_from": np.array([days(p[0]) for _, p in periods], dtype=np.int64),
            "mrr_until": np.array(
                [_NONE_DAY if p[1] is None else days(p[1]) for _, p in periods], dtype=np.int64
            ),
            "mrr_cents": np.array([_cents(p[2]) for _, p in periods], dtype=np.int64),
            "currency": [s.mrr.currency for s, _ in periods],
            "country": [countries[s.client] for s, _ in periods],
        }
    )
    managed = pd.DataFrame(
        {
            "client": [m.client for m in book.managed_services],
            "since": np.array([days(m.since) for m in book.managed_services], dtype=np.int64),
            "until": np.array(
                [_NONE_DAY if m.until is None else days(m.until) for m in book.managed_services],
                dtype=np.int64,
            ),
            "partners": np.array([m.partners for m in book.managed_services], dtype=np.int64),
        }
    )
    return Frames(deals, subscriptions, managed)


def _row_index(rules: Rules, day: Any) -> Any:
    """The rate row in force on each day (the first row before it, if the program says)."""
    index = np.searchsorted(np.array(rules.rate_starts), day, side="right") - 1
    if (index < 0).any():
        if not rules.price_before_first_row:
            raise ValueError("a deal or service before the program's first rate row")
        index = np.maximum(index, 0)
    return index


def _per_100(rules: Rules, day: Any, currency: Any) -> Any:
    """The amount of each row's currency that counts as 100 USD on its day, in cents."""
    table = np.searchsorted(np.array(rules.currency_starts), day, side="right") - 1
    if (table < 0).any():
        raise ValueError("a day before the program's first currency table")
    per_100 = np.zeros(len(currency), dtype=np.int64)
    for position, amounts in enumerate(rules.per_100_usd):
        mask = table == position
        mapped = currency[mask].map(amounts)
        if mapped.isna().any():
            raise ValueError("a currency is not in the currency table in force")
        per_100[mask] = mapped.to_numpy(dtype=np.int64)
    return per_100


def _multiplier(rules: Rules, day: Any, country: Any) -> Any:
    """The growth multiplier in cents (100: standard market) for each row's day."""
    multiplier = np.full(len(country), 100, dtype=np.int64)
    if not rules.growth:
        return multiplier
    which = np.searchsorted(np.array(rules.growth_starts), day, side="right") - 1
    for position, (countries, factor) in enumerate(rules.growth):
        mask = (which == position) & country.isin(countries).to_numpy()
        multiplier[mask] = factor
    return multiplier


def _expiry(rules: Rules, day: Any) -> Any:
    """The first day each batch no longer counts: calendar months later, clipped to the
    month's end (pandas' DateOffset(months=n) clips like dateutil's relativedelta)."""
    which = np.searchsorted(np.array(rules.expiry_starts), day, side="right") - 1
    which = np.maximum(which, 0)  # the first rule applies before it, as in the library
    stamps = pd.to_datetime(day, unit="D")
    expires = np.zeros(len(day), dtype=np.int64)
    for position, months in enumerate(rules.expiry_months):
        mask = which == position
        shifted = pd.Series(stamps[mask]) + pd.DateOffset(months=months)
        expires[mask] = shifted.to_numpy().astype("datetime64[D]").astype(np.int64)
    return expires


def _rate(rules: Rules, row: Any, motion: Any) -> Any:
    return np.select(
        [motion == "sourced", motion == "assisted"],
        [np.array(rules.sourced)[row], np.array(rules.assisted)[row]],
        np.array(rules.unattributed)[row],
    )


def _sold(frames: Frames, rules: Rules) -> Any:
    """Every deal priced: positive deals with points and expiry (cents, days)."""
    deals = frames.deals
    positive = deals[deals["cents"] > 0]
    first = pd.concat(
        [
            positive[["client", "line", "closed"]],
            frames.subscriptions[["client", "line", "started"]].rename(
                columns={"started": "closed"}
            ),
        ]
    )
    first_sale = first.groupby(["client", "line"], as_index=False)["closed"].min()
    first_sale = first_sale.rename(columns={"closed": "first_sale"})
    priced = positive.merge(first_sale, on=["client", "line"], how="left")
    day = priced["closed"].to_numpy()
    motion = priced["motion"].to_numpy()
    row = _row_index(rules, day)
    rate = _rate(rules, row, motion)
    grandfathered = (
        # Whatever the deal's kind says: the rate follows the line's first sale.
        np.array(rules.grandfather)[row]
        & (priced["first_sale"].to_numpy() < np.array(rules.rate_starts)[row])
    )
    if grandfathered.any():
        earlier = _rate(rules, _row_index(rules, priced["first_sale"].to_numpy()), motion)
        rate = np.where(grandfathered, earlier, rate)
    per_100 = _per_100(rules, day, priced["currency"])
    multiplier = _multiplier(rules, day, priced["country"])
    numerator = priced["cents"].to_numpy() * rate * multiplier
    priced["points"] = round_half_up(numerator, per_100 * 100)
    priced["expires"] = _expiry(rules, day)
    return priced


def _offsets(frames: Frames, priced: Any) -> Any:
    """The negative batches of downgrades and churn: the integer offsets loop over the
    deals of the product lines that have a reduction."""
    deals = frames.deals
    cents = deals["cents"].to_numpy()
    # A product line as one integer: the client's code and the line's code.
    clients, lines = pd.factorize(deals["client"])[0], pd.factorize(deals["line"])[0]
    group = clients * (int(lines.max(initial=0)) + 1) + lines
    reduced = np.isin(group, group[cents < 0]) & (cents != 0)
    if not reduced.any():
        return pd.DataFrame({"earned": [], "expires": [], "points": [], "motion": []})
    points = np.zeros(len(deals), dtype=np.int64)
    expires = np.zeros(len(deals), dtype=np.int64)
    # ``priced`` holds the positive deals in deal order (a left merge keeps it).
    points[cents > 0] = priced["points"].to_numpy()
    expires[cents > 0] = priced["expires"].to_numpy()
    rows = pd.DataFrame(
        {
            "group": group[reduced],
            "closed": deals["closed"].to_numpy()[reduced],
            "order": cents[reduced] < 0,
            "deal": deals["deal"].to_numpy()[reduced],
            "cents": cents[reduced],
            "currency": deals["currency"].to_numpy()[reduced],
            "points": points[reduced],
            "expires": expires[reduced],
            "motion": deals["motion"].to_numpy()[reduced],
        }
    ).sort_values(["group", "closed", "order", "deal"])
    found = offsets(
        rows["group"].to_numpy(),
        rows["closed"].to_numpy(),
        rows["cents"].to_numpy(),
        rows["currency"].to_numpy(),
        rows["points"].to_numpy(),
        rows["expires"].to_numpy(),
    )
    source = np.array(found.source, dtype=np.int64)
    return pd.DataFrame(
        {
            "earned": np.array(found.earned, dtype=np.int64),
            "expires": rows["expires"].to_numpy()[source],
            "points": -np.array(found.points_cents, dtype=np.int64),
            "motion": rows["motion"].to_numpy()[source],
        }
    )


def _managed(frames: Frames, rules: Rules, as_of: int) -> int:
    """Managed points on the day, in cents: every managed subscription priced by the
    rules in force that day, shared between the partners servicing it."""
    pairs = frames.managed.merge(frames.subscriptions, on="client")
    start = np.maximum.reduce([pairs[c].to_numpy() for c in ("since", "started", "mrr_from")])
    end = np.minimum.reduce([pairs[c].to_numpy() for c in ("until", "ended", "mrr_until")])
    if rules.rate_starts and not rules.price_before_first_row:
        start = np.maximum(start, rules.rate_starts[0])
    active = pairs[(start <= as_of) & (as_of < end)]
    if active.empty:
        return 0
    day = np.full(len(active), as_of, dtype=np.int64)
    rate = np.array(rules.managed)[_row_index(rules, day)]
    per_100 = _per_100(rules, day, active["currency"])
    multiplier = _multiplier(rules, day, active["country"])
    numerator = active["mrr_cents"].to_numpy() * rate * multiplier
    points = round_half_up(numerator, per_100 * 100 * active["partners"].to_numpy())
    return int(points.sum())


def evaluate_frames(frames: Frames, program: pt.Program, as_of: dt.date) -> Result:
    """Point totals and the tier by reach thresholds on ``as_of``, from the frames."""
    table = rules(program)
    day = days(as_of)
    priced = _sold(frames, table)
    negative = _offsets(frames, priced)
    batches = pd.concat(
        [
            priced[["closed", "expires", "points", "motion"]].rename(columns={"closed": "earned"}),
            negative[["earned", "expires", "points", "motion"]],
        ]
    )
    active = batches[(batches["earned"] <= day) & (day < batches["expires"])]
    by_motion = active.groupby("motion")["points"].sum()
    sold = int(by_motion.sum())
    totals = to_totals(
        sold,
        int(by_motion.get("sourced", 0)),
        int(by_motion.get("assisted", 0)),
        _managed(frames, table, day),
    )
    return Result(totals, qualified_tier(table, totals))


def evaluate(book: pt.Book, program: pt.Program, as_of: dt.date) -> Result:
    """Point totals and the tier by reach thresholds of a book on ``as_of``."""
    return evaluate_frames(frames(book), program, as_of)
