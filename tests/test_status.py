"""Status records that stand alone: made by hand, pickled, copied, they explain and
serialise."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

import partner_tiers as pt

AS_OF = dt.date(2025, 9, 30)


def _northwind() -> pt.Book:
    text = resources.files("partner_tiers").joinpath("data", "northwind.json").read_text("utf-8")
    return pt.loads_book(text, source="northwind.json")


def _hand_built() -> pt.TierStatus:
    return pt.TierStatus(
        as_of=AS_OF,
        program="made-up@1",
        tier="gold",
        qualified_tier="gold",
        level="partner",
        values={"total": Decimal("66.69")},
        points={"total": Decimal("66.69")},
        next_tier="platinum",
        next_tier_reach={"total": Decimal(100)},
        to_next_tier={"total": Decimal("33.31")},
        retain_minimum={"total": Decimal(45)},
        to_keep_tier={"total": Decimal("21.69")},
        gates=(pt.GateResult("certified", False, "no certification", "silver", ("gold",)),),
        next_review=dt.date(2025, 12, 31),
        expiring_before_review={"total": Decimal(0)},
        projected_tier="gold",
        history=(),
    )


def test_a_hand_built_status_explains_that_it_cannot_be_traced() -> None:
    explanation = _hand_built().explain()
    assert explanation.lines() == [
        "made-up@1 as of 2025-09-30: made without its program and ledger, so its points and "
        "tiers cannot be traced (evaluate gives a status that can)",
        "gate certified (gold) failed: no certification; caps the tier at silver",
    ]
    assert [reason.topic for reason in explanation.reasons] == ["program", "gate"]


def test_a_hand_built_status_serialises() -> None:
    status = _hand_built()
    data = status.to_dict()
    assert data["reasons"] == status.explain().lines()
    assert (data["tier"], data["to_next_tier"], data["next_review"]) == (
        "gold",
        {"total": "33.31"},
        "2025-12-31",
    )
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize("day", [dt.date(2024, 1, 1), dt.date(2024, 12, 31), AS_OF])
def test_roundtrip_pickle_keeps_the_status_and_its_explanation(day: dt.date) -> None:
    status = pt.evaluate(_northwind(), pt.load_program("hubspot-2025"), as_of=day)
    restored = pickle.loads(pickle.dumps(status))
    assert restored == status
    assert str(restored.explain()) == str(status.explain())
    assert restored.explain() == status.explain()
    assert restored.to_dict() == status.to_dict()


def test_roundtrip_copy_keeps_the_explanation() -> None:
    status = pt.evaluate(_northwind(), pt.load_program("hubspot-2025"), as_of=AS_OF)
    assert copy.deepcopy(status).explain() == status.explain()
    assert copy.copy(status).reasons == status.reasons


def test_a_status_whose_program_has_local_custom_rules_pickles() -> None:
    # A rule defined in a function cannot be pickled; the status pickles its explanation,
    # not the program behind it.
    def enough_points(context: pt.Context, params: Any) -> pt.GateOutcome:
        return pt.GateOutcome(context.totals.total >= 60, f"{context.totals.total} points")

    data = pt.program_to_dict(pt.load_program("hubspot-2025"))
    data["gates"].append({"id": "enough", "kind": "enough_points", "tiers": ["gold"]})
    registry = pt.Registry().with_gate("enough_points", enough_points)
    program = pt.program_from_dict(data, registry=registry)
    status = pt.evaluate(_northwind(), program, as_of=AS_OF)
    restored = pickle.loads(pickle.dumps(status))
    assert restored.reasons == status.reasons
    assert "gate enough (gold) passed: 66.69 points" in restored.reasons


def test_an_evolved_status_explains_its_own_numbers() -> None:
    from attrs import evolve

    status = pt.evaluate(_northwind(), pt.load_program("hubspot-2025"), as_of=AS_OF)
    status.explain()  # the first status's explanation is kept, not carried over
    moved = evolve(status, projected_tier="platinum")
    assert moved.reasons[-1].endswith("; projected tier platinum")
    assert status.reasons[-1].endswith("; projected tier gold")


# --- the HTML tables and the kept explanation, pinned exactly (mutation testing) ----------


def test_the_tracks_and_gates_tables_of_a_status_exactly() -> None:
    from partner_tiers._engine.status import gates_table, tracks_table

    status = _hand_built()
    assert tracks_table(status) == (
        "<table><caption>Tier gold (qualified gold) - made-up@1 as of 2025-09-30</caption>"
        "<thead><tr><th>track</th><th>value</th><th>next tier (platinum) line</th>"
        "<th>retain line</th><th>surplus</th></tr></thead>"
        "<tbody><tr><td>total</td><td>66.69</td><td>100</td><td>45</td><td>21.69</td></tr>"
        "</tbody></table>"
    )
    assert gates_table(status) == (
        "<table><caption>Gates</caption>"
        "<thead><tr><th>gate</th><th>passed</th><th>guards</th><th>reason</th></tr></thead>"
        "<tbody><tr><td>certified</td><td>no</td><td>gold only; capped at silver</td>"
        "<td>no certification</td></tr></tbody></table>"
    )
    assert status._repr_html_() == (
        f"<div class='partner-tiers-status'>{tracks_table(status)}{gates_table(status)}</div>"
    )


def test_the_tables_of_an_untiered_status_without_lines_leave_the_cells_empty() -> None:
    from attrs import evolve

    from partner_tiers._engine.status import gates_table, tracks_table

    status = evolve(
        _hand_built(),
        tier=None,
        qualified_tier=None,
        next_tier=None,
        next_tier_reach={},
        retain_minimum={},
        to_keep_tier={},
        gates=(pt.GateResult("certified", True, "certified", None, ("gold",)),),
    )
    assert tracks_table(status) == (
        "<table><caption>Tier untiered (qualified untiered) - made-up@1 as of 2025-09-30"
        "</caption><thead><tr><th>track</th><th>value</th><th>next tier (-) line</th>"
        "<th>retain line</th><th>surplus</th></tr></thead>"
        "<tbody><tr><td>total</td><td>66.69</td><td></td><td></td><td></td></tr>"
        "</tbody></table>"
    )
    assert (
        "<tbody><tr><td>certified</td><td>yes</td><td>gold only</td><td>certified</td></tr>"
        in gates_table(status)
    )


def test_the_explanation_is_worked_out_once_and_kept() -> None:
    status = pt.evaluate(_northwind(), pt.load_program("hubspot-2025"), as_of=AS_OF)
    assert status.explain() is status.explain()


def test_a_status_with_a_program_but_no_ledger_cannot_be_traced() -> None:
    from attrs import evolve

    status = pt.evaluate(_northwind(), pt.load_program("hubspot-2025"), as_of=AS_OF)
    for half in (evolve(status, _ledger=None), evolve(status, _program=None)):
        assert half.reasons[0].startswith("hubspot-2025")
        assert "made without its program and ledger, so its points" in half.reasons[0]


def test_a_pickled_status_carries_its_explanation_not_its_program_and_ledger() -> None:
    status = pt.evaluate(_northwind(), pt.load_program("hubspot-2025"), as_of=AS_OF)
    state = status.__getstate__()
    assert (state["_program"], state["_ledger"]) == (None, None)
    assert state["_explanation"] is status.explain()
    restored = pickle.loads(pickle.dumps(status))
    assert (restored._program, restored._ledger) == (None, None)


def test_the_guards_of_a_gate_in_words() -> None:
    from partner_tiers._engine.status import gate_guards

    two = pt.GateResult("g", False, "failed", caps_at="gold", tiers=("platinum", "elite"))
    assert gate_guards(two) == "platinum, elite only; capped at gold"
    every = pt.GateResult("g", False, "failed", caps_at=None)
    assert gate_guards(every) == "every tier; capped at untiered"
    assert gate_guards(pt.GateResult("g", True, "passed", tiers=("elite",))) == "elite only"
