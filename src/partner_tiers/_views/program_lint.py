"""Program lint: what a program file may legally say but probably does not mean.

Each warning has a code that the file can silence with ``lint.ignore = ["PT001"]``:

- PT001: a tier's retain threshold equals its reach on a track (no hysteresis: a
  partner at the line moves up and down with every small change);
- PT002: a tier no book can reach because its gates contradict each other: a
  ``fact_true`` gate and a ``fact_at_least`` gate on the same fact with a minimum above 1
  (only ``true`` passes the first, and ``true`` counts as 1 for the second), guarding
  the same tier. Gates that depend on the book's records (certification, tool usage) can
  always be met by some book and custom gates are code: neither is detected statically;
  ``lint --properties`` looks for tiers held while their gates fail instead. Tool usage
  has no upper bound here (a client's tools are free text), so a high
  ``median_tool_usage`` minimum is not flagged;
- PT003: a rate row or currency table that is never in force (it ends before the
  first rate row prices anything);
- PT004: a growth-market list that repeats the list before it (same countries and
  multiplier: the row changes nothing);
- PT005: a notice period longer than the shortest interval between reviews (a
  demotion lands after the next review has already looked again);

Reach thresholds that do not increase up the ladder on some track are not a warning here:
`check_program` already refuses them (``validate`` reports each with its line).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from decimal import Decimal

from attrs import frozen

from partner_tiers._rules.program import Program

__all__ = ["CODES", "LintWarning", "lint_program"]

CODES = {
    "PT001": "retain equals reach",
    "PT002": "a tier no book can reach: its gates contradict each other",
    "PT003": "row never in force",
    "PT004": "growth list repeats the one before",
    "PT005": "notice longer than the review interval",
}
"""Every lint code and what it flags."""


@frozen
class LintWarning:
    """One thing a program probably does not mean.

    Attributes:
        code: the code that silences it, e.g. ``PT001``.
        path: where it is in the program, e.g. ``tiers[0].retain.total``.
        message: what is wrong and why it matters.
    """

    code: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.code} {self.path}: {self.message}"


def _no_hysteresis(program: Program) -> Iterator[LintWarning]:
    for index, tier in enumerate(program.tiers):
        for track, reach in tier.reach.items():
            if tier.retain_for(track) == reach:
                yield LintWarning(
                    "PT001",
                    f"tiers[{index}].retain.{track}",
                    f"{tier.name} keeps at {reach}, its reach: no hysteresis, a partner on "
                    "the line moves with every small change; set retain below reach",
                )


def _guarded(program: Program, tiers: tuple[str, ...]) -> set[str]:
    """The tiers a gate blocks when it fails: the lowest it guards and every tier above."""
    ids = [tier.id for tier in program.tiers]
    lowest = min((ids.index(tier) for tier in tiers if tier in ids), default=0)
    return set(ids[lowest:])


def _unreachable(program: Program) -> Iterator[LintWarning]:
    gates = list(enumerate(program.gates))
    for index, least in gates:
        if least.kind != "fact_at_least" or Decimal(least.params["minimum"]) <= 1:
            continue
        for other_index, true in gates:
            if true.kind != "fact_true" or true.params["fact"] != least.params["fact"]:
                continue
            blocked = _guarded(program, least.tiers) & _guarded(program, true.tiers)
            for tier in (tier for tier in program.tiers if tier.id in blocked):
                yield LintWarning(
                    "PT002",
                    f"gates[{index}].params.minimum",
                    f"{tier.name} cannot be reached: gates[{other_index}] needs "
                    f"{true.params['fact']} to be true, which counts as 1, below this "
                    f"minimum of {least.params['minimum']}",
                )
                break  # the lowest blocked tier says it; the ones above follow


def _never_in_force(program: Program) -> Iterator[LintWarning]:
    if program.price_before_first_row or not program.rates:
        return
    first = program.rates[0].effective_from
    tables = program.currencies
    for index in range(len(tables) - 1):
        ends = tables[index + 1].effective_from
        if ends is not None and ends <= first:
            yield LintWarning(
                "PT003",
                f"currencies[{index}]",
                f"in force until {ends}, before the first rate row ({first}) prices anything",
            )


def _repeated_growth(program: Program) -> Iterator[LintWarning]:
    rows = program.growth_markets
    for index in range(1, len(rows)):
        before, row = rows[index - 1], rows[index]
        if (before.countries, before.multiplier) == (row.countries, row.multiplier):
            yield LintWarning(
                "PT004",
                f"growth_markets[{index}]",
                f"repeats growth_markets[{index - 1}] (same countries and multiplier)",
            )


def _shortest_interval(program: Program) -> int | None:
    days = program.policy.reviews(dt.date(2000, 12, 31), dt.date(2002, 12, 31))
    gaps = [(later - earlier).days for earlier, later in itertools.pairwise(days)]
    return min(gaps) if gaps else None


def _long_notice(program: Program) -> Iterator[LintWarning]:
    interval = _shortest_interval(program)
    notice = program.policy.notice_days
    if interval is not None and notice > interval:
        yield LintWarning(
            "PT005",
            "policy.notice_days",
            f"{notice} days of notice, but reviews can be {interval} days apart: a demotion "
            "lands after the next review has looked again",
        )


def lint_program(program: Program, *, ignore: Iterable[str] = ()) -> list[LintWarning]:
    """What the program probably does not mean, as warnings with codes.

    Args:
        program: the program (already valid: see `check_program` for errors).
        ignore: codes to leave out (a file's ``lint.ignore``).
    """
    skipped = set(ignore)
    found = [
        *_no_hysteresis(program),
        *_unreachable(program),
        *_never_in_force(program),
        *_repeated_growth(program),
        *_long_notice(program),
    ]
    return [warning for warning in found if warning.code not in skipped]
