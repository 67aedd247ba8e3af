"""open_store: fresh creation, reopening, and the three refusals that must change nothing."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from seller_desk.store.errors import CorruptStoreError, NewerStoreError, UnwritableStoreError
from seller_desk.store.migrate import open_store
from seller_desk.store.migrations import HEAD_REVISION


def _revision(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_fresh_store_is_created_at_head_in_wal_mode(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "dir" / "store.sqlite3"
    store = open_store(db)
    store.close()
    assert db.exists()
    assert _revision(db) == HEAD_REVISION
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"returns", "orders", "mutations", "outbox", "sync_state", "conflicts", "audit"} <= tables


def test_reopening_at_head_makes_no_backup(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    open_store(db).close()
    open_store(db, backup_dir=tmp_path / "backups").close()
    assert not (tmp_path / "backups").exists()


def test_newer_database_is_refused_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    open_store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = db.read_bytes()
    with pytest.raises(NewerStoreError) as err:
        open_store(db)
    assert str(db) in str(err.value)
    assert "newer version" in str(err.value)
    assert db.read_bytes() == before


def test_not_a_database_is_refused_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    db.write_bytes(b"this is a spreadsheet, not a database\n" * 200)
    before = db.read_bytes()
    with pytest.raises(CorruptStoreError) as err:
        open_store(db)
    assert str(db) in str(err.value)
    assert db.read_bytes() == before


def test_damaged_sqlite_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    open_store(db).close()
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # clobber the schema page behind a valid header
    db.write_bytes(bytes(data))
    with pytest.raises(CorruptStoreError) as err:
        open_store(db)
    assert str(db) in str(err.value)


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    with pytest.raises(CorruptStoreError, match="not a Seller Desk database"):
        open_store(db)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_unwritable_directory_is_named(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(UnwritableStoreError) as err:
            open_store(locked / "store.sqlite3")
        assert str(locked) in str(err.value)
    finally:
        locked.chmod(stat.S_IRWXU)


def test_directory_that_cannot_be_created_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(UnwritableStoreError) as err:
        open_store(blocker / "sub" / "store.sqlite3")
    assert str(blocker / "sub") in str(err.value)


def test_older_database_is_backed_up_then_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulate an older revision by stamping the file with a known older id that the scripts know."""
    from seller_desk.store import migrate

    db = tmp_path / "store.sqlite3"
    open_store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO app_meta(key, value) VALUES ('marker', 'kept')")
        conn.execute("UPDATE alembic_version SET version_num = 'older'")
    upgraded: list[Path] = []
    monkeypatch.setattr(migrate, "_known_revisions", lambda: {"older", HEAD_REVISION})
    monkeypatch.setattr(migrate, "_upgrade", lambda path: upgraded.append(path))
    open_store(db, backup_dir=tmp_path / "backups").close()
    backups = list((tmp_path / "backups").iterdir())
    assert upgraded == [db]
    assert len(backups) == 1
    assert "revolder" in backups[0].name
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT value FROM app_meta WHERE key='marker'").fetchone()[0] == "kept"
