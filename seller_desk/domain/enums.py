"""The closed vocabularies of Seller Desk.

Every status, reason and kind that crosses a layer boundary (store columns, wire payloads, CLI JSON)
is one of these string enums, so the value written to SQLite or JSON *is* the enum's value and no
layer needs a translation table. Values are stable: add members, never rename them.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """Who ships the order: the seller (merchant-fulfilled) or Amazon's warehouses."""

    MFN = "MFN"
    FBA = "FBA"


class ReturnStatus(StrEnum):
    """Return (RMA) lifecycle; see DOMAIN.md "Return lifecycle"."""

    REQUESTED = "requested"
    AUTHORIZED = "authorized"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    RECEIVED = "received"
    INSPECTED = "inspected"
    CLOSED = "closed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    LOST = "lost"
    RETURNLESS = "returnless"


class RefundState(StrEnum):
    """Refund request lifecycle as the backend (source of truth) reports it."""

    PENDING = "pending"
    APPROVED = "approved"
    SUBMITTED = "submitted"
    COMPLETED = "completed"
    FAILED = "failed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    AUTO_REFUNDED = "auto_refunded"


class RefundSource(StrEnum):
    """Who asked for the refund."""

    CUSTOMER = "customer"
    RETURN = "return"
    A_TO_Z = "a_to_z"
    MARKETPLACE = "marketplace"


class ChargeComponent(StrEnum):
    """Charged amount components of an order line (DOMAIN.md "Order")."""

    PRINCIPAL = "principal"
    SHIPPING = "shipping"
    TAX = "tax"
    SHIPPING_TAX = "shipping_tax"
    GIFT_WRAP = "gift_wrap"
    PROMOTION = "promotion"


class DecisionKind(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class ShipmentDirection(StrEnum):
    OUTBOUND = "outbound"
    INBOUND = "inbound"


class TrackingStatus(StrEnum):
    """Normalized carrier status, the union of what AfterShip and SP-API can say (AMAZON.md §6)."""

    PENDING = "pending"
    INFO_RECEIVED = "info_received"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    FAILED_ATTEMPT = "failed_attempt"
    AVAILABLE_FOR_PICKUP = "available_for_pickup"
    DELAYED = "delayed"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNED_TO_SENDER = "returned_to_sender"
    LOST = "lost"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class CanonicalReason(StrEnum):
    """The reasons charts group by; raw marketplace codes map onto these (DOMAIN.md)."""

    DEFECTIVE = "defective"
    DAMAGED_IN_TRANSIT = "damaged_in_transit"
    WRONG_ITEM = "wrong_item"
    NOT_AS_DESCRIBED = "not_as_described"
    SIZE_FIT = "size_fit"
    UNWANTED = "unwanted"
    BETTER_PRICE = "better_price"
    LATE_DELIVERY = "late_delivery"
    MISSING_PARTS = "missing_parts"
    INCOMPATIBLE = "incompatible"
    QUALITY = "quality"
    FRAUD = "fraud"
    UNDELIVERABLE = "undeliverable"
    OTHER = "other"


class ConditionGrade(StrEnum):
    """What the bench sees when it opens the parcel, best to worst."""

    NEW = "new"
    LIKE_NEW = "like_new"
    GOOD = "good"
    ACCEPTABLE = "acceptable"
    DAMAGED = "damaged"
    DEFECTIVE = "defective"
    WRONG_ITEM = "wrong_item"
    EMPTY = "empty"


class Disposition(StrEnum):
    """What happens to an inspected unit."""

    RESTOCK = "restock"
    REFURBISH = "refurbish"
    LIQUIDATE = "liquidate"
    DISPOSE = "dispose"
    RETURN_TO_VENDOR = "return_to_vendor"
    CLAIM = "claim"


class LabelPaidBy(StrEnum):
    SELLER = "seller"
    CUSTOMER = "customer"
    MARKETPLACE = "marketplace"


class Resolution(StrEnum):
    """How the marketplace resolves the return (flat file "Resolution")."""

    STANDARD_REFUND = "standard_refund"
    REFUND_AT_FIRST_SCAN = "refund_at_first_scan"
    RETURNLESS_REFUND = "returnless_refund"
    REPLACEMENT = "replacement"


class MutationKind(StrEnum):
    """A seller's own act, written locally and pushed to the backend (SYNC.md)."""

    REFUND_DECISION = "refund_decision"
    RETURN_RECEIVED = "return_received"
    INSPECTION_RECORDED = "inspection_recorded"
    NOTE = "note"


class MutationStatus(StrEnum):
    """Desktop-side life of a mutation (SYNC.md "Mutation states on the desktop")."""

    QUEUED = "queued"
    SENDING = "sending"
    ACKNOWLEDGED = "acknowledged"
    SETTLED = "settled"
    CONFLICT = "conflict"
    REJECTED = "rejected"
