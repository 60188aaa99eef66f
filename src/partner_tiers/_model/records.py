"""The frozen records of a partner's book: partner, clients, subscriptions, deals,
certifications and managed services.

Each record checks itself when it is made and names the field and the value it refuses.
Collections inside records are tuples, so a frozen record is frozen all the way down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from attrs import Attribute, field, frozen

from partner_tiers._errors import InvalidRecordError, InvalidTypeError
from partner_tiers._model.contacts import (
    TeamMember,
    TeamRole,
    check_domain,
    link_templates,
    team_members,
)
from partner_tiers._model.kinds import (
    DEAL_TYPES_RENAMED_ON,
    DealKind,
    Relationship,
    RenewalOwner,
    SalesMotion,
)
from partner_tiers._model.mrr import MrrEntry, check_mrr_history
from partner_tiers._model.values import (
    CertificationId,
    ClientId,
    DealId,
    Money,
    PartnerId,
    SubscriptionId,
    check_country,
    check_date,
    enum_member,
)

__all__ = [
    "DEAL_TYPES_RENAMED_ON",
    "Certification",
    "Client",
    "Deal",
    "DealKind",
    "ManagedService",
    "Partner",
    "Relationship",
    "RenewalOwner",
    "RenewalProposal",
    "SalesMotion",
    "Subscription",
    "TeamMember",
    "TeamRole",
]


def _name(cls: type) -> str:
    return cls.__name__


def _is_int(value: object) -> bool:
    """True for an int that is not a bool: a count of the right type."""
    return isinstance(value, int) and not isinstance(value, bool)


def _date(instance: object, attribute: Attribute[Any], value: object) -> None:
    check_date(_name(type(instance)), attribute.name, value)


def _optional_date(instance: object, attribute: Attribute[Any], value: object) -> None:
    if value is not None:
        _date(instance, attribute, value)


def _country(instance: object, attribute: Attribute[Any], value: object) -> None:
    check_country(_name(type(instance)), attribute.name, value)


def _text(instance: object, attribute: Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        error = InvalidRecordError if isinstance(value, str) else InvalidTypeError
        raise error(
            f"{_name(type(instance))}.{attribute.name}", value, "must be a non-empty string"
        )


def _optional_text(instance: object, attribute: Attribute[Any], value: object) -> None:
    if value is not None:
        _text(instance, attribute, value)


def _money(instance: object, attribute: Attribute[Any], value: object) -> None:
    if not isinstance(value, Money):
        raise InvalidTypeError(f"{_name(type(instance))}.{attribute.name}", value, "must be Money")


def _count(instance: object, attribute: Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        error = InvalidRecordError if _is_int(value) else InvalidTypeError
        raise error(f"{_name(type(instance))}.{attribute.name}", value, "must be an int >= 0")


def _optional_count(instance: object, attribute: Attribute[Any], value: object) -> None:
    if value is not None:
        _count(instance, attribute, value)


def _optional_domain(instance: object, attribute: Attribute[Any], value: object) -> None:
    if value is not None:
        _text(instance, attribute, value)
        check_domain(f"{_name(type(instance))}.{attribute.name}", value)


def _relationship(value: object) -> Relationship:
    return enum_member(Relationship, "Client.relationship", value)


def _renewal_owner(value: object) -> RenewalOwner | None:
    return None if value is None else enum_member(RenewalOwner, "Subscription.renewal_owner", value)


def _deal_kind(value: object) -> DealKind:
    return enum_member(DealKind, "Deal.kind", value)


def _motion(value: object) -> SalesMotion:
    return enum_member(SalesMotion, "Deal.motion", value)


def _tuple_of_text(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
        raise InvalidTypeError("Client.tools_used", value, "must be a list of strings")
    items = tuple(value)
    for item in items:
        if not isinstance(item, str) or not item:
            error = InvalidRecordError if isinstance(item, str) else InvalidTypeError
            raise error("Client.tools_used", item, "must be a non-empty string")
    return items


def _tuple_of_entries(value: object) -> tuple[MrrEntry, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise InvalidTypeError("Subscription.mrr_history", value, "must be a list of MrrEntry")
    return tuple(value)


@frozen
class Partner:
    """The partner agency whose book this is.

    Attributes:
        id: the partner's id.
        name: the agency's name.
        country: ISO 3166-1 alpha-2 code of the partner's country.
        joined_on: the day the partner joined the program; tier history is replayed from
            here.
        team: the vendor's team that supports the partner: its channel account manager
            and channel consultant (the dashboard's HubSpot team tab).
        links: link templates by name, filled in per client, e.g. ``{"crm":
            "https://crm.example.com/companies/{crm_id}"}`` ("open in CRM", "go to
            account"); a template may name ``{id}``, ``{crm_id}`` and ``{domain}``.
    """

    id: PartnerId = field(validator=_text)
    name: str = field(validator=_text)
    country: str = field(validator=_country)
    joined_on: dt.date = field(validator=_date)
    team: tuple[TeamMember, ...] = field(default=(), converter=team_members)
    links: Mapping[str, str] = field(factory=dict, converter=link_templates)


@frozen
class Client:
    """A client (customer) of the partner.

    Attributes:
        id: the client's id, unique in the book.
        name: the client's name.
        country: ISO 3166-1 alpha-2 code; decides the growth-market multiplier.
        relationship: sold, managed, or sold_and_managed.
        tools_used: the products and tools the client uses (the "portal usage" tab);
            their number is the client's tool usage.
        engagement_index: the platform engagement index, 0 to 10.
        domain: the company's web domain, e.g. ``fabrikam.example``, if known.
        industry: its industry, if known.
        size: its size as the CRM records it, e.g. ``51-200 employees``, if known.
        crm_id: its record's id in the partner's CRM, if known; link templates
            (`Partner.links`) may use it.
    """

    id: ClientId = field(validator=_text)
    name: str = field(validator=_text)
    country: str = field(validator=_country)
    relationship: Relationship = field(converter=_relationship)
    tools_used: tuple[str, ...] = field(default=(), converter=_tuple_of_text)
    engagement_index: int = field(default=0)
    domain: str | None = field(default=None, validator=_optional_domain)
    industry: str | None = field(default=None, validator=_optional_text)
    size: str | None = field(default=None, validator=_optional_text)
    crm_id: str | None = field(default=None, validator=_optional_text)

    @engagement_index.validator
    def _check_engagement(self, _attribute: Attribute[int], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            error = InvalidRecordError if _is_int(value) else InvalidTypeError
            raise error("Client.engagement_index", value, "must be an int from 0 to 10")

    @property
    def tool_usage(self) -> int:
        """The number of distinct tools the client uses."""
        return len(set(self.tools_used))


@frozen
class RenewalProposal:
    """The subscription proposed at the next renewal (the dashboard's "renewal
    subscription").

    Attributes:
        edition: the proposed edition.
        mrr: the proposed monthly recurring revenue.
    """

    edition: str = field(validator=_text)
    mrr: Money = field(validator=_money)


@frozen
class Subscription:
    """One subscription of a client to a product line.

    Attributes:
        id: the subscription's id, unique in the book.
        client: the id of the client it belongs to.
        product_line: the product line, e.g. ``marketing-hub``.
        edition: the edition, e.g. ``professional``.
        mrr: current monthly recurring revenue (>= 0).
        started_on: first day of the subscription.
        renews_on: next renewal date (on or after started_on).
        contact_tier: the contact tier bought, if known.
        email_tier: the email tier bought, if known.
        renewal_owner: who owns the renewal communication.
        renewal_manager: the vendor's renewal manager.
        renewal: the proposed renewal subscription, if any.
        ended_on: the day the subscription ended (exclusive), if it has; managed credit
            for it stops there.
        mrr_history: the MRR over time, rows sorted by day from started_on on, the last
            at the current MRR; empty when the book derives it from the client's deals on
            the product line (`Book.mrr_history`).
    """

    id: SubscriptionId = field(validator=_text)
    client: ClientId = field(validator=_text)
    product_line: str = field(validator=_text)
    edition: str = field(validator=_text)
    mrr: Money = field(validator=_money)
    started_on: dt.date = field(validator=_date)
    renews_on: dt.date = field(validator=_date)
    contact_tier: int | None = field(default=None, validator=_optional_count)
    email_tier: int | None = field(default=None, validator=_optional_count)
    renewal_owner: RenewalOwner | None = field(default=None, converter=_renewal_owner)
    renewal_manager: str | None = field(default=None, validator=_optional_text)
    renewal: RenewalProposal | None = field(default=None)
    ended_on: dt.date | None = field(default=None, validator=_optional_date)
    mrr_history: tuple[MrrEntry, ...] = field(default=(), converter=_tuple_of_entries)

    def __attrs_post_init__(self) -> None:
        if self.mrr.amount < 0:
            raise InvalidRecordError("Subscription.mrr", self.mrr, "must not be negative")
        check_mrr_history(self.mrr_history, self.mrr, self.started_on, "Subscription.mrr_history")
        if self.renews_on < self.started_on:
            raise InvalidRecordError(
                "Subscription.renews_on", self.renews_on, f"is before started_on {self.started_on}"
            )
        if self.ended_on is not None and self.ended_on < self.started_on:
            raise InvalidRecordError(
                "Subscription.ended_on", self.ended_on, f"is before started_on {self.started_on}"
            )
        if self.renewal is not None and not isinstance(self.renewal, RenewalProposal):
            raise InvalidRecordError(
                "Subscription.renewal", self.renewal, "must be a RenewalProposal"
            )

    def active_on(self, day: dt.date) -> bool:
        """True from started_on up to (not including) ended_on."""
        return self.started_on <= day and (self.ended_on is None or day < self.ended_on)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


@frozen
class Deal:
    """A change to a client's MRR that earns or removes sold points.

    Attributes:
        id: the deal's id, unique in the book.
        client: the id of the client.
        product_line: the product line the deal is about; with the client it decides
            grandfathering (the rate of the line's first sale).
        kind: new, cross_sell, upsell, downgrade, churn or adjustment.
        motion: sourced, assisted or none.
        closed_on: the day the deal closed; sold points are earned on this day.
        mrr_change: the change of MRR: positive for new, cross_sell and upsell, negative
            for downgrade and churn, either sign (not zero) for an adjustment.
        recorded_on: the day the deal was recorded in the book, if not the day it closed
            (a late deal); a known-at evaluation (`Book.known_at`) sees it from then.
    """

    id: DealId = field(validator=_text)
    client: ClientId = field(validator=_text)
    product_line: str = field(validator=_text)
    kind: DealKind = field(converter=_deal_kind)
    motion: SalesMotion = field(converter=_motion)
    closed_on: dt.date = field(validator=_date)
    mrr_change: Money = field(validator=_money)
    recorded_on: dt.date | None = field(default=None, validator=_optional_date)

    @property
    def known_from(self) -> dt.date:
        """The first day the book knew the deal: recorded_on, else closed_on."""
        return self.closed_on if self.recorded_on is None else self.recorded_on

    def __attrs_post_init__(self) -> None:
        amount = self.mrr_change.amount
        if self.kind.earns and amount <= 0:
            raise InvalidRecordError(
                "Deal.mrr_change",
                self.mrr_change,
                f"must be positive for {_article(self.kind)} {self.kind} deal",
            )
        if self.kind.reduces and amount >= 0:
            raise InvalidRecordError(
                "Deal.mrr_change",
                self.mrr_change,
                f"must be negative for {_article(self.kind)} {self.kind} deal",
            )
        if self.kind is DealKind.ADJUSTMENT and amount == 0:
            raise InvalidRecordError(
                "Deal.mrr_change", self.mrr_change, "must not be zero for an adjustment"
            )


@frozen
class Certification:
    """A partner certification, valid from valid_from to valid_until, both inclusive.

    Attributes:
        id: the certification's id, unique in the book.
        name: its name.
        valid_from: first day it is valid.
        valid_until: last day it is valid.
        recorded_on: the day it was recorded in the book, if not valid_from.
    """

    id: CertificationId = field(validator=_text)
    name: str = field(validator=_text)
    valid_from: dt.date = field(validator=_date)
    valid_until: dt.date = field(validator=_date)
    recorded_on: dt.date | None = field(default=None, validator=_optional_date)

    @property
    def known_from(self) -> dt.date:
        """The first day the book knew the certification: recorded_on, else valid_from."""
        return self.valid_from if self.recorded_on is None else self.recorded_on

    def __attrs_post_init__(self) -> None:
        if self.valid_until < self.valid_from:
            raise InvalidRecordError(
                "Certification.valid_until",
                self.valid_until,
                f"is before valid_from {self.valid_from}",
            )

    def valid_on(self, day: dt.date) -> bool:
        """True when the certification is valid on the day."""
        return self.valid_from <= day <= self.valid_until


@frozen
class ManagedService:
    """A period in which the partner services (manages) a client.

    Attributes:
        client: the id of the client.
        since: first day of service (``from`` in book files).
        until: the day service ended (exclusive), or None while it goes on.
        partners: how many partners service the client; managed credit is split evenly.
        recorded_on: the day the service was recorded in the book, if not since. Its
            ``until`` is known from the later of recorded_on and until: an end is known
            once it has happened (or once recorded, when recorded after it).
    """

    client: ClientId = field(validator=_text)
    since: dt.date = field(validator=_date)
    until: dt.date | None = field(default=None, validator=_optional_date)
    partners: int = field(default=1)
    recorded_on: dt.date | None = field(default=None, validator=_optional_date)

    @property
    def known_from(self) -> dt.date:
        """The first day the book knew the service: recorded_on, else since."""
        return self.since if self.recorded_on is None else self.recorded_on

    @partners.validator
    def _check_partners(self, _attribute: Attribute[int], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            error = InvalidRecordError if _is_int(value) else InvalidTypeError
            raise error("ManagedService.partners", value, "must be an int >= 1")

    def __attrs_post_init__(self) -> None:
        if self.until is not None and self.until <= self.since:
            raise InvalidRecordError(
                "ManagedService.until", self.until, f"must be after since {self.since}"
            )

    def active_on(self, day: dt.date) -> bool:
        """True from since up to (not including) until."""
        return self.since <= day and (self.until is None or day < self.until)
