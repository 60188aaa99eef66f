"""The people and places around a book: the vendor's team that supports the partner (the
dashboard's HubSpot team tab), the partner's link templates, and client domains."""

from __future__ import annotations

import enum
import re
import string
from collections.abc import Mapping

from attrs import field, frozen

from partner_tiers._errors import InvalidRecordError, InvalidTypeError
from partner_tiers._model.values import FrozenMap, enum_member

__all__ = [
    "LINK_FIELDS",
    "TeamMember",
    "TeamRole",
    "check_domain",
    "link_templates",
    "team_members",
]


class TeamRole(enum.StrEnum):
    """A role in the vendor's team that supports the partner (the dashboard's HubSpot
    team tab)."""

    CHANNEL_ACCOUNT_MANAGER = "channel_account_manager"
    CHANNEL_CONSULTANT = "channel_consultant"


# An address a mail client can take: one @, a dot in the domain, and none of the
# characters that would break a mailto: link or a header (spaces, quotes, brackets, commas).
_EMAIL = re.compile(r"[^@\s\"<>,;:()\[\]\\]+@[^@\s\"<>,;:()\[\]\\]+\.[^@\s\"<>,;:()\[\]\\]+")
_DOMAIN = re.compile(r"(?=.{1,253}\Z)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}")


def _text(where: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        error = InvalidRecordError if isinstance(value, str) else InvalidTypeError
        raise error(where, value, "must be a non-empty string")


def _role(value: object) -> TeamRole:
    return enum_member(TeamRole, "TeamMember.role", value)


@frozen
class TeamMember:
    """Someone in the vendor's team who supports the partner.

    Attributes:
        role: channel_account_manager or channel_consultant.
        name: the person's name.
        email: their e-mail address (the dashboard's "send e-mail" link).
        description: how they support the partner, if given.
    """

    role: TeamRole = field(converter=_role)
    name: str = field()
    email: str = field()
    description: str | None = field(default=None)

    def __attrs_post_init__(self) -> None:
        _text("TeamMember.name", self.name)
        _text("TeamMember.email", self.email)
        if not _EMAIL.fullmatch(self.email):
            raise InvalidRecordError("TeamMember.email", self.email, "must be an e-mail address")
        if self.description is not None:
            _text("TeamMember.description", self.description)


def team_members(value: object) -> tuple[TeamMember, ...]:
    """The converter of `Partner.team`: a list or tuple of `TeamMember`."""
    if not isinstance(value, (list, tuple)):
        raise InvalidTypeError("Partner.team", value, "must be a list of TeamMember")
    for index, item in enumerate(value):
        if not isinstance(item, TeamMember):
            raise InvalidTypeError(f"Partner.team[{index}]", item, "must be a TeamMember")
    return tuple(value)


LINK_FIELDS = ("id", "crm_id", "domain")
"""The client fields a link template may name: ``{id}``, ``{crm_id}``, ``{domain}``."""


def _check_template(name: str, template: object) -> None:
    # The path ends in "links" (a file's key may hold any character); the reason names
    # the template.
    where, which = "Partner.links", f"the template {name!r}"
    if not isinstance(template, str):
        raise InvalidTypeError(where, template, f"{which} must be a string")
    if not template.startswith(("https://", "http://")):
        raise InvalidRecordError(where, template, f"{which} must start with https:// or http://")
    try:
        fields = [part[1] for part in string.Formatter().parse(template)]
    except ValueError as error:
        raise InvalidRecordError(where, template, f"{which} is not valid: {error}") from None
    for field_name in fields:
        if field_name is not None and field_name not in LINK_FIELDS:
            raise InvalidRecordError(
                where,
                template,
                f"{which} names {{{field_name}}}; it may name {{id}}, {{crm_id}} or {{domain}}",
            )


def link_templates(value: object) -> Mapping[str, str]:
    """The converter of `Partner.links`: names to URL templates that name only
    `LINK_FIELDS`."""
    if not isinstance(value, Mapping):
        raise InvalidTypeError("Partner.links", value, "must be a mapping of names to templates")
    for name, template in value.items():
        if not isinstance(name, str) or not name.strip():
            error = InvalidRecordError if isinstance(name, str) else InvalidTypeError
            raise error("Partner.links", name, "names must be non-empty strings")
        _check_template(name, template)
    return FrozenMap(value)


def check_domain(where: str, value: object) -> None:
    """Refuse anything but a lower-case domain name without scheme or path."""
    if not isinstance(value, str) or not _DOMAIN.fullmatch(value):
        raise InvalidRecordError(
            where,
            value,
            "must be a domain name in lower case, without a scheme or path (e.g. fabrikam.example)",
        )
