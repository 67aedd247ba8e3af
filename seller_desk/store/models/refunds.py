"""Refund requests (mirrored from the backend), what was paid out, and decisions.

A request's amounts are per order line and component in ``refund_request_lines``. ``refund_payments``
holds money that moved or is about to (approved, submitted, completed), which is what
"refundable now" subtracts from the charged amounts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from seller_desk.domain.enums import ChargeComponent, DecisionKind, RefundSource, RefundState
from seller_desk.store.models.base import Base


class RefundRequest(Base):
    __tablename__ = "refund_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_pk: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(String(40))
    return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"))
    state: Mapped[RefundState]
    source: Mapped[RefundSource]
    reason: Mapped[str | None] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    requested_minor: Mapped[int]
    refunded_minor: Mapped[int] = mapped_column(default=0)
    needs_authorization: Mapped[bool] = mapped_column(default=False)
    a_to_z_claim: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    server_version: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        Index(None, "state", "due_at"),
        Index(None, "order_pk"),
        Index(None, "return_id"),
    )


class RefundRequestLine(Base):
    __tablename__ = "refund_request_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    refund_request_id: Mapped[int] = mapped_column(ForeignKey("refund_requests.id", ondelete="CASCADE"))
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    quantity: Mapped[int]
    component: Mapped[ChargeComponent]
    amount_minor: Mapped[int]

    __table_args__ = (Index(None, "refund_request_id"),)


class RefundPayment(Base):
    """Money refunded (or approved to be) against one line and component; signed, fees negative."""

    __tablename__ = "refund_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    refund_request_id: Mapped[int] = mapped_column(ForeignKey("refund_requests.id", ondelete="CASCADE"))
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    component: Mapped[ChargeComponent]
    amount_minor: Mapped[int]
    settled: Mapped[bool] = mapped_column(default=False)
    executed_at: Mapped[datetime | None]

    __table_args__ = (Index(None, "order_line_id"), Index(None, "refund_request_id"))


class Decision(Base):
    """A seller's approve/reject of one request. Local until the backend acknowledges its mutation."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    refund_request_id: Mapped[int] = mapped_column(ForeignKey("refund_requests.id", ondelete="CASCADE"))
    mutation_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[DecisionKind]
    amount_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    components: Mapped[str] = mapped_column(Text)  # JSON: [{"order_line_id", "component", "amount_minor"}]
    restocking_fee_bp: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str | None] = mapped_column(Text)
    customer_message: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    device_id: Mapped[str | None] = mapped_column(String(36))
    decided_at: Mapped[datetime]
    server_version: Mapped[int | None]

    __table_args__ = (Index(None, "refund_request_id"), Index(None, "mutation_id"))
