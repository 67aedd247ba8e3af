"""Connection settings that the sync promise relies on, and the unit of work's commit/rollback."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from seller_desk.store.migrate import open_store
from seller_desk.store.models import AppMeta, AuditEntry
from seller_desk.store.uow import Store


@pytest.fixture
def store(tmp_path: Path):
    s = open_store(tmp_path / "store.sqlite3")
    yield s
    s.close()


def test_every_connection_has_the_pragmas(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        # Sized for a million-row mirror (see store/engine.py): SQLite's defaults are 2 MB and 1,000 pages.
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -16_384
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 10_000


def test_unit_of_work_commits_on_success_and_rolls_back_on_error(store: Store) -> None:
    with store.writing() as session:
        session.add(AppMeta(key="a", value="1"))

    def failing_task() -> None:
        with store.writing() as session:
            session.add(AppMeta(key="b", value="2"))
            session.flush()
            raise RuntimeError("task failed")

    with pytest.raises(RuntimeError):
        failing_task()
    with store.reading() as session:
        assert session.scalars(select(AppMeta.key)).all() == ["a"]


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(IntegrityError), store.writing() as session:
        session.execute(
            text("INSERT INTO outbox(mutation_id, idempotency_key, attempts) VALUES ('missing', 'k', 0)")
        )


def test_writers_begin_immediate_so_a_second_writer_waits_instead_of_failing(store: Store) -> None:
    """Two writers at once: the second blocks on the write lock (busy timeout) and then commits;
    neither sees SQLITE_BUSY on lock upgrade, which is what a deferred BEGIN would risk."""
    started = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with store.writing() as session:
                session.add(AuditEntry(at=datetime.now(UTC), what="first"))
                session.flush()
                started.set()
                release.wait(5)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    t = threading.Thread(target=first)
    t.start()
    assert started.wait(5)
    threading.Timer(0.3, release.set).start()
    with store.writing() as session:  # waits for the first writer's commit
        session.add(AuditEntry(at=datetime.now(UTC), what="second"))
    t.join(5)
    assert errors == []
    with store.reading() as session:
        assert session.scalars(select(AuditEntry.what).order_by(AuditEntry.id)).all() == ["first", "second"]


def test_datetimes_round_trip_as_utc_and_naive_ones_are_refused(store: Store) -> None:
    moment = datetime(2026, 3, 29, 1, 30, 15, tzinfo=UTC)
    with store.writing() as session:
        session.add(AuditEntry(at=moment, what="x"))
    with store.reading() as session:
        assert session.scalar(select(AuditEntry.at)) == moment

    def write_naive() -> None:
        with store.writing() as session:
            session.add(AuditEntry(at=datetime(2026, 1, 1), what="naive"))

    with pytest.raises(Exception, match="naive datetime"):
        write_naive()
