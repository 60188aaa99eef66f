"""Content hashes of programs and program series (see `partner_tiers._model.digest`).

A program is hashed as the data of its file (`program_to_dict`): its custom rules are
code, not data, and only their names count. A series is hashed with every version in
full, so changing any version changes the series' hash.
"""

from __future__ import annotations

from partner_tiers._errors import InvalidRecordError
from partner_tiers._model.digest import content_hash
from partner_tiers._rules.program import Program, program_to_dict
from partner_tiers._rules.series import ProgramSeries

__all__ = ["program_hash"]


def program_hash(program: Program | ProgramSeries) -> str:
    """The content hash of a program or a program series: SHA-256 hex of its canonical
    JSON, the same on every run and machine.

    Raises:
        InvalidRecordError: when ``program`` is neither a Program nor a ProgramSeries.
    """
    if isinstance(program, Program):
        return content_hash(program_to_dict(program, native=True))
    if isinstance(program, ProgramSeries):
        return content_hash(
            {
                "name": program.name,
                "title": program.title,
                "description": program.description,
                "versions": [program_to_dict(version, native=True) for version in program.versions],
            }
        )
    raise InvalidRecordError("program", program, "must be a Program or a ProgramSeries")
