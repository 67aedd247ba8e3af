"""Seed (or reuse) the store the benchmarks share, timing the seed for the ``seed`` benchmark."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from seller_desk.bench.registry import BenchContext
from seller_desk.paths import DB_FILENAME


def _returns_in(data_dir: Path) -> int:
    db = data_dir / DB_FILENAME
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return int(conn.execute("SELECT count(*) FROM returns").fetchone()[0])
    except sqlite3.Error:
        return 0


def ensure_seeded(ctx: BenchContext) -> Path:
    data_dir = ctx.reuse_store or ctx.work_dir / "store"
    if _returns_in(data_dir) == ctx.rows:
        return data_dir
    from seller_desk.demo import seed_store
    from seller_desk.store.migrate import open_store

    store = open_store(data_dir / DB_FILENAME)
    try:
        started = time.perf_counter()
        summary = seed_store(store, returns=ctx.rows, seed=1, replace=True, progress=None)
        ctx.facts["seed_seconds"] = time.perf_counter() - started
        ctx.facts["seed_rows"] = summary["rows"]
    finally:
        store.close()
    return data_dir
