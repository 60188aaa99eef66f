"""What the tabular views share: ``to_dict()`` for JSON, ``records()``, ``to_pandas()`` and
``to_polars()`` through the optional extras, and ``_repr_html_()`` for notebooks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from partner_tiers._errors import require
from partner_tiers._html import table_html
from partner_tiers._ledger.ledger import Market, Track
from partner_tiers._model.records import RenewalOwner, SalesMotion

__all__ = ["Table", "plain"]


def plain(value: Any) -> Any:
    """JSON-ready: Decimals as strings, dates as ISO strings, enums as values."""
    if attrs.has(type(value)):
        return {
            f.name: plain(getattr(value, f.name))
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
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, frozenset)):
        return [plain(v) for v in value]
    return value


class Table:
    """Shared behaviour of the views that are lists of rows."""

    rows: Sequence[Any]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: decimals as strings, dates as ISO strings."""
        data: dict[str, Any] = plain(self)
        return data

    def records(self) -> list[dict[str, Any]]:
        """The rows as plain dicts (Decimals and dates kept)."""
        return [
            {f.name: getattr(row, f.name) for f in attrs.fields(type(row))} for row in self.rows
        ]

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame (needs the ``pandas`` extra)."""
        with require("pandas"):
            import pandas as pd

        return pd.DataFrame(self.records())

    def to_polars(self) -> Any:
        """The rows as a polars DataFrame (needs the ``polars`` extra)."""
        with require("polars"):
            import polars as pl

        return pl.DataFrame(self.records())

    def _repr_html_(self) -> str:
        records = self.records()
        headers = list(records[0]) if records else []
        return table_html(headers, ([r[h] for h in headers] for r in records), type(self).__name__)
