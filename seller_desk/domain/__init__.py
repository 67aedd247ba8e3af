"""Seller Desk's domain: vocabularies, money, entities, state machines and seller rules.

Plain Python (stdlib plus `holidays`) with no Qt, SQLAlchemy, HTTP or pandas, so every layer can import
it and every rule can be tested on its own. The names most callers need are re-exported here; the
modules stay the place to read why.
"""

from seller_desk.domain.entities import (
    ComponentAmounts,
    LineAmounts,
    Order,
    OrderLine,
    Shipment,
    SkuStock,
    TrackingEvent,
)
from seller_desk.domain.enums import (
    CanonicalReason,
    Channel,
    ChargeComponent,
    ConditionGrade,
    DecisionKind,
    Disposition,
    LabelPaidBy,
    MutationKind,
    MutationStatus,
    RefundSource,
    RefundState,
    Resolution,
    ReturnStatus,
    ShipmentDirection,
    TrackingStatus,
)
from seller_desk.domain.errors import (
    CurrencyMismatch,
    DomainError,
    IllegalTransition,
    InvalidMoney,
    InvariantViolation,
    PolicyViolation,
    RefundCapExceeded,
    UnknownMarketplace,
    UnknownTrackingCode,
)
from seller_desk.domain.lifecycle import (
    allowed_targets,
    can_transition,
    is_terminal,
    transition,
)
from seller_desk.domain.marketplaces import (
    MARKETPLACES,
    Marketplace,
    marketplace,
    marketplace_by_amazon_id,
)
from seller_desk.domain.money import (
    Money,
    allocate,
    minor_exponent,
    percent_of,
    total,
    zero,
)
from seller_desk.domain.reasons import MappedReason, map_reason, reason_label
from seller_desk.domain.return_entities import (
    Decision,
    Inspection,
    RefundRequest,
    Return,
    ReturnLine,
)
from seller_desk.domain.tracking import (
    TrackingSource,
    normalize_tracking_code,
    return_status_after_scan,
    try_normalize_tracking_code,
)

__all__ = [
    "MARKETPLACES",
    "CanonicalReason",
    "Channel",
    "ChargeComponent",
    "ComponentAmounts",
    "ConditionGrade",
    "CurrencyMismatch",
    "Decision",
    "DecisionKind",
    "Disposition",
    "DomainError",
    "IllegalTransition",
    "Inspection",
    "InvalidMoney",
    "InvariantViolation",
    "LabelPaidBy",
    "LineAmounts",
    "MappedReason",
    "Marketplace",
    "Money",
    "MutationKind",
    "MutationStatus",
    "Order",
    "OrderLine",
    "PolicyViolation",
    "RefundCapExceeded",
    "RefundRequest",
    "RefundSource",
    "RefundState",
    "Resolution",
    "Return",
    "ReturnLine",
    "ReturnStatus",
    "Shipment",
    "ShipmentDirection",
    "SkuStock",
    "TrackingEvent",
    "TrackingSource",
    "TrackingStatus",
    "UnknownMarketplace",
    "UnknownTrackingCode",
    "allocate",
    "allowed_targets",
    "can_transition",
    "is_terminal",
    "map_reason",
    "marketplace",
    "marketplace_by_amazon_id",
    "minor_exponent",
    "normalize_tracking_code",
    "percent_of",
    "reason_label",
    "return_status_after_scan",
    "total",
    "transition",
    "try_normalize_tracking_code",
    "zero",
]
