"""Reference: the exception hierarchy, and one example of each error."""

# --8<-- [start:tree]
import datetime as dt
import json
from collections.abc import Callable

import partner_tiers as pt


def show_tree(cls: type[BaseException], depth: int = 0) -> None:
    """Print an exception class and its subclasses exported by partner_tiers."""
    builtins = [b.__name__ for b in cls.__bases__ if b.__module__ == "builtins"]
    extra = f"  (also {', '.join(builtins)})" if builtins and depth else ""
    print("    " * depth + cls.__name__ + extra)
    for sub in sorted(cls.__subclasses__(), key=lambda c: c.__name__):
        if getattr(pt, sub.__name__, None) is sub:
            show_tree(sub, depth + 1)


show_tree(pt.PartnerTiersError)
# --8<-- [end:tree]

# --8<-- [start:examples]
AS_OF = dt.date(2025, 9, 30)
book = pt.load_book("book.json")
program = pt.load_program("hubspot-2025")
chf = json.loads(pt.dumps_book(book))
chf["deals"][0]["mrr_change"]["currency"] = "CHF"  # not in the program's currency table

attempts: dict[str, Callable[[], object]] = {
    "a float amount": lambda: pt.Money(12.5, "USD"),
    "an unknown program": lambda: pt.load_program("hubspot-2030"),
    "a program with a mistake": lambda: pt.loads_program("name = 'x'", source="x.toml"),
    "a broken book file": lambda: pt.loads_book('{"partner": {}}', source="b.json"),
    "a deal in CHF": lambda: pt.evaluate(pt.book_from_dict(chf), program, as_of=AS_OF),
    "a datetime as_of": lambda: pt.evaluate(book, program, as_of=dt.datetime(2025, 9, 30)),
    "an unknown client": lambda: book.client("c-nobody"),
    "an unknown format": lambda: pt.dumps_program(program, "xml"),  # type: ignore[arg-type]
}
for what, attempt in attempts.items():
    try:
        attempt()
    except pt.PartnerTiersError as error:
        first_line = str(error).splitlines()[0]
        print(f"{what}: {type(error).__name__}: {first_line}")
# --8<-- [end:examples]
