"""What the tabular views share: ``to_dict()`` for JSON, ``records()``, ``to_pandas()`` and
``to_polars()`` through the optional extras, and ``_repr_html_()`` for notebooks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from partner_tiers._errors import require
from partner_tiers._html import table_html
from partner_tiers._ledger.ledger import Market, Track
from partner_tiers._model.records import RenewalOwner, SalesMotion

__all__ = ["Table", "float_records", "plain"]


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
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, frozenset)):
        return [plain(v) for v in value]
    return value


def float_records(records: list[dict[str, Any]], *, exact: bool = False) -> list[dict[str, Any]]:
    """The records with Decimal values as floats, for data frames (unchanged with
    ``exact``). Floats are for plotting; the library's own arithmetic stays Decimal."""
    if exact:
        return records
    return [
        {key: float(value) if isinstance(value, Decimal) else value for key, value in row.items()}
        for row in records
    ]


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

    def to_pandas(self, *, exact: bool = False) -> Any:
        """The rows as a pandas DataFrame (needs the ``pandas`` extra).

        Numbers are float64 columns, ready to plot and aggregate; ``exact=True`` keeps
        the Decimals (object columns). `records` and `to_dict` are always exact.
        """
        with require("pandas"):
            import pandas as pd

        return pd.DataFrame(float_records(self.records(), exact=exact))

    def to_polars(self, *, exact: bool = False) -> Any:
        """The rows as a polars DataFrame (needs the ``polars`` extra).

        Numbers are Float64 columns; ``exact=True`` keeps them as polars Decimals.
        """
        with require("polars"):
            import polars as pl

        return pl.DataFrame(float_records(self.records(), exact=exact))

    def _repr_html_(self) -> str:
        records = self.records()
        headers = list(records[0]) if records else []
        return table_html(headers, ([r[h] for h in headers] for r in records), type(self).__name__)
