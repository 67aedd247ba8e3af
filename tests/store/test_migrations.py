"""The Alembic scripts and the models must describe the same schema, and HEAD_REVISION must be true."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from seller_desk.store.comment_index import FTS_TABLE
from seller_desk.store.migrate import MIGRATIONS_DIR, open_store
from seller_desk.store.migrations import HEAD_REVISION
from seller_desk.store.models import Base


def test_head_revision_constant_matches_scripts() -> None:
    assert ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head() == HEAD_REVISION


def test_migrated_schema_matches_models(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store.sqlite3")
    try:
        with store.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        store.close()
    diff = [d for d in diff if not _is_comment_index(d)]
    assert diff == [], f"models and migrations differ; write a migration: {diff}"


def _is_comment_index(difference: object) -> bool:
    """The FTS5 comment index and its shadow tables live in migrations only (no ORM model exists for a
    virtual table); everything else must match."""
    table = difference[1] if isinstance(difference, tuple) and len(difference) > 1 else None
    return getattr(table, "name", "").startswith(FTS_TABLE)
