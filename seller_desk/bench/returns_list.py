"""Returns list benchmark: the first page after a filter change, against the raw sqlite3 query.

For each case the store's ``page_returns`` is timed the way the GUI's database worker calls it — a
new ``ReturnsFilter`` each time (a filter change), through a pooled SQLAlchemy connection — and the
baseline runs the very same SQL text and parameters straight on a sqlite3 connection and fetches the
rows. The ratio is the cost of the query layer; the target is ≤ 2×.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from seller_desk.bench.registry import BenchContext, benchmark
from seller_desk.bench.results import Result
from seller_desk.paths import DB_FILENAME
from seller_desk.store.queries.returns_quick import QuickFilter

PAGE = 200
SEARCH_CASES = ("search an RMA", "search a tracking number")
SEARCH_TARGET_MS = 20.0
OPEN = ("requested", "authorized", "in_transit", "delivered")


def median_s(fn: Callable[[], Any], repeat: int = 25) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _cases(raw: sqlite3.Connection) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(name, filter kwargs, sort kwargs); the SKU and dates come from the store itself."""
    busiest_sku = raw.execute(
        "SELECT sku FROM returns GROUP BY sku ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    latest = raw.execute("SELECT max(requested_at) FROM returns").fetchone()[0] or int(time.time())
    end = datetime.fromtimestamp(latest, UTC)
    return [
        ("all, newest first", {}, {}),
        ("status in_transit", {"statuses": ("in_transit",)}, {}),
        ("open statuses", {"statuses": OPEN}, {}),
        ("last 90 days by status", {"requested_from": end - timedelta(days=90)}, {"key": "status"}),
        ("sorted by reason", {}, {"key": "reason", "descending": False}),
        ("one SKU", {"sku": busiest_sku[0] if busiest_sku else ""}, {}),
        ("category", {"category": _biggest_category(raw)}, {}),
        ("quick: stalled", {"quick": QuickFilter.STALLED}, {}),
        ("quick: arriving in 7 days", {"quick": QuickFilter.ARRIVING_WEEK}, {}),
        ("quick: lost or exception", {"quick": QuickFilter.LOST_OR_EXCEPTION}, {}),
        ("search an RMA", {"search": _any_rma(raw)}, {}),
        ("search a tracking number", {"search": _any_tracking(raw)}, {}),
        ("search a comment word", {"search": "broken"}, {}),
    ]


def _biggest_category(raw: sqlite3.Connection) -> str:
    row = raw.execute("SELECT category FROM skus GROUP BY category ORDER BY count(*) DESC").fetchone()
    return row[0] if row else "none"


def _any_tracking(raw: sqlite3.Connection) -> str:
    row = raw.execute(
        "SELECT tracking_number FROM returns WHERE tracking_number IS NOT NULL "
        "AND id >= (SELECT max(id) / 2 FROM returns) LIMIT 1"
    ).fetchone()
    return row[0] if row else "none"


def _any_rma(raw: sqlite3.Connection) -> str:
    row = raw.execute("SELECT rma FROM returns WHERE id = (SELECT max(id) / 2 FROM returns)").fetchone()
    return row[0] if row else "none"


def _measure(
    conn: Any, raw: sqlite3.Connection, name: str, fkw: dict[str, Any], skw: dict[str, Any]
) -> list[Result]:
    from seller_desk.store.queries._returns_sql import page_sql
    from seller_desk.store.queries.returns import (
        ReturnsFilter,
        ReturnsSort,
        _layout,
        page_returns,
    )

    sort = ReturnsSort(**skw)
    mine = median_s(lambda: page_returns(conn, ReturnsFilter(**fkw), sort, None, PAGE))
    shape, params = _layout(ReturnsFilter(**fkw), sort, None)
    params.update(limit=PAGE, offset=0)  # the filter's own values, the stalled cut-off among them
    sql = page_sql(shape, keys_only=False)
    baseline = median_s(lambda: raw.execute(sql, params).fetchall())
    rows = len(page_returns(conn, ReturnsFilter(**fkw), sort, None, PAGE))
    results = [
        Result(
            name=f"returns_page[{name}]",
            value=mine * 1000,
            unit="ms",
            baseline=baseline * 1000,
            target=2.0,
            target_on="ratio",
            detail={"rows": rows, "page_size": PAGE},
        )
    ]
    if name in SEARCH_CASES:  # issue 4: a tracking number or RMA among a million returns in <= 20 ms
        results.append(Result(f"returns_search[{name}]", mine * 1000, "ms", None, SEARCH_TARGET_MS))
    return results


@benchmark("returns_filter_page")
def filter_first_page(ctx: BenchContext) -> list[Result]:
    from seller_desk.store.migrate import open_store

    data_dir = ctx.seeded_store()
    store = open_store(data_dir / DB_FILENAME)
    raw = sqlite3.connect(data_dir / DB_FILENAME, isolation_level=None)
    try:
        with store.engine.connect() as conn:
            return [r for name, fkw, skw in _cases(raw) for r in _measure(conn, raw, name, fkw, skw)]
    finally:
        raw.close()
        store.close()
