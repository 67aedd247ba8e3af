"""The full-text index of customers' return comments, kept up to date in the background.

Sellers search the Returns list for words customers wrote ("cracked", "smaller than pictured"). SQLite's
FTS5 answers that from an index in a millisecond, but keeping the index with triggers made every write
of a return ten times dearer (300,000 upserts: 0.7 s → 6.5 s measured here) — a pull of a million
changes would lose its target by a mile. So pulls, imports and seeds write ``returns`` alone, and
``catch_up`` indexes what they added since, in small batches on a background lane after each sync round
and at start-up. Until it has run, a word search misses the newest comments; exact keys (RMA, tracking
number, order id, SKU, ASIN) never depend on it.

``returns_fts`` is an external-content table: it stores only the index, reading words from
``returns.customer_comment``. Which returns are indexed is visible in its ``returns_fts_docsize`` shadow
table (one row per indexed id), so a catch-up looks for comments without an entry there, starting a
little below the highest indexed id: backend ids are assigned at creation, and a page may carry a
return created a moment before one already pulled. A comment edited after indexing keeps its old words
findable too; the list shows the current text, so the seller sees why a row matched or not.
"""

from __future__ import annotations

import re
import sqlite3

FTS_TABLE = "returns_fts"
DOCSIZE_TABLE = "returns_fts_docsize"
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(customer_comment, content='returns', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
)
LOOKBACK_IDS = 50_000  # how far below the highest indexed id a late-arriving return is looked for
BATCH = 5_000  # comments per write transaction: ~0.1 s, so the lane stays responsive
_WORD = re.compile(r"\w+", re.UNICODE)


PENDING_SQL = (  # comments above an id that have no entry in the index yet
    "SELECT r.id, r.customer_comment FROM returns r WHERE r.id > ? AND r.customer_comment IS NOT NULL "
    f"AND NOT EXISTS (SELECT 1 FROM {DOCSIZE_TABLE} d WHERE d.id = r.id) ORDER BY r.id LIMIT ?"
)


def catch_up_batch(conn: sqlite3.Connection, batch: int = BATCH) -> int:
    """Index up to ``batch`` comments not yet indexed, in one write transaction; how many it indexed.

    ``conn`` is a sqlite3 connection in autocommit mode (the store's driver connections are).
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        top = conn.execute(f"SELECT max(id) FROM {DOCSIZE_TABLE}").fetchone()[0]
        low = -1 if top is None else max(-1, top - LOOKBACK_IDS)
        rows = conn.execute(PENDING_SQL, (low, batch)).fetchall()
        if rows:
            conn.executemany(f"INSERT INTO {FTS_TABLE}(rowid, customer_comment) VALUES (?, ?)", rows)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(rows)


FORGET_ALL_SQL = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')"  # run with the mirror rebuild


def match_query(text: str) -> str | None:
    """An FTS5 query for the words of ``text`` (all of them, the last as a prefix), or None if it has
    no words. Each word is quoted, so nothing the seller types is read as FTS5 syntax."""
    words = _WORD.findall(text)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)
