"""An explicit registry of custom track and gate rules.

There is no module-global registry: make one, register rules on it, and pass it to
`partner_tiers.load_program`. A program file can then name a registered rule by
kind and give its parameters; a file never causes code to be imported or evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import field, frozen

from partner_tiers._errors import ProgramError
from partner_tiers._model.values import FrozenMap
from partner_tiers._rules.gates import BUILTIN_GATES, GateRule
from partner_tiers._rules.tracks import BUILTIN_TRACKS, TrackRule

__all__ = ["Registry"]


def _frozen_gates(value: Mapping[str, GateRule]) -> Mapping[str, GateRule]:
    return FrozenMap(value)


def _frozen_tracks(value: Mapping[str, TrackRule]) -> Mapping[str, TrackRule]:
    return FrozenMap(value)


@frozen
class Registry:
    """Custom track and gate rules by name; built-in names cannot be taken.

    A registry is immutable: `with_gate` and `with_track` return a new one.

    Example::

        registry = pt.Registry().with_gate("has_clients", has_clients)
        program = pt.load_program("my-program.toml", registry=registry)
    """

    gates: Mapping[str, GateRule] = field(factory=dict, converter=_frozen_gates)
    tracks: Mapping[str, TrackRule] = field(factory=dict, converter=_frozen_tracks)

    def with_gate(self, name: str, rule: GateRule) -> Registry:
        """A registry with the gate rule added under the name."""
        self._check_name(name, "gate", BUILTIN_GATES)
        if not callable(rule):
            raise ProgramError(f"Registry.with_gate: rule for {name!r} is not callable")
        return Registry({**self.gates, name: rule}, self.tracks)

    def with_track(self, name: str, rule: TrackRule) -> Registry:
        """A registry with the track rule added under the name."""
        self._check_name(name, "track", BUILTIN_TRACKS)
        if not callable(rule):
            raise ProgramError(f"Registry.with_track: rule for {name!r} is not callable")
        return Registry(self.gates, {**self.tracks, name: rule})

    def _check_name(self, name: str, what: str, builtins: Mapping[str, object]) -> None:
        if not isinstance(name, str) or not name.isidentifier():
            raise ProgramError(f"Registry: {what} name {name!r} must be an identifier")
        if name in builtins:
            raise ProgramError(f"Registry: {what} name {name!r} is built in and cannot be replaced")

    def gate(self, kind: str) -> GateRule | None:
        """The gate rule of a kind, built-in or registered; None when unknown."""
        return BUILTIN_GATES.get(kind) or self.gates.get(kind)

    def track(self, kind: str) -> TrackRule | None:
        """The custom track rule of a kind; None for built-in or unknown kinds."""
        return self.tracks.get(kind)

    def knows_track(self, kind: str) -> bool:
        """True for a built-in or registered track kind."""
        return kind in BUILTIN_TRACKS or kind in self.tracks

    def gate_kinds(self) -> list[str]:
        """Every gate kind this registry knows."""
        return sorted({*BUILTIN_GATES, *self.gates})

    def track_kinds(self) -> list[str]:
        """Every track kind this registry knows."""
        return sorted({*BUILTIN_TRACKS, *self.tracks})
