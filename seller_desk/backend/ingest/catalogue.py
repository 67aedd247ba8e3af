"""SKUs, stock positions and daily sales: the restock screen's inputs, per seller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.domain.entities import SkuStock
from seller_desk.domain.enums import Channel


@dataclass(frozen=True, slots=True)
class SkuRecord:
    sku: str
    title: str
    category: str
    currency: str
    price_minor: int
    unit_cost_minor: int
    asin: str | None = None


@dataclass(frozen=True, slots=True)
class DailySalesRecord:
    sku: str
    day: int  # days since 1970-01-01, UTC
    marketplace: str
    channel: Channel
    units: int
    revenue_minor: int
    currency: str


def ingest_sku(writer: FeedWriter, record: SkuRecord) -> None:
    values: dict[str, Any] = {
        "asin": record.asin,
        "title": record.title,
        "category": record.category,
        "currency": record.currency,
        "price_minor": record.price_minor,
        "unit_cost_minor": record.unit_cost_minor,
    }
    writer.upsert("sku", {"sku": record.sku}, values)


def ingest_sku_stock(writer: FeedWriter, stock: SkuStock, *, inbound_po_units: int = 0) -> None:
    values: dict[str, Any] = {
        "on_hand": stock.on_hand,
        "lead_time_days": stock.lead_time_days,
        "sales_per_day": float(stock.sales_per_day),
        "inbound_po_units": inbound_po_units,
    }
    existing = writer.find("sku_stock", {"sku": stock.sku})
    if existing is None:
        writer.insert("sku_stock", {"sku": stock.sku, **values, "updated_at": writer.now})
    elif writer.differences(existing, values):
        writer.update("sku_stock", existing, {**values, "updated_at": writer.now})


def ingest_daily_sales(writer: FeedWriter, record: DailySalesRecord) -> None:
    key = {"sku": record.sku, "day": record.day, "marketplace": record.marketplace, "channel": record.channel}
    values = {"units": record.units, "revenue_minor": record.revenue_minor, "currency": record.currency}
    writer.upsert("daily_sales", key, values)
