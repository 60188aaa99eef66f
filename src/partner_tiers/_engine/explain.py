"""Explanations: every number of a decision traced to the rule and the batches behind it."""

from __future__ import annotations

from attrs import frozen

__all__ = ["Explanation", "Reason"]


@frozen
class Reason:
    """One line of an explanation.

    Attributes:
        topic: what the line is about: ``program``, ``track``, ``batch``, ``gate``,
            ``qualified``, ``held``, ``keep``, ``next``, ``review``.
        text: the line, for people.
        subject: the track, gate or tier the line is about, if any.
        batches: the ids of the ledger batches behind the number.
        depth: 0 for a headline, 1 for a detail under it.
    """

    topic: str
    text: str
    subject: str | None = None
    batches: tuple[str, ...] = ()
    depth: int = 0

    def __str__(self) -> str:
        return "  " * self.depth + self.text


@frozen
class Explanation:
    """A structured explanation; ``str()`` gives it as text, one reason per line.

    Attributes:
        reasons: the lines, in reading order.
    """

    reasons: tuple[Reason, ...]

    def __str__(self) -> str:
        return "\n".join(str(reason) for reason in self.reasons)

    def lines(self) -> list[str]:
        """The explanation as lines of text."""
        return [str(reason) for reason in self.reasons]

    def about(self, topic: str) -> tuple[Reason, ...]:
        """The reasons on one topic."""
        return tuple(reason for reason in self.reasons if reason.topic == topic)
