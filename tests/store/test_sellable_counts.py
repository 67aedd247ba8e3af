"""The restock plan's kept sellable counts equal a full recount: after the migration, after new
inspections (live above the mark, then folded in), after a deletion or a late lower id, after a rebuild."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.sellable_counts import catch_up, forget, read_counts, watermark

COPY = (
    "INSERT INTO inspections (id, return_id, return_line_id, sku, condition, disposition, inspected_at) "
    "SELECT ?, return_id, return_line_id, sku, condition, '{}', inspected_at FROM inspections LIMIT 1"
)


def recount(conn: sqlite3.Connection) -> Counter[tuple[str, str, int, int]]:
    rows = conn.execute(
        "SELECT i.sku, coalesce(l.reason, (SELECT r.reason FROM returns r WHERE r.id = i.return_id),"
        " 'other'),"
        " sum(i.disposition = 'restock'), count(*) FROM inspections i"
        " LEFT JOIN return_lines l ON l.id = i.return_line_id WHERE i.id > 0 GROUP BY 1, 2"
    )
    return Counter((s, r, int(k), int(n)) for s, r, k, n in rows)


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    from seller_desk.demo import seed_store

    store = open_store(tmp_path / DB_FILENAME)
    seed_store(store, returns=800, seed=3, replace=False, progress=None)
    forget_after_seed = sqlite3.connect(tmp_path / DB_FILENAME, isolation_level=None)
    forget(forget_after_seed)  # the seeder folds them in; start from nothing kept
    forget_after_seed.close()
    store.close()
    return sqlite3.connect(tmp_path / DB_FILENAME, isolation_level=None)


def test_counts_follow_the_inspections(conn: sqlite3.Connection) -> None:
    assert conn.execute("SELECT count(*) FROM inspections").fetchone()[0] > 100
    assert Counter(read_counts(conn)) == recount(conn)  # nothing kept yet: all of it live
    assert catch_up(conn) > 0 and watermark(conn) > 0
    assert Counter(read_counts(conn)) == recount(conn) and catch_up(conn) == 0
    top = watermark(conn)
    conn.execute(
        COPY.format("restock"),
        (top + 5,),
    )
    assert Counter(read_counts(conn)) == recount(conn)  # above the mark: counted live
    assert catch_up(conn) == 1 and Counter(read_counts(conn)) == recount(conn)
    conn.execute(
        COPY.format("dispose"),
        (top + 2,),  # below the mark, pulled late
    )
    conn.execute("DELETE FROM inspections WHERE id = (SELECT min(id) FROM inspections WHERE id > 0)")
    catch_up(conn)
    assert Counter(read_counts(conn)) == recount(conn)
    forget(conn)
    assert watermark(conn) == 0 and Counter(read_counts(conn)) == recount(conn)


def test_the_seeder_leaves_them_counted(tmp_path: Path) -> None:
    from seller_desk.demo import seed_store

    store = open_store(tmp_path / DB_FILENAME)
    seed_store(store, returns=600, seed=4, replace=False, progress=None)
    store.close()
    conn = sqlite3.connect(tmp_path / DB_FILENAME)
    top = conn.execute("SELECT max(id) FROM inspections").fetchone()[0]
    assert watermark(conn) == top and Counter(read_counts(conn)) == recount(conn)
