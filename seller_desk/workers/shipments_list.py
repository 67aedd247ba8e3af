"""The Shipments screen's background reads, as ``Op`` functions (``fn(ctx)``) its model and view queue.

Each opens its own connection on the DB thread through ``ctx`` and returns plain data, so the screen
never sees a connection and the GUI thread never waits on SQLite.
"""

from __future__ import annotations

from typing import NamedTuple

from seller_desk.store.queries.returns import dbapi
from seller_desk.store.queries.shipment_detail import ShipmentDetail, load_shipment_detail
from seller_desk.store.queries.shipments import (
    ShipmentKey,
    ShipmentQuick,
    ShipmentRow,
    ShipmentsFilter,
    count_shipments,
    page_shipments,
    quick_counts,
)
from seller_desk.workers.ops import OpContext


class ShipmentsPage(NamedTuple):
    total: int  # matching shipments in all (read with the first page only; -1 for later pages)
    rows: list[ShipmentRow]


def load_first_shipments(ctx: OpContext, f: ShipmentsFilter, limit: int) -> ShipmentsPage:
    """The count and the first page, in one transaction so they agree with each other."""
    conn = ctx.connection()
    with conn.begin():
        return ShipmentsPage(count_shipments(conn, f), page_shipments(conn, f, None, limit))


def load_next_shipments(ctx: OpContext, f: ShipmentsFilter, after: ShipmentKey, limit: int) -> ShipmentsPage:
    """The ``limit`` rows after the key of the last row shown."""
    return ShipmentsPage(-1, page_shipments(ctx.connection(), f, after, limit))


def load_shipment_quick_counts(ctx: OpContext) -> dict[ShipmentQuick, int]:
    """The quick filters' live counts (a few index range counts)."""
    return quick_counts(dbapi(ctx.connection()))


def load_shipment_choices(ctx: OpContext) -> tuple[list[str], list[str]]:
    """The carriers and marketplaces outbound parcels use, for the filter menus (small distinct reads)."""
    raw = dbapi(ctx.connection())
    carriers = [
        r[0] for r in raw.execute("SELECT DISTINCT carrier FROM shipments WHERE direction = 'outbound'")
    ]
    markets = [
        r[0]
        for r in raw.execute(
            "SELECT DISTINCT o.marketplace FROM shipments s JOIN orders o ON o.id = s.order_pk "
            "WHERE s.direction = 'outbound'"
        )
    ]
    return sorted(carriers), sorted(markets)


def load_detail(ctx: OpContext, shipment_id: int) -> ShipmentDetail:
    return load_shipment_detail(ctx.connection(), shipment_id)
