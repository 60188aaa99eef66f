"""The points ledger: as-of totals, idempotent adds, conflicts, movements, and a stateful
comparison with a naive model that recomputes everything by brute force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from random import Random
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import partner_tiers as pt
from _books import C1, SOURCED, START, c1_deal, one_client_book, two_clients_book
from _programs import PROGRAM
from partner_tiers.testing import strategies as pts

ZERO = Decimal(0)
ONE_DAY = dt.timedelta(days=1)


def batch(
    batch_id: str,
    points: str,
    earned_on: dt.date,
    expires_on: dt.date | None,
    *,
    track: str = "sold",
    motion: str = "sourced",
    client: str = "c-fabrikam",
    market: str = "standard",
    mrr_usd: str = "0",
    offsets: str | None = None,
) -> pt.PointBatch:
    """A point batch with the fields a test cares about, the rest left at defaults."""
    return pt.PointBatch(
        id=batch_id,
        track=pt.Track(track),
        motion=pt.SalesMotion(motion),
        client=pt.ClientId(client),
        points=points,
        earned_on=earned_on,
        expires_on=expires_on,
        origin=batch_id.partition(":")[2] or batch_id,
        market=pt.Market(market),
        mrr_usd=mrr_usd,
        offsets=offsets,
    )


# --- the naive model: every answer recomputed from the list of batches -------------------


def model_active(batches: Iterable[pt.PointBatch], day: dt.date) -> list[pt.PointBatch]:
    return [
        b for b in batches if b.earned_on <= day and (b.expires_on is None or day < b.expires_on)
    ]


def model_totals(
    batches: Iterable[pt.PointBatch], day: dt.date, client: str | None = None
) -> pt.LedgerTotals:
    sold = sourced = assisted = managed = sold_usd = managed_usd = ZERO
    for b in model_active(batches, day):
        if client is not None and b.client != client:
            continue
        if b.track is pt.Track.SOLD:
            sold += b.points
            sold_usd += b.mrr_usd
            if b.motion is pt.SalesMotion.SOURCED:
                sourced += b.points
            elif b.motion is pt.SalesMotion.ASSISTED:
                assisted += b.points
        else:
            managed += b.points
            managed_usd += b.mrr_usd
    return pt.LedgerTotals(
        sold=sold,
        sourced=sourced,
        assisted=assisted,
        managed=managed,
        sold_mrr_usd=sold_usd,
        managed_mrr_usd=managed_usd,
    )


def in_ledger_order(batches: Iterable[pt.PointBatch]) -> tuple[pt.PointBatch, ...]:
    return tuple(sorted(batches, key=lambda b: (b.earned_on, b.id)))


def summed(totals: Iterable[pt.LedgerTotals]) -> pt.LedgerTotals:
    result = pt.LedgerTotals()
    for t in totals:
        result = pt.LedgerTotals(
            sold=result.sold + t.sold,
            sourced=result.sourced + t.sourced,
            assisted=result.assisted + t.assisted,
            managed=result.managed + t.managed,
            sold_mrr_usd=result.sold_mrr_usd + t.sold_mrr_usd,
            managed_mrr_usd=result.managed_mrr_usd + t.managed_mrr_usd,
        )
    return result


# Query dates reach a little beyond the batches' dates, before the first and after the last.
query_dates = st.dates(
    min_value=pts.MIN_DATE - dt.timedelta(days=60), max_value=pts.MAX_DATE + dt.timedelta(days=60)
)

# --- named examples ------------------------------------------------------------------------

# Grandfathering, domain.md section 2 (hubspot.com/partners/how-tiers-work, 2024-02-27):
# Oct 2021 Marketing Hub Pro, $1,000 MRR -> 30 points; Mar 2024 cross-sell Sales Hub Pro,
# $1,000 sourced -> 50 points; Apr 2024 upsell of the Marketing Hub line at 3 per $100.
OCT_2021_NEW = batch("sold:d-1", "30", dt.date(2021, 10, 4), dt.date(2022, 10, 4), mrr_usd="1000")
MAR_2024_CROSS_SELL = batch(
    "sold:d-2", "50", dt.date(2024, 3, 12), dt.date(2025, 3, 12), mrr_usd="1000"
)
APR_2024_UPSELL = batch("sold:d-3", "30", dt.date(2024, 4, 2), dt.date(2025, 4, 2), mrr_usd="1000")
# A partner-assisted deal at 3 per $100 on $400.
FEB_2024_ASSISTED = batch(
    "sold:d-4",
    "12",
    dt.date(2024, 2, 1),
    dt.date(2025, 2, 1),
    motion="assisted",
    client="c-tailspin",
    mrr_usd="400",
)
# Managed credit in a growth market (India, 2 per $100), $1,500 MRR split by two partners.
APR_2024_MANAGED = batch(
    "managed:c-adatum:2024-04",
    "15",
    dt.date(2024, 4, 1),
    dt.date(2024, 5, 1),
    track="managed",
    motion="none",
    client="c-adatum",
    market="growth",
    mrr_usd="750",
)
EXAMPLE = pt.PointsLedger(
    [OCT_2021_NEW, MAR_2024_CROSS_SELL, APR_2024_UPSELL, FEB_2024_ASSISTED, APR_2024_MANAGED]
)
APR_15 = dt.date(2024, 4, 15)


def test_a_batch_counts_from_earned_on_until_the_day_before_expires_on() -> None:
    ledger = pt.PointsLedger([MAR_2024_CROSS_SELL])
    assert ledger.totals(dt.date(2024, 3, 11)).sold == 0
    assert ledger.totals(dt.date(2024, 3, 12)).sold == 50
    assert ledger.totals(dt.date(2025, 3, 11)).sold == 50
    assert ledger.totals(dt.date(2025, 3, 12)).sold == 0
    assert ledger.active(dt.date(2025, 3, 11)) == (MAR_2024_CROSS_SELL,)
    assert ledger.expired(dt.date(2025, 3, 11)) == ()
    assert ledger.active(dt.date(2025, 3, 12)) == ()
    assert ledger.expired(dt.date(2025, 3, 12)) == (MAR_2024_CROSS_SELL,)


def test_a_batch_without_expiry_counts_for_ever() -> None:
    lasting = batch("sold:d-9", "7.25", dt.date(2020, 1, 1), None)
    ledger = pt.PointsLedger([lasting])
    assert ledger.totals(dt.date(2019, 12, 31)).sold == 0
    assert ledger.totals(dt.date(2099, 1, 1)).sold == Decimal("7.25")
    assert ledger.expired(dt.date(2099, 1, 1)) == ()


def test_totals_split_sold_points_by_motion_and_add_managed_points() -> None:
    totals = EXAMPLE.totals(APR_15)
    assert totals == pt.LedgerTotals(
        sold=Decimal(92),
        sourced=Decimal(80),
        assisted=Decimal(12),
        managed=Decimal(15),
        sold_mrr_usd=Decimal(2400),
        managed_mrr_usd=Decimal(750),
    )
    assert totals.total == Decimal(107)
    assert totals.as_dict() == {
        "sold": Decimal(92),
        "sourced": Decimal(80),
        "assisted": Decimal(12),
        "managed": Decimal(15),
        "total": Decimal(107),
    }


def test_the_2021_batch_has_expired_by_the_2024_sales() -> None:
    assert EXAMPLE.totals(dt.date(2022, 10, 3)).sold == 30
    assert EXAMPLE.totals(dt.date(2022, 10, 4)).sold == 0
    assert OCT_2021_NEW in EXAMPLE.expired(APR_15)
    assert OCT_2021_NEW not in EXAMPLE.active(APR_15)


def test_totals_by_client_and_by_market() -> None:
    by_client = EXAMPLE.totals_by_client(APR_15)
    assert list(by_client) == ["c-adatum", "c-fabrikam", "c-tailspin"]
    assert by_client[pt.ClientId("c-fabrikam")].sold == 80
    assert by_client[pt.ClientId("c-tailspin")].assisted == 12
    assert by_client[pt.ClientId("c-adatum")].managed == 15
    assert EXAMPLE.totals(APR_15, client="c-fabrikam").total == 80
    by_market = EXAMPLE.totals_by_market(APR_15)
    assert by_market[pt.Market.GROWTH].total == 15
    assert by_market[pt.Market.STANDARD].total == 92
    assert EXAMPLE.totals(APR_15, client="c-adatum", market=pt.Market.STANDARD).total == 0


def test_an_empty_ledger_has_zero_totals() -> None:
    ledger = pt.PointsLedger()
    assert len(ledger) == 0
    assert ledger.totals(APR_15) == pt.LedgerTotals()
    assert ledger.totals(APR_15).total == 0
    assert ledger.clients() == ()
    assert ledger.totals_by_client(APR_15) == {}


def test_negative_batches_are_kept_as_they_are() -> None:
    churn = batch(
        "sold:d-5",
        "-30",
        dt.date(2024, 6, 1),
        APR_2024_UPSELL.expires_on,
        mrr_usd="-1000",
        offsets=APR_2024_UPSELL.id,
    )
    ledger = EXAMPLE.add(churn)
    assert ledger.batch("sold:d-5") == churn
    assert ledger.batch("sold:d-5").points == Decimal(-30)
    assert ledger.totals(dt.date(2024, 5, 31)).sold == 92
    assert ledger.totals(dt.date(2024, 6, 1)).sold == 62
    assert ledger.totals(dt.date(2024, 6, 1)).sold_mrr_usd == 1400


def test_a_ledger_may_go_negative_and_is_never_clamped() -> None:
    ledger = pt.PointsLedger([batch("sold:d-6", "-12.50", dt.date(2024, 1, 1), None)])
    assert ledger.totals(APR_15).sold == Decimal("-12.50")
    assert ledger.totals(APR_15).total == Decimal("-12.50")


def test_adding_the_same_batch_twice_is_idempotent() -> None:
    once = EXAMPLE.add(MAR_2024_CROSS_SELL)
    assert once == EXAMPLE
    assert len(once) == 5
    assert pt.PointsLedger([APR_2024_UPSELL, APR_2024_UPSELL]) == pt.PointsLedger([APR_2024_UPSELL])
    assert pt.PointsLedger().add(APR_2024_UPSELL, APR_2024_UPSELL).batches == (APR_2024_UPSELL,)


def test_an_equal_copy_of_a_batch_counts_as_the_same_batch() -> None:
    copy = attrs.evolve(MAR_2024_CROSS_SELL)
    assert copy is not MAR_2024_CROSS_SELL
    assert EXAMPLE.add(copy) == EXAMPLE
    assert EXAMPLE.add(copy).totals(APR_15) == EXAMPLE.totals(APR_15)


@pytest.mark.parametrize(
    "changes",
    [{"points": "51"}, {"expires_on": dt.date(2025, 3, 13)}, {"motion": "assisted"}],
    ids=["points", "expiry", "motion"],
)
def test_the_same_id_with_other_content_is_refused(changes: dict[str, Any]) -> None:
    clash = attrs.evolve(MAR_2024_CROSS_SELL, **changes)
    with pytest.raises(pt.LedgerError, match=r"'sold:d-2' is already in the ledger") as caught:
        EXAMPLE.add(clash)
    assert isinstance(caught.value, pt.PartnerTiersError)
    with pytest.raises(pt.LedgerError):
        pt.PointsLedger([MAR_2024_CROSS_SELL, clash])
    assert EXAMPLE.batch("sold:d-2") == MAR_2024_CROSS_SELL


def test_add_returns_a_new_ledger_and_leaves_the_old_one_alone() -> None:
    before = EXAMPLE.batches
    later = batch("sold:d-7", "5", dt.date(2024, 5, 1), dt.date(2025, 5, 1))
    bigger = EXAMPLE.add(later)
    assert len(bigger) == 6
    assert EXAMPLE.batches == before
    assert EXAMPLE.totals(dt.date(2024, 5, 2)).sold == 92
    assert bigger.totals(dt.date(2024, 5, 2)).sold == 97


def test_batches_are_kept_in_earned_on_then_id_order() -> None:
    same_day = batch("sold:a", "1", APR_2024_UPSELL.earned_on, None)
    ledger = EXAMPLE.add(same_day)
    assert [b.id for b in ledger] == [
        "sold:d-1",
        "sold:d-4",
        "sold:d-2",
        "managed:c-adatum:2024-04",
        "sold:a",
        "sold:d-3",
    ]


def test_a_batch_is_found_by_its_id() -> None:
    assert EXAMPLE.batch("sold:d-4") is FEB_2024_ASSISTED
    with pytest.raises(pt.UnknownIdError, match="'sold:d-404'"):
        EXAMPLE.batch("sold:d-404")


def test_expiring_lists_the_batches_whose_expiry_falls_in_the_range() -> None:
    assert EXAMPLE.expiring(dt.date(2025, 2, 1), dt.date(2025, 3, 12)) == (FEB_2024_ASSISTED,)
    assert EXAMPLE.expiring(dt.date(2025, 2, 2), dt.date(2025, 3, 13)) == (MAR_2024_CROSS_SELL,)
    assert EXAMPLE.expiring(dt.date(2030, 1, 1), dt.date(2031, 1, 1)) == ()


def test_a_batch_must_expire_after_it_is_earned() -> None:
    with pytest.raises(pt.LedgerError, match="expires_on"):
        batch("sold:x", "1", dt.date(2024, 1, 1), dt.date(2024, 1, 1))


def test_batch_points_are_exact() -> None:
    with pytest.raises(pt.InvalidRecordError) as caught:
        pt.PointBatch(
            id="sold:x",
            track=pt.Track.SOLD,
            motion=pt.SalesMotion.SOURCED,
            client=pt.ClientId("c-1"),
            points=0.1,
            earned_on=dt.date(2024, 1, 1),
            expires_on=None,
            origin="d-x",
        )
    assert caught.value.field == "PointBatch.points"
    assert caught.value.value == 0.1


def test_a_ledger_holds_only_point_batches() -> None:
    with pytest.raises(pt.LedgerError, match="is not a PointBatch"):
        pt.PointsLedger([MAR_2024_CROSS_SELL, "sold:d-9"])  # type: ignore[list-item]


# --- movements ---------------------------------------------------------------------------

A = batch("sold:a", "30", dt.date(2024, 1, 10), dt.date(2025, 1, 10), mrr_usd="1000")
B = batch(
    "sold:b", "12", dt.date(2024, 2, 1), dt.date(2025, 2, 1), motion="assisted", mrr_usd="400"
)
C = batch(
    "sold:c", "-10", dt.date(2024, 3, 1), dt.date(2025, 1, 10), mrr_usd="-333", offsets="sold:a"
)


def managed(month: int, points: str) -> pt.PointBatch:
    return batch(
        f"managed:c-fabrikam:{month}",
        points,
        dt.date(2024, month, 1),
        dt.date(2024, month + 1, 1),
        track="managed",
        motion="none",
    )


MOVING = pt.PointsLedger([A, B, C, managed(1, "15"), managed(2, "20"), managed(3, "8")])


def test_movements_count_new_sales_and_reductions_in_the_range() -> None:
    moves = MOVING.movements(dt.date(2024, 1, 15), dt.date(2024, 4, 1))
    assert moves.new.sold == moves.new.assisted == 12
    assert moves.new.sourced == 0
    assert moves.lost.sold == moves.lost.sourced == 10
    assert moves.lost.assisted == 0
    assert moves.new.sold_mrr_usd == 400
    assert moves.lost.sold_mrr_usd == 333


def test_movements_count_the_rises_and_falls_of_the_managed_level() -> None:
    moves = MOVING.movements(dt.date(2024, 1, 15), dt.date(2024, 4, 1))
    assert moves.new.managed == 5
    assert moves.lost.managed == 12
    assert MOVING.movements(dt.date(2024, 4, 1), dt.date(2024, 4, 2)).lost.managed == 8
    assert MOVING.movements(dt.date(2024, 1, 1), dt.date(2024, 1, 2)).new.managed == 15


def test_movements_count_expiries_net_of_the_reductions_expiring_with_them() -> None:
    moves = MOVING.movements(dt.date(2025, 1, 1), dt.date(2025, 2, 2))
    assert moves.new.sold == 0
    assert moves.lost.sold == 30 - 10 + 12
    assert moves.lost.sourced == 20
    assert moves.lost.assisted == 12


def test_movements_end_is_exclusive() -> None:
    assert MOVING.movements(dt.date(2024, 1, 15), dt.date(2024, 2, 1)).new.sold == 0
    assert MOVING.movements(dt.date(2024, 1, 15), dt.date(2024, 2, 2)).new.sold == 12


# --- properties -----------------------------------------------------------------------------


@given(pts.ledgers(), query_dates)
def test_totals_equal_brute_force_sums_over_active_batches(
    ledger: pt.PointsLedger, day: dt.date
) -> None:
    assert ledger.totals(day) == model_totals(ledger.batches, day)


@given(pts.ledgers(), st.lists(query_dates, min_size=2, max_size=6))
def test_totals_stay_right_across_many_queries(
    ledger: pt.PointsLedger, days: list[dt.date]
) -> None:
    for day in days:
        assert ledger.totals(day) == model_totals(ledger.batches, day)
        for client in ledger.clients():
            assert ledger.totals(day, client=client) == model_totals(ledger.batches, day, client)


@given(pts.ledgers(), query_dates)
def test_active_expired_and_not_yet_earned_partition_the_batches(
    ledger: pt.PointsLedger, day: dt.date
) -> None:
    active = {b.id for b in ledger.active(day)}
    expired = {b.id for b in ledger.expired(day)}
    pending = {b.id for b in ledger if b.earned_on > day}
    assert not active & expired
    assert not active & pending
    assert not expired & pending
    assert active | expired | pending == {b.id for b in ledger}
    assert ledger.active(day) == in_ledger_order(model_active(ledger.batches, day))


@given(pts.ledgers(), query_dates)
def test_per_client_totals_sum_to_the_total(ledger: pt.PointsLedger, day: dt.date) -> None:
    by_client = ledger.totals_by_client(day)
    assert set(by_client) == {b.client for b in ledger}
    assert summed(by_client.values()) == ledger.totals(day)


@given(pts.ledgers(), query_dates)
def test_per_market_totals_sum_to_the_total(ledger: pt.PointsLedger, day: dt.date) -> None:
    assert summed(ledger.totals_by_market(day).values()) == ledger.totals(day)


@given(pts.ledgers(), st.randoms(use_true_random=False))
def test_ledger_equality_is_independent_of_input_order(
    ledger: pt.PointsLedger, random: Random
) -> None:
    shuffled = list(ledger.batches)
    random.shuffle(shuffled)
    reordered = pt.PointsLedger(shuffled)
    assert reordered == ledger
    assert reordered.batches == ledger.batches
    assert hash(reordered) == hash(ledger)


@given(pts.ledgers(), st.data())
def test_adding_in_parts_equals_adding_at_once(
    ledger: pt.PointsLedger, data: st.DataObject
) -> None:
    cut = data.draw(st.integers(min_value=0, max_value=len(ledger)))
    first, rest = ledger.batches[:cut], ledger.batches[cut:]
    assert pt.PointsLedger(first).add(*rest) == ledger
    assert pt.PointsLedger(rest).add(*first).add(*rest) == ledger


@given(pts.ledgers(), query_dates, st.integers(min_value=1, max_value=800))
def test_movements_account_for_the_change_of_each_level(
    ledger: pt.PointsLedger, start: dt.date, days: int
) -> None:
    end = start + dt.timedelta(days=days)
    moves = ledger.movements(start, end)
    before = ledger.totals(start - ONE_DAY)
    after = ledger.totals(end - ONE_DAY)
    for name in ("sold", "sourced", "assisted", "managed", "sold_mrr_usd"):
        gained = getattr(moves.new, name) - getattr(moves.lost, name)
        assert gained == getattr(after, name) - getattr(before, name), name
    assert moves.new.sold >= 0
    assert moves.new.managed >= 0
    assert moves.lost.managed >= 0


@given(pts.ledgers(allow_negative=False), query_dates, st.integers(min_value=1, max_value=800))
def test_movements_without_reductions_are_never_negative(
    ledger: pt.PointsLedger, start: dt.date, days: int
) -> None:
    moves = ledger.movements(start, start + dt.timedelta(days=days))
    for totals in (moves.new, moves.lost):
        assert all(value >= 0 for value in totals.as_dict().values())


# --- stateful: the ledger against a naive model -------------------------------------------

CLIENTS = ("c-fabrikam", "c-tailspin", "c-adatum")
# A small pool of ids, so that generated batches often reuse an id.
BATCH_IDS = st.sampled_from([f"b-{n}" for n in range(8)])
BATCHES = pts.point_batches(ids=BATCH_IDS, client_ids=CLIENTS)


@settings(max_examples=50, stateful_step_count=25, deadline=None)
class LedgerAgainstModel(RuleBasedStateMachine):
    """Every answer of the ledger equals the naive model's, and old ledgers never change."""

    def __init__(self) -> None:
        super().__init__()
        self.ledger = pt.PointsLedger()
        self.model: dict[str, pt.PointBatch] = {}
        self.snapshots: list[tuple[pt.PointsLedger, tuple[pt.PointBatch, ...]]] = []

    def _conflicts(self, batches: Iterable[pt.PointBatch]) -> bool:
        seen = dict(self.model)
        return any(seen.setdefault(b.id, b) != b for b in batches)

    def _replace(self, ledger: pt.PointsLedger) -> None:
        self.snapshots.append((self.ledger, self.ledger.batches))
        self.ledger = ledger

    @rule(batches=st.lists(BATCHES, min_size=1, max_size=3))
    def add_batches(self, batches: list[pt.PointBatch]) -> None:
        if self._conflicts(batches):
            with pytest.raises(pt.LedgerError):
                self.ledger.add(*batches)
            return
        self._replace(self.ledger.add(*batches))
        for b in batches:
            self.model.setdefault(b.id, b)

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def add_a_known_batch_again(self, data: st.DataObject) -> None:
        known = data.draw(st.sampled_from(sorted(self.model)))
        again = self.ledger.add(attrs.evolve(self.model[known]))
        assert again == self.ledger
        self._replace(again)

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data(), extra=st.sampled_from(["0.01", "1", "-5"]))
    def add_a_conflicting_batch(self, data: st.DataObject, extra: str) -> None:
        known = self.model[data.draw(st.sampled_from(sorted(self.model)))]
        clash = attrs.evolve(known, points=known.points + Decimal(extra))
        with pytest.raises(pt.LedgerError, match=repr(known.id)):
            self.ledger.add(clash)

    @rule(day=query_dates)
    def totals_match(self, day: dt.date) -> None:
        assert self.ledger.totals(day) == model_totals(self.model.values(), day)

    @rule(day=query_dates, client=st.sampled_from(CLIENTS))
    def client_totals_match(self, day: dt.date, client: str) -> None:
        expected = model_totals(self.model.values(), day, client)
        assert self.ledger.totals(day, client=client) == expected

    @rule(day=query_dates)
    def totals_by_client_match(self, day: dt.date) -> None:
        clients = sorted({b.client for b in self.model.values()})
        expected = {client: model_totals(self.model.values(), day, client) for client in clients}
        assert dict(self.ledger.totals_by_client(day)) == expected
        assert list(self.ledger.totals_by_client(day)) == clients

    @rule(day=query_dates)
    def active_matches(self, day: dt.date) -> None:
        assert self.ledger.active(day) == in_ledger_order(model_active(self.model.values(), day))

    @rule(day=query_dates)
    def expired_matches(self, day: dt.date) -> None:
        expected = [
            b for b in self.model.values() if b.expires_on is not None and b.expires_on <= day
        ]
        assert self.ledger.expired(day) == in_ledger_order(expected)

    @invariant()
    def holds_the_models_batches(self) -> None:
        assert self.ledger.batches == in_ledger_order(self.model.values())
        assert len(self.ledger) == len(self.model)
        assert self.ledger == pt.PointsLedger(self.model.values())

    @invariant()
    def old_ledgers_are_unchanged(self) -> None:
        for ledger, batches in self.snapshots:
            assert ledger.batches == batches


TestLedgerAgainstModel = LedgerAgainstModel.TestCase


# --- movements and rolling MRR of priced books, worked by hand --------------------------------
#
# The small books of tests/_books.py under tests/_programs.PROGRAM: sourced 5, assisted 3
# and managed 1 point per 100 USD.


def test_movements_count_the_first_day_of_the_range_and_not_the_last() -> None:
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(C1, "Client", "US", pt.Relationship.SOLD)],
        deals=[
            c1_deal("d-1", "new", "sourced", dt.date(2023, 3, 1), "100"),  # expires 2024-03-01
            c1_deal("d-2", "new", "sourced", dt.date(2024, 3, 1), "200"),  # on the start
            c1_deal("d-3", "new", "assisted", dt.date(2024, 3, 31), "300"),  # on the end
            c1_deal("d-4", "downgrade", "sourced", dt.date(2024, 3, 15), "-40"),
        ],
    )
    ledger = pt.build_ledger(book, PROGRAM)
    movements = ledger.movements(dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    # New: d-2's 10.00; lost: d-1's 5.00 expiring on the start, and d-4's 2.00 (40 USD of
    # d-2, the newest batch of the line).
    assert (movements.new.sold, movements.new.sourced, movements.new.assisted) == (
        Decimal("10.00"),
        Decimal("10.00"),
        Decimal(0),
    )
    assert movements.lost.sold == Decimal("7.00")
    assert movements.new.sold_mrr_usd == Decimal("200.00")
    # Sold MRR counts (start, end]: d-3 on the end and d-4, not d-2 on the start.
    assert ledger.sold_mrr_usd(dt.date(2024, 3, 1), dt.date(2024, 3, 31)) == Decimal("260.00")
    assert ledger.sold_mrr_usd(dt.date(2024, 2, 29), dt.date(2024, 3, 30)) == Decimal("160.00")
    assert ledger.sold_mrr_usd(
        dt.date(2024, 2, 29), dt.date(2024, 3, 31), motion=pt.SalesMotion.ASSISTED
    ) == Decimal("300.00")
    empty = ledger.sold_mrr_usd(dt.date(2020, 1, 1), dt.date(2020, 2, 1))
    assert isinstance(empty, Decimal)
    assert empty == 0


def test_managed_movements_sum_every_rise_and_fall_of_the_level() -> None:
    book = two_clients_book("1050")
    ended = attrs.evolve(book.subscriptions[0], ended_on=dt.date(2025, 1, 1))
    ledger = pt.build_ledger(attrs.evolve(book, subscriptions=[ended]), PROGRAM)
    # Managed from 2024-01-01 at 10.00 points (500.00 USD); the subscription ends on
    # 2025-01-01. A range holding both the rise and the fall counts each once.
    whole = ledger.movements(dt.date(2023, 12, 1), dt.date(2025, 2, 1))
    assert (whole.new.managed, whole.lost.managed) == (Decimal("10.00"), Decimal("10.00"))
    assert (whole.new.managed_mrr_usd, whole.lost.managed_mrr_usd) == (
        Decimal("500.00"),
        Decimal("500.00"),
    )
    assert ledger.movements(dt.date(2024, 1, 1), dt.date(2024, 1, 2)).new.managed == Decimal(
        "10.00"
    )
    assert ledger.movements(dt.date(2023, 12, 1), dt.date(2024, 1, 1)).new.managed == 0


def test_movements_leave_out_what_expires_on_the_last_day_and_add_every_rise() -> None:
    client = pt.ClientId("c-1")
    second = pt.ClientId("c-2")
    starts = ((client, "1000", dt.date(2024, 3, 5)), (second, "500", dt.date(2024, 3, 9)))
    subscriptions = [
        pt.Subscription(
            pt.SubscriptionId(f"s-{c}"), c, "l", "e", pt.Money(mrr, "USD"), day, dt.date(2025, 1, 1)
        )
        for c, mrr, day in starts
    ]
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[
            pt.Client(client, "C1", "US", pt.Relationship.SOLD_AND_MANAGED),
            pt.Client(second, "C2", "US", pt.Relationship.MANAGED),
        ],
        deals=[
            # Expires on 2024-03-31, the end of the range: not lost in it.
            pt.Deal(pt.DealId("d-1"), client, "l", pt.DealKind.NEW, SOURCED,
                    dt.date(2023, 3, 31), pt.Money("100", "USD")),
        ],
        subscriptions=subscriptions,
        managed_services=[
            pt.ManagedService(client, dt.date(2024, 3, 5)),
            pt.ManagedService(second, dt.date(2024, 3, 9)),
        ],
    )  # fmt: skip
    movements = pt.build_ledger(book, PROGRAM).movements(dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    assert movements.lost.sold == 0
    # Two rises of the managed level: 10.00 (1000 USD) and 5.00 (500 USD).
    assert movements.new.managed == Decimal("15.00")
    assert movements.new.managed_mrr_usd == Decimal("1500.00")
    later = pt.build_ledger(book, PROGRAM).movements(dt.date(2024, 3, 31), dt.date(2024, 4, 1))
    assert later.lost.sold == Decimal("5.00")


def test_movements_add_up_every_sale_and_fractions_of_a_point() -> None:
    # Two sales in March: 10 USD sourced (0.50 points) and 100 USD assisted (3.00).
    book = one_client_book(START)
    book = attrs.evolve(
        book,
        deals=[
            pt.Deal(pt.DealId("d-1"), C1, "l-1", pt.DealKind.NEW, pt.SalesMotion.SOURCED,
                    dt.date(2024, 3, 5), pt.Money("10", "USD")),
            pt.Deal(pt.DealId("d-2"), C1, "l-2", pt.DealKind.NEW, pt.SalesMotion.ASSISTED,
                    dt.date(2024, 3, 20), pt.Money("100", "USD")),
            pt.Deal(pt.DealId("d-3"), C1, "l-1", pt.DealKind.DOWNGRADE, pt.SalesMotion.SOURCED,
                    dt.date(2024, 3, 25), pt.Money("-5", "USD")),
        ],
    )  # fmt: skip
    moved = pt.build_ledger(book, PROGRAM).movements(dt.date(2024, 3, 1), dt.date(2024, 4, 1))
    assert (moved.new.sold, moved.new.sourced, moved.new.assisted) == (
        Decimal("3.50"), Decimal("0.50"), Decimal("3.00"),
    )  # fmt: skip
    assert moved.new.sold_mrr_usd == Decimal("110.00")
    # The downgrade takes back half of d-1: 0.25 points, 5 USD.
    assert (moved.lost.sold, moved.lost.sourced, moved.lost.sold_mrr_usd) == (
        Decimal("0.25"), Decimal("0.25"), Decimal("5.00"),
    )  # fmt: skip


def test_the_first_rise_of_the_managed_level_is_a_movement() -> None:
    # The ledger's first event is a managed service starting: its rise is measured
    # from nothing, not from any later level.
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", START),
        clients=[pt.Client(C1, "Client", "US", pt.Relationship.MANAGED)],
        subscriptions=[pt.Subscription(pt.SubscriptionId("s-1"), C1, "l", "pro",
                                       pt.Money("300", "USD"), START, dt.date(2026, 1, 1))],
        managed_services=[pt.ManagedService(C1, dt.date(2024, 3, 1))],
    )  # fmt: skip
    moved = pt.build_ledger(book, PROGRAM).movements(dt.date(2024, 3, 1), dt.date(2024, 4, 1))
    # 300 USD at 1 point per 100 USD: 3.00 points, 300.00 USD managed.
    assert (moved.new.managed, moved.new.managed_mrr_usd) == (Decimal("3.00"), Decimal("300.00"))
    assert moved.lost.managed == moved.lost.managed_mrr_usd == 0


def test_an_unknown_batch_id_is_refused_by_name_and_reason() -> None:
    with pytest.raises(pt.UnknownIdError) as caught:
        EXAMPLE.batch("sold:d-99")
    assert str(caught.value) == "batch_id: no batch with this id in the ledger (got 'sold:d-99')"


# --- what expires before the review, the day arguments, immutability -------------------------


def test_the_sold_batches_expiring_by_the_review_are_those_counting_today() -> None:
    today, review = dt.date(2024, 6, 1), dt.date(2024, 7, 1)
    earned_today = batch("sold:d-1", "10", today, review)  # counts today, expires on the review
    same_expiry = batch("sold:d-0", "1", dt.date(2023, 7, 1), review)
    gone_today = batch("sold:d-2", "20", dt.date(2023, 6, 1), today)  # no longer counts
    after_review = batch("sold:d-3", "30", dt.date(2023, 8, 1), dt.date(2024, 7, 2))
    lasting = batch("sold:d-4", "40", dt.date(2023, 8, 1), None)
    managed = batch("managed:c-1", "50", dt.date(2024, 1, 1), review, track="managed")
    ledger = pt.PointsLedger(
        [earned_today, same_expiry, gone_today, after_review, lasting, managed]
    )
    assert ledger.sold_expiring_batches(today, review) == (same_expiry, earned_today)
    lost = ledger.sold_expiring(today, review)
    assert lost == {"total": Decimal(11), "sold": Decimal(11), "sourced": Decimal(11),
                    "assisted": Decimal(0), "sold_mrr_usd": Decimal(0)}  # fmt: skip
    assert all(type(value) is Decimal for value in lost.values())


def test_nothing_expiring_is_a_decimal_zero_per_sold_figure() -> None:
    lost = pt.PointsLedger().sold_expiring(dt.date(2024, 6, 1), dt.date(2024, 7, 1))
    assert set(lost) == {"total", "sold", "sourced", "assisted", "sold_mrr_usd"}
    assert {repr(value) for value in lost.values()} == {"Decimal('0')"}


_DAY = dt.date(2024, 6, 1)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        (lambda ledger, bad: ledger.active(bad), "as_of"),
        (lambda ledger, bad: ledger.expired(bad), "as_of"),
        (lambda ledger, bad: ledger.totals_by_client(bad), "as_of"),
        (lambda ledger, bad: ledger.totals_by_market(bad), "as_of"),
        (lambda ledger, bad: ledger.expiring(bad, _DAY), "start"),
        (lambda ledger, bad: ledger.expiring(_DAY, bad), "end"),
        (lambda ledger, bad: ledger.movements(bad, _DAY), "start"),
        (lambda ledger, bad: ledger.movements(_DAY, bad), "end"),
        (lambda ledger, bad: ledger.sold_mrr_usd(bad, _DAY), "start"),
        (lambda ledger, bad: ledger.sold_mrr_usd(_DAY, bad), "end"),
        (lambda ledger, bad: ledger.sold_expiring(bad, _DAY), "as_of"),
        (lambda ledger, bad: ledger.sold_expiring(_DAY, bad), "review"),
        (lambda ledger, bad: ledger.sold_expiring_batches(bad, _DAY), "as_of"),
        (lambda ledger, bad: ledger.sold_expiring_batches(_DAY, bad), "review"),
    ],
)
def test_each_day_argument_of_a_ledger_query_is_named_when_it_is_no_date(
    query: Any, name: str
) -> None:
    for ledger in (pt.PointsLedger(), pt.build_ledger(two_clients_book("1050"), PROGRAM)):
        with pytest.raises(pt.InvalidTypeError) as info:
            query(ledger, "2024-06-01")
        assert str(info.value) == f"{name}: must be a date (got '2024-06-01')"


def test_len_of_a_priced_ledger_makes_no_batches() -> None:
    ledger = pt.build_ledger(two_clients_book("1050"), PROGRAM)
    assert len(ledger) == 2
    assert ledger._batches is None  # counted from the event rows
    assert len(ledger.batches) == 2


def test_a_ledger_refuses_to_lose_an_attribute() -> None:
    ledger = pt.PointsLedger()
    with pytest.raises(AttributeError) as info:
        del ledger._batches
    assert str(info.value) == "PointsLedger is immutable: cannot delete _batches"
    assert ledger.batches == ()
