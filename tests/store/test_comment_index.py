"""The comment word index: filled in background batches, late ids found, emptied with the mirrors."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from seller_desk.paths import DB_FILENAME
from seller_desk.store import mirror
from seller_desk.store.comment_index import DOCSIZE_TABLE, LOOKBACK_IDS, catch_up_batch, match_query
from seller_desk.store.migrate import open_store
from seller_desk.store.queries.returns import ReturnsFilter, count_returns
from tests.fixtures.returns_data import seed_returns


@pytest.fixture
def path(tmp_path: Path) -> Path:
    store = open_store(tmp_path / DB_FILENAME)
    seed_returns(store, 600)
    store.close()
    return tmp_path / DB_FILENAME


@pytest.fixture
def conn(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(path, isolation_level=None)
    yield connection
    connection.close()


def indexed(conn: sqlite3.Connection) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {DOCSIZE_TABLE}").fetchone()[0])


def with_comment(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM returns WHERE customer_comment IS NOT NULL").fetchone()[0])


def test_batches_index_every_comment_once_then_find_its_words(conn: sqlite3.Connection) -> None:
    total = with_comment(conn)
    assert total > 10
    assert count_returns(conn, ReturnsFilter(search="cracked")) == 0  # nothing indexed yet
    done = [catch_up_batch(conn, batch=7) for _ in range(total // 7 + 2)]
    assert sum(done) == total == indexed(conn) and done[-1] == 0
    assert catch_up_batch(conn) == 0  # idempotent: nothing is indexed twice
    cracked = conn.execute("SELECT count(*) FROM returns WHERE customer_comment LIKE '%cracked%'").fetchone()[
        0
    ]
    assert count_returns(conn, ReturnsFilter(search="Cracked")) == cracked > 0
    assert count_returns(conn, ReturnsFilter(search="crac")) == cracked  # the last word is a prefix


def test_a_return_arriving_late_with_a_lower_id_is_still_indexed(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE returns SET customer_comment = NULL WHERE id = 300")
    while catch_up_batch(conn):
        pass
    conn.execute(
        "UPDATE returns SET customer_comment = 'zebra print faded' WHERE id = 300"
    )  # as a pull would
    assert catch_up_batch(conn) == 1
    assert count_returns(conn, ReturnsFilter(search="zebra")) == 1
    far_below = conn.execute("SELECT max(id) FROM returns").fetchone()[0] - LOOKBACK_IDS
    assert far_below < 300  # within the look-back window, as documented


def test_a_rebuild_of_the_mirrors_empties_the_index(path: Path, conn: sqlite3.Connection) -> None:
    while catch_up_batch(conn):
        pass
    assert indexed(conn) > 0
    store = open_store(path)
    try:
        mirror.rebuild_mirrors(store, datetime.now(UTC))
    finally:
        store.close()
    assert indexed(conn) == 0
    assert count_returns(conn, ReturnsFilter(search="cracked")) == 0


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("cracked screen", '"cracked" "screen"*'),
        ('he said "broken" AND NOT*', '"he" "said" "broken" "AND" "NOT"*'),
        ("NEAR(a b)", '"NEAR" "a" "b"*'),
        ("écran", '"écran"*'),
        ("  -- ** ", None),
        ("", None),
    ],
)
def test_what_the_seller_types_is_never_fts_syntax(
    typed: str, query: str | None, conn: sqlite3.Connection
) -> None:
    assert match_query(typed) == query
    if query is not None:  # and it runs
        conn.execute("SELECT count(*) FROM returns_fts WHERE returns_fts MATCH ?", (query,)).fetchone()
