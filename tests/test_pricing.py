"""Points rules: rates, grandfathering, currency tables, growth markets, expiry, negative
batches and managed credit, priced by :func:`partner_tiers.build_ledger`.

Worked examples name their source: the rulebook ``/work/shared/domain.md`` (section 2),
which summarises hubspot.com/partners/how-tiers-work and its dated changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import attrs
import pytest
from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st

import partner_tiers as pt
from _books import ASSISTED, C1, FEB_1, FEB_10, JAN_10, MAR_1, SOURCED, START, c1_deal
from _programs import PROGRAM
from partner_tiers._engine.pricing import expiry_date
from partner_tiers.testing import strategies as pts

D = dt.date
CENT = Decimal("0.01")
FAST = settings(max_examples=50, deadline=None)
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "AUD")
COUNTRIES = ("US", "DE", "GB", "IN", "BR", "SG")
LINES = ("marketing-hub", "sales-hub", "service-hub")
JOINED = D(2021, 1, 1)
FIRST_CLOSE = D(2021, 1, 1)
LAST_CLOSE = D(2026, 6, 30)


# --- small builders ------------------------------------------------------------------


def _partner(joined_on: dt.date = JOINED) -> pt.Partner:
    return pt.Partner(id=pt.PartnerId("p-1"), name="Partner", country="US", joined_on=joined_on)


def _client(client_id: str = "c-1", country: str = "US") -> pt.Client:
    return pt.Client(
        id=pt.ClientId(client_id),
        name=f"Client {client_id}",
        country=country,
        relationship=pt.Relationship.SOLD_AND_MANAGED,
        tools_used=("crm", "email", "forms"),
    )


def _deal(
    deal_id: str,
    closed_on: dt.date,
    amount: str | Decimal,
    *,
    kind: pt.DealKind = pt.DealKind.NEW,
    motion: pt.SalesMotion = pt.SalesMotion.SOURCED,
    line: str = "marketing-hub",
    currency: str = "USD",
    client: str = "c-1",
) -> pt.Deal:
    return pt.Deal(
        id=pt.DealId(deal_id),
        client=pt.ClientId(client),
        product_line=line,
        kind=kind,
        motion=motion,
        closed_on=closed_on,
        mrr_change=pt.Money(amount, currency),
    )


def _book(
    deals: Sequence[pt.Deal] = (),
    *,
    clients: Sequence[pt.Client] | None = None,
    subscriptions: Sequence[pt.Subscription] = (),
    managed: Sequence[pt.ManagedService] = (),
) -> pt.Book:
    return pt.Book(
        partner=_partner(),
        clients=tuple(clients) if clients is not None else (_client(),),
        deals=tuple(deals),
        subscriptions=tuple(subscriptions),
        managed_services=tuple(managed),
    )


def _only_sold(ledger: pt.PointsLedger) -> dict[str, pt.PointBatch]:
    return {batch.id: batch for batch in ledger if batch.track is pt.Track.SOLD}


@st.composite
def _books(
    draw: st.DrawFn,
    max_deals: int = 8,
    max_clients: int = 3,
    lines: Sequence[str] = LINES,
    first: dt.date = FIRST_CLOSE,
    last: dt.date = LAST_CLOSE,
) -> pt.Book:
    """Small consistent books: a few clients, deals of every kind on a few product lines
    closed from ``first`` to ``last``, subscriptions, and at most one managed period per
    client (overlapping periods of one client are refused by the book)."""
    ids = [f"c-{n}" for n in range(draw(st.integers(min_value=1, max_value=max_clients)))]
    clients = [_client(client_id, draw(st.sampled_from(COUNTRIES))) for client_id in ids]
    days = pts.dates(first, last)
    deals = []
    for number in range(draw(st.integers(min_value=0, max_value=max_deals))):
        kind = draw(st.sampled_from(pt.DealKind))
        amount = draw(pts.amounts(Decimal("0.01"), 5_000))
        negative = kind.reduces or (kind is pt.DealKind.ADJUSTMENT and draw(st.booleans()))
        motion = (
            pt.SalesMotion.NONE
            if kind is pt.DealKind.ADJUSTMENT
            else draw(st.sampled_from([pt.SalesMotion.SOURCED, pt.SalesMotion.ASSISTED]))
        )
        deals.append(
            _deal(
                f"d-{number}",
                draw(days),
                -amount if negative else amount,
                kind=kind,
                motion=motion,
                line=draw(st.sampled_from(lines)),
                currency=draw(st.sampled_from(CURRENCIES)),
                client=draw(st.sampled_from(ids)),
            )
        )
    subscriptions = []
    for number in range(draw(st.integers(min_value=0, max_value=4))):
        started = draw(days)
        mrr = pt.Money(draw(pts.amounts(0, 5_000)), draw(st.sampled_from(CURRENCIES)))
        subscriptions.append(
            pt.Subscription(
                id=pt.SubscriptionId(f"s-{number}"),
                client=pt.ClientId(draw(st.sampled_from(ids))),
                product_line=draw(st.sampled_from(lines)),
                edition="professional",
                mrr=mrr,
                started_on=started,
                renews_on=started + dt.timedelta(days=365),
                ended_on=draw(st.none() | pts.dates(started, D(2027, 1, 1))),
                # The deals are drawn apart from the MRR: keep it constant, as given.
                mrr_history=(pt.MrrEntry(started, mrr),),
            )
        )
    managed = []
    for client_id in ids:
        if draw(st.booleans()):
            since = draw(days)
            until = draw(st.none() | pts.dates(since + dt.timedelta(days=1), D(2027, 1, 1)))
            managed.append(
                pt.ManagedService(
                    client=pt.ClientId(client_id),
                    since=since,
                    until=until,
                    partners=draw(st.integers(min_value=1, max_value=3)),
                )
            )
    return _book(deals, clients=clients, subscriptions=subscriptions, managed=managed)


# --- worked examples -----------------------------------------------------------------


def test_hubspot_grandfathering_worked_example() -> None:
    """Source: hubspot.com/partners/how-tiers-work, change of 2024-02-27, as summarised in
    domain.md section 2 ("Grandfathering"): Oct 2021 Marketing Hub Pro, 1,000 USD -> 30
    points; Mar 2024 sourced cross-sell of Sales Hub Pro, 1,000 USD -> 50 points; Apr 2024
    upsell of the Marketing Hub line -> 3 per 100 USD (500 USD -> 15 points)."""
    program = pt.load_program("hubspot-2024")
    book = _book(
        [
            _deal("mkt-2021", D(2021, 10, 15), "1000", line="marketing-hub"),
            _deal(
                "sales-2024",
                D(2024, 3, 15),
                "1000",
                kind=pt.DealKind.CROSS_SELL,
                line="sales-hub",
            ),
            _deal("mkt-up-2024", D(2024, 4, 15), "500", kind=pt.DealKind.UPSELL),
        ]
    )
    sold = _only_sold(pt.build_ledger(book, program))

    assert sold["sold:mkt-2021"].points == Decimal(30)
    assert sold["sold:sales-2024"].points == Decimal(50)
    assert sold["sold:mkt-up-2024"].points == Decimal(15)
    assert [batch.rate for batch in sold.values()] == [Decimal(3), Decimal(5), Decimal(3)]
    for batch in sold.values():
        assert batch.program == "hubspot-2024@2024-02-27"
    upsell_rule = sold["sold:mkt-up-2024"].rule
    assert "grandfathered" in upsell_rule
    assert "marketing-hub first sold on 2021-10-15" in upsell_rule
    assert "grandfathered" not in sold["sold:sales-2024"].rule
    assert "grandfathered" not in sold["sold:mkt-2021"].rule


def test_upsell_of_a_line_first_sold_after_the_change_earns_the_new_rate() -> None:
    """Source: domain.md section 2, grandfathering: the rate of 5 applies to lines first
    sold on or after 2024-02-27 "and to later upsells on those lines"."""
    program = pt.load_program("hubspot-2024")
    book = _book(
        [
            _deal("new", D(2024, 2, 27), "1000"),
            _deal("up", D(2024, 5, 1), "500", kind=pt.DealKind.UPSELL),
        ]
    )
    sold = _only_sold(pt.build_ledger(book, program))
    assert sold["sold:new"].points == Decimal(50)
    assert sold["sold:up"].points == Decimal(25)
    assert "grandfathered" not in sold["sold:up"].rule


def test_northwind_totals_by_hand(northwind: pt.Book) -> None:
    """The example book src/partner_tiers/data/northwind.json under hubspot-2025 on
    2025-09-30; rates and currency tables from domain.md section 2.

    Sold (12 calendar months of life):
      d-1 2023-09-14 and d-4 2024-06-03 have expired by 2025-09-30.
      d-2 upsell 300 EUR on 2024-10-01, table before 2025-07-15: EUR 75 per 100 USD
          => 400 USD; sourced, but marketing-hub was first sold on 2023-09-14, before
          2024-02-27, so the grandfathered rate 3 applies: 400 * 3 / 100 = 12.00.
      d-3 cross-sell 180 EUR on 2025-01-20: 240 USD, sourced rate 5 => 12.00.
      d-5 upsell 400 USD on 2025-02-11, assisted rate 3 => 12.00.
      sold 36.00 = sourced 24.00 (d-2, d-3) + assisted 12.00 (d-5).
    Managed on 2025-09-30 (table from 2025-07-15, EUR 88 per 100 USD; rounded per batch,
    half up, to 2 places):
      fabrikam marketing 1200 / 88 = 13.636.. -> 13.64
      fabrikam sales      180 / 88 =  2.045.. ->  2.05
      adatum (India, growth market x2) 1500 USD * 1/100 * 2 / 2 partners = 15.00
      managed 30.69; total 36.00 + 30.69 = 66.69.
    """
    ledger = pt.build_ledger(northwind, pt.load_program("hubspot-2025"))
    totals = ledger.totals(as_of=D(2025, 9, 30))
    assert totals.sold == Decimal("36.00")
    assert totals.sourced == Decimal("24.00")
    assert totals.assisted == Decimal("12.00")
    assert totals.managed == Decimal("30.69")
    assert totals.total == Decimal("66.69")

    sold = _only_sold(ledger)
    assert sold["sold:d-2"].points == Decimal("12.00")
    assert sold["sold:d-2"].mrr_usd == Decimal("400.00")
    assert sold["sold:d-2"].rate == Decimal(3)
    assert "grandfathered" in sold["sold:d-2"].rule
    assert sold["sold:d-3"].points == Decimal("12.00")
    assert sold["sold:d-3"].rate == Decimal(5)
    assert sold["sold:d-5"].points == Decimal("12.00")
    assert sold["sold:d-1"].expires_on == D(2024, 9, 14)
    assert sold["sold:d-4"].expires_on == D(2025, 6, 3)
    active_managed = sorted(
        batch.points for batch in ledger.active(D(2025, 9, 30)) if batch.track is pt.Track.MANAGED
    )
    assert active_managed == [Decimal("2.05"), Decimal("13.64"), Decimal("15.00")]
    adatum = ledger.totals(D(2025, 9, 30), client="c-adatum")
    assert adatum.managed == Decimal("15.00")
    assert ledger.totals_by_market(D(2025, 9, 30))[pt.Market.GROWTH].managed == Decimal("15.00")


def test_managed_points_follow_the_currency_table_of_the_day(northwind: pt.Book) -> None:
    """Source: domain.md section 2, currency tables: EUR 75 per 100 USD before
    2025-07-15, EUR 88 from then. Fabrikam's 1200 EUR marketing subscription counts
    1200 / 75 = 16.00 managed points on 2025-07-14 and 13.64 on 2025-07-15."""
    ledger = pt.build_ledger(northwind, pt.load_program("hubspot-2025"))
    before = ledger.totals(D(2025, 7, 14), client="c-fabrikam").managed
    after = ledger.totals(D(2025, 7, 15), client="c-fabrikam").managed
    assert before == Decimal("16.00") + Decimal("2.40")  # 180 / 75 = 2.40
    assert after == Decimal("13.64") + Decimal("2.05")


# --- expiry ---------------------------------------------------------------------------


def test_expiry_date_clips_a_leap_day_to_the_end_of_february() -> None:
    """Source: ExpiryRule docstring and domain.md section 2 (rolling 12 months)."""
    assert expiry_date(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert expiry_date(D(2024, 2, 29), 48) == D(2028, 2, 29)
    assert expiry_date(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert expiry_date(D(2024, 6, 3), 12) == D(2025, 6, 3)


def test_batch_earned_on_a_leap_day_counts_until_the_day_before_it_expires() -> None:
    program = pt.load_program("hubspot-2024")
    ledger = pt.build_ledger(_book([_deal("leap", D(2024, 2, 29), "1000")]), program)
    (batch,) = ledger.batches
    assert batch.earned_on == D(2024, 2, 29)
    assert batch.expires_on == D(2025, 2, 28)
    assert batch.active_on(D(2025, 2, 27))
    assert not batch.active_on(D(2025, 2, 28))
    assert ledger.totals(D(2025, 2, 27)).sold == batch.points == Decimal(50)
    assert ledger.totals(D(2025, 2, 28)).sold == 0
    assert ledger.totals(D(2024, 2, 28)).sold == 0


# --- negative batches -------------------------------------------------------------------


def _reduced_book() -> pt.Book:
    return _book(
        [
            _deal("a", D(2024, 3, 1), "1000", line="x"),
            _deal(
                "b",
                D(2024, 4, 1),
                "500",
                kind=pt.DealKind.UPSELL,
                motion=pt.SalesMotion.ASSISTED,
                line="x",
            ),
            _deal("other", D(2024, 4, 15), "100", line="y"),
            _deal("c", D(2024, 5, 1), "-700", kind=pt.DealKind.DOWNGRADE, line="x"),
            _deal("d", D(2024, 6, 1), "-5000", kind=pt.DealKind.CHURN, line="x"),
        ]
    )


def test_downgrade_offsets_the_newest_active_batches_of_its_line() -> None:
    """A downgrade of 700 USD takes the newest batch of the line first (b, 500 USD, 15
    points at the assisted rate 3), then 200 USD of a (sourced rate 5: 10 points)."""
    ledger = pt.build_ledger(_reduced_book(), pt.load_program("hubspot-2024"))
    batches = {batch.id: batch for batch in ledger}
    on_b = batches["sold:c:offsets:sold:b"]
    on_a = batches["sold:c:offsets:sold:a"]
    assert (on_b.points, on_b.offsets, on_b.expires_on) == (
        Decimal("-15.00"),
        "sold:b",
        batches["sold:b"].expires_on,
    )
    assert (on_a.points, on_a.offsets, on_a.expires_on) == (
        Decimal("-10.00"),
        "sold:a",
        batches["sold:a"].expires_on,
    )
    assert on_b.motion is pt.SalesMotion.ASSISTED
    assert on_a.motion is pt.SalesMotion.SOURCED
    assert on_a.mrr_usd == Decimal("-200.00")
    totals = ledger.totals(D(2024, 5, 1))
    assert totals.sold == Decimal(50 + 15 + 5 - 15 - 10)
    assert totals.assisted == 0
    # The other product line is untouched.
    assert not any(batch.offsets == "sold:other" for batch in ledger)


def test_churn_larger_than_what_is_active_reduces_only_what_is_active() -> None:
    ledger = pt.build_ledger(_reduced_book(), pt.load_program("hubspot-2024"))
    churn = [batch for batch in ledger if batch.origin == "d"]
    assert [(batch.offsets, batch.points) for batch in churn] == [("sold:a", Decimal("-40.00"))]
    assert churn[0].expires_on == D(2025, 3, 1)
    totals = ledger.totals(D(2024, 6, 1))
    assert totals.sold == Decimal(5)  # only line y is left
    assert ledger.totals(D(2024, 6, 1), client="c-1").sold_mrr_usd == Decimal(100)


def test_churn_does_not_touch_expired_batches() -> None:
    ledger = pt.build_ledger(
        _book(
            [
                _deal("old", D(2023, 1, 10), "1000"),
                _deal("new", D(2024, 3, 1), "100", kind=pt.DealKind.UPSELL),
                _deal("gone", D(2024, 4, 1), "-5000", kind=pt.DealKind.CHURN),
            ]
        ),
        pt.load_program("hubspot-2024"),
    )
    offsets = [batch.offsets for batch in ledger if batch.points < 0]
    assert offsets == ["sold:new"]


def test_reduction_in_another_currency_converts_by_the_table_of_its_day() -> None:
    """300 EUR at EUR 75 per 100 USD is 400 USD: a churn of 400 USD takes all of it."""
    program = pt.load_program("hubspot-2024")
    ledger = pt.build_ledger(
        _book(
            [
                _deal("eur", D(2024, 3, 1), "300", currency="EUR"),
                _deal("usd", D(2024, 4, 1), "-400", kind=pt.DealKind.CHURN),
            ]
        ),
        program,
    )
    assert ledger.totals(D(2024, 4, 1)).sold == 0
    assert ledger.totals(D(2024, 3, 31)).sold == Decimal(20)


@FAST
@given(
    _books(max_deals=10, max_clients=2, lines=LINES[:1], first=D(2024, 1, 1), last=D(2025, 6, 30))
)
def test_a_batch_and_its_offsets_never_sum_below_zero(book: pt.Book) -> None:
    ledger = pt.build_ledger(book, pt.load_program("hubspot-2025"))
    by_id = {batch.id: batch for batch in ledger}
    reduced: dict[str, Decimal] = {}
    for batch in ledger:
        if batch.points < 0 or batch.offsets is not None:
            assert batch.offsets is not None
            target = by_id[batch.offsets]
            assert batch.expires_on == target.expires_on
            assert batch.client == target.client
            assert target.active_on(batch.earned_on)
            reduced[target.id] = reduced.get(target.id, Decimal(0)) + batch.points
    for target_id, taken in reduced.items():
        assert by_id[target_id].points + taken >= 0
    sold_days = {batch.earned_on for batch in ledger} | {
        batch.expires_on for batch in ledger if batch.expires_on is not None
    }
    for day in sold_days:
        for client_totals in ledger.totals_by_client(day).values():
            assert client_totals.sold >= 0
            assert client_totals.sold_mrr_usd >= 0


# --- errors ---------------------------------------------------------------------------


def test_currency_missing_from_the_table_names_currency_date_and_deal() -> None:
    book = _book([_deal("d-chf", D(2024, 5, 2), "1000", currency="CHF")])
    with pytest.raises(pt.PricingError) as caught:
        pt.build_ledger(book, pt.load_program("hubspot-2025"))
    message = str(caught.value)
    assert "CHF" in message
    assert "2024-05-02" in message
    assert "d-chf" in message


def test_managed_subscription_in_a_missing_currency_names_the_client() -> None:
    subscription = pt.Subscription(
        id=pt.SubscriptionId("s-chf"),
        client=pt.ClientId("c-1"),
        product_line="service-hub",
        edition="professional",
        mrr=pt.Money("1000", "CHF"),
        started_on=D(2024, 1, 1),
        renews_on=D(2025, 1, 1),
    )
    book = _book(
        subscriptions=[subscription],
        managed=[pt.ManagedService(client=pt.ClientId("c-1"), since=D(2024, 1, 1))],
    )
    with pytest.raises(pt.PricingError) as caught:
        pt.build_ledger(book, pt.load_program("hubspot-2025"))
    message = str(caught.value)
    assert "managed service of c-1 (s-chf)" in message
    assert "currency CHF on 2024-01-01" in message


def test_deal_before_the_first_rate_row_is_an_error_when_not_priced_back() -> None:
    program = evolve(pt.load_program("hubspot-2024"), price_before_first_row=False)
    book = _book([_deal("early", D(2021, 10, 15), "1000")])
    with pytest.raises(pt.PricingError) as caught:
        pt.build_ledger(book, program)
    message = str(caught.value)
    assert "2021-10-15" in message
    assert "early" in message
    assert "2022-07-18" in message  # where the first row starts
    # The shipped program prices it by its first row instead.
    assert pt.build_ledger(book, pt.load_program("hubspot-2024")).batches[0].points == 30


def test_program_from_dict_without_pricing_back_refuses_early_deals() -> None:
    data = pt.program_to_dict(pt.load_program("hubspot-2022"))
    data["price_before_first_row"] = False
    program = pt.program_from_dict(data)
    with pytest.raises(pt.PricingError, match="2022-07-17"):
        pt.build_ledger(_book([_deal("eve", D(2022, 7, 17), "100")]), program)
    ledger = pt.build_ledger(_book([_deal("day", D(2022, 7, 18), "100")]), program)
    assert ledger.batches[0].points == 3


# --- properties -----------------------------------------------------------------------

_RATE_ROW_2024 = D(2024, 2, 27)
_CURRENCY_CHANGE = D(2025, 7, 15)


def _single_deal_points(
    amount: Decimal,
    *,
    day: dt.date,
    currency: str = "USD",
    country: str = "US",
    motion: pt.SalesMotion = pt.SalesMotion.SOURCED,
    program: str = "hubspot-2025",
) -> Decimal:
    book = _book(
        [_deal("only", day, amount, currency=currency, motion=motion)],
        clients=[_client(country=country)],
    )
    (batch,) = pt.build_ledger(book, pt.load_program(program)).batches
    return batch.points


@FAST
@given(
    amount=pts.amounts(Decimal("0.01"), 100_000),
    currency=st.sampled_from(pts.DEFAULT_CURRENCIES),
    day=pts.dates(_RATE_ROW_2024, _CURRENCY_CHANGE - dt.timedelta(days=1)),
    motion=st.sampled_from([pt.SalesMotion.SOURCED, pt.SalesMotion.ASSISTED]),
)
def test_points_are_linear_in_mrr_within_one_rate_row(
    amount: Decimal, currency: str, day: dt.date, motion: pt.SalesMotion
) -> None:
    once = _single_deal_points(amount, day=day, currency=currency, motion=motion)
    twice = _single_deal_points(amount * 2, day=day, currency=currency, motion=motion)
    assert abs(twice - 2 * once) <= CENT
    assert once >= 0


@FAST
@given(
    dollars=st.integers(min_value=1, max_value=1_000_000),
    day=pts.dates(D(2020, 1, 1), D(2030, 12, 31)),
    growth=st.sampled_from(pts.GROWTH_COUNTRIES),
    standard=st.sampled_from(pts.STANDARD_COUNTRIES),
    motion=st.sampled_from([pt.SalesMotion.SOURCED, pt.SalesMotion.ASSISTED]),
)
def test_growth_market_clients_earn_exactly_double(
    dollars: int, day: dt.date, growth: str, standard: str, motion: pt.SalesMotion
) -> None:
    """Source: domain.md section 2: "Customers in a growth market earn double"."""
    amount = Decimal(dollars)
    in_growth = _single_deal_points(amount, day=day, country=growth, motion=motion)
    in_standard = _single_deal_points(amount, day=day, country=standard, motion=motion)
    assert in_growth == 2 * in_standard
    assert in_standard > 0


@FAST
@given(_books(), pts.dates(D(2020, 1, 1), D(2027, 12, 31)))
def test_totals_are_the_sum_of_the_batches_active_on_the_day(book: pt.Book, day: dt.date) -> None:
    ledger = pt.build_ledger(book, pt.load_program("hubspot-2025"))
    window = {
        batch.id
        for batch in ledger
        if batch.earned_on <= day and (batch.expires_on is None or day < batch.expires_on)
    }
    assert {batch.id for batch in ledger.active(day)} == window
    for batch in ledger:
        if batch.earned_on > day or (batch.expires_on is not None and batch.expires_on <= day):
            assert not batch.active_on(day)
    totals = ledger.totals(day)
    active = [batch for batch in ledger if batch.id in window]
    assert totals.sold == sum((b.points for b in active if b.track is pt.Track.SOLD), Decimal(0))
    assert totals.managed == sum(
        (b.points for b in active if b.track is pt.Track.MANAGED), Decimal(0)
    )


@FAST
@given(_books(), pts.dates(D(2020, 1, 1), D(2027, 12, 31)))
def test_totals_by_client_sum_to_the_totals(book: pt.Book, day: dt.date) -> None:
    ledger = pt.build_ledger(book, pt.load_program("hubspot-2025"))
    by_client = ledger.totals_by_client(day).values()
    totals = ledger.totals(day)
    for name in ("sold", "sourced", "assisted", "managed", "total", "sold_mrr_usd"):
        summed = sum((getattr(client_totals, name) for client_totals in by_client), Decimal(0))
        assert summed == getattr(totals, name), name


@FAST
@given(
    mrr=pts.amounts(Decimal("0.01"), 200_000),
    currency=st.sampled_from(pts.DEFAULT_CURRENCIES),
    country=st.sampled_from(pts.DEFAULT_COUNTRIES),
    partners=st.integers(min_value=2, max_value=7),
)
def test_managed_split_among_partners_sums_back_to_the_whole(
    mrr: Decimal, currency: str, country: str, partners: int
) -> None:
    """Source: domain.md section 2: "When several partners service one client, managed
    credit is split evenly among them"; each share is rounded to 0.01."""
    program = pt.load_program("hubspot-2025")
    subscription = pt.Subscription(
        id=pt.SubscriptionId("s-1"),
        client=pt.ClientId("c-1"),
        product_line="service-hub",
        edition="professional",
        mrr=pt.Money(mrr, currency),
        started_on=D(2025, 8, 1),
        renews_on=D(2026, 8, 1),
    )

    def managed(count: int) -> Decimal:
        book = _book(
            clients=[_client(country=country)],
            subscriptions=[subscription],
            managed=[
                pt.ManagedService(client=pt.ClientId("c-1"), since=D(2025, 8, 1), partners=count)
            ],
        )
        return pt.build_ledger(book, program).totals(D(2025, 9, 1)).managed

    whole = managed(1)
    share = managed(partners)
    assert abs(share * partners - whole) <= partners * CENT
    assert share <= whole


# --- reductions, worked by hand -----------------------------------------------------------
#
# Under tests/_programs.PROGRAM: sourced 5 and assisted 3 points per 100 USD; EUR 88 per
# 100 USD. A downgrade or churn offsets the newest active batches of the client's product
# line first, each offset expiring with the batch it reduces.


def _offsets(*deals: pt.Deal) -> list[tuple[object, ...]]:
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(C1, "Client", "US", pt.Relationship.SOLD)],
        deals=deals,
    )
    ledger = pt.build_ledger(book, PROGRAM)
    for batch in ledger:
        assert (batch.program, batch.market, batch.client) == (
            "stateful@1",
            pt.Market.STANDARD,
            C1,
        )
    return [
        (b.id, b.points, b.mrr_usd, b.earned_on, b.expires_on, b.motion, b.rate, b.rule)
        for b in ledger
        if b.offsets is not None
    ]


EXPIRES_D1, EXPIRES_D2 = dt.date(2025, 1, 10), dt.date(2025, 2, 10)


def test_a_partial_downgrade_offsets_its_share_of_the_batch() -> None:
    # 1000 USD sourced = 50.00 points; -400 USD takes 400 / 1000 of them: 20.00.
    assert _offsets(
        c1_deal("d-1", "new", "sourced", JAN_10, "1000"),
        c1_deal("d-2", "downgrade", "sourced", MAR_1, "-400"),
    ) == [
        (
            "sold:d-2:offsets:sold:d-1",
            Decimal("-20.00"),
            Decimal("-400.00"),
            MAR_1,
            EXPIRES_D1,
            SOURCED,
            Decimal(5),
            "downgrade of -400 USD offsets 400 USD of sold:d-1: -20.00",
        )
    ]


def test_a_downgrade_offsets_the_newest_batch_first_then_older_ones() -> None:
    # -1000.50 USD: all of d-2 (1000 USD, 30.00 points), then 0.50 USD of d-1:
    # 50.00 x 0.50 / 1000 = 0.025 -> 0.03.
    assert _offsets(
        c1_deal("d-1", "new", "sourced", JAN_10, "1000"),
        c1_deal("d-2", "upsell", "assisted", FEB_10, "1000"),
        c1_deal("d-3", "downgrade", "assisted", MAR_1, "-1000.50"),
    ) == [
        (
            "sold:d-3:offsets:sold:d-1",
            Decimal("-0.03"),
            Decimal("-0.50"),
            MAR_1,
            EXPIRES_D1,
            SOURCED,
            Decimal(5),
            "downgrade of -1000.50 USD offsets 0.50 USD of sold:d-1: -0.03",
        ),
        (
            "sold:d-3:offsets:sold:d-2",
            Decimal("-30.00"),
            Decimal("-1000.00"),
            MAR_1,
            EXPIRES_D2,
            ASSISTED,
            Decimal(3),
            "downgrade of -1000.50 USD offsets 1000 USD of sold:d-2: -30.00",
        ),
    ]


def test_a_downgrade_used_up_by_the_newest_batch_leaves_older_ones_alone() -> None:
    offsets = _offsets(
        c1_deal("d-1", "new", "sourced", JAN_10, "1000"),
        c1_deal("d-2", "upsell", "assisted", FEB_10, "1000"),
        c1_deal("d-3", "downgrade", "assisted", MAR_1, "-1000"),
    )
    assert [offset[0] for offset in offsets] == ["sold:d-3:offsets:sold:d-2"]


def test_a_downgrade_in_another_currency_converts_through_the_table() -> None:
    # 880 EUR = 1000 USD = 50.00 points. -100 USD = 88 EUR: 5.00 points, 792 EUR left.
    # Churn of -2000 USD: the 792 EUR left (900 USD, 45.00 points), no more.
    assert _offsets(
        c1_deal("d-1", "new", "sourced", JAN_10, "880", "EUR"),
        c1_deal("d-2", "downgrade", "sourced", FEB_1, "-100"),
        c1_deal("d-3", "churn", "sourced", MAR_1, "-2000"),
    ) == [
        (
            "sold:d-2:offsets:sold:d-1",
            Decimal("-5.00"),
            Decimal("-100.00"),
            FEB_1,
            EXPIRES_D1,
            SOURCED,
            Decimal(5),
            "downgrade of -100 USD offsets 100 USD of sold:d-1: -5.00",
        ),
        (
            "sold:d-3:offsets:sold:d-1",
            Decimal("-45.00"),
            Decimal("-900.00"),
            MAR_1,
            EXPIRES_D1,
            SOURCED,
            Decimal(5),
            "churn of -2000 USD offsets 900 USD of sold:d-1: -45.00",
        ),
    ]


def test_a_batch_of_less_than_a_point_is_offset_too() -> None:
    assert _offsets(
        c1_deal("d-1", "new", "sourced", JAN_10, "10"),
        c1_deal("d-2", "churn", "sourced", FEB_1, "-10"),
    ) == [
        (
            "sold:d-2:offsets:sold:d-1",
            Decimal("-0.50"),
            Decimal("-10.00"),
            FEB_1,
            EXPIRES_D1,
            SOURCED,
            Decimal(5),
            "churn of -10 USD offsets 10 USD of sold:d-1: -0.50",
        )
    ]


def test_a_downgrade_in_a_currency_the_program_lacks_names_the_deal() -> None:
    with pytest.raises(pt.PricingError) as info:
        _offsets(
            c1_deal("d-1", "new", "sourced", JAN_10, "10"),
            c1_deal("d-2", "churn", "sourced", FEB_1, "-10", "GBP"),
        )
    # Issue 18 item 17: the path in the book, the accepted currencies and the fix.
    assert str(info.value) == (
        "deals[1].mrr_change.currency: deal d-2: currency GBP on 2024-02-01 is not in the "
        "currency table of stateful@1 in force since the beginning, which accepts EUR, JPY, "
        "USD; to price it, add a GBP currency row with a program that extends stateful "
        "(how-to: write and test your own program)"
    )
    assert info.value.problems[0].path == "deals[1].mrr_change.currency"


def test_an_offset_keeps_the_market_of_the_batch_it_reduces() -> None:
    client = pt.ClientId("c-in")
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(client, "Client", "IN", pt.Relationship.SOLD)],
        deals=[
            pt.Deal(pt.DealId("d-1"), client, "l", pt.DealKind.NEW, SOURCED, JAN_10,
                    pt.Money("1000", "USD")),
            pt.Deal(pt.DealId("d-2"), client, "l", pt.DealKind.DOWNGRADE, SOURCED, FEB_1,
                    pt.Money("-500", "USD")),
        ],
    )  # fmt: skip
    sale, offset = pt.build_ledger(book, PROGRAM)
    assert (sale.market, sale.points, sale.rate) == (
        pt.Market.GROWTH,
        Decimal("100.00"),
        Decimal(10),
    )
    assert (offset.market, offset.points) == (pt.Market.GROWTH, Decimal("-50.00"))


def test_an_offset_needs_the_currency_of_the_batch_it_reduces_in_todays_table() -> None:
    data = pt.program_to_dict(PROGRAM)
    data["currencies"].append({"effective_from": "2024-02-01", "per_100_usd": {"USD": "100"}})
    program = pt.program_from_dict(data)
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(C1, "Client", "US", pt.Relationship.SOLD)],
        deals=[
            c1_deal("d-1", "new", "sourced", JAN_10, "880", "EUR"),
            c1_deal("d-2", "downgrade", "sourced", MAR_1, "-100"),
        ],
    )
    with pytest.raises(pt.PricingError) as info:
        pt.build_ledger(book, program)
    # The missing currency is the reduced sale's: no path in the book names it for d-2.
    assert str(info.value).startswith(
        "deal d-2: currency EUR on 2024-03-01 is not in the currency table of stateful@1 "
        "in force since 2024-02-01, which accepts USD; "
    )


# --- rates worked by hand --------------------------------------------------------------------
#
# A program with HubSpot's two rate rows (3 / 3 / 1 and, from 2024-02-27, 5 / 3 / 1 with
# grandfathered upsells) and an unattributed rate of 1, unlike any other, so that every
# rate a deal can get is told apart.


def two_row_program(*, price_before_first_row: bool = False) -> pt.Program:
    data = pt.program_to_dict(PROGRAM)
    data["name"] = "two-rows"
    data["price_before_first_row"] = price_before_first_row
    data["rates"] = [
        {"effective_from": "2022-07-18", "sourced": "3", "assisted": "3", "unattributed": "1",
         "managed": "1"},
        {"effective_from": "2024-02-27", "sourced": "5", "assisted": "3", "unattributed": "1",
         "managed": "1", "grandfather_upsells": True},
    ]  # fmt: skip
    return pt.program_from_dict(data)


TWO_ROWS = two_row_program()


def _priced(*deals: pt.Deal, subscriptions: Sequence[pt.Subscription] = ()) -> dict[str, Decimal]:
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(C1, "Client", "US", pt.Relationship.SOLD)],
        deals=deals,
        subscriptions=subscriptions,
    )
    return {batch.id: batch.rate for batch in pt.build_ledger(book, TWO_ROWS)}


UPSELL = c1_deal("d-up", "upsell", "sourced", dt.date(2024, 4, 1), "100")


_LINE_OPENERS = [
    # A positive adjustment first sold the line, even of 0.50 USD: the upsell keeps 3.
    pytest.param(("adjustment", "none", dt.date(2023, 6, 1), "0.50"), 3, id="adjustment"),
    # A negative adjustment sells nothing: the line's first sale is the upsell itself.
    pytest.param(("adjustment", "none", dt.date(2023, 6, 1), "-5"), 5, id="negative-adjustment"),
    pytest.param(("new", "sourced", dt.date(2023, 6, 1), "100"), 3, id="new"),
    pytest.param(("new", "sourced", dt.date(2024, 3, 1), "100"), 5, id="new-after-row"),
]


@pytest.mark.parametrize(("first", "rate"), _LINE_OPENERS)
def test_an_upsell_keeps_the_rate_of_its_lines_first_sale(
    first: tuple[str, str, dt.date, str], rate: int
) -> None:
    kind, motion, day, amount = first
    assert _priced(c1_deal("d-0", kind, motion, day, amount), UPSELL)["sold:d-up"] == rate


def test_a_subscription_started_later_does_not_move_the_first_sale() -> None:
    started_later = pt.Subscription(
        pt.SubscriptionId("s-1"), C1, "sales-hub", "pro", pt.Money("100", "USD"),
        dt.date(2024, 3, 1), dt.date(2025, 3, 1),
    )  # fmt: skip
    rates = _priced(
        c1_deal("d-0", "new", "sourced", dt.date(2023, 1, 1), "100"),
        UPSELL,
        subscriptions=[started_later],
    )
    assert rates["sold:d-up"] == 3
    started_earlier = attrs.evolve(started_later, started_on=dt.date(2023, 1, 1))
    assert _priced(UPSELL, subscriptions=[started_earlier])["sold:d-up"] == 3


def test_a_grandfathered_upsell_keeps_the_rate_of_its_motion() -> None:
    assisted = attrs.evolve(UPSELL, motion=pt.SalesMotion.ASSISTED)
    first = c1_deal("d-0", "new", "sourced", dt.date(2023, 6, 1), "100")
    assert _priced(first, assisted)["sold:d-up"] == 3
    adjustment = c1_deal("d-adj", "adjustment", "none", dt.date(2024, 4, 1), "100")
    assert _priced(first, adjustment)["sold:d-adj"] == 1  # unattributed, of the 2022 row
    assert (
        _priced(c1_deal("d-adj", "adjustment", "none", dt.date(2024, 4, 1), "100"))["sold:d-adj"]
        == 1
    )


def test_on_one_day_a_sale_is_booked_before_the_reduction_of_it() -> None:
    # The downgrade's id sorts first, and the sale is under 1 USD: still the sale first.
    day = dt.date(2024, 4, 1)
    rates = _priced(
        c1_deal("d-b", "new", "sourced", day, "0.50"),
        c1_deal("d-a", "downgrade", "sourced", day, "-0.50"),
    )
    assert set(rates) == {"sold:d-b", "sold:d-a:offsets:sold:d-b"}


def test_a_growth_market_sale_says_so_in_its_rule() -> None:
    client = pt.ClientId("c-in")
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(client, "Client", "IN", pt.Relationship.SOLD)],
        deals=[pt.Deal(pt.DealId("d-1"), client, "l", pt.DealKind.NEW, SOURCED,
                       dt.date(2024, 4, 1), pt.Money("100", "USD"))],
    )  # fmt: skip
    [batch] = pt.build_ledger(book, TWO_ROWS)
    assert batch.rule == (
        "100 USD at 100 USD per 100 USD x 5 points per 100 USD x 2 (growth market IN) = 10.00 "
        "(sourced rate of the rows from 2024-02-27)"
    )


def _managed(
    program: pt.Program,
    since: dt.date,
    until: dt.date | None,
    *,
    started: dt.date,
    ended: dt.date | None = None,
    country: str = "IN",
    currency: str = "USD",
) -> list[pt.PointBatch]:
    client = pt.ClientId("c-m")
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(client, "Client", country, pt.Relationship.MANAGED)],
        subscriptions=[pt.Subscription(pt.SubscriptionId("s-m"), client, "l", "e",
                                       pt.Money("1000", currency), started, started,
                                       ended_on=ended)],
        managed_services=[pt.ManagedService(client, since, until)],
    )  # fmt: skip
    return list(pt.build_ledger(book, program))


def test_a_managed_batch_says_where_it_comes_from() -> None:
    [open_batch] = _managed(TWO_ROWS, dt.date(2024, 3, 1), None, started=dt.date(2024, 3, 1))
    assert (open_batch.program, open_batch.rate, open_batch.points) == (
        "two-rows@1",
        Decimal(2),
        Decimal("20.00"),
    )
    assert open_batch.origin == "managed service of c-m since 2024-03-01, s-m from 2024-03-01"
    [ended] = _managed(
        TWO_ROWS, dt.date(2024, 3, 1), dt.date(2024, 5, 1), started=dt.date(2024, 3, 1)
    )
    assert ended.origin == (
        "managed service of c-m since 2024-03-01, s-m from 2024-03-01 to 2024-05-01"
    )
    assert ended.expires_on == dt.date(2024, 5, 1)


def test_managed_points_start_with_the_first_rate_row_unless_the_program_prices_before() -> None:
    since = dt.date(2021, 1, 1)
    [strict] = _managed(TWO_ROWS, since, None, started=since)
    assert strict.earned_on == dt.date(2022, 7, 18)
    [priced] = _managed(two_row_program(price_before_first_row=True), since, None, started=since)
    assert priced.earned_on == since


def test_a_managed_period_that_ends_where_it_starts_earns_nothing() -> None:
    # The subscription ends on the day the service starts.
    assert _managed(TWO_ROWS, dt.date(2024, 6, 1), None, started=dt.date(2024, 1, 1),
                    ended=dt.date(2024, 6, 1)) == []  # fmt: skip


def test_a_managed_period_ending_on_a_rule_change_is_one_batch(hubspot_2025: pt.Program) -> None:
    # hubspot-2025's currency table changes on 2025-07-15: a period ending that day
    # lies wholly under the old table.
    # In EUR, whose amount per 100 USD changes that day, no second batch starts on it.
    for currency in ("USD", "EUR"):
        [batch] = _managed(hubspot_2025, dt.date(2025, 1, 1), dt.date(2025, 7, 15),
                           started=dt.date(2025, 1, 1), country="US",
                           currency=currency)  # fmt: skip
        assert (batch.earned_on, batch.expires_on) == (dt.date(2025, 1, 1), dt.date(2025, 7, 15))


def test_each_sales_motion_has_its_own_rate() -> None:
    [_, row] = TWO_ROWS.rates
    assert [row.sold_rate(motion) for motion in pt.SalesMotion] == [
        Decimal(5),  # sourced
        Decimal(3),  # assisted
        Decimal(1),  # none: unattributed
    ]
