"""``sim_history``: how long ``backend serve --simulate`` takes to seed its first history.

The demo launcher starts a simulating backend and the desktop pulls at once, so the history must be
written before the server answers and quickly (target: under 2 s on SQLite). The baseline, measured
in the same run, is drawing the very same events from the seeded world without writing them: the
ratio is what the backend's ingest paths (rows plus change feed, in small transactions) cost on top.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from seller_desk.bench.registry import BenchContext, benchmark
from seller_desk.bench.results import Result

START = datetime(2026, 3, 2, 12, tzinfo=UTC)
TARGET_S = 2.0


@benchmark("sim_history")
def sim_history(ctx: BenchContext) -> list[Result]:
    from seller_desk.backend.simulator import Simulator, SimulatorSettings, World
    from seller_desk.backend.store import Database, sqlite_url, upgrade

    settings = SimulatorSettings()
    started = time.perf_counter()
    world = World(
        settings.seed, START - timedelta(days=settings.history_days), backlog=settings.backlog_returns
    )
    drawn = sum(1 for _ in world.pop_until(START))
    baseline = time.perf_counter() - started

    path = ctx.work_dir / "sim-history.sqlite3"
    path.unlink(missing_ok=True)
    db = Database(sqlite_url(path))
    try:
        upgrade(db)
        started = time.perf_counter()
        simulator = Simulator(db, settings, start=START)
        applied = simulator.seed_history()
        seconds = time.perf_counter() - started
    finally:
        db.dispose()
    detail = {
        "events": applied,
        "events_drawn_by_baseline": drawn,
        "orders": simulator.tally["order"],
        "returns": simulator.tally["return"],
    }
    return [Result("sim_history", seconds, "s", baseline, TARGET_S, "value", detail)]
