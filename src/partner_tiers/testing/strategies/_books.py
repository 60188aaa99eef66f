"""The strategy for consistent books: unique ids, references to the book's own clients,
and managed periods that never overlap."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from attrs import evolve
from hypothesis import strategies as st

from partner_tiers import Book, BookIntegrityError, MrrEntry
from partner_tiers.testing.strategies._records import (
    certifications,
    clients,
    deals,
    managed_periods,
    partners,
    subscriptions,
)
from partner_tiers.testing.strategies._values import DEFAULT_COUNTRIES, DEFAULT_CURRENCIES

__all__ = ["books"]


@st.composite
def _books(
    draw: st.DrawFn,
    max_clients: int,
    max_records: int,
    currencies: Sequence[str],
    countries: Sequence[str],
) -> Book:
    partner = draw(partners(countries=countries))
    book_clients = draw(
        st.lists(
            clients(countries=countries),
            max_size=max_clients,
            unique_by=lambda record: record.id,
        )
    )
    book_certifications = draw(
        st.lists(certifications(), max_size=3, unique_by=lambda record: record.id)
    )
    if not book_clients:
        return Book(partner=partner, certifications=book_certifications)
    ids = [client.id for client in book_clients]
    periods = [period for client in ids for period in managed_periods(draw, client)]
    return _consistent_book(
        partner=partner,
        clients=book_clients,
        subscriptions=draw(
            st.lists(
                subscriptions(ids, currencies=currencies),
                max_size=max_records,
                unique_by=lambda record: record.id,
            )
        ),
        deals=draw(
            st.lists(
                deals(ids, currencies=currencies),
                max_size=max_records,
                unique_by=lambda record: record.id,
            )
        ),
        certifications=book_certifications,
        managed_services=draw(st.permutations(periods)),
    )


def _consistent_book(**records: Any) -> Book:
    """The book; a subscription whose MRR history cannot be derived from the drawn deals
    (below zero, another currency) gets an explicit history at its current MRR instead."""
    subscriptions = list(records.pop("subscriptions"))
    try:
        return Book(subscriptions=subscriptions, **records)
    except BookIntegrityError as error:
        for problem in error.problems:
            position = int(problem.path.removeprefix("subscriptions[").partition("]")[0])
            given = subscriptions[position]
            subscriptions[position] = evolve(
                given, mrr_history=(MrrEntry(given.started_on, given.mrr),)
            )
    return Book(subscriptions=subscriptions, **records)


def books(
    *,
    max_clients: int = 5,
    max_records: int = 8,
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
    countries: Sequence[str] = DEFAULT_COUNTRIES,
) -> st.SearchStrategy[Book]:
    """Consistent books: ids unique per kind, every reference names a client of the book,
    every deal's MRR change has the sign its kind requires, each client has at most
    two managed periods, which never overlap, and a subscription whose MRR history the
    drawn deals cannot give (below zero, another currency) has an explicit one.

    Args:
        max_clients: the most clients a book has.
        max_records: the most subscriptions, and the most deals, a book has.
        currencies: the currencies of subscriptions and deals.
        countries: the countries of the partner and the clients.
    """
    return _books(max_clients, max_records, tuple(currencies), tuple(countries))
