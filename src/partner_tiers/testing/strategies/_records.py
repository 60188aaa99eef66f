"""Strategies for the records of a book: partners, clients, subscriptions, deals,
certifications and managed-service periods."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from hypothesis import strategies as st

from partner_tiers import (
    Certification,
    CertificationId,
    Client,
    ClientId,
    Deal,
    DealId,
    DealKind,
    ManagedService,
    Money,
    Partner,
    PartnerId,
    Relationship,
    RenewalOwner,
    RenewalProposal,
    SalesMotion,
    Subscription,
    SubscriptionId,
)
from partner_tiers.testing.strategies._values import (
    ANY_DATE,
    CENT,
    CLIENT_IDS,
    DEFAULT_COUNTRIES,
    DEFAULT_CURRENCIES,
    MAX_AMOUNT,
    NAMES,
    PRODUCT_LINES,
    amounts,
    client_ids_from,
    date_after,
    date_on_or_after,
    id_text,
    maybe,
)

__all__ = [
    "certifications",
    "clients",
    "deals",
    "managed_periods",
    "managed_services",
    "partners",
    "subscriptions",
]

_TOOLS = ("crm", "email", "forms", "workflows", "landing-pages", "reporting", "chat", "tickets")
_EDITIONS = ("starter", "professional", "enterprise")
_PARTNER_COUNTS = st.integers(min_value=1, max_value=4)
_PERIODS_PER_CLIENT = st.integers(min_value=0, max_value=2)
_SUBSCRIPTION_IDS = id_text("s").map(SubscriptionId)
_DEAL_IDS = id_text("d").map(DealId)
_CERTIFICATION_IDS = id_text("cert").map(CertificationId)


def partners(*, countries: Sequence[str] = DEFAULT_COUNTRIES) -> st.SearchStrategy[Partner]:
    """Partners based in one of ``countries``."""
    return st.builds(
        Partner,
        id=id_text("p").map(PartnerId),
        name=NAMES,
        country=st.sampled_from(countries),
        joined_on=ANY_DATE,
    )


def clients(
    *,
    ids: st.SearchStrategy[ClientId] | None = None,
    countries: Sequence[str] = DEFAULT_COUNTRIES,
) -> st.SearchStrategy[Client]:
    """Clients in one of ``countries``, with an id from ``ids`` (any client id by default)."""
    return st.builds(
        Client,
        id=CLIENT_IDS if ids is None else ids,
        name=NAMES,
        country=st.sampled_from(countries),
        relationship=st.sampled_from(Relationship),
        tools_used=st.lists(st.sampled_from(_TOOLS), max_size=len(_TOOLS), unique=True).map(tuple),
        engagement_index=st.integers(min_value=0, max_value=10),
    )


@st.composite
def _subscriptions(
    draw: st.DrawFn,
    client_choice: st.SearchStrategy[ClientId],
    ids: st.SearchStrategy[SubscriptionId],
    product_line_choice: st.SearchStrategy[str],
    currency_choice: st.SearchStrategy[str],
    amount_choice: st.SearchStrategy[Decimal],
) -> Subscription:
    currency = draw(currency_choice)
    started_on = draw(ANY_DATE)
    renewal = None
    if draw(st.booleans()):
        renewal = RenewalProposal(
            edition=draw(st.sampled_from(_EDITIONS)), mrr=Money(draw(amount_choice), currency)
        )
    return Subscription(
        id=draw(ids),
        client=draw(client_choice),
        product_line=draw(product_line_choice),
        edition=draw(st.sampled_from(_EDITIONS)),
        mrr=Money(draw(amount_choice), currency),
        started_on=started_on,
        renews_on=date_on_or_after(draw, started_on),
        contact_tier=maybe(draw, st.integers(min_value=0, max_value=100_000)),
        email_tier=maybe(draw, st.integers(min_value=0, max_value=1_000_000)),
        renewal_owner=maybe(draw, st.sampled_from(RenewalOwner)),
        renewal_manager=maybe(draw, NAMES),
        renewal=renewal,
        ended_on=date_on_or_after(draw, started_on) if draw(st.booleans()) else None,
    )


def subscriptions(
    client_ids: Sequence[str] | None = None,
    *,
    ids: st.SearchStrategy[SubscriptionId] | None = None,
    product_lines: Sequence[str] = PRODUCT_LINES,
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
) -> st.SearchStrategy[Subscription]:
    """Subscriptions of one of ``client_ids`` (any client id when None).

    Renewal dates are on or after the start, an end date (when there is one) too, and a
    renewal proposal is in the subscription's currency.
    """
    return _subscriptions(
        client_ids_from(client_ids),
        _SUBSCRIPTION_IDS if ids is None else ids,
        st.sampled_from(product_lines),
        st.sampled_from(currencies),
        amounts(),
    )


_SOLD_MOTIONS = (SalesMotion.SOURCED, SalesMotion.ASSISTED)


@st.composite
def _deals(
    draw: st.DrawFn,
    client_choice: st.SearchStrategy[ClientId],
    product_line_choice: st.SearchStrategy[str],
    ids: st.SearchStrategy[DealId],
    kind_choice: st.SearchStrategy[DealKind],
    currency_choice: st.SearchStrategy[str],
    magnitudes: st.SearchStrategy[Decimal],
) -> Deal:
    kind = draw(kind_choice)
    amount = draw(magnitudes)
    if kind.reduces or (kind is DealKind.ADJUSTMENT and draw(st.booleans())):
        amount = -amount
    if kind is DealKind.ADJUSTMENT:
        motion = SalesMotion.NONE
    else:
        motion = draw(st.sampled_from(_SOLD_MOTIONS))
    return Deal(
        id=draw(ids),
        client=draw(client_choice),
        product_line=draw(product_line_choice),
        kind=kind,
        motion=motion,
        closed_on=draw(ANY_DATE),
        mrr_change=Money(amount, draw(currency_choice)),
    )


def deals(
    client_ids: Sequence[str] | None = None,
    product_lines: Sequence[str] = PRODUCT_LINES,
    *,
    ids: st.SearchStrategy[DealId] | None = None,
    kinds: Sequence[DealKind] = tuple(DealKind),
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
) -> st.SearchStrategy[Deal]:
    """Deals with a client from ``client_ids`` (any client id when None).

    The MRR change has the sign the kind requires: positive for new, cross_sell and
    upsell, negative for downgrade and churn, and either sign but never zero for an
    adjustment. Adjustments have motion ``none``; every other kind is sourced or
    assisted.
    """
    return _deals(
        client_ids_from(client_ids),
        st.sampled_from(product_lines),
        _DEAL_IDS if ids is None else ids,
        st.sampled_from(kinds),
        st.sampled_from(currencies),
        amounts(CENT, MAX_AMOUNT),
    )


@st.composite
def _certifications(draw: st.DrawFn, ids: st.SearchStrategy[CertificationId]) -> Certification:
    valid_from = draw(ANY_DATE)
    return Certification(
        id=draw(ids),
        name=draw(NAMES),
        valid_from=valid_from,
        valid_until=date_on_or_after(draw, valid_from),
    )


def certifications(
    *, ids: st.SearchStrategy[CertificationId] | None = None
) -> st.SearchStrategy[Certification]:
    """Certifications whose validity ends on or after the day it starts."""
    return _certifications(_CERTIFICATION_IDS if ids is None else ids)


@st.composite
def _managed_services(
    draw: st.DrawFn, client_choice: st.SearchStrategy[ClientId]
) -> ManagedService:
    since = draw(ANY_DATE)
    return ManagedService(
        client=draw(client_choice),
        since=since,
        until=date_after(draw, since) if draw(st.booleans()) else None,
        partners=draw(_PARTNER_COUNTS),
    )


def managed_services(
    client_ids: Sequence[str] | None = None,
) -> st.SearchStrategy[ManagedService]:
    """Managed-service periods for one of ``client_ids`` (any client id when None),
    shared among one to four partners, open or ending after they start."""
    return _managed_services(client_ids_from(client_ids))


def managed_periods(draw: st.DrawFn, client: ClientId) -> list[ManagedService]:
    """Up to two managed periods of one client, one after the other, never overlapping."""
    periods: list[ManagedService] = []
    count = draw(_PERIODS_PER_CLIENT)
    since = draw(ANY_DATE)
    for number in range(count):
        last = number == count - 1
        until = date_after(draw, since) if not last or draw(st.booleans()) else None
        periods.append(
            ManagedService(client=client, since=since, until=until, partners=draw(_PARTNER_COUNTS))
        )
        if until is None:
            break
        since = date_on_or_after(draw, until)
    return periods
