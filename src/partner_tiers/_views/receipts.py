"""Verifying a receipt: replay a recorded evaluation and say whether it comes out the same.

A recorded evaluation is the JSON that ``evaluate --json`` prints (`TierStatus.to_dict`):
its ``receipt`` says what the decision was made from, and its ``tier``,
``qualified_tier`` and ``values`` what was decided. `verify_receipt` evaluates the book
again under the program on the receipt's date and compares both the outcome and the
hashes, so a difference says whether the book or the program changed since.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

from attrs import frozen

from partner_tiers._engine.evaluate import evaluate
from partner_tiers._engine.receipt import LIBRARY_VERSION, Receipt
from partner_tiers._engine.status import TierStatus
from partner_tiers._errors import FileFormatError, Problem
from partner_tiers._model.book import Book
from partner_tiers._model.convert import decode_text, parse_json
from partner_tiers._model.digest import book_hash
from partner_tiers._model.values import check_path, frozen_map
from partner_tiers._rules.digest import program_hash
from partner_tiers._rules.program import Program
from partner_tiers._rules.series import ProgramSeries

__all__ = [
    "RecordedDecision",
    "Verification",
    "load_recorded",
    "recorded_from_dict",
    "verify_receipt",
]

MAX_RECEIPT_BYTES = 16 * 1024 * 1024
_HASH = re.compile(r"[0-9a-f]{64}")


@frozen
class RecordedDecision:
    """A decision as recorded: its receipt and what it decided.

    Attributes:
        receipt: what the decision was made from.
        tier: the tier held (None: untiered).
        qualified_tier: the tier points and gates alone gave.
        values: every track's value.
    """

    receipt: Receipt
    tier: str | None
    qualified_tier: str | None
    values: Mapping[str, Decimal]


class _Reader:
    """Reads typed values out of a JSON object, collecting a problem per bad key."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def text(self, data: Mapping[str, object], key: str, path: str, *, null: bool = False) -> str:
        value = data.get(key)
        if value is None and null and key in data:
            return ""
        if not isinstance(value, str) or not value:
            expected = "a string or null" if null else "a string"
            self.problems.append(Problem(f"{path}{key}", f"must be {expected}", value))
            return ""
        return value

    def hash(self, data: Mapping[str, object], key: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not _HASH.fullmatch(value):
            self.problems.append(
                Problem(f"receipt.{key}", "must be a SHA-256 hex digest (64 hex digits)", value)
            )
            return ""
        return value

    def day(self, data: Mapping[str, object], key: str, *, null: bool = False) -> dt.date | None:
        value = data.get(key)
        if value is None and null:
            return None
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        expected = "a date as YYYY-MM-DD or null" if null else "a date as YYYY-MM-DD"
        self.problems.append(Problem(f"receipt.{key}", f"must be {expected}", value))
        return None

    def values(self, data: Mapping[str, object]) -> dict[str, Decimal]:
        values = data.get("values")
        if not isinstance(values, Mapping):
            self.problems.append(Problem("values", "must be an object of track values", values))
            return {}
        read = {}
        for track, value in values.items():
            try:
                read[str(track)] = Decimal(value)
            except (TypeError, ValueError, InvalidOperation):
                self.problems.append(Problem(f"values.{track}", "must be a decimal string", value))
            else:
                if not isinstance(value, str) or not read[str(track)].is_finite():
                    self.problems.append(
                        Problem(f"values.{track}", "must be a decimal string", value)
                    )
        return read


def recorded_from_dict(data: object, *, source: str = "<data>") -> RecordedDecision:
    """A recorded decision from the data of ``evaluate --json``.

    Raises:
        FileFormatError: naming the path of every bad or missing key.
    """
    if not isinstance(data, Mapping):
        raise FileFormatError(source, [Problem("", "must be a JSON object", type(data).__name__)])
    receipt = data.get("receipt")
    if not isinstance(receipt, Mapping):
        raise FileFormatError(source, [Problem("receipt", "must be a receipt object", receipt)])
    read = _Reader()
    fields = (
        read.text(receipt, "program", "receipt."),
        read.hash(receipt, "program_hash"),
        read.text(receipt, "version", "receipt."),
        read.hash(receipt, "book_hash"),
        read.day(receipt, "as_of"),
        read.day(receipt, "known_at", null=True),
        read.text(receipt, "library_version", "receipt."),
    )
    tier = read.text(data, "tier", "", null=True) or None
    qualified = read.text(data, "qualified_tier", "", null=True) or None
    values = read.values(data)
    if read.problems:
        raise FileFormatError(source, read.problems)
    program, program_digest, version, book_digest, as_of, known_at, library = fields
    assert isinstance(as_of, dt.date)
    return RecordedDecision(
        Receipt(program, program_digest, version, book_digest, as_of, known_at, library),
        tier,
        qualified,
        frozen_map(values),
    )


def load_recorded(path: str | os.PathLike[str]) -> RecordedDecision:
    """Read a recorded decision (the output of ``evaluate --json``) from a JSON file.

    Raises:
        FileFormatError: when the file is missing, not JSON, or a key is bad or missing;
            the message names the file and the key's path (``receipt.book_hash``).
    """
    source = check_path("path", path)
    try:
        raw = Path(source).read_bytes()
    except OSError as error:
        raise FileFormatError(source, [Problem("", f"cannot be read: {error.strerror}")]) from None
    text = decode_text(raw, source, FileFormatError, MAX_RECEIPT_BYTES)
    return recorded_from_dict(parse_json(text, source, FileFormatError), source=source)


@frozen
class Verification:
    """A recorded decision against its replay.

    Attributes:
        recorded: the decision as recorded.
        replayed: the status the book and program give now.
        differences: one line per difference in outcome (tier, qualified tier, a
            track's value, the version that judged the day) or input (book or program
            changed since); empty when the replay is the same.
        book_hash: the book's hash now.
        program_hash: the program's hash now.
    """

    recorded: RecordedDecision
    replayed: TierStatus
    differences: tuple[str, ...]
    book_hash: str
    program_hash: str

    @property
    def same(self) -> bool:
        """Whether the replay came out the same from the same book and program."""
        return not self.differences

    def lines(self) -> list[str]:
        """``same`` with the decision, or ``different`` and a line per difference; a
        note when another library version made the decision."""
        receipt = self.recorded.receipt
        if self.same:
            lines = [
                f"same: tier {self.replayed.tier or 'untiered'} (qualified "
                f"{self.replayed.qualified_tier or 'untiered'}) on {receipt.as_of} under "
                f"{self.replayed.program}"
            ]
        else:
            lines = ["different:", *(f"  {line}" for line in self.differences)]
        if receipt.library_version != LIBRARY_VERSION:
            lines.append(
                f"note: recorded by partner-tiers {receipt.library_version}, replayed by "
                f"{LIBRARY_VERSION}"
            )
        return lines


def _changed(name: str, recorded: object, now: object, *, missing: str = "untiered") -> str:
    shown = [missing if value is None else str(value) for value in (recorded, now)]
    return f"{name}: {shown[0]} recorded, {shown[1]} now"


def _outcome_differences(recorded: RecordedDecision, status: TierStatus) -> list[str]:
    found = []
    if recorded.receipt.version != status.program:
        found.append(_changed("version", recorded.receipt.version, status.program))
    if recorded.tier != status.tier:
        found.append(_changed("tier", recorded.tier, status.tier))
    if recorded.qualified_tier != status.qualified_tier:
        found.append(_changed("qualified_tier", recorded.qualified_tier, status.qualified_tier))
    for track in sorted(set(recorded.values) | set(status.values)):
        before, now = recorded.values.get(track), status.values.get(track)
        if before != now:
            found.append(_changed(f"values.{track}", before, now, missing="none"))
    return found


def verify_receipt(
    recorded: RecordedDecision, book: Book, program: Program | ProgramSeries
) -> Verification:
    """Replay a recorded decision: evaluate the book under the program on the receipt's
    date, and compare the outcome and the book's and program's hashes.

    A receipt with a ``known_at`` is replayed with the book as it was known on that day.
    """
    receipt = recorded.receipt
    status = evaluate(book, program, as_of=receipt.as_of, known_at=receipt.known_at)
    book_now, program_now = book_hash(book), program_hash(program)
    differences = _outcome_differences(recorded, status)
    if book_now != receipt.book_hash:
        differences.append(
            f"book changed since: book_hash {receipt.book_hash[:12]} recorded, {book_now[:12]} now"
        )
    if program_now != receipt.program_hash:
        differences.append(
            f"program changed since: program_hash {receipt.program_hash[:12]} recorded "
            f"({receipt.program}), {program_now[:12]} now ({program.label})"
        )
    return Verification(recorded, status, tuple(differences), book_now, program_now)
