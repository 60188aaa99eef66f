"""The lines of the keys of a program file, in TOML, JSON and YAML, so that each problem
found in a file names its line (``line 25: tiers[1].reach.total: ...``)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Literal

from partner_tiers._errors import Problem

__all__ = ["json_lines", "lines_of", "toml_lines", "with_lines", "yaml_lines"]

Format = Literal["toml", "json", "yaml"]


def toml_lines(text: str) -> dict[str, int]:
    """Best-effort lines of the keys of a TOML file: ``tiers[2].reach`` -> line."""
    lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.fullmatch(r"\[\[\s*([\w.]+)\s*\]\]", stripped)
        if header:
            name = header.group(1)
            index = counts.get(name, 0)
            counts[name] = index + 1
            section = f"{name}[{index}]"
            lines.setdefault(section, number)
            continue
        table = re.fullmatch(r"\[\s*([\w.]+)\s*\]", stripped)
        if table:
            # [tiers.reach] after [[tiers]] is the reach of the latest tier: tiers[i].reach.
            section = table.group(1)
            head, dot, rest = section.partition(".")
            if dot and head in counts:
                section = f"{head}[{counts[head] - 1}].{rest}"
            lines.setdefault(section, number)
            continue
        key = re.match(r"([\w-]+)\s*=", stripped)
        if key:
            path = f"{section}.{key.group(1)}" if section != "" else key.group(1)
            lines.setdefault(path, number)
    return lines


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def json_lines(text: str) -> dict[str, int]:
    """The lines of the keys and list items of a JSON file: ``tiers[2].reach`` -> line.

    A scan of text that has already parsed: it tracks the path through objects and
    arrays, and reads only strings whole (JSON strings hold no raw line breaks).
    """
    lines: dict[str, int] = {}
    # Each open container: [is_object, its path, the current key or index, expecting a key]
    stack: list[list[Any]] = []
    line, position, size = 1, 0, len(text)

    def value_path() -> str:
        if not stack:
            return ""
        is_object, path, at, _ = stack[-1]
        return _join(path, at) if is_object else f"{path}[{at}]"

    while position < size:
        char = text[position]
        if char == "\n":
            line += 1
        elif char in "{[":
            path = value_path()
            if stack and not stack[-1][0]:
                lines.setdefault(path, line)
            stack.append([char == "{", path, "" if char == "{" else 0, char == "{"])
        elif char in "}]":
            stack.pop()
        elif char == ",":
            if stack[-1][0]:
                stack[-1][3] = True
            else:
                stack[-1][2] += 1
        elif char == '"':
            end = position + 1
            while text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            if stack and stack[-1][0] and stack[-1][3]:
                stack[-1][2], stack[-1][3] = json.loads(text[position : end + 1]), False
                lines.setdefault(_join(stack[-1][1], stack[-1][2]), line)
            elif stack and not stack[-1][0]:
                lines.setdefault(value_path(), line)
            position = end
        elif char not in " \t\r:" and stack and not stack[-1][0]:
            lines.setdefault(value_path(), line)  # a number, true, false or null in a list
        position += 1
    return lines


def yaml_lines(text: str) -> dict[str, int]:
    """The lines of the keys and list items of a YAML file, from PyYAML's node marks."""
    import yaml  # optional: the 'yaml' extra; the text has already parsed with it

    lines: dict[str, int] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    lines.setdefault(_join(path, str(key.value)), key.start_mark.line + 1)
                    walk(value, _join(path, str(key.value)))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines.setdefault(f"{path}[{index}]", item.start_mark.line + 1)
                walk(item, f"{path}[{index}]")

    walk(yaml.compose(text, Loader=yaml.SafeLoader), "")
    return lines


def lines_of(text: str, format: Format) -> dict[str, int]:
    """The lines of the keys of a program file in any of the three formats."""
    if format == "json":
        return json_lines(text)
    if format == "yaml":
        return yaml_lines(text)
    return toml_lines(text)


def with_lines(problems: list[Problem], lines: Mapping[str, int] | None) -> list[Problem]:
    if lines is None:
        return problems
    located = []
    for problem in problems:
        path = problem.path
        line = None
        while path:
            if path in lines:
                line = lines[path]
                break
            path = (
                re.sub(r"(\.[^.\[]+|\[\d+\])$", "", path)
                if re.search(r"(\.[^.\[]+|\[\d+\])$", path)
                else ""
            )
        located.append(Problem(problem.path, problem.message, problem.value, line))
    return located
