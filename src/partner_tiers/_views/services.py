"""Ending services for a client: the book in which the partner's managed service of the
client ends on a day, what that does to points and tier, and the book without the client.
"""

from __future__ import annotations

import datetime as dt
import warnings
from decimal import Decimal
from typing import Any, overload

import attrs
from attrs import evolve, frozen

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._engine.evaluate import evaluate
from partner_tiers._engine.status import TierStatus
from partner_tiers._errors import InvalidTypeError
from partner_tiers._html import table_html
from partner_tiers._model.book import Book
from partner_tiers._model.values import check_day, check_instance
from partner_tiers._rules.program import Program

__all__ = ["EndServices", "end_services", "end_services_effect", "without_client"]


@frozen
class EndServices:
    """What ending services for a client does: the book where its managed service ends,
    and the statuses with and without that service.

    Attributes:
        client: the client's id.
        book: the book where the client's managed service ends on ``on``.
        before: the status with the service.
        after: the status with the service ended.
        on: the day the service ends (None in views made before it was recorded).
    """

    client: str
    book: Book = attrs.field(repr=False)
    before: TierStatus = attrs.field(repr=False)
    after: TierStatus = attrs.field(repr=False)
    on: dt.date | None = None

    def changes(self) -> dict[str, Decimal]:
        """Per points track: after minus before."""
        return {k: self.after.points[k] - self.before.points[k] for k in self.before.points}

    def _repr_html_(self) -> str:
        changes = self.changes()
        ends = "" if self.on is None else f" from {self.on}"
        return table_html(
            ["", "before", "after", "change"],
            [["tier", self.before.tier, self.after.tier, ""]]
            + [
                [name, self.before.points[name], self.after.points[name], changes[name]]
                for name in self.before.points
            ],
            f"End services for {self.client}{ends}",
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "client": self.client,
            "on": None if self.on is None else self.on.isoformat(),
            "tier_before": self.before.tier,
            "tier_after": self.after.tier,
            "points_before": {k: str(v) for k, v in self.before.points.items()},
            "points_after": {k: str(v) for k, v in self.after.points.items()},
            "changes": {k: str(v) for k, v in self.changes().items()},
        }


def without_client(book: Book, client_id: str) -> Book:
    """The book with the client and every record about it removed: its subscriptions,
    its managed service and its deals, with the sold points they earned.

    This rewrites history (the client was never in the book); to stop servicing a
    client from a day on, keeping what it earned before, use `end_services`.
    """
    check_instance("book", book, Book)
    book.client(client_id)  # raises when unknown
    return evolve(
        book,
        clients=tuple(c for c in book.clients if c.id != client_id),
        subscriptions=tuple(s for s in book.subscriptions if s.client != client_id),
        deals=tuple(d for d in book.deals if d.client != client_id),
        managed_services=tuple(m for m in book.managed_services if m.client != client_id),
    )


def _ended_services(book: Book, client_id: str, on: dt.date) -> Book:
    check_instance("book", book, Book)
    book.client(client_id)  # raises when unknown
    services = []
    for service in book.managed_services:
        if service.client != client_id or (service.until is not None and service.until <= on):
            services.append(service)  # another client's, or over before the day
        elif service.since < on:
            services.append(evolve(service, until=on))
        # A period that would begin on or after the day never happens.
    return evolve(book, managed_services=tuple(services))


@overload
def end_services(book: Book, client: str, *, on: dt.date) -> Book: ...


@overload
def end_services(book: Book, client: Program, client_id: str, *, as_of: dt.date) -> EndServices: ...


def end_services(
    book: Book,
    client: str | Program,
    client_id: str | None = None,
    *,
    on: dt.date | None = None,
    as_of: dt.date | None = None,
) -> Book | EndServices:
    """The book where the partner's managed service of ``client`` ends on ``on``.

    Every managed period of the client that goes on past ``on`` ends there (exclusive:
    no managed points from ``on``), and periods that would begin on or after it are
    dropped. Deals, subscriptions and the sold points they earned stay, so the status on
    every day before ``on`` is unchanged. A client without managed service from ``on``
    on is left as it is. To remove a client and its history, use `without_client`.

    The old form ``end_services(book, program, client_id, as_of=...)``, which compared
    statuses, is deprecated: it warns and returns `end_services_effect` with the service
    ended on ``as_of``.

    Raises:
        UnknownIdError: when the book has no such client.
        InvalidRecordError: for ``on`` not a date.
    """
    if isinstance(client, Program):
        warnings.warn(
            "end_services(book, program, client_id, as_of=...) is deprecated: use "
            "end_services_effect(book, program, client_id, as_of=...) for the statuses, "
            "or end_services(book, client_id, on=...) for the book",
            DeprecationWarning,
            stacklevel=2,
        )
        if not isinstance(client_id, str):
            raise InvalidTypeError("client_id", client_id, "must be a client id (a str)")
        return end_services_effect(book, client, client_id, as_of=check_day("as_of", as_of))
    if client_id is not None or as_of is not None:
        raise InvalidTypeError(
            "end_services",
            client_id if client_id is not None else as_of,
            "takes (book, client, *, on=date); for statuses use end_services_effect",
        )
    return _ended_services(book, client, check_day("on", on))


def end_services_effect(
    book: Book,
    program: Program,
    client_id: str,
    *,
    as_of: dt.date,
    on: dt.date | None = None,
) -> EndServices:
    """What ending the managed service of a client on ``on`` (default: ``as_of``) does to
    the points and tier on ``as_of``: the statuses with and without the service.

    Raises:
        UnknownIdError: when the book has no such client.
    """
    check_arguments(book, program)
    as_of = check_day("as_of", as_of)
    on = as_of if on is None else check_day("on", on)
    after_book = _ended_services(book, client_id, on)
    return EndServices(
        client_id,
        after_book,
        evaluate(book, program, as_of=as_of),
        evaluate(after_book, program, as_of=as_of),
        on,
    )
