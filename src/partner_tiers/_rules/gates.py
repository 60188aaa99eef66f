"""Gates: conditions besides points that a tier requires (certification, tool usage,
retention, invitation). A failed gate caps the tier below the lowest tier it guards.

Built-in kinds:

- ``certification``: a certification of the book is valid on the date.
- ``median_tool_usage`` (``minimum``, ``window_months`` = 12): the median number of tools
  used over the clients that count -- clients managed on the date and clients sold
  (a new, cross-sell or upsell deal) in the window -- is at least ``minimum``.
- ``fact_at_least`` (``fact``, ``minimum``): a fact of the book, e.g. retention, is at
  least the minimum.
- ``fact_true`` (``fact``): a fact of the book, e.g. ``invited``, is true.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Protocol

from attrs import field, frozen
from dateutil.relativedelta import relativedelta

from partner_tiers._errors import ProgramError
from partner_tiers._model.values import FrozenMap, frozen_map
from partner_tiers._rules.context import Context

__all__ = ["BUILTIN_GATES", "GateOutcome", "GateResult", "GateRule", "GateSpec"]


@frozen
class GateOutcome:
    """What a gate rule decided: passed or not, and why, in words.

    Attributes:
        passed: whether the gate is passed.
        reason: the reason, naming the numbers and dates behind it.
    """

    passed: bool
    reason: str


class GateRule(Protocol):
    """A custom gate: decides pass or fail for a book on a date, with a reason.

    Example::

        def has_clients(context: Context, params: Mapping[str, Any]) -> GateOutcome:
            n = len(context.book.clients)
            return GateOutcome(n >= params["minimum"], f"{n} clients")
    """

    def __call__(self, context: Context, params: Mapping[str, Any], /) -> GateOutcome: ...


@frozen
class GateSpec:
    """A gate a program applies.

    Attributes:
        id: the gate's name, e.g. ``certified``.
        kind: a built-in kind or the name of a registered custom gate.
        tiers: the tier ids the gate guards; empty for every tier.
        params: the rule's parameters.
        description: what the gate is for, for people.
    """

    id: str
    kind: str
    tiers: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(factory=dict, converter=frozen_map)
    description: str = ""


@frozen
class GateResult:
    """A gate as evaluated on a date.

    Attributes:
        name: the gate's id.
        passed: whether it passed.
        reason: why, in words.
        caps_at: the id of the highest tier still allowed when it failed (None for
            untiered); None when it passed.
        tiers: the tiers the gate guards; empty for all.
    """

    name: str
    passed: bool
    reason: str
    caps_at: str | None = None
    tiers: tuple[str, ...] = ()


def _param(params: Mapping[str, Any], name: str, gate: str) -> Any:
    try:
        return params[name]
    except KeyError:
        raise ProgramError(f"gates.{gate}.params.{name}: is required but missing") from None


def certification_gate(context: Context, params: Mapping[str, Any]) -> GateOutcome:
    """Passed when a certification of the book is valid on the date."""
    day = context.as_of
    valid = [c for c in context.book.certifications if c.valid_on(day)]
    if valid:
        best = max(valid, key=lambda c: (c.valid_until, c.id))  # ties: by id, not book order
        return GateOutcome(
            True,
            f"certification {best.id} is valid from {best.valid_from} until {best.valid_until}",
        )
    lapsed = [c for c in context.book.certifications if c.valid_until < day]
    if lapsed:
        last = max(lapsed, key=lambda c: (c.valid_until, c.id))
        return GateOutcome(
            False,
            f"certification {last.id} lapsed: valid until {last.valid_until}, "
            f"and no certification is valid on {day}",
        )
    future = [c for c in context.book.certifications if c.valid_from > day]
    if future:
        first = min(future, key=lambda c: (c.valid_from, c.id))
        return GateOutcome(False, f"certification {first.id} is valid only from {first.valid_from}")
    return GateOutcome(False, "the book holds no certification")


def counting_clients(context: Context, window_months: int) -> list[str]:
    """Clients managed on the date or sold in the window ending on it, sorted by id."""
    day = context.as_of
    since = day - relativedelta(months=window_months)
    managed = {m.client for m in context.book.managed_services if m.active_on(day)}
    sold = context.book.clients_sold(since, day)
    return sorted(managed | sold)


def median_tool_usage_gate(context: Context, params: Mapping[str, Any]) -> GateOutcome:
    """Passed when the median tool usage of the counting clients is at least ``minimum``."""
    minimum = Decimal(_param(params, "minimum", "median_tool_usage"))
    window = int(params.get("window_months", 12))
    clients = counting_clients(context, window)
    if not clients:
        return GateOutcome(False, "no client counts (none managed, none sold in the window)")
    usage = {c: context.book.client(c).tool_usage for c in clients}
    ordered = sorted(usage.values())
    middle = len(ordered) // 2
    # Exact and written like the counts: 6, or 6.5 between two clients.
    median = (
        Decimal(ordered[middle])
        if len(ordered) % 2
        else Decimal(ordered[middle - 1] + ordered[middle]) / 2
    )
    listing = ", ".join(f"{c} {u}" for c, u in usage.items())
    verdict = ">=" if median >= minimum else "<"
    return GateOutcome(
        median >= minimum, f"median tool usage {median} {verdict} {minimum} over {listing}"
    )


def fact_at_least_gate(context: Context, params: Mapping[str, Any]) -> GateOutcome:
    """Passed when the book's fact is at least ``minimum``."""
    fact = str(_param(params, "fact", "fact_at_least"))
    minimum = Decimal(_param(params, "minimum", "fact_at_least"))
    if fact not in context.book.facts:
        return GateOutcome(False, f"the book states no {fact}")
    raw = context.book.facts[fact]
    try:
        value = Decimal(raw)  # a bool counts as 0 or 1, as in Python
        if not value.is_finite():
            return GateOutcome(False, f"{fact} is {raw!r}, not a finite number")
    except (ArithmeticError, ValueError, TypeError):
        return GateOutcome(False, f"{fact} is {raw!r}, not a number")
    verdict = ">=" if value >= minimum else "<"
    return GateOutcome(value >= minimum, f"{fact} {value} {verdict} {minimum}")


def fact_true_gate(context: Context, params: Mapping[str, Any]) -> GateOutcome:
    """Passed when the book's fact is true."""
    fact = str(_param(params, "fact", "fact_true"))
    value = context.book.facts.get(fact)
    if value is True:
        return GateOutcome(True, f"{fact} is true")
    return GateOutcome(False, f"{fact} is {'not stated' if value is None else repr(value)}")


BUILTIN_GATES: Mapping[str, GateRule] = FrozenMap(
    {
        "certification": certification_gate,
        "median_tool_usage": median_tool_usage_gate,
        "fact_at_least": fact_at_least_gate,
        "fact_true": fact_true_gate,
    }
)
"""The built-in gate kinds."""
