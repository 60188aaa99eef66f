"""Tier ladders: ordered tiers with reach and retain thresholds per track.

A tier is *reached* when every reach threshold is met and *kept* (retained) while every
retain threshold -- the maintenance minimum, never above reach -- is met.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from attrs import field, frozen

from partner_tiers._model.values import frozen_map

__all__ = ["Tier", "highest_met"]


@frozen
class Tier:
    """One rung of a ladder.

    Attributes:
        id: the tier's id in lower case, e.g. ``gold``.
        name: the tier's display name, e.g. ``Gold``.
        reach: track id -> the value needed to reach the tier.
        retain: track id -> the value needed to keep the tier once held (the
            maintenance minimum); a track missing here keeps its reach value.
        description: anything a reader should know about the tier.
    """

    id: str
    name: str
    reach: Mapping[str, Decimal] = field(converter=frozen_map)
    retain: Mapping[str, Decimal] = field(factory=dict, converter=frozen_map)
    description: str = ""

    def retain_for(self, track: str) -> Decimal:
        """The retain threshold of a track (its reach threshold when none is set)."""
        return self.retain.get(track, self.reach[track])

    def retain_thresholds(self) -> Mapping[str, Decimal]:
        """Every track's retain threshold, reach filling the gaps."""
        return {track: self.retain_for(track) for track in self.reach}

    def shortfall(self, values: Mapping[str, Decimal], *, keep: bool = False) -> dict[str, Decimal]:
        """Per track, how much is still missing (0 when met) to reach -- or keep -- the tier."""
        thresholds = self.retain_thresholds() if keep else self.reach
        return {
            track: max(Decimal(0), threshold - values.get(track, Decimal(0)))
            for track, threshold in thresholds.items()
        }

    def met(self, values: Mapping[str, Decimal], *, keep: bool = False) -> bool:
        """True when every threshold is met (exactly at a threshold meets it)."""
        # The replay asks this on every change day: compare directly, build nothing.
        zero = Decimal(0)
        if keep:
            return all(values.get(track, zero) >= self.retain_for(track) for track in self.reach)
        return all(values.get(track, zero) >= threshold for track, threshold in self.reach.items())


def highest_met(
    tiers: Sequence[Tier], met: Callable[[int, Tier], bool], below: int | None = None
) -> int:
    """The index of the highest tier (under ``below``) for which ``met`` holds, or -1.

    Tiers are independent: a partner can meet Platinum's thresholds without Gold's only
    if the ladder is odd, and then the higher tier counts.
    """
    top = len(tiers) if below is None else below
    for index in range(top - 1, -1, -1):
        if met(index, tiers[index]):
            return index
    return -1
