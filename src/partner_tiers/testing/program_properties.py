"""``lint --properties``: Hypothesis-generated books run through a program, looking for
decisions the program's author cannot mean.

Three properties, each searched with `hypothesis.find` (so a counterexample comes back
shrunk to a minimal book):

- PT101, a sale lowers the tier: adding a positive deal on one day leaves a lower tier
  on a later day than without it;
- PT102, more than one drop per review under soft landing: a review demotion that goes
  down more than one tier while the policy says ``soft_landing``;
- PT103, a promotion that skips a required gate: a tier held on a day when a gate that
  guards it fails.

The search is derandomised (the same program and N give the same answer on every run)
and keeps no example database. It needs Hypothesis: the ``properties`` extra.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from attrs import evolve, frozen

from partner_tiers._engine.evaluate import evaluate
from partner_tiers._engine.status import ChangeCause, TierStatus
from partner_tiers._errors import PartnerTiersError, require
from partner_tiers._io.bookfile import dumps_book
from partner_tiers._model.book import Book
from partner_tiers._model.records import Deal, DealKind, SalesMotion
from partner_tiers._model.values import DealId, Money
from partner_tiers._rules.program import Program

__all__ = ["PROPERTY_CODES", "PropertyViolation", "check_properties"]

PROPERTY_CODES = {
    "PT101": "a sale lowers the tier",
    "PT102": "more than one drop per review under soft landing",
    "PT103": "a tier held while a gate that guards it fails",
}
"""Every property code and what it flags."""


@frozen
class PropertyViolation:
    """A property the program breaks, with a minimal book that shows it.

    Attributes:
        code: the property's code, e.g. ``PT101``.
        message: what happens in the counterexample.
        book: the counterexample book (shrunk by Hypothesis).
    """

    code: str
    message: str
    book: Book

    def lines(self) -> list[str]:
        """The code and message, then the counterexample as book JSON."""
        return [f"{self.code} {PROPERTY_CODES[self.code]}: {self.message}", dumps_book(self.book)]


def _index(program: Program, tier: str | None) -> int:
    return program.tier_index(tier)


def _safe(check: Callable[[], str | None]) -> str | None:
    """A check's finding; a book the program cannot evaluate (a currency it does not
    price) is no counterexample."""
    try:
        return check()
    except PartnerTiersError:
        return None


def _sale_lowers(program: Program, case: tuple[Book, dt.date, int, Decimal]) -> str | None:
    book, sold_on, later, amount = case
    if not book.clients:
        return None
    day = sold_on + dt.timedelta(days=later)
    client = book.clients[0]
    currency = book.deals[0].mrr_change.currency if book.deals else "USD"
    sale = Deal(
        DealId("property-sale"), client.id, "sales-hub", DealKind.NEW, SalesMotion.SOURCED, sold_on,
        Money(amount, currency),
    )  # fmt: skip
    with_sale = evolve(book, deals=(*book.deals, sale))
    before = evaluate(book, program, as_of=day).tier
    after = evaluate(with_sale, program, as_of=day).tier
    if _index(program, after) < _index(program, before):
        return (
            f"a new sale of {amount} {currency} on {sold_on} for {client.id} moves the tier "
            f"on {day} from {before or 'untiered'} to {after or 'untiered'}"
        )
    return None


def _drops_twice(program: Program, case: tuple[Book, dt.date]) -> str | None:
    book, day = case
    if not program.policy.soft_landing:
        return None
    for change in evaluate(book, program, as_of=day).history:
        if change.cause is ChangeCause.REVIEW_DEMOTION:
            drop = _index(program, change.from_tier) - _index(program, change.to_tier)
            if drop > 1:
                return (
                    f"the review demotion of {change.on} goes from "
                    f"{change.from_tier} to {change.to_tier or 'untiered'} ({drop} tiers)"
                )
    return None


def _skips_gate(program: Program, case: tuple[Book, dt.date]) -> str | None:
    book, day = case
    status: TierStatus = evaluate(book, program, as_of=day)
    held = _index(program, status.tier)
    for gate in status.gates:
        if not gate.passed and held > _index(program, gate.caps_at):
            return f"{status.tier} is held on {day} although gate {gate.name} fails: {gate.reason}"
    return None


def _search(
    strategy: Any, check: Callable[[Any], str | None], examples: int
) -> tuple[Any, str] | None:
    with require("properties"):
        from hypothesis import HealthCheck, Phase, find, settings
        from hypothesis.errors import NoSuchExample

    chosen = settings(
        database=None,
        deadline=None,
        derandomize=True,
        max_examples=examples,
        phases=(Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
    )
    try:
        found = find(strategy, lambda case: _safe(lambda: check(case)) is not None, settings=chosen)
    except NoSuchExample:
        return None
    message = check(found)
    return None if message is None else (found, message)


def check_properties(program: Program, examples: int) -> list[PropertyViolation]:
    """Run ``examples`` generated books through the program for each property; one
    violation (with a shrunk counterexample) per property broken.

    Raises:
        MissingExtraError: when Hypothesis is not installed (the ``properties`` extra).
    """
    with require("properties"):
        from hypothesis import strategies as st

        from partner_tiers.testing import strategies as pts

    currencies = _currencies(program)
    books = pts.books(max_clients=3, max_records=4, currencies=currencies)
    days = pts.dates(dt.date(2019, 1, 1), dt.date(2027, 12, 31))
    searches: Sequence[tuple[str, Any, Callable[[Any], str | None]]] = (
        (
            "PT101",
            st.tuples(books, days, st.integers(1, 400), pts.amounts(Decimal(1), Decimal(5000))),
            lambda case: _sale_lowers(program, case),
        ),
        ("PT102", st.tuples(books, days), lambda case: _drops_twice(program, case)),
        ("PT103", st.tuples(books, days), lambda case: _skips_gate(program, case)),
    )
    found = []
    for code, strategy, check in searches:
        result = _search(strategy, check, examples)
        if result is not None:
            case, message = result
            found.append(PropertyViolation(code, message, case[0]))
    return found


def _currencies(program: Program) -> tuple[str, ...]:
    """The currencies every currency table of the program prices (USD when none)."""
    tables = [set(table.per_100_usd) for table in program.currencies]
    common = set.intersection(*tables) if tables else {"USD"}
    return tuple(sorted(common)) or ("USD",)
