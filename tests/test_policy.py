"""The review policy and the tier ladder: review dates, the thresholds a tier is reached
and kept at, and the whole policy replayed day by day against a naive oracle
(tests/_policy_oracle.py): promotions, demotions with notice and soft landing, withdrawn
demotions and Provider."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import partner_tiers as pt
from _policy_oracle import EVERY_TRACK, oracle_replay, oracle_status
from _programs import LADDER, PROGRAM

SOURCED = pt.SalesMotion.SOURCED


# --- review dates --------------------------------------------------------------------------


def test_reviews_fall_after_the_start_and_on_or_before_the_end() -> None:
    policy = pt.ReviewPolicy(review_dates=("07-01", "01-01"))
    assert policy.review_dates == ("01-01", "07-01")
    assert policy.reviews(dt.date(2024, 1, 1), dt.date(2025, 1, 1)) == [
        dt.date(2024, 7, 1),
        dt.date(2025, 1, 1),
    ]
    assert policy.next_review(dt.date(2024, 12, 31)) == dt.date(2025, 1, 1)
    assert policy.next_review(dt.date(2025, 1, 1)) == dt.date(2025, 7, 1)
    assert policy.next_review(dt.date(2025, 7, 1)) == dt.date(2026, 1, 1)


def test_a_review_on_feb_29_falls_on_feb_28_in_common_years() -> None:
    policy = pt.ReviewPolicy(review_dates=("02-29",))
    assert policy.reviews(dt.date(2023, 1, 1), dt.date(2025, 12, 31)) == [
        dt.date(2023, 2, 28),
        dt.date(2024, 2, 29),
        dt.date(2025, 2, 28),
    ]


@pytest.mark.parametrize("text", ["-1", "x", "7-01", "13-01", "00-10", "04-31", "02-30", "01-00"])
def test_review_dates_that_are_not_month_days_are_refused_when_used(text: str) -> None:
    # Program files are refused when loaded (check_program); a policy built in Python
    # names the date when it is first used.
    policy = pt.ReviewPolicy(review_dates=("07-01", text))
    with pytest.raises(pt.ProgramError) as info:
        policy.next_review(dt.date(2024, 1, 1))
    assert str(info.value) == (
        f"policy.review_dates: must be MM-DD month-days, e.g. 01-01 (got {text!r})"
    )


@pytest.mark.parametrize(
    ("text", "pair"),
    [("01-01", (1, 1)), ("02-29", (2, 29)), ("12-31", (12, 31)), ("04-30", (4, 30))],
)
def test_review_dates_at_the_ends_of_months_are_month_days(
    text: str, pair: tuple[int, int]
) -> None:
    assert pt.ReviewPolicy(review_dates=(text,)).month_days() == [pair]


@pytest.mark.parametrize("value", ["01-01", None, 101, {"01-01": True}])
def test_review_dates_must_be_a_list(value: object) -> None:
    with pytest.raises(pt.InvalidRecordError) as info:
        pt.ReviewPolicy(review_dates=value)
    assert (info.value.field, info.value.reason) == (
        "ReviewPolicy.review_dates", "must be a list of MM-DD month-days",
    )  # fmt: skip
    assert info.value.value == value


# --- the ladder: reach, retain and the highest tier met --------------------------------------


def test_the_ladder_agrees_with_the_oracle_thresholds() -> None:
    from partner_tiers._rules.ladder import highest_met

    tiers = PROGRAM.tiers
    for total, sourced, managed in [
        ("52.5", "10", "10"),  # exactly Platinum's reach: met
        ("52.49", "10", "10"),
        ("420", "80", "79.99"),
        ("420", "80", "80"),
        ("0", "0", "0"),
    ]:
        values = {"total": Decimal(total), "sourced": Decimal(sourced), "managed": Decimal(managed)}
        expected = [
            index
            for index, (_, t, s, m) in enumerate(LADDER)
            if values["total"] >= t and values["sourced"] >= s and values["managed"] >= m
        ]
        top = max(expected, default=-1)

        def reached(_: int, tier: pt.Tier, values: dict[str, Decimal] = values) -> bool:
            return tier.met(values)

        assert highest_met(tiers, reached) == top
        assert highest_met(tiers, reached, below=top) == max(
            [index for index in expected if index < top], default=-1
        )
        for index, tier in enumerate(tiers):
            assert tier.met(values) == (index in expected)
            assert (sum(tier.shortfall(values).values()) == 0) == (index in expected)
    assert highest_met(tiers, lambda index, _: index == 0) == 0
    assert highest_met(tiers, lambda index, _: True, below=0) == -1


def test_highest_met_asks_each_tier_once_from_the_top() -> None:
    from partner_tiers._rules.ladder import highest_met

    asked: list[int] = []

    def never(index: int, tier: pt.Tier) -> bool:
        asked.append(index)
        return False

    assert highest_met(PROGRAM.tiers, never) == -1
    assert asked == [2, 1, 0]
    asked.clear()
    assert highest_met(PROGRAM.tiers, never, below=2) == -1
    assert asked == [1, 0]


def test_the_shortfall_to_keep_a_tier_reads_its_retain_thresholds(hubspot_2025: pt.Program) -> None:
    tier = hubspot_2025.tiers[0]  # Gold: reach 52.5 / 10 / 10, retain 47.25 / 9 / 9
    values = {"total": Decimal(48), "sourced": Decimal(9)}
    assert tier.shortfall(values, keep=True) == {
        "total": Decimal(0),
        "sourced": Decimal(0),
        "managed": Decimal(9),
    }
    assert tier.shortfall(values) == {
        "total": Decimal("4.5"),
        "sourced": Decimal(1),
        "managed": Decimal(10),
    }
    assert tier.shortfall({}) == dict(tier.reach)


def test_a_track_missing_from_the_values_counts_as_zero() -> None:
    free = pt.Tier("free", "Free", reach={"x": Decimal(0)})
    half = pt.Tier("half", "Half", reach={"x": Decimal("0.5")}, retain={"x": Decimal("0.25")})
    assert free.met({}) is True
    assert free.met({}, keep=True) is True
    assert half.met({}) is False
    assert half.met({}, keep=True) is False
    assert half.met({"x": Decimal("0.25")}, keep=True) is True
    assert half.met({"x": Decimal("0.25")}) is False


# --- the review policy, replayed day by day --------------------------------------------------
#
# The engine visits only the days on which something can change. The oracle
# (tests/_policy_oracle.py) visits every day from joining, and applies the published shape
# of the policy directly.


POLICIES = st.fixed_dictionaries(
    {
        # 01-03 is the day the partners of busy_books() join: a review on the first day.
        "review_dates": st.sampled_from(
            [["01-01", "07-01"], ["02-29"], ["03-31", "09-30", "12-15"], ["01-03", "07-03"]]
        ),
        "promotion": st.sampled_from(["immediate", "at_review"]),
        "notice_days": st.sampled_from([0, 1, 30, 200]),
        "soft_landing": st.booleans(),
        "first_tier_deadline_months": st.sampled_from([None, 1, 6, 24]),
    }
)


def program_with(
    policy: dict[str, Any], scale: Decimal, base: str = "hubspot-2025", window: int = 12
) -> pt.Program:
    """A shipped program with another policy, its thresholds scaled (lower: more changes),
    the tool-usage window changed, and every built-in track (so that the status shows
    each of them, expiring points included)."""
    data = pt.program_to_dict(pt.load_program(base))
    data["policy"] = {key: value for key, value in policy.items() if value is not None}
    for tier in data["tiers"]:
        for kind in ("reach", "retain"):
            tier[kind] = {track: str(Decimal(v) * scale) for track, v in tier[kind].items()}
    for gate in data["gates"]:
        if gate["kind"] == "median_tool_usage":
            gate["params"]["window_months"] = window
    known = {track["id"] for track in data["tracks"]}
    data["tracks"] += [{"id": track} for track in EVERY_TRACK if track not in known]
    return pt.program_from_dict(data)


JOINED = dt.date(2022, 1, 3)
PERIOD = st.integers(min_value=0, max_value=3 * 365).map(lambda n: JOINED + dt.timedelta(days=n))
EARLY = st.one_of(
    st.integers(min_value=0, max_value=500).map(lambda n: JOINED + dt.timedelta(days=n)),
    # Month ends (calendar months clip there), and the day before joining.
    st.sampled_from(
        [
            dt.date(2022, 1, 31),
            dt.date(2022, 8, 31),
            dt.date(2022, 12, 31),
            JOINED - dt.timedelta(days=1),
        ]
    ),
)
TOOLS = ("crm", "email", "forms", "workflows", "chat")


@st.composite
def busy_books(draw: st.DrawFn) -> pt.Book:
    """Books whose tiers move in their first three years: sales that expire a year later,
    managed service that starts and stops, certifications that lapse."""
    clients = [
        pt.Client(
            pt.ClientId(f"c-{i}"),
            f"Client {i}",
            country,
            pt.Relationship.SOLD_AND_MANAGED,
            tools_used=TOOLS[: draw(st.integers(min_value=1, max_value=5))],
        )
        for i, country in enumerate(
            draw(st.lists(st.sampled_from(["US", "IN"]), min_size=1, max_size=3))
        )
    ]
    ids = [client.id for client in clients]
    deals = [
        pt.Deal(
            pt.DealId(f"d-{i}"),
            draw(st.sampled_from(ids)),
            "sales-hub",
            *draw(
                st.sampled_from(
                    [
                        (pt.DealKind.NEW, pt.SalesMotion.SOURCED),
                        (pt.DealKind.NEW, pt.SalesMotion.ASSISTED),
                        (pt.DealKind.ADJUSTMENT, pt.SalesMotion.NONE),
                    ]
                )
            ),
            draw(EARLY),
            pt.Money(draw(st.integers(min_value=100, max_value=6000)), "USD"),
        )
        for i in range(draw(st.integers(min_value=1, max_value=8)))
    ]
    subscriptions, services = [], []
    for index, client in enumerate(ids):
        if index == 0 or draw(st.booleans()):
            since = draw(EARLY)
            until = draw(st.one_of(st.none(), st.integers(min_value=30, max_value=700)))
            subscriptions.append(
                pt.Subscription(
                    pt.SubscriptionId(f"s-{client}"),
                    client,
                    "service-hub",
                    "pro",
                    pt.Money(draw(st.integers(min_value=500, max_value=20000)), "USD"),
                    since,
                    since + dt.timedelta(days=365),
                )
            )
            services.append(
                pt.ManagedService(
                    client, since, None if until is None else since + dt.timedelta(days=until)
                )
            )
    starts = [JOINED, *draw(st.lists(PERIOD, max_size=1))]
    certifications = [
        pt.Certification(
            pt.CertificationId(f"cert-{i}"),
            "Certification",
            start,
            start + dt.timedelta(days=draw(st.integers(min_value=200, max_value=1200))),
        )
        for i, start in enumerate(starts)
    ]
    return pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", JOINED),
        clients=clients,
        deals=deals,
        subscriptions=subscriptions,
        managed_services=services,
        certifications=certifications,
    )


@settings(max_examples=60, deadline=None)
@given(
    busy_books(),
    POLICIES,
    st.sampled_from([Decimal("0.05"), Decimal("0.2"), Decimal(1)]),
    st.sampled_from(["hubspot-2025", "hubspot-2018"]),
    st.sampled_from([12, 6, 1]),
    # Mostly late days: the first year holds the sales, the next two their expiry.
    st.one_of(st.sampled_from([540, 800, 1095]), st.integers(min_value=-1, max_value=3 * 365)),
)
def test_the_status_agrees_with_a_day_by_day_oracle(
    book: pt.Book, policy: dict[str, Any], scale: Decimal, base: str, window: int, days: int
) -> None:
    program = program_with(policy, scale, base, window)
    end = book.partner.joined_on + dt.timedelta(days=max(days, 0))
    try:
        status = pt.evaluate(book, program, as_of=end)
    except pt.PricingError:
        return  # a deal the program cannot price: nothing to replay
    pending = status.pending_demotion
    actual = {
        "tier": status.tier,
        "qualified_tier": status.qualified_tier,
        "level": status.level,
        "values": dict(status.values),
        "next_tier": status.next_tier,
        "next_tier_reach": dict(status.next_tier_reach),
        "to_next_tier": dict(status.to_next_tier),
        "retain_minimum": dict(status.retain_minimum),
        "to_keep_tier": dict(status.to_keep_tier),
        "next_review": status.next_review,
        "expiring_before_review": dict(status.expiring_before_review),
        "projected_tier": status.projected_tier,
        "history": [(c.on, c.from_tier, c.to_tier, c.reason) for c in status.history],
        "pending": None if pending is None else (pending.on, pending.to_tier, pending.reason),
    }
    assert actual == oracle_status(book, program, end)


def test_an_announced_demotion_is_withdrawn_when_the_minimums_are_met_again() -> None:
    program = program_with(
        {
            "review_dates": ["07-01"],
            "promotion": "immediate",
            "notice_days": 30,
            "soft_landing": True,
            "first_tier_deadline_months": None,
        },
        Decimal(1),
    )
    client = pt.ClientId("c-1")
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", JOINED),
        clients=[
            pt.Client(client, "Client", "US", pt.Relationship.SOLD_AND_MANAGED, ("a", "b", "c"))
        ],
        subscriptions=[
            pt.Subscription(
                pt.SubscriptionId("s-1"),
                client,
                "service-hub",
                "pro",
                pt.Money("3800", "USD"),
                JOINED,
                dt.date(2027, 1, 1),
            )
        ],
        managed_services=[pt.ManagedService(client, JOINED)],
        certifications=[
            pt.Certification(pt.CertificationId("c"), "C", JOINED, dt.date(2027, 1, 1))
        ],
        deals=[
            # 1200 USD at 3: 36 sourced points + 38 managed = 74 >= 52.5: Gold on the day.
            pt.Deal(pt.DealId("d-1"), client, "l", pt.DealKind.NEW, SOURCED,
                    dt.date(2023, 6, 1), pt.Money("1200", "USD")),
            # After d-1 expires (2024-06-01) the review of 2024-07-01 finds sourced 0 < 9
            # and announces the demotion for 2024-07-31; this deal (190 USD at 5: 9.50)
            # brings the retain minimums back (total 47.50 >= 47.25, sourced 9.50 >= 9)
            # though not the reach thresholds (52.5 and 10) before it lands.
            pt.Deal(pt.DealId("d-2"), client, "l2", pt.DealKind.NEW, SOURCED,
                    dt.date(2024, 7, 15), pt.Money("190", "USD")),
        ],
    )  # fmt: skip
    during = pt.evaluate(book, program, as_of=dt.date(2024, 7, 20))
    assert during.tier == "gold"
    assert [r.text for r in during.explain().about("held")][1].startswith(
        "pending: down to untiered on 2024-07-31 (below the Gold retain minimum"
    )
    assert during.pending_demotion is not None
    assert (during.pending_demotion.on, during.pending_demotion.to_tier) == (
        dt.date(2024, 7, 31),
        None,
    )
    after = pt.evaluate(book, program, as_of=dt.date(2024, 8, 1))
    assert after.pending_demotion is None
    assert (after.values["total"], after.values["sourced"]) == (Decimal("47.50"), Decimal("9.50"))
    assert [(c.on, c.from_tier, c.to_tier, c.reason) for c in after.history] == [
        (dt.date(2023, 6, 1), None, "gold", "reached Gold on qualifying"),
        (
            dt.date(2024, 7, 31),
            "gold",
            "gold",
            "demotion announced for 2024-07-31 withdrawn: Gold retain minimums met again",
        ),
    ]
    assert oracle_replay(book, program, dt.date(2024, 8, 1)).history == tuple(
        (c.on, c.from_tier, c.to_tier, c.reason) for c in after.history
    )
    without = attrs.evolve(book, deals=book.deals[:1])
    landed = pt.evaluate(without, program, as_of=dt.date(2024, 8, 1))
    assert landed.tier is None
    assert landed.history[-1].reason == (
        "below the Gold retain minimum at the review of 2024-07-01 (total 38.00 < 47.25, "
        "sourced 0.00 < 9); soft landing: one tier down; notice given on 2024-07-01"
    )
