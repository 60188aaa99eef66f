"""What changed between two programs, rule by rule (``partner_tiers._views.diff``).

The worked example is HubSpot's change of 2025-07-15 (domain.md section 2): total-points
thresholds raised about 5%, the sold-points minimum replaced by a sourced-points minimum,
a new fixed currency table.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from attrs import evolve

import partner_tiers as pt
from partner_tiers._views.diff import Change, ProgramDiff, diff_programs


@pytest.fixture(scope="module")
def diff_2024_2025() -> ProgramDiff:
    return diff_programs(pt.load_program("hubspot-2024"), pt.load_program("hubspot-2025"))


def _at(diff: ProgramDiff, path: str) -> list[Change]:
    return [change for change in diff.changes if change.path == path]


def test_gold_total_threshold_raised_five_percent(diff_2024_2025: ProgramDiff) -> None:
    (change,) = _at(diff_2024_2025, "tiers[gold].reach.total")
    assert change.kind == "changed"
    assert Decimal(str(change.before)) == Decimal(50)
    assert Decimal(str(change.after)) == Decimal("52.5")
    assert str(change) == "~ tiers[gold].reach.total: 50 -> 52.5 (+5.0%)"


def test_sold_minimum_replaced_by_sourced_minimum(diff_2024_2025: ProgramDiff) -> None:
    (removed,) = _at(diff_2024_2025, "tiers[gold].reach.sold")
    (added,) = _at(diff_2024_2025, "tiers[gold].reach.sourced")
    assert (removed.kind, Decimal(str(removed.before)), removed.after) == (
        "removed",
        Decimal(10),
        None,
    )
    assert (added.kind, added.before, Decimal(str(added.after))) == ("added", None, Decimal(10))
    assert str(removed) == "- tiers[gold].reach.sold: 10"
    assert str(added) == "+ tiers[gold].reach.sourced: 10"
    assert [c.kind for c in _at(diff_2024_2025, "tracks[sold]")] == ["removed"]
    assert [c.kind for c in _at(diff_2024_2025, "tracks[sourced]")] == ["added"]


def test_every_tiers_total_rises_five_percent(diff_2024_2025: ProgramDiff) -> None:
    text = str(diff_2024_2025)
    assert text.splitlines()[0] == (
        f"hubspot-2024@2024-02-27 -> hubspot-2025@2025-07-15: {len(diff_2024_2025.changes)} changes"
    )
    for tier in ("gold", "platinum", "diamond", "elite"):
        for kind in ("reach", "retain"):
            (change,) = _at(diff_2024_2025, f"tiers[{tier}].{kind}.total")
            assert str(change).endswith("(+5.0%)")
            assert str(change) in text


def test_new_currency_table_is_an_addition(diff_2024_2025: ProgramDiff) -> None:
    (change,) = _at(diff_2024_2025, "currencies[1]")
    assert change.kind == "added"
    assert change.after["effective_from"] == "2025-07-15"
    assert change.after["per_100_usd"]["EUR"] == "88"


def test_text_is_left_out_unless_asked(diff_2024_2025: ProgramDiff) -> None:
    paths = {change.path for change in diff_2024_2025.changes}
    assert not paths & {"name", "version", "title", "description"}
    with_text = diff_programs(
        pt.load_program("hubspot-2024"), pt.load_program("hubspot-2025"), include_text=True
    )
    assert {"name", "version", "title", "description"} <= {c.path for c in with_text.changes}


@pytest.mark.parametrize("name", ["hubspot-2018", "hubspot-2025"])
def test_diff_of_a_program_with_itself_is_empty(name: str) -> None:
    program = pt.load_program(name)
    diff = diff_programs(program, program)
    assert not diff
    assert diff.changes == ()
    assert str(diff) == f"{program.label} -> {program.label}: 0 changes"


def test_diff_is_truthy_when_one_threshold_changes() -> None:
    program = pt.load_program("hubspot-2025")
    gold = program.tiers[0]
    raised = evolve(gold, reach={**gold.reach, "managed": Decimal(12)})
    other = evolve(program, tiers=(raised, *program.tiers[1:]))
    diff = diff_programs(program, other)
    assert diff
    assert [(c.path, c.kind) for c in diff.changes] == [("tiers[gold].reach.managed", "changed")]
    assert str(diff.changes[0]) == "~ tiers[gold].reach.managed: 10 -> 12 (+20.0%)"
    assert diff.to_dict()["changes"] == [
        {"path": "tiers[gold].reach.managed", "kind": "changed", "before": "10", "after": "12"}
    ]
