"""Fan-out benchmark: 20 desktops pull one seller's feed at once from one real backend.

Each desktop is its own process (``fanout_worker``) with its own store file, pulling with the real
``Puller`` and ``SyncClient`` over loopback from ``seller-desk backend serve``, page size as the engine
uses. The figure is the p99 page latency under that load; the baseline is the p99 of the same pages
pulled by one desktop alone (three pulls, fresh stores), so the ratio is the cost of the crowd. It runs
once with a SQLite backend and once with PostgreSQL (a throwaway cluster; reported as skipped, with
the reason, when the PostgreSQL binaries are not installed). The feed holds ``min(--rows, 20,000)``
changes of real demo rows, written to the backend's change log; smaller ``--rows`` also means fewer
desktops (see ``desktops_for``), so a test can run the whole benchmark in seconds.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

from seller_desk.bench.pg_cluster import find_bin_dir, postgres_cluster
from seller_desk.bench.registry import BenchContext, benchmark
from seller_desk.bench.results import Result
from seller_desk.bench.sync_feed import LoopbackBackend, demo_changes, log_changes, loopback_backend

DESKTOPS = 20  # at --rows 1,000,000; fewer on smaller runs (one per 50,000 rows, at least two)
SOLO_PULLS = 3
MAX_CHANGES = 20_000


def desktops_for(rows: int) -> int:
    return max(2, min(DESKTOPS, rows // 50_000))


def _p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def pull_at_once(backend: LoopbackBackend, directories: list[Path]) -> list[dict[str, object]]:
    """Start one desktop process per directory, release them together, collect their reports."""
    workers = []
    for directory in directories:
        directory.mkdir(parents=True)
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "seller_desk.bench.fanout_worker",
                    backend.base_url,
                    backend.token,
                    str(directory),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        )
    try:
        for worker in workers:
            assert worker.stdout is not None
            if worker.stdout.readline().strip() != "ready":
                raise RuntimeError("a fan-out desktop failed to start")
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        reports = []
        for worker in workers:
            out, _ = worker.communicate(timeout=600)
            reports.append(dict(json.loads(out.strip().splitlines()[-1])))
        return reports
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()


def _latencies(reports: list[dict[str, object]], expected: int) -> list[float]:
    for report in reports:
        if report["error"] or report["changes"] != expected:
            raise RuntimeError(
                f"a desktop's pull went wrong: {report['error']} ({report['changes']} changes)"
            )
    return [float(x) for report in reports for x in report["latencies"]]  # type: ignore[attr-defined]


def _measure(kind: str, db_url: str, ctx: BenchContext, changes: list) -> Result:  # type: ignore[type-arg]
    desktops = desktops_for(ctx.rows)
    work = ctx.work_dir / f"fanout-{kind}"
    work.mkdir(parents=True, exist_ok=True)
    with loopback_backend(db_url, work / "server.log") as backend:
        log_changes(db_url, backend.seller_id, changes)
        solo = []
        for run in range(SOLO_PULLS):
            solo += _latencies(pull_at_once(backend, [work / f"solo-{run}"]), len(changes))
        crowd = _latencies(pull_at_once(backend, [work / f"d{i}" for i in range(desktops)]), len(changes))
    return Result(
        name=f"sync_fanout_p99_page_ms[{kind}]",
        value=_p99(crowd) * 1000,
        unit="ms",
        baseline=_p99(solo) * 1000,
        target=None,
        detail={
            "backend": kind,
            "desktops": desktops,
            "changes_per_desktop": len(changes),
            "pages": len(crowd),
            "p50_ms_under_load": round(statistics.median(crowd) * 1000, 2),
            "p50_ms_alone": round(statistics.median(solo) * 1000, 2),
            "baseline_is": f"p99 of the same pages pulled by one desktop alone ({SOLO_PULLS} pulls)",
            "latency_is": "GET /v1/changes round trip + decoding the page, measured in each desktop",
        },
    )


@benchmark("sync_fanout")
def fanout(ctx: BenchContext) -> list[Result]:
    from seller_desk.backend.store import sqlite_url

    changes = demo_changes(ctx.work_dir, min(ctx.rows, MAX_CHANGES))
    results = [_measure("sqlite", sqlite_url(ctx.work_dir / "fanout-backend.sqlite3"), ctx, changes)]
    bin_dir = find_bin_dir()
    if bin_dir is None:
        reason = "PostgreSQL binaries (initdb, postgres) not found under /usr/lib/postgresql/*/bin or PATH"
        results.append(
            Result("sync_fanout_p99_page_ms[postgresql]", 0.0, "ms", None, None, detail={"skipped": reason})
        )
    else:
        with postgres_cluster(bin_dir) as url:
            results.append(_measure("postgresql", url, ctx, changes))
    return results
