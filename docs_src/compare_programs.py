"""How-to: what changed between two programs, and what it does to partners."""

# --8<-- [start:diff]
import datetime as dt

import attrs

import partner_tiers as pt

old = pt.load_program("hubspot-2024")
new = pt.load_program("hubspot-2025")

diff = pt.diff_programs(old, new)
print(diff.a, "->", diff.b, ":", len(diff.changes), "changes")
for change in diff.changes:
    if change.path.startswith(("tracks", "tiers[gold]")):
        print(change)
# --8<-- [end:diff]

# --8<-- [start:changes]
for change in diff.changes:
    if change.kind != "changed" or not change.path.endswith(".reach.total"):
        continue
    print(f"{change.path}: {change.before} -> {change.after}")
# --8<-- [end:changes]

# --8<-- [start:books]
# Stand-ins for your partners' books: the example book, the same partner with every deal
# partner-assisted, and the same partner with one more sourced deal.
book = pt.load_book("book.json")


def variant(partner_id: str, book: pt.Book, **changes: object) -> pt.Book:
    """The book under another partner id, with some of its records changed."""
    partner = attrs.evolve(book.partner, id=pt.PartnerId(partner_id))
    return attrs.evolve(book, partner=partner, **changes)


assisted = tuple(attrs.evolve(d, motion=pt.SalesMotion.ASSISTED) for d in book.deals)
contoso = pt.Client(pt.ClientId("c-contoso"), "Contoso Ltd", "US", pt.Relationship.SOLD)
bigger = pt.Deal(
    pt.DealId("d-6"),
    contoso.id,
    "content-hub",
    pt.DealKind.NEW,
    pt.SalesMotion.SOURCED,
    dt.date(2025, 9, 1),
    pt.Money("2000.00", "USD"),
)
books = [
    book,
    variant("p-assisted", book, deals=assisted),
    variant(
        "p-growing",
        book,
        clients=(*book.clients, contoso),
        deals=(*book.deals, bigger),
    ),
]
# --8<-- [end:books]

# --8<-- [start:impact]
impact = pt.program_impact(books, old, new, as_of=dt.date(2025, 9, 30))
print(impact)
for partner, (before, after) in impact.moves.items():
    print(f"{partner}: {before or 'untiered'} -> {after or 'untiered'}")
# --8<-- [end:impact]
