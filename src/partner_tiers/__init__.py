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
from partner_tiers._context import Context
from partner_tiers._engine import TierChange, TierStatus, evaluate, statuses
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
from partner_tiers._explain import Explanation, Reason
from partner_tiers._gates import GateOutcome, GateResult, GateRule, GateSpec
from partner_tiers._ladder import Tier
from partner_tiers._ledger import LedgerTotals, Market, Movements, PointBatch, PointsLedger, Track
from partner_tiers._policy import Promotion, ReviewPolicy
from partner_tiers._pricing import build_ledger
from partner_tiers._program import Program
from partner_tiers._programfile import (
    check_program,
    dumps_program,
    list_programs,
    load_program,
    loads_program,
    program_from_dict,
    program_to_dict,
)
from partner_tiers._rates import (
    CurrencyTable,
    ExpiryRule,
    GrowthMarkets,
    RateRow,
    RoundingMode,
    RoundingRule,
    Source,
)
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
from partner_tiers._registry import Registry
from partner_tiers._timeline import Timeline, timeline
from partner_tiers._tracks import TrackRule, TrackSpec
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
    "Context",
    "CurrencyTable",
    "Deal",
    "DealId",
    "DealKind",
    "ExpiryRule",
    "Explanation",
    "FileFormatError",
    "GateOutcome",
    "GateResult",
    "GateRule",
    "GateSpec",
    "GrowthMarkets",
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
    "Program",
    "ProgramError",
    "ProgramValidationError",
    "Promotion",
    "RateRow",
    "Reason",
    "Registry",
    "Relationship",
    "RenewalOwner",
    "RenewalProposal",
    "ReviewPolicy",
    "RoundingMode",
    "RoundingRule",
    "SalesMotion",
    "Source",
    "Subscription",
    "SubscriptionId",
    "Tier",
    "TierChange",
    "TierStatus",
    "Timeline",
    "Track",
    "TrackRule",
    "TrackSpec",
    "UnknownProgramError",
    "__version__",
    "book_from_dict",
    "book_to_dict",
    "build_ledger",
    "check_program",
    "dump_book",
    "dumps_book",
    "dumps_program",
    "evaluate",
    "list_programs",
    "load_book",
    "load_program",
    "loads_book",
    "loads_program",
    "program_from_dict",
    "program_to_dict",
    "statuses",
    "timeline",
]
