"""Orders with their charged lines, and parcels with their carrier scans.

Charged amounts are one column per component (as on the desktop): the refund checks read all the
components of a line at once. ``tracking_events`` is deduplicated by a unique index on (shipment,
occurred_at, raw code): a carrier feed delivered twice stores each scan once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from seller_desk.backend.store.models.base import Base, MirroredMixin
from seller_desk.domain.enums import Channel, ChargeComponent, ShipmentDirection, TrackingStatus

COMPONENT_COLUMNS: Mapping[ChargeComponent, str] = {c: f"{c.value}_minor" for c in ChargeComponent}
"""The ``order_lines`` column holding each charged component."""


class Order(MirroredMixin, Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[str] = mapped_column(String(40))
    marketplace: Mapped[str] = mapped_column(String(8))
    channel: Mapped[Channel]
    purchased_at: Mapped[datetime]
    currency: Mapped[str] = mapped_column(String(3))
    buyer_name: Mapped[str | None] = mapped_column(String(120))

    __table_args__ = (Index(None, "seller_id", "order_id", unique=True),)


class OrderLine(MirroredMixin, Base):
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

    __table_args__ = (Index(None, "order_pk", "order_item_code", unique=True),)


class Shipment(MirroredMixin, Base):
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

    __table_args__ = (
        Index(None, "seller_id", "tracking_number", "carrier", unique=True),
        Index(None, "order_pk"),
    )


class TrackingEvent(MirroredMixin, Base):
    __tablename__ = "tracking_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime]
    status: Mapped[TrackingStatus]
    raw_code: Mapped[str] = mapped_column(String(64))
    location: Mapped[str | None] = mapped_column(String(120))
    text: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index(None, "shipment_id", "occurred_at", "raw_code", unique=True),)
