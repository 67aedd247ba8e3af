"""Returns screen benchmark: a filter or search change, and a jump, until the rows are painted.

The real app runs as a child process, offscreen, on the seeded store with ``SELLER_DESK_RETURNS_PROBE``
set (``ui/returns_probe.py``): once the first page is painted and the background anchors are built it
jumps to rows spread over the list, then applies each filter case, timing each from the action to
the first paint that shows its real rows. The baseline of a filter case is the raw sqlite3 work the
GUI's read does for it — the count and the first page, the same SQL text and parameters — measured
here on a bare connection. Targets (issue 4): painted ≤ 50 ms; a jump ≤ 50 ms; peak RSS < 250 MB.
Before the child starts, the comment word index is brought up to date, as a running app keeps it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from typing import Any

from seller_desk.bench.registry import BenchContext, benchmark
from seller_desk.bench.results import Result
from seller_desk.bench.returns_list import median_s
from seller_desk.paths import DB_FILENAME

PAINT_TARGET_MS = 50.0
JUMP_TARGET_MS = 50.0
RSS_TARGET_MB = 250.0
PAGE_ROWS = 200  # the model's first page
JUMPS = (0.5, 0.93, 0.07, 0.71, 0.29, 0.999)


def _cases(raw: sqlite3.Connection) -> list[dict[str, Any]]:
    """Filter changes a seller makes, with values taken from the store itself."""
    rma, tracking = raw.execute(
        "SELECT rma, tracking_number FROM returns WHERE tracking_number IS NOT NULL "
        "AND id >= (SELECT max(id) / 3 FROM returns) LIMIT 1"
    ).fetchone()
    sku = raw.execute("SELECT sku FROM returns WHERE id = (SELECT max(id) / 2 FROM returns)").fetchone()[0]
    category = raw.execute("SELECT category FROM skus GROUP BY category ORDER BY count(*) DESC").fetchone()[0]
    word = raw.execute(
        "SELECT customer_comment FROM returns WHERE customer_comment IS NOT NULL LIMIT 1"
    ).fetchone()
    cases: list[dict[str, Any]] = [
        {"name": "status in transit", "filter": {"statuses": ["in_transit"]}},
        {"name": "quick: stalled", "filter": {"quick": "stalled"}},
        {"name": "quick: arriving in 7 days", "filter": {"quick": "arriving_week"}},
        {"name": "quick: delivered, not received", "filter": {"quick": "awaiting_receipt"}},
        {"name": "category", "filter": {"category": category}},
        {"name": "one SKU", "filter": {"sku": sku}},
        {"name": "search an RMA", "filter": {"search": rma}},
        {"name": "search a tracking number", "filter": {"search": tracking}},
        {"name": "all returns again", "filter": {}},
    ]
    if word is not None:
        cases.insert(-1, {"name": "search a comment word", "filter": {"search": word[0].split()[0]}})
    return cases


def _raw_read_ms(raw: sqlite3.Connection, fields: dict[str, Any]) -> float:
    """The count and first page of ``fields`` on a bare sqlite3 connection, median of 15, in ms."""
    from seller_desk.store.queries._returns_sql import count_sql, page_sql
    from seller_desk.store.queries.returns import DEFAULT_SORT, _layout, filter_from_fields

    f = filter_from_fields(fields)
    shape, params = _layout(f, DEFAULT_SORT, None)
    params.update(limit=PAGE_ROWS, offset=0)
    page, count = page_sql(shape, keys_only=False), count_sql(shape.filters)

    def read() -> None:
        raw.execute(count, params).fetchone()
        raw.execute(page, params).fetchall()

    return median_s(read, repeat=15) * 1000


def _index_comments(data_dir: Any) -> None:
    from seller_desk.store.comment_index import catch_up_batch
    from seller_desk.store.migrate import open_store

    open_store(data_dir / DB_FILENAME).close()  # at the schema's head
    conn = sqlite3.connect(data_dir / DB_FILENAME, isolation_level=None)
    try:
        while catch_up_batch(conn, batch=50_000):
            pass
    finally:
        conn.close()


@benchmark("returns_gui")
def returns_gui(ctx: BenchContext) -> list[Result]:
    data_dir = ctx.seeded_store()
    _index_comments(data_dir)
    raw = sqlite3.connect(data_dir / DB_FILENAME)
    try:
        cases = _cases(raw)
        baselines = {case["name"]: _raw_read_ms(raw, case["filter"]) for case in cases}
    finally:
        raw.close()
    plan = {"cases": cases, "jumps": list(JUMPS)}
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SELLER_DESK_RETURNS_PROBE": json.dumps(plan)}
    done = subprocess.run(
        [sys.executable, "-m", "seller_desk", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the returns probe failed ({done.returncode}): {done.stderr[-2000:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    results = [
        Result(
            name=f"returns_painted[{name}]",
            value=float(ms),
            unit="ms",
            baseline=baselines[name],
            target=PAINT_TARGET_MS,
            detail={"rows": report["rows_by_case"][name], "baseline_is": "raw sqlite3 count + first page"},
        )
        for name, ms in report["filters_ms"].items()
    ]
    jumps = [float(ms) for ms in report["jumps_ms"]]
    results.append(
        Result(
            name="returns_jump_painted_max",
            value=max(jumps),
            unit="ms",
            baseline=None,
            target=JUMP_TARGET_MS,
            detail={
                "jumps_ms": jumps,
                "to_fractions": list(JUMPS),
                "rows": report["rows"],
                "anchors_built_after_s": report.get("anchors_s"),
            },
        )
    )
    results.append(
        Result(
            name="returns_peak_rss",
            value=float(report["rss_peak_mb"]),
            unit="MB",
            baseline=None,
            target=RSS_TARGET_MB,
            detail={"after": "start-up, the jumps and every filter case"},
        )
    )
    return results
