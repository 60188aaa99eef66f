"""Plain values the records are made of: exact decimals, dates, codes and money.

Everything here is layer 1: no files, no clock, no program rules.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, NewType, TypeVar

from attrs import Attribute, field, frozen

from partner_tiers._errors import InvalidRecordError, InvalidTypeError, show_value
from partner_tiers._model.codes import COUNTRY_CODES, CURRENCY_CODES

__all__ = [
    "CertificationId",
    "ClientId",
    "DealId",
    "FrozenMap",
    "Money",
    "PartnerId",
    "SubscriptionId",
    "check_count",
    "check_country",
    "check_date",
    "check_day",
    "check_instance",
    "check_path",
    "to_decimal",
]

PartnerId = NewType("PartnerId", str)
ClientId = NewType("ClientId", str)
SubscriptionId = NewType("SubscriptionId", str)
DealId = NewType("DealId", str)
CertificationId = NewType("CertificationId", str)


_K = TypeVar("_K")
_V = TypeVar("_V")


class FrozenMap(Mapping[_K, _V]):
    """A read-only mapping for fields of frozen records: equal to any mapping with the
    same items, hashable when its values are, and copyable and picklable (unlike
    `types.MappingProxyType`)."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[_K, _V] | Iterable[tuple[_K, _V]] = ()) -> None:
        self._items: dict[_K, _V] = dict(items)

    def __getitem__(self, key: _K) -> _V:
        return self._items[key]

    def __iter__(self) -> Iterator[_K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, key: _K, default: Any = None) -> Any:
        """The value of the key, or ``default`` (without raising inside)."""
        return self._items.get(key, default)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"

    def __reduce__(self) -> tuple[type[FrozenMap[_K, _V]], tuple[dict[_K, _V]]]:
        return (type(self), (self._items,))


def frozen_map(value: Mapping[Any, Any]) -> FrozenMap[Any, Any]:
    """A converter for mapping fields: any mapping in, a `FrozenMap` out."""
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


_E = TypeVar("_E", bound=enum.StrEnum)


def enum_member(kind: type[_E], where: str, value: object) -> _E:
    """The member of a str enum for a member or its value, or an error naming the field
    and listing the choices."""
    try:
        return kind(value)  # type: ignore[arg-type]
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise InvalidRecordError(where, value, f"must be one of {choices}") from None


_LARGEST = Decimal(10) ** 15
_FINEST = -12


def to_decimal(value: object, *, field_name: str = "amount") -> Decimal:
    """Turn an int, a Decimal or a decimal string into a finite Decimal.

    Floats are refused: ``0.1`` has no exact binary value, and money and points are exact.

    Raises:
        InvalidTypeError: for a float, a bool or anything but an int, a Decimal or a str.
        InvalidRecordError: for a non-numeric string, NaN or infinity.
    """
    if isinstance(value, (bool, float)):
        kind = type(value).__name__
        raise InvalidTypeError(
            field_name, value, f"must be a Decimal, an int or a decimal string, not a {kind}"
        )
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise InvalidRecordError(field_name, value, "is not a decimal number") from None
    else:
        raise InvalidTypeError(field_name, value, "must be a Decimal, an int or a decimal string")
    if not number.is_finite():
        raise InvalidRecordError(field_name, value, "must be a finite number")
    if abs(number) >= _LARGEST or (number and number.as_tuple().exponent < _FINEST):  # type: ignore[operator]
        # 1e999999 or 1e-300 as an amount would overflow the arithmetic of pricing.
        raise InvalidRecordError(field_name, value, "is out of range (|x| < 1e15, 12 places)")
    return number


EARLIEST = dt.date(1900, 1, 1)
"""The first date a record may carry: earlier dates are absurd for partner programs."""
LATEST = dt.date(2199, 12, 31)
"""The last date a record may carry; leaves room for expiry and review arithmetic."""
MAX_MONTHS = 3600
"""The most months an argument may span: the 300 years from EARLIEST to LATEST."""


def check_day(where: str, value: object) -> dt.date:
    """The value, if it is a `datetime.date` (not a datetime) from 1900-01-01 to
    2199-12-31.

    Raises:
        InvalidTypeError: for anything but a date, naming ``where`` (a field or an
            argument) and the value.
        InvalidRecordError: for a date out of range.
    """
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidTypeError(where, value, "must be a date")
    if not EARLIEST <= value <= LATEST:
        raise InvalidRecordError(where, value, f"must be from {EARLIEST} to {LATEST}")
    return value


def check_date(record: str, name: str, value: object) -> None:
    """Refuse anything but a `datetime.date` (a datetime is refused too) from 1900-01-01
    to 2199-12-31, naming the field ``record.name``."""
    check_day(f"{record}.{name}", value)


_T = TypeVar("_T")


def check_instance(where: str, value: object, kind: type[_T]) -> _T:
    """The value, if it is an instance of ``kind``.

    Raises:
        InvalidTypeError: naming ``where``, the value and the type expected.
    """
    if not isinstance(value, kind):
        raise InvalidTypeError(where, value, f"must be a {kind.__name__}")
    return value


def check_path(where: str, value: object) -> str:
    """The path as a string, if the value is a `str` or an `os.PathLike` of one.

    Raises:
        InvalidTypeError: naming ``where`` and the value.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        path = os.fspath(value)
        if isinstance(path, str):
            return path
    raise InvalidTypeError(where, value, "must be a path (a str or an os.PathLike)")


def check_count(where: str, value: object, low: int, high: int) -> int:
    """The value, if it is an int (not a bool) from ``low`` to ``high``.

    Raises:
        InvalidTypeError: for anything but an int, naming ``where`` and the value.
        InvalidRecordError: for an int out of range.
    """
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidTypeError(where, value, "must be a whole number")
    if not low <= value <= high:
        raise InvalidRecordError(where, value, f"must be from {low} to {high}")
    return value


def check_country(record: str, name: str, value: object) -> None:
    """Refuse anything but an ISO 3166-1 alpha-2 code in upper case."""
    if not isinstance(value, str) or value not in COUNTRY_CODES:
        error = InvalidRecordError if isinstance(value, str) else InvalidTypeError
        raise error(f"{record}.{name}", value, "must be an ISO 3166-1 alpha-2 country code")


def _amount(value: object) -> Decimal:
    return to_decimal(value, field_name="Money.amount")


def _check_currency(_instance: object, _attribute: Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or value not in CURRENCY_CODES:
        error = InvalidRecordError if isinstance(value, str) else InvalidTypeError
        raise error("Money.currency", value, "must be an ISO 4217 currency code")


@frozen(order=False)
class Money:
    """An exact amount of one currency.

    There is no default currency and no float: ``Money("1200.00", "EUR")`` or
    ``Money(Decimal("1200"), "EUR")``.

    Attributes:
        amount: the amount, an exact Decimal (ints and decimal strings are converted).
        currency: the ISO 4217 code, e.g. ``"EUR"``.
    """

    amount: Decimal = field(converter=_amount)
    currency: str = field(validator=_check_currency)

    def _same_currency(self, other: Money) -> None:
        if self.currency != other.currency:
            raise InvalidRecordError(
                "Money.currency", other.currency, f"cannot combine with {self.currency}"
            )

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


@show_value.register(Money)
def _show_money(value: Money) -> str:
    return str(value)  # as files write it: ``-5.00 EUR``
