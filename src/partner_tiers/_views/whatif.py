"""What-if scenarios: apply hypothetical deals, ended services or a certification lapse
and compare the two statuses track by track; and the cliff date, the first day the tier
would be lost if nothing new happens.

Scenarios never change the book they are given: they evaluate changed copies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
from attrs import evolve, frozen

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._engine.evaluate import evaluate, statuses
from partner_tiers._engine.ledgers import build_ledger
from partner_tiers._engine.replay import change_days
from partner_tiers._engine.status import TierStatus
from partner_tiers._errors import InvalidTypeError
from partner_tiers._html import table_html
from partner_tiers._model.book import Book
from partner_tiers._model.deprecated import keyword_as_of
from partner_tiers._model.records import Client, Deal, ManagedService, Subscription
from partner_tiers._model.values import MAX_MONTHS, check_count, check_day
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries, program_on
from partner_tiers._views.services import end_services as _end_services

__all__ = ["WhatIf", "cliff_date", "what_if"]

ZERO = Decimal(0)


@frozen
class WhatIf:
    """Two statuses side by side: the book as it is and as changed.

    Attributes:
        before: the status of the book as it is.
        after: the status of the changed book.
        book: the changed book.
        changes: what was applied, in words.
    """

    before: TierStatus = attrs.field(repr=False)
    after: TierStatus = attrs.field(repr=False)
    book: Book = attrs.field(repr=False)
    changes: tuple[str, ...]

    def rows(self) -> list[dict[str, Any]]:
        """One row per track and points total: before, after and the difference."""
        rows: list[dict[str, Any]] = [
            {"track": "tier", "before": self.before.tier, "after": self.after.tier, "change": None}
        ]
        names = list(dict.fromkeys([*self.before.values, *self.before.points]))
        for name in names:
            before = self.before.values.get(name, self.before.points.get(name, ZERO))
            after = self.after.values.get(name, self.after.points.get(name, ZERO))
            rows.append({"track": name, "before": before, "after": after, "change": after - before})
        return rows

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "changes": list(self.changes),
            "rows": [
                {k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()}
                for r in self.rows()
            ],
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
        }

    def __str__(self) -> str:
        lines = [f"what if: {'; '.join(self.changes) or 'nothing changes'}"]
        for row in self.rows():
            change = "" if row["change"] is None else f"  ({row['change']:+})"
            lines.append(
                f"  {row['track']:<16}{row['before']!s:>12} -> {row['after']!s:<12}{change}"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return table_html(
            ["track", "before", "after", "change"],
            ([r["track"], r["before"], r["after"], r["change"]] for r in self.rows()),
            "; ".join(self.changes),
        )


@keyword_as_of("book", "program")
def what_if(
    book: Book,
    program: Program | ProgramSeries,
    *,
    as_of: dt.date,
    deals: Iterable[Deal] = (),
    clients: Iterable[Client] = (),
    subscriptions: Iterable[Subscription] = (),
    managed_services: Iterable[ManagedService] = (),
    end_services: Iterable[str | tuple[str, dt.date]] = (),
    certifications_lapse_on: dt.date | None = None,
) -> WhatIf:
    """Apply hypothetical changes to a copy of the book and compare the statuses.

    Args:
        deals, clients, subscriptions, managed_services: records to add.
        end_services: clients whose managed service ends (`end_services`): an id, ended
            on ``as_of``, or a pair of an id and the day it ends; what they earned
            before stays.
        certifications_lapse_on: every certification ends the day before this date.

    Raises:
        InvalidRecordError: for an argument of the wrong type or a date out of range.
    """
    check_arguments(book, program)
    as_of = check_day("as_of", as_of)
    if certifications_lapse_on is not None:
        check_day("certifications_lapse_on", certifications_lapse_on)
    changed = book
    notes: list[str] = []
    for ended in end_services:
        if isinstance(ended, tuple) and len(ended) != 2:
            raise InvalidTypeError("end_services", ended, "must be a client id or (id, date)")
        client_id, on = ended if isinstance(ended, tuple) else (ended, as_of)
        changed = _end_services(changed, client_id, on=on)
        notes.append(f"end services for {client_id}" + ("" if on == as_of else f" on {on}"))
    new_clients, new_subs = tuple(clients), tuple(subscriptions)
    new_deals, new_managed = tuple(deals), tuple(managed_services)
    if new_clients or new_subs or new_deals or new_managed:
        changed = evolve(
            changed,
            clients=changed.clients + new_clients,
            subscriptions=changed.subscriptions + new_subs,
            deals=changed.deals + new_deals,
            managed_services=changed.managed_services + new_managed,
        )
        notes += [f"add client {c.id}" for c in new_clients]
        notes += [
            f"add {d.motion} {d.kind} {d.mrr_change} for {d.client} on {d.closed_on}"
            for d in new_deals
        ]
        notes += [f"add managed service of {m.client} from {m.since}" for m in new_managed]
    if certifications_lapse_on is not None:
        last_day = certifications_lapse_on - dt.timedelta(days=1)
        kept = tuple(
            c if c.valid_until <= last_day else evolve(c, valid_until=max(last_day, c.valid_from))
            for c in changed.certifications
            if c.valid_from <= last_day
        )
        changed = evolve(changed, certifications=kept)
        notes.append(f"certifications lapse on {certifications_lapse_on}")
    return WhatIf(
        evaluate(book, program, as_of=as_of),
        evaluate(changed, program, as_of=as_of),
        changed,
        tuple(notes),
    )


# --- cliff date -------------------------------------------------------------------------


@keyword_as_of("book", "program")
def cliff_date(
    book: Book, program: Program | ProgramSeries, *, as_of: dt.date, horizon_months: int = 36
) -> dt.date | None:
    """The first day after ``as_of`` on which the tier held would be lower if nothing new
    happens (no deal after ``as_of``; managed service goes on); None within the horizon."""
    from dateutil.relativedelta import relativedelta

    check_arguments(book, program)
    as_of = check_day("as_of", as_of)
    check_count("horizon_months", horizon_months, 1, MAX_MONTHS)
    frozen_book = evolve(book, deals=tuple(d for d in book.deals if d.closed_on <= as_of))
    ledger = build_ledger(frozen_book, program)
    now = evaluate(frozen_book, program, as_of=as_of, ledger=ledger)
    rank = program_on(program, as_of).tier_index(now.tier)
    if rank < 0:
        return None
    end = as_of + relativedelta(months=horizon_months)
    days = change_days(frozen_book, program, ledger, as_of, end)
    for status in statuses(frozen_book, program, days, ledger=ledger):
        # Under a series a tier is ranked in the ladder of its day's version.
        if program_on(program, status.as_of).tier_index(status.tier) < rank:
            return status.as_of
    return None
