"""Program series: the shipped ``hubspot`` versions, each day judged by the version in
force on it, carry-over at a switch, series files, and the properties a series keeps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import partner_tiers as pt
from _books import one_client_book, sold_and_managed, with_upsell
from _programs import ladder_program
from partner_tiers.testing import strategies as pts

JUNE_30, SEPT_30 = dt.date(2025, 6, 30), dt.date(2025, 9, 30)
JAN_20 = dt.date(2026, 1, 20)
SERIES = pt.load_program("hubspot")
HUBSPOT_2025 = pt.load_program("hubspot-2025")


def between_gold_reaches() -> pt.Book:
    """A certified partner with 15 sourced points (300 USD sold on 2025-01-10 at 5) and 36
    managed points (3,600 USD MRR): total 51 in June 2025, above the 2024 Gold reach (50)
    and below the 2025 one (52.5), above the 2025 Gold retain minimum (47.25)."""
    joined = dt.date(2024, 1, 1)
    certified = pt.Certification(pt.CertificationId("cert"), "C", joined, dt.date(2027, 1, 1))
    return sold_and_managed(joined, dt.date(2025, 1, 10), [certified])


# --- the shipped series ------------------------------------------------------------------


def test_hubspot_is_the_shipped_versions_each_from_its_date() -> None:
    assert isinstance(SERIES, pt.ProgramSeries)
    assert "hubspot" in pt.list_programs()
    assert [version.label for version in SERIES.versions] == [
        "hubspot-2016@2016-01-01",
        "hubspot-2018@2018-01-01",
        "hubspot-2022@2022-07-18",
        "hubspot-2024@2024-02-27",
        "hubspot-2025@2025-07-15",
    ]
    assert SERIES.version_on(dt.date(2025, 7, 14)).name == "hubspot-2024"
    assert SERIES.version_on(dt.date(2025, 7, 15)).name == "hubspot-2025"
    assert SERIES.version_on(dt.date(2010, 1, 1)).name == "hubspot-2016"  # before the first


def test_the_2022_version_carries_silver_over_to_untiered() -> None:
    newer = pt.load_program("hubspot-2022")
    assert dict(newer.carry_over) == {"silver": "untiered"}
    assert SERIES.carry(newer, "silver") is None
    assert SERIES.carry(newer, "gold") == "gold"


def test_between_the_gold_reaches_the_series_keeps_gold_that_2025_alone_never_gives() -> None:
    book = between_gold_reaches()
    june, september = pt.statuses(book, SERIES, [JUNE_30, SEPT_30])
    assert june.points["total"] == september.points["total"] == Decimal("51.00")
    assert (june.tier, june.program) == ("gold", "hubspot-2024@2024-02-27")
    # Carried over on 2025-07-15, kept: 51 >= 47.25 and no review since decides otherwise.
    assert (september.tier, september.program) == ("gold", "hubspot-2025@2025-07-15")
    assert september.qualified_tier is None  # 51 < 52.5: not reachable under 2025
    assert september.history[-1].version == "hubspot-2024@2024-02-27"
    assert september.history[-1].cause is pt.ChangeCause.PROMOTION
    for alone in pt.statuses(book, HUBSPOT_2025, [JUNE_30, SEPT_30]):
        assert (alone.tier, alone.program) == (None, "hubspot-2025@2025-07-15")
    explained = september.explain().lines()
    assert "  decided under hubspot-2024@2024-02-27, the version in force on 2025-01-10" in (
        explained
    )
    assert september.to_dict()["history"][-1]["version"] == "hubspot-2024@2024-02-27"


def test_the_next_review_judges_the_carried_tier_by_the_new_retain_minimums() -> None:
    # Managed service ends 2025-08-01: 15 points left, below the 2025 Gold retain (47.25).
    book = between_gold_reaches()
    ended = attrs.evolve(
        book, managed_services=[attrs.evolve(book.managed_services[0], until=dt.date(2025, 8, 1))]
    )
    review, after = pt.statuses(ended, SERIES, [dt.date(2026, 1, 1), dt.date(2026, 1, 31)])
    assert review.tier == "gold"  # the 2025 policy gives 30 days' notice
    pending = review.pending_demotion
    assert pending is not None
    assert (pending.on, pending.to_tier, pending.cause, pending.version) == (
        dt.date(2026, 1, 31),
        None,
        pt.ChangeCause.REVIEW_DEMOTION,
        "hubspot-2025@2025-07-15",
    )
    assert "below the Gold retain minimum at the review of 2026-01-01 (total 15.00 < 47.25" in (
        pending.reason
    )
    # The announced demotion lands when the notice ends.
    assert after.tier is None
    assert [(c.on, c.cause) for c in after.history[-1:]] == [
        (dt.date(2026, 1, 31), pt.ChangeCause.REVIEW_DEMOTION)
    ]


def test_deals_are_priced_by_the_version_in_force_on_their_close_date() -> None:
    book = between_gold_reaches()
    ledger = pt.build_ledger(book, SERIES)
    assert ledger.batch("sold:d-1").program == "hubspot-2024@2024-02-27"
    managed = [batch for batch in ledger.batches if batch.track is pt.Track.MANAGED]
    # Cut at every switch day the service lives through: 2024-02-27 and 2025-07-15.
    assert [(b.earned_on, b.expires_on, b.program) for b in managed] == [
        (dt.date(2024, 1, 1), dt.date(2024, 2, 27), "hubspot-2022@2022-07-18"),
        (dt.date(2024, 2, 27), dt.date(2025, 7, 15), "hubspot-2024@2024-02-27"),
        (dt.date(2025, 7, 15), None, "hubspot-2025@2025-07-15"),
    ]


def test_a_single_program_keeps_its_ledger() -> None:
    book = between_gold_reaches()
    assert pt.build_ledger(book, HUBSPOT_2025) == pt.build_ledger(
        book, pt.ProgramSeries("one", "One", (HUBSPOT_2025,))
    )


def test_a_2018_silver_partner_lands_on_untiered_at_the_points_model() -> None:
    joined = dt.date(2017, 6, 1)
    client = pt.ClientId("c-1")
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "US", joined),
        clients=[pt.Client(client, "C", "US", pt.Relationship.SOLD_AND_MANAGED,
                           tools_used=("a", "b", "c", "d", "e"))],
        deals=[pt.Deal(pt.DealId("d-1"), client, "sales-hub", pt.DealKind.NEW,
                       pt.SalesMotion.SOURCED, dt.date(2022, 3, 1), pt.Money("1200", "USD"))],
        subscriptions=[pt.Subscription(pt.SubscriptionId("s-1"), client, "sales-hub", "pro",
                                       pt.Money("1200", "USD"), joined, dt.date(2023, 6, 1))],
        managed_services=[pt.ManagedService(client, joined)],
        certifications=[pt.Certification(pt.CertificationId("c"), "C", joined,
                                         dt.date(2030, 1, 1))],
    )  # fmt: skip
    before, on = pt.statuses(book, SERIES, [dt.date(2022, 7, 17), dt.date(2022, 7, 18)])
    assert (before.tier, before.program) == ("silver", "hubspot-2018@2018-01-01")
    assert on.tier is None
    switch = on.history[-1]
    assert (switch.on, switch.from_tier, switch.to_tier, switch.cause) == (
        dt.date(2022, 7, 18),
        "silver",
        None,
        pt.ChangeCause.VERSION_SWITCH,
    )
    assert switch.reason == (
        "hubspot-2022@2022-07-18 in force from 2022-07-18: silver carries over to untiered"
    )


def test_the_cli_defaults_to_the_series_and_keeps_single_programs() -> None:
    from click.testing import CliRunner

    from partner_tiers._cli import cli

    runner = CliRunner()
    shown = runner.invoke(cli, ["programs", "show", "hubspot"])
    assert shown.exit_code == 0
    assert '{ program = "hubspot-2022", effective_from = "2022-07-18" }' in shown.output
    default = runner.invoke(cli, ["demo", "--as-of", "2024-06-30"])
    single = runner.invoke(cli, ["demo", "--as-of", "2024-06-30", "--program", "hubspot-2025"])
    assert "hubspot-2024@2024-02-27 as of 2024-06-30" in default.output
    assert "hubspot-2025@2025-07-15 as of 2024-06-30" in single.output
    diff = runner.invoke(cli, ["programs", "diff", "hubspot", "--on", "2024-03-01"])
    assert diff.output.startswith("hubspot-2022@2022-07-18 -> hubspot-2024@2024-02-27: ")


def test_diff_programs_compares_a_version_with_the_one_before() -> None:
    difference = pt.diff_programs(SERIES, on=dt.date(2025, 8, 1))
    assert (difference.a, difference.b) == ("hubspot-2024@2024-02-27", "hubspot-2025@2025-07-15")
    assert difference == pt.diff_programs(
        pt.load_program("hubspot-2024"), pt.load_program("hubspot-2025")
    )
    with pytest.raises(pt.InvalidRecordError, match="the first version of hubspot"):
        pt.diff_programs(SERIES, on=dt.date(2017, 1, 1))


# --- series files ------------------------------------------------------------------------


def test_a_series_file_lists_versions_by_name_or_path(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text(HUBSPOT_2025.to_toml(), "utf-8")
    (tmp_path / "series.toml").write_text(
        'name = "mine"\ntitle = "Mine"\n\n'
        '[[versions]]\nprogram = "hubspot-2024"\neffective_from = 2024-02-27\n\n'
        '[[versions]]\nprogram = "mine.toml"\neffective_from = 2025-09-01\n',
        "utf-8",
    )
    series = pt.load_series(tmp_path / "series.toml")
    assert [version.effective_from for version in series.versions] == [
        dt.date(2024, 2, 27),
        dt.date(2025, 9, 1),
    ]
    assert series.version_on(dt.date(2025, 8, 1)).name == "hubspot-2024"
    with pytest.raises(pt.ProgramValidationError, match="read it with load_series"):
        pt.load_program(tmp_path / "series.toml")


def test_a_series_file_names_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'name = "bad"\ntitle = "Bad"\ncolour = "red"\n\n'
        '[[versions]]\nprogram = "hubspot-2025"\neffective_from = 2025-07-15\n\n'
        '[[versions]]\nprogram = "hubspot-2018"\neffective_from = 2018-01-01\n\n'
        '[[versions]]\nprogram = "nope.toml"\neffective_from = "soon"\n',
        "utf-8",
    )
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.load_series(path)
    paths = [problem.path for problem in info.value.problems]
    assert paths == ["colour", "versions[2].effective_from", "versions[2].program"]


def test_a_series_must_say_where_a_removed_tier_lands() -> None:
    series = pt.ProgramSeries(
        "s", "S", (pt.load_program("hubspot-2018"), pt.load_program("hubspot-2024"))
    )
    with pytest.raises(pt.ProgramValidationError) as info:
        series.check()
    assert [problem.path for problem in info.value.problems] == ["versions[1].carry_over"]
    assert "tier silver is not in hubspot-2024@2024-02-27" in str(info.value)


def test_a_carry_over_must_name_a_tier_of_the_program() -> None:
    data = pt.program_to_dict(HUBSPOT_2025)
    data["carry_over"] = {"silver": "bronze"}
    with pytest.raises(pt.ProgramValidationError, match=r"carry_over\.silver: must be a tier"):
        pt.program_from_dict(data)


# --- properties --------------------------------------------------------------------------


def _monotone(program: pt.Program, scale: Decimal) -> pt.Program:
    """The version with its thresholds scaled down (so that small generated books reach
    tiers) and without the median-tool-usage gate, which is not monotone in deals: a
    sale to a client that uses few tools lowers the median."""
    tiers = tuple(
        attrs.evolve(
            tier,
            reach={track: value * scale for track, value in tier.reach.items()},
            retain={track: value * scale for track, value in tier.retain.items()},
        )
        for tier in program.tiers
    )
    gates = tuple(gate for gate in program.gates if gate.kind != "median_tool_usage")
    return attrs.evolve(program, tiers=tiers, gates=gates)


MONOTONE = pt.ProgramSeries(
    "monotone",
    "HubSpot scaled down, without the median gate",
    tuple(_monotone(version, Decimal("0.05")) for version in SERIES.versions),
)
DAYS = st.lists(pts.dates(dt.date(2016, 1, 1), dt.date(2027, 12, 31)), min_size=1, max_size=4)
LONG_CERTIFICATION = pt.Certification(
    pt.CertificationId("cert-long"), "C", dt.date(2016, 1, 1), dt.date(2030, 12, 31)
)


CLIENT = pt.ClientId("c-1")
WINDOW = pts.dates(dt.date(2021, 1, 1), dt.date(2026, 6, 30))
LIKELY = st.integers(min_value=0, max_value=3).map(lambda n: n < 3)  # mostly true


@st.composite
def busy_books(draw: st.DrawFn) -> tuple[pt.Book, list[dt.date]]:
    """A partner with one client it sells to and services: up to five sales between 2021
    and mid-2026 and a subscription managed from a day of 2021-2023, in amounts that
    reach tiers; mostly a certification valid throughout besides a random one; and days
    to look at."""
    joined = dt.date(2021, 1, 1)
    amounts = st.integers(min_value=50, max_value=3000).map(lambda n: pt.Money(n, "USD"))
    motions = st.sampled_from([pt.SalesMotion.SOURCED, pt.SalesMotion.ASSISTED])
    sales = draw(st.lists(st.tuples(WINDOW, amounts, motions), max_size=5))
    deals = [
        pt.Deal(pt.DealId(f"d-{n}"), CLIENT, f"line-{n}", pt.DealKind.NEW, motion, day, amount)
        for n, (day, amount, motion) in enumerate(sales)
    ]
    since = draw(pts.dates(dt.date(2021, 1, 1), dt.date(2023, 12, 31)))
    subscription = pt.Subscription(
        pt.SubscriptionId("s-1"), CLIENT, "service-hub", "pro", draw(amounts), since,
        since + dt.timedelta(days=365),
    )  # fmt: skip
    certifications = [draw(pts.certifications())]
    if draw(LIKELY):
        certifications.append(LONG_CERTIFICATION)
    book = pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", joined),
        clients=[pt.Client(CLIENT, "Client", "US", pt.Relationship.SOLD_AND_MANAGED)],
        deals=deals,
        subscriptions=[subscription],
        managed_services=[pt.ManagedService(CLIENT, since)],
        certifications=certifications,
    )
    return book, draw(st.lists(WINDOW, min_size=1, max_size=4))


def _ranks(book: pt.Book, days: list[dt.date]) -> list[int]:
    return [
        MONOTONE.version_on(status.as_of).tier_index(status.tier)
        for status in pt.statuses(book, MONOTONE, days)
    ]


@settings(max_examples=60, deadline=None)
@given(busy_books(), st.data())
def test_adding_a_deal_never_lowers_the_tier_on_a_later_day(
    book_and_days: tuple[pt.Book, list[dt.date]], data: st.DataObject
) -> None:
    book, days = book_and_days
    added = data.draw(
        pts.deals([CLIENT], ["added-line"], kinds=[pt.DealKind.NEW], currencies=["USD"])
    )
    added = attrs.evolve(added, id=pt.DealId("d-added"))
    later = [day for day in days if day >= added.closed_on] or [added.closed_on]
    more = attrs.evolve(book, deals=(*book.deals, added))
    try:
        before, after = _ranks(book, later), _ranks(more, later)
    except pt.PricingError:
        return
    assert all(b <= a for b, a in zip(before, after, strict=True))


@settings(max_examples=60, deadline=None)
@given(busy_books(), st.data())
def test_removing_a_certification_never_raises_the_tier(
    book_and_days: tuple[pt.Book, list[dt.date]], data: st.DataObject
) -> None:
    book, days = book_and_days
    index = data.draw(st.integers(0, len(book.certifications) - 1))
    fewer = attrs.evolve(
        book, certifications=book.certifications[:index] + book.certifications[index + 1 :]
    )
    try:
        before, after = _ranks(book, days), _ranks(fewer, days)
    except pt.PricingError:
        return
    assert all(a <= b for b, a in zip(before, after, strict=True))


@settings(max_examples=60, deadline=None)
@given(busy_books(), st.sampled_from(MONOTONE.versions))
def test_a_series_of_one_version_equals_the_version_alone(
    book_and_days: tuple[pt.Book, list[dt.date]], version: pt.Program
) -> None:
    book, days = book_and_days
    try:
        alone = pt.statuses(book, version, days)
    except pt.PricingError:
        return
    series = pt.ProgramSeries("one", "One version", (version,))
    assert pt.statuses(book, series, days) == alone
    in_series = pt.statuses(book, series, days)

    def outcome(status: pt.TierStatus) -> dict[str, object]:
        # The receipts differ by design: one names the series and its hash.
        return {key: value for key, value in status.to_dict().items() if key != "receipt"}

    assert [outcome(status) for status in in_series] == [outcome(status) for status in alone]
    assert [status.receipt.version for status in in_series if status.receipt] == [
        status.receipt.version for status in alone if status.receipt
    ]


# --- load_series: the registry and the argument, exactly --------------------------------


def test_the_shipped_series_takes_the_given_registry_in_every_version() -> None:
    registry = pt.Registry().with_gate("always", lambda context, params: pt.GateOutcome(True, ""))
    series = pt.load_series("hubspot", registry=registry)
    assert [version.registry for version in series.versions] == [registry] * len(SERIES.versions)
    assert [attrs.evolve(v, registry=pt.Registry()) for v in series.versions] == [
        attrs.evolve(v, registry=pt.Registry()) for v in SERIES.versions
    ]
    assert (series.label, series.title, series.description) == (
        SERIES.label,
        SERIES.title,
        SERIES.description,
    )


def test_a_shipped_program_as_a_series_keeps_its_registry_and_description() -> None:
    registry = pt.Registry().with_gate("always", lambda context, params: pt.GateOutcome(True, ""))
    series = pt.load_series("hubspot-2025", registry=registry)
    (version,) = series.versions
    assert version.registry is registry
    assert version == attrs.evolve(HUBSPOT_2025, registry=registry)
    assert series.description == HUBSPOT_2025.description != ""


def test_a_series_file_named_by_a_string_is_read_as_a_series(tmp_path: Path) -> None:
    (tmp_path / "series.toml").write_text(
        'name = "mine"\ntitle = "Mine"\n\n'
        '[[versions]]\nprogram = "hubspot-2024"\neffective_from = 2024-02-27\n',
        "utf-8",
    )
    series = pt.load_series(str(tmp_path / "series.toml"))
    assert (series.label, [v.name for v in series.versions]) == ("mine", ["hubspot-2024"])


def test_load_series_names_its_argument() -> None:
    with pytest.raises(pt.InvalidTypeError, match=r"^name_or_path: "):
        pt.load_series(42)  # type: ignore[arg-type]


def test_a_series_file_reads_every_version_with_the_given_registry(tmp_path: Path) -> None:
    registry = pt.Registry().with_gate("always", lambda context, params: pt.GateOutcome(True, ""))
    (tmp_path / "mine.toml").write_text(HUBSPOT_2025.to_toml(), "utf-8")
    (tmp_path / "series.toml").write_text(
        'name = "mine"\ntitle = "Mine"\n\n'
        '[[versions]]\nprogram = "hubspot-2024"\neffective_from = 2024-02-27\n\n'
        '[[versions]]\nprogram = "mine.toml"\neffective_from = 2025-09-01\n',
        "utf-8",
    )
    series = pt.load_series(tmp_path / "series.toml", registry=registry)
    assert [version.registry for version in series.versions] == [registry, registry]


def test_a_program_file_as_a_series_keeps_its_registry_title_and_description(
    tmp_path: Path,
) -> None:
    registry = pt.Registry().with_gate("always", lambda context, params: pt.GateOutcome(True, ""))
    path = tmp_path / "mine.toml"
    path.write_text(HUBSPOT_2025.to_toml(), "utf-8")
    series = pt.load_series(path, registry=registry)
    assert series.versions[0].registry is registry
    assert (series.label, series.title, series.description) == (
        HUBSPOT_2025.label,
        HUBSPOT_2025.title,
        HUBSPOT_2025.description,
    )


def test_the_problems_of_a_series_file_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'name = "bad"\ntitle = "Bad"\ncolour = "red"\n\n'
        '[[versions]]\nprogram = "hubspot-2025"\neffective_from = 2025-07-15\n',
        "utf-8",
    )
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.load_series(path)
    assert info.value.lines() == [f"{path}: colour: is not a key of series files (got 'colour')"]


# --- a demotion pending when a newer version takes effect -------------------------------


def platinum_then_gold() -> pt.Book:
    """Platinum under hubspot-2025 (50 sourced + 160 managed points); a managed service of
    100 points ends on 2025-12-01, so the review of 2026-01-01 announces a demotion to Gold
    (110 < the Platinum retain of 141.75), due on 2026-01-31 after 30 days' notice."""
    joined = dt.date(2024, 1, 1)
    a, b = pt.ClientId("c-a"), pt.ClientId("c-b")
    tools = ("crm", "email", "forms", "ads")
    return pt.Book(
        pt.Partner(pt.PartnerId("p-1"), "Partner", "DE", joined),
        clients=[
            pt.Client(a, "A", "US", pt.Relationship.MANAGED, tools_used=tools),
            pt.Client(b, "B", "US", pt.Relationship.MANAGED, tools_used=tools),
        ],
        deals=[
            pt.Deal(pt.DealId("d-1"), a, "sales-hub", pt.DealKind.NEW,
                    pt.SalesMotion.SOURCED, dt.date(2025, 9, 1), pt.Money("1000", "USD")),
        ],
        subscriptions=[
            pt.Subscription(pt.SubscriptionId("s-a"), a, "service-hub", "pro",
                            pt.Money("10000", "USD"), joined, dt.date(2027, 1, 1)),
            pt.Subscription(pt.SubscriptionId("s-b"), b, "service-hub", "pro",
                            pt.Money("6000", "USD"), joined, dt.date(2027, 1, 1)),
        ],
        managed_services=[
            pt.ManagedService(a, joined, until=dt.date(2025, 12, 1)),
            pt.ManagedService(b, joined),
        ],
        certifications=[
            pt.Certification(pt.CertificationId("cert"), "C", joined, dt.date(2027, 1, 1))
        ],
    )  # fmt: skip


def _switching_on_jan_15(carry_over: dict[str, str]) -> pt.ProgramSeries:
    newer = attrs.evolve(
        HUBSPOT_2025, version="2026", effective_from=dt.date(2026, 1, 15), carry_over=carry_over
    )
    return pt.ProgramSeries("mine", "Mine", (HUBSPOT_2025, newer))


def test_a_pending_demotion_lands_where_the_newer_version_carries_its_target() -> None:
    series = _switching_on_jan_15({"gold": "untiered"})
    before, after = pt.statuses(platinum_then_gold(), series, [dt.date(2026, 1, 10), JAN_20])
    assert before.pending_demotion is not None
    assert (before.tier, before.pending_demotion.to_tier) == ("platinum", "gold")
    assert after.pending_demotion is not None
    assert (after.tier, after.pending_demotion.on, after.pending_demotion.to_tier) == (
        "platinum",
        dt.date(2026, 1, 31),
        None,
    )


def test_a_pending_demotion_lands_after_a_gate_fails_and_recovers_meanwhile() -> None:
    # The demotion announced at the 2026-01-01 review is due on 2026-01-31; the
    # certification lapses from 01-10 to 01-19 in between. The gate caps and frees the
    # tier; the demotion still lands on its day.
    joined = dt.date(2024, 1, 1)
    book = attrs.evolve(
        platinum_then_gold(),
        certifications=[
            pt.Certification(pt.CertificationId("c-1"), "C", joined, dt.date(2026, 1, 9)),
            pt.Certification(
                pt.CertificationId("c-2"), "C", dt.date(2026, 1, 20), dt.date(2027, 1, 1)
            ),
        ],
    )
    status = pt.evaluate(book, HUBSPOT_2025, as_of=dt.date(2026, 2, 5))
    assert status.tier == "gold"
    assert [(c.on, c.from_tier, c.to_tier, c.cause) for c in status.history][-3:] == [
        (dt.date(2026, 1, 10), "platinum", None, pt.ChangeCause.GATE_FAILED),
        (dt.date(2026, 1, 20), None, "platinum", pt.ChangeCause.GATE_RECOVERED),
        (dt.date(2026, 1, 31), "platinum", "gold", pt.ChangeCause.REVIEW_DEMOTION),
    ]


def _falling_on_jan_10(
    older_reviews: tuple[str, ...], newer_reviews: tuple[str, ...], sale: dt.date
) -> tuple[pt.Book, pt.ProgramSeries]:
    """platinum_then_gold with its points below Platinum's retain from 2026-01-10, under
    a series whose newer version takes effect on 2026-07-31; each version reviews on its
    own dates. A 20 USD upsell on ``sale`` (one point, no tier) makes the replay visit
    that day: a review date out of force there must still be no review."""
    book = platinum_then_gold()
    ending = attrs.evolve(book.managed_services[0], until=dt.date(2026, 1, 10))
    book = attrs.evolve(book, managed_services=(ending, *book.managed_services[1:]))
    book = with_upsell(book, sale, "20")

    def reviewing(dates: tuple[str, ...], **changes: Any) -> pt.Program:
        policy = attrs.evolve(HUBSPOT_2025.policy, review_dates=dates)
        return attrs.evolve(HUBSPOT_2025, policy=policy, **changes)

    newer = reviewing(newer_reviews, version="2026", effective_from=dt.date(2026, 7, 31))
    return book, pt.ProgramSeries("mine", "Mine", (reviewing(older_reviews), newer))


def _first_review_seeing_the_fall(book: pt.Book, series: pt.ProgramSeries) -> str:
    status = pt.evaluate(book, series, as_of=dt.date(2026, 9, 30))
    [demotion] = [c for c in status.history if c.cause is pt.ChangeCause.REVIEW_DEMOTION]
    return demotion.reason.split(" (")[0]


def test_a_newer_versions_review_dates_apply_from_its_first_day() -> None:
    # The newer version's 02-01 falls before it is in force; its 08-01 is its second day.
    book, series = _falling_on_jan_10(("01-01",), ("02-01", "08-01"), dt.date(2026, 2, 1))
    assert _first_review_seeing_the_fall(book, series) == (
        "below the Platinum retain minimum at the review of 2026-08-01"
    )


def test_an_older_versions_review_dates_stop_when_the_newer_takes_effect() -> None:
    # The older version's 08-01 falls after the newer took effect on 07-31.
    book, series = _falling_on_jan_10(("01-01", "08-01"), ("08-20",), dt.date(2026, 8, 1))
    assert _first_review_seeing_the_fall(book, series) == (
        "below the Platinum retain minimum at the review of 2026-08-20"
    )


def test_the_next_review_is_the_newer_versions_when_it_takes_effect_first() -> None:
    # From 2026-03-01 the reviews are on 02-01 and 08-01: on 2026-02-15 the next review
    # is 2026-08-01, not the older version's 2026-07-01, which it no longer holds.
    policy = attrs.evolve(HUBSPOT_2025.policy, review_dates=("02-01", "08-01"))
    newer = attrs.evolve(
        HUBSPOT_2025, version="2026", effective_from=dt.date(2026, 3, 1), policy=policy
    )
    series = pt.ProgramSeries("mine", "Mine", (HUBSPOT_2025, newer))
    status = pt.evaluate(platinum_then_gold(), series, as_of=dt.date(2026, 2, 15))
    assert (status.program, status.next_review) == (HUBSPOT_2025.label, dt.date(2026, 8, 1))
    assert series.next_review(dt.date(2025, 12, 31)) == dt.date(2026, 1, 1)
    assert series.next_review(dt.date(2026, 8, 1)) == dt.date(2027, 2, 1)


def test_a_review_date_on_a_switch_day_is_no_review() -> None:
    # The newer version takes effect on 2026-02-01, one of its review dates: as in the
    # replay, nobody is reviewed on a switch day, so the next review is 2026-08-01.
    policy = attrs.evolve(HUBSPOT_2025.policy, review_dates=("02-01", "08-01"))
    newer = attrs.evolve(
        HUBSPOT_2025, version="2026", effective_from=dt.date(2026, 2, 1), policy=policy
    )
    series = pt.ProgramSeries("mine", "Mine", (HUBSPOT_2025, newer))
    assert series.next_review(dt.date(2026, 1, 15)) == dt.date(2026, 8, 1)
    assert series.next_review(dt.date(2025, 12, 15)) == dt.date(2026, 1, 1)


def _gold_raised_on(day: dt.date) -> pt.ProgramSeries:
    """The ladder program (gold 10, platinum 50, diamond 100 total points; no gates), then
    from ``day`` the same with Gold's reach raised to 30."""
    older = ladder_program(soft_landing=True)
    data = pt.program_to_dict(older)
    data["version"], data["effective_from"] = "2", day.isoformat()
    data["tiers"][0]["reach"]["total"] = "30"
    return pt.ProgramSeries("raised", "Raised", (older, pt.program_from_dict(data)))


@pytest.mark.parametrize(
    ("joined", "tier"),
    [
        (dt.date(2024, 2, 29), "gold"),  # the day before the newer version
        (dt.date(2024, 3, 10), None),  # after it took effect
    ],
)
def test_a_partner_starts_under_the_version_in_force_on_the_day_it_joins(
    joined: dt.date, tier: str | None
) -> None:
    # 15 points on the day the partner joins: Gold under the older version, not the newer.
    book = one_client_book(joined, ("d-1", joined, 15))
    status = pt.evaluate(book, _gold_raised_on(dt.date(2024, 3, 1)), as_of=joined)
    assert (status.tier, status.level) == (tier, "partner")
    assert [(c.on, c.to_tier) for c in status.history] == ([(joined, "gold")] if tier else [])


def test_a_promotion_the_gates_hold_at_the_held_tier_leaves_a_pending_demotion() -> None:
    # With 8,500 USD managed for B, the 2026-01-01 review (135 < 141.75) announces the
    # demotion for 01-31. A 10,000 USD sale on 01-10 reaches Diamond, which the invitation
    # gate holds back at Platinum: no promotion, and on 01-31 the demotion is withdrawn.
    book = platinum_then_gold()
    richer = attrs.evolve(book.subscriptions[1], mrr=pt.Money("8500", "USD"))
    book = attrs.evolve(book, subscriptions=(book.subscriptions[0], richer))
    book = with_upsell(book, dt.date(2026, 1, 10), "10000")
    gates = tuple(
        attrs.evolve(gate, tiers=("diamond", "elite")) if gate.id == "invited" else gate
        for gate in HUBSPOT_2025.gates
    )
    status = pt.evaluate(book, attrs.evolve(HUBSPOT_2025, gates=gates), as_of=dt.date(2026, 2, 5))
    assert (status.tier, status.pending_demotion) == ("platinum", None)
    assert [(c.on, c.to_tier, c.cause) for c in status.history][-1] == (
        dt.date(2026, 1, 31),
        "platinum",
        pt.ChangeCause.DEMOTION_WITHDRAWN,
    )


def test_a_pending_demotion_to_the_carried_tier_is_dropped() -> None:
    series = _switching_on_jan_15({"platinum": "gold"})
    status = pt.evaluate(platinum_then_gold(), series, as_of=JAN_20)
    assert (status.tier, status.pending_demotion) == ("gold", None)


def test_the_switch_that_carries_platinum_to_gold_is_in_the_history() -> None:
    series = _switching_on_jan_15({"platinum": "gold"})
    status = pt.evaluate(platinum_then_gold(), series, as_of=JAN_20)
    assert status.history[-1] == pt.TierChange(
        dt.date(2026, 1, 15),
        "platinum",
        "gold",
        "hubspot-2025@2026 in force from 2026-01-15: platinum carries over to gold",
        pt.ChangeCause.VERSION_SWITCH,
        "hubspot-2025@2026",
    )


def test_gates_of_the_newer_version_cap_the_carried_tier_at_the_switch() -> None:
    guarded = ("invited", "retention")
    gates = tuple(
        attrs.evolve(gate, tiers=("platinum", "diamond", "elite")) if gate.id in guarded else gate
        for gate in HUBSPOT_2025.gates
    )
    newer = attrs.evolve(
        HUBSPOT_2025, version="2026", effective_from=dt.date(2025, 11, 15), gates=gates
    )
    series = pt.ProgramSeries("mine", "Mine", (HUBSPOT_2025, newer))
    status = pt.evaluate(platinum_then_gold(), series, as_of=dt.date(2025, 11, 20))
    assert status.tier == "gold"
    change = status.history[-1]
    assert (change.on, change.from_tier, change.to_tier) == (
        dt.date(2025, 11, 15),
        "platinum",
        "gold",
    )
    assert change.reason == (
        "hubspot-2025@2026 in force from 2025-11-15: platinum carries over to platinum"
        "; gate invited failed: invited is not stated"
        "; gate retention failed: the book states no retention"
    )


def test_a_tier_decided_under_an_older_version_is_explained_as_held() -> None:
    september = pt.evaluate(between_gold_reaches(), SERIES, as_of=SEPT_30)
    (decided,) = [r for r in september.explain().about("held") if r.depth == 1]
    assert (decided.topic, decided.subject) == ("held", "gold")
    assert decided.text.startswith("decided under hubspot-2024@2024-02-27")


def test_load_program_passes_its_registry_to_the_shipped_series() -> None:
    registry = pt.Registry().with_gate("always", lambda context, params: pt.GateOutcome(True, ""))
    series = pt.load_program("hubspot", registry=registry)
    assert {version.registry for version in series.versions} == {registry}


def test_load_program_refuses_a_series_file_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "series.toml"
    path.write_text(
        'name = "mine"\ntitle = "Mine"\n\n'
        '[[versions]]\nprogram = "hubspot-2024"\neffective_from = 2024-02-27\n',
        "utf-8",
    )
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.load_program(path)
    assert info.value.lines() == [
        f"{path}: versions: makes it a series file: read it with load_series"
    ]


def test_load_program_names_a_file_that_does_not_parse(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('name = "x"\ntitle = \n', "utf-8")
    with pytest.raises(pt.ProgramValidationError) as info:
        pt.load_program(path)
    assert info.value.lines()[0].startswith(f"{path}: line 2: ")
