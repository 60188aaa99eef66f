"""The same-work numpy reference: the tier decision of `pt.evaluate`, gates and reviews
included, from a Book, on integer arrays.

Where the pandas and polars references stop at the points and the tier they reach, this
one does what the library does for one book on one date: it prices every deal and every
managed period on int64 cents (the rate row in force, grandfathering by first sale, the
currency table and growth list in force, calendar-month expiry without a relativedelta
per deal, half-up rounding as ``(2n + d) // (2d)``), runs the downgrade and churn offsets
(``reference_common.offsets``), holds the ledger as sorted integer events with running
sums, and replays the review policy from the partner's joining date over the same change
days as the library: gates failing and recovering, promotions as far as the gates allow,
reviews with their notice and soft landing, the first-tier deadline. It returns the tier,
the qualified tier, the projected tier at the next review and the point totals, which
``tests/test_references.py`` checks equal to `pt.evaluate`. It leaves out what the
library adds on top: explanations, the history's reasons, `PointBatch` records.

It is the floor of the benchmarks: the work of `pt.evaluate`, done the columnar way.
It models the shipped points programs: built-in point tracks, the certification,
``fact_true`` and ``fact_at_least`` gates, one program (not a series), rounding half up
to the cent, reductions in the currency of the sale.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

import numpy as np
from reference_common import Rules, days, offsets, round_half_up, rules, to_totals

import partner_tiers as pt

__all__ = ["Columns", "Result", "columns", "evaluate", "evaluate_columns"]

_NO_END = 2**40  # "no end" for services, subscriptions and MRR periods (days)
_MOTIONS = {"sourced": 0, "assisted": 1}  # anything else is priced at the unattributed rate


class Columns(NamedTuple):
    """A book as integer arrays (days since 1970, cents). ``deals`` and ``managed`` map a
    column name to an array; codes index ``currencies`` and ``countries``."""

    deals: dict[str, Any]
    managed: dict[str, Any]
    first_sale: Any  # per product line: the first sale or subscription start
    currencies: list[str]
    countries: list[str]
    joined: int
    certifications: list[tuple[int, int]]
    facts: dict[str, Any]


class Result(NamedTuple):
    """What `pt.evaluate` decides: the tiers (ids, None: untiered) and the point totals."""

    tier: str | None
    qualified_tier: str | None
    projected_tier: str | None
    totals: dict[str, Decimal]


def _cents(money: pt.Money) -> int:
    scaled = money.amount * 100
    if scaled != scaled.to_integral_value():
        raise NotImplementedError(f"{money} has more than two decimal places")
    return int(scaled)


def _code(table: dict[str, int], key: str) -> int:
    return table.setdefault(key, len(table))


def _managed_columns(book: pt.Book, code: dict[str, dict[str, int]]) -> dict[str, Any]:
    """One row per managed service, subscription of its client and MRR period."""
    rows: list[tuple[int, int, int, int, int, int]] = []
    for service in book.managed_services:
        country = _code(code["country"], book.client(service.client).country)
        for subscription in book.subscriptions:
            if subscription.client != service.client:
                continue
            start = max(service.since, subscription.started_on)
            ends = [d for d in (service.until, subscription.ended_on) if d is not None]
            end = days(min(ends)) if ends else _NO_END
            history = book.mrr_history(subscription.id)
            currency = _code(code["currency"], subscription.mrr.currency)
            for index, entry in enumerate(history):
                until = days(history[index + 1].since) if index + 1 < len(history) else _NO_END
                low, high = max(days(start), days(entry.since)), min(end, until)
                if low < high and entry.mrr.amount:
                    rows.append((low, high, _cents(entry.mrr), currency, country, service.partners))
    names = ("start", "end", "cents", "currency", "country", "partners")
    table = np.array(rows, dtype=np.int64).reshape(-1, len(names))
    return {name: table[:, position] for position, name in enumerate(names)}


def columns(book: pt.Book) -> Columns:
    """The book as integer arrays, in one pass over its records."""
    code: dict[str, dict[str, int]] = {"currency": {}, "country": {}, "line": {}}
    countries = {client.id: client.country for client in book.clients}
    earning = pt.DealKind.ADJUSTMENT
    rows = [
        (
            _code(code["line"], f"{deal.client}\x00{deal.product_line}"),
            days(deal.closed_on),
            _cents(deal.mrr_change),
            _code(code["currency"], deal.mrr_change.currency),
            _code(code["country"], countries[deal.client]),
            _MOTIONS.get(deal.motion.value, 2),
            deal.kind.earns or (deal.kind is earning and deal.mrr_change.amount > 0),
        )
        for deal in book.deals
    ]
    names = ("line", "closed", "cents", "currency", "country", "motion", "earns")
    table = np.array(rows, dtype=np.int64).reshape(-1, len(names))
    deals = {name: table[:, position] for position, name in enumerate(names)}
    ids = [deal.id for deal in book.deals]
    deals["id_rank"] = np.argsort(np.argsort(np.array(ids, dtype=str), kind="stable"))
    starts = [
        (_code(code["line"], f"{s.client}\x00{s.product_line}"), days(s.started_on))
        for s in book.subscriptions
    ]
    managed = _managed_columns(book, code)
    first_sale = np.full(len(code["line"]), _NO_END, dtype=np.int64)
    earns = deals["earns"].astype(bool)
    np.minimum.at(first_sale, deals["line"][earns], deals["closed"][earns])
    for line, started in starts:
        first_sale[line] = min(first_sale[line], started)
    return Columns(
        deals,
        managed,
        first_sale,
        list(code["currency"]),
        list(code["country"]),
        days(book.partner.joined_on),
        [(days(c.valid_from), days(c.valid_until)) for c in book.certifications],
        dict(book.facts),
    )


# --- pricing -------------------------------------------------------------------------------


def _in_force(starts: tuple[int, ...], day: Any) -> Any:
    """The index of the row in force on each day (-1: before the first)."""
    return np.searchsorted(np.array(starts, dtype=np.int64), day, side="right") - 1


def _rate_row(table: Rules, day: Any) -> Any:
    row = _in_force(table.rate_starts, day)
    if (row < 0).any() and not table.price_before_first_row:
        raise ValueError("a deal or managed period before the program's first rate row")
    return np.maximum(row, 0)


def _per_100(table: Rules, cols: Columns, day: Any, currency: Any) -> Any:
    """Cents of each row's currency that count as 100 USD on its day."""
    which = _in_force(table.currency_starts, day)
    matrix = np.array(
        [[amounts.get(name, 0) for name in cols.currencies] for amounts in table.per_100_usd],
        dtype=np.int64,
    ).reshape(len(table.per_100_usd), len(cols.currencies))
    per_100 = matrix[which, currency]
    if (which < 0).any() or (per_100 == 0).any():
        raise ValueError("a currency or day that no currency table covers")
    return per_100


def _multiplier(table: Rules, cols: Columns, day: Any, country: Any) -> Any:
    """The growth multiplier in cents (100: a standard market)."""
    if not table.growth:
        return np.full(len(day), 100, dtype=np.int64)
    factors = np.array(
        [
            [factor if name in listed else 100 for name in cols.countries] + [100]
            for listed, factor in table.growth
        ],
        dtype=np.int64,
    )
    which = _in_force(table.growth_starts, day)
    # Before the first list: the last column, 100, of any list.
    return factors[np.maximum(which, 0), np.where(which < 0, len(cols.countries), country)]


def add_months(day: Any, months: Any) -> Any:
    """Days (since 1970) plus calendar months, clipped to the month's end, as dateutil's
    relativedelta does, on arrays."""
    date = np.asarray(day, dtype=np.int64).astype("datetime64[D]")
    month = date.astype("datetime64[M]")
    day_of_month = (date - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(months, dtype=np.int64)
    first = target.astype("datetime64[D]")
    length = ((target + 1).astype("datetime64[D]") - first).astype(np.int64)
    return (first + np.minimum(day_of_month, length - 1)).astype(np.int64)


def _motion_rate(table: Rules, row: Any, motion: Any) -> Any:
    rates = np.array([table.sourced, table.assisted, table.unattributed], dtype=np.int64)
    return rates[motion, row]


def _sold(table: Rules, cols: Columns) -> tuple[Any, Any, Any, Any]:
    """The sold batches and their offsets: earned, expires, points (cents), motion."""
    deals = cols.deals
    day, cents, motion = deals["closed"], deals["cents"], deals["motion"]
    row = _rate_row(table, day)
    rate = _motion_rate(table, row, motion)
    first = cols.first_sale[deals["line"]]
    grandfathered = np.array(table.grandfather)[row] & (
        first < np.array(table.rate_starts, dtype=np.int64)[row]
    )
    if grandfathered.any():
        earlier = np.maximum(_in_force(table.rate_starts, first), 0)
        rate = np.where(grandfathered, _motion_rate(table, earlier, motion), rate)
    per_100 = _per_100(table, cols, day, deals["currency"])
    multiplier = _multiplier(table, cols, day, deals["country"])
    positive = cents > 0
    points = np.where(positive, round_half_up(np.abs(cents) * rate * multiplier, per_100 * 100), 0)
    which = np.maximum(_in_force(table.expiry_starts, day), 0)
    expires = add_months(day, np.array(table.expiry_months, dtype=np.int64)[which])
    # The offsets loop over the lines with a reduction, in the library's deal order.
    reduced = np.isin(deals["line"], deals["line"][cents < 0]) & (cents != 0)
    order = np.flatnonzero(reduced)
    order = order[
        np.lexsort((deals["id_rank"][order], cents[order] < 0, day[order], deals["line"][order]))
    ]
    found = offsets(
        deals["line"][order],
        day[order],
        cents[order],
        deals["currency"][order].tolist(),
        points[order],
        expires[order],
    )
    source = order[np.array(found.source, dtype=np.int64)]
    return (
        np.concatenate([day[positive], np.array(found.earned, dtype=np.int64)]),
        np.concatenate([expires[positive], expires[source]]),
        np.concatenate([points[positive], -np.array(found.points_cents, dtype=np.int64)]),
        np.concatenate([motion[positive], motion[source]]),
    )


def _managed(table: Rules, cols: Columns) -> tuple[Any, Any, Any]:
    """The managed pieces: each period cut where a pricing rule changes, priced by the
    rules in force on its first day: start, end, points (cents)."""
    managed = cols.managed
    start, end = managed["start"], managed["end"]
    if table.rate_starts and not table.price_before_first_row:
        start = np.maximum(start, table.rate_starts[0])
    cuts = sorted(
        {*table.rate_starts, *table.currency_starts, *table.growth_starts}
        - {days(dt.date(1, 1, 1))}
    )
    bounds = [-(2**40), *cuts, _NO_END]
    pieces = []
    for low, high in itertools.pairwise(bounds):
        piece_start, piece_end = np.maximum(start, low), np.minimum(end, high)
        keep = np.flatnonzero(piece_start < piece_end)
        pieces.append((keep, piece_start[keep], piece_end[keep]))
    rows = np.concatenate([keep for keep, _, _ in pieces])
    first = np.concatenate([s for _, s, _ in pieces])
    last = np.concatenate([e for _, _, e in pieces])
    rate = np.array(table.managed, dtype=np.int64)[_rate_row(table, first)]
    per_100 = _per_100(table, cols, first, managed["currency"][rows])
    multiplier = _multiplier(table, cols, first, managed["country"][rows])
    numerator = managed["cents"][rows] * rate * multiplier
    points = round_half_up(numerator, per_100 * 100 * managed["partners"][rows])
    return first, last, points


# --- the ledger as integer events ------------------------------------------------------------


class _Ledger(NamedTuple):
    """Sorted event days and the running sums of each figure just after them (cents)."""

    days: Any
    sums: dict[str, Any]

    def at(self, day: Any) -> dict[str, Any]:
        """Each figure on the days (an array), from the running sums."""
        index = np.searchsorted(self.days, day, side="right") - 1
        return {
            name: np.where(index >= 0, sums[np.maximum(index, 0)], 0)
            for name, sums in self.sums.items()
        }


def _ledger(sold: tuple[Any, Any, Any, Any], managed: tuple[Any, Any, Any]) -> _Ledger:
    earned, expires, points, motion = sold
    start, end, managed_points = managed
    day = np.concatenate([earned, expires, start, end])
    zeros_sold, zeros_managed = np.zeros_like(points), np.zeros_like(managed_points)
    deltas = {
        "sold": np.concatenate([points, -points, zeros_managed, zeros_managed]),
        "managed": np.concatenate([zeros_sold, zeros_sold, managed_points, -managed_points]),
    }
    for name, code in _MOTIONS.items():
        mine = np.where(motion == code, points, 0)
        deltas[name] = np.concatenate([mine, -mine, zeros_managed, zeros_managed])
    order = np.argsort(day, kind="stable")
    day = day[order]
    last = np.r_[day[1:] != day[:-1], True]  # the last event of each day
    sums = {name: np.cumsum(delta[order])[last] for name, delta in deltas.items()}
    return _Ledger(day[last], sums)


# --- the decision ----------------------------------------------------------------------------


class _Ladder(NamedTuple):
    """Per tier, per day: whether the reach and the retain thresholds are met."""

    reach: list[list[bool]]
    keep: list[list[bool]]

    def reached(self, k: int, keep_up_to: int = -1) -> int:
        """The highest tier met on day ``k`` (retain thresholds up to ``keep_up_to``)."""
        for index in range(len(self.reach) - 1, -1, -1):
            if (self.keep if index <= keep_up_to else self.reach)[index][k]:
                return index
        return -1

    def after_review(self, k: int, held: int, soft_landing: bool) -> int:
        if held < 0 or self.keep[held][k]:
            return held
        target = min(self.reached(k, keep_up_to=held), held - 1)
        return max(target, held - 1) if soft_landing else target


def _ladder(program: pt.Program, figures: dict[str, Any]) -> _Ladder:
    values = {}
    for track in program.tracks:
        kind = track.rule
        values[track.id] = (
            figures["sold"] + figures["managed"] if kind == "total" else figures[kind]
        )
    zero = np.zeros_like(figures["sold"])

    def met(thresholds: dict[str, Decimal]) -> list[bool]:
        ok = np.ones(len(zero), dtype=bool)
        for track, threshold in thresholds.items():
            ok &= values.get(track, zero) * 100 >= int(threshold * 10_000)  # exact: 4 places
        return ok.tolist()  # type: ignore[no-any-return]

    return _Ladder(
        [met(dict(tier.reach)) for tier in program.tiers],
        [met(dict(tier.retain_thresholds())) for tier in program.tiers],
    )


def _fact_gate(kind: str, params: Any, facts: dict[str, Any]) -> bool:
    value = facts.get(str(params["fact"]))
    if kind == "fact_true":
        return value is True
    try:
        number = Decimal(value)
    except (ArithmeticError, InvalidOperation, ValueError, TypeError):
        return False
    return number.is_finite() and number >= Decimal(params["minimum"])


def _gates(program: pt.Program, cols: Columns, day: Any) -> list[tuple[int, list[bool]]]:
    """Each gate as (index of the lowest tier it guards, passed on each day)."""
    tier_ids = [tier.id for tier in program.tiers]
    gates = []
    for gate in program.gates:
        if gate.kind == "certification":
            valid = np.zeros(len(day), dtype=bool)
            for since, until in cols.certifications:
                valid |= (since <= day) & (day <= until)
            passed = valid.tolist()
        elif gate.kind in ("fact_true", "fact_at_least"):
            passed = [_fact_gate(gate.kind, gate.params, cols.facts)] * len(day)
        else:
            raise NotImplementedError(f"gate {gate.id}: the {gate.kind} kind is not modelled")
        lowest = min(tier_ids.index(t) for t in gate.tiers) if gate.tiers else 0
        gates.append((lowest, passed))
    return gates


def _replay(program: pt.Program, cols: Columns, ledger: _Ledger, as_of: int) -> tuple[int, bool]:
    """The held tier (before the gates of the day) after the replay up to ``as_of``, and
    whether a demotion is pending (for the reader; the status does not need it)."""
    policy = program.policy
    joined = cols.joined
    start_day = dt.date(1970, 1, 1) + dt.timedelta(days=joined - 1)
    end_day = dt.date(1970, 1, 1) + dt.timedelta(days=as_of)
    reviews = {days(day) for day in policy.reviews(start_day, end_day)}
    notice = policy.notice_days
    change = set(ledger.days.tolist()) | reviews | {day + notice for day in reviews}
    for since, until in cols.certifications:
        change |= {since, until + 1}
    visit = np.array(sorted(day for day in change if joined - 1 < day <= as_of), dtype=np.int64)
    ladder = _ladder(program, ledger.at(visit))
    gates = _gates(program, cols, visit)
    by_height = sorted(gates, key=lambda gate: gate[0], reverse=True)
    months = policy.first_tier_deadline_months
    deadline = int(add_months(joined, months)) if months else None
    immediate = policy.promotion is pt.Promotion.IMMEDIATE
    held, pending, ever, provider = -1, None, False, False
    for k, day in enumerate(visit.tolist()):
        if pending is not None and day >= pending[0]:
            if not (held >= 0 and ladder.keep[held][k]):
                held = pending[1]
            pending = None
        is_review = day in reviews
        reached = ladder.reached(k) if immediate or is_review else -1
        if reached > held:
            allowed = reached
            for lowest, passed in by_height:
                if lowest <= allowed and not passed[k]:
                    allowed = lowest - 1
                    if allowed <= held:
                        break
            if allowed > held:
                held, pending = allowed, None
        if is_review and pending is None:
            target = ladder.after_review(k, held, policy.soft_landing)
            if target != held:
                if notice <= 0:
                    held = target
                else:
                    pending = (day + notice, target)
        ever = ever or held >= 0
        if is_review and deadline is not None and day >= deadline and not ever:
            provider = True
        provider = provider and held < 0
    return held, pending is not None


def evaluate_columns(cols: Columns, program: pt.Program, as_of: dt.date) -> Result:
    """The tier decision and the point totals of the book's columns on ``as_of``."""
    if not isinstance(program, pt.Program):
        raise NotImplementedError("the numpy reference takes one program, not a series")
    table = rules(program)
    day = days(as_of)
    sold = _sold(table, cols)
    ledger = _ledger(sold, _managed(table, cols))
    held, _ = _replay(program, cols, ledger, day)
    review = days(program.policy.next_review(as_of))
    earned, expires, points, motion = sold
    lost = (earned <= day) & (day < expires) & (expires <= review)
    now = {name: int(value[0]) for name, value in ledger.at(np.array([day])).items()}
    later = dict(now)
    later["sold"] -= int(points[lost].sum())
    for name, code in _MOTIONS.items():
        later[name] -= int(points[lost & (motion == code)].sum())
    figures = {name: np.array([now[name], later[name]]) for name in now}
    ladder = _ladder(program, figures)
    cap = len(program.tiers) - 1
    for lowest, passed in _gates(program, cols, np.array([day])):
        if not passed[0]:
            cap = min(cap, lowest - 1)
    allowed = min(ladder.reached(1), cap)
    projected = (
        allowed
        if allowed > held
        else ladder.after_review(1, held, soft_landing=program.policy.soft_landing)
    )

    def name(index: int) -> str | None:
        return program.tiers[index].id if index >= 0 else None

    return Result(
        tier=name(min(held, cap)),
        qualified_tier=name(min(ladder.reached(0), cap)),
        projected_tier=name(min(projected, cap)),
        totals=to_totals(now["sold"], now["sourced"], now["assisted"], now["managed"]),
    )


def evaluate(book: pt.Book, program: pt.Program, as_of: dt.date) -> Result:
    """The tier decision and the point totals of a book on ``as_of``, from the Book."""
    return evaluate_columns(columns(book), program, as_of)
