"""The kinds a book's records take their values from: how a client relates to the
partner, what a deal did, who drove it (with the deal-type names of 2025), and who owns
a renewal."""

from __future__ import annotations

import datetime as dt
import enum

__all__ = ["DEAL_TYPES_RENAMED_ON", "DealKind", "Relationship", "RenewalOwner", "SalesMotion"]


class Relationship(enum.StrEnum):
    """How a client is tied to the partner (the dashboard's "relationship" column)."""

    SOLD = "sold"
    MANAGED = "managed"
    SOLD_AND_MANAGED = "sold_and_managed"


class DealKind(enum.StrEnum):
    """What a deal did to the client's subscriptions.

    ``adjustment`` is a subscription change without a deal, e.g. a discount change at
    renewal; its MRR change may have either sign.
    """

    NEW = "new"
    CROSS_SELL = "cross_sell"
    UPSELL = "upsell"
    DOWNGRADE = "downgrade"
    CHURN = "churn"
    ADJUSTMENT = "adjustment"

    @property
    def earns(self) -> bool:
        """True for the kinds that add MRR (new, cross-sell, upsell)."""
        return self in _EARNING

    @property
    def reduces(self) -> bool:
        """True for the kinds that take MRR away (downgrade, churn)."""
        return self in _REDUCING


_EARNING = frozenset({DealKind.NEW, DealKind.CROSS_SELL, DealKind.UPSELL})
_REDUCING = frozenset({DealKind.DOWNGRADE, DealKind.CHURN})


DEAL_TYPES_RENAMED_ON = dt.date(2025, 7, 15)
"""The day HubSpot renamed the deal types: "partner collab" for partner-sourced, "DIFM"
for partner-assisted."""


class SalesMotion(enum.StrEnum):
    """Who drove a deal: partner-sourced ("partner collab" from 2025-07-15),
    partner-assisted ("DIFM"), or neither (adjustments, managed credit).

    ``SalesMotion("partner collab")`` and ``SalesMotion("DIFM")`` give the members too:
    the 2025 names are aliases, read in any case, with a space, ``-`` or ``_`` between
    the words. A book file may use them; it is written back with the values.
    """

    SOURCED = "sourced"
    ASSISTED = "assisted"
    NONE = "none"

    @classmethod
    def _missing_(cls, value: object) -> SalesMotion | None:
        if not isinstance(value, str):
            return None
        words = value.replace("-", " ").replace("_", " ").casefold().split()
        return _MOTION_ALIASES.get(" ".join(words))

    def name_on(self, day: dt.date) -> str:
        """The deal type's name in force on the day: ``partner collab`` and ``DIFM`` from
        2025-07-15 (`DEAL_TYPES_RENAMED_ON`), ``sourced`` and ``assisted`` before."""
        if day >= DEAL_TYPES_RENAMED_ON and self in _NAMES_FROM_2025:
            return _NAMES_FROM_2025[self]
        return self.value


_NAMES_FROM_2025 = {SalesMotion.SOURCED: "partner collab", SalesMotion.ASSISTED: "DIFM"}
_MOTION_ALIASES = {name.casefold(): motion for motion, name in _NAMES_FROM_2025.items()}


class RenewalOwner(enum.StrEnum):
    """Who owns the renewal communication with the client."""

    PARTNER = "partner"
    VENDOR = "vendor"
