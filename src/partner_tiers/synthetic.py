"""Deterministic synthetic books for benchmarks and demos: the same size and seed always
give the same book.

Books are made with the standard library's `random.Random` only (no Hypothesis,
no clock, no files), so benchmark figures can be reproduced on another machine::

    import partner_tiers as pt
    from partner_tiers import synthetic

    book = synthetic.book("M", seed=1)  # 500 clients, 5,000 deals over 2023-2025
    status = pt.evaluate(book, pt.load_program("hubspot-2025"), as_of=dt.date(2025, 9, 30))

What a book holds:

- clients in standard and growth-market countries, each billed in its country's
  currency from the shipped currency tables (USD, EUR, GBP, AUD, CAD, SGD, JPY, ZAR, COP);
- deals closed from 2023-01-01 to 2025-12-31: ``new`` then ``cross_sell`` for each
  product line's first sale, ``upsell`` on lines already sold (some of them on lines first
  sold before the 2024-02-27 grandfathering row), and ``downgrade`` / ``churn`` that give
  back part or all of a line's MRR; partner-sourced or partner-assisted;
- one subscription per client and product line, from the line's first sale, ended when
  the line was churned and not sold again, with the MRR it had before the churn (or
  before the churn day, when a downgrade that day would take the MRR history that the
  book derives from the deals below zero);
- managed service, from 2022-08-01 on, for about a third of the clients, some of it
  ended and some shared with a second partner;
- certifications valid from 2022-01-01 to 2026-12-31, and the facts the Elite gates read.

Every deal, subscription and managed-service date lies between 2022-08-01 and
2025-12-31, so every shipped points program (``hubspot-2022`` and later) prices every deal
and managed period.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from decimal import ROUND_DOWN, Decimal

from partner_tiers._errors import InvalidRecordError
from partner_tiers._model.book import Book
from partner_tiers._model.records import (
    Certification,
    Client,
    Deal,
    DealKind,
    ManagedService,
    Partner,
    Relationship,
    SalesMotion,
    Subscription,
)
from partner_tiers._model.values import (
    CertificationId,
    ClientId,
    DealId,
    Money,
    PartnerId,
    SubscriptionId,
)

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "PORTFOLIO_MIX",
    "SIZES",
    "book",
    "portfolio",
]

FIRST_DAY = dt.date(2022, 8, 1)
"""The earliest date in a synthetic book (managed service, subscriptions)."""

LAST_DAY = dt.date(2025, 12, 31)
"""The latest date in a synthetic book."""

_FIRST_DEAL_DAY = dt.date(2023, 1, 1)

SIZES: dict[str, tuple[int, int]] = {
    "S": (50, 500),
    "M": (500, 5_000),
    "L": (5_000, 50_000),
}
"""Named sizes: (clients, deals)."""

PORTFOLIO_MIX: tuple[tuple[str | int, float], ...] = (("S", 0.929), ("M", 0.07), ("L", 0.001))
"""The share of each size in a `portfolio`: on average about 1,000 point batches a
partner, so 10,000 partners hold about 10 million batches."""

_DEALS_PER_CLIENT = 10

# Country -> (currency, weight). Growth markets (IN, BR, MX, CO, SG, PH) earn double in
# the shipped programs; their clients are billed in USD unless the table has their
# currency.
_COUNTRIES: tuple[tuple[str, str, int], ...] = (
    ("US", "USD", 30),
    ("GB", "GBP", 12),
    ("DE", "EUR", 8),
    ("FR", "EUR", 5),
    ("NL", "EUR", 3),
    ("IE", "EUR", 2),
    ("AU", "AUD", 6),
    ("CA", "CAD", 6),
    ("JP", "JPY", 2),
    ("ZA", "ZAR", 2),
    ("SG", "SGD", 3),
    ("IN", "USD", 8),
    ("BR", "USD", 5),
    ("MX", "USD", 3),
    ("CO", "COP", 3),
    ("PH", "USD", 2),
)

# Amounts that count as about 100 USD, to bill each currency in realistic figures
# (the shipped tables before 2025-07-15), and how many decimal places it uses.
_PER_100_USD: dict[str, tuple[Decimal, int]] = {
    "USD": (Decimal(100), 2),
    "EUR": (Decimal(75), 2),
    "GBP": (Decimal("62.50"), 2),
    "AUD": (Decimal(105), 2),
    "CAD": (Decimal(130), 2),
    "SGD": (Decimal(140), 2),
    "JPY": (Decimal(12_000), 0),
    "ZAR": (Decimal(1_545), 2),
    "COP": (Decimal(300_300), 0),
}

_PRODUCT_LINES = ("marketing-hub", "sales-hub", "service-hub", "content-hub", "operations-hub")
_EDITIONS = ("starter", "professional", "enterprise")
_TOOLS = ("crm", "email", "forms", "workflows", "sequences", "chat", "reports", "cms", "ads")
_PARTNER_COUNTRIES = ("US", "GB", "DE", "AU", "CA", "IN", "BR", "SG")

_WEIGHTED_COUNTRIES = tuple(country for country, _, weight in _COUNTRIES for _ in range(weight))
_CURRENCY = {country: currency for country, currency, _ in _COUNTRIES}


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _amount(
    rng: random.Random, currency: str, low_usd: float, high_usd: float, scale: float
) -> Decimal:
    """An MRR amount worth about ``scale`` times ``low_usd`` to ``high_usd`` USD,
    log-uniformly, and at least one unit of the currency's smallest place."""
    per_100, places = _PER_100_USD[currency]
    usd_cents = int(scale * low_usd * 100 * (high_usd / low_usd) ** rng.random())
    amount = Decimal(usd_cents) * per_100 / 10_000
    return amount.quantize(Decimal(1).scaleb(-places)) or Decimal(1).scaleb(-places)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` deals over ``parts`` clients: every client at least one while deals last,
    the rest skewed (a few large accounts)."""
    counts = [1 if i < total else 0 for i in range(parts)]
    weights = [rng.paretovariate(1.5) for _ in range(parts)]
    for client in rng.choices(range(parts), weights=weights, k=max(0, total - parts)):
        counts[client] += 1
    return counts


class _Line:
    """What a client has bought on one product line so far (only during generation)."""

    __slots__ = ("churned_from", "day", "ended_on", "first_sold", "low", "mrr", "mrr_before_day")

    def __init__(self, first_sold: dt.date) -> None:
        self.first_sold = first_sold
        self.mrr = Decimal(0)
        self.ended_on: dt.date | None = None
        self.churned_from = Decimal(0)
        # The day of the line's latest deal, the MRR before that day's deals, and the
        # lowest MRR at the end of the line's earlier deal days (None: no earlier day).
        self.day = first_sold
        self.mrr_before_day = Decimal(0)
        self.low: Decimal | None = None

    def change(self, day: dt.date, kind: DealKind, change: Decimal) -> None:
        """Apply a deal of ``day`` to the line (deals come in day order)."""
        if day != self.day:
            self.low = self.mrr if self.low is None else min(self.low, self.mrr)
            self.day, self.mrr_before_day = day, self.mrr
        if kind is DealKind.CHURN:
            # The ended subscription keeps the MRR it had before the churn. A book derives
            # its MRR history from that MRR minus the deals before the end day, so the
            # other deals of the churn day shift the whole history by their sum: when a
            # downgrade of that day would take it below zero, the subscription keeps the
            # MRR it had before the day instead, and its history is the line's own.
            self.churned_from = self.mrr
            if self.low is not None and self.mrr - self.mrr_before_day + self.low < 0:
                self.churned_from = self.mrr_before_day
        self.mrr += change
        self.ended_on = day if kind is DealKind.CHURN else None


def _next_deal(
    rng: random.Random, lines: dict[str, _Line], currency: str, scale: float
) -> tuple[str, DealKind, Decimal]:
    """The product line, kind and MRR change of a client's next deal."""
    live = [name for name, line in lines.items() if line.mrr > 0]
    unsold = [name for name in _PRODUCT_LINES if name not in live]
    draw = rng.random()
    if not live or (unsold and draw < 0.15):
        kind = DealKind.NEW if not lines else DealKind.CROSS_SELL
        return rng.choice(unsold), kind, _amount(rng, currency, 50, 5_000, scale)
    product_line = rng.choice(live)
    if draw < 0.80:
        return product_line, DealKind.UPSELL, _amount(rng, currency, 20, 2_000, scale)
    current = lines[product_line].mrr
    if draw < 0.94:
        unit = Decimal(1).scaleb(-_PER_100_USD[currency][1])
        most = (current * Decimal("0.9")).quantize(unit, rounding=ROUND_DOWN)
        change = -min(most, _amount(rng, currency, 10, 1_000, scale))
        if change < 0:
            return product_line, DealKind.DOWNGRADE, change
        # too small to downgrade: the client churns the line
    return product_line, DealKind.CHURN, -current


def _subscriptions(
    rng: random.Random, index: int, lines: dict[str, _Line], currency: str
) -> list[Subscription]:
    """A subscription per product line the client bought."""
    subscriptions = []
    for name, line in lines.items():
        # A churned line keeps the MRR it had before the churn on its (ended) subscription
        # (see `_Line.change`).
        mrr = line.mrr if line.mrr > 0 else line.churned_from
        subscriptions.append(
            Subscription(
                id=SubscriptionId(f"s-{index:05d}-{name}"),
                client=ClientId(f"c-{index:05d}"),
                product_line=name,
                edition=rng.choice(_EDITIONS),
                mrr=Money(mrr, currency),
                started_on=line.first_sold,
                renews_on=min(line.first_sold + dt.timedelta(days=365), LAST_DAY),
                ended_on=line.ended_on,
            )
        )
    return subscriptions


def _services(rng: random.Random, client_id: ClientId) -> list[ManagedService]:
    """The managed service of a managed client."""
    since = _day(rng, FIRST_DAY, dt.date(2025, 6, 30))
    until = _day(rng, since + dt.timedelta(days=90), LAST_DAY) if rng.random() < 0.2 else None
    partners = 2 if rng.random() < 0.1 else 1
    return [ManagedService(client=client_id, since=since, until=until, partners=partners)]


def _client_records(
    rng: random.Random, index: int, deal_count: int, scale: float
) -> tuple[Client, list[Deal], list[Subscription], list[ManagedService]]:
    client_id = ClientId(f"c-{index:05d}")
    country = rng.choice(_WEIGHTED_COUNTRIES)
    currency = _CURRENCY[country]
    managed = rng.random() < 0.35
    client = Client(
        id=client_id,
        name=f"Client {index}",
        country=country,
        relationship=Relationship.SOLD_AND_MANAGED if managed else Relationship.SOLD,
        tools_used=tuple(rng.sample(_TOOLS, rng.choice((1, 2, 3, 3, 4, 4, 5, 6, 7)))),
        engagement_index=rng.randint(0, 10),
    )
    days = sorted(_day(rng, _FIRST_DEAL_DAY, LAST_DAY) for _ in range(deal_count))
    lines: dict[str, _Line] = {}
    deals: list[Deal] = []
    for number, day in enumerate(days):
        product_line, kind, change = _next_deal(rng, lines, currency, scale)
        lines.setdefault(product_line, _Line(day)).change(day, kind, change)
        motion = SalesMotion.SOURCED if rng.random() < 0.55 else SalesMotion.ASSISTED
        deals.append(
            Deal(
                id=DealId(f"d-{index:05d}-{number:03d}"),
                client=client_id,
                product_line=product_line,
                kind=kind,
                motion=motion,
                closed_on=day,
                mrr_change=Money(change, currency),
            )
        )
    subscriptions = _subscriptions(rng, index, lines, currency)
    services = _services(rng, client_id) if managed else []
    return client, deals, subscriptions, services


def _make_book(partner_id: str, clients: int, deals: int, seed: int) -> Book:
    rng = random.Random(seed)
    counts = _split(rng, deals, clients)
    # Partners differ in deal size as much as in deal count: from a fiftieth of the
    # typical amounts to the full amounts, so a portfolio spreads over the whole ladder.
    scale = 10 ** rng.uniform(-1.7, 0.0)
    all_clients: list[Client] = []
    all_deals: list[Deal] = []
    all_subscriptions: list[Subscription] = []
    all_services: list[ManagedService] = []
    for index, count in enumerate(counts):
        client, client_deals, subscriptions, services = _client_records(rng, index, count, scale)
        all_clients.append(client)
        all_deals += client_deals
        all_subscriptions += subscriptions
        all_services += services
    partner = Partner(
        id=PartnerId(partner_id),
        name=f"Partner {partner_id}",
        country=rng.choice(_PARTNER_COUNTRIES),
        joined_on=_day(rng, FIRST_DAY, dt.date(2022, 12, 31)),
    )
    certifications = (
        Certification(
            CertificationId("cert-platform"), "Platform", dt.date(2022, 1, 1), dt.date(2024, 6, 30)
        ),
        Certification(
            CertificationId("cert-renewed"), "Platform", dt.date(2024, 6, 1), dt.date(2026, 12, 31)
        ),
    )
    facts = {
        "retention": Decimal(rng.randint(70, 99)) / 100,
        "invited": rng.random() < 0.1,
        "team_certifications": rng.randint(5, 200),
    }
    return Book(
        partner=partner,
        clients=all_clients,
        subscriptions=all_subscriptions,
        deals=all_deals,
        certifications=certifications,
        managed_services=all_services,
        facts=facts,
    )


def _counts(size: object) -> tuple[int, int]:
    """(clients, deals) of a size name or a number of clients."""
    if isinstance(size, str):
        if size not in SIZES:
            raise InvalidRecordError("size", size, f"must be one of {', '.join(SIZES)}")
        return SIZES[size]
    if isinstance(size, bool) or not isinstance(size, int):
        raise InvalidRecordError("size", size, "must be S, M, L or a number of clients")
    if size < 1:
        raise InvalidRecordError("size", size, "must be at least 1 client")
    return size, size * _DEALS_PER_CLIENT


def book(size: str | int, seed: int) -> Book:
    """A synthetic book, the same for the same size and seed.

    Args:
        size: ``"S"`` (50 clients, 500 deals), ``"M"`` (500 clients, 5,000 deals) or
            ``"L"`` (5,000 clients, 50,000 deals); or a number of clients, with 10 deals
            each.
        seed: the seed of the generator; the partner's id is ``p-{size}-{seed}``.

    Raises:
        InvalidRecordError: for an unknown size name or a number of clients below 1.
    """
    clients, deals = _counts(size)
    return _make_book(f"p-{size}-{seed}", clients, deals, seed)


def portfolio(
    partners: int,
    seed: int,
    *,
    first: int = 0,
    mix: Sequence[tuple[str | int, float]] = PORTFOLIO_MIX,
) -> Iterator[Book]:
    """``partners`` synthetic books of mixed sizes, made one at a time as they are
    iterated, so a portfolio of any size takes the memory of one book.

    ``mix`` gives each size (a name of `SIZES` or a number of clients, as for
    `book`) its share; the default, `PORTFOLIO_MIX`, averages about 1,000
    point batches a partner.

    Partner ``i`` (id ``p-00000``, ``p-00001``, ...) depends on the seed and ``i`` only:
    ``portfolio(100, seed, first=300)`` gives partners 300 to 399 of any larger portfolio
    of that seed, so partitions of a portfolio can be made apart (see
    `partner_tiers.portfolio.evaluate_portfolio_dask`).

    Raises:
        InvalidRecordError: when partners or first is negative, or the mix names an
            unknown size or has no positive share.
    """
    for name, value in (("partners", partners), ("first", first)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidRecordError(name, value, "must be an int >= 0")
    sizes = [_counts(size) for size, _ in mix]
    weights = [share for _, share in mix]
    if not weights or min(weights) < 0 or sum(weights) <= 0:
        raise InvalidRecordError("mix", mix, "must give sizes non-negative shares, not all 0")
    return _portfolio(partners, seed, first, sizes, weights)


def _portfolio(
    partners: int,
    seed: int,
    first: int,
    sizes: list[tuple[int, int]],
    weights: list[float],
) -> Iterator[Book]:
    for index in range(first, first + partners):
        # A string seed is hashed with SHA-512: the same on every run and platform.
        rng = random.Random(f"{seed}:{index}")
        clients, deals = rng.choices(sizes, weights=weights)[0]
        yield _make_book(f"p-{index:05d}", clients, deals, rng.getrandbits(64))
