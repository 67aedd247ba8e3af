"""SKUs, their stock and daily sales, per seller (mirrored as the desktop's catalogue tables).

The desktop keys these by SKU (and day, marketplace, channel); here a surrogate ``id`` is the key and
the desktop's key is unique per seller, because one backend serves many sellers with their own SKUs.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from seller_desk.backend.store.models.base import Base, MirroredMixin
from seller_desk.domain.enums import Channel


class Sku(MirroredMixin, Base):
    __tablename__ = "skus"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64))
    asin: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    price_minor: Mapped[int]
    unit_cost_minor: Mapped[int]

    __table_args__ = (Index(None, "seller_id", "sku", unique=True),)


class SkuStock(MirroredMixin, Base):
    __tablename__ = "sku_stock"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64))
    on_hand: Mapped[int]
    lead_time_days: Mapped[int]
    sales_per_day: Mapped[float]
    inbound_po_units: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]

    __table_args__ = (Index(None, "seller_id", "sku", unique=True),)


class DailySales(MirroredMixin, Base):
    __tablename__ = "daily_sales"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64))
    day: Mapped[int]
    marketplace: Mapped[str] = mapped_column(String(8))
    channel: Mapped[Channel]
    units: Mapped[int]
    revenue_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))

    __table_args__ = (Index(None, "seller_id", "sku", "day", "marketplace", "channel", unique=True),)


__all__ = ["DailySales", "Sku", "SkuStock"]
