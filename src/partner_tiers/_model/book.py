"""The book: one partner's whole set of records, checked to fit together."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from attrs import evolve, field, frozen

from partner_tiers._errors import (
    BookIntegrityError,
    InvalidRecordError,
    InvalidTypeError,
    Problem,
    UnknownIdError,
)
from partner_tiers._model.known import (
    known_certifications,
    known_deals,
    known_services,
    known_subscriptions,
)
from partner_tiers._model.mrr import MrrEntry, mrr_in_force
from partner_tiers._model.records import (
    Certification,
    Client,
    Deal,
    ManagedService,
    Partner,
    Subscription,
)
from partner_tiers._model.values import (
    CertificationId,
    ClientId,
    DealId,
    FrozenMap,
    Money,
    SubscriptionId,
    check_day,
)

__all__ = ["Book"]

_R = TypeVar("_R")


def _tuple_of(kind: type[_R], name: str, value: object) -> tuple[_R, ...]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidTypeError(f"Book.{name}", value, f"must be a sequence of {kind.__name__}")
    items = tuple(value)
    for index, item in enumerate(items):
        if not isinstance(item, kind):
            raise InvalidTypeError(f"{name}[{index}]", item, f"must be a {kind.__name__}")
    return items


def _facts(value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError("Book.facts", value, "must be a mapping of names to values")
    for key, item in value.items():
        if not isinstance(key, str) or not key:
            error = InvalidRecordError if isinstance(key, str) else InvalidTypeError
            raise error("facts", key, "names must be non-empty strings")
        if isinstance(item, float):
            raise InvalidTypeError(f"facts.{key}", item, "must not be a float")
    return FrozenMap(value)


def _clients(value: object) -> tuple[Client, ...]:
    return _tuple_of(Client, "clients", value)


def _subscriptions(value: object) -> tuple[Subscription, ...]:
    return _tuple_of(Subscription, "subscriptions", value)


def _deals(value: object) -> tuple[Deal, ...]:
    return _tuple_of(Deal, "deals", value)


def _certifications(value: object) -> tuple[Certification, ...]:
    return _tuple_of(Certification, "certifications", value)


def _managed_services(value: object) -> tuple[ManagedService, ...]:
    return _tuple_of(ManagedService, "managed_services", value)


_Found = list[Problem]


def _index_by_id(records: tuple[Any, ...], name: str, found: _Found) -> dict[str, Any]:
    index: dict[str, Any] = {}
    for position, record in enumerate(records):
        if record.id in index:
            found.append(
                Problem(
                    f"{name}[{position}].id",
                    f"duplicates the id of another {name} entry",
                    record.id,
                )
            )
        index.setdefault(record.id, record)
    return index


def _check_managed_periods(services: tuple[ManagedService, ...], found: _Found) -> None:
    """Refuse two managed periods of one client that overlap: credit would count twice."""
    by_client: dict[str, list[tuple[int, ManagedService]]] = {}
    for position, service in enumerate(services):
        by_client.setdefault(service.client, []).append((position, service))
    for periods in by_client.values():
        periods.sort(key=lambda item: item[1].since)
        for (_, earlier), (position, later) in itertools.pairwise(periods):
            if earlier.until is None or later.since < earlier.until:
                found.append(
                    Problem(
                        f"managed_services[{position}].from",
                        f"overlaps another managed period of {later.client} "
                        f"(from {earlier.since} to {earlier.until or 'open'})",
                        later.since.isoformat(),
                    )
                )


def _derived_history(
    position: int, subscription: Subscription, line_deals: list[Deal], found: _Found
) -> tuple[MrrEntry, ...]:
    """The MRR history of a subscription from its client's deals on its product line:
    the MRR on day d is the current MRR minus the changes of the deals closed after d
    (and before the subscription ended: its MRR is the one it had until then)."""
    start, end, current = subscription.started_on, subscription.ended_on, subscription.mrr
    later = sorted(
        (
            deal
            for deal in line_deals
            if start < deal.closed_on and (end is None or deal.closed_on < end)
        ),
        key=lambda deal: deal.closed_on,
    )
    for deal in later:
        if deal.mrr_change.currency != current.currency:
            found.append(
                Problem(
                    f"subscriptions[{position}].mrr",
                    f"of subscription {subscription.id} is in {current.currency}, but deal "
                    f"{deal.id} of {deal.closed_on} changes it in {deal.mrr_change.currency}: "
                    "give the subscription an mrr_history",
                    str(current),
                )
            )
            return ()
    # Walk back from now: before each closing day, the MRR lacks that day's changes.
    mrr = current
    rows = []
    for day, group in itertools.groupby(reversed(later), key=lambda deal: deal.closed_on):
        rows.append((day, mrr))
        mrr = Money(mrr.amount - sum(deal.mrr_change.amount for deal in group), mrr.currency)
    rows.append((start, mrr))
    history: list[MrrEntry] = []
    for day, amount in reversed(rows):
        if amount.amount < 0:
            found.append(
                Problem(
                    f"subscriptions[{position}].mrr",
                    f"of subscription {subscription.id} gives a negative MRR on {day}: "
                    f"{amount} (the current {current} minus the changes of the deals closed "
                    "after that day); give the subscription an mrr_history",
                    str(current),
                )
            )
            return ()
        if not history or history[-1].mrr != amount:
            history.append(MrrEntry(day, amount))
    return tuple(history)


def _mrr_histories(
    subscriptions: tuple[Subscription, ...], deals: tuple[Deal, ...], found: _Found
) -> dict[str, tuple[MrrEntry, ...]]:
    """Every subscription's MRR history: the one it gives, or the one derived from the
    deals (problems for the derivations that fail)."""
    by_line: dict[tuple[str, str], list[Deal]] = {}
    for deal in deals:
        by_line.setdefault((deal.client, deal.product_line), []).append(deal)
    histories: dict[str, tuple[MrrEntry, ...]] = {}
    for position, subscription in enumerate(subscriptions):
        history = subscription.mrr_history or _derived_history(
            position,
            subscription,
            by_line.get((subscription.client, subscription.product_line), []),
            found,
        )
        histories.setdefault(subscription.id, history)
    return histories


@frozen
class Book:
    """One partner's whole book: the partner and every record that earns or gates points.

    A book checks on construction that ids are unique per kind, that every deal,
    subscription and managed service names a client of the book, and that the MRR
    history of every subscription without an ``mrr_history`` can be derived from its
    client's deals on its product line (never below zero, in the subscription's
    currency); errors name the record's position (``deals[3].client``) and the value.

    Attributes:
        partner: the partner whose book this is.
        clients: the partner's clients.
        subscriptions: the clients' subscriptions.
        deals: deals and subscription changes, in any order.
        certifications: the partner's certifications.
        managed_services: the periods in which the partner services clients.
        facts: further facts about the partner that gates read, by name, e.g.
            ``{"retention": Decimal("0.87"), "invited": True, "team_certifications": 120}``.
    """

    partner: Partner
    clients: tuple[Client, ...] = field(default=(), converter=_clients)
    subscriptions: tuple[Subscription, ...] = field(default=(), converter=_subscriptions)
    deals: tuple[Deal, ...] = field(default=(), converter=_deals)
    certifications: tuple[Certification, ...] = field(default=(), converter=_certifications)
    managed_services: tuple[ManagedService, ...] = field(default=(), converter=_managed_services)
    facts: Mapping[str, Any] = field(factory=dict, converter=_facts, hash=False)
    _clients: dict[str, Client] = field(init=False, eq=False, repr=False, hash=False)
    _subscriptions: dict[str, Subscription] = field(init=False, eq=False, repr=False, hash=False)
    _deals: dict[str, Deal] = field(init=False, eq=False, repr=False, hash=False)
    _certifications: dict[str, Certification] = field(init=False, eq=False, repr=False, hash=False)
    _mrr_histories: dict[str, tuple[MrrEntry, ...]] = field(
        init=False, eq=False, repr=False, hash=False
    )
    _sales: tuple[list[dt.date], list[ClientId]] | None = field(
        init=False, default=None, eq=False, repr=False, hash=False
    )
    _deal_columns: Any = field(init=False, default=None, eq=False, repr=False, hash=False)
    _managed_columns: Any = field(init=False, default=None, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.partner, Partner):
            raise InvalidTypeError("Book.partner", self.partner, "must be a Partner")
        found: _Found = []
        clients = _index_by_id(self.clients, "clients", found)
        referring: tuple[tuple[str, tuple[Subscription | Deal | ManagedService, ...]], ...] = (
            ("subscriptions", self.subscriptions),
            ("deals", self.deals),
            ("managed_services", self.managed_services),
        )
        for name, records in referring:
            for position, record in enumerate(records):
                if record.client not in clients:
                    found.append(
                        Problem(
                            f"{name}[{position}].client",
                            "names no client of the book",
                            record.client,
                        )
                    )
        _check_managed_periods(self.managed_services, found)
        subscriptions = _index_by_id(self.subscriptions, "subscriptions", found)
        deals = _index_by_id(self.deals, "deals", found)
        certifications = _index_by_id(self.certifications, "certifications", found)
        histories = _mrr_histories(self.subscriptions, self.deals, found)
        if found:
            # Every problem at once; the first names the error's field and value.
            first = found[0]
            raise BookIntegrityError(first.path, first.value, first.message, problems=found)
        object.__setattr__(self, "_clients", clients)
        object.__setattr__(self, "_subscriptions", subscriptions)
        object.__setattr__(self, "_deals", deals)
        object.__setattr__(self, "_certifications", certifications)
        object.__setattr__(self, "_mrr_histories", histories)

    def known_at(self, day: dt.date) -> Book:
        """The book as it was known on the day: only the deals, certifications, managed
        services and MRR-history rows recorded on or before it (a record without
        ``recorded_on`` is known from its own effective date); the partner, clients,
        subscriptions and facts are kept.

        A managed service's ``until`` is known from the later of its recorded_on and
        the until itself; before that the service is open. A subscription whose MRR is
        derived from deals loses the MRR changes of the deals not yet recorded. A day
        before every record date gives a book with no such records, not an error.

        Raises:
            InvalidRecordError: when day is not a date.
        """
        day = check_day("known_at", day)
        return evolve(
            self,
            subscriptions=known_subscriptions(
                self.subscriptions, self.deals, self._mrr_histories, day
            ),
            deals=known_deals(self.deals, day),
            certifications=known_certifications(self.certifications, day),
            managed_services=known_services(self.managed_services, day),
        )

    def client(self, client_id: ClientId | str) -> Client:
        """The client with this id.

        Raises:
            BookIntegrityError: when the book has no such client.
        """
        return self._lookup(self._clients, "client", client_id)

    def subscription(self, subscription_id: SubscriptionId | str) -> Subscription:
        """The subscription with this id."""
        return self._lookup(self._subscriptions, "subscription", subscription_id)

    def mrr_history(self, subscription_id: SubscriptionId | str) -> tuple[MrrEntry, ...]:
        """The subscription's MRR over time: its ``mrr_history`` when it has one, else the
        history derived from its client's deals on its product line (the MRR on day d is
        the current MRR minus the changes of the deals closed after d).

        Raises:
            UnknownIdError: when the book has no such subscription.
        """
        return self._mrr_histories[self.subscription(subscription_id).id]

    def mrr_on(self, subscription_id: SubscriptionId | str, day: dt.date) -> Money:
        """The subscription's MRR in force on the day (zero before its history begins)."""
        subscription = self.subscription(subscription_id)
        day = check_day("day", day)
        return mrr_in_force(self._mrr_histories[subscription.id], day, subscription.mrr.currency)

    def deal(self, deal_id: DealId | str) -> Deal:
        """The deal with this id."""
        return self._lookup(self._deals, "deal", deal_id)

    def certification(self, certification_id: CertificationId | str) -> Certification:
        """The certification with this id."""
        return self._lookup(self._certifications, "certification", certification_id)

    @staticmethod
    def _lookup(index: dict[str, _R], kind: str, key: str) -> _R:
        try:
            return index[key]
        except KeyError:
            raise UnknownIdError(kind, key, f"no {kind} with this id in the book") from None
        except TypeError:  # an unhashable key: a list, a dict
            raise InvalidTypeError(kind, key, "must be an id (a str)") from None

    def clients_sold(self, after: dt.date, until: dt.date) -> set[ClientId]:
        """The clients with a new, cross-sell or upsell deal closed in (after, until].

        O(log n + k) for k such deals: the earning deals are sorted by closing day once,
        on first use (gates ask this on every day the tier replay visits).
        """
        index = self._sales
        if index is None:
            sales = sorted((deal.closed_on, deal.client) for deal in self.deals if deal.kind.earns)
            index = ([day for day, _ in sales], [client for _, client in sales])
            object.__setattr__(self, "_sales", index)
        days, clients = index
        return set(clients[bisect.bisect_right(days, after) : bisect.bisect_right(days, until)])

    def subscriptions_of(self, client_id: ClientId | str) -> tuple[Subscription, ...]:
        """The client's subscriptions, in book order."""
        return tuple(s for s in self.subscriptions if s.client == client_id)

    def deals_of(self, client_id: ClientId | str) -> tuple[Deal, ...]:
        """The client's deals, in book order."""
        return tuple(d for d in self.deals if d.client == client_id)
