"""Unit tests of the columnar pricing's integer arithmetic against the object path's
Decimal and dateutil arithmetic (the differential tests in test_columnar.py compare
whole ledgers)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import partner_tiers as pt
from partner_tiers import synthetic
from partner_tiers._engine.columnar import _expiry, _half_up, _share
from partner_tiers._engine.ladders import day_tests
from partner_tiers._engine.pricing import price_batches
from partner_tiers._model.dated import expiry_date
from partner_tiers._rules.compiled import CompiledProgram, _places, compile_program

DAYS = np.arange(dt.date(2019, 1, 1).toordinal(), dt.date(2029, 1, 1).toordinal())


@pytest.mark.parametrize("months", [1, 2, 11, 12, 13, 24, 36])
def test_calendar_months_on_arrays_equal_relativedelta(months: int) -> None:
    """Every day of ten years (leap days and month ends included) plus the window, as
    `expiry_date` (dateutil's relativedelta, clipped to the month's end) gives it."""
    tables = CompiledProgram(supported=True, expiry_starts=(1,), expiry_months=(months,))
    expected = [expiry_date(dt.date.fromordinal(day), months).toordinal() for day in DAYS.tolist()]
    assert _expiry(tables, DAYS).tolist() == expected


def test_the_expiry_window_in_force_on_each_day_applies() -> None:
    """A rule change on 2024-03-01 from 12 to 6 months: each sale takes its day's."""
    change = dt.date(2024, 3, 1).toordinal()
    tables = CompiledProgram(supported=True, expiry_starts=(1, change), expiry_months=(12, 6))
    expected = [
        expiry_date(dt.date.fromordinal(day), 12 if day < change else 6).toordinal()
        for day in DAYS.tolist()
    ]
    assert _expiry(tables, DAYS).tolist() == expected


@given(st.integers(0, 10**12), st.integers(1, 10**9))
def test_half_up_on_integers_is_decimal_half_up(numerator: int, denominator: int) -> None:
    """(2n + d) // (2d) is n / d rounded half up, exactly."""
    with localcontext() as context:
        context.prec = 60
        expected = (Decimal(numerator) / Decimal(denominator)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
    assert _half_up(numerator, denominator) == int(expected)


@given(st.integers(0, 10**9), st.integers(1, 10**7), st.integers(1, 10**7))
def test_share_of_a_partly_offset_batch_is_the_object_paths(
    value: int, take: int, amount: int
) -> None:
    """value x take / amount in hundredths, rounded as the object path rounds it: the
    share held as a 60-digit Decimal, then half up to the cent."""
    with localcontext() as context:
        context.prec = 60
        share = Decimal(take) / Decimal(amount)
        expected = (Decimal(value).scaleb(-2) * share).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    assert _share(value, take, amount) == int(expected.scaleb(2))


def test_share_at_an_exact_half_hundredth_follows_the_sixty_digit_share() -> None:
    """1.62 points x 7/12 is exactly 0.945: the exact rational rounds up to 0.95, but the
    object path multiplies by 7/12 held in 60 digits (a little below 7/12) and gets 0.94;
    _share gives the object path's answer."""
    assert _half_up(162 * 7, 12) == 95
    assert _share(162, 7, 12) == 94


def test_the_shares_the_two_roundings_part_on_follow_the_object_path() -> None:
    """15.18 points x 7/12 is exactly 8.855 as well: the 60-digit share gives 8.85."""
    assert _half_up(1518 * 7, 12) == 886
    assert _share(1518, 7, 12) == 885


def test_a_half_hundredth_that_the_sixty_digits_keep_rounds_up() -> None:
    """0.06 points x 1/12: the 60-digit product rounds back to exactly 0.005, and half
    up (not the context's half even) makes it 0.01."""
    assert _share(6, 1, 12) == 1


def test_a_days_thresholds_test_reads_reach_or_retain_as_asked() -> None:
    """`DayTests.on(k)` answers a tier's reach thresholds, or its retain thresholds when
    asked with retain=True, on the k-th day: the replay's `Met` contract."""
    program = pt.load_program("hubspot-2025")
    book = synthetic.book(20, 0)
    ledger = pt.build_ledger(book, program)
    days = ledger.event_days()
    tests = day_tests(program, ledger, days)
    assert tests is not None
    differ = [
        (tier, k)
        for tier in range(len(program.tiers))
        for k in range(len(days))
        if tests.reach[tier][k] != tests.keep[tier][k]
    ]
    assert differ  # retain minimums below reach: some day meets one and not the other
    for tier, k in differ:
        met = tests.on(k)
        assert met(tier, False) is tests.reach[tier][k]
        assert met(tier, True) is tests.keep[tier][k]


@pytest.mark.parametrize(
    ("value", "places"),
    [("100", 0), ("3", 0), ("2.50", 1), ("0.125", 3), ("75.123457", 6), ("1E+3", 0)],
)
def test_decimal_places_of_a_rule_value(value: str, places: int) -> None:
    """The places a value needs as an integer of the program's scale: trailing zeros and
    positive exponents need none."""
    assert _places(Decimal(value)) == places


def _tables(rate: str, per_100: str, multiplier: str = "2") -> CompiledProgram:
    row = pt.RateRow(
        dt.date(2024, 1, 1), Decimal(rate), Decimal(rate), Decimal(rate), Decimal(rate)
    )
    table = pt.CurrencyTable({"USD": Decimal(per_100)})
    countries: Any = {"IN"}  # the field's converter makes the frozenset
    growth = pt.GrowthMarkets(countries, Decimal(multiplier))
    return compile_program((row,), (table,), (growth,), (pt.ExpiryRule(),), (pt.RoundingRule(),))


def test_the_scale_is_the_most_places_any_value_needs() -> None:
    """Whole tens need no places (scale 1), one half needs one (scale 10)."""
    assert _tables("10", "100", "20").scale == 1
    assert _tables("0.5", "100").scale == 10
    assert _tables("3", "92.25").sold.tolist() == [[300], [300], [300]]


def test_a_negative_or_not_finite_value_is_left_to_the_object_path() -> None:
    """The integer tables refuse what they cannot price exactly (the program's own
    checks refuse a negative rate first; the tables do not rely on it)."""
    assert not _tables("-3", "100").supported
    assert not _tables("3", "100", "NaN").supported
    assert _tables("3", "100").supported


def test_a_custom_track_turns_the_days_tests_off() -> None:
    """A version with a custom track has its thresholds tested day by day from its
    track values: `day_tests` gives None for it, and the arrays for the built-in one."""
    builtin = pt.load_program("hubspot-2025")
    registry = builtin.registry.with_track("clients", lambda context, params: Decimal(3))
    tracks = (*builtin.tracks, pt.TrackSpec("clients"))
    custom = attrs.evolve(builtin, registry=registry, tracks=tracks)
    ledger = pt.build_ledger(synthetic.book(20, 0), builtin)
    days = ledger.event_days()
    assert day_tests(builtin, ledger, days) is not None
    assert day_tests(custom, ledger, days) is None


def _managed_book(client: str, subscription: str, *, managed: bool = True) -> pt.Book:
    day = dt.date(2024, 1, 1)
    client_id = pt.ClientId(client)
    return pt.Book(
        pt.Partner(pt.PartnerId("p"), "P", "US", day),
        clients=[pt.Client(client_id, "C", "US", pt.Relationship.SOLD_AND_MANAGED)],
        subscriptions=[
            pt.Subscription(
                pt.SubscriptionId(subscription),
                client_id,
                "marketing-hub",
                "pro",
                pt.Money("1000", "USD"),
                day,
                dt.date(2025, 1, 1),
            )
        ],
        managed_services=[pt.ManagedService(client_id, day)] if managed else [],
    )


@pytest.mark.parametrize(
    ("client", "subscription", "managed", "columnar"),
    [
        ("c-1", "s-1", True, True),
        ("c:1", "s-1", True, False),  # a managed batch's id joins the ids with colons
        ("c-1", "s:1", True, False),
        ("c-1", "s:1", False, True),  # no managed service: no managed batch id
    ],
)
def test_ids_that_could_collide_send_the_book_to_the_object_path(
    client: str, subscription: str, *, managed: bool, columnar: bool
) -> None:
    """Colons in a managed client's or subscription's id could make two managed batch
    ids equal, which the object path refuses; such books are priced the object way,
    and either way the totals are the same."""
    book = _managed_book(client, subscription, managed=managed)
    program = pt.load_program("hubspot-2025")
    ledger = pt.build_ledger(book, program)
    assert (ledger._events is not None) is columnar
    oracle = pt.PointsLedger(price_batches(book, program))
    for day in (dt.date(2024, 6, 1), dt.date(2025, 6, 1)):
        assert repr(ledger.totals(day)) == repr(oracle.totals(day))


def test_a_sale_below_one_unit_keeps_its_place_among_the_days_sales() -> None:
    """Two sales of one line on one day, then a downgrade: the newest sale by id is
    offset first, whatever the amounts (0.50 USD is a sale like any other)."""
    day, later = dt.date(2024, 3, 1), dt.date(2024, 4, 1)
    client = pt.ClientId("c-1")

    def deal(name: str, kind: pt.DealKind, on: dt.date, amount: str) -> pt.Deal:
        return pt.Deal(
            pt.DealId(name), client, "sales-hub", kind, pt.SalesMotion.SOURCED, on,
            pt.Money(amount, "USD"),
        )  # fmt: skip

    book = pt.Book(
        pt.Partner(pt.PartnerId("p"), "P", "US", dt.date(2024, 1, 1)),
        clients=[pt.Client(client, "C", "US", pt.Relationship.SOLD)],
        deals=[
            deal("a", pt.DealKind.NEW, day, "0.50"),
            deal("b", pt.DealKind.UPSELL, day, "100"),
            deal("c", pt.DealKind.DOWNGRADE, later, "-0.25"),
        ],
    )
    program = pt.load_program("hubspot-2025")
    ledger = pt.build_ledger(book, program)
    oracle = pt.PointsLedger(price_batches(book, program))
    assert ledger._events is not None
    [offset] = [batch for batch in oracle.batches if batch.offsets is not None]
    assert offset.offsets == "sold:b"  # the newest by id on the day
    assert repr(ledger.totals(later)) == repr(oracle.totals(later))


def test_six_places_are_priced_on_integers_and_seven_are_not() -> None:
    """The integer tables take values up to six decimal places (scale 10**6)."""
    six = _tables("0.123456", "100")
    assert six.supported
    assert six.scale == 10**6
    assert not _tables("0.1234567", "100").supported


def _service_book(since: dt.date, until: dt.date | None) -> pt.Book:
    client = pt.ClientId("c-1")
    return pt.Book(
        pt.Partner(pt.PartnerId("p"), "P", "US", dt.date(2020, 1, 1)),
        clients=[pt.Client(client, "C", "US", pt.Relationship.SOLD_AND_MANAGED)],
        subscriptions=[
            pt.Subscription(
                pt.SubscriptionId("s-1"), client, "marketing-hub", "pro",
                pt.Money("1000", "USD"), dt.date(2020, 1, 1), dt.date(2027, 1, 1),
            )
        ],
        managed_services=[pt.ManagedService(client, since, until=until)],
    )  # fmt: skip


FIRST_ROW = dt.date(2022, 7, 18)  # hubspot-2025's first rate row
BOUNDARY = dt.date(2024, 2, 27)  # where its next rate row takes over


@pytest.mark.parametrize(
    ("since", "until", "before_first_row"),
    [
        (dt.date(2021, 1, 1), None, False),  # cut to the first row, on integers
        (dt.date(2021, 1, 1), FIRST_ROW, False),  # ends where pricing starts: nothing
        (dt.date(2021, 1, 1), None, True),
        (BOUNDARY, None, True),  # starts on a rule boundary
        (dt.date(2023, 1, 1), BOUNDARY, True),  # ends on one
    ],
)
def test_managed_periods_at_the_edges_of_the_rules_are_priced_on_integers(
    since: dt.date, until: dt.date | None, *, before_first_row: bool
) -> None:
    """A managed period that starts before a program's first rate row, or starts or
    ends on a day a rule changes, is cut as the object path cuts it, on the columnar
    path: the same batches, event days and totals."""
    shipped = pt.load_program("hubspot-2025")
    # The managed rate doubles on BOUNDARY, so the pieces on either side differ.
    rates = (shipped.rates[0], attrs.evolve(shipped.rates[1], managed=Decimal(2)))
    program = attrs.evolve(shipped, price_before_first_row=before_first_row, rates=rates)
    book = _service_book(since, until)
    ledger = pt.build_ledger(book, program)
    oracle = pt.PointsLedger(price_batches(book, program))
    assert ledger._events is not None
    assert len(ledger) == len(oracle)
    assert ledger.event_days() == oracle.event_days()
    for day in (*oracle.event_days(), dt.date(2021, 6, 1), dt.date(2026, 6, 1)):
        assert repr(ledger.totals(day)) == repr(oracle.totals(day))


def _line_book(*deals: tuple[str, pt.DealKind, dt.date, str]) -> pt.Book:
    client = pt.ClientId("c-1")
    return pt.Book(
        pt.Partner(pt.PartnerId("p"), "P", "US", dt.date(2024, 1, 1)),
        clients=[pt.Client(client, "C", "US", pt.Relationship.SOLD)],
        deals=[
            pt.Deal(pt.DealId(name), client, "sales-hub", kind, pt.SalesMotion.SOURCED, day,
                    pt.Money(amount, "USD"))
            for name, kind, day, amount in deals
        ],
    )  # fmt: skip


def _same_as_the_object_path(book: pt.Book) -> pt.PointsLedger:
    program = pt.load_program("hubspot-2025")
    ledger = pt.build_ledger(book, program)
    oracle = pt.PointsLedger(price_batches(book, program))
    assert ledger._events is not None
    assert len(ledger) == len(oracle)
    assert ledger.event_days() == oracle.event_days()
    for day in oracle.event_days():
        assert repr(ledger.totals(day)) == repr(oracle.totals(day))
    return oracle


def test_a_reduction_takes_its_last_cent_from_the_next_sale() -> None:
    """-1.01 USD after two sales of 1.00: the newest sale is used up and one cent of
    MRR comes off the other."""
    day, later = dt.date(2024, 3, 1), dt.date(2024, 4, 1)
    oracle = _same_as_the_object_path(
        _line_book(
            ("a", pt.DealKind.NEW, day, "1.00"),
            ("b", pt.DealKind.UPSELL, day, "1.00"),
            ("c", pt.DealKind.DOWNGRADE, later, "-1.01"),
        )
    )
    offsets = [(b.offsets, b.mrr_usd) for b in oracle.batches if b.offsets is not None]
    assert offsets == [("sold:a", Decimal("-0.01")), ("sold:b", Decimal("-1.00"))]


def test_a_sale_expiring_on_the_day_of_a_reduction_is_not_offset() -> None:
    """A sale of 2024-01-10 counts until 2025-01-10 (exclusive): a downgrade on that day
    finds nothing to offset."""
    oracle = _same_as_the_object_path(
        _line_book(
            ("a", pt.DealKind.NEW, dt.date(2024, 1, 10), "100"),
            ("b", pt.DealKind.DOWNGRADE, dt.date(2025, 1, 10), "-50"),
        )
    )
    assert [batch.id for batch in oracle.batches] == ["sold:a"]


def test_the_last_quarter_of_a_sale_takes_what_is_left_not_its_share() -> None:
    """1.00 USD (0.05 points) taken back in four quarters: each of the first three takes
    its share, 0.0125 rounded to 0.01; the last, which uses the sale up, takes the 0.02
    left, so the sale ends at exactly zero."""
    days = [dt.date(2024, month, 1) for month in (3, 4, 5, 6, 7)]
    oracle = _same_as_the_object_path(
        _line_book(
            ("a", pt.DealKind.NEW, days[0], "1.00"),
            *((f"d{n}", pt.DealKind.DOWNGRADE, days[n], "-0.25") for n in range(1, 5)),
        )
    )
    taken = [b.points for b in oracle.batches if b.offsets is not None]
    assert taken == [Decimal("-0.01")] * 3 + [Decimal("-0.02")]


def test_an_older_sale_with_a_longer_window_is_offset_when_the_newer_has_expired() -> None:
    """Expiry windows of 24 months, then 12 from 2024-06-01: a sale of 2024-01-10 counts
    until 2026, one of 2024-07-01 only until 2025-07-01; a downgrade on 2025-08-01 walks
    past the expired newer sale to the older one."""
    program = attrs.evolve(
        pt.load_program("hubspot-2025"),
        expiry=(pt.ExpiryRule(24), pt.ExpiryRule(12, effective_from=dt.date(2024, 6, 1))),
    )
    book = _line_book(
        ("a", pt.DealKind.NEW, dt.date(2024, 1, 10), "100"),
        ("b", pt.DealKind.UPSELL, dt.date(2024, 7, 1), "100"),
        ("c", pt.DealKind.DOWNGRADE, dt.date(2025, 8, 1), "-50"),
    )
    ledger = pt.build_ledger(book, program)
    oracle = pt.PointsLedger(price_batches(book, program))
    assert ledger._events is not None
    assert [b.offsets for b in oracle.batches if b.offsets is not None] == ["sold:a"]
    for day in oracle.event_days():
        assert repr(ledger.totals(day)) == repr(oracle.totals(day))


def test_a_sale_on_the_day_a_rate_row_starts_takes_that_rows_rate() -> None:
    """hubspot-2025's 5-point sourced row starts on 2024-02-27: a new line sold that
    very day earns 5 per 100 USD (1,000 USD: 50 points), not the row before's 3."""
    oracle = _same_as_the_object_path(
        _line_book(("a", pt.DealKind.NEW, dt.date(2024, 2, 27), "1000"))
    )
    assert [batch.points for batch in oracle.batches] == [Decimal("50.00")]


def test_grandfathering_takes_the_row_in_force_on_the_lines_first_sale_day() -> None:
    """Three rows (3, 4 and 5 sourced points; the last grandfathers upsells): a line
    first sold on the day the middle row starts keeps the middle row's 4 points."""
    shipped = pt.load_program("hubspot-2025")
    middle = attrs.evolve(shipped.rates[0], effective_from=dt.date(2023, 7, 1), sourced=Decimal(4))
    program = attrs.evolve(shipped, rates=(shipped.rates[0], middle, shipped.rates[1]))
    book = _line_book(
        ("a", pt.DealKind.NEW, dt.date(2023, 7, 1), "1000"),
        ("b", pt.DealKind.UPSELL, dt.date(2024, 3, 1), "1000"),
    )
    ledger = pt.build_ledger(book, program)
    oracle = pt.PointsLedger(price_batches(book, program))
    assert ledger._events is not None
    assert [batch.points for batch in oracle.batches] == [Decimal("40.00")] * 2
    for day in oracle.event_days():
        assert repr(ledger.totals(day)) == repr(oracle.totals(day))


def _six_place_eur(per_100: str) -> pt.Program:
    """hubspot-2025 with one currency table: EUR at ``per_100`` per 100 USD."""
    shipped = pt.load_program("hubspot-2025")
    table = attrs.evolve(shipped.currencies[0], per_100_usd={"EUR": Decimal(per_100)})
    return attrs.evolve(shipped, currencies=(table,))


@pytest.mark.parametrize(
    ("per_100", "amount"),
    [
        ("75.123457", "100000000.00"),  # points: cents x rate x multiplier overflows
        ("30030000.123456", "100.00"),  # the denominator, per_100 x scale, overflows
    ],
)
def test_what_would_overflow_int64_is_priced_the_object_way(per_100: str, amount: str) -> None:
    """Under a six-place currency table (scale 10**6) a huge amount, or a huge amount
    per 100 USD, would overflow int64: such books go to the object path, with the same
    totals."""
    program = _six_place_eur(per_100)
    client = pt.ClientId("c-1")
    book = pt.Book(
        pt.Partner(pt.PartnerId("p"), "P", "US", dt.date(2024, 1, 1)),
        clients=[pt.Client(client, "C", "IN", pt.Relationship.SOLD)],
        deals=[
            pt.Deal(pt.DealId("a"), client, "sales-hub", pt.DealKind.NEW,
                    pt.SalesMotion.SOURCED, dt.date(2024, 3, 1), pt.Money(amount, "EUR"))
        ],
    )  # fmt: skip
    ledger = pt.build_ledger(book, program)
    oracle = pt.PointsLedger(price_batches(book, program))
    assert ledger._events is None
    assert repr(ledger.totals(dt.date(2024, 4, 1))) == repr(oracle.totals(dt.date(2024, 4, 1)))


@pytest.mark.parametrize(
    ("per_100", "mrr"),
    [
        ("75.123457", "100000000.00"),  # points: cents x rate x multiplier overflows
        ("30030000.123456", "100.00"),  # the denominator, per_100 x scale, overflows
    ],
)
def test_managed_service_that_would_overflow_int64_is_priced_the_object_way(
    per_100: str, mrr: str
) -> None:
    """The managed twin of the test above: a managed subscription's huge MRR, or a huge
    amount per 100 USD, under a six-place currency table sends the book to the object
    path, with the same totals."""
    program = _six_place_eur(per_100)
    client = pt.ClientId("c-1")
    book = pt.Book(
        pt.Partner(pt.PartnerId("p"), "P", "US", dt.date(2024, 1, 1)),
        clients=[pt.Client(client, "C", "US", pt.Relationship.SOLD_AND_MANAGED)],
        subscriptions=[
            pt.Subscription(
                pt.SubscriptionId("s-1"), client, "marketing-hub", "pro",
                pt.Money(mrr, "EUR"), dt.date(2024, 1, 1), dt.date(2027, 1, 1),
            )
        ],
        managed_services=[pt.ManagedService(client, dt.date(2024, 3, 1))],
    )  # fmt: skip
    ledger = pt.build_ledger(book, program)
    oracle = pt.PointsLedger(price_batches(book, program))
    assert ledger._events is None
    day = dt.date(2024, 4, 1)
    assert repr(ledger.totals(day)) == repr(oracle.totals(day))
