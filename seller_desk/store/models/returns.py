"""Returns (RMAs), their lines, bench inspections and notes.

``returns`` carries denormalized copies of what the Returns list shows and filters on (primary SKU,
reason, carrier, tracking number, last scan, ETA, value). The list pages through a million rows by
keyset over these columns, so each must live on the row its index covers. Only the sync pull and the
importers write mirrors, so keeping the copies right is their one job.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from seller_desk.domain.enums import (
    Channel,
    ConditionGrade,
    Disposition,
    LabelPaidBy,
    Resolution,
    ReturnStatus,
    TrackingStatus,
)
from seller_desk.store.models.base import Base
from seller_desk.store.queries.returns_quick import PARTIAL_INDEXES


class Return(Base):
    __tablename__ = "returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    rma: Mapped[str] = mapped_column(String(40))
    order_pk: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(String(40))
    marketplace: Mapped[str] = mapped_column(String(8))
    channel: Mapped[Channel]
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[ReturnStatus]
    # Primary line, for the list; all lines are in return_lines.
    sku: Mapped[str] = mapped_column(String(64))
    asin: Mapped[str | None] = mapped_column(String(16))
    quantity: Mapped[int]
    reason: Mapped[str | None] = mapped_column(String(32))  # CanonicalReason value; NULL = unknown code
    reason_raw: Mapped[str] = mapped_column(String(64))
    customer_comment: Mapped[str | None] = mapped_column(Text)
    in_policy: Mapped[bool] = mapped_column(default=True)
    requested_at: Mapped[datetime]
    # Monday of requested_at's ISO week as days since 1970-01-01: trends group on an index, not strftime.
    week: Mapped[int]
    authorized_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    received_at: Mapped[datetime | None]
    inspected_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))
    carrier: Mapped[str | None] = mapped_column(String(40))
    tracking_number: Mapped[str | None] = mapped_column(String(64))
    tracking_status: Mapped[TrackingStatus | None]
    last_scan_at: Mapped[datetime | None]
    eta: Mapped[datetime | None]
    eta_source: Mapped[str | None] = mapped_column(String(16))  # "carrier" | "history"
    label_type: Mapped[str | None] = mapped_column(String(40))
    label_cost_minor: Mapped[int] = mapped_column(default=0)
    label_paid_by: Mapped[LabelPaidBy | None]
    resolution: Mapped[Resolution | None]
    a_to_z_claim: Mapped[bool] = mapped_column(default=False)
    safet_claim: Mapped[bool] = mapped_column(default=False)
    value_minor: Mapped[int] = mapped_column(default=0)
    server_version: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        Index(None, "rma", unique=True),
        Index(None, "requested_at", "id"),
        Index(None, "status", "requested_at", "id"),
        Index(None, "sku", "requested_at", "id"),
        Index(None, "reason", "requested_at", "id"),
        Index(None, "week", "reason"),
        Index(None, "order_id"),
        Index(None, "tracking_number"),
        Index(None, "order_pk"),
        Index("ix_returns_id_requested_at", "id", "requested_at"),  # searches sort their ids by date
        *(Index(name, *columns, sqlite_where=text(where)) for name, columns, where in PARTIAL_INDEXES),
    )


class ReturnLine(Base):
    __tablename__ = "return_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id", ondelete="CASCADE"))
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"))
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int]
    reason: Mapped[str | None] = mapped_column(String(32))
    reason_raw: Mapped[str] = mapped_column(String(64))
    customer_comment: Mapped[str | None] = mapped_column(Text)
    in_policy: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (Index(None, "return_id"),)


class Inspection(Base):
    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id", ondelete="CASCADE"))
    return_line_id: Mapped[int | None] = mapped_column(ForeignKey("return_lines.id"))
    sku: Mapped[str] = mapped_column(String(64))
    condition: Mapped[ConditionGrade]
    disposition: Mapped[Disposition]
    note: Mapped[str | None] = mapped_column(Text)
    photos: Mapped[str | None] = mapped_column(Text)  # JSON list of file paths
    inspected_at: Mapped[datetime]
    inspected_by: Mapped[str | None] = mapped_column(String(120))
    mutation_id: Mapped[str | None] = mapped_column(String(36))

    __table_args__ = (Index(None, "return_id"), Index(None, "sku", "disposition"))


class Note(Base):
    """A free-text note on a return, order or refund request."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(24))
    target_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime]
    mutation_id: Mapped[str | None] = mapped_column(String(36))

    __table_args__ = (Index(None, "target_kind", "target_id"),)


class SellableCount(Base):
    """Inspected and sellable units per SKU × canonical reason, folded forward (store/sellable_counts.py)."""

    __tablename__ = "sellable_counts"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    reason: Mapped[str] = mapped_column(String(32), primary_key=True)
    sellable: Mapped[int] = mapped_column(default=0)
    inspected: Mapped[int] = mapped_column(default=0)
