"""Returns, refund requests, decisions and inspections (DOMAIN.md "Who and what").

Split from `entities` to keep each module about one thing: these records are the seller's after-sale
work, and the ones whose status moves through `lifecycle`. Status changes go through `moved_to`, so an
entity can only ever be built in a state the state machine reached legally from its predecessor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from seller_desk.domain.entities import LineAmounts, Shipment, signed_total
from seller_desk.domain.enums import (
    CanonicalReason,
    ConditionGrade,
    DecisionKind,
    Disposition,
    LabelPaidBy,
    RefundSource,
    RefundState,
    Resolution,
    ReturnStatus,
    ShipmentDirection,
)
from seller_desk.domain.errors import InvariantViolation
from seller_desk.domain.lifecycle import transition
from seller_desk.domain.money import Money
from seller_desk.domain.reasons import MappedReason, map_reason
from seller_desk.domain.validation import (
    frozen_line_amounts,
    frozen_mapping,
    require_money,
    require_optional_utc,
    require_positive,
    require_text,
    require_utc,
)


@dataclass(frozen=True, slots=True)
class ReturnLine:
    """One returned SKU: the raw reason exactly as reported and the canonical reason charts use."""

    sku: str
    quantity: int
    raw_reason: str
    canonical_reason: CanonicalReason
    customer_comment: str = ""
    in_policy: bool = True
    order_item_code: str | None = None

    def __post_init__(self) -> None:
        require_text(self.sku, "return line sku")
        require_positive(self.quantity, f"return line {self.sku} quantity")
        if not isinstance(self.canonical_reason, CanonicalReason):
            raise InvariantViolation(f"return line {self.sku}: canonical_reason must be a CanonicalReason")

    @classmethod
    def from_raw(
        cls,
        sku: str,
        quantity: int,
        raw_reason: str,
        *,
        customer_comment: str = "",
        in_policy: bool = True,
        order_item_code: str | None = None,
    ) -> ReturnLine:
        """Build a line whose canonical reason comes from `map_reason(raw_reason)`."""
        canonical = map_reason(raw_reason).canonical
        return cls(sku, quantity, raw_reason, canonical, customer_comment, in_policy, order_item_code)

    @property
    def mapped_reason(self) -> MappedReason:
        """The raw reason's mapping; `.known` is False and `.display_label` the raw code when unknown."""
        return map_reason(self.raw_reason)


@dataclass(frozen=True, slots=True)
class Return:
    """A return (RMA) of one order, with its label, carrier parcel, resolution and claim flags."""

    rma: str
    order_id: str
    status: ReturnStatus
    lines: tuple[ReturnLine, ...]
    requested_at: datetime
    label_type: str | None = None
    label_cost: Money | None = None
    label_paid_by: LabelPaidBy | None = None
    resolution: Resolution | None = None
    a_to_z_claim: bool = False
    safet_claim: bool = False
    shipment: Shipment | None = None
    authorized_at: datetime | None = None
    delivered_at: datetime | None = None
    received_at: datetime | None = None

    def __post_init__(self) -> None:
        require_text(self.rma, "rma")
        require_text(self.order_id, f"return {self.rma} order_id")
        if not isinstance(self.status, ReturnStatus):
            raise InvariantViolation(f"return {self.rma}: status must be a ReturnStatus")
        object.__setattr__(self, "lines", tuple(self.lines))
        if not self.lines:
            raise InvariantViolation(f"return {self.rma} has no lines")
        require_utc(self.requested_at, f"return {self.rma} requested_at")
        require_optional_utc(self.authorized_at, f"return {self.rma} authorized_at")
        require_optional_utc(self.delivered_at, f"return {self.rma} delivered_at")
        require_optional_utc(self.received_at, f"return {self.rma} received_at")
        if self.label_cost is not None:
            require_money(self.label_cost, self.label_cost.currency, f"return {self.rma} label_cost")
        if self.shipment is not None and self.shipment.direction is not ShipmentDirection.INBOUND:
            raise InvariantViolation(f"return {self.rma}: its shipment must be inbound")

    def moved_to(self, target: ReturnStatus, at: datetime | None = None) -> Return:
        """A copy in `target` (raises `IllegalTransition` if the lifecycle forbids it).

        `at`, when given, is recorded as authorized_at / delivered_at / received_at for those targets.
        """
        status = transition(f"return {self.rma}", self.status, target)
        moved = replace(self, status=status)
        if at is None:
            return moved
        if target is ReturnStatus.AUTHORIZED:
            return replace(moved, authorized_at=at)
        if target is ReturnStatus.DELIVERED:
            return replace(moved, delivered_at=at)
        if target is ReturnStatus.RECEIVED:
            return replace(moved, received_at=at)
        return moved


@dataclass(frozen=True, slots=True)
class RefundRequest:
    """What the customer or the marketplace asks to have refunded, per order line and component."""

    request_id: str
    order_id: str
    state: RefundState
    source: RefundSource
    reason: str
    currency: str
    requested: LineAmounts = field(hash=False)
    created_at: datetime
    rma: str | None = None
    due_at: datetime | None = None

    def __post_init__(self) -> None:
        require_text(self.request_id, "request_id")
        require_text(self.order_id, f"refund request {self.request_id} order_id")
        if not isinstance(self.state, RefundState) or not isinstance(self.source, RefundSource):
            raise InvariantViolation(f"refund request {self.request_id}: bad state or source")
        Money(0, self.currency)
        requested = frozen_line_amounts(self.requested, self.currency, f"refund {self.request_id} requested")
        object.__setattr__(self, "requested", requested)
        require_utc(self.created_at, f"refund request {self.request_id} created_at")
        require_optional_utc(self.due_at, f"refund request {self.request_id} due_at")

    @property
    def total_requested(self) -> Money:
        """The net credit asked: every component, less the promotion discount taken back."""
        return signed_total(
            (item for comps in self.requested.values() for item in comps.items()), self.currency
        )

    def moved_to(self, target: RefundState) -> RefundRequest:
        """A copy in `target` (raises `IllegalTransition` if the lifecycle forbids it)."""
        return replace(self, state=transition(f"refund request {self.request_id}", self.state, target))


@dataclass(frozen=True, slots=True)
class Decision:
    """A seller's approve or reject of one refund request, made by one user on one device.

    An approval carries the amounts per line and component (magnitudes, as asked) and optional
    restocking fees per line; a rejection carries no amounts and must say why. Whether the amounts are
    allowed is the refund policy's question (`policies.refunds`), not the record's.
    """

    request_id: str
    kind: DecisionKind
    currency: str
    amounts: LineAmounts = field(hash=False)
    restocking_fees: Mapping[str, Money] = field(hash=False)
    reason: str
    decided_by: str
    device_id: str
    decided_at: datetime
    evidence_paths: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        require_text(self.request_id, "decision request_id")
        require_text(self.decided_by, "decided_by")
        require_text(self.device_id, "device_id")
        require_utc(self.decided_at, "decided_at")
        Money(0, self.currency)
        amounts = frozen_line_amounts(self.amounts, self.currency, "decision amounts")
        object.__setattr__(self, "amounts", amounts)
        for line, fee in self.restocking_fees.items():
            require_money(fee, self.currency, f"restocking fee of line {line}")
        object.__setattr__(self, "restocking_fees", frozen_mapping(self.restocking_fees))
        object.__setattr__(self, "evidence_paths", tuple(self.evidence_paths))
        has_amount = any(a.is_positive for comps in amounts.values() for a in comps.values())
        if self.kind is DecisionKind.REJECT:
            if has_amount or any(fee.is_positive for fee in self.restocking_fees.values()):
                raise InvariantViolation(f"rejection of {self.request_id} must not carry amounts")
            require_text(self.reason, f"reason for rejecting {self.request_id}")
        elif self.kind is DecisionKind.APPROVE:
            if not has_amount:
                raise InvariantViolation(f"approval of {self.request_id} refunds nothing")
        else:
            raise InvariantViolation(f"decision kind must be a DecisionKind, got {self.kind!r}")


@dataclass(frozen=True, slots=True)
class Inspection:
    """What the bench found in one returned line, what happens to it next, and the evidence."""

    rma: str
    sku: str
    condition: ConditionGrade
    disposition: Disposition
    inspected_at: datetime
    note: str = ""
    photo_paths: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        require_text(self.rma, "inspection rma")
        require_text(self.sku, "inspection sku")
        if not isinstance(self.condition, ConditionGrade) or not isinstance(self.disposition, Disposition):
            raise InvariantViolation(f"inspection of {self.rma}/{self.sku}: bad condition or disposition")
        require_utc(self.inspected_at, "inspected_at")
        object.__setattr__(self, "photo_paths", tuple(self.photo_paths))

    @property
    def has_evidence(self) -> bool:
        """Photos attached: what a restocking fee of 20 % or more requires."""
        return bool(self.photo_paths)
