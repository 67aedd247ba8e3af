"""The Returns list (any filter) as a table to export: the list's columns and a few more for scripts.

Rows come through the same keyset pages the screen reads, a page at a time, so exporting a million
returns holds one page in memory. Times are UTC (the header says so); money is exact.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from seller_desk.domain.money import Money
from seller_desk.exports.tables import Cell, Steps, table_steps
from seller_desk.store.queries.returns import DEFAULT_SORT, ReturnFlag, ReturnRow, ReturnsFilter, page_returns

PAGE = 2_000
HEADERS = (
    "RMA", "Order", "Requested (UTC)", "SKU", "Title", "Quantity", "Reason", "Reason code", "Status",
    "Carrier", "Tracking", "Last scan (UTC)", "ETA (UTC)", "Value", "Currency", "Flags",
)  # fmt: skip


def returns_rows(conn: sqlite3.Connection, f: ReturnsFilter) -> Iterator[tuple[Cell, ...]]:
    """Every return ``f`` selects, newest request first, as export cells."""
    key = None
    while True:
        page = page_returns(conn, f, DEFAULT_SORT, key, PAGE)
        for row in page:
            yield _cells(row)
        if len(page) < PAGE:
            return
        key = DEFAULT_SORT.key_of(page[-1])


def export_returns(conn: sqlite3.Connection, f: ReturnsFilter, path: Path) -> Steps:
    """Write the returns ``f`` selects to ``path`` (.csv or .xlsx), yielding progress (``table_steps``);
    returns how many it wrote."""
    return table_steps(path, HEADERS, returns_rows(conn, f), sheet="Returns")


def _cells(row: ReturnRow) -> tuple[Cell, ...]:
    flags = ReturnFlag(row.flags)
    return (
        row.rma, row.order_id, _time(row.requested_at), row.sku, row.title, row.quantity, row.reason,
        row.reason_raw, row.status, row.carrier, row.tracking_number, _time(row.last_scan_at), _time(row.eta),
        Money(row.value_minor, row.currency).to_decimal(), row.currency,
        " ".join(str(flag.name).lower() for flag in ReturnFlag if flag in flags),
    )  # fmt: skip


def _time(epoch: int | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)
