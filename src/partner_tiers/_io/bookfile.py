"""Book files: the JSON format of a partner's book, read and written losslessly.

The format is the one of ``data/northwind.json``: a ``partner`` object and lists of
``certifications``, ``clients``, ``subscriptions`` (each with an optional
``mrr_history`` of ``{"from", "mrr"}`` rows), ``deals`` and ``managed_services``.
Amounts are decimal strings (``"1200.00"``), dates ``YYYY-MM-DD``. Unknown keys are
refused, and every problem is reported at once with its JSON path.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from partner_tiers._errors import FileFormatError, InvalidRecordError, Problem
from partner_tiers._model.book import Book
from partner_tiers._model.convert import decode_text, make_converter, parse_json, problems_from
from partner_tiers._model.digest import BOOK_RENAMES
from partner_tiers._model.values import check_path

__all__ = [
    "MAX_BOOK_BYTES",
    "book_from_dict",
    "book_to_dict",
    "demo_book",
    "dump_book",
    "dumps_book",
    "load_book",
    "loads_book",
]

MAX_BOOK_BYTES = 64 * 1024 * 1024
"""Book files larger than this are refused before parsing (64 MiB)."""

_RENAMES = BOOK_RENAMES
_converter = make_converter(_RENAMES)


def book_from_dict(data: object, *, source: str = "<data>") -> Book:
    """Structure a book from plain data (what ``json.load`` returns).

    Raises:
        FileFormatError: with every problem found, each with its path.
    """
    if not isinstance(data, Mapping):
        raise FileFormatError(source, [Problem("", "must be a JSON object", type(data).__name__)])
    try:
        return _converter.structure(data, Book)
    except InvalidRecordError as error:
        raise FileFormatError(source, problems_from(error, data, _RENAMES)) from None
    except Exception as error:  # noqa: BLE001 - cattrs' error groups, turned into problems
        problems = problems_from(error, data, _RENAMES)
        raise FileFormatError(source, problems) from None


def book_to_dict(book: Book) -> dict[str, Any]:
    """Plain JSON-ready data for a book; `book_from_dict` reads it back equal."""
    data: dict[str, Any] = _converter.unstructure(book)
    return data


def loads_book(text: str | bytes, *, source: str = "<string>") -> Book:
    """Read a book from JSON text (or UTF-8 bytes)."""
    decoded = decode_text(text, source, FileFormatError, MAX_BOOK_BYTES)
    return book_from_dict(parse_json(decoded, source, FileFormatError), source=source)


def load_book(path: str | os.PathLike[str]) -> Book:
    """Read a book file (the JSON format of ``data/northwind.json``).

    Raises:
        FileFormatError: when the file is missing, too large, not UTF-8 JSON, or its
            content breaks the format; the message names the file, the JSON path
            (``deals[3].mrr_change.currency``) and the value.
    """
    source = check_path("path", path)
    file = Path(source)
    try:
        size = file.stat().st_size
        if size > MAX_BOOK_BYTES:
            raise FileFormatError(
                source, [Problem("", f"is larger than {MAX_BOOK_BYTES} bytes", size)]
            )
        raw = file.read_bytes()
    except OSError as error:
        raise FileFormatError(source, [Problem("", f"cannot be read: {error.strerror}")]) from None
    return loads_book(raw, source=source)


def demo_book() -> Book:
    """The built-in demo book: Northwind Digital, the example of ``data/northwind.json``
    (three clients, five deals, two certifications, managed service in two markets)."""
    from importlib import resources

    text = (resources.files("partner_tiers") / "data" / "northwind.json").read_bytes()
    return loads_book(text, source="northwind.json")


def dumps_book(book: Book) -> str:
    """The book as JSON text, indented, keys in the format's order."""
    return json.dumps(book_to_dict(book), indent=2, ensure_ascii=False) + "\n"


def dump_book(book: Book, path: str | os.PathLike[str]) -> None:
    """Write the book to a file atomically: a temporary file beside it, then a rename."""
    from partner_tiers._io.files import write_atomically

    write_atomically(Path(path), dumps_book(book))
