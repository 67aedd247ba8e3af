"""Refund requests, the money approved or paid against them, decisions, and the upstream ledger.

Two rules are backed by the schema, not only by code, so that no retry, race or pruned idempotency
key can break them:

* at most one approval per refund request: ``refund_approvals`` has the request as primary key;
* one upstream execution per mutation: ``ledger.mutation_id`` is unique.

``refund_payments`` rows are magnitudes per order line and component, approved (``settled`` false)
or paid (true); "refundable now" subtracts their sum from the charged amount. A payment that will
never happen (its request was cancelled or auto-refunded before anything was sent) is deleted, with
a delete change, rather than flagged, so the desktop's mirror and the backend compute the same caps.
A restocking fee is not a payment: it is in the decision and, signed, in the ledger's components.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from seller_desk.backend.store.models.base import Base, MirroredMixin
from seller_desk.domain.enums import ChargeComponent, DecisionKind, RefundSource, RefundState


class RefundRequest(MirroredMixin, Base):
    __tablename__ = "refund_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64))  # the marketplace's or importer's id
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

    __table_args__ = (
        Index(None, "seller_id", "external_id", unique=True),
        Index(None, "order_pk"),
    )


class RefundRequestLine(MirroredMixin, Base):
    __tablename__ = "refund_request_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    refund_request_id: Mapped[int] = mapped_column(ForeignKey("refund_requests.id", ondelete="CASCADE"))
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    quantity: Mapped[int]
    component: Mapped[ChargeComponent]
    amount_minor: Mapped[int]

    __table_args__ = (Index(None, "refund_request_id", "order_line_id", "component", unique=True),)


class RefundPayment(MirroredMixin, Base):
    __tablename__ = "refund_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    refund_request_id: Mapped[int] = mapped_column(ForeignKey("refund_requests.id", ondelete="CASCADE"))
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    component: Mapped[ChargeComponent]
    amount_minor: Mapped[int]
    settled: Mapped[bool] = mapped_column(default=False)
    executed_at: Mapped[datetime | None]

    __table_args__ = (Index(None, "order_line_id"), Index(None, "refund_request_id"))


class Decision(MirroredMixin, Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    refund_request_id: Mapped[int] = mapped_column(ForeignKey("refund_requests.id", ondelete="CASCADE"))
    mutation_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[DecisionKind]
    amount_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    components: Mapped[str] = mapped_column(Text)
    restocking_fee_bp: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str | None] = mapped_column(Text)
    customer_message: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    device_id: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime]

    __table_args__ = (Index(None, "refund_request_id"),)


class RefundApproval(Base):
    """The constraint "at most one approval per refund request", as a primary key."""

    __tablename__ = "refund_approvals"

    refund_request_id: Mapped[int] = mapped_column(ForeignKey("refund_requests.id"), primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id"))
    mutation_id: Mapped[str] = mapped_column(String(36))
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    created_at: Mapped[datetime]


class LedgerEntry(Base):
    """One upstream refund execution to perform; the relay moves ``state`` and counts ``attempts``."""

    __tablename__ = "ledger"

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id"))
    refund_request_id: Mapped[int] = mapped_column(ForeignKey("refund_requests.id"))
    mutation_id: Mapped[str] = mapped_column(String(36))
    order_id: Mapped[str] = mapped_column(String(40))
    amount_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    # [{"order_line_id", "order_item_code", "type" (upstream spelling), "amount_minor" (signed)}]
    components: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending|executing|executed|failed
    upstream_ref: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    executed_at: Mapped[datetime | None]

    __table_args__ = (
        Index(None, "mutation_id", unique=True),
        Index(None, "upstream_ref", unique=True),
        Index(None, "state", "id"),
        Index(None, "refund_request_id"),
    )


class UpstreamSubmission(Base):
    """A feed sent to the marketplace for a ledger entry (SP-API), written as soon as the feed has an id.

    Amazon keeps no reference of ours, so this row is how a retry finds the feed an earlier attempt
    sent and waits for it rather than sending a second one; a later row for the same reference is a
    resend after the earlier feed was cancelled or applied nothing.
    """

    __tablename__ = "upstream_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    upstream_ref: Mapped[str] = mapped_column(String(64))
    feed_id: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime]

    __table_args__ = (Index(None, "upstream_ref", "id"),)
