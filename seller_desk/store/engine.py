"""The SQLAlchemy engine for the desktop's SQLite file, with the pragmas the sync promise needs.

- WAL lets the GUI read while a worker writes; ``synchronous=FULL`` makes a committed decision survive
  a power cut (SYNC.md fault 14), at ~3,800 single-row commits/s measured here.
- ``foreign_keys=ON`` on every connection: SQLite leaves it off otherwise.
- A 16 MiB page cache (SQLite's default is 2 MB) and a WAL checkpoint every 10,000 pages (~40 MB; the
  default is 1,000): at a million mirror rows the indexes are far larger than 2 MB, so a pull's upserts
  kept re-reading evicted B-tree pages, and a checkpoint (two fsyncs, even at ``synchronous=NORMAL``)
  every few pages was half of every commit. Raw sqlite3 ingest of 1,000,000 pulled changes (pages of
  1,000) went 11.8 s -> 6.1 s with 64 MiB; at pages of 5,000, 16 MiB does as well as 64 MiB (5.35 s
  vs 5.31 s; 2 MB: 5.76 s). The cache fills with what a connection reads, and every connection has one:
  the app's peak RSS with 1M returns open after a jump to the middle row (``bench startup``) was 122 MB
  with SQLite's defaults, 143 MB with these settings, 149 MB with 64 MiB (one run each; target 200 MB).
- A busy timeout rides out short lock waits; writers open with ``BEGIN IMMEDIATE`` so two writers
  never both hold a read lock and deadlock on upgrade (the SQLITE_BUSY storm of fault 13).
Python's sqlite3 driver issues its own BEGIN lazily, so it is put in autocommit mode and the engine's
``begin`` event issues BEGIN or BEGIN IMMEDIATE itself (SQLAlchemy's documented pysqlite recipe).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.pool import ConnectionPoolEntry

BUSY_TIMEOUT_MS = 10_000
CACHE_SIZE_KIB = 16_384
WAL_AUTOCHECKPOINT_PAGES = 10_000
WRITE_OPTION = "seller_desk_write"


def apply_pragmas(dbapi_connection: sqlite3.Connection) -> None:
    """The per-connection settings, also used by raw sqlite3 paths (bulk seed, benchmarks)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA cache_size = -{CACHE_SIZE_KIB}")  # negative: KiB, not pages
        cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
    finally:
        cursor.close()


def create_store_engine(path: Path, **kwargs: Any) -> Engine:
    engine = create_engine(f"sqlite+pysqlite:///{path}", **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        apply_pragmas(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine and pool, but every transaction begins IMMEDIATE (takes the write lock)."""
    return engine.execution_options(**{WRITE_OPTION: True})
