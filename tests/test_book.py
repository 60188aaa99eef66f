"""The book: ids unique per kind, references that resolve, lookups, and no mutation."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import partner_tiers as pt
from _examples import (
    CERTIFICATION,
    CLIENT,
    DEAL,
    MANAGED_SERVICE,
    PARTNER,
    SUBSCRIPTION,
    changed,
)
from partner_tiers.testing import strategies as pts

TAILSPIN = changed(CLIENT, id="c-tailspin", name="Tailspin Toys", country="US", relationship="sold")
TAILSPIN_CRM = changed(SUBSCRIPTION, id="s-tail-crm", client="c-tailspin", product_line="crm")
UPSELL = changed(DEAL, id="d-2", kind="upsell", mrr_change=pt.Money("300.00", "EUR"))
TAILSPIN_DEAL = changed(DEAL, id="d-3", client="c-tailspin", mrr_change=pt.Money("2000", "USD"))
RENEWED = changed(CERTIFICATION, id="cert-2", valid_from=dt.date(2025, 4, 20))


def lists() -> dict[str, list[Any]]:
    """The parts of a small valid book, as lists a caller might pass."""
    return {
        "clients": [CLIENT, TAILSPIN],
        "subscriptions": [SUBSCRIPTION, TAILSPIN_CRM],
        "deals": [DEAL, UPSELL, TAILSPIN_DEAL],
        "certifications": [CERTIFICATION, RENEWED],
        "managed_services": [MANAGED_SERVICE],
    }


def make_book(**changes: list[Any]) -> pt.Book:
    parts = lists()
    parts.update(changes)
    return pt.Book(partner=PARTNER, **parts)


def test_a_book_keeps_its_records_in_order_as_tuples() -> None:
    book = make_book()
    assert book.partner == PARTNER
    assert book.clients == (CLIENT, TAILSPIN)
    assert book.deals == (DEAL, UPSELL, TAILSPIN_DEAL)
    for name in ("clients", "subscriptions", "deals", "certifications", "managed_services"):
        assert isinstance(getattr(book, name), tuple)


def test_a_book_may_hold_only_its_partner() -> None:
    book = pt.Book(partner=PARTNER)
    assert book.clients == ()
    assert book.deals == ()


def test_a_book_looks_records_up_by_id() -> None:
    book = make_book()
    assert book.client("c-tailspin") is TAILSPIN
    assert book.client(pt.ClientId("c-fabrikam")) is CLIENT
    assert book.subscription("s-tail-crm") is TAILSPIN_CRM
    assert book.deal("d-2") is UPSELL
    assert book.certification("cert-2") is RENEWED


def test_a_book_lists_a_clients_records_in_book_order() -> None:
    book = make_book()
    assert book.deals_of("c-fabrikam") == (DEAL, UPSELL)
    assert book.deals_of("c-tailspin") == (TAILSPIN_DEAL,)
    assert book.subscriptions_of("c-tailspin") == (TAILSPIN_CRM,)
    assert book.deals_of("c-nobody") == ()


@pytest.mark.parametrize(
    ("lookup", "key"),
    [("client", "c-nobody"), ("subscription", "s-x"), ("deal", "d-9"), ("certification", "c-1")],
)
def test_looking_up_a_missing_id_names_the_kind_and_the_id(lookup: str, key: str) -> None:
    book = make_book()
    with pytest.raises(pt.UnknownIdError) as caught:
        getattr(book, lookup)(key)
    assert caught.value.field == lookup
    assert caught.value.value == key
    assert repr(key) in str(caught.value)


@pytest.mark.parametrize(
    ("name", "duplicate", "field"),
    [
        ("clients", changed(TAILSPIN, id="c-fabrikam"), "clients[1].id"),
        ("subscriptions", changed(TAILSPIN_CRM, id="s-fab-mkt"), "subscriptions[1].id"),
        ("deals", changed(TAILSPIN_DEAL, id="d-1"), "deals[2].id"),
        ("certifications", changed(RENEWED, id="cert-1"), "certifications[1].id"),
    ],
)
def test_a_duplicate_id_is_refused_with_its_position_and_value(
    name: str, duplicate: Any, field: str
) -> None:
    parts = lists()
    parts[name][-1] = duplicate
    with pytest.raises(pt.BookIntegrityError) as caught:
        pt.Book(partner=PARTNER, **parts)
    error = caught.value
    assert isinstance(error, pt.InvalidRecordError)
    assert isinstance(error, pt.PartnerTiersError)
    assert error.field == field
    assert error.value == duplicate.id
    assert str(error).startswith(f"{field}: ")
    assert repr(duplicate.id) in str(error)


def test_the_same_id_may_be_used_by_records_of_different_kinds() -> None:
    shared = changed(CERTIFICATION, id="d-1")
    book = make_book(certifications=[shared])
    assert book.certification("d-1") is shared
    assert book.deal("d-1") is DEAL


@pytest.mark.parametrize(
    ("name", "dangling", "field"),
    [
        ("subscriptions", changed(TAILSPIN_CRM, client="c-ghost"), "subscriptions[1].client"),
        ("deals", changed(UPSELL, client="c-ghost"), "deals[1].client"),
        (
            "managed_services",
            changed(MANAGED_SERVICE, client="c-ghost"),
            "managed_services[0].client",
        ),
    ],
)
def test_a_dangling_client_reference_is_refused_with_its_position_and_value(
    name: str, dangling: Any, field: str
) -> None:
    parts = lists()
    position = 0 if name == "managed_services" else 1
    parts[name][position] = dangling
    with pytest.raises(pt.BookIntegrityError) as caught:
        pt.Book(partner=PARTNER, **parts)
    assert caught.value.field == field
    assert caught.value.value == "c-ghost"
    assert str(caught.value) == f"{field}: names no client of the book (got 'c-ghost')"


@pytest.mark.parametrize(
    ("changes", "field", "value"),
    [
        ({"partner": CLIENT}, "Book.partner", CLIENT),
        ({"clients": "c-fabrikam"}, "Book.clients", "c-fabrikam"),
        ({"deals": {"d-1": DEAL}}, "Book.deals", {"d-1": DEAL}),
        ({"clients": [CLIENT, PARTNER]}, "clients[1]", PARTNER),
        ({"certifications": [DEAL]}, "certifications[0]", DEAL),
    ],
)
def test_a_book_refuses_parts_of_the_wrong_type(
    changes: dict[str, Any], field: str, value: object
) -> None:
    parts: dict[str, Any] = {"partner": PARTNER, **lists(), **changes}
    with pytest.raises(pt.InvalidRecordError) as caught:
        pt.Book(**parts)
    assert caught.value.field == field
    assert caught.value.value == value


def test_constructing_a_book_does_not_mutate_the_lists_passed_in() -> None:
    parts = lists()
    before = copy.deepcopy(parts)
    book = pt.Book(partner=PARTNER, **parts)
    assert parts == before
    parts["deals"].append(changed(DEAL, id="d-99"))
    parts["clients"].clear()
    assert len(book.deals) == 3
    assert book.clients == (CLIENT, TAILSPIN)
    assert book.client("c-tailspin") is TAILSPIN


def test_a_refused_book_does_not_mutate_the_lists_passed_in() -> None:
    parts = lists()
    parts["deals"].append(changed(DEAL, id="d-1"))
    before = copy.deepcopy(parts)
    with pytest.raises(pt.BookIntegrityError):
        pt.Book(partner=PARTNER, **parts)
    assert parts == before


def test_a_book_accepts_any_iterable_of_records() -> None:
    book = pt.Book(partner=PARTNER, clients=(c for c in [CLIENT, TAILSPIN]))
    assert book.clients == (CLIENT, TAILSPIN)


def test_a_book_is_frozen() -> None:
    book = make_book()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        book.deals = ()  # type: ignore[misc]
    assert len(book.deals) == 3


# --- properties over generated books ----------------------------------------------------


@given(pts.books())
def test_every_record_of_a_book_is_found_by_its_id(book: pt.Book) -> None:
    for client in book.clients:
        assert book.client(client.id) is client
    for subscription in book.subscriptions:
        assert book.subscription(subscription.id) is subscription
    for deal in book.deals:
        assert book.deal(deal.id) is deal
    for certification in book.certifications:
        assert book.certification(certification.id) is certification


@given(pts.books())
def test_the_records_of_each_client_partition_the_book(book: pt.Book) -> None:
    ids = [client.id for client in book.clients]
    assert sum(len(book.deals_of(i)) for i in ids) == len(book.deals)
    assert sum(len(book.subscriptions_of(i)) for i in ids) == len(book.subscriptions)


@given(pts.books())
def test_rebuilding_a_book_from_its_parts_gives_an_equal_book(book: pt.Book) -> None:
    rebuilt = attrs.evolve(book)
    assert rebuilt == book
    assert hash(rebuilt) == hash(book)


@given(pts.books(), st.data())
def test_duplicating_any_record_is_refused_at_the_copys_position(
    book: pt.Book, data: st.DataObject
) -> None:
    kinds = [
        name
        for name in ("clients", "subscriptions", "deals", "certifications")
        if getattr(book, name)
    ]
    assume(kinds)
    name = data.draw(st.sampled_from(kinds))
    records = getattr(book, name)
    copied = data.draw(st.sampled_from(records))
    changes: dict[str, Any] = {name: [*records, copied]}
    with pytest.raises(pt.BookIntegrityError) as caught:
        attrs.evolve(book, **changes)
    assert caught.value.field == f"{name}[{len(records)}].id"
    assert caught.value.value == copied.id


@given(pts.books(), st.data())
def test_removing_a_client_with_records_is_refused(book: pt.Book, data: st.DataObject) -> None:
    referenced = (
        {record.client for record in book.subscriptions}
        | {record.client for record in book.deals}
        | {record.client for record in book.managed_services}
    )
    assume(referenced)
    gone = data.draw(st.sampled_from(sorted(referenced)))
    with pytest.raises(pt.BookIntegrityError) as caught:
        attrs.evolve(book, clients=[c for c in book.clients if c.id != gone])
    assert caught.value.field.endswith("].client")
    assert caught.value.value == gone
