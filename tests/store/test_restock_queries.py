"""The restock plan's input queries on a hand-built store (tests/fixtures/restock_data.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from seller_desk.store.queries.restock import (
    InboundRow,
    InspectionCount,
    ShipHistory,
    StockRow,
    inbound_rows,
    inspection_counts,
    sales_totals,
    ship_history,
    stock_rows,
)
from tests.fixtures.restock_data import TODAY, TODAY_DAY, build_restock_store


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path: Path = build_restock_store(tmp_path_factory.mktemp("restock"))
    connection = sqlite3.connect(path)
    yield connection
    connection.close()


def test_stock_rows_list_every_sku_even_one_without_a_stock_row(conn: sqlite3.Connection) -> None:
    assert stock_rows(conn) == [
        StockRow("MUG-1", "Stoneware mug", "home", 5, 7, 3),
        StockRow("TEE-1", "Cotton T-shirt, blue, M", "apparel", 20, 10, 0),
        StockRow("TEE-2", "Cotton T-shirt, red, L", "apparel", 0, None, 0),
    ]


def test_sales_totals_sum_the_window_ending_today_across_marketplaces(conn: sqlite3.Connection) -> None:
    totals, last = sales_totals(conn, TODAY_DAY, 28)
    assert last == TODAY_DAY  # the day after today (already in the table) is not in the window
    assert totals == {"TEE-1": 56, "MUG-1": 28}
    assert sales_totals(conn, TODAY_DAY - 100, 28) == ({}, None)


def test_inbound_rows_group_lines_by_sku_reason_status_and_eta_day(conn: sqlite3.Connection) -> None:
    assert sorted(inbound_rows(conn), key=lambda row: (row.sku, row.reason, row.status)) == [
        InboundRow("MUG-1", "defective", "in_transit", None, 1),
        InboundRow("MUG-1", "unwanted", "delivered", None, 1),
        InboundRow("MUG-1", "unwanted", "in_transit", TODAY_DAY + 3, 1),
        InboundRow("TEE-1", "size_fit", "in_transit", TODAY_DAY + 3, 3),  # two returns, one group
        InboundRow("TEE-1", "unwanted", "authorized", None, 1),
    ]


def test_ship_history_counts_decided_authorized_returns_since_a_date(conn: sqlite3.Connection) -> None:
    since = datetime.combine(TODAY - timedelta(days=60), datetime.min.time(), UTC)
    assert ship_history(conn, int(since.timestamp())) == ShipHistory(4, 3, 5.0)
    assert ship_history(conn, int(datetime.now(UTC).timestamp()) + 10**8) == ShipHistory(0, 0, None)


def test_inspection_counts_take_the_lines_reason_or_else_the_returns(conn: sqlite3.Connection) -> None:
    assert sorted(inspection_counts(conn)) == [
        InspectionCount("MUG-1", "defective", 0, 2),
        InspectionCount("MUG-1", "unwanted", 1, 1),  # an inspection with no line: the return's reason
        InspectionCount("TEE-1", "size_fit", 3, 4),
        InspectionCount("TEE-2", "size_fit", 10, 10),
    ]
