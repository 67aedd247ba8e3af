"""What the seller sells: SKUs, their stock, and daily sales (the denominator of return rates)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from seller_desk.domain.enums import Channel
from seller_desk.store.models.base import Base


class Sku(Base):
    """One catalogue item. Prices are the current list price, for display and restock valuation."""

    __tablename__ = "skus"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    asin: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(64), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    price_minor: Mapped[int]
    unit_cost_minor: Mapped[int]


class SkuStock(Base):
    """Stock position of a SKU for restock planning (DOMAIN.md "SKU stock")."""

    __tablename__ = "sku_stock"

    sku: Mapped[str] = mapped_column(ForeignKey("skus.sku"), primary_key=True)
    on_hand: Mapped[int]
    lead_time_days: Mapped[int]
    # Units per day is a rate, not money: a float is the honest type here.
    sales_per_day: Mapped[float]
    inbound_po_units: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]


class DailySales(Base):
    """Units sold per SKU, day, marketplace and channel.

    Sales are kept aggregated like Amazon's sales reports: return rate and restock need units sold,
    not every order. Orders that matter one by one (returned, refunded, in transit) are in ``orders``.
    ``day`` is days since 1970-01-01 (UTC), so week and month buckets are integer arithmetic.
    """

    __tablename__ = "daily_sales"

    sku: Mapped[str] = mapped_column(ForeignKey("skus.sku"), primary_key=True)
    day: Mapped[int] = mapped_column(primary_key=True)
    marketplace: Mapped[str] = mapped_column(String(8), primary_key=True)
    channel: Mapped[Channel] = mapped_column(primary_key=True)
    units: Mapped[int]
    revenue_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))

    __table_args__ = (Index(None, "day", "sku"),)
