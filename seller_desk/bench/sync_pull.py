"""Pull ingest benchmark: 1,000,000 changes into the desktop store, against raw sqlite3 executemany.

What "ingest" covers here: the desktop's whole pull loop (``sync.pull.Puller`` with its ``SyncClient``)
over pages the backend's own encoder wrote, at the page size the engine asks for — building each
request, reading the cursor, decoding and checking the page bytes, the mirror upserts, the local-effect
replay and the cursor, one transaction per page. Only the socket is left out: the client's transport
hands back the encoded bytes (``httpx.MockTransport``), so the figure is the desktop's own cost.

The baseline does the same writes minus our overhead: the very same row tuples (built before its clock
starts, after ours stopped), the same upsert SQL into the same tables and indexes of a fresh store, one
``BEGIN IMMEDIATE`` … cursor upsert … ``COMMIT`` per page with the same pragmas, through a bare sqlite3
connection.

Beside it, ``sync_pull_loopback`` reports the end-to-end rate from a real ``backend serve`` (SQLite) on
127.0.0.1 at a smaller N (``--rows`` / 20, at most 50,000), so that serving and the network show apart.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from seller_desk.bench.registry import BenchContext, benchmark
from seller_desk.bench.results import Result
from seller_desk.bench.sync_feed import demo_changes, encoded_pages, log_changes, loopback_backend
from seller_desk.paths import DB_FILENAME

if TYPE_CHECKING:
    from seller_desk.store.uow import Store
    from seller_desk.sync.client import SyncClient
    from seller_desk.sync.pull import Puller

RATE_TARGET = 100_000  # changes/s
RATIO_TARGET = 1.5


def _desktop(directory: Path) -> Store:
    from seller_desk.store.migrate import open_store

    return open_store(directory / DB_FILENAME)


def _puller(store: Store, client: SyncClient) -> Puller:
    """The puller exactly as ``SyncEngine`` builds it (default page size, no token refresh hook)."""
    from seller_desk.sync.clock import SystemClock
    from seller_desk.sync.pull import Puller
    from seller_desk.sync.push import TokenRefresh

    return Puller(store, client, clock=SystemClock(), refresh=TokenRefresh(client, None))


def _served_from_memory(pages: list[bytes]) -> httpx.MockTransport:
    """Answers ``GET /v1/changes`` from memory: no cursor gets page 0, cursor ``bench-i`` page i + 1."""
    by_cursor = {None if i == 0 else f"bench-{i - 1}": page for i, page in enumerate(pages)}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=by_cursor[request.url.params.get("cursor")])

    return httpx.MockTransport(handler)


def _raw_baseline(
    directory: Path, pages: list[list[tuple[str, list[tuple[object, ...]]]]]
) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for the raw writes."""
    from seller_desk.store.engine import apply_pragmas
    from seller_desk.store.migrate import open_store

    open_store(directory / DB_FILENAME).close()  # the same schema, tables and indexes, empty
    conn = sqlite3.connect(directory / DB_FILENAME, isolation_level=None)
    try:
        apply_pragmas(conn)
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA synchronous = NORMAL")
        os.sync()  # as before our run: no writeback of earlier files (ours) competes with this one
        started, cpu = time.perf_counter(), time.process_time()
        for index, statements in enumerate(pages):
            conn.execute("BEGIN IMMEDIATE")
            for sql, rows in statements:
                conn.executemany(sql, rows)
            conn.execute(
                "INSERT INTO sync_state (stream, cursor, last_success_at) VALUES ('changes', ?, ?) "
                "ON CONFLICT(stream) DO UPDATE SET cursor = excluded.cursor",
                (f"bench-{index}", int(time.time())),
            )
            conn.execute("COMMIT")
        return time.perf_counter() - started, time.process_time() - cpu
    finally:
        conn.close()


@benchmark("sync_pull")
def pull_ingest(ctx: BenchContext) -> list[Result]:
    from seller_desk.store.mirror import SPECS
    from seller_desk.sync.client import SyncClient
    from seller_desk.sync.pages import parse_page
    from seller_desk.sync.pull import DEFAULT_PAGE_LIMIT

    count = ctx.rows
    changes = demo_changes(ctx.work_dir, count)
    pages = encoded_pages(changes, DEFAULT_PAGE_LIMIT, "tabular")
    del changes
    store = _desktop(ctx.work_dir / "sync-pull-desktop")
    client = SyncClient("http://bench.invalid", "token", transport=_served_from_memory(pages))
    try:
        os.sync()  # the seeded source store's writes are flushed now, not by the kernel during our run
        started, cpu = time.perf_counter(), time.process_time()
        report = _puller(store, client).pull_until_drained()
        ours, ours_cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        client.close()
        store.close()
    if report.changes != count or not report.drained:
        raise RuntimeError(f"the pull stopped early: {report}")
    # The baseline's input: the same rows as plain tuples, per page and table, made before its clock
    # starts but only after ours stopped, so that neither run carries the other's million row objects
    # (a full garbage collection during the pull walked them all: up to 0.7 s of a run).
    statements = [
        [
            (SPECS[t].upsert_sql, [tuple(r) for r in b.upserts.values()])
            for t, b in parse_page(p).tables.items()
        ]
        for p in pages
    ]
    raw, raw_cpu = _raw_baseline(ctx.work_dir / "sync-pull-raw", statements)
    detail = {
        # The 2 cores are shared: CPU seconds show how much of a wall-clock gap is waiting for a core.
        "cpu_seconds": round(ours_cpu, 2),
        "baseline_cpu_seconds": round(raw_cpu, 2),
        "changes": count,
        "pages": report.pages,
        "page_size": DEFAULT_PAGE_LIMIT,
        "page_format": "tabular",
        "megabytes_decoded": round(sum(map(len, pages)) / 1e6, 1),
        "covers": "Puller+SyncClient over the backend encoder's bytes (no socket): decode, upserts, "
        "local effects, cursor; one transaction per page",
        "baseline_is": "raw sqlite3 executemany of the same tuples, same upsert SQL/tables/pragmas, "
        "one transaction with the cursor per page",
    }
    return [
        Result("sync_pull_seconds", ours, "s", raw, RATIO_TARGET, "ratio", detail),
        Result("sync_pull_us_per_change", ours / count * 1e6, "µs", None, 1e6 / RATE_TARGET,
               detail={"changes_per_second": round(count / ours), "target_is": "≥ 100,000 changes/s"}),
    ]  # fmt: skip


LOOPBACK_MAX = 50_000


@benchmark("sync_pull_loopback")
def pull_end_to_end(ctx: BenchContext) -> list[Result]:
    """The same pull from a real ``backend serve`` (SQLite) on 127.0.0.1: serving and network included."""
    from seller_desk.backend.store import sqlite_url
    from seller_desk.sync.client import SyncClient

    count = min(ctx.rows, LOOPBACK_MAX)
    changes = demo_changes(ctx.work_dir, count)
    work = ctx.work_dir / "sync-pull-loopback"
    work.mkdir(parents=True, exist_ok=True)
    db_url = sqlite_url(work / "backend.sqlite3")
    with loopback_backend(db_url, work / "server.log") as backend:
        log_changes(db_url, backend.seller_id, changes)
        store = _desktop(work / "desktop")
        client = SyncClient(backend.base_url, backend.token)
        try:
            started = time.perf_counter()
            report = _puller(store, client).pull_until_drained()
            seconds = time.perf_counter() - started
        finally:
            client.close()
            store.close()
    if report.changes != count or not report.drained:
        raise RuntimeError(f"the pull stopped early: {report}")
    return [
        Result(
            "sync_pull_loopback_us_per_change",
            seconds / count * 1e6,
            "µs",
            None,
            None,
            detail={
                "changes": count,
                "pages": report.pages,
                "changes_per_second": round(count / seconds),
                "covers": "a real backend serve (SQLite, one uvicorn process) on 127.0.0.1 reading its "
                "change log, HTTP, and the desktop's whole pull; compare with sync_pull (no socket)",
            },
        )
    ]
