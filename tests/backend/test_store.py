"""The backend store: migrations on both databases match the models; engine settings; URLs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from seller_desk.backend.store import HEAD_REVISION, Database, sqlite_url, upgrade
from seller_desk.backend.store.migrate import current_revision
from seller_desk.backend.store.models import Base, FeedState
from tests.backend.live import LiveBackend


def test_migrations_build_exactly_the_models_schema(backend: LiveBackend) -> None:
    with backend.db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    assert current_revision(backend.db) == HEAD_REVISION
    upgrade(backend.db)  # a second run is a no-op
    with backend.db.reading() as session:
        epochs = session.execute(select(FeedState.epoch)).scalars().all()
    assert len(epochs) == 1
    assert len(epochs[0]) == 16


def test_each_database_gets_its_own_epoch(tmp_path: Path) -> None:
    epochs = []
    for name in ("a", "b"):
        db = Database(sqlite_url(tmp_path / f"{name}.sqlite3"))
        upgrade(db)
        with db.reading() as session:
            epochs.append(session.execute(select(FeedState.epoch)).scalar_one())
        db.dispose()
    assert epochs[0] != epochs[1]


def test_sqlite_connections_are_set_up_for_a_server(sqlite_db_url: str) -> None:
    db = Database(sqlite_db_url)
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
        path = sqlite_db_url.removeprefix("sqlite:///")
        with db.writing() as session:  # BEGIN IMMEDIATE: another writer cannot start meanwhile
            session.execute(text("SELECT 1"))
            other = sqlite3.connect(path, timeout=0.1)
            try:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
            finally:
                other.close()
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg"),
        ("sqlite:////tmp/x.sqlite3", "sqlite+pysqlite"),
    ],
)
def test_urls_pick_the_drivers_we_ship(url: str, expected: str) -> None:
    db = Database(url)
    try:
        assert db.url.drivername == expected
    finally:
        db.dispose()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "mysql://u@h/db"])
def test_unsupported_urls_are_refused_with_a_reason(url: str) -> None:
    with pytest.raises(ValueError, match=r"SQLite \*file\*|unsupported"):
        Database(url)
