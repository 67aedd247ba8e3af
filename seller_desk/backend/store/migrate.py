"""Bring a backend database to this version's schema with its own Alembic migrations.

``seller-desk backend serve`` runs this before it listens, and the tests run it on every database
they make. The desktop store has a separate migrations directory and version table: the two schemas
evolve on their own.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from seller_desk.backend.store.engine import Database

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
HEAD_REVISION = "0002"


def upgrade(db: Database, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` on ``db`` (a no-op when it is already there)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.commit()


def current_revision(db: Database) -> str | None:
    """The schema revision stored in ``db`` (None for an empty database)."""
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        value = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return None if value is None else str(value)
