"""What a book knew on a day: its records filtered by the day each was recorded.

Deals, certifications, managed services and MRR-history rows carry an optional
``recorded_on``; without one a record is known from its own effective date. `Book.known_at`
builds the book as it was known from these functions; everything without a record date
(the partner, clients, subscriptions, facts) is kept as it is.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from decimal import Decimal

from attrs import evolve

from partner_tiers._model.mrr import MrrEntry, mrr_in_force
from partner_tiers._model.records import Certification, Deal, ManagedService, Subscription
from partner_tiers._model.values import Money

__all__ = ["known_certifications", "known_deals", "known_services", "known_subscriptions"]

ZERO = Decimal(0)


def known_deals(deals: Sequence[Deal], day: dt.date) -> tuple[Deal, ...]:
    """The deals recorded on or before the day, in book order."""
    return tuple(deal for deal in deals if deal.known_from <= day)


def known_certifications(
    certifications: Sequence[Certification], day: dt.date
) -> tuple[Certification, ...]:
    """The certifications recorded on or before the day, in book order."""
    return tuple(cert for cert in certifications if cert.known_from <= day)


def known_services(services: Sequence[ManagedService], day: dt.date) -> tuple[ManagedService, ...]:
    """The managed services recorded on or before the day, in book order.

    A service's end is known from the later of its recorded_on and its until: before
    that the service is open, up to the next known period of the same client (so two
    known periods never overlap).
    """
    known = [service for service in services if service.known_from <= day]
    ended = [
        service
        if service.until is None or max(service.known_from, service.until) <= day
        else evolve(service, until=None)
        for service in known
    ]
    by_client: dict[str, list[int]] = {}
    for position, service in enumerate(ended):
        by_client.setdefault(service.client, []).append(position)
    for positions in by_client.values():
        positions.sort(key=lambda position: ended[position].since)
        for earlier, later in itertools.pairwise(positions):
            if ended[earlier].until is None:
                ended[earlier] = evolve(ended[earlier], until=ended[later].since)
    return tuple(ended)


def known_subscriptions(
    subscriptions: Sequence[Subscription],
    deals: Sequence[Deal],
    histories: Mapping[str, tuple[MrrEntry, ...]],
    day: dt.date,
) -> tuple[Subscription, ...]:
    """The subscriptions with the MRR known on the day.

    A subscription with an ``mrr_history`` keeps the rows recorded on or before the day
    (none known: zero MRR from its start). One whose history is derived from its deals
    gets that history without the MRR changes of the deals not yet recorded, as an
    explicit ``mrr_history`` (floored at zero: an unknown sale cannot make MRR negative).
    """
    unknown: dict[tuple[str, str], list[Deal]] = {}
    for deal in deals:
        if deal.known_from > day:
            unknown.setdefault((deal.client, deal.product_line), []).append(deal)
    known = []
    for subscription in subscriptions:
        if subscription.mrr_history:
            rows = tuple(row for row in subscription.mrr_history if row.known_from <= day)
            if rows != subscription.mrr_history:
                subscription = _with_history(subscription, rows)
        else:
            late = unknown.get((subscription.client, subscription.product_line), [])
            late = [deal for deal in late if _changes(subscription, deal)]
            if late:
                rows = _without(histories[subscription.id], late, subscription, day)
                subscription = _with_history(subscription, rows)
        known.append(subscription)
    return tuple(known)


def _changes(subscription: Subscription, deal: Deal) -> bool:
    """Whether the deal changes the subscription's derived MRR (see `Book.mrr_history`)."""
    end = subscription.ended_on
    return subscription.started_on < deal.closed_on and (end is None or deal.closed_on < end)


def _without(
    history: tuple[MrrEntry, ...], late: list[Deal], subscription: Subscription, day: dt.date
) -> tuple[MrrEntry, ...]:
    """The derived history less the changes of the late deals from their closing days."""
    currency = subscription.mrr.currency
    days = sorted({row.since for row in history} | {deal.closed_on for deal in late})
    rows: list[MrrEntry] = []
    for since in days:
        missing = sum((d.mrr_change.amount for d in late if d.closed_on <= since), ZERO)
        amount = max(mrr_in_force(history, since, currency).amount - missing, ZERO)
        if not rows or rows[-1].mrr.amount != amount:
            # Recorded by the day, so the known book, asked again, keeps the row.
            recorded = day if since > day else None
            rows.append(MrrEntry(since, Money(amount, currency), recorded))
    return tuple(rows)


def _with_history(subscription: Subscription, rows: tuple[MrrEntry, ...]) -> Subscription:
    if not rows:  # nothing known of its MRR yet: zero from its start
        rows = (MrrEntry(subscription.started_on, Money(ZERO, subscription.mrr.currency)),)
    return evolve(subscription, mrr=rows[-1].mrr, mrr_history=rows)
