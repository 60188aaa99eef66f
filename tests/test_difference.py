"""explain_difference and `partner-tiers compare`: every track's change split into
causes whose amounts add up exactly."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import partner_tiers as pt
from partner_tiers._cli import main
from partner_tiers.testing import strategies as pts

SERIES = pt.load_program("hubspot")
HUBSPOT_2024 = pt.load_program("hubspot-2024")
DEC_2024, JUN_2025 = dt.date(2024, 12, 31), dt.date(2025, 6, 30)


def assert_adds_up(difference: pt.Difference) -> None:
    for track in difference.tracks:
        assert track.after - track.before == track.change
        assert sum((cause.amount for cause in track.causes), Decimal(0)) == track.change
        for cause in track.causes:
            if cause.items:
                assert sum((amount for _, amount in cause.items), Decimal(0)) == cause.amount


def test_two_month_ends_of_the_demo_name_the_expired_batch_and_the_new_deals() -> None:
    book = pt.demo_book()
    difference = pt.explain_difference(
        pt.evaluate(book, SERIES, as_of=DEC_2024), pt.evaluate(book, SERIES, as_of=JUN_2025)
    )
    sold = difference.track("sold")
    causes = {cause.kind: cause for cause in sold.causes}
    assert causes[pt.CauseKind.EXPIRED].items == (("sold:d-4", Decimal("-100.00")),)
    new = causes[pt.CauseKind.EFFECTIVE_IN_WINDOW]
    assert dict(new.items) == {"sold:d-3": Decimal("12.00"), "sold:d-5": Decimal("12.00")}
    assert sold.change == Decimal("-76.00")
    assert_adds_up(difference)
    assert difference.program_switch is None
    assert [change.to_tier for change in difference.tier_changes] == ["platinum"]


def test_a_late_deal_is_attributed_to_late_recording() -> None:
    book = pt.demo_book()
    book = attrs.evolve(
        book,
        deals=tuple(
            attrs.evolve(d, recorded_on=dt.date(2025, 3, 10)) if d.id == "d-5" else d
            for d in book.deals
        ),
    )
    day = dt.date(2025, 2, 28)
    difference = pt.explain_difference(
        pt.evaluate(book, SERIES, as_of=day, known_at=dt.date(2025, 3, 1)),
        pt.evaluate(book, SERIES, as_of=day, known_at=dt.date(2025, 3, 31)),
    )
    [cause] = difference.track("total").causes
    assert (cause.kind, cause.items) == (
        pt.CauseKind.RECORDED_LATE,
        (("sold:d-5", Decimal("12.00")),),
    )


def test_a_version_switch_and_changed_gates_are_named() -> None:
    book = pt.demo_book()
    before = pt.evaluate(book, SERIES, as_of=JUN_2025)
    after = pt.evaluate(book, SERIES, as_of=dt.date(2025, 7, 31))
    difference = pt.explain_difference(before, after)
    assert difference.program_switch == (before.program, after.program)
    assert [c.kind for c in difference.track("sourced").causes] == [pt.CauseKind.PROGRAM_SWITCH]
    assert_adds_up(difference)
    no_cert = attrs.evolve(book, certifications=())
    gates = pt.explain_difference(
        pt.evaluate(no_cert, SERIES, as_of=JUN_2025), pt.evaluate(book, SERIES, as_of=JUN_2025)
    ).gate_changes
    assert any(gate.passed_before is False and gate.passed_after for gate in gates)


def test_a_status_made_by_hand_is_refused() -> None:
    status = pt.evaluate(pt.demo_book(), SERIES, as_of=JUN_2025)
    with pytest.raises(pt.InvalidTypeError, match="before"):
        pt.explain_difference("june", status)  # type: ignore[arg-type]
    bare = attrs.evolve(status, _program=None, _ledger=None)
    with pytest.raises(pt.InvalidRecordError, match="after"):
        pt.explain_difference(status, bare)


def test_compare_command_lists_causes_that_add_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "book.json"
    path.write_text(pt.dumps_book(pt.demo_book()), "utf-8")
    args = ["compare", str(path), "--as-of", "2024-12-31", "--to-as-of", "2025-06-30"]
    main([*args, "--json"])
    data = json.loads(capsys.readouterr().out)
    for track in data["tracks"]:
        causes = sum((Decimal(c["amount"]) for c in track["causes"]), Decimal(0))
        assert causes == Decimal(track["change"])
    main(args)
    text = capsys.readouterr().out
    assert "sold:d-4: -100.00" in text
    assert "sold:d-3: +12.00" in text


def test_compare_with_a_bad_date_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["compare", "x.json", "--as-of", "2024-12-31", "--to-as-of", "June"])
    assert done.value.code == 2
    assert "--to-as-of" in capsys.readouterr().err


@st.composite
def recorded_later(draw: st.DrawFn, book: pt.Book) -> pt.Book:
    """The book with some deals recorded up to a year after they closed."""
    deals = tuple(
        attrs.evolve(
            deal, recorded_on=deal.closed_on + dt.timedelta(days=draw(st.integers(0, 365)))
        )
        for deal in book.deals
    )
    return attrs.evolve(book, deals=deals)


@settings(max_examples=40, deadline=None)
@given(st.data(), pts.books(max_clients=4, max_records=5))
def test_causes_add_up_exactly_to_every_track_change(data: st.DataObject, book: pt.Book) -> None:
    book = data.draw(recorded_later(book))
    days = [data.draw(pts.dates(dt.date(2019, 1, 1))) for _ in range(4)]
    known = [data.draw(st.none() | st.just(day)) for day in days[2:]]
    try:
        before = pt.evaluate(book, HUBSPOT_2024, as_of=days[0], known_at=known[0])
        after = pt.evaluate(book, HUBSPOT_2024, as_of=days[1], known_at=known[1])
    except pt.PricingError:
        return
    assert_adds_up(pt.explain_difference(before, after))
