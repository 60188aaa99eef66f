"""The program designer's commands: ``test`` runs scenario files against a program (with
``--coverage``), ``lint`` finds what is legal but probably wrong in a program file."""

from __future__ import annotations

import sys

import click

from partner_tiers._cli.base import cli, fail, read_program
from partner_tiers._rules.series import ProgramSeries


@cli.command("test")
@click.argument("program_name", metavar="PROGRAM")
@click.argument("scenarios", nargs=-1, required=True, metavar="SCENARIO...")
@click.option(
    "--coverage",
    is_flag=True,
    help="Report which tiers, gates and pricing rows the scenarios exercised.",
)
def test_command(program_name: str, scenarios: tuple[str, ...], coverage: bool) -> None:
    """Run scenario files against a program.

    Prints each scenario as PASS or FAIL, with expected against actual and the
    explanation's lines for a failure. Exits 0 when all pass, 1 when one fails, 2 on
    bad input.
    """
    from partner_tiers._views.scenario_coverage import scenario_coverage
    from partner_tiers._views.scenario_tests import load_scenario, run_scenario

    program = read_program(program_name)
    loaded = [load_scenario(path) for path in scenarios]  # all read before any runs
    results = [run_scenario(scenario, program) for scenario in loaded]
    for result in results:
        for line in result.lines():
            click.echo(line)
    failed = sum(not result.passed for result in results)
    click.echo(f"{len(results) - failed} passed, {failed} failed")
    if coverage:
        if isinstance(program, ProgramSeries):
            fail(f"{program_name}: --coverage needs one program version, not a series")
        for line in scenario_coverage(results, program).lines():
            click.echo(line)
    if failed:
        sys.exit(1)


@cli.command("lint")
@click.argument("program_name", metavar="PROGRAM")
@click.option(
    "--properties",
    "examples",
    type=click.IntRange(1, 100_000),
    default=None,
    metavar="N",
    help="Also run N generated books per property; needs the properties extra.",
)
def lint_command(program_name: str, examples: int | None) -> None:
    """Warn about what a program may say but probably does not mean.

    Each warning has a code; silence one in the file with lint.ignore = ["PT001"].
    With --properties N, N Hypothesis-generated books per property look for a sale that
    lowers the tier (PT101), a review that drops more than one tier under soft landing
    (PT102) and a tier held while its gate fails (PT103), each reported with a shrunk
    counterexample book. Exits 0 when there is no warning, 1 when there is one, 2 on
    bad input.
    """
    from partner_tiers._io.programfile import resolve_file
    from partner_tiers._views.program_lint import CODES, lint_program
    from partner_tiers.testing.program_properties import PROPERTY_CODES

    program = read_program(program_name)
    if isinstance(program, ProgramSeries):
        fail(f"{program_name}: lint one program version, not a series")
    settings = resolve_file(program_name).data.get("lint", {})
    ignore = settings.get("ignore", []) if isinstance(settings, dict) else None
    codes = {**CODES, **PROPERTY_CODES}
    if not isinstance(ignore, list) or any(code not in codes for code in ignore):
        fail(f"{program_name}: lint.ignore: must be a list of codes ({', '.join(codes)})")
    warnings: list[object] = list(lint_program(program, ignore=ignore))
    for warning in warnings:
        click.echo(f"{program_name}: {warning}")
    if examples is not None:
        from partner_tiers.testing.program_properties import check_properties

        violations = [v for v in check_properties(program, examples) if v.code not in ignore]
        for violation in violations:
            head, book = violation.lines()
            click.echo(f"{program_name}: {head}")
            click.echo(book, nl=False)
        warnings += violations
    click.echo(f"{len(warnings)} warning{'' if len(warnings) == 1 else 's'}")
    if warnings:
        sys.exit(1)
