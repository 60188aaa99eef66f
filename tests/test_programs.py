"""Program files: the shipped programs, their round trips through TOML, JSON and YAML,
validation that reports every problem with its path, and custom rules from a registry."""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import attrs
import pytest

import partner_tiers as pt

D = dt.date
SHIPPED = ["hubspot-2016", "hubspot-2018", "hubspot-2022", "hubspot-2024", "hubspot-2025"]
FORMATS: list[Literal["toml", "json", "yaml"]] = ["toml", "json"]
if importlib.util.find_spec("yaml") is not None:
    FORMATS.append("yaml")


# --- the shipped programs -------------------------------------------------------------


def test_list_programs_names_the_shipped_series_and_its_five_programs() -> None:
    assert pt.list_programs() == ["hubspot", *SHIPPED]


@pytest.mark.parametrize("name", SHIPPED)
@pytest.mark.parametrize("format", FORMATS)
def test_roundtrip_shipped_program(name: str, format: Literal["toml", "json", "yaml"]) -> None:
    program = pt.load_program(name)
    text = pt.dumps_program(program, format)
    again = pt.loads_program(text, format)
    assert again == program
    assert again.label == program.label
    assert pt.dumps_program(again, format) == text


@pytest.mark.parametrize("name", SHIPPED)
def test_roundtrip_shipped_program_through_plain_data(name: str) -> None:
    program = pt.load_program(name)
    assert pt.program_from_dict(pt.program_to_dict(program)) == program


@pytest.mark.parametrize("name", SHIPPED)
def test_program_methods_write_what_dumps_program_writes(name: str) -> None:
    program = pt.load_program(name)
    assert program.to_toml() == pt.dumps_program(program, "toml")
    assert program.to_json() == pt.dumps_program(program, "json")
    assert program.to_dict() == pt.program_to_dict(program)
    assert pt.loads_program(program.to_json(), "json") == program


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_programs_hold_together(name: str) -> None:
    program = pt.load_program(name)
    assert pt.check_program(program) == []
    assert program.name == name
    assert program.tiers
    assert program.rates


@pytest.mark.parametrize("name", SHIPPED)
def test_retain_never_exceeds_reach_in_shipped_programs(name: str) -> None:
    program = pt.load_program(name)
    for tier in program.tiers:
        assert set(tier.retain) <= set(tier.reach)
        for track, reach in tier.reach.items():
            assert tier.retain_for(track) <= reach, (tier.id, track)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_reach_thresholds_strictly_increase(name: str) -> None:
    tiers = pt.load_program(name).tiers
    for lower, higher in itertools.pairwise(tiers):
        for track, value in higher.reach.items():
            assert value > lower.reach[track], (higher.id, track)


def test_2025_program_labels_its_example_values() -> None:
    program = pt.load_program("hubspot-2025")
    assert "EXAMPLE VALUES" in program.description
    assert program.label == "hubspot-2025@2025-07-15"


def test_2025_program_replaces_sold_minimum_with_sourced_minimum() -> None:
    """Source: domain.md section 2, 2025-07-15: total thresholds raised about 5%, the
    sold-points minimum replaced by a sourced-points minimum, new currency table."""
    old = pt.load_program("hubspot-2024")
    new = pt.load_program("hubspot-2025")
    assert [track.id for track in new.tracks] == ["total", "sourced", "managed"]
    assert [track.id for track in old.tracks] == ["total", "sold", "managed"]
    for before, after in zip(old.tiers, new.tiers, strict=True):
        assert after.reach["total"] == before.reach["total"] * Decimal("1.05")
        assert after.reach["sourced"] == before.reach["sold"]
    table = new.currency_table(D(2025, 7, 15))
    assert table is not None
    assert table.per_100_usd["EUR"] == Decimal(88)
    earlier = new.currency_table(D(2025, 7, 14))
    assert earlier is not None
    assert earlier.per_100_usd["EUR"] == Decimal(75)


def _rates(sourced: int, assisted: int, managed: int) -> tuple[Decimal, Decimal, Decimal]:
    return Decimal(sourced), Decimal(assisted), Decimal(managed)


def test_shipped_rates_follow_the_published_table() -> None:
    """Source: domain.md section 2, conversion rates per 100 USD of MRR."""
    program = pt.load_program("hubspot-2024")
    first = program.rate_row(D(2022, 7, 18))
    changed = program.rate_row(D(2024, 2, 27))
    assert first is not None
    assert changed is not None
    assert (first.sourced, first.assisted, first.managed) == _rates(3, 3, 1)
    assert (changed.sourced, changed.assisted, changed.managed) == _rates(5, 3, 1)
    assert changed.grandfather_upsells
    assert program.rate_row(D(2024, 2, 26)) == first


def test_unknown_program_name_lists_the_shipped_ones() -> None:
    with pytest.raises(pt.UnknownProgramError, match="hubspot-2025"):
        pt.load_program("hubspot-2030")


def test_program_file_written_to_disk_loads_back(tmp_path: Path) -> None:
    program = pt.load_program("hubspot-2022")
    path = tmp_path / "copy.json"
    path.write_text(pt.dumps_program(program, "json"), encoding="utf-8")
    assert pt.load_program(path) == program


# --- validation -----------------------------------------------------------------------

_HEAD = """\
name = "tiny"
version = "1"
title = "Tiny test program"
description = "For the tests only."
effective_from = 2024-01-01
"""

_TRACKS = """
[[tracks]]
id = "total"
"""

_RATES = """
[[rates]]
effective_from = 2024-01-01
sourced = 5
assisted = 3
unattributed = 3
managed = 1

[[currencies]]
per_100_usd = { USD = "100" }
"""


def _problems(path: Path) -> list[pt.Problem]:
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.load_program(path)
    return list(caught.value.problems)


def _find(problems: list[pt.Problem], path: str) -> pt.Problem:
    found = [problem for problem in problems if problem.path == path]
    assert found, f"no problem at {path}: {[str(p) for p in problems]}"
    return found[0]


def test_every_problem_of_a_program_file_is_reported_with_its_path(tmp_path: Path) -> None:
    text = (
        _HEAD
        + "tierz = []\n"
        + _TRACKS
        + """
[[tiers]]
id = "gold"
name = "Gold"
reach = { total = 50 }
retain = { total = 60 }

[[tiers]]
id = "platinum"
name = "Platinum"
reach = { total = 40 }
"""
        + _RATES
    )
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    problems = _problems(path)

    unknown = _find(problems, "tierz")
    assert "unknown key" in unknown.message
    assert "did you mean 'tiers'?" in unknown.message
    assert unknown.line == 6

    retain = _find(problems, "tiers[0].retain.total")
    assert "must be <= tiers[0].reach.total (50)" in retain.message
    assert retain.value == Decimal(60)
    assert retain.line == text.splitlines().index("retain = { total = 60 }") + 1

    ladder = _find(problems, "tiers[1].reach.total")
    assert "must be greater than tiers[0].reach.total (50)" in ladder.message
    assert ladder.value == Decimal(40)
    assert len(problems) == 3


def test_a_misspelt_key_inside_a_tier_gets_a_suggestion(tmp_path: Path) -> None:
    text = (
        _HEAD
        + _TRACKS
        + """
[[tiers]]
id = "gold"
name = "Gold"
reach = { total = 50 }
retian = { total = 45 }
"""
        + _RATES
    )
    path = tmp_path / "typo.toml"
    path.write_text(text, encoding="utf-8")
    problem = _find(_problems(path), "tiers[0].retian")
    assert "did you mean 'retain'?" in problem.message
    assert problem.line == text.splitlines().index("retian = { total = 45 }") + 1


def test_a_tier_without_reach_is_reported_as_missing(tmp_path: Path) -> None:
    text = (
        _HEAD
        + _TRACKS
        + """
[[tiers]]
id = "gold"
name = "Gold"
raech = { total = 50 }
"""
        + _RATES
    )
    path = tmp_path / "noreach.toml"
    path.write_text(text, encoding="utf-8")
    problems = _problems(path)
    assert "did you mean 'reach'?" in _find(problems, "tiers[0].raech").message
    assert "required" in _find(problems, "tiers[0].reach").message


def test_truncated_toml_file_gives_one_problem_with_a_line(tmp_path: Path) -> None:
    whole = pt.dumps_program(pt.load_program("hubspot-2025"))
    lines = whole.splitlines(keepends=True)
    # Cut the file after an opening line of an array whose items never come.
    cut = next(i for i, line in enumerate(lines) if line.rstrip().endswith("= ["))
    path = tmp_path / "truncated.toml"
    path.write_text("".join(lines[: cut + 1]) + "    {\n", encoding="utf-8")
    problems = _problems(path)
    assert len(problems) == 1
    (problem,) = problems
    assert "not valid TOML" in problem.message
    assert problem.line is not None
    assert cut + 1 <= problem.line <= cut + 2


def test_unsorted_rate_rows_are_reported(tmp_path: Path) -> None:
    text = (
        _HEAD
        + _TRACKS
        + """
[[tiers]]
id = "gold"
name = "Gold"
reach = { total = 50 }
"""
        + _RATES
        + """
[[rates]]
effective_from = 2023-01-01
sourced = 3
assisted = 3
unattributed = 3
managed = 1
"""
    )
    path = tmp_path / "unsorted.toml"
    path.write_text(text, encoding="utf-8")
    (problem,) = _problems(path)
    assert problem.path == "rates[1].effective_from"
    assert "must be after rates[0].effective_from (2024-01-01)" in problem.message
    assert problem.value == D(2023, 1, 1)


def test_check_program_reports_unsorted_currency_tables() -> None:
    data = pt.program_to_dict(pt.load_program("hubspot-2025"))
    data["currencies"][0]["effective_from"] = "2026-01-01"
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.program_from_dict(data)
    (problem,) = caught.value.problems
    assert problem.path == "currencies[1].effective_from"
    assert "must be after currencies[0].effective_from (2026-01-01)" in problem.message


def test_only_the_first_currency_table_may_omit_its_date() -> None:
    data = pt.program_to_dict(pt.load_program("hubspot-2025"))
    data["currencies"] = list(reversed(data["currencies"]))
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.program_from_dict(data)
    (problem,) = caught.value.problems
    assert problem.path == "currencies[1].effective_from"
    assert "only the first row may omit it" in problem.message


def test_validation_error_message_lists_every_problem(tmp_path: Path) -> None:
    data = pt.program_to_dict(pt.load_program("hubspot-2025"))
    data["tiers"][1]["retain"]["total"] = "500"
    data["tiers"][2]["reach"]["managed"] = "1"
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.program_from_dict(data, source="edited")
    text = str(caught.value)
    assert text.startswith("edited: ")
    assert "tiers[1].retain.total" in text
    assert "tiers[2].reach.managed" in text
    assert isinstance(caught.value, pt.PartnerTiersError)


# --- custom rules ---------------------------------------------------------------------

_GATED = (
    _HEAD
    + _TRACKS
    + """
[[tiers]]
id = "gold"
name = "Gold"
reach = { total = 10 }

[[gates]]
id = "enough-clients"
kind = "{kind}"
params = { minimum = 2 }
"""
    + _RATES
)


def test_custom_gate_is_named_by_a_file_and_called_by_evaluate(tmp_path: Path) -> None:
    calls: list[tuple[dt.date, Any]] = []

    def has_clients(context: pt.Context, params: Mapping[str, Any]) -> pt.GateOutcome:
        calls.append((context.as_of, params["minimum"]))
        count = len(context.book.clients)
        return pt.GateOutcome(count >= params["minimum"], f"{count} clients")

    registry = pt.Registry().with_gate("has_clients", has_clients)
    path = tmp_path / "gated.toml"
    path.write_text(_GATED.replace("{kind}", "has_clients"), encoding="utf-8")
    program = pt.load_program(path, registry=registry)

    partner = pt.Partner(pt.PartnerId("p"), "P", "US", D(2024, 1, 1))
    client = pt.Client(pt.ClientId("c-1"), "C", "US", pt.Relationship.SOLD)
    deal = pt.Deal(
        pt.DealId("d-1"),
        pt.ClientId("c-1"),
        "marketing-hub",
        pt.DealKind.NEW,
        pt.SalesMotion.SOURCED,
        D(2024, 2, 1),
        pt.Money("1000", "USD"),
    )
    one_client = pt.Book(partner=partner, clients=[client], deals=[deal])
    status = pt.evaluate(one_client, program, as_of=D(2024, 3, 1))
    assert (D(2024, 3, 1), 2) in calls
    assert status.values["total"] == Decimal(50)
    assert status.tier is None
    (gate,) = status.gates
    assert (gate.name, gate.passed, gate.reason) == ("enough-clients", False, "1 clients")
    assert "gate enough-clients failed: 1 clients; no tier can be held" in status.reasons

    other = pt.Client(pt.ClientId("c-2"), "D", "US", pt.Relationship.SOLD)
    two_clients = pt.Book(partner=partner, clients=[client, other], deals=[deal])
    assert pt.evaluate(two_clients, program, as_of=D(2024, 3, 1)).tier == "gold"


def test_registry_is_immutable_and_refuses_builtin_names() -> None:
    def never(context: pt.Context, params: Mapping[str, Any]) -> pt.GateOutcome:
        return pt.GateOutcome(False, "never")

    empty = pt.Registry()
    registry = empty.with_gate("never", never)
    assert not empty.knows_gate("never")
    with pytest.raises(pt.ProgramError, match="'never' is no built-in or registered gate"):
        empty.gate("never")
    assert registry.gate("never") is never
    with pytest.raises(pt.ProgramError, match="built in"):
        empty.with_gate("certification", never)


def test_a_gate_kind_nobody_registered_fails_validation(tmp_path: Path) -> None:
    path = tmp_path / "unregistered.toml"
    path.write_text(_GATED.replace("{kind}", "certifcation"), encoding="utf-8")
    problem = _find(_problems(path), "gates[0].kind")
    assert "is no built-in or registered gate" in problem.message
    assert "did you mean 'certification'?" in problem.message
    assert problem.value == "certifcation"


def test_a_custom_gate_kind_without_its_registry_fails_validation(tmp_path: Path) -> None:
    path = tmp_path / "needs-registry.toml"
    path.write_text(_GATED.replace("{kind}", "has_clients"), encoding="utf-8")
    problem = _find(_problems(path), "gates[0].kind")
    assert problem.value == "has_clients"
    assert problem.line is not None


def test_a_json_program_may_name_its_schema() -> None:
    program = pt.load_program("hubspot-2025")
    text = pt.dumps_program(program, "json")
    assert '"$schema"' not in text
    named = text.replace("{", '{"$schema": "program.schema.json", ', 1)
    assert pt.loads_program(named, "json") == program


def test_untiered_is_just_below_the_first_tier() -> None:
    program = pt.load_program("hubspot-2025")
    assert (program.tier_index(None), program.tier_index("gold")) == (-1, 0)


def test_an_unknown_tier_id_names_the_ladder() -> None:
    with pytest.raises(pt.UnknownIdError) as caught:
        pt.load_program("hubspot-2025").tier_index("silver")
    assert str(caught.value) == (
        "tier_id: must be one of gold, platinum, diamond, elite (got 'silver')"
    )


def test_check_program_uses_the_registry_it_is_given() -> None:
    always = pt.Registry().with_gate("always", lambda c, p: pt.GateOutcome(True, "ok"))
    data = pt.program_to_dict(pt.load_program("hubspot-2025"))
    data["gates"].append({"id": "a", "kind": "always"})
    program = pt.program_from_dict(data, registry=always)
    assert pt.check_program(program, always) == []
    [problem] = pt.check_program(program, pt.Registry())
    assert (problem.path, problem.value) == ("gates[4].kind", "always")


def test_program_files_are_written_in_their_formats_native_types() -> None:
    program = attrs.evolve(pt.load_program("hubspot-2025"), title="Programm für Zürich")
    toml_text = pt.dumps_program(program, "toml")
    assert "effective_from = 2025-07-15\n" in toml_text  # a TOML date, not a string
    assert pt.program_to_dict(program, native=True)["effective_from"] == dt.date(2025, 7, 15)
    assert pt.program_to_dict(program)["effective_from"] == "2025-07-15"
    json_text = pt.dumps_program(program, "json")
    assert json_text.startswith('{\n  "name": "hubspot-2025",\n  "version": "2025-07-15",\n')
    assert '"title": "Programm für Zürich"' in json_text  # not escaped to \\u00fc
    assert json_text.endswith("}\n")
