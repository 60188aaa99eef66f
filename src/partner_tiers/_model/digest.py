"""Content hashes: SHA-256 of a canonical serialisation, the same on every run and machine.

The canonical form is JSON with sorted keys and no whitespace; numbers (Decimals and
ints) are written as normalised decimal strings (``1200.00`` and ``1200`` are the same
amount, so they hash the same), dates as ``YYYY-MM-DD`` and sets sorted. A book is
hashed in the shape of its file (``from`` rather than ``since``), so the hash belongs to
the file's content rather than to the library's attribute names.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal

from partner_tiers._errors import InvalidRecordError
from partner_tiers._model.book import Book
from partner_tiers._model.convert import make_converter
from partner_tiers._model.mrr import MrrEntry
from partner_tiers._model.records import ManagedService

__all__ = ["BOOK_RENAMES", "book_hash", "canonical_json", "content_hash"]

BOOK_RENAMES = {(ManagedService, "since"): "from", (MrrEntry, "since"): "from"}
"""Attributes whose key in a book file differs from their name in Python."""

_native_books = make_converter(BOOK_RENAMES, native=True)


def _number(value: Decimal) -> str:
    if value == 0:
        return "0"  # also -0 and 0E+3
    return format(value.normalize(), "f")


def _canonical(data: object) -> object:
    """Plain data with every number, date and enum as a string, keys as strings."""
    if isinstance(data, bool) or data is None or isinstance(data, str):
        return data
    if isinstance(data, enum.Enum):
        return _canonical(data.value)
    if isinstance(data, (int, Decimal)):
        return _number(Decimal(data))
    if isinstance(data, dt.date):
        return data.isoformat()
    if isinstance(data, Mapping):
        return {str(key): _canonical(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_canonical(item) for item in data]
    if isinstance(data, (set, frozenset)):
        return sorted((_canonical(item) for item in data), key=canonical_json)
    raise TypeError(f"cannot hash a {type(data).__name__}: {data!r}")


def canonical_json(data: object) -> str:
    """The canonical JSON text of plain data: sorted keys, no whitespace, numbers as
    normalised decimal strings, dates as ISO text."""
    return json.dumps(_canonical(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(data: object) -> str:
    """The SHA-256 hex digest of the canonical JSON of plain data."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def book_hash(book: Book) -> str:
    """The content hash of a book: equal books (as ``==`` sees them) hash the same,
    whatever order their records' dicts were built in and whatever file they came from.

    Raises:
        InvalidRecordError: when ``book`` is not a Book.
    """
    if not isinstance(book, Book):
        raise InvalidRecordError("book", book, "must be a Book")
    return content_hash(_native_books.unstructure(book))
