"""Open the local store: check the file, back it up, bring its schema to this version's head.

Order of checks, each failing with a message that names the file and changes nothing:
1. the data directory can be created and written;
2. an existing file is a SQLite database and SQLite can read its schema;
3. its Alembic revision is one this version knows (else it was written by a newer Seller Desk).
Only then, if a migration is due on a database that already holds data, the file is copied aside to
``backups/`` with SQLite's online backup API (which includes the WAL) before the upgrade runs.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from seller_desk.store.engine import create_store_engine
from seller_desk.store.errors import CorruptStoreError, NewerStoreError, UnwritableStoreError
from seller_desk.store.migrations import HEAD_REVISION
from seller_desk.store.uow import Store

log = logging.getLogger(__name__)
SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def open_store(path: Path, *, backup_dir: Path | None = None) -> Store:
    """Open (creating or migrating as needed) the store at ``path``."""
    _check_writable(path)
    revision = _current_revision(path) if path.exists() and path.stat().st_size > 0 else None
    if revision != HEAD_REVISION:
        known = _known_revisions()
        if revision is not None and revision not in known:
            raise NewerStoreError(
                f"{path}: this database was written by a newer version of Seller Desk "
                f"(schema revision {revision!r}; this version knows up to {HEAD_REVISION!r}). "
                "Nothing was changed. Install the newer version, or choose another --data-dir."
            )
        if revision is not None:
            _backup(path, backup_dir or path.parent / "backups", revision)
        _upgrade(path)
    return Store(path, create_store_engine(path))


def _check_writable(path: Path) -> None:
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UnwritableStoreError(
            f"{directory}: cannot create the data directory ({exc.strerror})."
        ) from exc
    if not os.access(directory, os.W_OK | os.X_OK):
        raise UnwritableStoreError(
            f"{directory}: the data directory is not writable; SQLite needs it for its journal. "
            "Fix its permissions or choose another --data-dir."
        )
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise UnwritableStoreError(f"{path}: the database file is not readable and writable.")


def _current_revision(path: Path) -> str | None:
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise CorruptStoreError(
            f"{path}: not a Seller Desk database (the file is not SQLite). Nothing was changed; "
            "move the file away or choose another --data-dir."
        )
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables:
                if tables:
                    raise CorruptStoreError(
                        f"{path}: a SQLite file, but not a Seller Desk database (no schema revision). "
                        "Nothing was changed."
                    )
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise CorruptStoreError(f"{path}: the database is damaged ({exc}). Nothing was changed.") from exc
    return None if row is None else str(row[0])


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return {rev.revision for rev in script.walk_revisions()}


def _backup(path: Path, backup_dir: Path, revision: str) -> Path:
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backup_dir / f"{path.stem}-rev{revision}-{stamp}{path.suffix}"
    copy_database(path, target)
    log.info("backed up %s to %s before migrating", path, target)
    return target


def copy_database(source_path: Path, target: Path, *, read_only: bool = False) -> None:
    """A consistent copy of a live store (WAL included) with SQLite's online backup API."""
    source = (
        sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        if read_only
        else sqlite3.connect(source_path)
    )
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()


def _upgrade(path: Path, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = create_store_engine(path)
    try:
        with engine.connect() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            conn.commit()
    except Exception as exc:
        raise UnwritableStoreError(
            f"{path}: could not bring the database schema up to date ({exc})."
        ) from exc
    finally:
        engine.dispose()
