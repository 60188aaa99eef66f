"""What the book shows about a client against what was typed into it: the relationship
(sold, managed, both) and the platform engagement index.

The views show the values the book supports and, where a typed value disagrees, keep it
beside them with a note; they never fail and never print.
"""

from __future__ import annotations

import datetime as dt

from attrs import frozen

from partner_tiers._model.book import Book
from partner_tiers._model.records import Client, Relationship

__all__ = ["ClientFacts", "client_facts", "derived_relationship", "engagement_from_tools"]

MAX_ENGAGEMENT_INDEX = 10


def derived_relationship(
    book: Book, client_id: str, as_of: dt.date | None = None
) -> Relationship | None:
    """The relationship the book shows: sold when the client has a deal that added MRR,
    managed when it has a managed service, both when it has both, None when neither.

    With ``as_of``, only deals closed and managed services begun on or before that day
    count; without it, the whole book does.
    """
    sold = any(
        deal.mrr_change.amount > 0 and (as_of is None or deal.closed_on <= as_of)
        for deal in book.deals_of(client_id)
    )
    managed = any(
        service.client == client_id and (as_of is None or service.since <= as_of)
        for service in book.managed_services
    )
    if sold and managed:
        return Relationship.SOLD_AND_MANAGED
    if sold:
        return Relationship.SOLD
    if managed:
        return Relationship.MANAGED
    return None


def engagement_from_tools(tool_usage: int) -> int:
    """The platform engagement index of a client that uses ``tool_usage`` distinct tools.

    The rulebook gives the index as a 0-10 score "from the number of tools used", with
    the bands low 0-3, medium 4-6 and high 7-10, and no other formula: one point per
    distinct tool, capped at 10 (a client using 12 tools scores 10).
    """
    return min(MAX_ENGAGEMENT_INDEX, tool_usage)


_SHOWS = {
    Relationship.SOLD: "a sale and no managed service",
    Relationship.MANAGED: "a managed service and no sale",
    Relationship.SOLD_AND_MANAGED: "a sale and a managed service",
}


@frozen
class ClientFacts:
    """A client's relationship and engagement index as the views show them.

    Attributes:
        relationship: the relationship the book shows (sold, managed, sold_and_managed);
            the typed one when the book shows neither a sale nor a managed service.
        typed_relationship: the relationship typed in the book.
        relationship_note: why the typed relationship is not what the book shows, or None
            when they agree.
        engagement_index: the index the views use: derived from the tools used
            (`engagement_from_tools`) when the book lists any, else the typed one.
        typed_engagement_index: the index typed in the book.
        engagement_source: ``tools used`` or ``typed``: where engagement_index comes from.
        engagement_note: why the typed index is not the one used, or None when they agree.
    """

    relationship: str
    typed_relationship: str
    relationship_note: str | None
    engagement_index: int
    typed_engagement_index: int
    engagement_source: str
    engagement_note: str | None

    def warnings(self, client_id: str) -> tuple[str, ...]:
        """The notes, each naming the client."""
        notes = (self.relationship_note, self.engagement_note)
        return tuple(f"{client_id}: {note}" for note in notes if note is not None)


def client_facts(book: Book, client: Client, as_of: dt.date | None = None) -> ClientFacts:
    """The relationship and engagement index of one client of the book, with notes where
    the typed values disagree with what the book shows."""
    typed = client.relationship
    derived = derived_relationship(book, client.id, as_of)
    if derived is None:
        note: str | None = (
            f"relationship typed as {typed}, but the book shows neither a sale nor a "
            "managed service"
        )
    elif derived is not typed:
        note = f"relationship typed as {typed}, but the book shows {_SHOWS[derived]}: {derived}"
    else:
        note = None
    if client.tools_used:
        index, source = engagement_from_tools(client.tool_usage), "tools used"
    else:
        index, source = client.engagement_index, "typed"
    engagement_note = None
    if index != client.engagement_index:
        engagement_note = (
            f"engagement index typed as {client.engagement_index}, but "
            f"{client.tool_usage} tools are used: the views use {index}"
        )
    return ClientFacts(
        str(derived if derived is not None else typed),
        str(typed),
        note,
        index,
        client.engagement_index,
        source,
        engagement_note,
    )
