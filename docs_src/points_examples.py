"""Explanation: how points are earned and expire, on small books built in Python."""

# --8<-- [start:grandfathering]
import datetime as dt

import partner_tiers as pt

program = pt.load_program("hubspot-2024")  # rate rows from 2022-07-18 and 2024-02-27
partner = pt.Partner(pt.PartnerId("p-demo"), "Demo Agency", "US", dt.date(2021, 1, 4))
client = pt.Client(pt.ClientId("c-1"), "Client One", "US", pt.Relationship.SOLD)


def sale(name: str, line: str, kind: pt.DealKind, day: dt.date) -> pt.Deal:
    """A partner-sourced deal of client c-1 adding 1,000 USD of MRR."""
    motion, mrr = pt.SalesMotion.SOURCED, pt.Money("1000", "USD")
    return pt.Deal(pt.DealId(name), client.id, line, kind, motion, day, mrr)


new, cross_sell, upsell = pt.DealKind.NEW, pt.DealKind.CROSS_SELL, pt.DealKind.UPSELL
deals = [
    sale("oct-2021", "marketing-hub", new, dt.date(2021, 10, 4)),
    sale("mar-2024", "sales-hub", cross_sell, dt.date(2024, 3, 4)),
    sale("apr-2024", "marketing-hub", upsell, dt.date(2024, 4, 2)),
]
book = pt.Book(partner, clients=[client], deals=deals)
for batch in pt.build_ledger(book, program):
    print(f"{batch.origin}: {batch.points} points at {batch.rate} per 100 USD")
# --8<-- [end:grandfathering]

# --8<-- [start:rule]
print(pt.build_ledger(book, program).batch("sold:apr-2024").rule)
# --8<-- [end:rule]

# --8<-- [start:currency]
program = pt.load_program("hubspot-2025")
for day in (dt.date(2025, 7, 14), dt.date(2025, 7, 15)):
    deal = pt.Deal(
        pt.DealId("d-eur"),
        client.id,
        "content-hub",
        pt.DealKind.NEW,
        pt.SalesMotion.SOURCED,
        day,
        pt.Money("1000.00", "EUR"),
    )
    ledger = pt.build_ledger(pt.Book(partner, clients=[client], deals=[deal]), program)
    print(day, ledger.batch("sold:d-eur").rule)
# --8<-- [end:currency]

# --8<-- [start:growth]
clients = [
    pt.Client(pt.ClientId("c-us"), "A client in the US", "US", pt.Relationship.SOLD),
    pt.Client(pt.ClientId("c-in"), "A client in India", "IN", pt.Relationship.SOLD),
]
deals = [
    pt.Deal(
        pt.DealId(f"d-{c.country.lower()}"),
        c.id,
        "sales-hub",
        pt.DealKind.NEW,
        pt.SalesMotion.SOURCED,
        dt.date(2025, 8, 1),
        pt.Money("1000", "USD"),
    )
    for c in clients
]
ledger = pt.build_ledger(pt.Book(partner, clients=clients, deals=deals), program)
for batch in ledger:
    print(batch.client, batch.market, batch.points)
# --8<-- [end:growth]

# --8<-- [start:expiry]
batch = ledger.batch("sold:d-us")
print("earned on", batch.earned_on, "- expires on", batch.expires_on)
for day in (dt.date(2026, 7, 31), dt.date(2026, 8, 1)):
    print(day, "sold points", ledger.totals(day).sold, "active", batch.active_on(day))
# --8<-- [end:expiry]

# --8<-- [start:managed]
managed_client = pt.Client(pt.ClientId("c-m"), "M", "DE", pt.Relationship.MANAGED)
subscription = pt.Subscription(
    pt.SubscriptionId("s-m"),
    managed_client.id,
    "service-hub",
    "professional",
    pt.Money("880.00", "EUR"),
    started_on=dt.date(2024, 1, 1),
    renews_on=dt.date(2026, 1, 1),
)
service = pt.ManagedService(managed_client.id, since=dt.date(2024, 1, 1), partners=2)
book = pt.Book(
    partner,
    clients=[managed_client],
    subscriptions=[subscription],
    managed_services=[service],
)
ledger = pt.build_ledger(book, program)
for day in (dt.date(2024, 6, 30), dt.date(2025, 7, 14), dt.date(2025, 7, 15)):
    print(day, "managed points:", ledger.totals(day).managed)
# --8<-- [end:managed]

# --8<-- [start:negative]
sold = pt.Client(pt.ClientId("c-2"), "Client Two", "US", pt.Relationship.SOLD)
deals = [
    pt.Deal(
        pt.DealId("d-new"),
        sold.id,
        "marketing-hub",
        pt.DealKind.NEW,
        pt.SalesMotion.SOURCED,
        dt.date(2025, 1, 10),
        pt.Money("2000", "USD"),
    ),
    pt.Deal(
        pt.DealId("d-down"),
        sold.id,
        "marketing-hub",
        pt.DealKind.DOWNGRADE,
        pt.SalesMotion.NONE,
        dt.date(2025, 5, 1),
        pt.Money("-500", "USD"),
    ),
]
ledger = pt.build_ledger(pt.Book(partner, clients=[sold], deals=deals), program)
for batch in ledger:
    print(f"{batch.id}: {batch.points} from {batch.earned_on} to {batch.expires_on}")
for day in (dt.date(2025, 4, 30), dt.date(2025, 5, 1), dt.date(2026, 1, 10)):
    print(day, "sold points:", ledger.totals(day).sold)
# --8<-- [end:negative]
