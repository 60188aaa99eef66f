"""partner_tiers: the rules of solutions-partner tier programs.

Model a partner's book as immutable records, price deals and managed service into points,
and decide tiers with an explanation for every number. The public API is what this module
exports; everything in underscored modules is private.
"""

from partner_tiers._book import Book
from partner_tiers._bookfile import (
    book_from_dict,
    book_to_dict,
    dump_book,
    dumps_book,
    load_book,
    loads_book,
)
from partner_tiers._errors import (
    BookIntegrityError,
    FileFormatError,
    InvalidRecordError,
    LedgerError,
    PartnerTiersError,
    PricingError,
    Problem,
    ProgramError,
    ProgramValidationError,
    UnknownProgramError,
)
from partner_tiers._ledger import LedgerTotals, Market, Movements, PointBatch, PointsLedger, Track
from partner_tiers._records import (
    Certification,
    Client,
    Deal,
    DealKind,
    ManagedService,
    Partner,
    Relationship,
    RenewalOwner,
    RenewalProposal,
    SalesMotion,
    Subscription,
)
from partner_tiers._values import (
    CertificationId,
    ClientId,
    DealId,
    Money,
    PartnerId,
    SubscriptionId,
)

__version__ = "0.1.0"

__all__ = [
    "Book",
    "BookIntegrityError",
    "Certification",
    "CertificationId",
    "Client",
    "ClientId",
    "Deal",
    "DealId",
    "DealKind",
    "FileFormatError",
    "InvalidRecordError",
    "LedgerError",
    "LedgerTotals",
    "ManagedService",
    "Market",
    "Money",
    "Movements",
    "Partner",
    "PartnerId",
    "PartnerTiersError",
    "PointBatch",
    "PointsLedger",
    "PricingError",
    "Problem",
    "ProgramError",
    "ProgramValidationError",
    "Relationship",
    "RenewalOwner",
    "RenewalProposal",
    "SalesMotion",
    "Subscription",
    "SubscriptionId",
    "Track",
    "UnknownProgramError",
    "__version__",
    "book_from_dict",
    "book_to_dict",
    "dump_book",
    "dumps_book",
    "load_book",
    "loads_book",
]
