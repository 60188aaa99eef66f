"""The tier tests of every day a replay visits, computed at once on the ledger's arrays.

The replay asks, on each of its days (about 1,000 for a book of 5,000 deals), which
tiers' reach and retain thresholds the track values meet. When the ledger is columnar
and every track of a version is a built-in one (a ledger figure), those answers are
read off the event index for all days in one go: the figures in hundredths on each day,
compared with each threshold x 100 rounded up, which is exact for values in hundredths.
A version with a custom track is tested day by day from its track values instead.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
from attrs import frozen

from partner_tiers._engine.qualify import Met
from partner_tiers._ledger.ledger import PointsLedger
from partner_tiers._rules.program import Program

__all__ = ["DayTests", "day_tests"]


@frozen
class DayTests:
    """Per tier and day: whether its reach and its retain thresholds are met.

    Attributes:
        reach: ``reach[tier][k]`` on the k-th day.
        keep: ``keep[tier][k]`` likewise for the retain thresholds.
        reached: on the k-th day, the highest tier whose reach is met (-1: none).
    """

    reach: list[list[bool]]
    keep: list[list[bool]]
    reached: list[int]

    def on(self, k: int) -> Met:
        """The thresholds test of the k-th day."""
        reach, keep = self.reach, self.keep
        return lambda index, retain: (keep if retain else reach)[index][k]


def day_tests(program: Program, ledger: PointsLedger, days: Sequence[dt.date]) -> DayTests | None:
    """The tier tests of the program on each of the days, or None when they must be
    made day by day (a custom track, or a ledger that is not columnar)."""
    index = ledger._events
    registry = program.registry
    if index is None or any(registry.track(track.rule) is not None for track in program.tracks):
        return None
    figures = index.figures(days)
    # Thresholds name tracks of the program (`Program.check`, which `evaluate` runs).
    values = {track.id: figures[track.rule] for track in program.tracks}

    def met(thresholds: Mapping[str, Decimal]) -> Any:
        ok: Any = np.ones(len(days), dtype=bool)
        for track, threshold in thresholds.items():
            ok &= values[track] >= math.ceil(threshold * 100)
        return ok

    reach = np.array([met(tier.reach) for tier in program.tiers])
    reach = reach.reshape(len(program.tiers), len(days))
    # The highest tier met: the last True of each day's column, -1 when there is none.
    top = len(program.tiers) - 1 - np.argmax(reach[::-1], axis=0)
    reached = np.where(reach.any(axis=0), top, -1)
    return DayTests(
        reach=reach.tolist(),
        keep=[met(tier.retain_thresholds()).tolist() for tier in program.tiers],
        reached=reached.tolist(),
    )
