"""A large import builds the list indexes once at the end instead of growing them row by row.

Each returned item lands in about twenty index B-trees keyed by values in no useful order (RMA,
order id, tracking number, SKU, dates); inserting into them one row at a time is most of an import's
cost once a store is large (4.1 s of 16 s for 200,000 rows went to the returns table alone), while
building an index from scratch sorts once (the twelve returns indexes over 200,000 rows: 1.0 s).

So when a file is big next to the store, the secondary indexes of ``returns``, ``shipments`` and
``order_lines`` are dropped at the start of the file's transaction and created again, from their own
stored SQL, just before it commits. The indexes the import itself looks rows up by stay. Everything
happens inside the one transaction: a rollback, a cancel or a crash restores the indexes with the
rest, and readers (WAL) keep their snapshot with the indexes throughout.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

TABLES = ("returns", "shipments", "order_lines")
LOOKUP_INDEXES = frozenset({
    "ix_returns_rma", "ix_orders_order_id", "ix_shipments_tracking_number_carrier", "ix_order_lines_order_pk",
    "ix_return_lines_return_id",
})  # fmt: skip
BYTES_PER_ROW = 200  # a flat file's row is 230-260 bytes; an estimate on the low side
MIN_ROWS = 20_000


def worth_deferring(conn: sqlite3.Connection, file_bytes: int) -> bool:
    """Whether rebuilding beats growing: the file's rows are at least half the returns already held."""
    expected = file_bytes // BYTES_PER_ROW
    if expected < MIN_ROWS:
        return False
    held = conn.execute("SELECT coalesce(max(id), 0) - coalesce(min(id), 0) FROM returns").fetchone()[0]
    return expected * 2 >= int(held)


@contextmanager
def indexes_deferred(conn: sqlite3.Connection, enabled: bool) -> Iterator[None]:
    """Within the caller's open transaction: drop the secondary indexes, build them again on the way
    out. Not on an exception, nor after the caller rolled back: the rollback restored them."""
    if not enabled:
        yield
        return
    marks = ", ".join("?" * len(TABLES))
    found = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        TABLES,
    ).fetchall()
    dropped = [(name, sql) for name, sql in found if name not in LOOKUP_INDEXES]
    for name, _sql in dropped:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    if conn.in_transaction:
        for _name, sql in dropped:
            conn.execute(sql)
