"""A desktop can apply the feed as it comes: one bulk upsert per table, in page order.

Pages are pulled from the live server (small pages, so parents and children land on different pages)
and applied to a real desktop store (``seller_desk.store`` models, foreign keys on), exactly as the
sync client does: entities in ``wire.ENTITIES`` order, ``INSERT … ON CONFLICT DO UPDATE`` by the
desktop's primary key, deletes by key. The mirror must then equal the backend's rows.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import column as sa_column
from sqlalchemy import delete, func, select, tuple_
from sqlalchemy import table as sa_table
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from seller_desk.backend.feed.entities import SPECS
from seller_desk.backend.ingest import (
    DailySalesRecord,
    SkuRecord,
    ingest_daily_sales,
    ingest_sku,
    ingest_sku_stock,
    set_refund_state,
)
from seller_desk.domain.entities import SkuStock
from seller_desk.domain.enums import Channel, RefundState
from seller_desk.domain.money import Money
from seller_desk.store.engine import create_store_engine
from seller_desk.store.models import Base as DesktopBase
from seller_desk.wire import ENTITIES
from tests.backend.shop import T0, P, Shop, approval, mutation, now

TABLES = DesktopBase.metadata.tables


def _apply(engine: Any, changes: list[dict[str, Any]]) -> None:
    """One page, as the desktop applies it: parents first, one statement per table and op."""
    upserts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    deletes: dict[str, list[str]] = defaultdict(list)
    for change in changes:
        target = upserts if change["op"] == "upsert" else deletes
        target[change["entity"]].append(change["data"] if change["op"] == "upsert" else change["id"])  # type: ignore[arg-type]
    with engine.begin() as conn:
        for entity in ENTITIES:
            table = TABLES[ENTITIES[entity]]
            key = [c.name for c in table.primary_key.columns]
            rows = upserts.get(entity)
            if rows:
                # Untyped columns: the feed's values are already what the desktop stores (epoch
                # seconds, enum values), so they bypass the desktop's Python-side types.
                raw = sa_table(table.name, *(sa_column(c.name) for c in table.columns))
                stmt = sqlite_insert(raw)
                stmt = stmt.on_conflict_do_update(
                    index_elements=key,
                    set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name not in key},
                )
                conn.execute(stmt, rows)
        for entity in reversed(ENTITIES):
            ids = deletes.get(entity)
            if ids:
                table = TABLES[ENTITIES[entity]]
                columns = list(table.primary_key.columns)
                keys = [tuple(str(i).split("|")) if len(columns) > 1 else (i,) for i in ids]
                conn.execute(delete(table).where(tuple_(*columns).in_(keys)))


def _pull_into(shop: Shop, engine: Any, cursor: str | None, limit: int = 3) -> str:
    while True:
        page = shop.changes(cursor, limit).json()
        _apply(engine, page["changes"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            assert cursor is not None
            return cursor


def _seed_everything(shop: Shop) -> Any:
    with shop.writer() as writer:
        ingest_sku(writer, SkuRecord("SKU-L1", "Kettle", "kitchen", "USD", 2500, 1100, "B0L1"))
        ingest_sku_stock(
            writer, SkuStock("SKU-L1", 40, Money(1100, "USD"), 12, Decimal("2.5")), inbound_po_units=10
        )
        ingest_daily_sales(writer, DailySalesRecord("SKU-L1", 20514, "US", Channel.MFN, 3, 7500, "USD"))
    seeded = shop.seed(with_return=True)
    line = seeded.line_ids["L1"]
    target = f"return:{seeded.return_id}"
    assert (
        shop.post(mutation("return_received", target, {"received_at": now().isoformat()})).status_code == 201
    )
    lines = [{"sku": "SKU-L1", "condition": "like_new", "disposition": "restock", "photos": ["x.jpg"]}]
    inspection = {"inspected_at": now().isoformat(), "lines": lines}
    assert shop.post(mutation("inspection_recorded", target, inspection)).status_code == 201
    assert shop.post(mutation("note", target, {"text": "box dented"})).status_code == 201
    assert shop.post(approval(seeded.request_id, [(line, "principal", 1200)])).status_code == 201
    delivered_at = (T0 + timedelta(days=3)).isoformat()
    tracking = {"carrier": "UPS", "tracking_number": seeded.tracking_number, "status": "delivered"}
    tracking["occurred_at"] = delivered_at
    assert shop.client.post("/v1/tracking-events", json={"events": [tracking]}).status_code == 200
    return seeded


def _backend_counts(shop: Shop) -> dict[str, int]:
    counts = {}
    with shop.db.reading() as session:
        for entity, spec in SPECS.items():
            table = spec.table
            counts[ENTITIES[entity]] = int(
                session.execute(
                    select(func.count()).select_from(table).where(table.c.seller_id == shop.seller_id)
                ).scalar_one()
            )
    return counts


def _desktop_counts(engine: Any) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: int(conn.execute(select(func.count()).select_from(TABLES[name])).scalar_one())
            for name in ENTITIES.values()
        }


def test_a_desktop_mirrors_the_feed_with_bulk_upserts(shop: Shop, tmp_path: Path) -> None:
    seeded = _seed_everything(shop)
    engine = create_store_engine(tmp_path / "desk.sqlite3")
    DesktopBase.metadata.create_all(engine)
    try:
        cursor = _pull_into(shop, engine, None)
        assert _desktop_counts(engine) == _backend_counts(shop)
        assert all(n > 0 for n in _desktop_counts(engine).values()), _desktop_counts(engine)

        # More happens: a second request is approved, then the customer cancels it upstream.
        second = shop.add_request(seeded.order_id, {"L1": {P: 300}})
        assert shop.post(approval(second, [(seeded.line_ids["L1"], "principal", 300)])).status_code == 201
        cursor = _pull_into(shop, engine, cursor)
        assert _desktop_counts(engine)["refund_payments"] == 2
        with shop.writer() as writer:
            set_refund_state(writer, second, RefundState.CANCELLED)
        _pull_into(shop, engine, cursor)
        assert _desktop_counts(engine) == _backend_counts(shop)
        assert _desktop_counts(engine)["refund_payments"] == 1
        with engine.connect() as conn:
            states = dict(
                conn.execute(select(TABLES["refund_requests"].c.id, TABLES["refund_requests"].c.state)).all()
            )
            ret = (
                conn.execute(select(TABLES["returns"]).where(TABLES["returns"].c.id == seeded.return_id))
                .mappings()
                .one()
            )
        assert states == {seeded.request_id: "approved", second: "cancelled"}
        assert ret["status"] == "inspected"
        assert ret["tracking_status"] == "delivered"
    finally:
        engine.dispose()
