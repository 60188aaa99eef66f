"""Hypothesis strategies for partner_tiers: money, every record, consistent books, point
batches and ledgers.

Every strategy generates valid values only: dates between 2016-01-01 and 2030-12-31,
amounts as Decimals with two places and a bounded magnitude, currencies and countries
from small realistic sets (both growth-market and standard countries). Use them to test
code built on partner_tiers::

    from hypothesis import given
    from partner_tiers.testing import strategies as pts

    @given(pts.books(), pts.dates())
    def test_report_never_fails(book, day): ...

This module needs Hypothesis; the rest of partner_tiers does not import it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import TypeVar

from hypothesis import strategies as st

from partner_tiers import (
    Book,
    Certification,
    CertificationId,
    Client,
    ClientId,
    CurrencyTable,
    Deal,
    DealId,
    DealKind,
    ExpiryRule,
    GateSpec,
    GrowthMarkets,
    ManagedService,
    Market,
    Money,
    Partner,
    PartnerId,
    PointBatch,
    PointsLedger,
    Program,
    Promotion,
    RateRow,
    Relationship,
    RenewalOwner,
    RenewalProposal,
    ReviewPolicy,
    RoundingRule,
    SalesMotion,
    Subscription,
    SubscriptionId,
    Tier,
    Track,
    TrackSpec,
)

__all__ = [
    "DEFAULT_COUNTRIES",
    "DEFAULT_CURRENCIES",
    "GROWTH_COUNTRIES",
    "MAX_AMOUNT",
    "MAX_DATE",
    "MIN_DATE",
    "PRODUCT_LINES",
    "STANDARD_COUNTRIES",
    "amounts",
    "books",
    "certifications",
    "client_ids",
    "clients",
    "dates",
    "deals",
    "ledgers",
    "managed_services",
    "money",
    "partners",
    "point_batches",
    "programs",
    "subscriptions",
]

MIN_DATE = dt.date(2016, 1, 1)
"""The earliest date generated: the first published tier program."""

MAX_DATE = dt.date(2030, 12, 31)
"""The latest date generated."""

MAX_AMOUNT = Decimal("1000000.00")
"""The largest magnitude of a generated amount of money."""

DEFAULT_CURRENCIES: tuple[str, ...] = (
    "USD",
    "EUR",
    "GBP",
    "AUD",
    "CAD",
    "SGD",
    "JPY",
    "ZAR",
    "COP",
)
"""The currencies of the program's published currency table."""

GROWTH_COUNTRIES: tuple[str, ...] = ("IN", "BR", "MX", "SG")
"""Countries in the program's growth markets (points are doubled there)."""

STANDARD_COUNTRIES: tuple[str, ...] = ("US", "DE", "GB", "FR")
"""Countries outside the growth markets."""

DEFAULT_COUNTRIES: tuple[str, ...] = GROWTH_COUNTRIES + STANDARD_COUNTRIES
"""Growth-market and standard countries together."""

PRODUCT_LINES: tuple[str, ...] = (
    "marketing-hub",
    "sales-hub",
    "service-hub",
    "content-hub",
    "operations-hub",
    "commerce-hub",
    "crm-suite",
)
"""Product lines deals and subscriptions are about."""

_T = TypeVar("_T")

_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-"
_TOOLS = ("crm", "email", "forms", "workflows", "landing-pages", "reporting", "chat", "tickets")
_EDITIONS = ("starter", "professional", "enterprise")
_PROGRAMS = ("hubspot-2022", "hubspot-2024", "hubspot-2025")
_CENT = Decimal("0.01")
_LONGEST_SPAN = 3 * 365
"""The most days between two dates of one record (a start and its renewal or end)."""

# Points per 100 USD-equivalent, growth-market multiplier included (domain.md, section 2).
_SOLD_RATES = (Decimal(3), Decimal(5), Decimal(6), Decimal(10))
_MANAGED_RATES = (Decimal(1), Decimal(2))


def dates(
    min_value: dt.date = MIN_DATE, max_value: dt.date = MAX_DATE
) -> st.SearchStrategy[dt.date]:
    """Dates from ``min_value`` to ``max_value``, both inclusive (2016-01-01..2030-12-31
    by default)."""
    return st.dates(min_value=min_value, max_value=max_value)


def amounts(
    min_value: Decimal | int = Decimal("0.00"), max_value: Decimal | int = MAX_AMOUNT
) -> st.SearchStrategy[Decimal]:
    """Decimals with exactly two places from ``min_value`` to ``max_value`` inclusive.

    Bounds with more places are rounded inwards to whole cents.
    """
    low = int((Decimal(min_value) * 100).to_integral_value(rounding=ROUND_CEILING))
    high = int((Decimal(max_value) * 100).to_integral_value(rounding=ROUND_FLOOR))
    return st.integers(min_value=low, max_value=high).map(_cents)


def _cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def money(
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
    *,
    min_amount: Decimal | int = Decimal("0.00"),
    max_amount: Decimal | int = MAX_AMOUNT,
) -> st.SearchStrategy[Money]:
    """Money in one of ``currencies`` with a two-place amount in the given bounds."""
    return st.builds(Money, amounts(min_amount, max_amount), st.sampled_from(currencies))


def _id_text(prefix: str) -> st.SearchStrategy[str]:
    return st.text(_ID_ALPHABET, min_size=1, max_size=6).map(lambda text: f"{prefix}-{text}")


def client_ids() -> st.SearchStrategy[ClientId]:
    """Client ids such as ``c-3f``."""
    return _id_text("c").map(ClientId)


# Strategies that never change, built once: building strategies inside a draw is slow.
_ANY_DATE = dates()
_NAMES = st.text(
    # Any printable text, accents and other scripts included, but not only whitespace.
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
    min_size=1,
    max_size=24,
).filter(lambda name: bool(name.strip()))
_DAYS = st.integers(min_value=0, max_value=_LONGEST_SPAN)
_DAYS_AFTER = st.integers(min_value=1, max_value=_LONGEST_SPAN)
_PARTNER_COUNTS = st.integers(min_value=1, max_value=4)
_PERIODS_PER_CLIENT = st.integers(min_value=0, max_value=2)
_SUBSCRIPTION_IDS = _id_text("s").map(SubscriptionId)
_DEAL_IDS = _id_text("d").map(DealId)
_CERTIFICATION_IDS = _id_text("cert").map(CertificationId)
_CLIENT_IDS = client_ids()


def _on_or_after(draw: st.DrawFn, start: dt.date) -> dt.date:
    """A date from ``start`` to a few years later, no later than :data:`MAX_DATE`."""
    return min(start + dt.timedelta(days=draw(_DAYS)), max(start, MAX_DATE))


def _after(draw: st.DrawFn, start: dt.date) -> dt.date | None:
    """A date after ``start`` by up to a few years, or None when ``start`` is the last."""
    if start >= MAX_DATE:
        return None
    return min(start + dt.timedelta(days=draw(_DAYS_AFTER)), MAX_DATE)


def _maybe(draw: st.DrawFn, strategy: st.SearchStrategy[_T]) -> _T | None:
    return draw(strategy) if draw(st.booleans()) else None


def partners(*, countries: Sequence[str] = DEFAULT_COUNTRIES) -> st.SearchStrategy[Partner]:
    """Partners based in one of ``countries``."""
    return st.builds(
        Partner,
        id=_id_text("p").map(PartnerId),
        name=_NAMES,
        country=st.sampled_from(countries),
        joined_on=_ANY_DATE,
    )


def clients(
    *,
    ids: st.SearchStrategy[ClientId] | None = None,
    countries: Sequence[str] = DEFAULT_COUNTRIES,
) -> st.SearchStrategy[Client]:
    """Clients in one of ``countries``, with an id from ``ids`` (any client id by default)."""
    return st.builds(
        Client,
        id=_CLIENT_IDS if ids is None else ids,
        name=_NAMES,
        country=st.sampled_from(countries),
        relationship=st.sampled_from(Relationship),
        tools_used=st.lists(st.sampled_from(_TOOLS), max_size=len(_TOOLS), unique=True).map(tuple),
        engagement_index=st.integers(min_value=0, max_value=10),
    )


def _client_choice(ids: Sequence[str] | None) -> st.SearchStrategy[ClientId]:
    if ids is None:
        return _CLIENT_IDS
    if not ids:
        raise ValueError("client_ids must name at least one client")
    return st.sampled_from([ClientId(client_id) for client_id in ids])


@st.composite
def _subscriptions(
    draw: st.DrawFn,
    client_choice: st.SearchStrategy[ClientId],
    ids: st.SearchStrategy[SubscriptionId],
    product_line_choice: st.SearchStrategy[str],
    currency_choice: st.SearchStrategy[str],
    amount_choice: st.SearchStrategy[Decimal],
) -> Subscription:
    currency = draw(currency_choice)
    started_on = draw(_ANY_DATE)
    renewal = None
    if draw(st.booleans()):
        renewal = RenewalProposal(
            edition=draw(st.sampled_from(_EDITIONS)), mrr=Money(draw(amount_choice), currency)
        )
    return Subscription(
        id=draw(ids),
        client=draw(client_choice),
        product_line=draw(product_line_choice),
        edition=draw(st.sampled_from(_EDITIONS)),
        mrr=Money(draw(amount_choice), currency),
        started_on=started_on,
        renews_on=_on_or_after(draw, started_on),
        contact_tier=_maybe(draw, st.integers(min_value=0, max_value=100_000)),
        email_tier=_maybe(draw, st.integers(min_value=0, max_value=1_000_000)),
        renewal_owner=_maybe(draw, st.sampled_from(RenewalOwner)),
        renewal_manager=_maybe(draw, _NAMES),
        renewal=renewal,
        ended_on=_on_or_after(draw, started_on) if draw(st.booleans()) else None,
    )


def subscriptions(
    client_ids: Sequence[str] | None = None,
    *,
    ids: st.SearchStrategy[SubscriptionId] | None = None,
    product_lines: Sequence[str] = PRODUCT_LINES,
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
) -> st.SearchStrategy[Subscription]:
    """Subscriptions of one of ``client_ids`` (any client id when None).

    Renewal dates are on or after the start, an end date (when there is one) too, and a
    renewal proposal is in the subscription's currency.
    """
    return _subscriptions(
        _client_choice(client_ids),
        _SUBSCRIPTION_IDS if ids is None else ids,
        st.sampled_from(product_lines),
        st.sampled_from(currencies),
        amounts(),
    )


_SOLD_MOTIONS = (SalesMotion.SOURCED, SalesMotion.ASSISTED)


@st.composite
def _deals(
    draw: st.DrawFn,
    client_choice: st.SearchStrategy[ClientId],
    product_line_choice: st.SearchStrategy[str],
    ids: st.SearchStrategy[DealId],
    kind_choice: st.SearchStrategy[DealKind],
    currency_choice: st.SearchStrategy[str],
    magnitudes: st.SearchStrategy[Decimal],
) -> Deal:
    kind = draw(kind_choice)
    amount = draw(magnitudes)
    if kind.reduces or (kind is DealKind.ADJUSTMENT and draw(st.booleans())):
        amount = -amount
    if kind is DealKind.ADJUSTMENT:
        motion = SalesMotion.NONE
    else:
        motion = draw(st.sampled_from(_SOLD_MOTIONS))
    return Deal(
        id=draw(ids),
        client=draw(client_choice),
        product_line=draw(product_line_choice),
        kind=kind,
        motion=motion,
        closed_on=draw(_ANY_DATE),
        mrr_change=Money(amount, draw(currency_choice)),
    )


def deals(
    client_ids: Sequence[str] | None = None,
    product_lines: Sequence[str] = PRODUCT_LINES,
    *,
    ids: st.SearchStrategy[DealId] | None = None,
    kinds: Sequence[DealKind] = tuple(DealKind),
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
) -> st.SearchStrategy[Deal]:
    """Deals with a client from ``client_ids`` (any client id when None).

    The MRR change has the sign the kind requires: positive for new, cross_sell and
    upsell, negative for downgrade and churn, and either sign but never zero for an
    adjustment. Adjustments have motion ``none``; every other kind is sourced or
    assisted.
    """
    return _deals(
        _client_choice(client_ids),
        st.sampled_from(product_lines),
        _DEAL_IDS if ids is None else ids,
        st.sampled_from(kinds),
        st.sampled_from(currencies),
        amounts(_CENT, MAX_AMOUNT),
    )


@st.composite
def _certifications(draw: st.DrawFn, ids: st.SearchStrategy[CertificationId]) -> Certification:
    valid_from = draw(_ANY_DATE)
    return Certification(
        id=draw(ids),
        name=draw(_NAMES),
        valid_from=valid_from,
        valid_until=_on_or_after(draw, valid_from),
    )


def certifications(
    *, ids: st.SearchStrategy[CertificationId] | None = None
) -> st.SearchStrategy[Certification]:
    """Certifications whose validity ends on or after the day it starts."""
    return _certifications(_CERTIFICATION_IDS if ids is None else ids)


@st.composite
def _managed_services(
    draw: st.DrawFn, client_choice: st.SearchStrategy[ClientId]
) -> ManagedService:
    since = draw(_ANY_DATE)
    return ManagedService(
        client=draw(client_choice),
        since=since,
        until=_after(draw, since) if draw(st.booleans()) else None,
        partners=draw(_PARTNER_COUNTS),
    )


def managed_services(
    client_ids: Sequence[str] | None = None,
) -> st.SearchStrategy[ManagedService]:
    """Managed-service periods for one of ``client_ids`` (any client id when None),
    shared among one to four partners, open or ending after they start."""
    return _managed_services(_client_choice(client_ids))


def _managed_periods(draw: st.DrawFn, client: ClientId) -> list[ManagedService]:
    """Up to two managed periods of one client, one after the other, never overlapping."""
    periods: list[ManagedService] = []
    count = draw(_PERIODS_PER_CLIENT)
    since = draw(_ANY_DATE)
    for number in range(count):
        last = number == count - 1
        until = _after(draw, since) if not last or draw(st.booleans()) else None
        periods.append(
            ManagedService(client=client, since=since, until=until, partners=draw(_PARTNER_COUNTS))
        )
        if until is None:
            break
        since = _on_or_after(draw, until)
    return periods


@st.composite
def _books(
    draw: st.DrawFn,
    max_clients: int,
    max_records: int,
    currencies: Sequence[str],
    countries: Sequence[str],
) -> Book:
    partner = draw(partners(countries=countries))
    book_clients = draw(
        st.lists(
            clients(countries=countries),
            max_size=max_clients,
            unique_by=lambda record: record.id,
        )
    )
    book_certifications = draw(
        st.lists(certifications(), max_size=3, unique_by=lambda record: record.id)
    )
    if not book_clients:
        return Book(partner=partner, certifications=book_certifications)
    ids = [client.id for client in book_clients]
    periods = [period for client in ids for period in _managed_periods(draw, client)]
    return Book(
        partner=partner,
        clients=book_clients,
        subscriptions=draw(
            st.lists(
                subscriptions(ids, currencies=currencies),
                max_size=max_records,
                unique_by=lambda record: record.id,
            )
        ),
        deals=draw(
            st.lists(
                deals(ids, currencies=currencies),
                max_size=max_records,
                unique_by=lambda record: record.id,
            )
        ),
        certifications=book_certifications,
        managed_services=draw(st.permutations(periods)),
    )


def books(
    *,
    max_clients: int = 5,
    max_records: int = 8,
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
    countries: Sequence[str] = DEFAULT_COUNTRIES,
) -> st.SearchStrategy[Book]:
    """Consistent books: ids unique per kind, every reference names a client of the book,
    every deal's MRR change has the sign its kind requires, and each client has at most
    two managed periods, which never overlap.

    Args:
        max_clients: the most clients a book has.
        max_records: the most subscriptions, and the most deals, a book has.
        currencies: the currencies of subscriptions and deals.
        countries: the countries of the partner and the clients.
    """
    return _books(max_clients, max_records, tuple(currencies), tuple(countries))


# At least 1 USD, so that even the lowest rate gives at least 0.01 points.
_BATCH_MRR = amounts(1, 100_000)
_NEGATIVE_ODDS = st.integers(min_value=0, max_value=3)
_EARNED_ON = dates(MIN_DATE, MAX_DATE - dt.timedelta(days=1))
_BATCH_IDS = {track: _id_text(str(track)) for track in Track}
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
    points = (mrr_usd * rate / 100).quantize(_CENT, rounding=ROUND_HALF_EVEN)
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
        expires_on=_after(draw, earned_on) if draw(st.booleans()) else None,
        origin=f"origin-of-{batch_id}",
        program=draw(st.sampled_from(_PROGRAMS)),
        rate=rate,
        rule=f"{rate} points per 100 USD",
        market=draw(_MARKETS),
        mrr_usd=mrr_usd,
        offsets=_maybe(draw, _BATCH_IDS[Track.SOLD]) if negative else None,
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
    return _point_batches(ids, _client_choice(client_ids), allow_negative)


@st.composite
def _ledgers(draw: st.DrawFn, min_size: int, max_size: int, allow_negative: bool) -> PointsLedger:
    # A few clients shared by many batches, so that per-client totals are interesting.
    pool = draw(st.lists(_CLIENT_IDS, min_size=1, max_size=4, unique=True))
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
        retain = {track: (value * share).quantize(_CENT) for track, value in reach.items()}
        tiers.append(Tier(f"tier-{index}", f"Tier {index}", reach, retain))
    rate_days = sorted(
        draw(st.lists(dates(MIN_DATE, MAX_DATE), min_size=1, max_size=3, unique=True))
    )
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
        name=draw(_id_text("program")),
        version=draw(dates()).isoformat(),
        title=draw(_NAMES),
        description=draw(_NAMES),
        effective_from=rate_days[0],
        tracks=tuple(TrackSpec(track) for track in tracks),
        tiers=tuple(tiers),
        rates=rates,
        currencies=(CurrencyTable({code: Decimal(amount) for code, amount in table.items()}),),
        gates=tuple(gates),
        policy=ReviewPolicy(
            review_dates=draw(
                st.sampled_from((("01-01",), ("01-01", "07-01"), ("03-31", "09-30")))
            ),
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
