"""``extends``: a program file that names another program and gives only what differs.

The merge rules (docs/reference/program-format.md): tables merge by key; tracks, tiers
and gates merge by id and the effective-dated rows by effective_from, ``drop = true``
removing one; other lists and scalars replace.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import partner_tiers as pt
from cli_run import run_cli
from partner_tiers._io.programfile import resolve_file, resolve_text

BRAZIL = """\
extends = "hubspot-2025"
name = "brazil-club"
version = "2026"

[[tiers]]
id = "gold"
reach = { total = 60 }

[[tiers]]
id = "elite"
drop = true

[[gates]]
id = "invited"
drop = true

[[gates]]
id = "retention"
drop = true

[[gates]]
id = "team-certifications"
drop = true

[[gates]]
id = "audited"
kind = "fact_true"
params = { fact = "audited" }

[[currencies]]
effective_from = 2025-07-15
per_100_usd = { BRL = "550" }

[policy]
notice_days = 60
"""


@pytest.fixture
def brazil(tmp_path: Path) -> Path:
    path = tmp_path / "brazil.toml"
    path.write_text(BRAZIL, "utf-8")
    return path


def test_extends_merges_thresholds_currency_gates_and_policy(brazil: Path) -> None:
    base = pt.load_program("hubspot-2025")
    program = pt.load_program(brazil)
    assert program.label == "brazil-club@2026"
    assert [tier.id for tier in program.tiers] == ["gold", "platinum", "diamond"]
    gold = program.tier("gold")
    # The reach table merges by key: total replaced, sourced and managed inherited.
    assert gold.reach == {"total": Decimal(60), "sourced": Decimal(10), "managed": Decimal(10)}
    assert gold.retain == base.tier("gold").retain
    # hubspot-2025's gates less the three dropped, with the new one appended.
    assert [gate.id for gate in program.gates] == ["certified", "audited"]
    later = program.currencies[1].per_100_usd
    assert later["BRL"] == Decimal(550)
    assert later["EUR"] == Decimal(88)  # the rest of the row inherited
    assert "BRL" not in program.currencies[0].per_100_usd
    assert program.policy.notice_days == 60
    assert program.policy.review_dates == base.policy.review_dates
    assert program.rates == base.rates


def test_a_brl_deal_is_priced_by_the_added_row(brazil: Path) -> None:
    book = pt.book_from_dict(
        {
            "partner": {"id": "p", "name": "P", "country": "BR", "joined_on": "2025-01-01"},
            "clients": [{"id": "c", "name": "C", "country": "BR", "relationship": "sold"}],
            "deals": [
                {
                    "id": "d",
                    "client": "c",
                    "product_line": "marketing-hub",
                    "kind": "new",
                    "motion": "sourced",
                    "closed_on": "2025-08-01",
                    "mrr_change": {"amount": "1100", "currency": "BRL"},
                }
            ],
        }
    )
    ledger = pt.build_ledger(book, pt.load_program(brazil))
    # 1,100 BRL at 550 BRL per 100 USD = 200 USD x 5 points x 2 (Brazil, growth market).
    assert ledger.batches[0].points == Decimal("20.00")


def test_resolved_shows_the_chain(brazil: Path) -> None:
    resolved = resolve_file(brazil)
    assert resolved.chain == (str(brazil), "hubspot-2025.toml")
    assert "extends" not in resolved.data


def test_diff_programs_compares_the_resolved_programs(brazil: Path) -> None:
    difference = pt.diff_programs(pt.load_program("hubspot-2025"), pt.load_program(brazil))
    text = str(difference)
    assert "elite" in text
    assert "BRL" in text


def test_an_inherited_item_that_no_longer_fits_names_its_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('extends = "hubspot-2025"\n\n[[tiers]]\nid = "elite"\ndrop = true\n')
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.load_program(path)
    # The elite-only gates stay and name a tier that is gone.
    assert caught.value.lines()[0] == (
        f"{path}: gates[1].tiers: names no tier of the ladder (the value comes from "
        "hubspot-2025.toml, line 56: gates[1].tiers) (got 'elite')"
    )


def test_an_own_bad_value_is_reported_at_its_line(tmp_path: Path, brazil: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'extends = "brazil.toml"\n\n[[tiers]]\nid = "platinum"\nreach = { total = 40 }\n'
    )
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.load_program(bad)
    lines = caught.value.lines()
    assert any(
        line.startswith(f"{bad}: line 5: tiers[1].reach.total: must be greater") for line in lines
    ), lines
    # The inherited retain of 141.75 is now above reach: named in the file it came from.
    assert any("hubspot-2025.toml, line 34: tiers[1].retain.total" in line for line in lines)


def test_dropping_an_item_the_base_lacks_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('extends = "hubspot-2025"\n\n[[gates]]\nid = "nope"\ndrop = true\n')
    with pytest.raises(pt.ProgramValidationError, match=r"line 5: gates\[0\]\.drop: drops id nope"):
        pt.load_program(path)


def test_a_cycle_names_the_chain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n')
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n')
    code, _, err = run_cli(["validate", str(tmp_path / "a.toml")], capsys)
    assert code == 2
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    assert err.count("\n") == 1
    assert f"{a}: line 1: extends: comes back to a program of the chain: {a} -> {b} -> {a}" in err


def test_a_missing_target_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.toml"
    path.write_text('name = "x"\nextends = "hubspot-2099"\n')
    code, _, err = run_cli(["programs", "show", "--resolved", str(path)], capsys)
    assert code == 2
    assert err.count("\n") == 1
    assert f"{path}: line 2: extends: names neither a shipped program" in err
    assert "(got 'hubspot-2099')" in err


def test_show_prints_the_file_as_written_or_resolved(
    brazil: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["programs", "show", str(brazil)], capsys)
    assert (code, out) == (0, BRAZIL)
    code, out, _ = run_cli(["programs", "show", "--resolved", str(brazil)], capsys)
    assert code == 0
    assert pt.loads_program(out) == pt.load_program(brazil)
    assert "extends" not in out


def test_extends_from_json_with_a_relative_path(tmp_path: Path, brazil: Path) -> None:
    path = tmp_path / "sub.json"
    path.write_text('{"extends": "brazil.toml", "policy": {"soft_landing": false}}')
    program = pt.load_program(path)
    assert program.policy.soft_landing is False
    assert program.policy.notice_days == 60


# --- exact answers of the extends resolution, written to kill mutation survivors ---------

SHIPPED = ", ".join(pt.list_programs())
NOTICE_3651_JSON = '{\n  "extends": "hubspot-2025",\n  "policy": {\n    "notice_days": 3651\n  }\n}'


def test_resolving_a_shipped_name_gives_that_program_alone() -> None:
    from partner_tiers._errors import Problem
    from partner_tiers._io.parse import parse_text

    resolved = resolve_file("hubspot-2025")
    text = (Path(pt.__file__).parent / "programs" / "hubspot-2025.toml").read_text("utf-8")
    assert (resolved.source, resolved.chain) == ("hubspot-2025.toml", ("hubspot-2025.toml",))
    assert resolved.data == parse_text(text, "toml", "hubspot-2025.toml")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "notice_days" in row)
    located = resolved.locate(Problem("policy.notice_days", "is wrong"))
    assert located == Problem("policy.notice_days", "is wrong", None, line)


def test_resolve_file_names_its_argument() -> None:
    with pytest.raises(pt.InvalidTypeError, match=r"^path: "):
        resolve_file(42)  # type: ignore[arg-type]


def test_resolving_a_file_with_an_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_text('name = "x"\n')
    with pytest.raises(pt.ProgramValidationError) as caught:
        resolve_file(path)
    assert caught.value.lines() == [
        f"{path}: (document): has an unknown suffix: use .toml, .json, .yaml or .yml (got '.txt')"
    ]
    message = "has an unknown suffix: use .toml, .json, .yaml or .yml"
    assert caught.value.problems == (pt.Problem("", message, ".txt"),)


def test_resolving_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "folder.toml"
    path.mkdir()
    with pytest.raises(pt.ProgramValidationError) as caught:
        resolve_file(path)
    assert caught.value.lines() == [f"{path}: (document): cannot be read: Is a directory"]
    assert caught.value.problems == (pt.Problem("", "cannot be read: Is a directory"),)


def test_resolving_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_bytes(b'name = "\xff"\n')
    with pytest.raises(pt.ProgramValidationError) as caught:
        resolve_file(path)
    assert caught.value.lines() == [f"{path}: (document): is not UTF-8 text (byte 8)"]


def test_extending_a_file_with_an_unknown_suffix_names_that_file(tmp_path: Path) -> None:
    (tmp_path / "base.txt").write_text('name = "x"\n')
    path = tmp_path / "p.toml"
    path.write_text('extends = "base.txt"\n')
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.load_program(path)
    assert caught.value.lines() == [
        f"{tmp_path / 'base.txt'}: (document): has an unknown suffix: use .toml, .json, .yaml "
        "or .yml (got '.txt')"
    ]


def test_extending_a_broken_file_names_that_file(tmp_path: Path) -> None:
    base = tmp_path / "base.toml"
    base.write_text("name = \n")
    path = tmp_path / "p.toml"
    path.write_text('extends = "base.toml"\n')
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.load_program(path)
    assert caught.value.lines()[0].startswith(f"{base}: line 1: ")


def test_a_missing_target_beside_a_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('name = "x"\nextends = "hubspot-2099"\n')
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.load_program(path)
    assert caught.value.lines() == [
        f"{path}: line 2: extends: names neither a shipped program ({SHIPPED}) nor a program "
        f"file beside {path} (got 'hubspot-2099')"
    ]


def test_a_missing_target_of_a_text_names_no_folder() -> None:
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.loads_program('extends = "hubspot-2099"\n')
    assert caught.value.lines() == [
        f"<string>: line 1: extends: names neither a shipped program ({SHIPPED}) nor a "
        "program file (got 'hubspot-2099')"
    ]


def test_a_syntax_error_in_a_file_that_extends_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('extends = "hubspot-2025"\nname = \n')
    with pytest.raises(pt.ProgramValidationError) as caught:
        resolve_file(path)
    assert caught.value.lines()[0].startswith(f"{path}: line 2: ")


def test_resolving_a_text_without_a_source_looks_in_no_folder() -> None:
    with pytest.raises(pt.ProgramValidationError) as caught:
        resolve_text('extends = "hubspot-2099"\n', "toml")
    assert caught.value.lines() == [
        f"<string>: line 1: extends: names neither a shipped program ({SHIPPED}) nor a "
        "program file (got 'hubspot-2099')"
    ]


def test_a_json_file_that_extends_reports_its_own_lines(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(NOTICE_3651_JSON)
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.load_program(path)
    assert caught.value.lines() == [
        f"{path}: line 4: policy.notice_days: must be at most 3650 (got 3651)"
    ]


def test_a_value_inherited_from_a_json_file_names_its_line(tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    base.write_text(NOTICE_3651_JSON)
    path = tmp_path / "p.toml"
    path.write_text('extends = "base.json"\nname = "child"\n')
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.load_program(path)
    assert caught.value.lines() == [
        f"{path}: policy.notice_days: must be at most 3650 (the value comes from {base}, "
        "line 4: policy.notice_days) (got 3651)"
    ]


def test_a_json_file_that_extends_may_name_its_schema(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"$schema": "program.schema.json", "extends": "hubspot-2025"}')
    assert pt.load_program(path) == pt.load_program("hubspot-2025")


def test_a_text_that_extends_is_read_with_the_given_registry() -> None:
    registry = pt.Registry().with_gate("always", lambda context, params: pt.GateOutcome(True, "ok"))
    text = 'extends = "hubspot-2025"\n\n[[gates]]\nid = "custom"\nkind = "always"\n'
    program = pt.loads_program(text, registry=registry)
    assert [gate.kind for gate in program.gates][-1] == "always"


def test_an_unknown_key_beside_a_semantic_problem_reports_both(tmp_path: Path) -> None:
    # The strict reading refuses the unknown key; the rest is still read and checked,
    # so Platinum's reach below Gold's is reported with it.
    path = tmp_path / "p.toml"
    path.write_text(
        'extends = "hubspot-2025"\ncolour = "blue"\n\n'
        '[[tiers]]\nid = "platinum"\nreach = { total = 40 }\n'
    )
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.load_program(path)
    messages = [problem.path + ": " + problem.message for problem in caught.value.problems]
    assert messages[0] == "colour: unknown key"
    assert any(m.startswith("tiers[1].reach.total: must be greater") for m in messages)
