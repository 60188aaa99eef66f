"""The program file format: its JSON Schema, generated programs and round trips.

The schema is generated from the attrs model; these tests keep the shipped file equal to
the generator, and check on generated files that the schema and the loader accept and
refuse the same structures (semantic rules such as an increasing ladder are the
loader's alone and are tested in test_programs.py).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

import partner_tiers as pt
from partner_tiers._io.schema import dumps_schema, shipped_program_schema
from partner_tiers._rules.program import _strict
from partner_tiers.testing import strategies as pts

VALIDATOR = Draft202012Validator(shipped_program_schema(), format_checker=FormatChecker())


def test_shipped_schema_is_what_the_model_generates() -> None:
    assert json.dumps(shipped_program_schema(), indent=2, ensure_ascii=False) + "\n" == (
        dumps_schema()
    )
    Draft202012Validator.check_schema(shipped_program_schema())


@pytest.mark.parametrize("name", [name for name in pt.list_programs() if name != "hubspot"])
def test_every_shipped_program_is_valid_under_the_schema(name: str) -> None:
    data = json.loads(pt.dumps_program(pt.load_program(name), "json"), parse_float=Decimal)
    assert list(VALIDATOR.iter_errors(data)) == []


def test_the_schema_refuses_an_unknown_key_and_a_wrong_type() -> None:
    data = json.loads(pt.dumps_program(pt.load_program("hubspot-2025"), "json"))
    data["tierz"] = []
    data["tiers"][0]["reach"]["total"] = "lots"
    messages = sorted(error.message for error in VALIDATOR.iter_errors(data))
    assert any("'tierz'" in message for message in messages)
    assert any("'lots'" in message for message in messages)


@settings(max_examples=40, deadline=None)
@given(pts.programs())
def test_generated_programs_hold_together(program: pt.Program) -> None:
    assert pt.check_program(program) == []


@settings(max_examples=40, deadline=None)
@given(pts.programs(), st.sampled_from(["toml", "json", "yaml"]))
def test_roundtrip_load_of_dump_is_equal(program: pt.Program, fmt: str) -> None:
    text = pt.dumps_program(program, fmt)  # type: ignore[arg-type]
    assert pt.loads_program(text, fmt) == program  # type: ignore[arg-type]


# --- schema and loader agree on mutated files -----------------------------------------

REPLACEMENTS: list[Any] = [None, True, 7, "x", "12.50", [], {}, ["x"], {"x": 1}, "2024-02-30"]


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        data = data[key]
    return data


@st.composite
def mutated_files(draw: st.DrawFn) -> Any:
    program = draw(pts.programs(max_tiers=3))
    data = json.loads(pt.dumps_program(program, "json"))
    for _ in range(draw(st.integers(min_value=1, max_value=2))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        action = draw(st.sampled_from(["delete", "replace", "add-key"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(st.sampled_from(REPLACEMENTS))
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "colour", "tierz"]))] = 1
    # As a file would give it to the loader: floats as exact Decimals.
    return json.loads(json.dumps(data), parse_float=Decimal)


def _loader_accepts(data: Any) -> bool:
    try:
        _strict.structure(data, pt.Program)
    except Exception:
        return False
    return True


@settings(max_examples=150, deadline=None)
@given(mutated_files())
def test_schema_and_loader_accept_and_refuse_the_same_files(data: Any) -> None:
    schema_accepts = VALIDATOR.is_valid(data)
    assert schema_accepts == _loader_accepts(data), list(VALIDATOR.iter_errors(data))[:3]
