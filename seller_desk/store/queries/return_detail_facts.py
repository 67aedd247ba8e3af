"""What the Returns screen's detail pane shows about one return, as plain frozen data.

These cross from the DB thread to the GUI thread, so they hold no ORM objects and no connection: only
strings, integers, enums' stored words and aware UTC ``datetime`` values. Money is integer minor units
beside the ISO currency it is in (the order's currency for order lines and refunds).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from seller_desk.domain.tracking_progress import TrackingProgress


class ReturnNotFound(LookupError):
    """The return is not (or no longer) in the local store."""


@dataclass(frozen=True, slots=True)
class OrderLineFacts:
    order_line_id: int
    order_item_code: str
    sku: str
    title: str
    quantity: int
    principal_minor: int
    shipping_minor: int
    tax_minor: int
    shipping_tax_minor: int
    gift_wrap_minor: int
    promotion_minor: int  # the size of the discount (≥ 0); subtracted in ``charged_minor``
    refunded_minor: int  # settled refund payments against this line (signed sum; fees are negative)
    refund_pending_minor: int  # approved or submitted, not yet settled

    @property
    def charged_minor(self) -> int:
        return (
            self.principal_minor
            + self.shipping_minor
            + self.tax_minor
            + self.shipping_tax_minor
            + self.gift_wrap_minor
            - self.promotion_minor
        )


@dataclass(frozen=True, slots=True)
class OrderFacts:
    order_pk: int
    order_id: str
    marketplace: str
    channel: str
    purchased_at: datetime
    currency: str
    buyer_name: str | None
    lines: tuple[OrderLineFacts, ...]


@dataclass(frozen=True, slots=True)
class ReturnLineFacts:
    return_line_id: int
    order_line_id: int | None
    sku: str
    title: str | None
    quantity: int
    reason: str | None  # CanonicalReason word; None for a raw code nobody has mapped
    reason_raw: str
    in_policy: bool
    customer_comment: str | None


@dataclass(frozen=True, slots=True)
class TrackingEventFacts:
    occurred_at: datetime
    location: str | None
    status: str  # TrackingStatus word
    raw_code: str
    text: str | None


@dataclass(frozen=True, slots=True)
class ShipmentFacts:
    carrier: str
    tracking_number: str
    status: str
    delivered_at: datetime | None
    events: tuple[TrackingEventFacts, ...]  # newest first
    progress: TrackingProgress


@dataclass(frozen=True, slots=True)
class DecisionFacts:
    """The newest local or acknowledged decision on a refund request, with its mutation's sync state."""

    kind: str  # DecisionKind word
    amount_minor: int
    currency: str
    decided_by: str | None
    decided_at: datetime
    sync_state: str | None  # MutationStatus word; None once the mutation is gone (settled and pruned)
    sync_error: str | None


@dataclass(frozen=True, slots=True)
class RefundRequestFacts:
    refund_request_id: int
    state: str  # RefundState word (the backend's)
    source: str
    reason: str | None
    currency: str
    requested_minor: int
    refunded_minor: int
    due_at: datetime | None
    a_to_z_claim: bool
    linked_by_order: bool  # tied to the order, not to this return (e.g. an A-to-z claim)
    decision: DecisionFacts | None


@dataclass(frozen=True, slots=True)
class InspectionFacts:
    sku: str
    condition: str
    disposition: str
    note: str | None
    photos: tuple[str, ...]
    inspected_at: datetime
    inspected_by: str | None


@dataclass(frozen=True, slots=True)
class NoteFacts:
    text: str
    author: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class HistoryFacts:
    """One audit entry: who did what, when, on which device, and where its mutation is now."""

    at: datetime
    user: str | None
    device: str | None
    what: str  # "<mutation kind>.<event>", e.g. "return_received.queued"
    target: str
    sync_state: str | None  # the named mutation's current MutationStatus word, if the entry names one


@dataclass(frozen=True, slots=True)
class ReturnDetail:
    return_id: int
    rma: str
    status: str  # ReturnStatus word
    currency: str
    value_minor: int
    requested_at: datetime
    authorized_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    received_at: datetime | None
    inspected_at: datetime | None
    closed_at: datetime | None
    reason: str | None
    reason_raw: str
    customer_comment: str | None
    in_policy: bool
    label_type: str | None
    label_cost_minor: int
    label_paid_by: str | None
    resolution: str | None
    a_to_z_claim: bool
    safet_claim: bool
    carrier: str | None
    tracking_number: str | None
    eta: datetime | None
    eta_source: str | None  # "carrier" or "history"
    order: OrderFacts
    lines: tuple[ReturnLineFacts, ...]
    shipment: ShipmentFacts | None
    refund_requests: tuple[RefundRequestFacts, ...]
    inspections: tuple[InspectionFacts, ...]
    notes: tuple[NoteFacts, ...]  # newest first
    history: tuple[HistoryFacts, ...]  # newest first
