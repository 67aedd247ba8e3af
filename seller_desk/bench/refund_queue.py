"""Benchmark ``refund_queue_open``: the Refunds screen over 50,000 pending refund requests, from
building the screen to its first page and first request's detail painted (target < 300 ms).

The screen runs in a child process (``ui/refunds_probe.py``, offscreen; the benchmark package imports
no Qt). The baseline, measured in this run on the same store: the raw sqlite3 query for the same first
page of ids in refund-clock order.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

from seller_desk.bench.refund_approvals import build_pending_store
from seller_desk.bench.registry import BenchContext, benchmark
from seller_desk.bench.results import Result
from seller_desk.paths import DB_FILENAME

PENDING = 50_000
RUNS = 5


def _raw_first_page_ms(path: str) -> float:
    conn = sqlite3.connect(path)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        conn.execute(
            "SELECT id, due_at FROM refund_requests WHERE state = 'pending' AND due_at IS NOT NULL "
            "ORDER BY due_at, id LIMIT 200"
        ).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    conn.close()
    return statistics.median(times)


@benchmark("refund_queue_open")
def refund_queue_open(ctx: BenchContext) -> list[Result]:
    data_dir = ctx.work_dir / "refund-queue"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    build_pending_store(data_dir / DB_FILENAME, PENDING)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "seller_desk.ui.refunds_probe", str(data_dir), str(RUNS)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"refunds probe failed ({done.returncode}): {done.stderr[-2000:]}")
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    times = probe["open_ms"]
    return [
        Result("refund_queue_open_ms", statistics.median(times), "ms",
               _raw_first_page_ms(str(data_dir / DB_FILENAME)), 300.0,
               detail={"pending": probe["pending"], "runs_ms": [round(t, 1) for t in times],
                       "baseline_is": "raw sqlite3: the first page of 200 ids in refund-clock order"}),
    ]  # fmt: skip
