"""Measure the Returns list queries on a big store: ``page_returns`` against the raw sqlite3 query.

Not a test (pytest does not collect it): run it by hand on a store from ``tests.fixtures.returns_data``::

    python -m tests.fixtures.returns_data /tmp/sd-1m 1000000
    python -m tests.perf.measure_returns_list /tmp/sd-1m

Each line is JSON: the case, the median ms of ``page_returns`` and of executing the very same SQL and
parameters on the raw sqlite3 connection and fetching all rows, and their ratio.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from seller_desk.paths import DB_FILENAME
from seller_desk.store.queries._returns_sql import page_sql
from seller_desk.store.queries.returns import (
    STALLED_AFTER_DAYS,
    ReturnsFilter,
    ReturnsSort,
    _layout,
    anchor_keys,
    count_returns,
    page_returns,
)

OPEN = ("requested", "authorized", "in_transit", "delivered")
CASES: list[tuple[str, ReturnsFilter, ReturnsSort, int]] = [
    ("first page", ReturnsFilter(), ReturnsSort(), 0),
    ("depth 500k by key", ReturnsFilter(), ReturnsSort(), 500_000),
    ("status in_transit", ReturnsFilter(statuses=("in_transit",)), ReturnsSort(), 0),
    ("open statuses, depth 20k", ReturnsFilter(statuses=OPEN), ReturnsSort(), 20_000),
    ("sort status asc, depth 300k", ReturnsFilter(), ReturnsSort("status", False), 300_000),
    ("sort reason desc, depth 900k", ReturnsFilter(), ReturnsSort("reason", True), 900_000),
    (
        "closed sorted by sku, depth 100k",
        ReturnsFilter(statuses=("closed",)),
        ReturnsSort("sku", False),
        100_000,
    ),
    (
        "dates sorted by status, depth 50k",
        ReturnsFilter(
            requested_from=datetime(2025, 6, 1, tzinfo=UTC), requested_to=datetime(2026, 1, 1, tzinfo=UTC)
        ),
        ReturnsSort("status"),
        50_000,
    ),
    ("search a SKU", ReturnsFilter(search="ssw-bla-000"), ReturnsSort(), 0),
]


def _median_ms(fn: Callable[[], Any], repeat: int = 30) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def measure_case(
    conn: sqlite3.Connection, f: ReturnsFilter, sort: ReturnsSort, depth: int
) -> dict[str, float]:
    keys = anchor_keys(conn, f, sort, depth, max_keys=1) if depth else []
    after = keys[0] if keys else None
    mine = _median_ms(lambda: page_returns(conn, f, sort, after, 200))
    shape, params = _layout(f, sort, after)
    params.update(limit=200, offset=0, stalled_before=int(time.time()) - STALLED_AFTER_DAYS * 86_400)
    sql = page_sql(shape, keys_only=False)
    raw = _median_ms(lambda: conn.execute(sql, params).fetchall())
    return {"page_ms": round(mine, 3), "raw_ms": round(raw, 3), "ratio": round(mine / raw, 2)}


def main(data_dir: Path) -> None:
    conn = sqlite3.connect(data_dir / DB_FILENAME, isolation_level=None)
    for name, f, sort, depth in CASES:
        print(json.dumps({"case": name, **measure_case(conn, f, sort, depth)}))
    started = time.perf_counter()
    total = count_returns(conn, ReturnsFilter())
    print(
        json.dumps(
            {"case": "count all", "ms": round((time.perf_counter() - started) * 1000, 2), "rows": total}
        )
    )
    started = time.perf_counter()
    anchors = anchor_keys(conn, ReturnsFilter(), ReturnsSort(), 256)
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    print(json.dumps({"case": "all anchors (every 256th)", "ms": elapsed, "anchors": len(anchors)}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
