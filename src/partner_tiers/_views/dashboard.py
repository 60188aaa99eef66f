"""Dashboard views of the book: renewal alerts, the clients table, a client's details, the
and the engagement band.

Each view is a frozen value with ``to_dict()`` for JSON and ``_repr_html_()`` for
notebooks; the tables also have ``to_pandas()`` / ``to_polars()`` through the optional
extras. Points views are in ``points``, account performance in ``performance``, ending
services in ``services``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from warnings import warn

from attrs import field, frozen

from partner_tiers._errors import InvalidRecordError
from partner_tiers._html import table_html
from partner_tiers._model.book import Book
from partner_tiers._model.deprecated import DEPRECATED
from partner_tiers._model.records import RenewalOwner
from partner_tiers._model.values import check_count, check_day, check_instance
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries, program_on
from partner_tiers._views.client_facts import client_facts
from partner_tiers._views.company import client_links, company_info, links_html
from partner_tiers._views.tables import Table, plain

__all__ = [
    "ALERT_HORIZON_DAYS",
    "Alert",
    "Alerts",
    "ClientDetails",
    "ClientRow",
    "ClientsTable",
    "alerts",
    "client_details",
    "clients_table",
    "engagement_band",
]

ZERO = Decimal(0)

ALERT_HORIZON_DAYS = 90
"""How many days ahead renewal alerts look by default, in every view and the CLI."""


# --- alerts -----------------------------------------------------------------------------


@frozen
class Alert:
    """A renewal decision coming up.

    Attributes:
        client: the client's id.
        client_name: the client's name.
        subscription: the subscription's id.
        renews_on: the renewal date.
        renewal_owner: who owns the renewal communication.
        days_left: days from the as-of date to the renewal.
    """

    client: str
    client_name: str
    subscription: str
    renews_on: dt.date
    renewal_owner: RenewalOwner | None
    days_left: int


@frozen
class Alerts(Table):
    """Renewal decisions due within ``within_days`` of ``as_of``, soonest first.

    Attributes:
        as_of: the date.
        within_days: the horizon.
        rows: the alerts.
    """

    as_of: dt.date
    within_days: int
    rows: tuple[Alert, ...]

    @property
    def items(self) -> tuple[Alert, ...]:
        """The alerts (same as rows)."""
        return self.rows


def alerts(book: Book, *, as_of: dt.date, within_days: int = ALERT_HORIZON_DAYS) -> Alerts:
    """Renewal decisions due in [as_of, as_of + within_days], of the subscriptions that
    have started and not ended by ``as_of``."""
    check_instance("book", book, Book)
    as_of = check_day("as_of", as_of)
    check_count("within_days", within_days, 0, 36500)
    horizon = as_of + dt.timedelta(days=within_days)
    found = [
        Alert(
            s.client,
            book.client(s.client).name,
            s.id,
            s.renews_on,
            s.renewal_owner,
            (s.renews_on - as_of).days,
        )
        for s in book.subscriptions
        if as_of <= s.renews_on <= horizon and s.active_on(as_of)
    ]
    found.sort(key=lambda a: (a.renews_on, a.subscription))
    return Alerts(as_of, within_days, tuple(found))


# --- clients ----------------------------------------------------------------------------


def engagement_band(index: int) -> str:
    """The dashboard's band of an engagement index: low 0-3, medium 4-6, high 7-10."""
    if not 0 <= index <= 10:
        raise InvalidRecordError("engagement_index", index, "must be from 0 to 10")
    return "low" if index <= 3 else "medium" if index <= 6 else "high"


@frozen
class ClientRow:
    """One row of the clients table.

    Attributes:
        client: the client's id.
        name: the client's name.
        country: its country.
        products: the product lines of its active subscriptions.
        relationship: sold, managed or sold_and_managed, as the book shows it.
        tools_used: the number of tools used.
        engagement_index: the platform engagement index the view uses.
        engagement_band: low, medium or high.
        mrr: MRR per currency, each subscription's MRR in force on the date.
        mrr_usd: USD-equivalent MRR under the program's currency table on the date.
        typed_relationship, relationship_note, typed_engagement_index, engagement_source:
            the typed values, and notes where they disagree with the book (`ClientFacts`).
    """

    client: str
    name: str
    country: str
    products: tuple[str, ...]
    relationship: str
    tools_used: int
    engagement_index: int
    engagement_band: str
    mrr: dict[str, Decimal]
    mrr_usd: Decimal | None
    typed_relationship: str
    relationship_note: str | None
    typed_engagement_index: int
    engagement_source: str


@frozen
class ClientsTable(Table):
    """The clients table of the dashboard.

    Attributes:
        as_of: the date.
        rows: one row per client, in book order.
        warnings: where typed relationships or engagement indexes disagree with the book,
            one line each naming the client.
    """

    as_of: dt.date
    rows: tuple[ClientRow, ...]
    warnings: tuple[str, ...] = ()


def _usd(program: Program | None, currency: str, amount: Decimal, day: dt.date) -> Decimal | None:
    if program is None:
        return None
    table = program.currency_table(day)
    if table is None or currency not in table.per_100_usd:
        return None
    return (amount * 100 / table.per_100_usd[currency]).quantize(Decimal("0.01"))


def clients_table(
    book: Book, program: Program | ProgramSeries | None = None, *, as_of: dt.date
) -> ClientsTable:
    """Per client: products, relationship, usage, engagement band and MRR (in USD by the
    currency table of the program, or of the series' version, in force on as_of).

    Without a program the USD column is empty; leaving the program out is deprecated.
    """
    check_instance("book", book, Book)
    as_of = check_day("as_of", as_of)
    if program is None:
        warn(
            f"clients_table(book, as_of=day) without a program {DEPRECATED}; "
            "write clients_table(book, program, as_of=day)",
            DeprecationWarning,
            stacklevel=2,
        )
    else:
        if not isinstance(program, (Program, ProgramSeries)):
            check_instance("program", program, Program)
        program = program_on(program, as_of)
    rows = []
    warnings: list[str] = []
    for client in book.clients:
        facts = client_facts(book, client, as_of)
        warnings += facts.warnings(client.id)
        active = [s for s in book.subscriptions_of(client.id) if s.active_on(as_of)]
        mrr: dict[str, Decimal] = {}
        for s in active:
            in_force = book.mrr_on(s.id, as_of)  # the MRR of the day, not today's
            mrr[s.mrr.currency] = mrr.get(s.mrr.currency, ZERO) + in_force.amount
        usd: Decimal | None = ZERO if program is not None else None
        for currency, amount in mrr.items():
            converted = _usd(program, currency, amount, as_of)
            usd = None if converted is None or usd is None else usd + converted
        rows.append(
            ClientRow(
                client.id,
                client.name,
                client.country,
                tuple(sorted({s.product_line for s in active})),
                facts.relationship,
                client.tool_usage,
                facts.engagement_index,
                engagement_band(facts.engagement_index),
                mrr,
                usd,
                facts.typed_relationship,
                facts.relationship_note,
                facts.typed_engagement_index,
                facts.engagement_source,
            )
        )
    return ClientsTable(as_of, tuple(rows), tuple(warnings))


_SUBSCRIPTION_COLUMNS = ("id", "product_line", "edition", "mrr", "contact_tier", "email_tier")


@frozen
class ClientDetails:
    """The client details panel: subscriptions, renewals, portal usage, engagement.

    Attributes:
        client: the client's id.
        name: its name.
        country: its country.
        subscriptions: per subscription: product line, edition, MRR, contact and email
            tiers.
        renewals: per subscription that has not ended (no end date): renewal date,
            owner, manager, current and proposed renewal subscription.
        tools_used: the products and apps the client uses (portal usage).
        engagement_index: the platform engagement index the panel uses.
        engagement_band: low, medium or high.
        relationship: sold, managed or sold_and_managed, as the book shows it.
        typed_relationship, relationship_note, typed_engagement_index, engagement_source:
            the typed values, and notes where they disagree with the book (`ClientFacts`).
        warnings: the notes, one line each naming the client.
        company: domain, industry, size and CRM id (None where the book does not say).
        links: the partner's link templates filled in for the client ("open in CRM",
            "go to account"), by name.
    """

    client: str
    name: str
    country: str
    subscriptions: tuple[dict[str, Any], ...]
    renewals: tuple[dict[str, Any], ...]
    tools_used: tuple[str, ...]
    engagement_index: int
    engagement_band: str
    relationship: str
    typed_relationship: str
    relationship_note: str | None
    typed_engagement_index: int
    engagement_source: str
    warnings: tuple[str, ...]
    company: dict[str, str | None] = field(factory=dict)
    links: dict[str, str] = field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        data: dict[str, Any] = plain(self)
        return data

    def _repr_html_(self) -> str:
        subs = table_html(
            ["subscription", "product line", "edition", "MRR", "contact tier", "email tier"],
            ([s[key] for key in _SUBSCRIPTION_COLUMNS] for s in self.subscriptions),
            f"{self.name} ({self.client}), {self.relationship}, engagement "
            f"{self.engagement_index} ({self.engagement_band})",
        )
        renewals = table_html(
            ["subscription", "renews on", "owner", "manager", "current", "proposed"],
            (list(r.values()) for r in self.renewals),
        )
        notes = table_html(["warning"], ([w] for w in self.warnings)) if self.warnings else ""
        company = table_html(["field", "value"], self.company.items(), "Company")
        return subs + company + links_html(self.links) + renewals + notes


def client_details(book: Book, client_id: str, *, as_of: dt.date | None = None) -> ClientDetails:
    """The details panel of one client.

    Args:
        as_of: when given, the relationship counts only the deals closed and managed
            services begun by this day, and each subscription's MRR is the one in force
            that day; otherwise the whole book and the current MRR.
    """
    check_instance("book", book, Book)
    if as_of is not None:
        as_of = check_day("as_of", as_of)
    client = book.client(client_id)
    facts = client_facts(book, client, as_of)
    subs = book.subscriptions_of(client.id)
    subscriptions = tuple(
        {
            "id": s.id,
            "product_line": s.product_line,
            "edition": s.edition,
            "mrr": str(s.mrr if as_of is None else book.mrr_on(s.id, as_of)),
            "contact_tier": s.contact_tier,
            "email_tier": s.email_tier,
            "started_on": s.started_on,
            "ended_on": s.ended_on,
        }
        for s in subs
    )
    renewals = tuple(
        {
            "subscription": s.id,
            "renews_on": s.renews_on,
            "renewal_owner": s.renewal_owner.value if s.renewal_owner else None,
            "renewal_manager": s.renewal_manager,
            "current": f"{s.edition}, {s.mrr}",
            "proposed": f"{s.renewal.edition}, {s.renewal.mrr}" if s.renewal else None,
        }
        for s in subs
        if s.ended_on is None
    )
    return ClientDetails(
        client.id,
        client.name,
        client.country,
        subscriptions,
        renewals,
        client.tools_used,
        facts.engagement_index,
        engagement_band(facts.engagement_index),
        facts.relationship,
        facts.typed_relationship,
        facts.relationship_note,
        facts.typed_engagement_index,
        facts.engagement_source,
        facts.warnings(client.id),
        company_info(client),
        client_links(book, client),
    )
