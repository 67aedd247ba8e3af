"""Writing pulled changes into the mirror tables: bulk upserts, deletes, the cursor, all at once.

A page is applied in **one** write transaction together with its ``next_cursor``; a crash anywhere
before the commit leaves the previous page's cursor, and re-applying a page is harmless because every
write is an idempotent upsert or delete by primary key. The SQL is built once per table and run with
the driver's ``executemany`` over plain tuples (no ORM objects: ARCHITECTURE.md measured ORM bulk at a
sixth of raw speed).

A pull transaction commits with ``synchronous = NORMAL`` (the store's default is FULL): in WAL mode
that skips the fsync per commit, which was half the cost of a full re-pull (one per 1,000-change
page). It cannot corrupt the file, and a page lost to a power cut is lost *with its cursor*, so the next
pull simply fetches it again; the next FULL commit (any local act) fsyncs the log, earlier pages too.

Foreign keys are switched off for pull transactions. The mirrors are a replica: the backend keeps
their integrity, and a page boundary may split a parent from its child (a compacted feed sends a
parent updated later *after* its child). Deleting a row still deletes its children as the schema's
``ON DELETE CASCADE`` says, done explicitly here. Local rows of pending mutations (negative ids)
are never touched by a pull, nor by a rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, select

from seller_desk.store import local_effects as fx
from seller_desk.store.comment_index import FORGET_ALL_SQL
from seller_desk.store.engine import writer
from seller_desk.store.models import Base, SyncState
from seller_desk.store.models.sync import CHANGES_STREAM
from seller_desk.store.sellable_counts import forget as forget_sellable_counts
from seller_desk.store.types import to_epoch
from seller_desk.store.uow import Store

# Mirror tables, parents first: the order pages are applied in (deletes go children first).
MIRROR_TABLES: tuple[str, ...] = (
    "skus",
    "sku_stock",
    "daily_sales",
    "orders",
    "order_lines",
    "shipments",
    "tracking_events",
    "returns",
    "return_lines",
    "inspections",
    "notes",
    "refund_requests",
    "refund_request_lines",
    "refund_payments",
    "decisions",
)


@dataclass(frozen=True, slots=True)
class MirrorSpec:
    """How rows of one mirror table travel: data columns (wire order), keys, and the SQL that writes them."""

    table: str
    columns: tuple[str, ...]  # every column but server_version, in table order
    has_version: bool  # rows get ``server_version`` from the change, appended after ``columns``
    pk: tuple[str, ...]
    pk_types: tuple[type, ...]
    upsert_sql: str
    delete_sql: str


def _spec(table: Table) -> MirrorSpec:
    has_version = "server_version" in table.c
    columns = tuple(c.name for c in table.c if c.name != "server_version")
    written = (*columns, "server_version") if has_version else columns
    pk = tuple(c.name for c in table.primary_key.columns)
    pk_types = tuple(int if c.type.python_type is int else str for c in table.primary_key.columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in written if c not in pk)
    upsert = (
        f"INSERT INTO {table.name} ({', '.join(written)}) VALUES ({', '.join('?' * len(written))}) "
        f"ON CONFLICT({', '.join(pk)}) DO UPDATE SET {updates}"
    )
    delete = f"DELETE FROM {table.name} WHERE {' AND '.join(f'{c} = ?' for c in pk)}"
    return MirrorSpec(table.name, columns, has_version, pk, pk_types, upsert, delete)


SPECS: Mapping[str, MirrorSpec] = {name: _spec(Base.metadata.tables[name]) for name in MIRROR_TABLES}


@dataclass(slots=True)
class TableBatch:
    """One table's share of a page: rows to upsert keyed by change id (last change wins), keys to delete."""

    upserts: dict[Any, Sequence[Any]] = field(default_factory=dict)  # tuples or decoded JSON arrays
    deletes: dict[Any, tuple[Any, ...]] = field(default_factory=dict)


def _cascades(table: str) -> list[tuple[str, str, str]]:
    """(child table, child column, parent column) for each ``ON DELETE CASCADE`` foreign key to ``table``."""
    found = []
    for child in MIRROR_TABLES:
        for fk in Base.metadata.tables[child].foreign_keys:
            if fk.column.table.name == table and (fk.ondelete or "").upper() == "CASCADE":
                found.append((child, fk.parent.name, fk.column.name))
    return found


def _delete_with_children(
    conn: Connection, table: str, where: str, params: Sequence[tuple[Any, ...]]
) -> None:
    """Delete the rows of ``table`` matching ``where`` and, first, their descendants (recursively)."""
    for child, child_col, parent_col in _cascades(table):
        sub = f"{child_col} IN (SELECT {parent_col} FROM {table} WHERE {where})"
        if child in fx.LOCAL_ROW_TABLES:  # a pending act's local row stays until its mutation is answered
            sub = f"id > 0 AND {sub}"
        _delete_with_children(conn, child, sub, params)
    conn.exec_driver_sql(f"DELETE FROM {table} WHERE {where}", list(params))


@contextmanager
def pull_transaction(store: Store) -> Iterator[Connection]:
    """A ``BEGIN IMMEDIATE`` transaction, foreign keys off, no fsync at commit (see the module docstring)."""
    with writer(store.engine).connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        # Outside any transaction (the driver is in autocommit mode), where the pragmas take effect.
        raw.cursor().execute("PRAGMA foreign_keys = OFF")
        raw.cursor().execute("PRAGMA synchronous = NORMAL")
        try:
            with conn.begin():
                yield conn
        finally:
            raw.cursor().execute("PRAGMA synchronous = FULL")
            raw.cursor().execute("PRAGMA foreign_keys = ON")


def apply_batch(conn: Connection, tables: Mapping[str, TableBatch]) -> dict[str, set[int]]:
    """Write one page's rows; returns the tables upserted, with the ids for ``returns`` (local effects)."""
    for name in reversed(MIRROR_TABLES):
        batch = tables.get(name)
        if batch is not None and batch.deletes:
            spec = SPECS[name]
            where = " AND ".join(f"{c} = ?" for c in spec.pk)
            _delete_with_children(conn, name, where, list(batch.deletes.values()))
    touched: dict[str, set[int]] = {}
    # The upserts go straight to the driver, in this transaction: its executemany takes the decoded
    # JSON arrays as they are, where SQLAlchemy's would want every row copied into a tuple first.
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    for name in MIRROR_TABLES:
        batch = tables.get(name)
        if batch is not None and batch.upserts:
            cursor.executemany(SPECS[name].upsert_sql, list(batch.upserts.values()))
            # Ids only where local effects overlay fields (returns); the other tables are just named.
            touched[name] = {int(k) for k in batch.upserts} if name == "returns" else set()
    return touched


def read_cursor(store: Store) -> str | None:
    with store.reading() as session:
        return session.scalar(select(SyncState.cursor).where(SyncState.stream == CHANGES_STREAM))


def _save_cursor(conn: Connection, cursor: str | None, now: datetime, *, success: bool) -> None:
    conn.exec_driver_sql(
        "INSERT INTO sync_state (stream, cursor, last_success_at, last_error) VALUES (?, ?, ?, NULL) "
        "ON CONFLICT(stream) DO UPDATE SET cursor = excluded.cursor, last_error = NULL, "
        "last_success_at = COALESCE(excluded.last_success_at, last_success_at)",
        (CHANGES_STREAM, cursor, to_epoch(now) if success else None),
    )


def apply_page(
    store: Store,
    tables: Mapping[str, TableBatch],
    next_cursor: str,
    now: datetime,
    *,
    drained: bool,
    before_cursor: Callable[[], None] = lambda: None,
) -> None:
    """Apply a page, replay/retire local effects, save ``next_cursor`` — one transaction."""
    with pull_transaction(store) as conn:
        touched = apply_batch(conn, tables)
        fx.after_pull(conn, touched, drained=drained)
        before_cursor()
        _save_cursor(conn, next_cursor, now, success=True)


def rebuild_mirrors(store: Store, now: datetime) -> None:
    """Cursor too old (410): empty every mirror and forget the cursor, so the next pull starts afresh.

    Mutations, outbox, conflicts and audit are not mirrors and are not touched; neither are local rows
    (negative ids). Overlaid fields come back with their rows: a pull replays live effects on them.
    """
    with pull_transaction(store) as conn:
        for name in reversed(MIRROR_TABLES):
            keep_local = " WHERE id > 0" if name in fx.LOCAL_ROW_TABLES else ""
            conn.exec_driver_sql(f"DELETE FROM {name}{keep_local}")
        conn.exec_driver_sql(FORGET_ALL_SQL)  # the ids it indexed may come back as other returns
        forget_sellable_counts(conn.connection.driver_connection)  # type: ignore[arg-type]
        _save_cursor(conn, None, now, success=False)


def record_error(store: Store, message: str | None) -> None:
    """Remember (or clear) the last sync error for ``seller-desk status`` and the status bar."""
    with store.writing() as session:
        conn = session.connection()
        conn.exec_driver_sql(
            "INSERT INTO sync_state (stream, last_error) VALUES (?, ?) "
            "ON CONFLICT(stream) DO UPDATE SET last_error = excluded.last_error",
            (CHANGES_STREAM, message),
        )


def last_error(store: Store) -> str | None:
    with store.reading() as session:
        return session.scalar(select(SyncState.last_error).where(SyncState.stream == CHANGES_STREAM))
