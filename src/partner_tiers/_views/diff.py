"""What changed between two programs, rule by rule, on the effective values (defaults
filled in on both sides) and with sets compared as sets."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
from attrs import frozen

from partner_tiers._errors import InvalidRecordError, InvalidTypeError
from partner_tiers._model.convert import make_converter
from partner_tiers._model.values import check_day, check_instance
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries

__all__ = ["Change", "ProgramDiff", "diff_programs"]


@frozen
class Change:
    """One difference between two programs.

    Attributes:
        path: where, e.g. ``tiers[gold].reach.total``.
        kind: ``added``, ``removed`` or ``changed``.
        before: the old value (None when added).
        after: the new value (None when removed).
    """

    path: str
    kind: str
    before: Any = None
    after: Any = None

    def __str__(self) -> str:
        if self.kind == "added":
            return f"+ {self.path}: {_show(self.after)}"
        if self.kind == "removed":
            return f"- {self.path}: {_show(self.before)}"
        note = ""
        try:
            from decimal import Decimal

            before, after = Decimal(str(self.before)), Decimal(str(self.after))
            if before:
                note = f" ({(after - before) / before * 100:+.1f}%)"
        except (ArithmeticError, ValueError):
            pass
        return f"~ {self.path}: {_show(self.before)} -> {_show(self.after)}{note}"


def _without_empty(value: Any) -> Any:
    # Whole added or removed entries carry every default; empty ones only add noise.
    if isinstance(value, dict):
        return {k: _without_empty(v) for k, v in value.items() if v not in ("", {}, [], None)}
    return value


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        text = repr(_without_empty(value))
        return text if len(text) <= 80 else text[:77] + "..."
    return str(value)


@frozen
class ProgramDiff:
    """Every change from program ``a`` to program ``b``; ``str()`` gives one per line.

    Attributes:
        a: the first program's ``name@version``.
        b: the second program's ``name@version``.
        changes: the changes, in the order of the program format.
    """

    a: str
    b: str
    changes: tuple[Change, ...]

    def __str__(self) -> str:
        head = f"{self.a} -> {self.b}: {len(self.changes)} changes"
        return "\n".join([head, *(str(change) for change in self.changes)])

    def __bool__(self) -> bool:
        return bool(self.changes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "a": self.a,
            "b": self.b,
            "changes": [
                {"path": c.path, "kind": c.kind, "before": c.before, "after": c.after}
                for c in self.changes
            ],
        }


_KEYED = {"tiers": "id", "tracks": "id", "gates": "id"}

# Lists whose order means nothing: growth-market countries and the tiers a gate guards.
_SETS = re.compile(r"growth_markets\[\d+\]\.countries|gates\[[^\]]+\]\.tiers")

_unstructure = make_converter().unstructure


def effective(value: Any) -> Any:
    """Plain data of a program (or any part of it) with every default filled in: the
    keys and values of `program_to_dict`, plus the fields it leaves out because they hold
    their default. Sets become sorted lists."""
    if attrs.has(type(value)):
        return {
            f.name: effective(getattr(value, f.name))
            for f in attrs.fields(type(value))
            if f.init and f.eq and not f.name.startswith("_")
        }
    if isinstance(value, (frozenset, set)):
        return sorted(effective(item) for item in value)
    if isinstance(value, (tuple, list)):
        return [effective(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): effective(item) for key, item in value.items()}
    return _unstructure(value)


def _set_changes(path: str, before: list[Any], after: list[Any]) -> Iterator[Change]:
    added = [item for item in after if item not in before]
    removed = [item for item in before if item not in after]
    if added:
        yield Change(path, "added", None, sorted(added, key=str))
    if removed:
        yield Change(path, "removed", sorted(removed, key=str), None)


def _walk(path: str, before: Any, after: Any) -> Iterator[Change]:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in [*before, *(k for k in after if k not in before)]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in after:
                yield Change(sub, "removed", before[key], None)
            elif key not in before:
                yield Change(sub, "added", None, after[key])
            else:
                yield from _walk(sub, before[key], after[key])
        return
    if isinstance(before, list) and isinstance(after, list):
        if _SETS.fullmatch(path):
            yield from _set_changes(path, before, after)
            return
        key_name = _KEYED.get(path)
        if key_name and all(isinstance(i, dict) and key_name in i for i in before + after):
            old = {i[key_name]: i for i in before}
            new = {i[key_name]: i for i in after}
            for key in [*old, *(k for k in new if k not in old)]:
                sub = f"{path}[{key}]"
                if key not in new:
                    yield Change(sub, "removed", old[key], None)
                elif key not in old:
                    yield Change(sub, "added", None, new[key])
                else:
                    yield from _walk(sub, old[key], new[key])
            return
        for index in range(max(len(before), len(after))):
            sub = f"{path}[{index}]"
            if index >= len(after):
                yield Change(sub, "removed", before[index], None)
            elif index >= len(before):
                yield Change(sub, "added", None, after[index])
            else:
                yield from _walk(sub, before[index], after[index])
        return
    if before != after:
        yield Change(path, "changed", before, after)


def diff_programs(
    a: Program | ProgramSeries,
    b: Program | None = None,
    *,
    on: dt.date | None = None,
    include_text: bool = False,
) -> ProgramDiff:
    """What changed from program ``a`` to program ``b``, rule by rule.

    Given a `ProgramSeries` and no ``b``, what changed when a version took effect: the
    version in force on ``on`` (default: the latest) against the version before it.

    Both programs are compared on their effective values: a setting one program leaves
    at its default (review dates, promotion, soft landing, expiry months) shows as a
    change from or to that default, not as an addition. Tiers, tracks and gates are
    matched by id, so a renamed threshold shows as such; effective-dated rows are
    compared by position; growth-market countries and the tiers a gate guards are sets,
    with one line for the members added and one for those removed. Names, titles and
    descriptions are left out unless ``include_text``.
    """
    if isinstance(a, ProgramSeries):
        if b is not None:
            raise InvalidRecordError("b", b, "must be None when a is a ProgramSeries")
        a, b = _consecutive(a, on)
    check_instance("a", a, Program)
    if b is None:
        raise InvalidTypeError("b", b, "must be a Program when a is one")
    check_instance("b", b, Program)
    before = effective(a)
    after = effective(b)
    if not include_text:
        for data in (before, after):
            for key in ("name", "version", "title", "description"):
                data.pop(key, None)
    return ProgramDiff(a.label, b.label, tuple(_walk("", before, after)))


def _consecutive(series: ProgramSeries, on: dt.date | None) -> tuple[Program, Program]:
    """The version in force on the day (default: the latest) and the one before it."""
    series.check()
    newer = series.versions[-1] if on is None else series.version_on(check_day("on", on))
    index = series.versions.index(newer)
    if index == 0:
        raise InvalidRecordError(
            "on", on, f"falls under {newer.label}, the first version of {series.label}"
        )
    return series.versions[index - 1], newer
