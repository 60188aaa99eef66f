"""``extends``: a program file that names another program and gives only what differs.

The merge rules, documented in ``docs/reference/program-format.md``:

- tables merge by key, recursively (``policy``, ``per_100_usd``, a tier's ``reach``);
- lists of items with a key merge by that key: ``tracks``, ``tiers`` and ``gates`` by
  ``id``; the effective-dated rows (``rates``, ``currencies``, ``growth_markets``,
  ``expiry``, ``rounding``) by ``effective_from`` (a row without one is the first row).
  A matching item is merged into the inherited one in place, a new one is appended, and
  an item with ``drop = true`` removes the inherited item with its key;
- every other list (``review_dates``, ``countries``, a gate's ``tiers``) and every
  scalar replaces the inherited value.

Every value of the merged program remembers the file and path it came from, so a
problem found in the merged program is reported at the line that wrote the bad value,
in whichever file of the chain that is. This module parses nothing itself: the program
loader passes a reader for the programs named by ``extends``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from attrs import frozen

from partner_tiers._errors import Problem, ProgramValidationError

__all__ = ["KEYED_LISTS", "TOOL_KEYS", "Parsed", "Resolved", "line_of", "resolve"]

KEYED_LISTS: Mapping[str, str] = {
    "tracks": "id",
    "tiers": "id",
    "gates": "id",
    "rates": "effective_from",
    "currencies": "effective_from",
    "growth_markets": "effective_from",
    "expiry": "effective_from",
    "rounding": "effective_from",
}
"""The top-level lists merged item by item, and the key each item is matched by."""

TOOL_KEYS = ("extends", "lint")
"""Top-level keys for the tools around a program, not part of the program itself."""

MAX_DEPTH = 16
"""The longest chain of ``extends`` followed."""


@frozen
class Parsed:
    """One program file as parsed: its data, its name, and where its keys are.

    Attributes:
        data: what the parser returned.
        source: the file's name, as messages show it.
        folder: where a relative ``extends`` path is looked up (None: the current folder).
        lines: the 1-based line of each path the file writes (may be empty).
    """

    data: object
    source: str
    folder: Path | None
    lines: Mapping[str, int]


Reader = Callable[[str, Parsed], Parsed]
"""Reads the program a file's ``extends`` names: (the target, the file naming it)."""


@frozen
class _Node:
    """A value of the merged data with the file and path it came from."""

    value: Any  # dict[str, _Node] | list[_Node] | a scalar
    source: str
    path: str


@frozen
class Resolved:
    """A program's data with every ``extends`` merged in.

    Attributes:
        data: the merged data, without ``extends``.
        source: the file the chain started from.
        chain: the files of the chain, the first one first.
    """

    data: dict[str, Any]
    source: str
    chain: tuple[str, ...]
    _root: _Node
    _lines: Mapping[str, Mapping[str, int]]

    def locate(self, problem: Problem) -> Problem:
        """The problem with the line of the file that wrote the value it is about; a
        value inherited from another file names that file."""
        source, path = _origin(self._root, problem.path)
        line = line_of(self._lines.get(source, {}), path)
        if source == self.source:
            return Problem(problem.path, problem.message, problem.value, line)
        where = f"{source}, line {line}" if line is not None else source
        message = f"{problem.message} (the value comes from {where}: {path})"
        return Problem(problem.path, message, problem.value)


def line_of(lines: Mapping[str, int], path: str) -> int | None:
    """The line of the path, or of the nearest enclosing path a file writes."""
    while path:
        if path in lines:
            return lines[path]
        trimmed = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", path)
        path = "" if trimmed == path else trimmed
    return None


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _locate(data: object, source: str, path: str = "") -> _Node:
    if isinstance(data, Mapping):
        items = {key: _locate(value, source, _join(path, key)) for key, value in data.items()}
        return _Node(items, source, path)
    if isinstance(data, list):
        return _Node(
            [_locate(item, source, _join(path, i)) for i, item in enumerate(data)], source, path
        )
    return _Node(data, source, path)


def _plain(node: _Node) -> Any:
    if isinstance(node.value, dict):
        return {key: _plain(value) for key, value in node.value.items()}
    if isinstance(node.value, list):
        return [_plain(item) for item in node.value]
    return node.value


def _merge(base: _Node, over: _Node, problems: list[Problem], lines: Mapping[str, int]) -> _Node:
    """The inherited value with the file's value merged in (tables merge, the rest
    replaces)."""
    if not (isinstance(base.value, dict) and isinstance(over.value, dict)):
        return over
    merged = dict(base.value)
    for key, value in over.value.items():
        kind = KEYED_LISTS.get(key) if over.path == "" else None
        if kind is not None and key in merged and isinstance(value.value, list):
            merged[key] = _merge_keyed(merged[key], value, kind, problems, lines)
        elif key in merged:
            merged[key] = _merge(merged[key], value, problems, lines)
        else:
            merged[key] = value
    return _Node(merged, over.source, over.path)


def _key_of(item: _Node, key: str) -> object:
    value = item.value.get(key) if isinstance(item.value, dict) else None
    return None if value is None else str(value.value)


def _merge_keyed(
    base: _Node, over: _Node, key: str, problems: list[Problem], lines: Mapping[str, int]
) -> _Node:
    """A list merged item by item on the key; ``drop = true`` removes an item."""
    if not isinstance(base.value, list):
        return over
    merged = list(base.value)
    for item in over.value:
        where = item.path
        if not isinstance(item.value, dict):
            merged.append(item)  # not a table: the program's own checks say so
            continue
        wanted = _key_of(item, key)
        if wanted is None and key == "id":
            problems.append(
                Problem(
                    where,
                    "needs an id to merge with the program it extends",
                    line=line_of(lines, where),
                )
            )
            continue
        position = next((i for i, old in enumerate(merged) if _key_of(old, key) == wanted), None)
        drop = item.value.get("drop")
        if drop is not None:
            if drop.value is not True:
                problems.append(
                    Problem(
                        drop.path,
                        "must be true (to remove the item) or left out",
                        drop.value,
                        line_of(lines, drop.path),
                    )
                )
            elif position is None:
                choices = ", ".join(str(_key_of(old, key)) for old in merged)
                problems.append(
                    Problem(
                        drop.path,
                        f"drops {key} {wanted}, which the extended program does not have "
                        f"(it has {choices})",
                        line=line_of(lines, drop.path),
                    )
                )
            else:
                del merged[position]
            continue
        if position is None:
            merged.append(item)
        else:
            merged[position] = _merge(merged[position], item, problems, lines)
    if key == "effective_from":  # rows stay in date order, the undated first row first
        merged.sort(key=lambda node: (_key_of(node, key) is not None, str(_key_of(node, key))))
    return _Node(merged, over.source, over.path)


def _origin(root: _Node, path: str) -> tuple[str, str]:
    """The file and the path in it of the deepest value on the path."""
    node, rest = root, ""
    tokens = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    for position, token in enumerate(tokens):
        child: _Node | None = None
        if token.startswith("[") and isinstance(node.value, list):
            index = int(token[1:-1])
            child = node.value[index] if index < len(node.value) else None
        elif isinstance(node.value, dict):
            child = node.value.get(token)
        if child is None:
            rest = "".join(t if t.startswith("[") else f".{t}" for t in tokens[position:])
            break
        node = child
    full = f"{node.path}{rest}" if node.path else rest.lstrip(".")
    return node.source, full


def _extends_target(parsed: Parsed) -> str | None:
    data = parsed.data
    if not isinstance(data, Mapping) or "extends" not in data:
        return None
    target = data["extends"]
    if not isinstance(target, str) or not target.strip():
        raise ProgramValidationError(
            parsed.source,
            [
                Problem(
                    "extends",
                    "must be a shipped program's name or a program file's path",
                    target,
                    line_of(parsed.lines, "extends"),
                )
            ],
        )
    return target


def resolve(parsed: Parsed, read: Reader) -> Resolved:
    """The program's data with its ``extends`` chain merged in, base first.

    Raises:
        ProgramValidationError: for an ``extends`` that is not a name or path, a chain
            that comes back to a file (naming the chain), a drop of an item the base
            does not have; or the problems of a file of the chain, naming that file.
    """
    chain = [parsed]
    seen = {_identity(parsed)}
    while (target := _extends_target(chain[-1])) is not None:
        base = read(target, chain[-1])
        if _identity(base) in seen or len(chain) >= MAX_DEPTH:
            names = " -> ".join([*(item.source for item in chain), base.source])
            what = (
                "comes back to a program of the chain" if _identity(base) in seen else "is too long"
            )
            raise ProgramValidationError(
                parsed.source,
                [Problem("extends", f"{what}: {names}", line=line_of(parsed.lines, "extends"))],
            )
        seen.add(_identity(base))
        chain.append(base)
    problems: list[Problem] = []
    root: _Node | None = None
    for item in reversed(chain):
        data = item.data if isinstance(item.data, Mapping) else {}
        own = {key: value for key, value in data.items() if key != "extends"}
        node = _locate(own, item.source)
        root = node if root is None else _merge(root, node, problems, item.lines)
        if problems:
            raise ProgramValidationError(item.source, problems)
    assert root is not None  # the chain holds the file itself
    return Resolved(
        _plain(root),
        parsed.source,
        tuple(item.source for item in chain),
        root,
        {item.source: item.lines for item in chain},
    )


def _identity(parsed: Parsed) -> str:
    """What makes two files of a chain the same file."""
    if parsed.folder is None:
        return parsed.source
    return str((parsed.folder / Path(parsed.source).name).resolve())
