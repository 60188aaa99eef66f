"""partner_tiers: the rules of solutions-partner tier programs.

Model a partner's book as immutable records, price deals and managed service into points,
and decide tiers with an explanation for every number. The public API is what this module
exports; everything in underscored modules is private.
"""

from partner_tiers._engine.evaluate import evaluate, statuses
from partner_tiers._engine.explain import Explanation, Reason
from partner_tiers._engine.ledgers import build_ledger
from partner_tiers._engine.receipt import Receipt
from partner_tiers._engine.status import ChangeCause, TierChange, TierStatus
from partner_tiers._engine.timeline import Timeline, timeline
from partner_tiers._errors import (
    BookIntegrityError,
    FileFormatError,
    InvalidRecordError,
    InvalidTypeError,
    LedgerError,
    MissingExtraError,
    PartnerTiersError,
    PartnerTiersWarning,
    PricingError,
    Problem,
    ProgramError,
    ProgramValidationError,
    UnknownIdError,
    UnknownProgramError,
)
from partner_tiers._io.bookfile import (
    book_from_dict,
    book_to_dict,
    demo_book,
    dump_book,
    dumps_book,
    load_book,
    loads_book,
)
from partner_tiers._io.programfile import (
    dumps_program,
    list_programs,
    load_program,
    load_series,
    loads_program,
    program_from_dict,
    program_to_dict,
)
from partner_tiers._io.schema import program_schema
from partner_tiers._ledger.ledger import (
    LedgerTotals,
    Market,
    Movements,
    PointBatch,
    PointsLedger,
    Track,
)
from partner_tiers._model.book import Book
from partner_tiers._model.digest import book_hash
from partner_tiers._model.mrr import MrrEntry
from partner_tiers._model.records import (
    DEAL_TYPES_RENAMED_ON,
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
    TeamMember,
    TeamRole,
)
from partner_tiers._model.values import (
    CertificationId,
    ClientId,
    DealId,
    Money,
    PartnerId,
    SubscriptionId,
)
from partner_tiers._rules.context import ChangeDays, Context
from partner_tiers._rules.digest import program_hash
from partner_tiers._rules.gates import GateOutcome, GateParam, GateResult, GateRule, GateSpec
from partner_tiers._rules.ladder import Tier
from partner_tiers._rules.policy import Promotion, ReviewPolicy
from partner_tiers._rules.program import Program, check_program
from partner_tiers._rules.rates import (
    CurrencyTable,
    ExpiryRule,
    GrowthMarkets,
    RateRow,
    RoundingMode,
    RoundingRule,
    Source,
)
from partner_tiers._rules.registry import Registry
from partner_tiers._rules.series import ProgramSeries
from partner_tiers._rules.tracks import TrackRule, TrackSpec
from partner_tiers._views.dashboard import (
    Alert,
    Alerts,
    ClientDetails,
    ClientRow,
    ClientsTable,
    alerts,
    client_details,
    clients_table,
    engagement_band,
)
from partner_tiers._views.diff import Change, ProgramDiff, diff_programs
from partner_tiers._views.difference import (
    Cause,
    CauseKind,
    Difference,
    GateChange,
    TrackDifference,
    explain_difference,
)
from partner_tiers._views.hypothetical import default_client
from partner_tiers._views.impact import ImpactMatrix, program_impact
from partner_tiers._views.needed import Needed, needed_to_keep, needed_to_reach
from partner_tiers._views.performance import AccountPerformance, account_performance
from partner_tiers._views.plan import Action, Plan, plan
from partner_tiers._views.points import (
    PointsBreakdown,
    PointsRow,
    Progress,
    deal_type_name,
    points_breakdown,
    progress,
    rolling_mrr,
)
from partner_tiers._views.projection import (
    PROJECTION_MONTHS,
    ExpiringBatch,
    Projection,
    projection,
)
from partner_tiers._views.report import report_html
from partner_tiers._views.sales import Sale, SalesHistory, sales_history
from partner_tiers._views.services import (
    EndServices,
    end_services,
    end_services_effect,
    without_client,
)
from partner_tiers._views.team import Team, TeamContact, team
from partner_tiers._views.whatif import ScenarioGateChange, WhatIf, cliff_date, what_if

__version__ = "0.1.0"

__all__ = [
    "DEAL_TYPES_RENAMED_ON",
    "PROJECTION_MONTHS",
    "AccountPerformance",
    "Action",
    "Alert",
    "Alerts",
    "Book",
    "BookIntegrityError",
    "Cause",
    "CauseKind",
    "Certification",
    "CertificationId",
    "Change",
    "ChangeCause",
    "ChangeDays",
    "Client",
    "ClientDetails",
    "ClientId",
    "ClientRow",
    "ClientsTable",
    "Context",
    "CurrencyTable",
    "Deal",
    "DealId",
    "DealKind",
    "Difference",
    "EndServices",
    "ExpiringBatch",
    "ExpiryRule",
    "Explanation",
    "FileFormatError",
    "GateChange",
    "GateOutcome",
    "GateParam",
    "GateResult",
    "GateRule",
    "GateSpec",
    "GrowthMarkets",
    "ImpactMatrix",
    "InvalidRecordError",
    "InvalidTypeError",
    "LedgerError",
    "LedgerTotals",
    "ManagedService",
    "Market",
    "MissingExtraError",
    "Money",
    "Movements",
    "MrrEntry",
    "Needed",
    "Partner",
    "PartnerId",
    "PartnerTiersError",
    "PartnerTiersWarning",
    "Plan",
    "PointBatch",
    "PointsBreakdown",
    "PointsLedger",
    "PointsRow",
    "PricingError",
    "Problem",
    "Program",
    "ProgramDiff",
    "ProgramError",
    "ProgramSeries",
    "ProgramValidationError",
    "Progress",
    "Projection",
    "Promotion",
    "RateRow",
    "Reason",
    "Receipt",
    "Registry",
    "Relationship",
    "RenewalOwner",
    "RenewalProposal",
    "ReviewPolicy",
    "RoundingMode",
    "RoundingRule",
    "Sale",
    "SalesHistory",
    "SalesMotion",
    "ScenarioGateChange",
    "Source",
    "Subscription",
    "SubscriptionId",
    "Team",
    "TeamContact",
    "TeamMember",
    "TeamRole",
    "Tier",
    "TierChange",
    "TierStatus",
    "Timeline",
    "Track",
    "TrackDifference",
    "TrackRule",
    "TrackSpec",
    "UnknownIdError",
    "UnknownProgramError",
    "WhatIf",
    "__version__",
    "account_performance",
    "alerts",
    "book_from_dict",
    "book_hash",
    "book_to_dict",
    "build_ledger",
    "check_program",
    "client_details",
    "clients_table",
    "cliff_date",
    "deal_type_name",
    "default_client",
    "demo_book",
    "diff_programs",
    "dump_book",
    "dumps_book",
    "dumps_program",
    "end_services",
    "end_services_effect",
    "engagement_band",
    "evaluate",
    "explain_difference",
    "list_programs",
    "load_book",
    "load_program",
    "load_series",
    "loads_book",
    "loads_program",
    "needed_to_keep",
    "needed_to_reach",
    "plan",
    "points_breakdown",
    "program_from_dict",
    "program_hash",
    "program_impact",
    "program_schema",
    "program_to_dict",
    "progress",
    "projection",
    "report_html",
    "rolling_mrr",
    "sales_history",
    "statuses",
    "team",
    "timeline",
    "what_if",
    "without_client",
]
