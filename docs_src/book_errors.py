"""How-to: the errors of a broken book file, each with its JSON path."""

import json

import partner_tiers as pt

# --8<-- [start:minimal]
book = pt.load_book("book-minimal.json")
print(book.partner.name, "-", len(book.clients), "client,", len(book.deals), "deal")
print("facts:", dict(book.facts))
# --8<-- [end:minimal]

# --8<-- [start:problems]
try:
    pt.load_book("book-broken.json")
except pt.FileFormatError as error:
    print(len(error.problems), "problems in", error.source)
    for problem in error.problems:
        print(f"  {problem.path}: {problem.message}")
# --8<-- [end:problems]

# --8<-- [start:integrity]
data = json.loads(pt.dumps_book(book))
data["deals"][0]["client"] = "c-initech"  # a client the book does not have
try:
    pt.book_from_dict(data, source="edited book")
except pt.FileFormatError as error:
    print(error)
# --8<-- [end:integrity]

# --8<-- [start:roundtrip]
pt.dump_book(book, "book-copy.json")  # written atomically; amounts as strings
print("same book:", pt.load_book("book-copy.json") == book)
# --8<-- [end:roundtrip]
