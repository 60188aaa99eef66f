"""Money and the frozen records: what they accept, what they refuse, and how they say so."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import partner_tiers as pt
from _examples import (
    CERTIFICATION,
    CLIENT,
    DEAL,
    MANAGED_SERVICE,
    PARTNER,
    RENEWAL,
    SUBSCRIPTION,
    changed,
)
from partner_tiers.testing import strategies as pts

# --- Money -------------------------------------------------------------------------------


def test_money_converts_ints_and_decimal_strings_exactly() -> None:
    assert pt.Money("1200.00", "EUR").amount == Decimal("1200.00")
    assert pt.Money(" 0.10 ", "EUR").amount == Decimal("0.10")
    assert pt.Money(7, "JPY").amount == Decimal(7)
    assert isinstance(pt.Money(7, "JPY").amount, Decimal)


def test_money_keeps_the_places_it_was_given() -> None:
    assert str(pt.Money("1200.00", "EUR")) == "1200.00 EUR"
    assert str(pt.Money(Decimal("62.5"), "GBP")) == "62.5 GBP"


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        pytest.param(0.1, "not a float", id="float"),
        pytest.param(1.0, "not a float", id="whole-float"),
        pytest.param(True, "not a bool", id="bool"),
        pytest.param("twelve", "is not a decimal number", id="words"),
        pytest.param("", "is not a decimal number", id="empty"),
        pytest.param("NaN", "must be a finite number", id="nan"),
        pytest.param("-Infinity", "must be a finite number", id="infinity"),
        pytest.param(Decimal("sNaN"), "must be a finite number", id="signalling-nan"),
        pytest.param(None, "must be a Decimal, an int or a decimal string", id="none"),
    ],
)
def test_money_refuses_amounts_that_are_not_exact_numbers(amount: object, reason: str) -> None:
    with pytest.raises(pt.InvalidRecordError) as caught:
        pt.Money(amount, "USD")
    assert caught.value.field == "Money.amount"
    assert caught.value.value is amount
    assert reason in caught.value.reason


@pytest.mark.parametrize("currency", ["ZZZ", "usd", "US", "", "EURO", None, 978])
def test_money_refuses_currencies_that_are_not_iso_4217(currency: object) -> None:
    with pytest.raises(pt.InvalidRecordError) as caught:
        pt.Money("1.00", currency)  # type: ignore[arg-type]
    assert caught.value.field == "Money.currency"
    assert caught.value.value == currency
    assert f"Money.currency: must be an ISO 4217 currency code (got {currency!r})" == str(
        caught.value
    )


@pytest.mark.parametrize("currency", ["USD", "EUR", "COP", "XXX", "XAU"])
def test_money_accepts_iso_4217_codes_including_special_ones(currency: str) -> None:
    assert pt.Money("1.00", currency).currency == currency


def test_money_adds_subtracts_and_negates_in_one_currency() -> None:
    fee = pt.Money("1200.00", "EUR")
    discount = pt.Money("150.50", "EUR")
    assert fee + discount == pt.Money("1350.50", "EUR")
    assert fee - discount == pt.Money("1049.50", "EUR")
    assert -discount == pt.Money("-150.50", "EUR")


@pytest.mark.parametrize("operation", ["add", "sub"])
def test_money_refuses_arithmetic_across_currencies(operation: str) -> None:
    euros = pt.Money("10.00", "EUR")
    dollars = pt.Money("10.00", "USD")
    with pytest.raises(pt.InvalidRecordError) as caught:
        _ = euros + dollars if operation == "add" else euros - dollars
    assert caught.value.field == "Money.currency"
    assert caught.value.value == "USD"
    assert "cannot combine with EUR" in str(caught.value)


def test_money_has_no_order_because_currencies_do_not_compare() -> None:
    with pytest.raises(TypeError):
        _ = pt.Money("1.00", "EUR") < pt.Money("2.00", "EUR")  # type: ignore[operator]


def test_money_equality_is_by_value_and_currency() -> None:
    assert pt.Money("1.0", "EUR") == pt.Money("1.00", "EUR")
    assert hash(pt.Money("1.0", "EUR")) == hash(pt.Money("1.00", "EUR"))
    assert pt.Money("1.00", "EUR") != pt.Money("1.00", "USD")


@given(pts.money(["EUR"]), pts.money(["EUR"]))
def test_money_subtraction_undoes_addition(first: pt.Money, second: pt.Money) -> None:
    assert (first + second) - second == first
    assert first + second == second + first
    negated = -first
    assert -negated == first
    assert (first + -first).amount == 0


@given(pts.money(["EUR"]), pts.money(["USD", "GBP"]))
def test_money_never_mixes_currencies(euros: pt.Money, other: pt.Money) -> None:
    with pytest.raises(pt.InvalidRecordError):
        _ = euros + other
    with pytest.raises(pt.InvalidRecordError):
        _ = other - euros


# --- what each record refuses ------------------------------------------------------------

MAY_1 = dt.date(2024, 5, 1)

REFUSED: list[Any] = [
    # (record, changes, field named in the error, value named in the error)
    pytest.param(PARTNER, {"id": ""}, "Partner.id", "", id="partner-empty-id"),
    pytest.param(PARTNER, {"name": "   "}, "Partner.name", "   ", id="partner-blank-name"),
    pytest.param(PARTNER, {"country": "XX"}, "Partner.country", "XX", id="partner-country"),
    pytest.param(PARTNER, {"country": "gb"}, "Partner.country", "gb", id="partner-lowercase"),
    pytest.param(
        PARTNER, {"joined_on": "2021-03-01"}, "Partner.joined_on", "2021-03-01", id="date-text"
    ),
    pytest.param(
        PARTNER,
        {"joined_on": dt.datetime(2021, 3, 1, 9, 30)},
        "Partner.joined_on",
        dt.datetime(2021, 3, 1, 9, 30),
        id="partner-datetime",
    ),
    pytest.param(CLIENT, {"country": "ZZ"}, "Client.country", "ZZ", id="client-country"),
    pytest.param(
        CLIENT, {"relationship": "resold"}, "Client.relationship", "resold", id="relationship"
    ),
    pytest.param(CLIENT, {"engagement_index": 11}, "Client.engagement_index", 11, id="index-11"),
    pytest.param(CLIENT, {"engagement_index": -1}, "Client.engagement_index", -1, id="index-neg"),
    pytest.param(
        CLIENT, {"engagement_index": True}, "Client.engagement_index", True, id="index-bool"
    ),
    pytest.param(
        CLIENT, {"engagement_index": "5"}, "Client.engagement_index", "5", id="index-text"
    ),
    pytest.param(CLIENT, {"tools_used": "crm"}, "Client.tools_used", "crm", id="tools-text"),
    pytest.param(CLIENT, {"tools_used": ["crm", ""]}, "Client.tools_used", "", id="tools-empty"),
    pytest.param(RENEWAL, {"edition": ""}, "RenewalProposal.edition", "", id="renewal-edition"),
    pytest.param(RENEWAL, {"mrr": "3600.00"}, "RenewalProposal.mrr", "3600.00", id="renewal-mrr"),
    pytest.param(
        SUBSCRIPTION,
        {"mrr": pt.Money("-0.01", "EUR")},
        "Subscription.mrr",
        pt.Money("-0.01", "EUR"),
        id="subscription-negative-mrr",
    ),
    pytest.param(
        SUBSCRIPTION,
        {"renews_on": dt.date(2023, 9, 13)},
        "Subscription.renews_on",
        dt.date(2023, 9, 13),
        id="renews-before-start",
    ),
    pytest.param(
        SUBSCRIPTION,
        {"ended_on": dt.date(2023, 1, 1)},
        "Subscription.ended_on",
        dt.date(2023, 1, 1),
        id="ends-before-start",
    ),
    pytest.param(
        SUBSCRIPTION, {"contact_tier": -1}, "Subscription.contact_tier", -1, id="contact-tier"
    ),
    pytest.param(
        SUBSCRIPTION, {"email_tier": "5"}, "Subscription.email_tier", "5", id="email-tier"
    ),
    pytest.param(
        SUBSCRIPTION,
        {"renewal_owner": "reseller"},
        "Subscription.renewal_owner",
        "reseller",
        id="renewal-owner",
    ),
    pytest.param(
        SUBSCRIPTION,
        {"renewal_manager": ""},
        "Subscription.renewal_manager",
        "",
        id="renewal-manager",
    ),
    pytest.param(
        SUBSCRIPTION, {"renewal": "enterprise"}, "Subscription.renewal", "enterprise", id="renewal"
    ),
    pytest.param(
        DEAL,
        {"kind": "new", "mrr_change": pt.Money("-900.00", "EUR")},
        "Deal.mrr_change",
        pt.Money("-900.00", "EUR"),
        id="new-negative",
    ),
    pytest.param(
        DEAL,
        {"kind": "cross_sell", "mrr_change": pt.Money("0.00", "EUR")},
        "Deal.mrr_change",
        pt.Money("0.00", "EUR"),
        id="cross-sell-zero",
    ),
    pytest.param(
        DEAL,
        {"kind": "upsell", "mrr_change": pt.Money("-1", "EUR")},
        "Deal.mrr_change",
        pt.Money("-1", "EUR"),
        id="upsell-negative",
    ),
    pytest.param(
        DEAL,
        {"kind": "downgrade", "mrr_change": pt.Money("1", "EUR")},
        "Deal.mrr_change",
        pt.Money("1", "EUR"),
        id="downgrade-positive",
    ),
    pytest.param(
        DEAL,
        {"kind": "churn", "mrr_change": pt.Money("0", "EUR")},
        "Deal.mrr_change",
        pt.Money("0", "EUR"),
        id="churn-zero",
    ),
    pytest.param(
        DEAL,
        {"kind": "adjustment", "mrr_change": pt.Money("0.00", "EUR")},
        "Deal.mrr_change",
        pt.Money("0.00", "EUR"),
        id="adjustment-zero",
    ),
    pytest.param(DEAL, {"kind": "refund"}, "Deal.kind", "refund", id="deal-kind"),
    pytest.param(DEAL, {"kind": "NEW"}, "Deal.kind", "NEW", id="deal-kind-upper"),
    pytest.param(DEAL, {"motion": "partner"}, "Deal.motion", "partner", id="deal-motion"),
    pytest.param(DEAL, {"closed_on": None}, "Deal.closed_on", None, id="deal-no-date"),
    pytest.param(DEAL, {"mrr_change": 900}, "Deal.mrr_change", 900, id="deal-not-money"),
    pytest.param(DEAL, {"client": ""}, "Deal.client", "", id="deal-no-client"),
    pytest.param(
        CERTIFICATION,
        {"valid_until": dt.date(2023, 5, 1)},
        "Certification.valid_until",
        dt.date(2023, 5, 1),
        id="valid-until-before-from",
    ),
    pytest.param(
        CERTIFICATION,
        {"valid_from": "2023-05-02"},
        "Certification.valid_from",
        "2023-05-02",
        id="valid-from-text",
    ),
    pytest.param(
        MANAGED_SERVICE,
        {"until": dt.date(2023, 9, 14)},
        "ManagedService.until",
        dt.date(2023, 9, 14),
        id="until-equals-since",
    ),
    pytest.param(
        MANAGED_SERVICE,
        {"until": dt.date(2023, 1, 1)},
        "ManagedService.until",
        dt.date(2023, 1, 1),
        id="until-before-since",
    ),
    pytest.param(MANAGED_SERVICE, {"partners": 0}, "ManagedService.partners", 0, id="partners-0"),
    pytest.param(
        MANAGED_SERVICE, {"partners": True}, "ManagedService.partners", True, id="partners-bool"
    ),
    pytest.param(MANAGED_SERVICE, {"since": None}, "ManagedService.since", None, id="no-since"),
]


@pytest.mark.parametrize(("record", "changes", "field", "value"), REFUSED)
def test_records_refuse_bad_values_naming_field_and_value(
    record: object, changes: dict[str, Any], field: str, value: object
) -> None:
    with pytest.raises(pt.InvalidRecordError) as caught:
        changed(record, **changes)
    error = caught.value
    assert isinstance(error, pt.PartnerTiersError)
    assert isinstance(error, ValueError)
    assert error.field == field
    assert error.value == value
    assert type(error.value) is type(value)
    assert str(error).startswith(f"{field}: ")
    # Values are shown as files write them: 2023-01-01, -5.00 EUR; text quoted.
    plain = not isinstance(value, (str, bool, dt.datetime)) and value is not None
    shown = str(value) if plain else repr(value)
    assert str(error).endswith(f"(got {shown})")


def test_a_refused_enum_value_lists_the_choices() -> None:
    with pytest.raises(pt.InvalidRecordError) as caught:
        changed(CLIENT, relationship="resold")
    assert caught.value.reason == "must be one of sold, managed, sold_and_managed"


def test_a_refused_deal_sign_names_the_kind() -> None:
    with pytest.raises(pt.InvalidRecordError, match="must be negative for a churn deal"):
        changed(DEAL, kind="churn")


def test_invalid_record_error_is_the_documented_kind_of_error() -> None:
    assert issubclass(pt.InvalidRecordError, pt.PartnerTiersError)
    assert issubclass(pt.InvalidRecordError, ValueError)
    assert issubclass(pt.BookIntegrityError, pt.InvalidRecordError)


# --- what each record accepts -----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "amount"),
    [
        ("new", "0.01"),
        ("cross_sell", "180.00"),
        ("upsell", "300.00"),
        ("downgrade", "-0.01"),
        ("churn", "-2400.00"),
        ("adjustment", "-15.00"),
        ("adjustment", "15.00"),
    ],
)
def test_deals_accept_the_sign_their_kind_requires(kind: str, amount: str) -> None:
    deal = changed(DEAL, kind=kind, mrr_change=pt.Money(amount, "EUR"))
    assert deal.kind is pt.DealKind(kind)
    assert deal.mrr_change.amount == Decimal(amount)


@pytest.mark.parametrize(
    ("kind", "earns", "reduces"),
    [
        (pt.DealKind.NEW, True, False),
        (pt.DealKind.CROSS_SELL, True, False),
        (pt.DealKind.UPSELL, True, False),
        (pt.DealKind.DOWNGRADE, False, True),
        (pt.DealKind.CHURN, False, True),
        (pt.DealKind.ADJUSTMENT, False, False),
    ],
)
def test_deal_kinds_say_whether_they_earn_or_reduce(
    kind: pt.DealKind, earns: bool, reduces: bool
) -> None:
    assert kind.earns is earns
    assert kind.reduces is reduces


def test_enum_fields_accept_their_values_as_strings() -> None:
    client = changed(CLIENT, relationship="managed")
    deal = changed(DEAL, kind="churn", motion="none", mrr_change=pt.Money("-900.00", "EUR"))
    subscription = changed(SUBSCRIPTION, renewal_owner="vendor")
    assert client.relationship is pt.Relationship.MANAGED
    assert deal.kind is pt.DealKind.CHURN
    assert deal.motion is pt.SalesMotion.NONE
    assert subscription.renewal_owner is pt.RenewalOwner.VENDOR


def test_enum_members_are_their_string_values() -> None:
    assert str(pt.Relationship.SOLD_AND_MANAGED) == "sold_and_managed"
    assert f"{pt.DealKind.CROSS_SELL}" == "cross_sell"
    assert pt.SalesMotion.SOURCED.value == "sourced"
    assert isinstance(pt.RenewalOwner.PARTNER, str)


def test_subscription_keeps_its_optional_details() -> None:
    subscription = changed(
        SUBSCRIPTION,
        contact_tier=2000,
        email_tier=20000,
        renewal_owner="partner",
        renewal_manager="Dana Whitfield",
        renewal=RENEWAL,
    )
    assert subscription.contact_tier == 2000
    assert subscription.renewal == pt.RenewalProposal("enterprise", pt.Money("3600.00", "USD"))
    assert subscription.renewal_manager == "Dana Whitfield"


def test_engagement_index_accepts_both_ends_of_its_range() -> None:
    assert changed(CLIENT, engagement_index=0).engagement_index == 0
    assert changed(CLIENT, engagement_index=10).engagement_index == 10


def test_tool_usage_counts_distinct_tools() -> None:
    client = changed(CLIENT, tools_used=["crm", "email", "crm"])
    assert client.tool_usage == 2
    assert changed(CLIENT, tools_used=[]).tool_usage == 0


def test_certification_is_valid_on_both_of_its_end_days() -> None:
    one_day = changed(CERTIFICATION, valid_from=MAY_1, valid_until=MAY_1)
    assert one_day.valid_on(MAY_1)
    assert CERTIFICATION.valid_on(dt.date(2023, 5, 2))
    assert CERTIFICATION.valid_on(dt.date(2025, 5, 1))
    assert not CERTIFICATION.valid_on(dt.date(2023, 5, 1))
    assert not CERTIFICATION.valid_on(dt.date(2025, 5, 2))


def test_subscription_is_active_from_its_start_until_the_day_it_ends() -> None:
    ending = changed(SUBSCRIPTION, ended_on=dt.date(2024, 9, 14))
    assert not ending.active_on(dt.date(2023, 9, 13))
    assert ending.active_on(dt.date(2023, 9, 14))
    assert ending.active_on(dt.date(2024, 9, 13))
    assert not ending.active_on(dt.date(2024, 9, 14))
    assert SUBSCRIPTION.active_on(dt.date(2030, 1, 1))


def test_subscription_may_end_the_day_it_starts_and_is_then_never_active() -> None:
    same_day = changed(SUBSCRIPTION, renews_on=dt.date(2023, 9, 14), ended_on=dt.date(2023, 9, 14))
    assert not same_day.active_on(dt.date(2023, 9, 14))


def test_managed_service_runs_from_since_until_the_day_it_ends() -> None:
    service = changed(MANAGED_SERVICE, until=dt.date(2024, 1, 1), partners=2)
    assert service.partners == 2
    assert not service.active_on(dt.date(2023, 9, 13))
    assert service.active_on(dt.date(2023, 9, 14))
    assert service.active_on(dt.date(2023, 12, 31))
    assert not service.active_on(dt.date(2024, 1, 1))
    assert MANAGED_SERVICE.partners == 1
    assert MANAGED_SERVICE.active_on(dt.date(2030, 12, 31))


# --- immutability -------------------------------------------------------------------------

RECORDS: list[Any] = [
    pytest.param(pt.Money("1.00", "EUR"), "amount", Decimal(2), id="money"),
    pytest.param(PARTNER, "name", "Southwind", id="partner"),
    pytest.param(CLIENT, "engagement_index", 9, id="client"),
    pytest.param(RENEWAL, "edition", "starter", id="renewal"),
    pytest.param(SUBSCRIPTION, "mrr", pt.Money("0", "EUR"), id="subscription"),
    pytest.param(DEAL, "kind", pt.DealKind.CHURN, id="deal"),
    pytest.param(CERTIFICATION, "valid_until", dt.date(2099, 1, 1), id="certification"),
    pytest.param(MANAGED_SERVICE, "partners", 3, id="managed-service"),
]


@pytest.mark.parametrize(("record", "name", "value"), RECORDS)
def test_records_are_frozen(record: object, name: str, value: object) -> None:
    before = getattr(record, name)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(record, name, value)
    assert getattr(record, name) == before


def test_collections_in_records_are_tuples_copied_on_the_way_in() -> None:
    tools = ["crm", "email"]
    client = changed(CLIENT, tools_used=tools)
    tools.append("chat")
    assert client.tools_used == ("crm", "email")
    assert isinstance(client.tools_used, tuple)


@given(
    st.one_of(
        pts.partners(),
        pts.clients(),
        pts.subscriptions(),
        pts.deals(),
        pts.certifications(),
        pts.managed_services(),
    )
)
def test_generated_records_rebuild_equal(record: Any) -> None:
    rebuilt = attrs.evolve(record)
    assert rebuilt == record
    assert hash(rebuilt) == hash(record)
    for field in attrs.fields(type(record)):
        assert not isinstance(getattr(record, field.name), (list, dict, set))
