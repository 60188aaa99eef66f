"""A subscription's MRR over time: the rows of an MRR history, the checks on a history,
and the MRR in force on a day.

A history is a tuple of `MrrEntry` rows sorted by day, each in force from its day until
the next row's day. Before the first row no MRR is recorded: the MRR is zero.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence

from attrs import Attribute, field, frozen

from partner_tiers._errors import InvalidRecordError, InvalidTypeError
from partner_tiers._model.values import Money, check_date

__all__ = ["MrrEntry", "check_mrr_history", "mrr_change_days", "mrr_in_force"]


def _date(_instance: object, attribute: Attribute[dt.date], value: object) -> None:
    check_date("MrrEntry", attribute.name, value)


@frozen
class MrrEntry:
    """One row of a subscription's MRR history: from ``since`` on, the MRR is ``mrr``,
    until the next row.

    Attributes:
        since: the first day this MRR is in force (``from`` in book files).
        mrr: the monthly recurring revenue from that day (>= 0).
        recorded_on: the day the row was recorded in the book, if not ``since``.
    """

    since: dt.date = field(validator=_date)
    mrr: Money = field()
    recorded_on: dt.date | None = field(default=None)

    @recorded_on.validator
    def _check_recorded_on(self, attribute: Attribute[dt.date | None], value: object) -> None:
        if value is not None:
            check_date("MrrEntry", attribute.name, value)

    @property
    def known_from(self) -> dt.date:
        """The first day the book knew the row: recorded_on, else since."""
        return self.since if self.recorded_on is None else self.recorded_on

    @mrr.validator
    def _check_mrr(self, _attribute: Attribute[Money], value: object) -> None:
        if not isinstance(value, Money):
            raise InvalidTypeError("MrrEntry.mrr", value, "must be Money")
        if value.amount < 0:
            raise InvalidRecordError("MrrEntry.mrr", value, "must not be negative")


def check_mrr_history(
    history: tuple[MrrEntry, ...], current: Money, started_on: dt.date, where: str
) -> None:
    """Refuse a history that is not a sorted list of rows from ``started_on`` on, in the
    current MRR's currency, ending at the current MRR.

    Args:
        history: the rows (empty: no history given).
        current: the subscription's current MRR: the last row's MRR.
        started_on: the subscription's first day: no row may come before it.
        where: the history's field, e.g. ``Subscription.mrr_history``.

    Raises:
        InvalidRecordError: naming the row (``Subscription.mrr_history[2].from``) and value.
    """
    for index, entry in enumerate(history):
        if not isinstance(entry, MrrEntry):
            raise InvalidTypeError(f"{where}[{index}]", entry, "must be an MrrEntry")
        if entry.mrr.currency != current.currency:
            raise InvalidRecordError(
                f"{where}[{index}].mrr",
                entry.mrr,
                f"is not in the currency of the subscription's MRR {current}",
            )
        if index == 0 and entry.since < started_on:
            raise InvalidRecordError(
                f"{where}[0].from", entry.since, f"is before started_on {started_on}"
            )
        if index > 0 and entry.since <= history[index - 1].since:
            raise InvalidRecordError(
                f"{where}[{index}].from",
                entry.since,
                f"must be after the row before it ({history[index - 1].since})",
            )
    if history and history[-1].mrr != current:
        raise InvalidRecordError(
            f"{where}[{len(history) - 1}].mrr",
            history[-1].mrr,
            f"must be the current MRR {current}: the last row is the MRR in force now",
        )


def mrr_in_force(history: Sequence[MrrEntry], day: dt.date, currency: str) -> Money:
    """The MRR of the row in force on ``day``; zero in ``currency`` before the first row."""
    position = bisect.bisect_right([entry.since for entry in history], day)
    return history[position - 1].mrr if position else Money("0", currency)


def mrr_change_days(
    history: Sequence[MrrEntry], after: dt.date, before: dt.date | None
) -> list[dt.date]:
    """The days in (after, before) on which a new row comes into force."""
    return [
        entry.since
        for entry in history
        if after < entry.since and (before is None or entry.since < before)
    ]
