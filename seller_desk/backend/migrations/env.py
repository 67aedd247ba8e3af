"""Alembic environment of the backend store.

Migrations run in-process on an open connection (``config.attributes["connection"]``). To write a
new revision, point Alembic at a scratch database:
``alembic -c seller_desk/backend/migrations/alembic.ini -x url=sqlite:////tmp/scratch.sqlite3 \
    revision --autogenerate -m "..."``.
``render_as_batch`` lets ALTER-style changes work on SQLite (by copying the table) and is harmless
on PostgreSQL.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from seller_desk.backend.store.engine import Database
from seller_desk.backend.store.models import Base

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
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("pass the database to migrate: -x url=sqlite:///PATH or postgresql+psycopg://…")
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        db.dispose()


run_migrations_online()
