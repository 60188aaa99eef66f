"""What-if scenarios: apply hypothetical deals, ended services or a certification lapse
and compare the two statuses track by track; and the cliff date, the first day the tier
would be lost if nothing new happens.

Scenarios never change the book they are given: they evaluate changed copies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs
from attrs import evolve, frozen

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._engine.evaluate import evaluate, statuses
from partner_tiers._engine.ledgers import build_ledger
from partner_tiers._engine.replay import change_days
from partner_tiers._engine.status import TierStatus
from partner_tiers._errors import InvalidRecordError, InvalidTypeError
from partner_tiers._html import table_html
from partner_tiers._model.book import Book
from partner_tiers._model.deprecated import keyword_as_of
from partner_tiers._model.records import (
    Certification,
    Client,
    Deal,
    ManagedService,
    Subscription,
)
from partner_tiers._model.values import MAX_MONTHS, check_count, check_day
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries, program_on
from partner_tiers._views.hypothetical import default_client
from partner_tiers._views.services import end_services as _end_services

__all__ = ["ScenarioGateChange", "WhatIf", "cliff_date", "what_if"]

ZERO = Decimal(0)


@frozen
class ScenarioGateChange:
    """A gate whose outcome a scenario changed on one day.

    Attributes:
        gate: the gate's id.
        on: the day (the as-of date or the ``until`` date of the scenario).
        before: whether it passed for the book as it is.
        after: whether it passes for the changed book.
        reason: the changed book's reason, in words.
    """

    gate: str
    on: dt.date
    before: bool
    after: bool
    reason: str

    def __str__(self) -> str:
        verdict = {True: "passed", False: "failed"}
        return (
            f"gate {self.gate} on {self.on}: {verdict[self.before]} -> "
            f"{verdict[self.after]} ({self.reason})"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "gate": self.gate,
            "on": self.on.isoformat(),
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
        }


def _gate_changes(before: TierStatus, after: TierStatus) -> list[ScenarioGateChange]:
    was = {gate.name: gate.passed for gate in before.gates}
    return [
        ScenarioGateChange(gate.name, after.as_of, was[gate.name], gate.passed, gate.reason)
        for gate in after.gates
        if gate.name in was and was[gate.name] != gate.passed
    ]


@frozen
class WhatIf:
    """Two statuses side by side: the book as it is and as changed, on the as-of date
    and on the ``until`` date (by default the next review).

    Attributes:
        before: the status of the book as it is on the as-of date.
        after: the status of the changed book on the as-of date.
        book: the changed book.
        changes: what was applied, in words.
        until: the day the scenario looks forward to.
        before_until: the status of the book as it is on ``until``.
        after_until: the status of the changed book on ``until``.
        gate_changes: every gate whose outcome the scenario changed, on either day.
    """

    before: TierStatus = attrs.field(repr=False)
    after: TierStatus = attrs.field(repr=False)
    book: Book = attrs.field(repr=False)
    changes: tuple[str, ...]
    until: dt.date | None = None
    before_until: TierStatus | None = attrs.field(default=None, repr=False)
    after_until: TierStatus | None = attrs.field(default=None, repr=False)
    gate_changes: tuple[ScenarioGateChange, ...] = ()

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

    def outlook(self) -> list[dict[str, Any]]:
        """On ``until``: the tier held, the tier qualified for, the tier projected for the
        review after, and every track, for the book as it is and as changed."""
        before, after = self.before_until, self.after_until
        if before is None or after is None:
            return []
        rows: list[dict[str, Any]] = [
            {"row": f"{kind} tier", "before": getattr(before, attr), "after": getattr(after, attr)}
            for kind, attr in (
                ("held", "tier"),
                ("qualified", "qualified_tier"),
                ("projected", "projected_tier"),
            )
        ]
        for name in dict.fromkeys([*before.values, *after.values]):
            old, new = before.values.get(name, ZERO), after.values.get(name, ZERO)
            rows.append({"row": name, "before": old, "after": new})
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
            "until": None if self.until is None else self.until.isoformat(),
            "outlook": [
                {k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()}
                for r in self.outlook()
            ],
            "gate_changes": [change.to_dict() for change in self.gate_changes],
        }

    def __str__(self) -> str:
        lines = [f"what if: {'; '.join(self.changes) or 'nothing changes'}"]
        for row in self.rows():
            change = "" if row["change"] is None else f"  ({row['change']:+})"
            lines.append(
                f"  {row['track']:<16}{row['before']!s:>12} -> {row['after']!s:<12}{change}"
            )
        if self.until is not None:
            lines.append(f"on {self.until}:")
            lines += [
                f"  {row['row']:<16}{row['before']!s:>12} -> {row['after']!s}"
                for row in self.outlook()
            ]
        lines += [str(change) for change in self.gate_changes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows: list[list[object]] = [
            [r["track"], r["before"], r["after"], r["change"]] for r in self.rows()
        ]
        rows += [
            [f"{r['row']} on {self.until}", r["before"], r["after"], None] for r in self.outlook()
        ]
        rows += [
            [f"gate {c.gate} on {c.on}", c.before, c.after, c.reason] for c in self.gate_changes
        ]
        return table_html(["track", "before", "after", "change"], rows, "; ".join(self.changes))


def _with_records(
    book: Book,
    program: Program | ProgramSeries,
    as_of: dt.date,
    records: tuple[
        tuple[Client, ...],
        tuple[Subscription, ...],
        tuple[Deal, ...],
        tuple[ManagedService, ...],
        tuple[Certification, ...],
    ],
    notes: list[str],
) -> Book:
    """The book with the records added; a deal or service for a client neither in the
    book nor given gets a `default_client` that leaves the gates as they are."""
    clients, subscriptions, deals, managed, certifications = records
    known = {c.id for c in book.clients} | {c.id for c in clients}
    defaults: list[Client] = []
    for client_id, on in [(d.client, d.closed_on) for d in deals] + [
        (m.client, m.since) for m in managed
    ]:
        if client_id not in known:
            known.add(client_id)
            defaults.append(default_client(book, program, client_id, on))
            notes.append(
                f"add client {client_id} with the defaults: {defaults[-1].country}, "
                f"{defaults[-1].tool_usage} tools (leaving the gates as they are)"
            )
    notes += [f"add client {c.id}" for c in clients]
    notes += [
        f"add {d.motion} {d.kind} {d.mrr_change} for {d.client} on {d.closed_on}"
        + (f" (after {as_of}: counts from {d.closed_on})" if d.closed_on > as_of else "")
        for d in deals
    ]
    notes += [f"add managed service of {m.client} from {m.since}" for m in managed]
    notes += [
        f"add certification {c.id} valid {c.valid_from} to {c.valid_until}" for c in certifications
    ]
    return evolve(
        book,
        clients=book.clients + clients + tuple(defaults),
        subscriptions=book.subscriptions + subscriptions,
        deals=book.deals + deals,
        managed_services=book.managed_services + managed,
        certifications=book.certifications + certifications,
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
    certifications: Iterable[Certification] = (),
    facts: Mapping[str, Any] | None = None,
    until: dt.date | None = None,
) -> WhatIf:
    """Apply hypothetical changes to a copy of the book and compare the statuses, on
    ``as_of`` and on ``until``.

    Records may be dated after ``as_of``: a deal closing later counts from its close
    date, so it shows on ``until`` (by default the next review), not on ``as_of``. Every
    gate whose outcome the changes move is named in ``gate_changes``.

    Args:
        deals, clients, subscriptions, managed_services, certifications: records to
            add. A deal or managed service for a client that is neither in the book nor
            among ``clients`` gets a new client with documented defaults that leave the
            gates as they are (`default_client`: in the US, using the book's median
            tool count); give the client to choose otherwise.
        end_services: clients whose managed service ends (`end_services`): an id, ended
            on ``as_of``, or a pair of an id and the day it ends; what they earned
            before stays.
        certifications_lapse_on: every certification ends the day before this date.
        facts: facts of the book to set, e.g. ``{"invited": True}``.
        until: the day to look forward to; by default the next review after ``as_of``.

    Raises:
        InvalidRecordError: for an argument of the wrong type, a date out of range or
            ``until`` before ``as_of``.
    """
    check_arguments(book, program)
    as_of = check_day("as_of", as_of)
    if certifications_lapse_on is not None:
        check_day("certifications_lapse_on", certifications_lapse_on)
    if until is not None and check_day("until", until) < as_of:
        raise InvalidRecordError("until", until, f"is before as_of {as_of}")
    if facts is not None and not isinstance(facts, Mapping):
        raise InvalidTypeError("facts", facts, "must be a mapping of fact names to values")
    records = (
        tuple(clients),
        tuple(subscriptions),
        tuple(deals),
        tuple(managed_services),
        tuple(certifications),
    )
    notes: list[str] = []
    changed = _ended(book, end_services, as_of, notes)
    if any(records):
        changed = _with_records(changed, program, as_of, records, notes)
    if facts:
        changed = evolve(changed, facts={**changed.facts, **facts})
        notes += [f"set fact {name} to {value!r}" for name, value in facts.items()]
    if certifications_lapse_on is not None:
        changed = _lapse(changed, certifications_lapse_on)
        notes.append(f"certifications lapse on {certifications_lapse_on}")
    before, after = evaluate(book, program, as_of=as_of), evaluate(changed, program, as_of=as_of)
    until = before.next_review if until is None else until
    later = (
        [evaluate(book, program, as_of=until), evaluate(changed, program, as_of=until)]
        if until != as_of
        else [before, after]
    )
    gates = _gate_changes(before, after) + (_gate_changes(*later) if until != as_of else [])
    return WhatIf(before, after, changed, tuple(notes), until, later[0], later[1], tuple(gates))


def _ended(
    book: Book, end_services: Iterable[str | tuple[str, dt.date]], as_of: dt.date, notes: list[str]
) -> Book:
    """The book with the managed services of the clients named ended (on ``as_of``, or on
    the day given with a client), each noted."""
    for ended in end_services:
        if isinstance(ended, tuple) and len(ended) != 2:
            raise InvalidTypeError("end_services", ended, "must be a client id or (id, date)")
        client_id, on = ended if isinstance(ended, tuple) else (ended, as_of)
        book = _end_services(book, client_id, on=on)
        notes.append(f"end services for {client_id}" + ("" if on == as_of else f" on {on}"))
    return book


def _lapse(book: Book, lapse_on: dt.date) -> Book:
    """The book with every certification ended the day before ``lapse_on``."""
    last_day = lapse_on - dt.timedelta(days=1)
    kept = tuple(
        c if c.valid_until <= last_day else evolve(c, valid_until=max(last_day, c.valid_from))
        for c in book.certifications
        if c.valid_from <= last_day
    )
    return evolve(book, certifications=kept)


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
