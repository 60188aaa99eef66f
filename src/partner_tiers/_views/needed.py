"""How much more MRR it takes: the least extra MRR, per sales motion and market, to reach
the next tier by a date (`needed_to_reach`) or keep the current one at the next review
(`needed_to_keep`). Each answer is verified by evaluating the book with the MRR added.

Never changes the book it is given: it evaluates changed copies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import ROUND_CEILING, Decimal, localcontext
from typing import Any

from attrs import evolve, frozen

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._engine.evaluate import evaluate
from partner_tiers._engine.ledgers import build_ledger
from partner_tiers._engine.status import TierStatus
from partner_tiers._errors import InvalidRecordError, PricingError
from partner_tiers._ledger.batch import FIGURES, Market, Track
from partner_tiers._model.book import Book
from partner_tiers._model.deprecated import keyword_as_of
from partner_tiers._model.records import (
    Client,
    Deal,
    DealKind,
    ManagedService,
    Relationship,
    SalesMotion,
    Subscription,
)
from partner_tiers._model.values import (
    ClientId,
    DealId,
    Money,
    SubscriptionId,
    check_day,
)
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries, program_on
from partner_tiers._views.hypothetical import DEFAULT_COUNTRY, default_client

__all__ = ["Needed", "least_mrr", "needed_to_keep", "needed_to_reach", "touched_tracks"]

ZERO = Decimal(0)
CENT = Decimal("0.01")
_SEARCH_LIMIT = Decimal(10) ** 12
_MOTIONS = ("sourced", "assisted", "managed")
_MARKETS = ("standard", "growth")
# The tracks (by rule) that MRR of each sales motion adds to.
_TOUCHED = {
    motion: {
        figure.name
        for figure in FIGURES
        if figure.counts(
            *((Track.MANAGED, "none") if motion == "managed" else (Track.SOLD, motion))
        )
    }
    for motion in _MOTIONS
}


def _check_choices(name: str, values: Sequence[str], allowed: Sequence[str]) -> None:
    for value in values:
        if value not in allowed:
            raise InvalidRecordError(name, value, f"must be one of {', '.join(allowed)}")


@frozen
class Needed:
    """The least extra MRR of one kind that reaches (or keeps) a tier.

    Attributes:
        motion: sourced, assisted or managed.
        market: growth or standard.
        currency: the currency of the amount.
        amount: the least MRR, to the cent; None when this kind of MRR cannot do it.
        points: the points the amount earns.
        target: the tier aimed at.
        on: the date the MRR is added and the tier checked.
        reason: why not, when amount is None; else how it was found.
        country: the country of the new client assumed (decides the market).
        tools_used: the tools that client was assumed to use (`default_client`).
        tag: names the hypothetical records: client ``c-{tag}``, deal ``{tag}-{motion}``.
    """

    motion: str
    market: str
    currency: str
    amount: Decimal | None
    points: Decimal | None
    target: str | None
    on: dt.date
    reason: str

    country: str = DEFAULT_COUNTRY
    tools_used: tuple[str, ...] = ()
    tag: str = "hypothetical"

    def deal(self, client: str | None = None, product_line: str = "new-line") -> Deal:
        """The hypothetical sold deal (for sourced or assisted answers), for ``client``
        (default: the client of `client`)."""
        if self.amount is None or self.motion == "managed":
            raise InvalidRecordError("Needed.motion", self.motion, "has no sold deal to make")
        return Deal(
            DealId(f"{self.tag}-{self.motion}"),
            ClientId(client if client is not None else f"c-{self.tag}"),
            product_line,
            DealKind.NEW,
            SalesMotion(self.motion),
            self.on,
            Money(self.amount, self.currency),
        )

    def client(self, client: str | None = None) -> Client:
        """The new client the answer assumed: in its market (``country``), using
        ``tools_used`` (`default_client`'s defaults, which leave the gates as they are)."""
        relationship = Relationship.MANAGED if self.motion == "managed" else Relationship.SOLD
        return Client(
            ClientId(client if client is not None else f"c-{self.tag}"),
            f"Hypothetical client {self.tag}",
            self.country,
            relationship,
            self.tools_used,
        )

    def subscription(self, client: str | None = None) -> Subscription:
        """The hypothetical subscription of a managed answer: its MRR for a year."""
        if self.amount is None:
            raise InvalidRecordError("Needed.amount", None, "has no subscription to make")
        return Subscription(
            SubscriptionId(f"s-{self.tag}"),
            ClientId(client if client is not None else f"c-{self.tag}"),
            "new-line",
            "professional",
            Money(self.amount, self.currency),
            self.on,
            self.on + dt.timedelta(days=365),
        )

    def managed_service(self, client: str | None = None) -> ManagedService:
        """The hypothetical managed service of a managed answer, from its date."""
        return ManagedService(ClientId(client if client is not None else f"c-{self.tag}"), self.on)

    def records(self) -> dict[str, Any]:
        """The records to add for this answer, by `what_if` argument name: its client
        and either its deal or its subscription and managed service."""
        if self.amount is None:
            return {}
        if self.motion == "managed":
            return {
                "clients": (self.client(),),
                "subscriptions": (self.subscription(),),
                "managed_services": (self.managed_service(),),
            }
        return {"clients": (self.client(),), "deals": (self.deal(),)}


_GROWTH_COUNTRY = "IN"
_STANDARD_COUNTRY = "US"


def _hypothetical(answer: Needed, book: Book) -> Book:
    """The book with the answer's records added."""
    records = answer.records()
    return evolve(
        book,
        clients=(*book.clients, *records.get("clients", ())),
        subscriptions=(*book.subscriptions, *records.get("subscriptions", ())),
        deals=(*book.deals, *records.get("deals", ())),
        managed_services=(*book.managed_services, *records.get("managed_services", ())),
    )


def _growth_country(program: Program, on: dt.date, market: str) -> str | None:
    growth = program.growth_list(on)
    if market == Market.STANDARD:
        return (
            _STANDARD_COUNTRY
            if growth is None or _STANDARD_COUNTRY not in growth.countries
            else None
        )
    if growth is None or not growth.countries:
        return None
    return _GROWTH_COUNTRY if _GROWTH_COUNTRY in growth.countries else sorted(growth.countries)[0]


def touched_tracks(program: Program, motion: str) -> set[str]:
    """The ids of the program's tracks that new MRR of ``motion`` adds to."""
    return {track.id for track in program.tracks if track.rule in _TOUCHED[motion]}


def _track_rules(program: Program) -> dict[str, str]:
    return {track.id: track.rule for track in program.tracks}


def _blocked_tracks(program: Program, motion: str, missing: dict[str, Decimal]) -> list[str]:
    """The tracks short of the goal that MRR of this motion does not add to."""
    rules = _track_rules(program)
    touched = _TOUCHED[motion]
    return [t for t, m in missing.items() if m > 0 and rules.get(t, t) not in touched]


def _per_unit(
    program: Program, motion: str, currency: str, on: dt.date, country: str
) -> tuple[Decimal, Decimal]:
    """What one unit of ``currency`` of MRR earns on ``on``: (points, USD)."""
    row = program.rate_row(on)
    table = program.currency_table(on)
    if row is None or table is None or currency not in table.per_100_usd:
        raise PricingError(f"needed_to_reach: the program cannot price {currency} on {on}")
    growth = program.growth_list(on)
    multiplier = (
        growth.multiplier if growth is not None and country in growth.countries else Decimal(1)
    )
    rate = row.managed if motion == "managed" else row.sold_rate(SalesMotion(motion))
    per_100 = table.per_100_usd[currency]
    return rate * multiplier / per_100, Decimal(100) / per_100


def _estimate(
    program: Program, missing: dict[str, Decimal], per_unit: tuple[Decimal, Decimal]
) -> Decimal:
    """The MRR that closes every gap at the unit rates, to the cent above; Infinity when
    a gap cannot close (a zero rate)."""
    rules = _track_rules(program)
    per_unit_points, per_unit_usd = per_unit

    def needed_units(track: str, gap: Decimal) -> Decimal:
        unit = per_unit_usd if rules.get(track, track).endswith("_usd") else per_unit_points
        if unit <= 0:
            return Decimal("Infinity")
        with localcontext() as context:
            context.prec = 60
            return (gap / unit).quantize(CENT, rounding=ROUND_CEILING)

    gaps = {t: m for t, m in missing.items() if m > 0}
    return max((needed_units(t, m) for t, m in gaps.items()), default=ZERO)


def _least_amount(works: Callable[[Decimal], bool], estimate: Decimal) -> Decimal | None:
    """The least cent that works, searched from the estimate; None past the search limit.

    The estimate ignores per-batch rounding and policy: find the least cent that works by
    doubling from it, then bisecting (more MRR never earns fewer points).
    """
    high = max(estimate, CENT)
    low = ZERO
    while not works(high):
        low = high
        high *= 2
        if high > _SEARCH_LIMIT:
            return None
    while high - low > CENT:
        middle = ((low + high) / 2).quantize(CENT)
        if works(middle):
            high = middle
        else:
            low = middle
    return high


def _hypothetical_points(
    book: Book, program: Program | ProgramSeries, on: dt.date, client: str
) -> Decimal:
    """The active points of the hypothetical client on ``on``."""
    ledger = build_ledger(book, program)
    return sum(
        (b.points for b in ledger.batches if b.client == client and b.active_on(on)),
        ZERO,
    )


def least_mrr(
    book: Book,
    program: Program | ProgramSeries,
    motion: str,
    market: str,
    currency: str,
    on: dt.date,
    goal: Callable[[TierStatus], bool],
    shortfall: Callable[[TierStatus], dict[str, Decimal]],
    target: str | None,
    tag: str = "hypothetical",
) -> Needed:
    """The least MRR of one motion, market and currency, from a new client
    ``c-{tag}`` with `default_client`'s tools, that meets ``goal`` on ``on``."""
    series, program = program, program_on(program, on)  # rates of the version in force
    country = _growth_country(program, on, market)
    tools = default_client(book, series, f"c-{tag}", on).tools_used

    def answer(amount: Decimal | None, points: Decimal | None, reason: str) -> Needed:
        return Needed(
            motion, market, currency, amount, points, target, on, reason,
            country or DEFAULT_COUNTRY, tools, tag,
        )  # fmt: skip

    if country is None:
        return answer(None, None, f"the program has no {market} market on {on}")
    base = evaluate(book, series, as_of=on)
    if goal(base):
        return answer(ZERO, ZERO, "already met: no extra MRR needed")
    missing = shortfall(base)
    blocked = _blocked_tracks(program, motion, missing)
    if blocked:
        return answer(None, None, f"{motion} MRR does not count toward {', '.join(blocked)}")
    estimate = _estimate(program, missing, _per_unit(program, motion, currency, on, country))
    if not estimate.is_finite():
        return answer(None, None, f"the {motion} rate on {on} is zero")

    def with_amount(amount: Decimal) -> Book:
        return _hypothetical(answer(amount, None, ""), book)

    amount = _least_amount(lambda a: goal(evaluate(with_amount(a), series, as_of=on)), estimate)
    if amount is None:
        return answer(None, None, "gates or policy keep the tier out of reach, whatever the MRR")
    earned = _hypothetical_points(with_amount(amount), series, on, f"c-{tag}")
    return answer(
        amount, earned, f"least {motion} MRR in a {market} market, verified by evaluation"
    )


@keyword_as_of("book", "program", renamed={"by": "as_of"})
def needed_to_reach(
    book: Book,
    program: Program | ProgramSeries,
    *,
    as_of: dt.date,
    tier: str | None = None,
    currency: str = "USD",
    motions: Sequence[str] = ("sourced", "assisted", "managed"),
    markets: Sequence[str] = ("standard", "growth"),
) -> list[Needed]:
    """The least extra MRR per sales motion and market so that the partner qualifies for
    ``tier`` (default: the tier above the one held) on ``by``; under a series, a tier
    of the version in force on ``by``.

    Each answer is verified: evaluating the book with the MRR added qualifies, and one
    cent less does not.
    """
    check_arguments(book, program)
    by = check_day("as_of", as_of)
    _check_choices("motions", motions, _MOTIONS)
    _check_choices("markets", markets, _MARKETS)
    status = evaluate(book, program, as_of=by)
    target = tier if tier is not None else status.next_tier
    if target is None:
        return []
    version = program_on(program, by)
    tier_ids = [t.id for t in version.tiers]
    if target not in tier_ids:
        raise InvalidRecordError("tier", target, f"must be one of {', '.join(tier_ids)}")
    index = version.tier_index(target)
    target_tier = version.tiers[index]

    def goal(s: TierStatus) -> bool:
        return version.tier_index(s.qualified_tier) >= index

    def shortfall(s: TierStatus) -> dict[str, Decimal]:
        return target_tier.shortfall(s.values)

    return [
        least_mrr(book, program, motion, market, currency, by, goal, shortfall, target)
        for motion in motions
        for market in markets
    ]


@keyword_as_of("book", "program")
def needed_to_keep(
    book: Book,
    program: Program | ProgramSeries,
    *,
    as_of: dt.date,
    currency: str = "USD",
    motions: Sequence[str] = ("sourced", "assisted", "managed"),
    markets: Sequence[str] = ("standard", "growth"),
) -> list[Needed]:
    """The least extra MRR, added on the next review date, that keeps the tier held on
    ``as_of`` at that review (no demotion decided there)."""
    check_arguments(book, program)
    as_of = check_day("as_of", as_of)
    _check_choices("motions", motions, _MOTIONS)
    _check_choices("markets", markets, _MARKETS)
    status = evaluate(book, program, as_of=as_of)
    if status.tier is None:
        return []
    review = status.next_review
    version = program_on(program, review)  # the review is judged by the version then
    if status.tier not in {tier.id for tier in version.tiers}:
        return []  # the next version has no such tier: nothing keeps it
    held = version.tier(status.tier)
    index = version.tier_index(held.id)

    def goal(s: TierStatus) -> bool:
        kept = version.tier_index(s.tier) >= index
        return kept and s.pending_demotion is None

    def shortfall(s: TierStatus) -> dict[str, Decimal]:
        # Still holding the tier at the review: its retain minimums. Already demoted by
        # then (a demotion announced earlier has landed): it has to be reached again.
        keep = version.tier_index(s.tier) >= index
        return held.shortfall(s.values, keep=keep)

    return [
        least_mrr(book, program, motion, market, currency, review, goal, shortfall, status.tier)
        for motion in motions
        for market in markets
    ]
