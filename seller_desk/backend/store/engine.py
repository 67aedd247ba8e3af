"""One ``Database`` for the backend: the same code on a SQLite file and on PostgreSQL.

SQLite (the default, one seller or a small team on one machine):
- WAL so readers (change pulls) never wait for the writer; ``synchronous=FULL`` because this file is
  the record of money decisions; ``foreign_keys=ON`` on every connection; a busy timeout to ride out
  the writer lock.
- Writers open with ``BEGIN IMMEDIATE``: they take the write lock first, so two writers never both
  read and then deadlock on upgrading (pysqlite is put in autocommit mode and the engine's ``begin``
  event issues BEGIN itself, SQLAlchemy's documented recipe). SQLite ignores ``FOR UPDATE``; the
  immediate lock already serializes every writer.

PostgreSQL (``postgresql+psycopg://``; a bare ``postgresql://`` is taken to mean psycopg 3): READ
COMMITTED writers that take explicit row locks (``SELECT … FOR UPDATE``) on what they change;
REPEATABLE READ readers, so a multi-statement read sees one snapshot (SQLite's readers always do).

JSON columns are read with orjson: a changes page decodes a thousand ``data`` rows, and the standard
library's decoder was the largest cost of serving one after the query itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

BUSY_TIMEOUT_MS = 15_000
_WRITE_OPTION = "seller_desk_backend_write"


def sqlite_url(path: Path | str) -> str:
    """The URL of a SQLite database file."""
    return f"sqlite:///{Path(path)}"


def is_postgres_url(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def _normalize(url: str | URL) -> URL:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise ValueError(
                f"{url}: the backend needs a SQLite *file* (its server threads share it); "
                "give sqlite:///path/to/backend.sqlite3"
            )
        return parsed.set(drivername="sqlite+pysqlite")
    raise ValueError(f"{url}: unsupported database; use sqlite:///FILE or postgresql+psycopg://…")


def _sqlite_engine(url: URL) -> Engine:
    assert url.database is not None
    Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_size=8, max_overflow=16, json_deserializer=orjson.loads)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(_WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


class Database:
    """The backend's engine and its two kinds of session: reading, and writing (one transaction each).

    Data functions take the session they are given and never commit; ``writing()`` commits when its
    block ends cleanly and rolls back on any exception.
    """

    def __init__(self, url: str | URL, **engine_options: Any) -> None:
        self.url = _normalize(url)
        self.dialect = self.url.get_backend_name()
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(self.url)
            write_engine: Engine = self.engine.execution_options(**{_WRITE_OPTION: True})
        else:
            options = {
                "pool_size": 10, "max_overflow": 20, "pool_pre_ping": True,
                "json_deserializer": orjson.loads, **engine_options,
            }  # fmt: skip
            self.engine = create_engine(self.url, **options)
            write_engine = self.engine
        read_engine: Engine = self.engine
        if self.dialect == "postgresql":
            # A page of the change feed is read with several statements (epoch, horizon, rows): one
            # snapshot for all of them. Read-only REPEATABLE READ transactions never fail to serialize.
            read_engine = self.engine.execution_options(isolation_level="REPEATABLE READ")
        self._reader = sessionmaker(bind=read_engine, expire_on_commit=False, autoflush=False)
        self._writer = sessionmaker(bind=write_engine, expire_on_commit=False, autoflush=False)

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @contextmanager
    def writing(self) -> Iterator[Session]:
        with self._writer() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._reader() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({self.url.render_as_string(hide_password=True)!r})"
