"""Pricing: turn a book's deals and managed service into the batches of a points ledger.

Sold points: each deal that adds MRR becomes one batch priced by the rate row, currency
table and growth list in force on the day it closed (under a grandfathering row, a sale
on a product line first sold before the row keeps the rate of the line's first sale,
whatever the deal's kind says). Downgrades and churn become negative
batches that offset the newest active batches of the same client and product line, each
expiring with the batch it reduces, so no batch is reduced twice or below what it earned.

Managed points are a level, not a balance: each managed period of each subscription
becomes batches active while the service lasts, split where a pricing rule or the
subscription's MRR changes, so the managed points on any date are exactly those priced
from the MRR in force on that date by the rules of that date.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from decimal import Decimal, localcontext

from attrs import define

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._engine.columnar import price_rows
from partner_tiers._errors import PricingError
from partner_tiers._ledger.ledger import Market, PointBatch, PointsLedger, Track
from partner_tiers._model.book import Book
from partner_tiers._model.dated import boundaries, expiry_date
from partner_tiers._model.lines import deal_order, first_sales
from partner_tiers._model.mrr import MrrEntry, mrr_change_days, mrr_in_force
from partner_tiers._model.records import Client, Deal, DealKind, ManagedService, Subscription
from partner_tiers._model.values import Money
from partner_tiers._rules.program import Program
from partner_tiers._rules.rates import CurrencyTable, RateRow, RoundingRule

__all__ = ["build_ledger", "expiry_date", "price_batches"]

_PRECISION = 60
ONE = Decimal(1)
ZERO = Decimal(0)
HUNDRED = Decimal(100)


@define
class _Open:
    """A positive sold batch that later reductions may still offset."""

    batch: PointBatch
    amount: Money
    amount_left: Decimal
    points_left: Decimal
    usd_left: Decimal


def _row(program: Program, day: dt.date, what: str) -> RateRow:
    row = program.rate_row(day)
    if row is None:  # before the first row (Program.check refuses a program without rows)
        raise PricingError(
            f"{what}: no rate row of {program.label} covers {day} "
            f"(the first row starts on {program.rates[0].effective_from})"
        )
    return row


def _per_100_usd(
    program: Program, money: Money, day: dt.date, what: str, path: str = ""
) -> tuple[Decimal, str]:
    """The amount of the money's currency that counts as 100 USD on the day; path is
    where the currency is written in the book (``deals[3].mrr_change.currency``)."""
    table: CurrencyTable | None = program.currency_table(day)
    if table is None:
        raise PricingError(f"{what}: no currency table of {program.label} covers {day}")
    try:
        per_100 = table.per_100_usd[money.currency]
    except KeyError:
        since = table.effective_from or "the beginning"
        where = f"{path}: " if path else ""
        raise PricingError(
            f"{where}{what}: currency {money.currency} on {day} is not in the currency table "
            f"of {program.label} in force since {since}, which accepts "
            f"{', '.join(sorted(table.per_100_usd))}; to price it, add a {money.currency} "
            f"currency row with a program that extends {program.name} "
            f"(how-to: write and test your own program)"
        ) from None
    return per_100, f"{per_100} {money.currency} per 100 USD"


def _multiplier(program: Program, client: Client, day: dt.date) -> tuple[Decimal, Market]:
    growth = program.growth_list(day)
    if growth is not None and client.country in growth.countries:
        return growth.multiplier, Market.GROWTH
    return ONE, Market.STANDARD


def _priced(
    amount: Decimal, rate: Decimal, per_100: Decimal, rounding: RoundingRule, *, shares: int = 1
) -> tuple[Decimal, Decimal]:
    """Points and USD-equivalent MRR of an amount: amount x rate / per-100-USD / shares,
    and amount x 100 / per-100-USD / shares, each computed exactly, then rounded."""
    with localcontext() as context:
        context.prec = _PRECISION
        points = rounding.apply(amount * rate / per_100 / shares)
        usd = rounding.apply(amount * HUNDRED / per_100 / shares)
    return points, usd


def _shown_multiplier(multiplier: Decimal, client: Client) -> str:
    return "" if multiplier == ONE else f" x {multiplier} (growth market {client.country})"


def _price_sale(
    deal: Deal, client: Client, program: Program, first_sale: dt.date, index: int
) -> PointBatch:
    what = f"deal {deal.id}"
    day = deal.closed_on
    row = _row(program, day, what)
    rate = row.sold_rate(deal.motion)
    note = f"{deal.motion} rate of the rows from {row.effective_from}"
    if row.grandfather_upsells and first_sale < row.effective_from:
        # The rate follows the line's first sale, whatever the deal's label says: a deal
        # labelled new on a line sold before the row is an upsell of that line (see
        # `mislabelled_sales`). A line first sold before the program's first row keeps
        # the first row's rate.
        earlier = program.rate_row(first_sale) or program.rates[0]
        rate = earlier.sold_rate(deal.motion)
        labelled = (
            ""
            if deal.kind in (DealKind.UPSELL, DealKind.ADJUSTMENT)
            else f" (labelled {deal.kind})"
        )
        note = (
            f"{deal.motion} rate of the rows from {earlier.effective_from}, grandfathered: "
            f"{deal.product_line} first sold on {first_sale}{labelled}"
        )
    path = f"deals[{index}].mrr_change.currency"
    per_100, table_text = _per_100_usd(program, deal.mrr_change, day, what, path)
    multiplier, market = _multiplier(program, client, day)
    rounding = program.rounding_rule(day)
    amount = deal.mrr_change.amount
    points, usd = _priced(amount, rate * multiplier, per_100, rounding)
    shown_multiplier = _shown_multiplier(multiplier, client)
    rule = (
        f"{deal.mrr_change} at {table_text} x {rate} points per 100 USD{shown_multiplier} "
        f"= {points} ({note})"
    )
    months = program.expiry_rule(day).months
    batch = PointBatch(
        id=f"sold:{deal.id}",
        track=Track.SOLD,
        motion=deal.motion,
        client=deal.client,
        points=points,
        earned_on=day,
        expires_on=expiry_date(day, months),
        origin=deal.id,
        program=program.label,
        rate=rate * multiplier,
        rule=rule,
        market=market,
        mrr_usd=usd,
    )
    return batch


def _reductions(
    deal: Deal, program: Program, open_batches: list[_Open], path: str
) -> Iterator[PointBatch]:
    """Negative batches offsetting the newest active batches of the deal's line
    (``open_batches`` holds that client's batches of that product line only)."""
    day = deal.closed_on
    remaining = -deal.mrr_change.amount
    # What is left of a batch is its MRR: a sale priced at 0.00 points (an MRR-track
    # program) is still reduced, in MRR.
    candidates = [
        item for item in open_batches if item.batch.active_on(day) and item.amount_left > 0
    ]
    candidates.sort(key=lambda item: (item.batch.earned_on, item.batch.id), reverse=True)
    for item in candidates:
        if remaining <= 0:
            return
        with localcontext() as context:
            context.prec = _PRECISION
            if item.amount.currency == deal.mrr_change.currency:
                available = item.amount_left
                to_item = ONE
            else:
                deal_per_100, _ = _per_100_usd(
                    program, deal.mrr_change, day, f"deal {deal.id}", path
                )
                item_per_100, _ = _per_100_usd(program, item.amount, day, f"deal {deal.id}")
                to_item = item_per_100 / deal_per_100
                available = item.amount_left / to_item
            take = min(remaining, available)
            if take == available:
                points, usd = item.points_left, item.usd_left
                item.amount_left = Decimal(0)
            else:
                share = take * to_item / item.amount.amount
                rounding = program.rounding_rule(item.batch.earned_on)
                points = min(item.points_left, rounding.apply(item.batch.points * share))
                usd = min(item.usd_left, rounding.apply(item.batch.mrr_usd * share))
                item.amount_left -= take * to_item
        remaining -= take
        item.points_left -= points
        item.usd_left -= usd
        yield PointBatch(
            id=f"sold:{deal.id}:offsets:{item.batch.id}",
            track=Track.SOLD,
            motion=item.batch.motion,
            client=deal.client,
            points=-points,
            earned_on=day,
            expires_on=item.batch.expires_on,
            origin=deal.id,
            program=program.label,
            rate=item.batch.rate,
            rule=(
                f"{deal.kind} of {deal.mrr_change} offsets {take} "
                f"{deal.mrr_change.currency} of {item.batch.id}: -{points}"
            ),
            market=item.batch.market,
            mrr_usd=-usd,
            offsets=item.batch.id,
        )


def _sold_batches(book: Book, program: Program) -> Iterator[PointBatch]:
    first_sold = first_sales(book)
    positions = {deal.id: index for index, deal in enumerate(book.deals)}
    # Open batches by (client, product line): a reduction only looks at its own line.
    open_batches: dict[tuple[str, str], list[_Open]] = {}
    for deal in sorted(book.deals, key=deal_order):
        if deal.mrr_change.amount > 0:
            client = book.client(deal.client)
            line = (deal.client, deal.product_line)  # every sale is in first_sales
            batch = _price_sale(deal, client, program, first_sold[line], positions[deal.id])
            open_batches.setdefault(line, []).append(
                _Open(
                    batch,
                    deal.mrr_change,
                    deal.mrr_change.amount,
                    batch.points,
                    batch.mrr_usd,
                )
            )
            yield batch
        else:
            line_batches = open_batches.get((deal.client, deal.product_line), [])
            path = f"deals[{positions[deal.id]}].mrr_change.currency"
            yield from _reductions(deal, program, line_batches, path)


def _cuts(
    program: Program, start: dt.date, end: dt.date | None, history: tuple[MrrEntry, ...]
) -> list[dt.date]:
    """The days a managed period is cut at: its start, every day a pricing rule changes
    and every day the subscription's MRR changes."""
    days = {start, *mrr_change_days(history, start, end)}
    for rows in (program.rates, program.currencies, program.growth_markets, program.rounding):
        days.update(day for day in boundaries(rows) if start < day and (end is None or day < end))
    return sorted(days)


_Piece = tuple[dt.date, dt.date | None, Decimal, Decimal, Decimal, Market, str]


def _managed_piece(
    service: ManagedService,
    client: Client,
    mrr: Money,
    program: Program,
    what: str,
    day: dt.date,
) -> tuple[Decimal, Decimal, Decimal, Market, str]:
    """Points, USD, rate, market and rule of the managed credit for ``mrr`` on ``day``:
    MRR / per-100-USD table x managed rate x growth multiplier / partners."""
    row = _row(program, day, what)
    per_100, table_text = _per_100_usd(program, mrr, day, what)
    multiplier, market = _multiplier(program, client, day)
    rounding = program.rounding_rule(day)
    points, usd = _priced(
        mrr.amount, row.managed * multiplier, per_100, rounding, shares=service.partners
    )
    shown_multiplier = _shown_multiplier(multiplier, client)
    shared = "" if service.partners == 1 else f" / {service.partners} partners"
    rule = (
        f"{mrr} MRR at {table_text} x {row.managed} points per 100 USD"
        f"{shown_multiplier}{shared} = {points}"
    )
    return points, usd, row.managed * multiplier, market, rule


def _managed_batches(
    service: ManagedService,
    subscription: Subscription,
    client: Client,
    program: Program,
    history: tuple[MrrEntry, ...],
) -> Iterator[PointBatch]:
    """The managed batches of one subscription in one managed period: one per piece of
    the period with its own price, each priced from the MRR in force on its first day
    (``history``); a piece without MRR earns nothing and gets no batch."""
    start = max(service.since, subscription.started_on)
    ends = [day for day in (service.until, subscription.ended_on) if day is not None]
    end = min(ends) if ends else None
    if program.rates and not program.price_before_first_row:
        # Managed points are a level: before the program's first rate row there is none.
        start = max(start, program.rates[0].effective_from)
    if end is not None and end <= start:
        return
    cuts = _cuts(program, start, end, history)
    pieces: list[_Piece] = []
    for position, piece_start in enumerate(cuts):
        piece_end = cuts[position + 1] if position + 1 < len(cuts) else end
        mrr = mrr_in_force(history, piece_start, subscription.mrr.currency)
        if mrr.amount == 0:
            pieces.append((piece_start, piece_end, ZERO, ZERO, ZERO, Market.STANDARD, ""))
            continue
        what = f"managed service of {client.id} ({subscription.id}) on {piece_start}"
        price = _managed_piece(service, client, mrr, program, what, piece_start)
        if pieces and pieces[-1][2:6] == price[:4] and pieces[-1][6]:
            # Same price as the piece before: the level did not change, extend it.
            pieces[-1] = (pieces[-1][0], piece_end, *pieces[-1][2:])
        else:
            pieces.append((piece_start, piece_end, *price))
    for piece_start, piece_end, points, usd, rate, market, rule in pieces:
        if not rule:  # no MRR in force: no managed credit
            continue
        yield PointBatch(
            id=f"managed:{client.id}:{service.since}:{subscription.id}:{piece_start}",
            track=Track.MANAGED,
            motion="none",
            client=client.id,
            points=points,
            earned_on=piece_start,
            expires_on=piece_end,
            origin=(
                f"managed service of {client.id} since {service.since}, "
                f"{subscription.id} from {piece_start}" + (f" to {piece_end}" if piece_end else "")
            ),
            program=program.label,
            rate=rate,
            rule=rule,
            market=market,
            mrr_usd=usd,
        )


def build_ledger(book: Book, program: Program) -> PointsLedger:
    """The points ledger of a book under a program.

    Every batch is stamped with the program version and the rule that priced it. The
    ledger is columnar when the integer pricing applies (`price_rows`): its totals come
    from event rows and its batches are made by `price_batches` when first asked for.

    Raises:
        PricingError: when no rate row, currency table or currency entry covers a deal
            or a managed period; the message names the deal, the currency and the date.
    """
    check_arguments(book, program)
    rows = price_rows(book, program)
    if rows is None:
        return PointsLedger(price_batches(book, program))
    return PointsLedger._columnar(rows, functools.partial(price_batches, book, program))


def price_batches(book: Book, program: Program) -> list[PointBatch]:
    """Every batch of the book under the program, as records: the object path, and the
    oracle the columnar pricing is tested against."""
    batches = list(_sold_batches(book, program))
    by_client: dict[str, list[Subscription]] = {}
    for subscription in book.subscriptions:
        by_client.setdefault(subscription.client, []).append(subscription)
    for service in book.managed_services:
        client = book.client(service.client)
        for subscription in by_client.get(service.client, ()):
            history = book.mrr_history(subscription.id)
            batches.extend(_managed_batches(service, subscription, client, program, history))
    return batches
