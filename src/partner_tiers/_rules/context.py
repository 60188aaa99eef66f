"""What a track or gate rule sees -- the book, its ledger, the program and the date -- and
the protocol by which a rule says on which days its answer can change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from attrs import field, frozen

from partner_tiers._ledger.ledger import LedgerTotals, PointsLedger
from partner_tiers._model.book import Book
from partner_tiers._rules.ladder import Tier

__all__ = ["ChangeDays", "Context", "ProgramView"]

ChangeDays = Callable[[Book, PointsLedger, Mapping[str, Any], dt.date, dt.date], Iterable[dt.date]]
"""When a rule's answer can change: given the book, its ledger, the rule's params, a
start and an end, every day in (start, end] on which the rule may answer differently
than on the day before (a gate: pass or fail; a track: its value). Days outside the
range are ignored, duplicates are harmless.

The engine evaluates a rule only on such days (and on the days the ledger's batches
start and stop counting, which it adds itself). A rule registered without one may change
on any day: the engine then evaluates it on every day, which is correct but slow.
"""


class ProgramView(Protocol):
    """What a rule may read of the program being applied (a `partner_tiers.Program`
    is one)."""

    @property
    def name(self) -> str:
        """The program's name, e.g. ``hubspot-2025``."""

    @property
    def version(self) -> str:
        """Its version, e.g. the date it took effect."""

    @property
    def label(self) -> str:
        """``name@version``."""

    @property
    def tiers(self) -> Sequence[Tier]:
        """The ladder, lowest tier first."""

    def tier(self, tier_id: str) -> Tier:
        """The tier with this id."""

    def tier_index(self, tier_id: str | None) -> int:
        """The tier's position in the ladder; -1 for untiered (None)."""


@frozen
class Context:
    """The inputs of one evaluation, handed to every track and gate rule.

    Attributes:
        book: the partner's book.
        ledger: the book's points ledger under the program.
        program: the program being applied (what a rule may read of it).
        as_of: the date of the evaluation.
        totals: the ledger's totals on that date.
    """

    book: Book
    ledger: PointsLedger
    program: ProgramView
    as_of: dt.date
    totals: LedgerTotals = field(eq=False)
