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

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Literal, Protocol

from attrs import field, frozen
from dateutil.relativedelta import relativedelta

from partner_tiers._errors import ProgramError
from partner_tiers._ledger.ledger import PointsLedger
from partner_tiers._model.book import Book
from partner_tiers._model.dated import expiry_date
from partner_tiers._model.values import FrozenMap, frozen_map
from partner_tiers._rules.context import ChangeDays, Context

__all__ = [
    "BUILTIN_GATES",
    "BUILTIN_GATE_CHANGES",
    "BUILTIN_GATE_PARAMS",
    "GateOutcome",
    "GateParam",
    "GateResult",
    "GateRule",
    "GateSpec",
    "no_change_days",
]


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


ParamKind = Literal["int", "number", "text"]


@frozen
class GateParam:
    """One parameter a gate rule reads, as the program checks hold a program to it.

    Attributes:
        name: the key under the gate's ``params``.
        kind: ``int`` (a whole number, not a bool), ``number`` (a whole or decimal
            number, not a bool) or ``text``.
        required: whether a program must give it.
        default: what the rule uses when a program does not give it (documentation for
            people; None: no default).
        minimum: the least value a number may have (None: unbounded).
        maximum: the greatest value a number may have (None: unbounded).
    """

    name: str
    kind: ParamKind
    required: bool = False
    default: int | Decimal | str | None = None
    minimum: int | None = None
    maximum: int | None = None

    def problem(self, value: object) -> str | None:
        """What is wrong with a value given for the parameter; None when it fits."""
        if self.kind == "text":
            return None if isinstance(value, str) else "must be text"
        number = _number(value, whole=self.kind == "int")
        if (
            number is not None
            and (self.minimum is None or number >= self.minimum)
            and (self.maximum is None or number <= self.maximum)
        ):
            return None
        if self.minimum is not None and self.maximum is not None:
            return f"must be from {self.minimum} to {self.maximum}"
        if number is None:
            return "must be a whole number" if self.kind == "int" else "must be a number"
        if self.minimum is not None:
            return f"must be at least {self.minimum}"
        return f"must be at most {self.maximum}"


def _number(value: object, *, whole: bool) -> int | Decimal | None:
    """The value as a number a rule can compare: an int (a bool is no number here) or,
    unless whole, a finite Decimal; None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not whole and isinstance(value, Decimal) and value.is_finite():
        return value
    return None


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


_WINDOW_MONTHS = GateParam("window_months", "int", default=12, minimum=1, maximum=1200)


def _window_months(params: Mapping[str, Any]) -> int:
    return int(params.get(_WINDOW_MONTHS.name, _WINDOW_MONTHS.default))


def median_tool_usage_gate(context: Context, params: Mapping[str, Any]) -> GateOutcome:
    """Passed when the median tool usage of the counting clients is at least ``minimum``."""
    minimum = Decimal(_param(params, "minimum", "median_tool_usage"))
    window = _window_months(params)
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


# --- when each built-in gate can change ---------------------------------------------------


def _between(days: Iterable[dt.date], start: dt.date, end: dt.date) -> list[dt.date]:
    return sorted({day for day in days if start < day <= end})


def _day_after(day: dt.date) -> list[dt.date]:
    return [day + dt.timedelta(days=1)] if day < dt.date.max else []


def certification_changes(
    book: Book, ledger: PointsLedger, params: Mapping[str, Any], start: dt.date, end: dt.date
) -> list[dt.date]:
    """The days a certification becomes valid and the days after one lapses."""
    days = [c.valid_from for c in book.certifications]
    for certification in book.certifications:
        days += _day_after(certification.valid_until)
    return _between(days, start, end)


def median_tool_usage_changes(
    book: Book, ledger: PointsLedger, params: Mapping[str, Any], start: dt.date, end: dt.date
) -> list[dt.date]:
    """The days a client starts or stops counting: a sale closes; the sale leaves the
    window (its calendar-month expiry and, when the month end clips it, the day after);
    a managed service starts or ends."""
    closed = {deal.closed_on for deal in book.deals if deal.kind.earns}
    window = _window_months(params)
    # Once per closing day, not per deal: calendar arithmetic is the costly part.
    stops = {expiry_date(day, window) for day in closed}
    days = closed | stops
    for stop in stops:
        days.update(_day_after(stop))
    for service in book.managed_services:
        days.add(service.since)
        if service.until is not None:
            days.add(service.until)
    return _between(days, start, end)


def no_change_days(
    book: Book, ledger: PointsLedger, params: Mapping[str, Any], start: dt.date, end: dt.date
) -> tuple[dt.date, ...]:
    """No day: for rules that read only what is constant in a book (its facts) or what
    changes only when the ledger's batches do."""
    return ()


BUILTIN_GATES: Mapping[str, GateRule] = FrozenMap(
    {
        "certification": certification_gate,
        "median_tool_usage": median_tool_usage_gate,
        "fact_at_least": fact_at_least_gate,
        "fact_true": fact_true_gate,
    }
)
"""The built-in gate kinds."""

BUILTIN_GATE_CHANGES: Mapping[str, ChangeDays] = FrozenMap(
    {
        "certification": certification_changes,
        "median_tool_usage": median_tool_usage_changes,
        "fact_at_least": no_change_days,  # a book's facts are constant
        "fact_true": no_change_days,
    }
)
"""The days each built-in gate kind can change (see `ChangeDays`)."""

_MINIMUM = GateParam("minimum", "number", required=True)
_FACT = GateParam("fact", "text", required=True)

BUILTIN_GATE_PARAMS: Mapping[str, tuple[GateParam, ...]] = FrozenMap(
    {
        "certification": (),
        "median_tool_usage": (_WINDOW_MONTHS, _MINIMUM),
        "fact_at_least": (_FACT, _MINIMUM),
        "fact_true": (_FACT,),
    }
)
"""The parameters each built-in gate kind reads; the program checks hold gates to them."""
