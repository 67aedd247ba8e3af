"""Changes for the sync benchmarks: real rows, the backend's own page encoder, a real loopback backend.

The rows come from a demo store seeded for the purpose (the same generator as the app's demo data), so
they are the shapes and sizes a seller's mirrors really hold and every table constraint accepts them.
Each becomes a ``FeedChange`` as the backend's change log stores it, in ``wire.ENTITIES`` order (parents
first, as a bootstrap sends them). Pages are encoded by ``backend.feed.encoding``, the function the
``GET /v1/changes`` route answers with, so the bytes decoded are the bytes the backend sends.

For the end-to-end figures the same changes are written to a backend database's change log and served
by a real ``seller-desk backend serve`` on 127.0.0.1 (``LoopbackBackend``).
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import orjson

from seller_desk.backend.feed.encoding import FeedChange, FeedPage, encode
from seller_desk.backend.feed.entities import SPECS as FEED_SPECS
from seller_desk.paths import DB_FILENAME
from seller_desk.store.mirror import MIRROR_TABLES, SPECS
from seller_desk.wire import ENTITIES

CHANGES_PER_RETURN = 17  # a demo return brings ~17 mirror rows (orders, lines, parcels, scans, refunds)
_ENTITY_OF = {table: entity for entity, table in ENTITIES.items()}


def demo_changes(work_dir: Path, count: int) -> list[FeedChange]:
    """``count`` upserts of real demo rows, parents first, with ``seq`` 1..count."""
    source = work_dir / "sync-source"
    if not (source / DB_FILENAME).exists():
        from seller_desk.demo import seed_store
        from seller_desk.store.migrate import open_store

        store = open_store(source / DB_FILENAME)
        try:
            seed_store(store, returns=count // CHANGES_PER_RETURN + 50, seed=1, replace=True, progress=None)
        finally:
            store.close()
    changes: list[FeedChange] = []
    raw = sqlite3.connect(source / DB_FILENAME)
    try:
        for table in MIRROR_TABLES:
            spec, entity = SPECS[table], _ENTITY_OF[table]
            wire = FEED_SPECS[entity].wire_columns  # the row as the backend logs it
            select = ", ".join(wire)
            for row in raw.execute(f"SELECT {select} FROM {table} ORDER BY rowid LIMIT ?", (count,)):
                data = dict(zip(wire, row, strict=True))
                version = int(data.get("server_version") or 1)
                if "server_version" in data:
                    data["server_version"] = version
                key = "|".join(str(data[c]) for c in spec.pk)
                changes.append(FeedChange(len(changes) + 1, entity, key, version, "upsert", data))
                if len(changes) == count:
                    return changes
    finally:
        raw.close()
    raise RuntimeError(f"the demo store holds fewer than {count} mirror rows")


def encoded_pages(changes: list[FeedChange], page_size: int, page_format: str) -> list[bytes]:
    """The pages a backend would send for ``changes``; page i's ``next_cursor`` is ``bench-i``."""
    pages = []
    for index, start in enumerate(range(0, len(changes), page_size)):
        chunk = changes[start : start + page_size]
        has_more = start + page_size < len(changes)
        pages.append(encode(FeedPage(chunk, f"bench-{index}", has_more), page_format))
    return pages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LoopbackBackend:
    """``seller-desk backend serve`` in a child process, on 127.0.0.1, with one seller's device token."""

    base_url: str
    db_url: str
    token: str
    seller_id: int
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def log_changes(db_url: str, seller_id: int, changes: list[FeedChange]) -> None:
    """Append ``changes`` to the backend's change log, as ``FeedWriter`` would have, in bulk."""
    from sqlalchemy import insert

    from seller_desk.backend.store import Database
    from seller_desk.backend.store.models import ChangeRow

    db = Database(db_url)
    now = datetime.now(UTC)
    try:
        for start in range(0, len(changes), 20_000):
            with db.writing() as session:
                session.execute(
                    insert(ChangeRow),
                    [
                        {"seller_id": seller_id, "entity": c.entity, "entity_id": c.entity_id,
                         "rank": FEED_SPECS[c.entity].rank, "version": c.version, "op": c.op,
                         "data": c.data, "created_at": now}
                        for c in changes[start : start + 20_000]
                    ],
                )  # fmt: skip
        if db.is_postgres:  # what autovacuum does soon after a load like this; the planner needs it
            with db.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE changes")
    finally:
        db.dispose()


@contextmanager
def loopback_backend(
    db_url: str, log_path: Path, *, seller: str = "bench-seller"
) -> Iterator[LoopbackBackend]:
    """Migrate ``db_url``, mint a device token, serve it on a free loopback port until the block ends."""
    from seller_desk.backend.store import Database, upgrade
    from seller_desk.backend.tenancy import create_device_token

    db = Database(db_url)
    try:
        upgrade(db)
        with db.writing() as session:
            issued = create_device_token(session, seller, "bench-desktop", datetime.now(UTC))
    finally:
        db.dispose()
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "seller_desk", "backend", "serve", "--db", db_url,
             "--host", "127.0.0.1", "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ),
        )  # fmt: skip
    backend = LoopbackBackend(f"http://127.0.0.1:{port}", db_url, issued.token, issued.seller_id, process)
    try:
        _wait_ready(backend, log_path)
        yield backend
    finally:
        backend.stop()


def _wait_ready(backend: LoopbackBackend, log_path: Path, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if backend.process.poll() is not None:
            raise RuntimeError(f"the backend exited: {log_path.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{backend.base_url}/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the backend did not answer within {timeout_s} s")


def page_count(content: bytes) -> int:
    """How many changes an encoded page holds (either form), for sanity checks in the benchmarks."""
    doc = orjson.loads(content)
    if "entities" in doc:
        return sum(len(group["seq"]) for group in doc["entities"])
    return len(doc["changes"])
