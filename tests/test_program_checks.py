"""The semantic checks of a program, pinned down exactly: which problems `check_program`
and `program_from_dict` report, at which path, with which message and value, and where the
bounds lie (1200 accepted and 1201 refused; 3650 accepted and 3651 refused; 0 against 1 for
the lower bounds). Also the TOML line of a problem, the did-you-mean suggestion (the closest
name, not the first) and the line of a TOML syntax error.

Written to kill the mutants that survived mutation testing of ``_programfile.py``: every
expectation is written by hand from the rules, never computed by the code under test.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import partner_tiers as pt

PACKAGE = Path(pt.__file__).resolve().parent
HUBSPOT_2025_TOML = (PACKAGE / "programs" / "hubspot-2025.toml").read_text("utf-8")

Data = dict[str, Any]
Edit = Callable[[Data], None]

# In hubspot() below, gates[1] is "median-tools" (median_tool_usage, window_months = 12),
# added back to hubspot-2025 as a program designer would (the shipped points programs
# carry only published gates), and gates[3] is "retention" (fact_at_least, no
# window_months).
MEDIAN_TOOLS = 1
RETENTION = 3


# --- helpers --------------------------------------------------------------------------


def hubspot() -> Data:
    """A fresh copy of the plain data of the shipped hubspot-2025 program (which is valid),
    with a median tool usage gate as gates[1]."""
    data = copy.deepcopy(pt.load_program("hubspot-2025").to_dict())
    median = {
        "id": "median-tools",
        "kind": "median_tool_usage",
        "params": {"minimum": 3, "window_months": 12},
    }
    data["gates"].insert(MEDIAN_TOOLS, median)
    return data


def problems_of(data: Data) -> list[pt.Problem]:
    """Every problem `program_from_dict` reports for the data; it must refuse it."""
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.program_from_dict(data)
    return list(caught.value.problems)


def edited(edit: Edit) -> Data:
    data = hubspot()
    edit(data)
    return data


def set_window(gate: int, value: object) -> Edit:
    def edit(data: Data) -> None:
        data["gates"][gate].setdefault("params", {})["window_months"] = value

    return edit


def set_policy(key: str, value: object) -> Edit:
    def edit(data: Data) -> None:
        data["policy"][key] = value

    return edit


def set_expiry_months(value: int) -> Edit:
    def edit(data: Data) -> None:
        data["expiry"][0]["months"] = value

    return edit


def toml_problems(text: str) -> list[pt.Problem]:
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.loads_program(text, "toml")
    return list(caught.value.problems)


def line_of(text: str, line: str) -> int:
    """The 1-based number of the only line of the text that is exactly ``line``."""
    lines = text.splitlines()
    assert lines.count(line) == 1, line
    return lines.index(line) + 1


def test_the_base_program_holds_together() -> None:
    program = pt.program_from_dict(hubspot())
    assert pt.check_program(program) == []


# --- gates: window_months is a whole number of months from 1 to 1200 -------------------


@pytest.mark.parametrize("window", [1, 2, 12, 1199, 1200])
def test_window_months_from_1_to_1200_is_accepted(window: int) -> None:
    program = pt.program_from_dict(edited(set_window(MEDIAN_TOOLS, window)))
    assert program.gates[MEDIAN_TOOLS].params["window_months"] == window


def test_window_months_is_optional() -> None:
    def drop(data: Data) -> None:
        del data["gates"][MEDIAN_TOOLS]["params"]["window_months"]

    program = pt.program_from_dict(edited(drop))
    assert "window_months" not in program.gates[MEDIAN_TOOLS].params


@pytest.mark.parametrize(
    "window",
    [0, 1201, -1, 100_000, True, False, "12", Decimal("12"), 12.5, None],
    ids=repr,
)
def test_window_months_outside_1_to_1200_or_not_an_integer_is_refused(window: object) -> None:
    assert problems_of(edited(set_window(MEDIAN_TOOLS, window))) == [
        pt.Problem("gates[1].params.window_months", "must be from 1 to 1200", window)
    ]


def test_window_months_problem_names_the_gate_it_is_on() -> None:
    # fact_at_least has no window of its own, but a stray window_months is still checked.
    assert problems_of(edited(set_window(RETENTION, 1201))) == [
        pt.Problem("gates[3].params.window_months", "must be from 1 to 1200", 1201)
    ]
    assert problems_of(edited(set_window(RETENTION, 0))) == [
        pt.Problem("gates[3].params.window_months", "must be from 1 to 1200", 0)
    ]


def test_window_months_problem_reads_as_one_line() -> None:
    (problem,) = problems_of(edited(set_window(MEDIAN_TOOLS, 1201)))
    assert str(problem) == "gates[1].params.window_months: must be from 1 to 1200 (got 1201)"


# --- expiry: months from 1 to 1200 -------------------------------------------------------


@pytest.mark.parametrize("months", [1, 12, 1199, 1200])
def test_expiry_months_from_1_to_1200_is_accepted(months: int) -> None:
    program = pt.program_from_dict(edited(set_expiry_months(months)))
    assert program.expiry[0].months == months


@pytest.mark.parametrize(
    ("months", "message"),
    [
        (0, "must be at least 1"),
        (-1, "must be at least 1"),
        (1201, "must be at most 1200"),
        (12_000, "must be at most 1200"),
    ],
)
def test_expiry_months_outside_1_to_1200_is_refused(months: int, message: str) -> None:
    assert problems_of(edited(set_expiry_months(months))) == [
        pt.Problem("expiry[0].months", message, months)
    ]


def test_expiry_months_problem_names_the_rule_it_is_on() -> None:
    def second_rule(data: Data) -> None:
        data["expiry"].append({"effective_from": "2030-01-01", "months": 1201})

    assert problems_of(edited(second_rule)) == [
        pt.Problem("expiry[1].months", "must be at most 1200", 1201)
    ]


def test_expiry_months_problem_reads_as_one_line() -> None:
    (problem,) = problems_of(edited(set_expiry_months(1201)))
    assert str(problem) == "expiry[0].months: must be at most 1200 (got 1201)"


# --- policy: notice_days from 0 to 3650, first_tier_deadline_months from 1 to 1200 -----


@pytest.mark.parametrize("days", [0, 1, 3649, 3650])
def test_notice_days_from_0_to_3650_is_accepted(days: int) -> None:
    program = pt.program_from_dict(edited(set_policy("notice_days", days)))
    assert program.policy.notice_days == days


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (-1, "must not be negative"),
        (3651, "must be at most 3650"),
        (36_500, "must be at most 3650"),
    ],
)
def test_notice_days_outside_0_to_3650_is_refused(days: int, message: str) -> None:
    assert problems_of(edited(set_policy("notice_days", days))) == [
        pt.Problem("policy.notice_days", message, days)
    ]


def test_notice_days_problem_reads_as_one_line() -> None:
    (problem,) = problems_of(edited(set_policy("notice_days", 3651)))
    assert str(problem) == "policy.notice_days: must be at most 3650 (got 3651)"


@pytest.mark.parametrize("months", [1, 2, 24, 1199, 1200])
def test_first_tier_deadline_from_1_to_1200_is_accepted(months: int) -> None:
    program = pt.program_from_dict(edited(set_policy("first_tier_deadline_months", months)))
    assert program.policy.first_tier_deadline_months == months


def test_no_first_tier_deadline_is_accepted() -> None:
    def drop(data: Data) -> None:
        del data["policy"]["first_tier_deadline_months"]

    program = pt.program_from_dict(edited(drop))
    assert program.policy.first_tier_deadline_months is None


@pytest.mark.parametrize(
    ("months", "message"),
    [
        (0, "must be at least 1"),
        (-1, "must be at least 1"),
        (1201, "must be at most 1200"),
        (12_000, "must be at most 1200"),
    ],
)
def test_first_tier_deadline_outside_1_to_1200_is_refused(months: int, message: str) -> None:
    assert problems_of(edited(set_policy("first_tier_deadline_months", months))) == [
        pt.Problem("policy.first_tier_deadline_months", message, months)
    ]


def test_first_tier_deadline_problem_reads_as_one_line() -> None:
    (problem,) = problems_of(edited(set_policy("first_tier_deadline_months", 1201)))
    assert str(problem) == "policy.first_tier_deadline_months: must be at most 1200 (got 1201)"


def test_check_program_reports_the_policy_bounds_of_a_program_built_in_python() -> None:
    program = pt.load_program("hubspot-2025")
    for days, months in ((3650, 1200), (0, 1)):
        policy = attrs.evolve(program.policy, notice_days=days, first_tier_deadline_months=months)
        assert pt.check_program(attrs.evolve(program, policy=policy)) == []
    policy = attrs.evolve(program.policy, notice_days=3651, first_tier_deadline_months=1201)
    assert pt.check_program(attrs.evolve(program, policy=policy)) == [
        pt.Problem("policy.notice_days", "must be at most 3650", 3651),
        pt.Problem("policy.first_tier_deadline_months", "must be at most 1200", 1201),
    ]


def test_every_bound_broken_at_once_is_reported_in_order() -> None:
    def break_all(data: Data) -> None:
        set_window(MEDIAN_TOOLS, 1201)(data)
        set_policy("notice_days", 3651)(data)
        set_policy("first_tier_deadline_months", 1201)(data)
        set_expiry_months(1201)(data)

    assert problems_of(edited(break_all)) == [
        pt.Problem("gates[1].params.window_months", "must be from 1 to 1200", 1201),
        pt.Problem("policy.notice_days", "must be at most 3650", 3651),
        pt.Problem("policy.first_tier_deadline_months", "must be at most 1200", 1201),
        pt.Problem("expiry[0].months", "must be at most 1200", 1201),
    ]


# --- structure problems and semantic problems are reported together ---------------------


def test_an_unknown_key_and_a_broken_bound_are_both_reported() -> None:
    def edit(data: Data) -> None:
        data["policy"]["notice_days"] = 3651
        data["nmae"] = "typo"

    problems = problems_of(edited(edit))
    assert [problem.path for problem in problems] == ["nmae", "policy.notice_days"]
    assert problems[0].message == "unknown key; did you mean 'name'?"
    assert problems[1] == pt.Problem("policy.notice_days", "must be at most 3650", 3651)


# --- did you mean: the closest name, not the first close one ----------------------------


def test_a_misspelt_tier_suggests_the_closest_tier_not_the_first_close_one() -> None:
    def edit(data: Data) -> None:
        # "gol" is close to both (ratio 6/9 for "golden", 6/7 for "gold"); "gold" is closer
        # although "golden" comes first in the ladder.
        data["tiers"][0]["id"] = "golden"
        data["tiers"][1]["id"] = "gold"
        data["gates"][2]["tiers"] = ["gol"]

    assert problems_of(edited(edit)) == [
        pt.Problem("gates[2].tiers", "names no tier of the ladder; did you mean 'gold'?", "gol")
    ]


def test_a_misspelt_tier_with_no_close_name_gets_no_suggestion() -> None:
    def edit(data: Data) -> None:
        data["gates"][2]["tiers"] = ["bronze"]

    (problem,) = problems_of(edited(edit))
    assert problem == pt.Problem("gates[2].tiers", "names no tier of the ladder", "bronze")
    assert str(problem) == "gates[2].tiers: names no tier of the ladder (got 'bronze')"


# --- TOML: the line of a problem -------------------------------------------------------


def test_a_problem_with_a_top_level_key_gets_that_keys_line() -> None:
    text = HUBSPOT_2025_TOML.replace('name = "hubspot-2025"', 'name = " "')
    assert toml_problems(text) == [
        pt.Problem("name", "must not be empty", " ", line_of(text, 'name = " "'))
    ]


def test_a_problem_inside_a_table_gets_that_keys_line() -> None:
    text = HUBSPOT_2025_TOML.replace("notice_days = 30", "notice_days = 3651")
    assert toml_problems(text) == [
        pt.Problem(
            "policy.notice_days",
            "must be at most 3650",
            3651,
            line_of(text, "notice_days = 3651"),
        )
    ]


def test_a_syntax_error_keeps_its_own_line_even_when_a_key_says_end_of_document() -> None:
    # tomllib names the line (3) of the second declaration; "end of document" is only the
    # key, not where the error is, so the line must not become the last line (4).
    text = '["end of document"]\na = 1\n["end of document"]\nb = 2\n'
    (problem,) = toml_problems(text)
    assert problem.path == ""
    assert problem.line == 3
    assert problem.message.startswith(
        "is not valid TOML: Cannot declare ('end of document',) twice (at line 3, "
    )


def test_a_syntax_error_at_the_end_of_the_document_gets_the_last_line() -> None:
    text = 'name = "x"\ntracks = [\n'
    (problem,) = toml_problems(text)
    assert problem.path == ""
    assert problem.line == 2
    assert problem.message.startswith("is not valid TOML: ")
    assert problem.message.endswith("(at end of document)")


def test_a_part_of_the_wrong_shape_is_reported_with_the_value_found_there() -> None:
    def edit(data: Data) -> None:
        data["tiers"][0]["reach"] = "lots"

    (problem,) = problems_of(edited(edit))
    assert (problem.path, problem.value, problem.line) == ("tiers[0].reach", "lots", None)
    assert problem.message.startswith("cannot be read: ")


def test_a_bad_value_deep_in_a_list_item_still_lets_the_semantic_checks_run() -> None:
    data = hubspot()
    data["tiers"][1]["reach"]["total"] = "abc"
    data["policy"]["notice_days"] = 3651
    before = copy.deepcopy(data)
    assert [str(problem) for problem in problems_of(data)] == [
        "tiers[1].reach.total: expected a decimal number such as \"1200.00\" (got 'abc')",
        "tiers[1].retain.total: has no reach threshold to keep",
        "policy.notice_days: must be at most 3650 (got 3651)",
    ]
    assert data == before  # the left-out value is left out of a copy


def test_a_left_out_value_hides_no_problem_of_a_key_its_name_starts_with() -> None:
    # `managed` and `managed_mrr_usd` are two tracks: leaving out the unreadable
    # tiers[2].reach.managed_mrr_usd must not hide the problem of tiers[2].reach.managed.
    data = hubspot()
    data["tracks"].append({"id": "managed_mrr_usd", "label": "Managed MRR"})
    for rung, tier in enumerate(data["tiers"]):
        tier["reach"]["managed_mrr_usd"] = str(100 * (rung + 1))
    data["tiers"][2]["reach"]["managed"] = "20"  # below Platinum's 30
    data["tiers"][2]["reach"]["managed_mrr_usd"] = "abc"
    assert [str(problem) for problem in problems_of(data)] == [
        "tiers[2].reach.managed_mrr_usd: expected a decimal number such as \"1200.00\" (got 'abc')",
        "tiers[2].retain.managed: must be <= tiers[2].reach.managed (20) (got 72)",
        "tiers[2].reach.managed: must be greater than tiers[1].reach.managed (30): reach "
        "thresholds strictly increase up the ladder (got 20)",
    ]


def test_a_list_item_that_is_not_a_table_stops_the_semantic_checks() -> None:
    # The item is the number 4 at index 4: it is refused, not deleted as if it were a key.
    data = hubspot()
    data["tiers"].append(4)
    data["policy"]["notice_days"] = 3651
    assert [str(problem) for problem in problems_of(data)] == [
        "tiers[4]: expected a table of keys and values (got 4)"
    ]


def test_problems_under_a_left_out_value_are_not_repeated() -> None:
    # Without its params the gate misses its required fact: that comes from the left-out
    # value, not from a second mistake.
    data = hubspot()
    data["gates"][2]["params"] = "x"
    data["policy"]["notice_days"] = 3651
    assert data["gates"][2]["kind"] == "fact_true"
    assert [str(problem) for problem in problems_of(data)] == [
        "gates[2].params: expected a table of keys and values (got 'x')",
        "policy.notice_days: must be at most 3650 (got 3651)",
    ]


def test_program_from_dict_with_its_toml_text_names_the_line() -> None:
    import tomllib

    text = HUBSPOT_2025_TOML.replace("notice_days = 30", "notice_days = 3651")
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.program_from_dict(tomllib.loads(text, parse_float=str), toml_text=text)
    line = line_of(text, "notice_days = 3651")
    assert caught.value.problems == (
        pt.Problem("policy.notice_days", "must be at most 3650", 3651, line),
    )


def test_a_read_program_reports_its_semantic_problems_only_once() -> None:
    # Diamond's reach below Platinum's: one problem, and no second pass that leaves the
    # value out and then finds Diamond's retain without a reach.
    data = hubspot()
    data["tiers"][2]["reach"]["total"] = "150"
    data["tiers"][2]["retain"]["total"] = "145"
    assert [str(problem) for problem in problems_of(data)] == [
        "tiers[2].reach.total: must be greater than tiers[1].reach.total (157.5): reach "
        "thresholds strictly increase up the ladder (got 150)"
    ]


def test_an_unknown_key_named_like_a_list_hides_none_of_its_problems() -> None:
    data = hubspot()
    data["tracks"] = []
    data["tracksx"] = 1
    problems = [str(problem) for problem in problems_of(data)]
    assert problems[:2] == [
        "tracksx: unknown key; did you mean 'tracks'?",
        "tracks: must define at least one track",
    ]


def test_a_carry_over_to_no_tier_names_the_target() -> None:
    data = hubspot()
    data["carry_over"] = {"silver": "bronze"}
    assert problems_of(data) == [
        pt.Problem("carry_over.silver", "must be a tier of the program or untiered", "bronze")
    ]
