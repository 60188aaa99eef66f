"""Scenarios: the questions partners ask that no dashboard answers.

- `what_if`: apply hypothetical deals, ended services or a certification lapse and
  compare the two statuses track by track;
- `needed_to_reach` / `needed_to_keep`: the least extra MRR, per sales motion
  and market, to reach the next tier by a date or keep the current one at the next review;
- `cliff_date`: the first day the tier would be lost if nothing new happens;
- `program_impact`: many books under two programs, as a transition matrix.

Scenarios never change the book they are given: they evaluate changed copies.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_CEILING, Decimal, localcontext
from typing import Any

import attrs
from attrs import evolve, frozen

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._engine.evaluate import evaluate, statuses
from partner_tiers._engine.pricing import build_ledger
from partner_tiers._engine.replay import change_days as _change_days
from partner_tiers._engine.status import TierStatus
from partner_tiers._errors import InvalidRecordError, PricingError
from partner_tiers._html import table_html
from partner_tiers._ledger.ledger import Market
from partner_tiers._model.book import Book
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
    MAX_MONTHS,
    ClientId,
    DealId,
    Money,
    SubscriptionId,
    check_count,
    check_day,
    check_instance,
)
from partner_tiers._rules.program import Program
from partner_tiers._views.dashboard import without_client

__all__ = [
    "ImpactMatrix",
    "Needed",
    "WhatIf",
    "cliff_date",
    "needed_to_keep",
    "needed_to_reach",
    "program_impact",
    "what_if",
]

ZERO = Decimal(0)
CENT = Decimal("0.01")
_SEARCH_LIMIT = Decimal(10) ** 12
_MOTIONS = ("sourced", "assisted", "managed")
_MARKETS = ("standard", "growth")


def _check_choices(name: str, values: Sequence[str], allowed: Sequence[str]) -> None:
    for value in values:
        if value not in allowed:
            raise InvalidRecordError(name, value, f"must be one of {', '.join(allowed)}")


@frozen
class WhatIf:
    """Two statuses side by side: the book as it is and as changed.

    Attributes:
        before: the status of the book as it is.
        after: the status of the changed book.
        book: the changed book.
        changes: what was applied, in words.
    """

    before: TierStatus = attrs.field(repr=False)
    after: TierStatus = attrs.field(repr=False)
    book: Book = attrs.field(repr=False)
    changes: tuple[str, ...]

    def rows(self) -> list[dict[str, Any]]:
        """One row per track and points total: before, after and the difference."""
        rows: list[dict[str, Any]] = [
            {"track": "tier", "before": self.before.tier, "after": self.after.tier, "change": None}
        ]
        names = list(dict.fromkeys([*self.before.values, *self.before.points]))
        for name in names:
            before = self.before.values.get(name, self.before.points.get(name, ZERO))
            after = self.after.values.get(name, self.after.points.get(name, ZERO))
            rows.append({"track": name, "before": before, "after": after, "change": after - before})
        return rows

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "changes": list(self.changes),
            "rows": [
                {k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()}
                for r in self.rows()
            ],
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
        }

    def __str__(self) -> str:
        lines = [f"what if: {'; '.join(self.changes) or 'nothing changes'}"]
        for row in self.rows():
            change = "" if row["change"] is None else f"  ({row['change']:+})"
            lines.append(
                f"  {row['track']:<16}{row['before']!s:>12} -> {row['after']!s:<12}{change}"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return table_html(
            ["track", "before", "after", "change"],
            ([r["track"], r["before"], r["after"], r["change"]] for r in self.rows()),
            "; ".join(self.changes),
        )


def what_if(
    book: Book,
    program: Program,
    as_of: dt.date,
    *,
    deals: Iterable[Deal] = (),
    clients: Iterable[Client] = (),
    subscriptions: Iterable[Subscription] = (),
    managed_services: Iterable[ManagedService] = (),
    end_services: Iterable[str] = (),
    certifications_lapse_on: dt.date | None = None,
) -> WhatIf:
    """Apply hypothetical changes to a copy of the book and compare the statuses.

    Args:
        deals, clients, subscriptions, managed_services: records to add.
        end_services: ids of clients to remove with every record about them.
        certifications_lapse_on: every certification ends the day before this date.

    Raises:
        InvalidRecordError: for an argument of the wrong type or a date out of range.
    """
    check_arguments(book, program)
    as_of = check_day("as_of", as_of)
    if certifications_lapse_on is not None:
        check_day("certifications_lapse_on", certifications_lapse_on)
    changed = book
    notes: list[str] = []
    for client_id in end_services:
        changed = without_client(changed, client_id)
        notes.append(f"end services for {client_id}")
    new_clients, new_subs = tuple(clients), tuple(subscriptions)
    new_deals, new_managed = tuple(deals), tuple(managed_services)
    if new_clients or new_subs or new_deals or new_managed:
        changed = evolve(
            changed,
            clients=changed.clients + new_clients,
            subscriptions=changed.subscriptions + new_subs,
            deals=changed.deals + new_deals,
            managed_services=changed.managed_services + new_managed,
        )
        notes += [f"add client {c.id}" for c in new_clients]
        notes += [
            f"add {d.motion} {d.kind} {d.mrr_change} for {d.client} on {d.closed_on}"
            for d in new_deals
        ]
        notes += [f"add managed service of {m.client} from {m.since}" for m in new_managed]
    if certifications_lapse_on is not None:
        last_day = certifications_lapse_on - dt.timedelta(days=1)
        kept = tuple(
            c if c.valid_until <= last_day else evolve(c, valid_until=max(last_day, c.valid_from))
            for c in changed.certifications
            if c.valid_from <= last_day
        )
        changed = evolve(changed, certifications=kept)
        notes.append(f"certifications lapse on {certifications_lapse_on}")
    return WhatIf(
        evaluate(book, program, as_of), evaluate(changed, program, as_of), changed, tuple(notes)
    )


# --- needed to reach / keep -------------------------------------------------------------


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
    """

    motion: str
    market: str
    currency: str
    amount: Decimal | None
    points: Decimal | None
    target: str | None
    on: dt.date
    reason: str

    def deal(self, client: str = "c-hypothetical", product_line: str = "new-line") -> Deal:
        """The hypothetical sold deal (for sourced or assisted answers)."""
        if self.amount is None or self.motion == "managed":
            raise InvalidRecordError("Needed.motion", self.motion, "has no sold deal to make")
        return Deal(
            DealId(f"hypothetical-{self.motion}"),
            ClientId(client),
            product_line,
            DealKind.NEW,
            SalesMotion(self.motion),
            self.on,
            Money(self.amount, self.currency),
        )


_GROWTH_COUNTRY = "IN"
_STANDARD_COUNTRY = "US"


def _hypothetical(
    book: Book, motion: str, market: str, amount: Decimal, currency: str, on: dt.date, country: str
) -> Book:
    # Like the book's best-engaged client, so that it never lowers the median tool usage
    # that a gate may require: the question is about MRR, not about engagement.
    best = max(book.clients, key=lambda c: c.tool_usage, default=None)
    client = Client(
        ClientId("c-hypothetical"),
        "Hypothetical client",
        country,
        Relationship.MANAGED if motion == "managed" else Relationship.SOLD,
        best.tools_used if best is not None else (),
        best.engagement_index if best is not None else 0,
    )
    subscription = Subscription(
        SubscriptionId("s-hypothetical"),
        client.id,
        "new-line",
        "professional",
        Money(amount, currency),
        on,
        on + dt.timedelta(days=365),
    )
    if motion == "managed":
        return evolve(
            book,
            clients=(*book.clients, client),
            subscriptions=(*book.subscriptions, subscription),
            managed_services=(*book.managed_services, ManagedService(client.id, on)),
        )
    deal = Deal(
        DealId("hypothetical"),
        client.id,
        "new-line",
        DealKind.NEW,
        SalesMotion(motion),
        on,
        Money(amount, currency),
    )
    return evolve(book, clients=(*book.clients, client), deals=(*book.deals, deal))


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


def _solve(
    book: Book,
    program: Program,
    motion: str,
    market: str,
    currency: str,
    on: dt.date,
    goal: Callable[[TierStatus], bool],
    shortfall: Callable[[TierStatus], dict[str, Decimal]],
    target: str | None,
) -> Needed:
    country = _growth_country(program, on, market)

    def answer(amount: Decimal | None, points: Decimal | None, reason: str) -> Needed:
        return Needed(motion, market, currency, amount, points, target, on, reason)

    if country is None:
        return answer(None, None, f"the program has no {market} market on {on}")
    base = evaluate(book, program, on)
    if goal(base):
        return answer(ZERO, ZERO, "already met: no extra MRR needed")
    missing = shortfall(base)
    touched = {
        "sourced": {"total", "sold", "sourced", "sold_mrr_usd"},
        "assisted": {"total", "sold", "assisted", "sold_mrr_usd"},
        "managed": {"total", "managed", "managed_mrr_usd"},
    }[motion]
    kinds = {track.id: track.rule for track in program.tracks}
    blocked = [t for t, m in missing.items() if m > 0 and kinds.get(t, t) not in touched]
    if blocked:
        return answer(None, None, f"{motion} MRR does not count toward {', '.join(blocked)}")
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
    per_unit_points = rate * multiplier / per_100
    per_unit_usd = Decimal(100) / per_100

    def needed_units(track: str, gap: Decimal) -> Decimal:
        unit = per_unit_usd if kinds.get(track, track).endswith("_usd") else per_unit_points
        if unit <= 0:
            return Decimal("Infinity")
        with localcontext() as context:
            context.prec = 60
            return (gap / unit).quantize(CENT, rounding=ROUND_CEILING)

    gaps = {t: m for t, m in missing.items() if m > 0}
    estimate = max((needed_units(t, m) for t, m in gaps.items()), default=ZERO)
    if not estimate.is_finite():
        return answer(None, None, f"the {motion} rate on {on} is zero")

    def works(amount: Decimal) -> bool:
        trial = _hypothetical(book, motion, market, amount, currency, on, country)
        return goal(evaluate(trial, program, on))

    # The estimate ignores per-batch rounding and policy: find the least cent that works
    # by doubling from it, then bisecting (more MRR never earns fewer points).
    high = max(estimate, CENT)
    low = ZERO
    while not works(high):
        low = high
        high *= 2
        if high > _SEARCH_LIMIT:
            return answer(
                None, None, "gates or policy keep the tier out of reach, whatever the MRR"
            )
    while high - low > CENT:
        middle = ((low + high) / 2).quantize(CENT)
        if works(middle):
            high = middle
        else:
            low = middle
    amount = high
    trial_ledger = build_ledger(
        _hypothetical(book, motion, market, amount, currency, on, country), program
    )
    earned = sum(
        (
            b.points
            for b in trial_ledger.batches
            if b.client == "c-hypothetical" and b.active_on(on)
        ),
        ZERO,
    )
    return answer(
        amount, earned, f"least {motion} MRR in a {market} market, verified by evaluation"
    )


def needed_to_reach(
    book: Book,
    program: Program,
    by: dt.date,
    *,
    tier: str | None = None,
    currency: str = "USD",
    motions: Sequence[str] = ("sourced", "assisted", "managed"),
    markets: Sequence[str] = ("standard", "growth"),
) -> list[Needed]:
    """The least extra MRR per sales motion and market so that the partner qualifies for
    ``tier`` (default: the tier above the one held) on ``by``.

    Each answer is verified: evaluating the book with the MRR added qualifies, and one
    cent less does not.
    """
    check_arguments(book, program)
    by = check_day("by", by)
    _check_choices("motions", motions, _MOTIONS)
    _check_choices("markets", markets, _MARKETS)
    status = evaluate(book, program, by)
    target = tier if tier is not None else status.next_tier
    if target is None:
        return []
    tier_ids = [t.id for t in program.tiers]
    if target not in tier_ids:
        raise InvalidRecordError("tier", target, f"must be one of {', '.join(tier_ids)}")
    index = program.tier_index(target)
    target_tier = program.tiers[index]

    def goal(s: TierStatus) -> bool:
        return program.tier_index(s.qualified_tier) >= index

    def shortfall(s: TierStatus) -> dict[str, Decimal]:
        return target_tier.shortfall(s.values)

    return [
        _solve(book, program, motion, market, currency, by, goal, shortfall, target)
        for motion in motions
        for market in markets
    ]


def needed_to_keep(
    book: Book,
    program: Program,
    as_of: dt.date,
    *,
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
    status = evaluate(book, program, as_of)
    if status.tier is None:
        return []
    review = status.next_review
    held = program.tier(status.tier)
    index = program.tier_index(status.tier)

    def goal(s: TierStatus) -> bool:
        kept = program.tier_index(s.tier) >= index
        return kept and s.pending_demotion is None

    def shortfall(s: TierStatus) -> dict[str, Decimal]:
        # Still holding the tier at the review: its retain minimums. Already demoted by
        # then (a demotion announced earlier has landed): it has to be reached again.
        keep = program.tier_index(s.tier) >= index
        return held.shortfall(s.values, keep=keep)

    return [
        _solve(book, program, motion, market, currency, review, goal, shortfall, status.tier)
        for motion in motions
        for market in markets
    ]


# --- cliff date -------------------------------------------------------------------------


def cliff_date(
    book: Book, program: Program, as_of: dt.date, *, horizon_months: int = 36
) -> dt.date | None:
    """The first day after ``as_of`` on which the tier held would be lower if nothing new
    happens (no deal after ``as_of``; managed service goes on); None within the horizon."""
    from dateutil.relativedelta import relativedelta

    check_arguments(book, program)
    as_of = check_day("as_of", as_of)
    check_count("horizon_months", horizon_months, 1, MAX_MONTHS)
    frozen_book = evolve(book, deals=tuple(d for d in book.deals if d.closed_on <= as_of))
    ledger = build_ledger(frozen_book, program)
    now = evaluate(frozen_book, program, as_of, ledger=ledger)
    rank = program.tier_index(now.tier)
    if rank < 0:
        return None
    end = as_of + relativedelta(months=horizon_months)
    days = _change_days(frozen_book, program, ledger, as_of, end)
    for status in statuses(frozen_book, program, days, ledger=ledger):
        if program.tier_index(status.tier) < rank:
            return status.as_of
    return None


# --- program impact ---------------------------------------------------------------------


@frozen
class ImpactMatrix:
    """How partners move between tiers when one program replaces another.

    Attributes:
        a: the first program's ``name@version``.
        b: the second program's ``name@version``.
        as_of: the date of both evaluations.
        tiers: the tier ids in ladder order, untiered (None) first.
        counts: (tier under a, tier under b) -> number of partners.
        moves: per partner id: (tier under a, tier under b).
    """

    a: str
    b: str
    as_of: dt.date
    tiers: tuple[str | None, ...]
    counts: dict[tuple[str | None, str | None], int]
    moves: dict[str, tuple[str | None, str | None]]

    def _rank(self, tier: str | None) -> int:
        return self.tiers.index(tier) if tier in self.tiers else -1

    @property
    def up(self) -> int:
        """Partners with a higher tier under b."""
        return sum(n for (x, y), n in self.counts.items() if self._rank(y) > self._rank(x))

    @property
    def down(self) -> int:
        """Partners with a lower tier under b."""
        return sum(n for (x, y), n in self.counts.items() if self._rank(y) < self._rank(x))

    @property
    def same(self) -> int:
        """Partners whose tier does not change."""
        return sum(n for (x, y), n in self.counts.items() if x == y)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "a": self.a,
            "b": self.b,
            "as_of": self.as_of.isoformat(),
            "up": self.up,
            "down": self.down,
            "same": self.same,
            "matrix": [
                {"from": x, "to": y, "partners": n}
                for (x, y), n in sorted(
                    self.counts.items(), key=lambda kv: (self._rank(kv[0][0]), self._rank(kv[0][1]))
                )
            ],
        }

    def __str__(self) -> str:
        names = [t or "untiered" for t in self.tiers]
        width = max(len(n) for n in names) + 2
        lines = [f"{self.a} (rows) -> {self.b} (columns) as of {self.as_of}"]
        lines.append(" " * width + "".join(f"{n:>{width}}" for n in names))
        for x in self.tiers:
            cells = "".join(f"{self.counts.get((x, y), 0):>{width}}" for y in self.tiers)
            lines.append(f"{x or 'untiered':<{width}}{cells}")
        lines.append(f"up {self.up}, down {self.down}, same {self.same}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        names = [t or "untiered" for t in self.tiers]
        return table_html(
            ["a \\ b", *names],
            (
                [x or "untiered", *(self.counts.get((x, y), 0) for y in self.tiers)]
                for x in self.tiers
            ),
            f"{self.a} -> {self.b} as of {self.as_of}",
        )


def program_impact(
    books: Iterable[Book],
    a: Program,
    b: Program,
    as_of: dt.date,
    *,
    progress: Callable[[int], None] | None = None,
) -> ImpactMatrix:
    """Evaluate every book under programs ``a`` and ``b`` and count the tier moves.

    Args:
        progress: called with the number of books done after each book, for feedback.
    """
    check_instance("a", a, Program)
    check_instance("b", b, Program)
    as_of = check_day("as_of", as_of)
    counts: Counter[tuple[str | None, str | None]] = Counter()
    moves: dict[str, tuple[str | None, str | None]] = {}
    for done, book in enumerate(books, start=1):
        check_instance(f"books[{done - 1}]", book, Book)
        if book.partner.id in moves:
            raise InvalidRecordError(
                f"books[{done - 1}].partner.id", book.partner.id, "duplicates another book's"
            )
        pair = (evaluate(book, a, as_of).tier, evaluate(book, b, as_of).tier)
        counts[pair] += 1
        moves[book.partner.id] = pair
        if progress is not None:
            progress(done)
    ladder: list[str | None] = [None]
    for program in (a, b):
        ladder += [t.id for t in program.tiers if t.id not in ladder]
    return ImpactMatrix(a.label, b.label, as_of, tuple(ladder), dict(counts), moves)
