"""Dashboard views: everything the partner dashboard shows, computed from a book.

Each view is a frozen value with ``to_dict()`` for JSON, ``_repr_html_()`` for notebooks,
and ``to_pandas()`` / ``to_polars()`` through the optional extras.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs
from attrs import evolve, frozen

from partner_tiers._engine.arguments import check_arguments
from partner_tiers._engine.evaluate import evaluate
from partner_tiers._engine.pricing import build_ledger
from partner_tiers._engine.status import TierStatus
from partner_tiers._engine.timeline import timeline
from partner_tiers._errors import InvalidRecordError
from partner_tiers._html import table_html
from partner_tiers._ledger.ledger import Market, PointBatch, PointsLedger, Track
from partner_tiers._model.book import Book
from partner_tiers._model.records import RenewalOwner, SalesMotion
from partner_tiers._model.values import MAX_MONTHS, check_count, check_day, check_instance
from partner_tiers._rules.context import Context
from partner_tiers._rules.gates import counting_clients
from partner_tiers._rules.program import Program

__all__ = [
    "AccountPerformance",
    "Alert",
    "Alerts",
    "ClientDetails",
    "ClientRow",
    "ClientsTable",
    "EndServices",
    "PointsBreakdown",
    "PointsRow",
    "Progress",
    "account_performance",
    "alerts",
    "client_details",
    "clients_table",
    "end_services",
    "engagement_band",
    "points_breakdown",
    "progress",
    "rolling_mrr",
]

ZERO = Decimal(0)


def _plain(value: Any) -> Any:
    """JSON-ready: Decimals as strings, dates as ISO strings, enums as values."""
    if attrs.has(type(value)):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in attrs.fields(type(value))
            if not f.name.startswith("_")
        }
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (RenewalOwner, SalesMotion, Market, Track)):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, frozenset)):
        return [_plain(v) for v in value]
    return value


class _Table:
    """Shared behaviour of the views that are lists of rows."""

    rows: Sequence[Any]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: decimals as strings, dates as ISO strings."""
        data: dict[str, Any] = _plain(self)
        return data

    def records(self) -> list[dict[str, Any]]:
        """The rows as plain dicts (Decimals and dates kept)."""
        return [
            {f.name: getattr(row, f.name) for f in attrs.fields(type(row))} for row in self.rows
        ]

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame (needs the ``pandas`` extra)."""
        import pandas as pd

        return pd.DataFrame(self.records())

    def to_polars(self) -> Any:
        """The rows as a polars DataFrame (needs the ``polars`` extra)."""
        import polars as pl

        return pl.DataFrame(self.records())

    def _repr_html_(self) -> str:
        records = self.records()
        headers = list(records[0]) if records else []
        return table_html(headers, ([r[h] for h in headers] for r in records), type(self).__name__)


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
class Alerts(_Table):
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


def alerts(book: Book, *, as_of: dt.date, within_days: int = 90) -> Alerts:
    """Renewal decisions due in [as_of, as_of + within_days]."""
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
        if as_of <= s.renews_on <= horizon and (s.ended_on is None or s.ended_on > as_of)
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
        relationship: sold, managed or sold_and_managed.
        tools_used: the number of tools used.
        engagement_index: the platform engagement index.
        engagement_band: low, medium or high.
        mrr: MRR per currency.
        mrr_usd: USD-equivalent MRR under the program's currency table on the date.
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


@frozen
class ClientsTable(_Table):
    """The clients table of the dashboard.

    Attributes:
        as_of: the date.
        rows: one row per client, in book order.
    """

    as_of: dt.date
    rows: tuple[ClientRow, ...]


def _usd(program: Program | None, currency: str, amount: Decimal, day: dt.date) -> Decimal | None:
    if program is None:
        return None
    table = program.currency_table(day)
    if table is None or currency not in table.per_100_usd:
        return None
    return (amount * 100 / table.per_100_usd[currency]).quantize(Decimal("0.01"))


def clients_table(book: Book, *, as_of: dt.date, program: Program | None = None) -> ClientsTable:
    """Per client: products, relationship, usage, engagement band and MRR."""
    check_instance("book", book, Book)
    as_of = check_day("as_of", as_of)
    if program is not None:
        check_instance("program", program, Program)
    rows = []
    for client in book.clients:
        active = [s for s in book.subscriptions_of(client.id) if s.active_on(as_of)]
        mrr: dict[str, Decimal] = {}
        for s in active:
            mrr[s.mrr.currency] = mrr.get(s.mrr.currency, ZERO) + s.mrr.amount
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
                client.relationship.value,
                client.tool_usage,
                client.engagement_index,
                engagement_band(client.engagement_index),
                mrr,
                usd,
            )
        )
    return ClientsTable(as_of, tuple(rows))


@frozen
class ClientDetails:
    """The client details panel: subscriptions, renewals, portal usage, engagement.

    Attributes:
        client: the client's id.
        name: its name.
        country: its country.
        subscriptions: per subscription: product line, edition, MRR, contact and email
            tiers.
        renewals: per subscription: renewal date, owner, manager, current and proposed
            renewal subscription.
        tools_used: the products and apps the client uses (portal usage).
        engagement_index: the platform engagement index.
        engagement_band: low, medium or high.
    """

    client: str
    name: str
    country: str
    subscriptions: tuple[dict[str, Any], ...]
    renewals: tuple[dict[str, Any], ...]
    tools_used: tuple[str, ...]
    engagement_index: int
    engagement_band: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        data: dict[str, Any] = _plain(self)
        return data

    def _repr_html_(self) -> str:
        subs = table_html(
            ["subscription", "product line", "edition", "MRR", "contact tier", "email tier"],
            (
                [
                    s["id"],
                    s["product_line"],
                    s["edition"],
                    s["mrr"],
                    s["contact_tier"],
                    s["email_tier"],
                ]
                for s in self.subscriptions
            ),
            f"{self.name} ({self.client}), engagement "
            f"{self.engagement_index} ({self.engagement_band})",
        )
        renewals = table_html(
            ["subscription", "renews on", "owner", "manager", "current", "proposed"],
            (
                [
                    r["subscription"],
                    r["renews_on"],
                    r["renewal_owner"],
                    r["renewal_manager"],
                    r["current"],
                    r["proposed"],
                ]
                for r in self.renewals
            ),
        )
        return subs + renewals


def client_details(book: Book, client_id: str) -> ClientDetails:
    """The details panel of one client."""
    check_instance("book", book, Book)
    client = book.client(client_id)
    subs = book.subscriptions_of(client.id)
    subscriptions = tuple(
        {
            "id": s.id,
            "product_line": s.product_line,
            "edition": s.edition,
            "mrr": str(s.mrr),
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
    )
    return ClientDetails(
        client.id,
        client.name,
        client.country,
        subscriptions,
        renewals,
        client.tools_used,
        client.engagement_index,
        engagement_band(client.engagement_index),
    )


# --- points -----------------------------------------------------------------------------


@frozen
class PointsRow:
    """Points of one client on the date.

    Attributes:
        client: the client's id.
        client_name: its name.
        market: growth or standard.
        sold: active sold points (after the filters).
        managed: active managed points (after the filters).
        total: sold + managed.
        active: the ids of the active batches.
        expired: the ids of the batches that had expired by the date.
    """

    client: str
    client_name: str
    market: str
    sold: Decimal
    managed: Decimal
    total: Decimal
    active: tuple[str, ...]
    expired: tuple[str, ...]


@frozen
class PointsBreakdown(_Table):
    """Sold + managed points per client, filterable by deal type and market type.

    Attributes:
        as_of: the date.
        deal_types: the deal types kept: sourced, assisted, managed (and none, for
            changes without a sales motion).
        markets: the market types kept: growth, standard.
        rows: one row per client with points.
        batches: every batch of the kept types, for the per-client history.
    """

    as_of: dt.date
    deal_types: tuple[str, ...]
    markets: tuple[str, ...]
    rows: tuple[PointsRow, ...]
    batches: tuple[PointBatch, ...] = attrs.field(repr=False)

    def history(self, client_id: str) -> tuple[PointBatch, ...]:
        """The client's sold and managed batches, oldest first."""
        return tuple(b for b in self.batches if b.client == client_id)

    @property
    def total(self) -> Decimal:
        """The sum over clients."""
        return sum((row.total for row in self.rows), ZERO)


_DEAL_TYPES = ("sourced", "assisted", "managed", "none")


def _deal_type(batch: PointBatch) -> str:
    return "managed" if batch.track is Track.MANAGED else batch.motion.value


def points_breakdown(
    book: Book,
    program: Program,
    *,
    as_of: dt.date,
    deal_types: Iterable[str] = _DEAL_TYPES,
    markets: Iterable[str] = ("growth", "standard"),
    ledger: PointsLedger | None = None,
) -> PointsBreakdown:
    """Points per client, filtered by deal type (sourced, assisted, managed, none) and
    market type (growth, standard), with each client's active and expired batches."""
    check_arguments(book, program, ledger)
    as_of = check_day("as_of", as_of)
    kept_types = tuple(deal_types)
    kept_markets = tuple(markets)
    for kind in kept_types:
        if kind not in _DEAL_TYPES:
            raise InvalidRecordError("deal_types", kind, f"must be one of {', '.join(_DEAL_TYPES)}")
    for market in kept_markets:
        if market not in ("growth", "standard"):
            raise InvalidRecordError("markets", market, "must be growth or standard")
    ledger = ledger if ledger is not None else build_ledger(book, program)
    batches = tuple(
        b for b in ledger.batches if _deal_type(b) in kept_types and b.market.value in kept_markets
    )
    rows = []
    for client in book.clients:
        mine = [b for b in batches if b.client == client.id]
        if not mine:
            continue
        active = [b for b in mine if b.active_on(as_of)]
        sold = sum((b.points for b in active if b.track is Track.SOLD), ZERO)
        managed = sum((b.points for b in active if b.track is Track.MANAGED), ZERO)
        rows.append(
            PointsRow(
                client.id,
                client.name,
                mine[0].market.value,
                sold,
                managed,
                sold + managed,
                tuple(b.id for b in active),
                tuple(b.id for b in mine if b.expired_on(as_of)),
            )
        )
    return PointsBreakdown(as_of, kept_types, kept_markets, tuple(rows), batches)


def rolling_mrr(
    book: Book,
    program: Program,
    *,
    as_of: dt.date,
    months: int = 12,
    motion: str | None = "sourced",
    ledger: PointsLedger | None = None,
) -> Decimal:
    """Rolling sold MRR in USD over the ``months`` up to ``as_of`` (default: the
    dashboard's rolling-12-month sourced MRR); ``motion=None`` counts every motion."""
    check_arguments(book, program, ledger)
    as_of = check_day("as_of", as_of)
    check_count("months", months, 1, MAX_MONTHS)
    from dateutil.relativedelta import relativedelta

    if motion is not None and motion not in {m.value for m in SalesMotion}:
        raise InvalidRecordError("motion", motion, "must be sourced, assisted, none or None")
    ledger = ledger if ledger is not None else build_ledger(book, program)
    start: dt.date = as_of - relativedelta(months=months)
    kind = SalesMotion(motion) if motion is not None else None
    return ledger.sold_mrr_usd(start, as_of, motion=kind)


# --- progress and account performance ---------------------------------------------------


@frozen
class Progress(_Table):
    """Points per track month by month, with the next tier's reach lines.

    Attributes:
        program: the program's ``name@version``.
        rows: one dict per month: as_of, tier, value.<track>, reach.<track>, next_tier.
    """

    program: str
    rows: tuple[dict[str, Any], ...]

    def records(self) -> list[dict[str, Any]]:
        """The rows as plain dicts."""
        return [dict(row) for row in self.rows]

    def plot(self, ax: Any = None) -> Any:
        """A matplotlib chart like the dashboard's (needs the ``plot`` extra)."""
        from partner_tiers._views.chart import progress_chart

        return progress_chart(self, ax=ax)


def progress(
    book: Book, program: Program, start: dt.date, end: dt.date, *, months: int = 1
) -> Progress:
    """Points per track over the months, with the reach lines of the next tier."""
    line = timeline(book, program, start, end, months=months)
    return Progress(program.label, tuple(line.rows()))


@frozen
class AccountPerformance:
    """Median tool usage and certification status on a date.

    Attributes:
        as_of: the date.
        median_tool_usage: the median number of tools over the clients that count
            (managed on the date, or sold in the last 12 months); None when none count.
        counting_clients: those clients.
        certified: whether a certification is valid on the date.
        certification_ends_on: the last day of the valid certification that lasts
            longest, or of the last one that lapsed.
    """

    as_of: dt.date
    median_tool_usage: Decimal | None
    counting_clients: tuple[str, ...]
    certified: bool
    certification_ends_on: dt.date | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        data: dict[str, Any] = _plain(self)
        return data

    def _repr_html_(self) -> str:
        return table_html(
            ["median tool usage", "clients counted", "certified", "certification ends on"],
            [
                [
                    self.median_tool_usage,
                    ", ".join(self.counting_clients),
                    self.certified,
                    self.certification_ends_on,
                ]
            ],
            f"Account performance as of {self.as_of}",
        )


def account_performance(
    book: Book, program: Program, *, as_of: dt.date, window_months: int | None = None
) -> AccountPerformance:
    """Median tool usage across the clients that count, and certification status.

    The window for "sold in the last months" is the program's median-tool-usage gate's
    (12 months when the program has no such gate), unless ``window_months`` is given.
    """
    check_arguments(book, program)
    as_of = check_day("as_of", as_of)
    if window_months is not None:
        check_count("window_months", window_months, 1, MAX_MONTHS)
    import statistics

    if window_months is None:
        windows = [
            int(gate.params.get("window_months", 12))
            for gate in program.gates
            if gate.kind == "median_tool_usage"
        ]
        window_months = windows[0] if windows else 12

    ledger = PointsLedger()
    context = Context(book, ledger, program, as_of, ledger.totals(as_of))
    clients = tuple(counting_clients(context, window_months))
    usage = [book.client(c).tool_usage for c in clients]
    median = Decimal(str(statistics.median(usage))) if usage else None
    valid = [c for c in book.certifications if c.valid_on(as_of)]
    if valid:
        ends: dt.date | None = max(c.valid_until for c in valid)
    else:
        lapsed = [c.valid_until for c in book.certifications if c.valid_until < as_of]
        ends = max(lapsed) if lapsed else None
    return AccountPerformance(as_of, median, clients, bool(valid), ends)


# --- end services -----------------------------------------------------------------------


@frozen
class EndServices:
    """What ending services for a client does: the book without it, and both statuses.

    Attributes:
        client: the client's id.
        book: the book without the client and its records.
        before: the status with the client.
        after: the status without it.
    """

    client: str
    book: Book = attrs.field(repr=False)
    before: TierStatus = attrs.field(repr=False)
    after: TierStatus = attrs.field(repr=False)

    def changes(self) -> dict[str, Decimal]:
        """Per points track: after minus before."""
        return {k: self.after.points[k] - self.before.points[k] for k in self.before.points}

    def _repr_html_(self) -> str:
        changes = self.changes()
        return table_html(
            ["", "before", "after", "change"],
            [["tier", self.before.tier, self.after.tier, ""]]
            + [
                [name, self.before.points[name], self.after.points[name], changes[name]]
                for name in self.before.points
            ],
            f"End services for {self.client}",
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "client": self.client,
            "tier_before": self.before.tier,
            "tier_after": self.after.tier,
            "points_before": {k: str(v) for k, v in self.before.points.items()},
            "points_after": {k: str(v) for k, v in self.after.points.items()},
            "changes": {k: str(v) for k, v in self.changes().items()},
        }


def without_client(book: Book, client_id: str) -> Book:
    """The book with the client and every record about it removed."""
    check_instance("book", book, Book)
    book.client(client_id)  # raises when unknown
    return evolve(
        book,
        clients=tuple(c for c in book.clients if c.id != client_id),
        subscriptions=tuple(s for s in book.subscriptions if s.client != client_id),
        deals=tuple(d for d in book.deals if d.client != client_id),
        managed_services=tuple(m for m in book.managed_services if m.client != client_id),
    )


def end_services(book: Book, program: Program, client_id: str, *, as_of: dt.date) -> EndServices:
    """The book without a client, and what that does to points and tier."""
    check_arguments(book, program)
    as_of = check_day("as_of", as_of)
    after_book = without_client(book, client_id)
    return EndServices(
        client_id, after_book, evaluate(book, program, as_of), evaluate(after_book, program, as_of)
    )
