"""``gui_pull_stall``: how long the GUI's event loop stalls while its sync worker pulls 100,000 changes.

The backend here is a small local server on 127.0.0.1 (a thread of this process) that serves real
``GET /v1/changes`` pages — the protocol's JSON, as many changes a page as the app asks for
(``sync.pull.DEFAULT_PAGE_LIMIT``: one page is one write transaction), built before the clock starts —
of 100,000 SKU rows (``sku`` entity), so the figure measures the desktop (download, parse, bulk upsert,
progress signals) rather than a backend's queries. The app runs as a child process on the offscreen
platform (``ui/pull_stall_probe.py``), connected to that server, with a 10 ms timer measuring lateness.

Figure: the maximum stall during the pull (target < 100 ms). Baseline, same run: the same window idle,
nothing to sync, sampled as long as the pull took (at most 30 s). Also reported: p99, pull seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from seller_desk.bench.registry import BenchContext, benchmark
from seller_desk.bench.results import Result
from seller_desk.sync.pull import DEFAULT_PAGE_LIMIT

CHANGES = 100_000
PAGE = DEFAULT_PAGE_LIMIT
TARGET_MS = 100.0
TOKEN = "bench-token"
IDLE_CAP_S = 30.0


def build_pages(changes: int, page: int = PAGE) -> list[bytes]:
    """The feed as ready-to-send page bodies; page ``i`` answers ``cursor=i`` (none: page 0)."""
    bodies = []
    for start in range(0, changes, page):
        batch = []
        for seq in range(start + 1, min(start + page, changes) + 1):
            sku = f"BENCH-{seq:07d}"
            data = {
                "sku": sku,
                "asin": f"B0{seq:08d}",
                "title": f"Benchmark item {seq}",
                "category": "bench",
                "currency": "USD",
                "price_minor": 1000 + seq % 5000,
                "unit_cost_minor": 400 + seq % 2000,
            }
            batch.append({"seq": seq, "entity": "sku", "id": sku, "version": 1, "op": "upsert", "data": data})
        number = start // page
        more = start + page < changes
        bodies.append(
            json.dumps({"changes": batch, "next_cursor": str(number + 1), "has_more": more}).encode()
        )
    return bodies


@contextmanager
def feed_server(pages: list[bytes]) -> Iterator[str]:
    """Serve ``pages`` on a free loopback port; yields the base URL. Any other path answers 404."""
    empty = json.dumps({"changes": [], "next_cursor": str(len(pages)), "has_more": False}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's name
            url = urlsplit(self.path)
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._send(401, b'{"error":"unauthorized","message":"bench token expected"}')
            elif url.path != "/v1/changes":
                self._send(404, b'{"error":"not_found","message":"no such route"}')
            else:
                cursor = parse_qs(url.query).get("cursor", ["0"])[0]
                index = int(cursor) if cursor.isdigit() else 0
                self._send(200, pages[index] if index < len(pages) else empty)

        def do_POST(self) -> None:  # e.g. the token exchange: absent here, so the client keeps its token
            self._send(404, b'{"error":"not_found","message":"no such route"}')

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="bench-feed-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _connected_store(data_dir: Path, url: str | None) -> None:
    """A migrated empty store, connected to ``url`` (token in the private file) unless None."""
    from keyring.backends.fail import Keyring

    from seller_desk.paths import resolve_paths
    from seller_desk.store.migrate import open_store
    from seller_desk.sync.connection import Backend, remember
    from seller_desk.sync.credentials import CredentialStore

    paths = resolve_paths(data_dir)
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_store(paths.database)
    try:
        if url is not None:
            remember(store, Backend(url, None))
            CredentialStore(paths.config_dir, backend=Keyring()).save(url, TOKEN)
    finally:
        store.close()


def _probe(data_dir: Path, mode: str, seconds: float = 3.0) -> dict[str, Any]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    done = subprocess.run(
        [sys.executable, "-m", "seller_desk.ui.pull_stall_probe", str(data_dir), "--mode", mode,
         "--seconds", f"{seconds:.2f}"],
        capture_output=True, text=True, env=env, timeout=1200, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"pull-stall probe ({mode}) failed ({done.returncode}): {done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _rows(data_dir: Path) -> int:
    import sqlite3

    from seller_desk.paths import DB_FILENAME

    with sqlite3.connect(data_dir / DB_FILENAME) as conn:
        return int(conn.execute("SELECT count(*) FROM skus").fetchone()[0])


def measure(work_dir: Path, changes: int = CHANGES) -> list[Result]:
    pages = build_pages(changes)
    pull_dir, idle_dir = work_dir / "pull-stall-store", work_dir / "idle-store"
    with feed_server(pages) as url:
        _connected_store(pull_dir, url)
        pulled = _probe(pull_dir, "pull")
    applied = _rows(pull_dir)
    if pulled.get("final_mode") != "online" or applied != changes:
        raise RuntimeError(f"the pull did not complete: {applied:,} of {changes:,} rows; probe said {pulled}")
    _connected_store(idle_dir, None)
    idle = _probe(idle_dir, "idle", seconds=min(float(pulled["seconds"]), IDLE_CAP_S))
    return [
        Result(
            name="gui_pull_stall",
            value=float(pulled["max_stall_ms"]),
            unit="ms",
            baseline=max(float(idle["max_stall_ms"]), 0.01),
            target=TARGET_MS,
            detail={
                "changes": changes,
                "pages": len(pages),
                "pull_seconds": pulled["seconds"],
                "p99_stall_ms": pulled["p99_stall_ms"],
                "samples": pulled["samples"],
                "baseline_is": "the same window idle (nothing to sync), sampled as long as the pull took",
                "baseline_p99_ms": idle["p99_stall_ms"],
                "backend": "local loopback server of prebuilt /v1/changes pages (sku rows)",
            },
        )
    ]


@benchmark("gui_pull_stall")
def gui_pull_stall(ctx: BenchContext) -> list[Result]:
    return measure(ctx.work_dir)
