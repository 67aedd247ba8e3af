"""The SQLAlchemy engine for the desktop's SQLite file, with the pragmas the sync promise needs.

- WAL lets the GUI read while a worker writes; ``synchronous=FULL`` makes a committed decision survive
  a power cut (SYNC.md fault 14), at ~3,800 single-row commits/s measured here.
- ``foreign_keys=ON`` on every connection: SQLite leaves it off otherwise.
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
WRITE_OPTION = "seller_desk_write"


def apply_pragmas(dbapi_connection: sqlite3.Connection) -> None:
    """The per-connection settings, also used by raw sqlite3 paths (bulk seed, benchmarks)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
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
