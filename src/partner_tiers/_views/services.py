"""Ending services for a client: the book without it, and what that does to points and
tier.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
from attrs import evolve, frozen

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._engine.evaluate import evaluate
from partner_tiers._engine.status import TierStatus
from partner_tiers._html import table_html
from partner_tiers._model.book import Book
from partner_tiers._model.values import check_day, check_instance
from partner_tiers._rules.program import Program

__all__ = ["EndServices", "end_services", "without_client"]


@frozen
class EndServices:
    """What ending services for a client does: the book without it, and both statuses.

    Attributes:
        client: the client's id.
        book: the book without the client and its records.
        before: the status with the client.
        after: the status without it.
    """

    client: str
    book: Book = attrs.field(repr=False)
    before: TierStatus = attrs.field(repr=False)
    after: TierStatus = attrs.field(repr=False)

    def changes(self) -> dict[str, Decimal]:
        """Per points track: after minus before."""
        return {k: self.after.points[k] - self.before.points[k] for k in self.before.points}

    def _repr_html_(self) -> str:
        changes = self.changes()
        return table_html(
            ["", "before", "after", "change"],
            [["tier", self.before.tier, self.after.tier, ""]]
            + [
                [name, self.before.points[name], self.after.points[name], changes[name]]
                for name in self.before.points
            ],
            f"End services for {self.client}",
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "client": self.client,
            "tier_before": self.before.tier,
            "tier_after": self.after.tier,
            "points_before": {k: str(v) for k, v in self.before.points.items()},
            "points_after": {k: str(v) for k, v in self.after.points.items()},
            "changes": {k: str(v) for k, v in self.changes().items()},
        }


def without_client(book: Book, client_id: str) -> Book:
    """The book with the client and every record about it removed."""
    check_instance("book", book, Book)
    book.client(client_id)  # raises when unknown
    return evolve(
        book,
        clients=tuple(c for c in book.clients if c.id != client_id),
        subscriptions=tuple(s for s in book.subscriptions if s.client != client_id),
        deals=tuple(d for d in book.deals if d.client != client_id),
        managed_services=tuple(m for m in book.managed_services if m.client != client_id),
    )


def end_services(book: Book, program: Program, client_id: str, *, as_of: dt.date) -> EndServices:
    """The book without a client, and what that does to points and tier."""
    check_arguments(book, program)
    as_of = check_day("as_of", as_of)
    after_book = without_client(book, client_id)
    return EndServices(
        client_id, after_book, evaluate(book, program, as_of), evaluate(after_book, program, as_of)
    )
