"""Program series: the versions of one program, each in force from its ``effective_from``
until the next one takes over.

A day is judged under the version in force that day. The newer version of a switch says
where the tiers of the older one land (its ``carry_over``); a tier it does not name keeps
its id. `as_series` makes a single program a series of one, so the engine has one path.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator

from attrs import field, frozen

from partner_tiers._errors import Problem, ProgramError, ProgramValidationError
from partner_tiers._rules.checks import UNTIERED
from partner_tiers._rules.program import Program

_ONE_DAY = dt.timedelta(days=1)

__all__ = ["ProgramSeries", "Version", "as_series", "check_series", "program_on"]


def _versions(value: object) -> tuple[Program, ...]:
    if not isinstance(value, (list, tuple)):
        raise ProgramError(f"ProgramSeries.versions: must be a list of programs (got {value!r})")
    return tuple(value)


@frozen
class Version:
    """One version of a series with the days it is in force.

    Attributes:
        program: the version.
        start: its first day in force (None: from the beginning).
        end: the day the next version takes over (None: still in force).
    """

    program: Program
    start: dt.date | None
    end: dt.date | None

    def covers(self, day: dt.date) -> bool:
        """Whether the version is in force on the day."""
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@frozen
class ProgramSeries:
    """The versions of a program, each in force from its ``effective_from``.

    The first version also judges the days before its date (a book may start earlier);
    the last stays in force. Accepted wherever a `Program` is.

    Attributes:
        name: the series' name, e.g. ``hubspot``.
        title: a one-line title for people.
        versions: the versions, oldest first, with strictly increasing ``effective_from``.
        description: what the series is.
    """

    name: str
    title: str
    versions: tuple[Program, ...] = field(converter=_versions)
    description: str = ""

    @property
    def label(self) -> str:
        """The series' name (a status names the version behind it as ``name@version``)."""
        return self.name

    def version_on(self, day: dt.date) -> Program:
        """The version in force on the day (the first one for days before it)."""
        for version in reversed(self.versions):
            if version.effective_from <= day:
                return version
        return self.versions[0]

    def windows(self) -> tuple[Version, ...]:
        """Every version with the days it is in force, oldest first."""
        versions = self.versions
        return tuple(
            Version(
                program,
                program.effective_from if index else None,
                versions[index + 1].effective_from if index + 1 < len(versions) else None,
            )
            for index, program in enumerate(versions)
        )

    def next_review(self, after: dt.date) -> dt.date:
        """The first review strictly after the day, each version reviewing on its own
        dates while it is in force. A switch day is no review (nobody is demoted for a
        new version's minimums on its first day), as in the replay.

        Raises:
            ProgramError: when a version's policy has no review dates.
        """
        # The last version is in force for ever: some window always has the review.
        return next(day for window in self.windows() if (day := _review_in(window, after)))

    def switches(self) -> Iterator[tuple[Program, Program]]:
        """Each pair of consecutive versions (older, newer)."""
        yield from zip(self.versions, self.versions[1:], strict=False)

    def carry(self, newer: Program, tier_id: str | None) -> str | None:
        """Where a tier held under the version before ``newer`` lands when ``newer``
        takes effect: its carry-over target, else the same id if ``newer`` has it, else
        untiered (None)."""
        if tier_id is None:
            return None
        target = newer.carry_over.get(tier_id, tier_id)
        if target == UNTIERED or target not in {tier.id for tier in newer.tiers}:
            return None
        return target

    def check(self) -> None:
        """Refuse a series that does not hold together, and any version that does not.

        Raises:
            ProgramValidationError: with every problem `check_series` finds.
        """
        problems = self._problems
        if problems:
            raise ProgramValidationError(f"program series {self.name}", problems)
        for version in self.versions:
            version.check()

    @functools.cached_property
    def _problems(self) -> tuple[Problem, ...]:
        return tuple(check_series(self))


def _review_in(window: Version, after: dt.date) -> dt.date | None:
    """The version's first review after the day while it is in force and not on its
    first day, or None."""
    if window.end is not None and window.end <= after:
        return None
    low = after if window.start is None else max(after, window.start - _ONE_DAY)
    found = window.program.policy.next_review(low)
    if found == window.start:
        found = window.program.policy.next_review(found)
    return found if window.end is None or found < window.end else None


def check_series(series: ProgramSeries) -> list[Problem]:
    """Every problem of a series as a whole: at least one version, dates strictly
    increasing, and each carry-over naming tiers of the version before; a tier of the
    older version that the newer lacks must be carried over explicitly."""
    versions = series.versions
    problems = []
    if not versions:
        problems.append(Problem("versions", "must hold at least one program version"))
    for index, version in enumerate(versions):
        if not isinstance(version, Program):
            problems.append(Problem(f"versions[{index}]", "must be a Program", version))
            return problems
    for index in range(1, len(versions)):
        older, newer = versions[index - 1], versions[index]
        where = f"versions[{index}]"
        if newer.effective_from <= older.effective_from:
            problems.append(
                Problem(
                    f"{where}.effective_from",
                    f"must be after the version before it ({older.effective_from})",
                    newer.effective_from,
                )
            )
        old_ids = [tier.id for tier in older.tiers]
        new_ids = {tier.id for tier in newer.tiers}
        for old in newer.carry_over:
            if old not in old_ids:
                message = f"must be a tier of {older.label} ({', '.join(old_ids)})"
                problems.append(Problem(f"{where}.carry_over.{old}", message, old))
        for old in old_ids:
            if old not in new_ids and old not in newer.carry_over:
                message = (
                    f"{older.label}'s tier {old} is not in {newer.label}: "
                    f"say where it lands (a tier, or {UNTIERED})"
                )
                problems.append(Problem(f"{where}.carry_over", message, old))
    return problems


def as_series(program: Program | ProgramSeries) -> ProgramSeries:
    """The program as a series: a series as it is, a single program as a series of one."""
    if isinstance(program, ProgramSeries):
        return program
    return ProgramSeries(program.label, program.title, (program,), program.description)


def program_on(program: Program | ProgramSeries, day: dt.date) -> Program:
    """The program in force on the day: a single program, or the series' version."""
    return program.version_on(day) if isinstance(program, ProgramSeries) else program
