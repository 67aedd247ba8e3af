"""Alembic environment for the desktop store.

The app runs migrations in-process on an already-open connection (``config.attributes["connection"]``).
Developers create revisions from the command line against a scratch file:
``alembic -c seller_desk/store/migrations/alembic.ini -x db=/tmp/scratch.sqlite3 \
    revision --autogenerate -m "..."``.
``render_as_batch`` lets ALTER-style changes work on SQLite by copying the table.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from seller_desk.store.engine import create_store_engine
from seller_desk.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from pathlib import Path

    db = context.get_x_argument(as_dictionary=True).get("db")
    if not db:
        raise SystemExit("pass the database to migrate: -x db=PATH")
    engine = create_store_engine(Path(db))
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


run_migrations_online()
