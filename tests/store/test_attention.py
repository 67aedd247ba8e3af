"""The attention inbox: refund clocks at risk first, then parcels to receive, lost and stalled ones."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.queries.attention import AT_RISK_HOURS, AttentionItem, attention_items
from tests.fixtures.returns_data import seed_returns

NOW = 1_800_000_000
DAY, H = 86_400, 3_600


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    store = open_store(tmp_path / DB_FILENAME)
    seed_returns(store, 40)
    store.close()
    connection = sqlite3.connect(tmp_path / DB_FILENAME, isolation_level=None)
    connection.execute("UPDATE returns SET status = 'closed', tracking_status = 'delivered'")
    updates = [  # id: status, tracking status, last scan, delivered
        (1, "delivered", "delivered", NOW - 3 * DAY, NOW - 3 * DAY),
        (2, "delivered", "delivered", NOW - 5 * H, NOW - 5 * H),
        (3, "in_transit", "in_transit", NOW - 9 * DAY, None),
        (4, "in_transit", "in_transit", NOW - 1 * DAY, None),  # moving: nothing to say
        (5, "lost", "lost", NOW - 20 * DAY, None),
        (6, "in_transit", "exception", NOW - 2 * H, None),
    ]
    for rid, status, tracking, scan, delivered in updates:
        connection.execute(
            "UPDATE returns SET status = ?, tracking_status = ?, last_scan_at = ?, delivered_at = ? "
            "WHERE id = ?",
            (status, tracking, scan, delivered, rid),
        )
    requests = [  # id, return id, state, due
        (1, 1, "pending", NOW - 2 * H),  # overdue
        (2, None, "pending", NOW + 5 * H),  # due soon, no return
        (3, 2, "pending", NOW + (AT_RISK_HOURS + 5) * H),  # not yet at risk
        (4, 3, "approved", NOW - DAY),  # decided: not a clock at risk
    ]
    for rid, return_id, state, due in requests:
        connection.execute(
            "INSERT INTO refund_requests (id, order_pk, order_id, return_id, state, source, currency, "
            "requested_minor, refunded_minor, needs_authorization, a_to_z_claim, created_at, due_at, "
            "updated_at, server_version) "
            "SELECT ?, id, order_id, ?, ?, 'customer', currency, 1000, 0, 0, 0, ?, ?, ?, 1 "
            "FROM orders WHERE id = ?",
            (rid, return_id, state, NOW - 3 * DAY, due, NOW - 3 * DAY, rid),
        )
    yield connection
    connection.close()


def rma(conn: sqlite3.Connection, return_id: int) -> str:
    return str(conn.execute("SELECT rma FROM returns WHERE id = ?", (return_id,)).fetchone()[0])


def test_the_inbox_in_order_with_what_each_item_opens(conn: sqlite3.Connection) -> None:
    items = attention_items(conn, NOW)
    assert [(i.kind, i.return_id) for i in items] == [
        ("refund_clock", 1),
        ("refund_clock", None),
        ("awaiting_receipt", 1),
        ("awaiting_receipt", 2),
        ("lost_or_exception", 5),
        ("lost_or_exception", 6),
        ("stalled", 3),
    ]
    assert items[0].rma == rma(conn, 1) and items[1].rma is None
    texts = [i.text for i in items]
    assert texts[0].endswith("was due 2 hours ago") and texts[1].endswith("due in 5 hours")
    assert texts[2] == f"{rma(conn, 1)} delivered 3 days ago, not yet received"
    assert texts[4].startswith(f"{rma(conn, 5)} is lost") and "carrier exception" in texts[5]
    assert texts[6].startswith(f"{rma(conn, 3)} has had no carrier scan for 9 days")
    assert len({i.key for i in items}) == len(items)


def test_keys_stay_the_same_across_reads(conn: sqlite3.Connection) -> None:
    first = {i.key for i in attention_items(conn, NOW)}
    later = {i.key for i in attention_items(conn, NOW + 60)}
    assert first == later
    assert all(isinstance(i, AttentionItem) for i in attention_items(conn, NOW))
