"""Program lint: what a program file may legally say but probably does not mean.

Each warning has a code that the file can silence with ``lint.ignore = ["PT001"]``:

- PT001: a tier's retain threshold equals its reach on a track (no hysteresis: a
  partner at the line moves up and down with every small change);
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

from attrs import frozen

from partner_tiers._rules.program import Program

__all__ = ["CODES", "LintWarning", "lint_program"]

CODES = {
    "PT001": "retain equals reach",
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
        *_never_in_force(program),
        *_repeated_growth(program),
        *_long_notice(program),
    ]
    return [warning for warning in found if warning.code not in skipped]
