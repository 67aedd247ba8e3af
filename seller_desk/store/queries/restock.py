"""The restock plan's inputs, each read in one pass of SQL for every SKU at once (no query per SKU).

- ``stock_rows``: each SKU's stock position with its title and category;
- ``sales_totals``: units sold per SKU over the last ``window`` days of ``daily_sales`` that end on the
  latest day present on or before today (a day whose sales have not been pulled yet would read as a
  day without sales);
- ``inbound_rows``: return units by SKU, reason, status and ETA day for returns not yet at the bench
  (``in_transit``, ``delivered``, ``received``) and those authorized but not shipped;
- ``ship_history``: of the recent returns that were authorized and have left that state, how many
  shipped, and their mean days from authorization to delivery (where authorized ones are expected);
- ``inspection_counts``: inspected units per SKU × canonical reason × sellable (disposition
  ``restock``). Category rates are sums of these, so they need no pass of their own.

The reason of a unit is its return line's; a line without a canonical reason counts as ``other``.
Inspections are read in return order (``ix_inspections_return_id``) so that looking their lines up
walks ``return_lines`` front to back: 1.7 s against 5.2 s through the SKU index at 900,000
inspections. Times are epoch seconds (UTC), as the store keeps them; days are ``epoch // 86400``.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from seller_desk.store.sellable_counts import read_counts

DAY = 86_400
UNKNOWN_REASON = "other"
INBOUND_STATUSES = ("authorized", "in_transit", "delivered", "received")
SELLABLE_DISPOSITION = "restock"


class StockRow(NamedTuple):
    sku: str
    title: str
    category: str
    on_hand: int
    lead_time_days: int | None
    inbound_po_units: int


class InboundRow(NamedTuple):
    sku: str
    reason: str
    status: str
    eta_day: int | None  # days since 1970-01-01 (UTC); None without an ETA
    units: int


class ShipHistory(NamedTuple):
    decided: int  # authorized returns that have since shipped, expired or been cancelled
    shipped: int
    mean_days_to_delivery: float | None


class InspectionCount(NamedTuple):
    sku: str
    reason: str
    sellable: int
    inspected: int


def stock_rows(conn: sqlite3.Connection) -> list[StockRow]:
    """Every SKU in the catalogue; one without a stock row has nothing on hand and no lead time."""
    rows = conn.execute(
        "SELECT k.sku, k.title, k.category, coalesce(s.on_hand, 0), s.lead_time_days,"
        " coalesce(s.inbound_po_units, 0)"
        " FROM skus k LEFT JOIN sku_stock s ON s.sku = k.sku ORDER BY k.sku"
    )
    return [StockRow(*row) for row in rows]


def sales_totals(conn: sqlite3.Connection, today_day: int, window: int) -> tuple[dict[str, int], int | None]:
    """Units sold per SKU over ``window`` days, and the last day of that window (None: no sales)."""
    last = conn.execute("SELECT max(day) FROM daily_sales WHERE day <= ?", (today_day,)).fetchone()[0]
    if last is None:
        return {}, None
    rows = conn.execute(
        "SELECT sku, sum(units) FROM daily_sales WHERE day > ? AND day <= ? GROUP BY sku",
        (last - window, last),
    )
    return {sku: int(units) for sku, units in rows}, int(last)


def inbound_rows(conn: sqlite3.Connection) -> list[InboundRow]:
    """Units of returns still on their way to the shelf, grouped by SKU, reason, status and ETA day."""
    marks = ", ".join("?" for _ in INBOUND_STATUSES)
    rows = conn.execute(
        f"SELECT l.sku, coalesce(l.reason, ?), r.status, r.eta / {DAY}, sum(l.quantity)"
        " FROM returns r JOIN return_lines l ON l.return_id = r.id"
        f" WHERE r.status IN ({marks}) GROUP BY 1, 2, 3, 4",
        (UNKNOWN_REASON, *INBOUND_STATUSES),
    )
    return [InboundRow(*row) for row in rows]


def ship_history(conn: sqlite3.Connection, since_epoch: int) -> ShipHistory:
    """How authorized returns requested since ``since_epoch`` turned out (``requested_at`` index)."""
    decided, shipped, mean_seconds = conn.execute(
        "SELECT count(*), count(shipped_at), avg(delivered_at - authorized_at) FROM returns"
        " WHERE requested_at >= ? AND authorized_at IS NOT NULL"
        " AND status NOT IN ('requested', 'authorized')",
        (since_epoch,),
    ).fetchone()
    mean_days = None if mean_seconds is None else float(mean_seconds) / DAY
    return ShipHistory(int(decided), int(shipped or 0), mean_days)


def inspection_counts(conn: sqlite3.Connection) -> list[InspectionCount]:
    """Inspected and sellable units per SKU and reason, over all inspections (kept counts plus the
    inspections not folded in yet: ``store/sellable_counts.py``)."""
    return [InspectionCount(sku, reason, k, n) for sku, reason, k, n in read_counts(conn)]
