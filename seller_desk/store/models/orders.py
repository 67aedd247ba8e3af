"""Orders, their lines with charged amounts per component, and parcels with their tracking events.

Charged amounts are one integer column per component rather than a component table: refund checks
read all components of a line at once, and the bulk paths (seed, pull) write millions of lines.
Every amount is the size charged (≥ 0); a promotion is the size of the discount. Signs are added only
when an adjustment is built for upstream (domain.policies.refunds.build_adjustment).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from seller_desk.domain.enums import Channel, ShipmentDirection, TrackingStatus
from seller_desk.store.models.base import Base
from seller_desk.store.queries._shipments_sql import PARTIAL_INDEXES as SHIPMENT_PARTIAL_INDEXES


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[str] = mapped_column(String(40))
    marketplace: Mapped[str] = mapped_column(String(8))
    channel: Mapped[Channel]
    purchased_at: Mapped[datetime]
    currency: Mapped[str] = mapped_column(String(3))
    buyer_name: Mapped[str | None] = mapped_column(String(120))
    server_version: Mapped[int] = mapped_column(default=0)

    __table_args__ = (Index(None, "order_id", unique=True),)


class OrderLine(Base):
    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_pk: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    order_item_code: Mapped[str] = mapped_column(String(40))
    sku: Mapped[str] = mapped_column(String(64))
    asin: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int]
    principal_minor: Mapped[int] = mapped_column(default=0)
    shipping_minor: Mapped[int] = mapped_column(default=0)
    tax_minor: Mapped[int] = mapped_column(default=0)
    shipping_tax_minor: Mapped[int] = mapped_column(default=0)
    gift_wrap_minor: Mapped[int] = mapped_column(default=0)
    promotion_minor: Mapped[int] = mapped_column(default=0)

    __table_args__ = (Index(None, "order_pk"), Index(None, "sku"))


class Shipment(Base):
    """A parcel: outbound for an order, inbound for a return. Latest-scan fields are denormalized
    from its events so lists never aggregate the events table."""

    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[ShipmentDirection]
    carrier: Mapped[str] = mapped_column(String(40))
    tracking_number: Mapped[str] = mapped_column(String(64))
    order_pk: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    status: Mapped[TrackingStatus]
    shipped_at: Mapped[datetime | None]
    promised_at: Mapped[datetime | None]
    carrier_eta: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    last_event_at: Mapped[datetime | None]
    last_location: Mapped[str | None] = mapped_column(String(120))
    server_version: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        Index(None, "tracking_number", "carrier", unique=True),
        Index(None, "order_pk"),
        Index(None, "direction", "status", "promised_at"),
        # the Shipments list's urgency order and "late" filter (migration 0009; _shipments_sql says why)
        *(
            Index(name, *columns, sqlite_where=text(where))
            for name, columns, where in SHIPMENT_PARTIAL_INDEXES
        ),
    )


class TrackingEvent(Base):
    __tablename__ = "tracking_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime]
    status: Mapped[TrackingStatus]
    raw_code: Mapped[str] = mapped_column(String(64))
    location: Mapped[str | None] = mapped_column(String(120))
    text: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index(None, "shipment_id", "occurred_at"),)
