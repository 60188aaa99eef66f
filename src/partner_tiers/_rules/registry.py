"""An explicit registry of custom track and gate rules.

There is no module-global registry: make one, register rules on it, and pass it to
`partner_tiers.load_program`. A program file can then name a registered rule by
kind and give its parameters; a file never causes code to be imported or evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from attrs import evolve, field, frozen

from partner_tiers._errors import ProgramError
from partner_tiers._model.values import FrozenMap
from partner_tiers._rules.context import ChangeDays
from partner_tiers._rules.gates import (
    BUILTIN_GATE_CHANGES,
    BUILTIN_GATE_PARAMS,
    BUILTIN_GATES,
    GateParam,
    GateRule,
    no_change_days,
)
from partner_tiers._rules.tracks import BUILTIN_TRACKS, TrackRule

__all__ = ["Registry"]


def _frozen_gates(value: Mapping[str, GateRule]) -> Mapping[str, GateRule]:
    return FrozenMap(value)


def _frozen_tracks(value: Mapping[str, TrackRule]) -> Mapping[str, TrackRule]:
    return FrozenMap(value)


def _frozen_changes(value: Mapping[str, ChangeDays]) -> Mapping[str, ChangeDays]:
    return FrozenMap(value)


def _frozen_params(
    value: Mapping[str, tuple[GateParam, ...]],
) -> Mapping[str, tuple[GateParam, ...]]:
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
    _gate_changes: Mapping[str, ChangeDays] = field(
        factory=dict, converter=_frozen_changes, kw_only=True
    )
    _track_changes: Mapping[str, ChangeDays] = field(
        factory=dict, converter=_frozen_changes, kw_only=True
    )
    _gate_params: Mapping[str, tuple[GateParam, ...]] = field(
        factory=dict, converter=_frozen_params, kw_only=True
    )

    def with_gate(
        self,
        name: str,
        rule: GateRule,
        *,
        changes: ChangeDays | None = None,
        params: Sequence[GateParam] | None = None,
    ) -> Registry:
        """A registry with the gate rule added under the name.

        Args:
            name: the kind a program file names, an identifier.
            rule: the gate rule.
            changes: the days on which the rule's answer can change (see `ChangeDays`).
                None: it may change on any day, and the engine evaluates it on every
                day of a replay -- correct, but slow for long histories.
            params: the parameters the rule reads; the program checks then report a
                missing or ill-typed one with its path. None: the rule checks its own.

        Raises:
            ProgramError: for a name that is no identifier or is built in, or a rule,
                ``changes`` or ``params`` of the wrong kind.
        """
        self._check_name(name, "gate", BUILTIN_GATES)
        self._check_callable("with_gate", name, "rule", rule)
        schema = self._check_params(name, params)
        return evolve(
            self,
            gates={**self.gates, name: rule},
            gate_changes=self._with_changes(self._gate_changes, "with_gate", name, changes),
            gate_params={**self._gate_params, name: schema},
        )

    def with_track(
        self, name: str, rule: TrackRule, *, changes: ChangeDays | None = None
    ) -> Registry:
        """A registry with the track rule added under the name.

        Args:
            name: the kind a program file names, an identifier.
            rule: the track rule.
            changes: the days besides the ledger's on which the track's value can
                change (see `ChangeDays`); the engine adds the days the ledger's
                batches start and stop counting itself. None: it may change on any
                day, and the engine evaluates it on every day of a replay.

        Raises:
            ProgramError: for a name that is no identifier or is built in, or a rule or
                ``changes`` that is not callable.
        """
        self._check_name(name, "track", BUILTIN_TRACKS)
        self._check_callable("with_track", name, "rule", rule)
        return evolve(
            self,
            tracks={**self.tracks, name: rule},
            track_changes=self._with_changes(self._track_changes, "with_track", name, changes),
        )

    def _check_name(self, name: str, what: str, builtins: Mapping[str, object]) -> None:
        if not isinstance(name, str) or not name.isidentifier():
            raise ProgramError(f"Registry: {what} name {name!r} must be an identifier")
        if name in builtins:
            raise ProgramError(f"Registry: {what} name {name!r} is built in and cannot be replaced")

    @staticmethod
    def _check_callable(method: str, name: str, what: str, value: object) -> None:
        if not callable(value):
            raise ProgramError(f"Registry.{method}: {what} for {name!r} is not callable")

    def _with_changes(
        self, known: Mapping[str, ChangeDays], method: str, name: str, changes: ChangeDays | None
    ) -> dict[str, ChangeDays]:
        rest = {kind: days for kind, days in known.items() if kind != name}
        if changes is None:
            return rest
        self._check_callable(method, name, "changes", changes)
        return {**rest, name: changes}

    @staticmethod
    def _check_params(name: str, params: Sequence[GateParam] | None) -> tuple[GateParam, ...]:
        ok = params is None or (isinstance(params, Sequence) and not isinstance(params, str))
        schema = tuple(params or ()) if ok else ()
        if not ok or not all(isinstance(param, GateParam) for param in schema):
            raise ProgramError(f"Registry.with_gate: params for {name!r} must be GateParams")
        names = [param.name for param in schema]
        if len(set(names)) != len(names):
            raise ProgramError(f"Registry.with_gate: params for {name!r} repeat a name")
        return schema

    def knows_gate(self, kind: str) -> bool:
        """True for a built-in or registered gate kind."""
        return kind in BUILTIN_GATES or kind in self.gates

    def gate(self, kind: str) -> GateRule:
        """The gate rule of a kind, built-in or registered.

        Raises:
            ProgramError: for a kind that is neither (the message lists the known ones).
        """
        rule = BUILTIN_GATES.get(kind) or self.gates.get(kind)
        if rule is None:
            raise self._unknown("gate", kind, self.gate_kinds())
        return rule

    def gate_changes(self, kind: str) -> ChangeDays | None:
        """The days a gate kind can change (see `ChangeDays`); None when its rule was
        registered without them: it may change on any day.

        Raises:
            ProgramError: for a kind that is neither built in nor registered.
        """
        if kind in BUILTIN_GATE_CHANGES:
            return BUILTIN_GATE_CHANGES[kind]
        if kind not in self.gates:
            raise self._unknown("gate", kind, self.gate_kinds())
        return self._gate_changes.get(kind)

    def gate_params(self, kind: str) -> tuple[GateParam, ...]:
        """The parameters a gate kind declares it reads; empty when it declared none.

        Raises:
            ProgramError: for a kind that is neither built in nor registered.
        """
        if kind in BUILTIN_GATE_PARAMS:
            return BUILTIN_GATE_PARAMS[kind]
        if kind not in self.gates:
            raise self._unknown("gate", kind, self.gate_kinds())
        return self._gate_params.get(kind, ())

    def track(self, kind: str) -> TrackRule | None:
        """The custom track rule of a kind; None for built-in or unknown kinds."""
        return self.tracks.get(kind)

    def track_changes(self, kind: str) -> ChangeDays | None:
        """The days besides the ledger's on which a track kind can change (see
        `ChangeDays`): none for the built-in tracks, which read only the ledger; None
        when a custom rule was registered without them: it may change on any day.

        Raises:
            ProgramError: for a kind that is neither built in nor registered.
        """
        if kind in BUILTIN_TRACKS:
            return no_change_days
        if kind not in self.tracks:
            raise self._unknown("track", kind, self.track_kinds())
        return self._track_changes.get(kind)

    def knows_track(self, kind: str) -> bool:
        """True for a built-in or registered track kind."""
        return kind in BUILTIN_TRACKS or kind in self.tracks

    def gate_kinds(self) -> list[str]:
        """Every gate kind this registry knows."""
        return sorted({*BUILTIN_GATES, *self.gates})

    def track_kinds(self) -> list[str]:
        """Every track kind this registry knows."""
        return sorted({*BUILTIN_TRACKS, *self.tracks})

    @staticmethod
    def _unknown(what: str, kind: str, known: list[str]) -> ProgramError:
        return ProgramError(
            f"Registry: {kind!r} is no built-in or registered {what} (known: {', '.join(known)})"
        )
