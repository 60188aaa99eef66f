"""An action plan: the fewest dated actions -- a certification to renew, a fact to
establish, MRR to sell or to manage -- that make a goal (keep the tier held, or reach a
tier) hold at the next review, each plan verified by `what_if`.

Never changes the book it is given: it evaluates changed copies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs
from attrs import frozen

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._engine.evaluate import evaluate
from partner_tiers._engine.status import TierStatus
from partner_tiers._errors import InvalidRecordError, PricingError
from partner_tiers._html import table_html
from partner_tiers._model.book import Book
from partner_tiers._model.records import Certification
from partner_tiers._model.values import CertificationId, check_day, frozen_map
from partner_tiers._rules.ladder import Tier
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries, program_on
from partner_tiers._views.needed import Needed, least_mrr, touched_tracks
from partner_tiers._views.whatif import WhatIf, cliff_date, what_if

__all__ = ["Action", "Plan", "plan", "plans_html"]

_GOALS = ("keep", "reach")
_MOTIONS = ("sourced", "assisted", "managed")
_CERTIFICATION_DAYS = 730


@frozen
class Action:
    """One dated step of a plan.

    Attributes:
        kind: ``sourced_mrr``, ``assisted_mrr``, ``managed_mrr``, ``certification``,
            ``fact`` or ``gate`` (a failing gate no action of the library can fix).
        by: the last day to do it.
        description: what to do, in words.
        amount: the MRR, for the MRR kinds.
        currency: its currency.
        gate: the gate the action makes pass, for the gate kinds.
        records: the records it adds, by `what_if` argument name.
        facts: the facts it sets.
    """

    kind: str
    by: dt.date
    description: str
    amount: Decimal | None = None
    currency: str | None = None
    gate: str | None = None
    records: Mapping[str, tuple[Any, ...]] = attrs.field(factory=dict, converter=frozen_map)
    facts: Mapping[str, Any] = attrs.field(factory=dict, converter=frozen_map)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: kind, by, description, amount, currency and gate."""
        return {
            "kind": self.kind,
            "by": self.by.isoformat(),
            "description": self.description,
            "amount": None if self.amount is None else str(self.amount),
            "currency": self.currency,
            "gate": self.gate,
        }


@frozen
class Plan:
    """What to do, by when, to keep or reach a tier at the next review.

    Attributes:
        goal: ``keep`` or ``reach``.
        tier: the tier kept or reached (None: no tier to keep or reach).
        as_of: the day the plan is made.
        review: the next review, when the goal is judged.
        actions: the fewest actions that make the goal hold, then the least MRR.
        holds: whether the goal holds at the review with every action done (`check`).
        cliff_date: the first day the held tier would fail if nothing is done.
        reason: why the plan is what it is, in words.
        check: the `what_if` of every action, looking forward to the review.
    """

    goal: str
    tier: str | None
    as_of: dt.date
    review: dt.date
    actions: tuple[Action, ...]
    holds: bool
    cliff_date: dt.date | None
    reason: str
    check: WhatIf | None = attrs.field(default=None, repr=False, eq=False)

    def what_if_arguments(self) -> dict[str, Any]:
        """The keyword arguments of `what_if` that apply every action."""
        merged: dict[str, Any] = {}
        for action in self.actions:
            for name, records in action.records.items():
                merged[name] = (*merged.get(name, ()), *records)
            if action.facts:
                merged["facts"] = {**merged.get("facts", {}), **action.facts}
        return merged

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "goal": self.goal,
            "tier": self.tier,
            "as_of": self.as_of.isoformat(),
            "review": self.review.isoformat(),
            "holds": self.holds,
            "cliff_date": None if self.cliff_date is None else self.cliff_date.isoformat(),
            "reason": self.reason,
            "actions": [action.to_dict() for action in self.actions],
        }

    def __str__(self) -> str:
        head = f"plan to {self.goal} {self.tier or 'no tier'} at the review on {self.review}"
        lines = [f"{head}: {self.reason}"]
        lines += [f"  by {a.by}: {a.description}" for a in self.actions]
        cliff = "none within three years" if self.cliff_date is None else str(self.cliff_date)
        lines.append(f"if nothing is done, the held tier fails on: {cliff}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return table_html(
            ["by", "action", "kind"],
            ([a.by, a.description, a.kind] for a in self.actions),
            f"plan to {self.goal} {self.tier}: {self.reason}",
        )


# --- gates ------------------------------------------------------------------------------


def _certification_gap(book: Book, start: dt.date, end: dt.date) -> dt.date | None:
    """The first day in [start, end] on which no certification is valid."""
    day = start
    while day <= end:
        valid = [c.valid_until for c in book.certifications if c.valid_from <= day <= c.valid_until]
        if not valid:
            return day
        if max(valid) >= end:
            return None
        day = max(valid) + dt.timedelta(days=1)
    return None


def _gate_actions(
    book: Book, version: Program, status: TierStatus, index: int, as_of: dt.date
) -> list[Action]:
    """An action for every gate that keeps the tier of ``index`` out on the review."""
    specs = {gate.id: gate for gate in version.gates}
    actions: list[Action] = []
    for result in status.gates:
        spec = specs.get(result.name)
        if result.passed or spec is None or version.tier_index(result.caps_at) >= index:
            continue
        if spec.kind == "fact_true":
            fact = str(spec.params["fact"])
            actions.append(
                Action(
                    "fact",
                    as_of,
                    f"gate {spec.id}: make {fact} true (now: {result.reason})",
                    gate=spec.id,
                    facts={fact: True},
                )
            )
        elif spec.kind == "fact_at_least":
            fact, minimum = str(spec.params["fact"]), Decimal(spec.params["minimum"])
            actions.append(
                Action(
                    "fact",
                    as_of,
                    f"gate {spec.id}: raise {fact} to {minimum} (now: {result.reason})",
                    gate=spec.id,
                    facts={fact: minimum},
                )
            )
        elif spec.kind != "certification":  # certifications: checked over the whole window
            actions.append(
                Action("gate", as_of, f"gate {spec.id} fails: {result.reason}", gate=spec.id)
            )
    return actions


def _certification_action(
    book: Book, version: Program, index: int, as_of: dt.date, review: dt.date
) -> Action | None:
    """A renewal before the certification lapses, when a certification gate guards the
    tier and some day up to the review would have none."""
    guards = [
        g for g in version.gates
        if g.kind == "certification" and (not g.tiers or version.tiers[index].id in g.tiers)
    ]  # fmt: skip
    gap = _certification_gap(book, as_of, review) if guards else None
    if gap is None:
        return None
    by = max(as_of, gap - dt.timedelta(days=1))
    until = max(gap + dt.timedelta(days=_CERTIFICATION_DAYS - 1), review)
    renewal = Certification(CertificationId("cert-renewal"), "Partner certification", gap, until)
    when = "it lapses" if gap > as_of else "now: none is valid"
    return Action(
        "certification",
        by,
        f"renew the partner certification before {when} (valid from {gap})",
        gate=guards[0].id,
        records={"certifications": (renewal,)},
    )


# --- MRR --------------------------------------------------------------------------------

Goal = Callable[[TierStatus], bool]
Shortfall = Callable[[TierStatus], dict[str, Decimal]]


def _apply(book: Book, actions: list[Action]) -> Book:
    """The book with the records and facts of the actions."""
    records: dict[str, tuple[Any, ...]] = {}
    facts: dict[str, Any] = dict(book.facts)
    for action in actions:
        for name, added in action.records.items():
            records[name] = (*records.get(name, ()), *added)
        facts.update(action.facts)
    return attrs.evolve(
        book,
        clients=(*book.clients, *records.get("clients", ())),
        subscriptions=(*book.subscriptions, *records.get("subscriptions", ())),
        deals=(*book.deals, *records.get("deals", ())),
        managed_services=(*book.managed_services, *records.get("managed_services", ())),
        certifications=(*book.certifications, *records.get("certifications", ())),
        facts=facts,
    )


def _mrr_action(answer: Needed) -> Action:
    verb = "manage" if answer.motion == "managed" else f"close a partner-{answer.motion} deal of"
    return Action(
        f"{answer.motion}_mrr",
        answer.on,
        f"{verb} {answer.amount} {answer.currency} MRR for a new client (c-{answer.tag})",
        answer.amount,
        answer.currency,
        records=answer.records(),
    )


def _mrr_actions(
    book: Book,
    program: Program | ProgramSeries,
    review: dt.date,
    goal: Goal,
    shortfall: Shortfall,
    target: str,
    currency: str,
) -> list[Action]:
    """The fewest MRR actions, then the least MRR, that meet the goal on the review:
    one motion alone if one can, else a first motion for the tracks that the second
    does not count toward and the second for the rest."""
    version = program_on(program, review)

    def solve(on_book: Book, motion: str, meets: Goal, missing: Shortfall) -> Needed | None:
        try:
            answer = least_mrr(
                on_book, program, motion, "standard", currency, review, meets, missing,
                target, f"plan-{motion}",
            )  # fmt: skip
        except PricingError:
            return None
        return answer if answer.amount is not None and answer.amount > 0 else None

    singles = [a for m in _MOTIONS if (a := solve(book, m, goal, shortfall)) is not None]
    if singles:
        return [_mrr_action(min(singles, key=lambda a: a.amount or Decimal(0)))]
    pairs: list[tuple[Needed, Needed]] = []
    for first in _MOTIONS:
        for second in _MOTIONS:
            if first == second:
                continue
            others = touched_tracks(version, second)

            def part(s: TierStatus, others: set[str] = others) -> dict[str, Decimal]:
                return {t: v for t, v in shortfall(s).items() if t not in others}

            def part_met(s: TierStatus, part: Shortfall = part) -> bool:
                return not any(part(s).values())

            one = solve(book, first, part_met, part)
            if one is None:
                continue
            two = solve(_apply(book, [_mrr_action(one)]), second, goal, shortfall)
            if two is not None:
                pairs.append((one, two))
    if not pairs:
        return []
    best = min(pairs, key=lambda p: (p[0].amount or Decimal(0)) + (p[1].amount or Decimal(0)))
    return [_mrr_action(best[0]), _mrr_action(best[1])]


# --- the plan ---------------------------------------------------------------------------


def _goal(goal: str, version: Program, index: int, wanted: Tier) -> tuple[Goal, Shortfall]:
    if goal == "reach":
        return (
            lambda s: version.tier_index(s.qualified_tier) >= index,
            lambda s: wanted.shortfall(s.values),
        )

    def keeps(s: TierStatus) -> bool:
        return version.tier_index(s.tier) >= index and s.pending_demotion is None

    def missing(s: TierStatus) -> dict[str, Decimal]:
        return wanted.shortfall(s.values, keep=version.tier_index(s.tier) >= index)

    return keeps, missing


def plan(
    book: Book,
    program: Program | ProgramSeries,
    *,
    as_of: dt.date,
    goal: str = "keep",
    tier: str | None = None,
    currency: str = "USD",
) -> Plan:
    """The fewest dated actions that make ``goal`` hold at the next review after
    ``as_of``, verified by `what_if`.

    ``keep``: hold ``tier`` (default: the tier held on ``as_of``) at the review, with
    no demotion decided there. ``reach``: qualify for ``tier`` (default: the tier above
    the one held) on the review. Under a series, tiers and rates are those of the version
    in force on the review. The actions renew a certification before it lapses, make a
    fact gate pass (an invitation, a retention rate), and add the least new MRR --
    partner-sourced, assisted or managed, in ``currency``, from new clients with the
    defaults of `default_client` -- closed by the review, across every track, minimum
    and gate at once. A gate that no action can make pass is named as an action of
    kind ``gate`` and the plan does not hold.

    Raises:
        InvalidRecordError: for a goal other than keep or reach, a tier the program
            does not have, or an argument of the wrong type.
    """
    check_arguments(book, program)
    as_of = check_day("as_of", as_of)
    if goal not in _GOALS:
        raise InvalidRecordError("goal", goal, f"must be one of {', '.join(_GOALS)}")
    status = evaluate(book, program, as_of=as_of)
    review, cliff = status.next_review, cliff_date(book, program, as_of=as_of)
    version = program_on(program, review)
    target = tier if tier is not None else status.tier if goal == "keep" else status.next_tier
    if target is None:
        why = "no tier is held: nothing to keep" if goal == "keep" else "no tier above"
        return Plan(goal, None, as_of, review, (), True, cliff, why)
    tier_ids = [t.id for t in version.tiers]
    if target not in tier_ids:
        raise InvalidRecordError("tier", target, f"must be one of {', '.join(tier_ids)}")
    index = version.tier_index(target)
    meets, shortfall = _goal(goal, version, index, version.tiers[index])
    renewal = _certification_action(book, version, index, as_of, review)
    actions = [renewal] if renewal is not None else []
    on_review = evaluate(_apply(book, actions), program, as_of=review)
    actions += _gate_actions(book, version, on_review, index, as_of)
    if not meets(evaluate(_apply(book, actions), program, as_of=review)):
        actions += _mrr_actions(_apply(book, actions), program, review, meets, shortfall,
                                target, currency)  # fmt: skip
    result = Plan(goal, target, as_of, review, tuple(actions), False, cliff, "")
    check = what_if(book, program, as_of=as_of, until=review, **result.what_if_arguments())
    holds = check.after_until is not None and meets(check.after_until)
    if not actions:
        reason = "already holds: nothing to do" if holds else "no action found"
    elif holds:
        reason = "with these actions the goal holds at the review (verified by what_if)"
    else:
        unfixed = [a.gate for a in actions if a.kind == "gate"]
        reason = f"gate {', '.join(map(str, unfixed))} cannot be planned" if unfixed else (
            "no amount of new MRR makes the goal hold"
        )  # fmt: skip
    return attrs.evolve(result, holds=holds, reason=reason, check=check)


def plans_html(book: Book, program: Program | ProgramSeries, as_of: dt.date) -> str:
    """The report's plan section: the plan to keep the tier held and to reach the next."""
    tables = []
    for goal in _GOALS:
        made = plan(book, program, as_of=as_of, goal=goal)
        if made.tier is None:
            continue
        rows = [[a.by, a.description] for a in made.actions] or [[made.review, made.reason]]
        if goal == "keep" and made.cliff_date is not None:
            rows.append([made.cliff_date, "if nothing is done, the held tier fails this day"])
        caption = f"To {goal} {made.tier} at the review on {made.review}: {made.reason}"
        tables.append(table_html(["by", "action"], rows, caption))
    return f"<section id='plan'><h2>Plan</h2>{''.join(tables)}</section>"
