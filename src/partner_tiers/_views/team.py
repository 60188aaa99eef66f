"""The HubSpot team tab: who at the vendor supports the partner, with a ``mailto:`` link
to each (the dashboard's "send e-mail")."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from attrs import frozen

from partner_tiers._model.book import Book
from partner_tiers._model.records import TeamMember, TeamRole
from partner_tiers._model.values import check_instance
from partner_tiers._views.tables import Table

__all__ = ["Team", "TeamContact", "mailto", "team", "team_html"]

ROLE_NAMES = {
    TeamRole.CHANNEL_ACCOUNT_MANAGER: "Channel Account Manager",
    TeamRole.CHANNEL_CONSULTANT: "Channel Consultant",
}


def mailto(email: str) -> str:
    """The ``mailto:`` URL of an address, percent-encoded (not yet HTML-escaped)."""
    return "mailto:" + quote(email, safe="@.+-_~")


@frozen
class TeamContact:
    """One member of the team that supports the partner.

    Attributes:
        role: channel_account_manager or channel_consultant.
        title: the role as the dashboard names it, e.g. ``Channel Account Manager``.
        name: the person's name.
        email: their e-mail address.
        mailto: the ``mailto:`` link that writes to them.
        description: how they support the partner, or None.
    """

    role: str
    title: str
    name: str
    email: str
    mailto: str
    description: str | None


@frozen
class Team(Table):
    """The partner's HubSpot team, in book order.

    Attributes:
        partner: the partner's id.
        rows: the team members.
    """

    partner: str
    rows: tuple[TeamContact, ...]

    def _repr_html_(self) -> str:
        return team_html(self)


def _contact(member: TeamMember) -> TeamContact:
    return TeamContact(
        member.role.value,
        ROLE_NAMES[member.role],
        member.name,
        member.email,
        mailto(member.email),
        member.description,
    )


def team(book: Book) -> Team:
    """The team tab: the partner's channel account manager and channel consultant, with
    their e-mail addresses and ``mailto:`` links (`Partner.team`)."""
    check_instance("book", book, Book)
    return Team(book.partner.id, tuple(_contact(member) for member in book.partner.team))


def team_html(view: Team) -> str:
    """The team as an HTML table with a "send e-mail" link per member; every string from
    the book is escaped, the link's address percent-encoded too."""
    rows = "".join(
        "<tr>"
        f"<td>{escape(c.title)}</td><td>{escape(c.name)}</td>"
        f"<td><a class='mailto' href='{escape(c.mailto, quote=True)}'>{escape(c.email)}</a></td>"
        f"<td>{escape(c.description or '')}</td>"
        "</tr>"
        for c in view.rows
    )
    body = rows or "<tr><td colspan='4'>No team in the book.</td></tr>"
    return (
        "<table class='team'><caption>HubSpot team</caption><thead><tr><th>role</th>"
        "<th>name</th><th>e-mail</th><th>how they help</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )
