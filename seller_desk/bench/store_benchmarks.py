"""Benchmarks of the local store: how fast the demo history seeds."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from seller_desk.bench.registry import BenchContext, benchmark
from seller_desk.bench.results import Result
from seller_desk.paths import DB_FILENAME


def _raw_insert_floor(path: Path, rows: int, width: int = 8) -> float:
    """The naive floor: one executemany of ``rows`` integer tuples into an unindexed table."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"CREATE TABLE t ({', '.join(f'c{i} INTEGER' for i in range(width))})")
        data = [tuple(range(i, i + width)) for i in range(rows)]
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO t VALUES ({', '.join('?' * width)})", data)
        conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


@benchmark("seed")
def seed_rate(ctx: BenchContext) -> list[Result]:
    from seller_desk.demo import seed_store
    from seller_desk.store.migrate import open_store

    data_dir = ctx.work_dir / "seed-bench"
    store = open_store(data_dir / DB_FILENAME)
    try:
        started = time.perf_counter()
        summary = seed_store(store, returns=ctx.rows, seed=1, replace=True, progress=None)
        seconds = time.perf_counter() - started
    finally:
        store.close()
    total_rows = sum(summary["rows"].values())
    floor = _raw_insert_floor(ctx.work_dir / "floor.sqlite3", total_rows)
    if ctx.reuse_store is None:
        ctx._store_dir = data_dir  # the benchmarks that follow use this store
    return [
        Result(
            name="seed_seconds",
            value=seconds,
            unit="s",
            baseline=floor,
            target=60.0 if ctx.rows >= 1_000_000 else None,
            detail={
                "returns": ctx.rows,
                "rows_written": total_rows,
                "rows": summary["rows"],
                "baseline_is": "raw sqlite3 executemany of the same row count, 8 int columns, no index",
            },
        ),
        Result(
            name="seed_rows_per_second", value=total_rows / seconds, unit="rows/s", baseline=None, target=None
        ),
    ]
