"""Upstream data into the backend: orders, parcels, returns, refund requests, catalogue.

The marketplace simulator, the SP-API connector and the report importers all feed the backend through
these functions, which take domain records (``seller_desk.domain``) and write them with a
``FeedWriter``, so every row they touch reaches desktops through the change feed. They are upserts
keyed by the marketplace's own identifiers (order id, RMA, tracking number, request id): feeding the
same record twice changes nothing and emits nothing.

``ingesting(db, seller_id, now)`` opens the writer in one write transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from seller_desk.backend.errors import IngestError
from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.backend.ingest.catalogue import (
    DailySalesRecord,
    SkuRecord,
    ingest_daily_sales,
    ingest_sku,
    ingest_sku_stock,
)
from seller_desk.backend.ingest.orders import OrderKeys, ingest_order, ingest_shipment
from seller_desk.backend.ingest.refunds import ingest_refund_request, set_refund_state
from seller_desk.backend.ingest.returns import ReturnKeys, ingest_return
from seller_desk.backend.store import Database


@contextmanager
def ingesting(db: Database, seller_id: int, now: datetime) -> Iterator[FeedWriter]:
    """A writer for ``seller_id`` in its own transaction, committed when the block ends cleanly."""
    with db.writing() as session:
        yield FeedWriter.open(session, seller_id, now)


__all__ = [
    "DailySalesRecord",
    "IngestError",
    "OrderKeys",
    "ReturnKeys",
    "SkuRecord",
    "ingest_daily_sales",
    "ingest_order",
    "ingest_refund_request",
    "ingest_return",
    "ingest_shipment",
    "ingest_sku",
    "ingest_sku_stock",
    "ingesting",
    "set_refund_state",
]
