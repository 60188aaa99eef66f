"""Differential tests: the columnar pricing against the object path, answer for answer.

`partner_tiers._engine.pricing.build_ledger` prices a book into integer event rows
(`partner_tiers._engine.columnar.price_rows`, summed by `partner_tiers._ledger.events`)
and makes its `PointBatch` records only when they are asked for; it steps aside to the
object path when the integers cannot price the book exactly. The object path,
``PointsLedger(price_batches(book, program))``, is the oracle. Everything the ledger
answers and every status built on it must be the same, Decimals printed alike:
``Decimal('0')`` (no batch has touched a figure) and ``Decimal('0.00')`` (one has,
netting to zero) are equal but print differently, so these tests compare ``repr``.

Sources: the columnar contract in the docstrings of `partner_tiers._engine.columnar`,
`partner_tiers._ledger.events` and `PointsLedger`; the books from
`partner_tiers.testing.strategies` and `partner_tiers.synthetic`; the shipped programs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import partner_tiers as pt
from partner_tiers import synthetic
from partner_tiers._engine import pricing
from partner_tiers._ledger.ledger import PointsLedger
from partner_tiers.testing import strategies as pts

D = dt.date
ONE_DAY = dt.timedelta(days=1)
FAR_PAST, FAR_FUTURE = D(1990, 1, 1), D(2100, 1, 1)
FEW = settings(max_examples=40, deadline=None)
SOME = settings(max_examples=60, deadline=None)

PROGRAMS: dict[str, pt.Program | pt.ProgramSeries] = {
    name: pt.load_program(name) for name in pt.list_programs()
}
SINGLE: dict[str, pt.Program] = {
    name: program for name, program in PROGRAMS.items() if isinstance(program, pt.Program)
}
SERIES = PROGRAMS["hubspot"]
EVERY = sorted(PROGRAMS)
PUBLIC_FIELDS = [
    field.name for field in attrs.fields(pt.TierStatus) if not field.name.startswith("_")
]
STATUS_DAYS = (D(2023, 6, 30), D(2024, 1, 1), D(2024, 2, 27), D(2025, 7, 15), D(2026, 6, 30))


# --- the oracle and the comparisons ----------------------------------------------------


def _kept(batch: pt.PointBatch, start: dt.date | None, end: dt.date | None) -> list[pt.PointBatch]:
    """What a series keeps of a version's batch (the module docstring of
    `partner_tiers._engine.ledgers`): a sold batch earned in the version's days; the part
    of a managed piece inside them, a piece cut at a switch day named ``id@day``."""
    if batch.track is pt.Track.SOLD:
        inside = (start is None or start <= batch.earned_on) and (
            end is None or batch.earned_on < end
        )
        return [batch] if inside else []
    first = batch.earned_on if start is None else max(batch.earned_on, start)
    ends = [day for day in (batch.expires_on, end) if day is not None]
    last = min(ends) if ends else None
    if last is not None and last <= first:
        return []
    name = batch.id if first == batch.earned_on else f"{batch.id}@{first}"
    return [attrs.evolve(batch, id=name, earned_on=first, expires_on=last)]


def oracle(book: pt.Book, program: pt.Program | pt.ProgramSeries) -> PointsLedger:
    """The object path's ledger: batches from `price_batches`, no event rows. Under a
    series every version prices the whole book and keeps what falls in its days."""
    if isinstance(program, pt.Program):
        return PointsLedger(pricing.price_batches(book, program))
    return PointsLedger(
        kept
        for window in program.windows()
        for batch in pricing.price_batches(book, window.program)
        for kept in _kept(batch, window.start, window.end)
    )


def columnar(book: pt.Book, program: pt.Program | pt.ProgramSeries) -> PointsLedger:
    """The ledger under test: the public `build_ledger` (a single program goes straight
    to `partner_tiers._engine.pricing.build_ledger`)."""
    return pt.build_ledger(book, program)


def outcome(make: Callable[[], Any]) -> tuple[str, ...]:
    """What ``make`` gives, as text: ``("ok", repr)`` or ``("raised", type, message)``."""
    try:
        value = make()
    except pt.PartnerTiersError as error:
        return ("raised", type(error).__name__, str(error))
    return ("ok", repr(value))


def probe_days(event_days: Iterable[dt.date]) -> list[dt.date]:
    """Every event day, the day before each, and two days far outside the book."""
    days = {FAR_PAST, FAR_FUTURE}
    for day in event_days:
        days.update((day, day - ONE_DAY))
    return sorted(days)


def spread(days: Sequence[dt.date], most: int) -> list[dt.date]:
    """At most about ``most`` of the days, evenly spread, the first and last included."""
    step = max(1, len(days) // most)
    return sorted({*days[::step], days[0], days[-1]}) if days else []


def assert_same_ledger(got: PointsLedger, expected: PointsLedger) -> None:
    """Every answer of ``got`` is the oracle's, printed alike; a columnar ``got`` answers
    its totals, length, event days and expiring sums without making its batches."""
    is_columnar = got._events is not None
    assert len(got) == len(expected)
    days = expected.event_days()
    assert got.event_days() == days
    probes = probe_days(days)
    for day in probes:
        assert repr(got.totals(day)) == repr(expected.totals(day)), f"totals on {day}"
    for day in spread(probes, 40):
        for review in (day + ONE_DAY, day + dt.timedelta(days=183), day + dt.timedelta(days=400)):
            assert repr(got.sold_expiring(day, review)) == repr(
                expected.sold_expiring(day, review)
            ), f"sold_expiring({day}, {review})"
    if is_columnar:
        assert got._batches is None, "a total or an expiring sum made the batches"
    assert got.batches == expected.batches
    assert isinstance(got.batches, tuple)
    assert got.clients() == expected.clients()
    for day in spread(probes, 12):
        for client in expected.clients()[:2]:
            assert repr(got.totals(day, client=client)) == repr(
                expected.totals(day, client=client)
            ), f"totals of {client} on {day}"
        for market in pt.Market:
            assert repr(got.totals(day, market=market)) == repr(
                expected.totals(day, market=market)
            ), f"totals of {market} on {day}"
    if days:
        assert repr(got.movements(days[0], days[-1])) == repr(expected.movements(days[0], days[-1]))


def assert_same_pricing(book: pt.Book, program: pt.Program | pt.ProgramSeries) -> PointsLedger:
    """Both paths refuse the book alike, or give the same ledger (returned)."""
    refused = outcome(lambda: oracle(book, program).batches)
    if refused[0] == "raised":
        assert outcome(lambda: columnar(book, program).batches) == refused
        assert outcome(lambda: columnar(book, program).totals(FAR_FUTURE)) == refused
        return PointsLedger()
    got = columnar(book, program)
    assert_same_ledger(got, oracle(book, program))
    return got


def assert_same_status(got: pt.TierStatus, expected: pt.TierStatus) -> None:
    """Every public field printed alike (history and gates included), and the same
    explanation text."""
    for name in PUBLIC_FIELDS:
        assert repr(getattr(got, name)) == repr(getattr(expected, name)), name
    assert got.history == expected.history
    assert str(got.explain()) == str(expected.explain())
    assert got.reasons == expected.reasons


def assert_same_evaluation(
    book: pt.Book, program: pt.Program | pt.ProgramSeries, days: Sequence[dt.date]
) -> None:
    """`evaluate` and `statuses` on the columnar ledger against the oracle ledger."""
    expected_ledger = oracle(book, program)
    for day in days[:2]:
        got = pt.evaluate(book, program, as_of=day)
        expected = pt.evaluate(book, program, as_of=day, ledger=expected_ledger)
        assert got._ledger is not None
        assert_same_status(got, expected)
    got_all = pt.statuses(book, program, days)
    expected_all = pt.statuses(book, program, days, ledger=expected_ledger)
    assert [status.as_of for status in got_all] == sorted(set(days))
    assert len(got_all) == len(expected_all)
    for got, expected in zip(got_all, expected_all, strict=True):
        assert_same_status(got, expected)


# --- books and programs built to reach the integer path's edges ------------------------

_SHARED_DAYS = [D(2023, 1, 1) + dt.timedelta(days=n) for n in range(0, 1100, 41)]
_DAY = st.sampled_from(_SHARED_DAYS) | pts.dates(D(2022, 6, 1), D(2025, 12, 31))
_CENTS = st.integers(1, 400) | st.integers(1, 3_000_000)
_RATE = st.sampled_from([Decimal(v) for v in ("0", "0.25", "0.5", "1", "1.5", "3", "5")])
_PER_100 = st.sampled_from([Decimal(v) for v in ("100", "75", "62.50", "88", "130", "14400")])
_MULTIPLIER = st.sampled_from([Decimal(v) for v in ("2", "1.5", "0.5", "3")])
_US, _IN = pt.ClientId("c-us"), pt.ClientId("c-in")
_LINES = [(client, line) for client in (_US, _IN) for line in ("sales-hub", "marketing-hub")]


@st.composite
def edge_programs(draw: st.DrawFn) -> pt.Program:
    """hubspot-2025 (two rate rows, the second grandfathering; two currency tables)
    with drawn fractional rates, per-100-USD amounts, a growth list and an expiry
    window that change on drawn days: half-cent points, partial offsets, cut pieces."""
    base = SINGLE["hubspot-2025"]
    rates = tuple(
        attrs.evolve(
            row,
            sourced=draw(_RATE),
            assisted=draw(_RATE),
            unattributed=draw(_RATE),
            managed=draw(_RATE),
        )
        for row in base.rates
    )
    tables = tuple(
        attrs.evolve(table, per_100_usd={"USD": Decimal(100), "EUR": draw(_PER_100)})
        for table in base.currencies
    )
    growth: dict[str, Any] = {  # from a drawn day, India alone
        "countries": frozenset({"IN"}),
        "multiplier": draw(_MULTIPLIER),
        "effective_from": draw(st.sampled_from(_SHARED_DAYS)),
    }
    return attrs.evolve(
        base,
        rates=rates,
        currencies=tables,
        growth_markets=(attrs.evolve(base.growth_markets[0], **growth),),
        expiry=(
            pt.ExpiryRule(draw(st.integers(1, 18))),
            pt.ExpiryRule(draw(st.integers(1, 18)), effective_from=D(2024, 6, 1)),
        ),
        price_before_first_row=draw(st.booleans()),
    )


@st.composite
def edge_books(draw: st.DrawFn) -> pt.Book:
    """Two clients (one in a growth market), two lines each in one currency per line,
    up to 14 deals of a cent to 30,000 on shared days (ties in the pricing order), and
    maybe a managed subscription with a stepped MRR history shared by up to 3 partners."""
    currency = {line: draw(st.sampled_from(("USD", "EUR"))) for line in _LINES}
    numbers = draw(st.lists(st.integers(0, 999), min_size=1, max_size=14, unique=True))
    deals = []
    for number in numbers:
        client, line = draw(st.sampled_from(_LINES))
        kind = draw(st.sampled_from(pt.DealKind))
        amount = Decimal(draw(_CENTS)).scaleb(-2)
        if kind.reduces or (kind is pt.DealKind.ADJUSTMENT and draw(st.booleans())):
            amount = -amount
        motion = (
            pt.SalesMotion.NONE
            if kind is pt.DealKind.ADJUSTMENT
            else draw(st.sampled_from((pt.SalesMotion.SOURCED, pt.SalesMotion.ASSISTED)))
        )
        deals.append(
            pt.Deal(
                pt.DealId(f"d-{number}"),
                client,
                line,
                kind,
                motion,
                draw(_DAY),
                pt.Money(amount, currency[(client, line)]),
            )
        )
    subscriptions, services = [], []
    if draw(st.booleans()):
        start = draw(st.sampled_from(_SHARED_DAYS))
        history = [pt.MrrEntry(start, pt.Money(Decimal(draw(_CENTS)).scaleb(-2), "EUR"))]
        for gap, cents in draw(
            st.lists(st.tuples(st.integers(1, 300), st.integers(0, 3_000_000)), max_size=4)
        ):
            history.append(
                pt.MrrEntry(
                    history[-1].since + dt.timedelta(days=gap),
                    pt.Money(Decimal(cents).scaleb(-2), "EUR"),
                )
            )
        ended = draw(st.none() | st.sampled_from(_SHARED_DAYS).filter(lambda day: day > start))
        subscriptions.append(
            pt.Subscription(
                pt.SubscriptionId("s-1"),
                _IN,
                "service-hub",
                "professional",
                history[-1].mrr,
                start,
                start,
                ended_on=ended,
                mrr_history=tuple(history),
            )
        )
        since = draw(st.sampled_from(_SHARED_DAYS))
        until = draw(st.none() | st.sampled_from(_SHARED_DAYS).filter(lambda day: day > since))
        services.append(pt.ManagedService(_IN, since, until, partners=draw(st.integers(1, 3))))
    return pt.Book(
        pt.Partner(pt.PartnerId("p-edge"), "Partner", "DE", D(2022, 1, 1)),
        clients=[
            pt.Client(_US, "US client", "US", pt.Relationship.SOLD),
            pt.Client(_IN, "Indian client", "IN", pt.Relationship.SOLD_AND_MANAGED),
        ],
        deals=deals,
        subscriptions=subscriptions,
        managed_services=services,
    )


@st.composite
def generated_pairs(draw: st.DrawFn) -> tuple[pt.Book, pt.Program]:
    """A program from `pts.programs`, rounding half up to the cent (so the integers may
    price it), and a book in the currencies of its table."""
    program = attrs.evolve(draw(pts.programs(max_tiers=3)), rounding=(pt.RoundingRule(),))
    currencies = sorted(program.currencies[0].per_100_usd)
    return draw(pts.books(max_clients=3, max_records=10, currencies=currencies)), program


# --- 1. the ledger: generated and synthetic books under every shipped program ---------


def test_the_shipped_programs_are_the_ones_compared() -> None:
    """pt.list_programs: five versions and the series of them, so that every test
    parametrized over PROGRAMS covers them all."""
    assert sorted(SINGLE) == [
        "hubspot-2016",
        "hubspot-2018",
        "hubspot-2022",
        "hubspot-2024",
        "hubspot-2025",
    ]
    assert isinstance(SERIES, pt.ProgramSeries)
    assert [version.label for version in SERIES.versions] == [
        program.label for _, program in sorted(SINGLE.items())
    ]


@SOME
@given(pts.books(max_clients=4, max_records=10), st.sampled_from(EVERY))
def test_generated_books_under_shipped_programs(book: pt.Book, name: str) -> None:
    """pts.books under each shipped program and the series: the same ledger."""
    assert_same_pricing(book, PROGRAMS[name])


@SOME
@given(pts.books(max_clients=3, max_records=12, currencies=("USD", "EUR")), st.sampled_from(EVERY))
def test_generated_books_in_two_currencies(book: pt.Book, name: str) -> None:
    """pts.books in two currencies: more reductions offset a sale of their own
    currency, which the integers price (a cross-currency one falls back)."""
    assert_same_pricing(book, PROGRAMS[name])


@FEW
@given(generated_pairs())
def test_generated_programs(pair: tuple[pt.Book, pt.Program]) -> None:
    """pts.programs (dated rate rows, grandfathering, any table, growth list, expiry,
    price_before_first_row either way) with books they may price."""
    book, program = pair
    assert_same_pricing(book, program)


@SOME
@given(edge_books(), edge_programs())
def test_rounding_and_offset_edges(book: pt.Book, program: pt.Program) -> None:
    """Edge books under edge programs: half-cent points, partly offset sales, same-day
    sales and reductions, managed MRR steps split among partners, rule changes."""
    got = assert_same_pricing(book, program)
    if len(got):
        assert got._events is not None  # one currency per line: the integers priced it


SYNTHETIC = [("S", 1), (12, 2), (30, 3)]


@pytest.mark.parametrize(("size", "seed"), SYNTHETIC)
@pytest.mark.parametrize("name", EVERY)
def test_synthetic_books(size: str | int, seed: int, name: str) -> None:
    """partner_tiers.synthetic books under every shipped program and the series."""
    assert_same_pricing(synthetic.book(size, seed), PROGRAMS[name])


# --- 2. evaluation: statuses from the columnar ledger and from the oracle --------------


@FEW
@given(
    pts.books(max_clients=3, max_records=8, currencies=("USD", "EUR", "GBP")),
    st.sampled_from(EVERY),
    st.lists(pts.dates(D(2021, 1, 1), D(2027, 12, 31)), min_size=1, max_size=3),
)
def test_evaluate_generated_books(book: pt.Book, name: str, days: list[dt.date]) -> None:
    """pt.evaluate and pt.statuses with and without the oracle ledger: the same status,
    field for field, with the same history and explanation."""
    program = PROGRAMS[name]
    refused = outcome(lambda: oracle(book, program).batches)
    if refused[0] == "raised":
        assert outcome(lambda: pt.evaluate(book, program, as_of=days[0])) == refused
        return
    assert_same_evaluation(book, program, days)


@FEW
@given(edge_books(), edge_programs(), st.sampled_from(_SHARED_DAYS))
def test_evaluate_edge_books(book: pt.Book, program: pt.Program, day: dt.date) -> None:
    """Statuses of the edge books (see test_rounding_and_offset_edges)."""
    refused = outcome(lambda: oracle(book, program).batches)
    if refused[0] == "raised":
        assert outcome(lambda: pt.evaluate(book, program, as_of=day)) == refused
        return
    assert_same_evaluation(book, program, [day, day + dt.timedelta(days=200)])


@pytest.mark.parametrize(("size", "seed"), SYNTHETIC[:2])
@pytest.mark.parametrize("name", EVERY)
def test_evaluate_synthetic_books(size: str | int, seed: int, name: str) -> None:
    """Statuses of synthetic books on days around the rule changes of 2024 and 2025."""
    assert_same_evaluation(synthetic.book(size, seed), PROGRAMS[name], STATUS_DAYS)


# --- 3. the columnar path runs where it should, and steps aside where it must ---------


@pytest.mark.parametrize(("size", "seed"), SYNTHETIC)
@pytest.mark.parametrize("name", sorted(SINGLE))
def test_columnar_path_prices_synthetic_books(size: str | int, seed: int, name: str) -> None:
    """Every shipped version prices a synthetic book on the integers (so the tests above
    do not pass by comparing the object path with itself); a one-version series too."""
    book, program = synthetic.book(size, seed), SINGLE[name]
    assert pricing.build_ledger(book, program)._events is not None
    assert pt.build_ledger(book, program)._events is not None
    one = pt.ProgramSeries(program.name, program.title, (program,))
    ledger = pt.build_ledger(book, one)
    assert ledger._events is not None
    assert_same_ledger(ledger, oracle(book, program))


def test_series_of_many_versions() -> None:
    """ledgers.build_ledger: a series of several versions keeps of each version's
    batches what falls in its days, however its totals are summed."""
    book = synthetic.book("S", 1)
    expected = oracle(book, SERIES)
    assert len(expected) > 0
    assert {batch.program for batch in expected.batches} >= {
        SINGLE["hubspot-2022"].label,
        SINGLE["hubspot-2024"].label,
        SINGLE["hubspot-2025"].label,
    }
    assert_same_ledger(pt.build_ledger(book, SERIES), expected)


FALLBACK_RULES = {
    "three places": (pt.RoundingRule(places=3),),
    "no places": (pt.RoundingRule(places=0),),
    "half even": (pt.RoundingRule(mode=pt.RoundingMode.HALF_EVEN),),
    "half even from 2024-06-01": (
        pt.RoundingRule(),
        pt.RoundingRule(mode=pt.RoundingMode.HALF_EVEN, effective_from=D(2024, 6, 1)),
    ),
}


@pytest.mark.parametrize("rules", FALLBACK_RULES.values(), ids=FALLBACK_RULES)
@pytest.mark.parametrize("name", ["hubspot-2022", "hubspot-2025"])
def test_other_rounding_falls_back(rules: tuple[pt.RoundingRule, ...], name: str) -> None:
    """compile_program: rounding other than half up to the cent is priced the object
    way, and the statuses still agree."""
    program = attrs.evolve(SINGLE[name], rounding=rules)
    book = synthetic.book(12, 2)
    ledger = pricing.build_ledger(book, program)
    assert ledger._events is None
    assert_same_ledger(ledger, oracle(book, program))
    assert_same_evaluation(book, program, STATUS_DAYS[-2:])


def test_rounding_half_up_in_two_rules_stays_columnar() -> None:
    """compile_program: two rules, both half up to the cent, still price on integers,
    cutting managed pieces on the second rule's day as the object path does."""
    rules = (pt.RoundingRule(), pt.RoundingRule(effective_from=D(2024, 6, 1)))
    program = attrs.evolve(SINGLE["hubspot-2025"], rounding=rules)
    book = synthetic.book(12, 2)
    ledger = pricing.build_ledger(book, program)
    assert ledger._events is not None
    assert_same_ledger(ledger, oracle(book, program))


def _with_deal_amount(book: pt.Book, amount: str) -> pt.Book:
    """The book with its first sale's MRR change set to ``amount``."""
    deals = list(book.deals)
    position = next(i for i, deal in enumerate(deals) if deal.mrr_change.amount > 0)
    sale = deals[position]
    deals[position] = attrs.evolve(sale, mrr_change=pt.Money(amount, sale.mrr_change.currency))
    return attrs.evolve(book, deals=deals)


def _book(*deals: pt.Deal, country: str = "US") -> pt.Book:
    client = pt.Client(pt.ClientId("c-1"), "Client", country, pt.Relationship.SOLD)
    return pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", D(2023, 1, 1)),
        clients=[client],
        deals=list(deals),
    )


def _deal(deal_id: str, kind: str, day: dt.date, amount: str, currency: str = "USD") -> pt.Deal:
    return pt.Deal(
        pt.DealId(deal_id),
        pt.ClientId("c-1"),
        "sales-hub",
        pt.DealKind(kind),
        pt.SalesMotion.SOURCED,
        day,
        pt.Money(amount, currency),
    )


@pytest.mark.parametrize("name", sorted(SINGLE))
def test_amount_with_three_places_falls_back(name: str) -> None:
    """deal_columns: an amount such as 10.005 has no whole number of cents; the object
    path prices the book (it rounds each batch), and the answers agree."""
    program = SINGLE[name]
    book = _with_deal_amount(synthetic.book(12, 2), "10.005")
    assert pricing.build_ledger(synthetic.book(12, 2), program)._events is not None
    ledger = pricing.build_ledger(book, program)
    assert ledger._events is None
    assert_same_ledger(ledger, oracle(book, program))
    small = _book(
        _deal("d-1", "new", D(2024, 3, 1), "10.005"),
        _deal("d-2", "downgrade", D(2024, 4, 1), "-3.333"),
    )
    ledger = pricing.build_ledger(small, program)
    assert ledger._events is None
    assert_same_ledger(ledger, oracle(small, program))


def test_managed_mrr_with_three_places_falls_back() -> None:
    """columnar._managed_price: a managed MRR with more than two places is priced the
    object way."""
    book = synthetic.book(12, 2)
    managed = {service.client for service in book.managed_services}
    position = next(
        i for i, sub in enumerate(book.subscriptions) if sub.client in managed and sub.mrr.amount
    )
    subscriptions = list(book.subscriptions)
    given = subscriptions[position]
    subscriptions[position] = attrs.evolve(
        given,
        mrr=pt.Money(given.mrr.amount + Decimal("0.005"), given.mrr.currency),
        mrr_history=(),
    )
    changed = attrs.evolve(book, subscriptions=subscriptions)
    program = SINGLE["hubspot-2025"]
    ledger = pricing.build_ledger(changed, program)
    assert ledger._events is None
    assert_same_ledger(ledger, oracle(changed, program))


def test_cross_currency_reduction_falls_back() -> None:
    """columnar._offsets: a USD downgrade of an EUR sale is converted through the table
    by the object path only; the book is priced that way."""
    program = SINGLE["hubspot-2025"]
    same = _book(
        _deal("d-1", "new", D(2024, 3, 1), "1000", "EUR"),
        _deal("d-2", "downgrade", D(2024, 5, 1), "-300", "EUR"),
    )
    crossed = _book(
        _deal("d-1", "new", D(2024, 3, 1), "1000", "EUR"),
        _deal("d-2", "downgrade", D(2024, 5, 1), "-300", "USD"),
    )
    assert pricing.build_ledger(same, program)._events is not None
    ledger = pricing.build_ledger(crossed, program)
    assert ledger._events is None
    assert_same_ledger(ledger, oracle(crossed, program))
    assert ledger.totals(D(2024, 5, 1)).sold < ledger.totals(D(2024, 4, 1)).sold


def test_deal_before_the_first_row_is_refused_alike() -> None:
    """pricing._row: without price_before_first_row a deal before the first rate row is
    a PricingError naming the deal, from the columnar entry point too."""
    program = attrs.evolve(SINGLE["hubspot-2022"], price_before_first_row=False)
    book = _book(_deal("d-early", "new", D(2021, 3, 1), "100"))
    expected = outcome(lambda: oracle(book, program))
    assert expected[:2] == ("raised", "PricingError")
    assert "d-early" in expected[2]
    assert outcome(lambda: pricing.build_ledger(book, program)) == expected
    assert outcome(lambda: pt.evaluate(book, program, as_of=D(2022, 1, 1))) == expected


def test_currency_outside_the_table_is_refused_alike() -> None:
    """pricing._per_100_usd: a currency the table lacks is a PricingError naming it."""
    program = SINGLE["hubspot-2022"]
    book = _book(_deal("d-1", "new", D(2024, 3, 1), "100", "CHF"))
    expected = outcome(lambda: oracle(book, program))
    assert expected[:2] == ("raised", "PricingError")
    assert outcome(lambda: pricing.build_ledger(book, program)) == expected


# --- worked edges: what the integers must round exactly as the Decimals do -------------


def test_partly_offset_sale_at_a_half_hundredth() -> None:
    """columnar._share: a 2.80 USD sourced sale under hubspot-2024 earns 0.14 points
    (5 per 100 USD); a 0.50 USD downgrade takes 5/28 of it, exactly 0.025 points. The
    object path multiplies by 5/28 held to 60 digits, just under, and takes 0.02 (half
    up of the exact share would take 0.03); the integers must give the object answer."""
    program = SINGLE["hubspot-2024"]
    book = _book(
        _deal("d-1", "new", D(2024, 3, 1), "2.80"),
        _deal("d-2", "downgrade", D(2024, 4, 1), "-0.50"),
    )
    ledger = pricing.build_ledger(book, program)
    assert ledger._events is not None
    expected = oracle(book, program)
    assert expected.batch("sold:d-2:offsets:sold:d-1").points == Decimal("-0.02")
    assert repr(ledger.totals(D(2024, 4, 1)).sold) == "Decimal('0.12')"
    assert_same_ledger(ledger, expected)


def test_totals_print_zero_until_a_batch_counts() -> None:
    """events.EventIndex: before any batch, Decimal('0'); once a batch of 0.00 points
    counts (an MRR-track program), Decimal('0.00'), as the object ledger sums them."""
    program = SINGLE["hubspot-2016"]  # zero rates: sold batches of 0.00 points
    book = _book(_deal("d-1", "new", D(2024, 3, 1), "100"))
    ledger = pricing.build_ledger(book, program)
    assert ledger._events is not None
    assert_same_ledger(ledger, oracle(book, program))
    before, after = ledger.totals(D(2024, 2, 29)), ledger.totals(D(2024, 3, 1))
    assert repr(before.sold) == "Decimal('0')"
    assert repr(after.sold) == "Decimal('0.00')"
    assert repr(after.assisted) == "Decimal('0')"  # no assisted batch touched it
    assert repr(ledger.totals(D(2026, 1, 1)).sold_mrr_usd) == "Decimal('0.00')"  # expired


@pytest.mark.parametrize("track", ["sold", "managed"])
def test_huge_usd_amount_under_a_six_place_table(track: str) -> None:
    """columnar._sold_rows and _managed_rows: the USD-equivalent numerator cents x 100 x
    scale is formed in int64. With a 6-place per-100-USD amount (scale 10**6) and rates
    of 0 (hubspot-2016), the overflow guard, which looks at the points numerator only,
    lets a 5,000,000,000 EUR sale or managed MRR through; the integers must still give
    the oracle's USD MRR, or step aside."""
    base = SINGLE["hubspot-2016"]  # every rate 0
    table = attrs.evolve(
        base.currencies[0],
        per_100_usd={**base.currencies[0].per_100_usd, "EUR": Decimal("75.123457")},
    )
    program = attrs.evolve(base, currencies=(table,))
    huge = pt.Money("5000000000.00", "EUR")
    if track == "sold":
        book = _book(_deal("d-1", "new", D(2023, 1, 10), "5000000000.00", "EUR"))
    else:
        client = pt.ClientId("c-1")
        book = pt.Book(
            pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", D(2023, 1, 1)),
            clients=[pt.Client(client, "Client", "US", pt.Relationship.MANAGED)],
            subscriptions=[
                pt.Subscription(
                    pt.SubscriptionId("s-1"),
                    client,
                    "service-hub",
                    "pro",
                    huge,
                    D(2023, 1, 10),
                    D(2024, 1, 10),
                )
            ],
            managed_services=[pt.ManagedService(client, D(2023, 1, 10))],
        )
    day = D(2023, 2, 1)
    assert repr(pricing.build_ledger(book, program).totals(day)) == repr(
        oracle(book, program).totals(day)
    )


def test_batch_id_collision_is_treated_alike() -> None:
    """PointsLedger._canonical: a sale whose deal id is ``x:offsets:sold:y`` and a
    reduction x offsetting sale y make two batches with one id; the object ledger
    refuses them (LedgerError). The columnar ledger must not answer totals (nor
    evaluate) for a book whose batches it cannot make."""
    program = SINGLE["hubspot-2022"]

    def deal(deal_id: str, kind: str, day: dt.date, amount: str, line: str) -> pt.Deal:
        return attrs.evolve(_deal(deal_id, kind, day, amount), product_line=line)

    book = _book(
        deal("y", "new", D(2023, 1, 10), "100.00", "a"),
        deal("x", "downgrade", D(2023, 2, 10), "-50.00", "a"),
        deal("x:offsets:sold:y", "new", D(2023, 3, 10), "100.00", "b"),
    )
    day = D(2023, 4, 1)
    expected = outcome(lambda: oracle(book, program).totals(day))
    assert outcome(lambda: pricing.build_ledger(book, program).totals(day)) == expected
    assert outcome(lambda: pt.evaluate(book, program, as_of=day).points) == outcome(
        lambda: pt.evaluate(book, program, as_of=day, ledger=oracle(book, program)).points
    )


# --- 4. the batches are made only when asked for ----------------------------------------


@pytest.mark.parametrize("name", sorted(SINGLE))
def test_batches_are_made_only_when_asked(name: str) -> None:
    """PointsLedger._columnar: build_ledger, totals and evaluate leave the batches
    unmade; ``.batches`` makes them once, as a tuple, equal to the oracle's."""
    book, program = synthetic.book("S", 1), SINGLE[name]
    ledger = pricing.build_ledger(book, program)
    assert ledger._events is not None
    assert ledger._batches is None
    ledger.totals(D(2025, 9, 30))
    assert len(ledger) > 0
    assert ledger._batches is None
    status = pt.evaluate(book, program, as_of=D(2025, 9, 30))
    inside = status._ledger
    assert inside is not None
    assert inside._events is not None
    assert inside._batches is None, "evaluate made the batches"
    statuses = pt.statuses(book, program, STATUS_DAYS, ledger=ledger)
    assert len(statuses) == len(STATUS_DAYS)
    assert ledger._batches is None, "statuses made the batches"
    batches = ledger.batches
    assert isinstance(batches, tuple)
    assert ledger._batches is batches
    assert ledger.batches is batches  # made once
    assert batches == oracle(book, program).batches
    status.explain()  # the explanation lists batches: now they are made
    assert isinstance(inside._batches, tuple)
