"""A strict cattrs converter for the file formats, and the walk from cattrs' errors to
`Problem` values with paths (``deals[3].mrr_change.currency``).

cattrs does the structuring; this module only makes it strict (no float for a Decimal,
no ``"5"`` for an int, no string iterated as a list), and reports every error at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import json
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from partner_tiers._errors import (
    BookIntegrityError,
    FileFormatError,
    InvalidRecordError,
    Problem,
)
from partner_tiers._model.values import to_decimal

__all__ = ["decode_text", "make_converter", "parse_json", "problems_from"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DECIMAL = re.compile(r"-?\d+\.\d+")
_DECIMAL_TEXT = re.compile(r"-?\d+(\.\d+)?")


class ExpectedError(ValueError):
    """A value of the wrong shape, with what was expected."""

    def __init__(self, expected: str, value: object) -> None:
        self.expected = expected
        self.value = value
        super().__init__(f"expected {expected}")


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise ExpectedError("a string", value)
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ExpectedError("an integer", value)
    return value


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise ExpectedError("true or false", value)
    return value


def _structure_decimal(value: object, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise ExpectedError("a decimal number as a string", value)
    if isinstance(value, str) and not _DECIMAL_TEXT.fullmatch(value):
        # The same pattern as the JSON Schema: digits, an optional sign and fraction.
        raise ExpectedError('a decimal number such as "1200.00"', value)
    try:
        return to_decimal(value)
    except InvalidRecordError:
        raise ExpectedError("a decimal number", value) from None


def _structure_date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ExpectedError("a date as YYYY-MM-DD", value)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ExpectedError("a real calendar date (YYYY-MM-DD)", value) from None


def _plain_number(value: Decimal) -> Decimal | int:
    """Whole numbers as ints, so a TOML file says ``10`` rather than ``10.0``."""
    return int(value) if value == value.to_integral_value() else value


def _is_homogeneous_tuple(kind: Any) -> bool:
    args = get_args(kind)
    if get_origin(kind) in (frozenset, set):
        return True
    return get_origin(kind) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_attrs_class(kind: Any) -> bool:
    return isinstance(kind, type) and attrs.has(kind)


def make_converter(
    renames: Mapping[tuple[Any, str], str] | None = None,
    *,
    omit: Collection[tuple[Any, str]] = (),
    native: bool = False,
) -> cattrs.Converter:
    """A converter that refuses loose input and names every field it cannot read.

    Args:
        renames: (class, attribute) -> key in the file, for attributes whose name in
            Python differs from the file's key (``ManagedService.since`` is ``from``).
        omit: (class, attribute) pairs that are not part of the file format.
        native: unstructure Decimals and dates as themselves (for TOML and YAML, which
            have such types) rather than as strings (for JSON).
    """
    converter = cattrs.Converter(detailed_validation=True, forbid_extra_keys=True)
    # The order of registration is the order cattrs consults the hooks in: keep it.
    _register_scalars(converter, native)
    _register_collections(converter)
    _register_enums(converter)
    _register_records(converter, dict(renames or {}), set(omit))
    return converter


def _register_scalars(converter: cattrs.Converter, native: bool) -> None:
    """Strict hooks for strings, integers, booleans, decimals and dates."""
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_structure_hook(dt.date, _structure_date)
    if native:
        converter.register_unstructure_hook(Decimal, _plain_number)
    else:
        converter.register_unstructure_hook(Decimal, str)
        converter.register_unstructure_hook(dt.date, dt.date.isoformat)


def _register_collections(converter: cattrs.Converter) -> None:
    """Sets written sorted, mappings written as dicts, lists read only from lists (every
    bad item reported), and free mappings of parameters and facts."""
    converter.register_unstructure_hook_factory(
        lambda kind: get_origin(kind) in (frozenset, set),  # type: ignore[comparison-overlap]
        lambda kind: lambda value: sorted(converter.unstructure(item) for item in value),
    )
    converter.register_unstructure_hook_factory(
        lambda kind: get_origin(kind) is Mapping or kind is Mapping,  # type: ignore[comparison-overlap]
        lambda kind: (
            lambda value: {key: converter.unstructure(item) for key, item in value.items()}
        ),
    )
    converter.register_structure_hook_factory(
        _is_homogeneous_tuple, lambda kind: _structure_items_hook(converter, kind)
    )
    converter.register_structure_hook_func(
        lambda kind: kind == Mapping[str, Any], _structure_free_mapping
    )


def _structure_items_hook(converter: cattrs.Converter, kind: Any) -> Callable[[object, Any], Any]:
    """The hook for a tuple or frozenset of ``kind``'s item type: a list of items, with
    every bad item reported at its index."""
    item_type = get_args(kind)[0]
    item_hook = converter.get_structure_hook(item_type)

    def structure(value: object, _: Any) -> Any:
        if not isinstance(value, (list, tuple)):
            raise ExpectedError("a list", value)
        items: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                items.append(item_hook(item, item_type))
            except Exception as error:  # noqa: BLE001 - collected and re-raised below
                error.__notes__ = [
                    *getattr(error, "__notes__", []),
                    IterableValidationNote(f"Structuring {kind} @ index {index}", index, item_type),
                ]
                errors.append(error)
        if errors:
            raise IterableValidationError(f"While structuring {kind}", errors, kind)
        return frozenset(items) if get_origin(kind) in (frozenset, set) else tuple(items)

    return structure


def _structure_free_mapping(value: object, _: Any) -> dict[str, Any]:
    # Parameters and facts: any scalar, with decimal strings read as exact numbers
    # (JSON writes Decimals as strings; this reads them back equal).
    if not isinstance(value, Mapping):
        raise ExpectedError("a table of keys and values", value)
    out: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(item, str) and _DECIMAL.fullmatch(item):
            item = Decimal(item)
        out[str(key)] = item
    return out


def _structure_enum(value: object, kind: type[enum.Enum]) -> enum.Enum:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(str(member.value) for member in kind)
        raise ExpectedError(f"one of {choices}", value) from None


def _register_enums(converter: cattrs.Converter) -> None:
    """Enums written as their values and read only from one of them."""
    converter.register_unstructure_hook(enum.Enum, lambda member: member.value)
    converter.register_unstructure_hook(enum.StrEnum, lambda member: member.value)
    # Registered by class: singledispatch then prefers it to the str hook for StrEnums.
    converter.register_structure_hook(enum.Enum, _structure_enum)
    converter.register_structure_hook(enum.StrEnum, _structure_enum)


def _register_records(
    converter: cattrs.Converter,
    renames: Mapping[tuple[Any, str], str],
    omitted: Collection[tuple[Any, str]],
) -> None:
    """Attrs classes read only from mappings and written without defaults, with the
    file's keys for renamed attributes and without the omitted ones."""

    def overrides_for(kind: Any) -> dict[str, Any]:
        found: dict[str, Any] = {
            name: cattrs.override(rename=key) for (cls, name), key in renames.items() if cls is kind
        }
        found.update({name: cattrs.override(omit=True) for cls, name in omitted if cls is kind})
        return found

    def mapping_check(kind: Any) -> Callable[[object, Any], Any]:
        inner = make_dict_structure_fn(kind, converter, **overrides_for(kind))

        def structure(value: object, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise ExpectedError("a table of keys and values", value)
            return inner(value, kind)

        return structure

    def unstructure_factory(kind: Any) -> Callable[[Any], dict[str, Any]]:
        unstructure: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
            kind,
            converter,
            _cattrs_omit_if_default=True,
            **overrides_for(kind),
        )
        return unstructure

    converter.register_structure_hook_factory(_is_attrs_class, mapping_check)
    converter.register_unstructure_hook_factory(_is_attrs_class, unstructure_factory)


def _lookup(data: object, path: Sequence[str | int]) -> object:
    for key in path:
        try:
            data = data[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _render(path: Sequence[str | int]) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
    return out


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def problems_from(
    error: BaseException,
    data: object,
    renames: Mapping[tuple[Any, str], str] | None = None,
    path: Sequence[str | int] = (),
) -> list[Problem]:
    """Every problem inside a (possibly nested) cattrs error, each with its path.

    Args:
        error: what the converter raised.
        data: the raw input, to show the value found at each path.
        renames: the same renames the converter was made with.
        path: where ``error`` happened, for the recursion.
    """
    names = {name: key for (_cls, name), key in (renames or {}).items()}
    problems: list[Problem] = []
    if isinstance(error, IterableValidationError):
        with_notes, without = error.group_exceptions()
        for inner, note in with_notes:
            problems += problems_from(inner, data, renames, (*path, note.index))
        for inner in without:
            problems += problems_from(inner, data, renames, path)
    elif isinstance(error, ClassValidationError):
        with_notes_cls, without = error.group_exceptions()
        for inner, attribute_note in with_notes_cls:
            key = names.get(attribute_note.name, attribute_note.name)
            problems += problems_from(inner, data, renames, (*path, key))
        for inner in without:
            problems += problems_from(inner, data, renames, path)
    elif isinstance(error, ForbiddenExtraKeysError):
        known = [names.get(a.name, a.name) for a in attrs.fields(error.cl) if a.init]
        for extra in sorted(error.extra_fields):
            problems.append(
                Problem(
                    _render((*path, extra)),
                    f"unknown key{_suggest(extra, known)}",
                    None,
                )
            )
    elif isinstance(error, KeyError):
        problems.append(Problem(_render(path), "is required but missing"))
    elif isinstance(error, ExpectedError):
        problems.append(Problem(_render(path), f"expected {error.expected}", error.value))
    elif isinstance(error, BookIntegrityError):
        problems += error.problems
    elif isinstance(error, InvalidRecordError):
        # A record refused the value: the record names its own field.
        # "Subscription.mrr_history[1].from": the path below the record's own name.
        record, dot, below = error.field.partition(".")
        field_name = below if dot else record
        here = _render(path)
        if field_name and not here.endswith(field_name):
            here = f"{here}.{field_name}" if here else field_name
        problems.append(Problem(here, error.reason, error.value))
    elif isinstance(error, ValueError):
        problems.append(Problem(_render(path), str(error), _lookup(data, path)))
    else:
        problems.append(Problem(_render(path), f"cannot be read: {error}", _lookup(data, path)))
    return problems


def decode_text(raw: str | bytes, source: str, error: type[FileFormatError], limit: int) -> str:
    """The text of a file: at most ``limit`` bytes, UTF-8, not empty.

    Raises:
        error: naming the file and what is wrong with it.
    """
    if not isinstance(raw, (str, bytes)):
        raise error(source, [Problem("", f"must be str or bytes, not {type(raw).__name__}")])
    if len(raw) > limit:
        raise error(source, [Problem("", f"is larger than {limit} bytes", len(raw))])
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as problem:
            raise error(
                source, [Problem("", f"is not UTF-8 text (byte {problem.start})")]
            ) from None
    if not raw.strip():
        raise error(source, [Problem("", "is empty")])
    return raw


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKeyError(key)
        seen[key] = value
    return seen


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"duplicate key {key!r}")


def parse_json(text: str, source: str, error: type[FileFormatError]) -> object:
    """JSON with exact decimals (no float), refusing duplicate keys and deep nesting.

    Raises:
        error: with the line of a syntax error.
    """
    try:
        return json.loads(text, parse_float=Decimal, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as problem:
        raise error(
            source, [Problem("", f"is not valid JSON: {problem.msg}", line=problem.lineno)]
        ) from None
    except _DuplicateKeyError as problem:
        raise error(source, [Problem("", f"has a duplicate key {problem.key!r}")]) from None
    except RecursionError:
        raise error(source, [Problem("", "is nested too deeply")]) from None
