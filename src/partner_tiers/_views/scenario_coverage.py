"""Scenario coverage: which items of a program a set of scenario runs exercised.

The items: each tier reached, each tier retained at a review, each gate passed and each
gate failed, each rate row, currency table and growth-market list that priced a batch.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence

from attrs import frozen

from partner_tiers._engine.evaluate import evaluate
from partner_tiers._engine.pricing import build_ledger
from partner_tiers._engine.status import TierStatus
from partner_tiers._ledger.ledger import Market
from partner_tiers._model.book import Book
from partner_tiers._rules.program import Program
from partner_tiers._views.scenario_tests import ScenarioResult

__all__ = ["Coverage", "CoverageItem", "scenario_coverage"]

ONE_DAY = dt.timedelta(days=1)


@frozen
class CoverageItem:
    """One item of a program and whether a scenario exercised it.

    Attributes:
        kind: ``tier reached``, ``tier retained at a review``, ``gate passed``, ``gate
            failed``, ``rate row``, ``currency table`` or ``growth markets``.
        item: the tier or gate id, or the row's ``from <date>``.
        covered: whether a scenario exercised it.
    """

    kind: str
    item: str
    covered: bool


@frozen
class Coverage:
    """The coverage of a program by scenario runs.

    Attributes:
        program: the program's ``name@version``.
        items: every item, in program order.
    """

    program: str
    items: tuple[CoverageItem, ...]

    @property
    def uncovered(self) -> tuple[CoverageItem, ...]:
        """The items no scenario exercised."""
        return tuple(item for item in self.items if not item.covered)

    @property
    def percent(self) -> int:
        """The share of items exercised, in whole percent (rounded down)."""
        return 100 * (len(self.items) - len(self.uncovered)) // max(len(self.items), 1)

    def lines(self) -> list[str]:
        """The report: one line per item, then the summary."""
        lines = [f"Coverage of {self.program}"]
        lines += [
            f"  {'yes' if item.covered else 'NO '}  {item.kind}: {item.item}" for item in self.items
        ]
        covered = len(self.items) - len(self.uncovered)
        lines.append(f"{covered} of {len(self.items)} items exercised ({self.percent}%)")
        if self.uncovered:
            shown = ", ".join(f"{item.kind} {item.item}" for item in self.uncovered)
            lines.append(f"not exercised: {shown}")
        return lines


def _since(day: dt.date | None) -> str:
    return f"from {day}" if day is not None else "from the beginning"


def _review_statuses(result: ScenarioResult, program: Program) -> Iterable[TierStatus]:
    """The status on each review day up to the scenario's last date."""
    book = result.scenario.book
    last = max(expectation.as_of for expectation in result.scenario.expectations)
    for day in program.policy.reviews(book.partner.joined_on - ONE_DAY, last):
        yield evaluate(book, program, as_of=day)


def _retained(status: TierStatus) -> str | None:
    """The tier the review on the status's date kept, if it kept one."""
    review = f"review of {status.as_of}"
    demoted = any(change.on == status.as_of for change in status.history)
    pending = status.pending_demotion is not None and review in status.pending_demotion.reason
    return None if demoted or pending else status.tier


_GRANDFATHERED_ROW = re.compile(r"rows from (\d{4}-\d{2}-\d{2})")


def _decided(statuses: Iterable[TierStatus]) -> Iterator[tuple[str, str]]:
    """The tiers reached and the gate outcomes of the statuses."""
    for status in statuses:
        yield from (("tier reached", c.to_tier) for c in status.history if c.to_tier)
        if status.tier is not None:
            yield "tier reached", status.tier
        for gate in status.gates:
            yield ("gate passed" if gate.passed else "gate failed"), gate.name


def _priced(book: Book, program: Program) -> Iterator[tuple[str, str]]:
    """The rate rows, currency tables and growth lists that priced the book's batches."""
    for batch in build_ledger(book, program).batches:
        row = program.rate_row(batch.earned_on)
        if row is not None:
            yield "rate row", _since(row.effective_from)
        for day in _GRANDFATHERED_ROW.findall(batch.rule):  # an upsell at an earlier rate
            yield "rate row", f"from {day}"
        table = program.currency_table(batch.earned_on)
        if table is not None:
            yield "currency table", _since(table.effective_from)
        growth = program.growth_list(batch.earned_on)
        if growth is not None and batch.market is Market.GROWTH:
            yield "growth markets", _since(growth.effective_from)


def _exercised(results: Sequence[ScenarioResult], program: Program) -> set[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    for result in results:
        reviews = list(_review_statuses(result, program))
        seen.update(_decided([*result.statuses, *reviews]))
        seen.update(("tier retained at a review", t) for s in reviews if (t := _retained(s)))
        seen.update(_priced(result.scenario.book, program))
    return seen


def scenario_coverage(results: Sequence[ScenarioResult], program: Program) -> Coverage:
    """Which items of the program the scenario runs exercised (passed or not).

    Args:
        results: scenario runs against the program (see `run_scenario`).
        program: the program they ran against.
    """
    seen = _exercised(results, program)
    wanted = [("tier reached", tier.id) for tier in program.tiers]
    wanted += [("tier retained at a review", tier.id) for tier in program.tiers]
    wanted += [(kind, gate.id) for gate in program.gates for kind in ("gate passed", "gate failed")]
    wanted += [("rate row", _since(row.effective_from)) for row in program.rates]
    wanted += [("currency table", _since(table.effective_from)) for table in program.currencies]
    wanted += [("growth markets", _since(row.effective_from)) for row in program.growth_markets]
    items = tuple(CoverageItem(kind, item, (kind, item) in seen) for kind, item in wanted)
    return Coverage(program.label, items)
