"""Inspected and sellable units per SKU × canonical reason, kept instead of recounted.

The restock plan learns P(sellable | SKU, reason) from every inspection. Counting a million
inspections each time (their reasons come from their return lines) took 1.4 s of the plan's 1.8 s
at 1,000,000 returns, so the counts are kept in ``sellable_counts`` and folded forward from a
watermark (the highest inspection id counted, in ``app_meta``), the way the comment index catches up:

* `catch_up` folds the inspections above the watermark in, in its own short write (after a pull, after
  seeding, before a plan);
* `read_counts` gives the kept counts plus, live, anything above the watermark not folded in yet, so
  a plan is right even before a catch-up;
* `forget` empties them with the mirrors (a mirror rebuild), and the next catch-up recounts.

Each catch-up first checks that the kept total still equals the inspections at or below the mark
(~30 ms at a million): an inspection deleted, or one with a lower id pulled late (ids from a
PostgreSQL sequence can commit out of order), makes it count afresh. Inspections are records: the
backend adds them and never edits one; this desktop's own (negative ids, until the backend's row
replaces them) are not counted.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

UNKNOWN_REASON = "other"
SELLABLE_DISPOSITION = "restock"
WATERMARK_KEY = "sellable_counts.upto"

_COUNT_ABOVE = (
    # coalesce() stops at its first non-NULL argument: the return is looked up only for an inspection
    # without a line (or a line without a canonical reason).
    "SELECT i.sku, coalesce(l.reason, (SELECT r.reason FROM returns r WHERE r.id = i.return_id), ?),"
    f" sum(i.disposition = '{SELLABLE_DISPOSITION}'), count(*), max(i.id)"
    " FROM inspections i LEFT JOIN return_lines l ON l.id = i.return_line_id"
    " WHERE i.id > ? GROUP BY 1, 2"
)
_FOLD = (
    "INSERT INTO sellable_counts (sku, reason, sellable, inspected) VALUES (?, ?, ?, ?) "
    "ON CONFLICT(sku, reason) DO UPDATE SET sellable = sellable + excluded.sellable, "
    "inspected = inspected + excluded.inspected"
)


def watermark(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM app_meta WHERE key = ?", (WATERMARK_KEY,)).fetchone()
    return 0 if row is None else int(row[0])


def _counts_above(conn: sqlite3.Connection, upto: int) -> tuple[list[tuple[str, str, int, int]], int]:
    rows, highest = [], upto
    for sku, reason, sellable, inspected, top in conn.execute(_COUNT_ABOVE, (UNKNOWN_REASON, upto)):
        rows.append((sku, reason, int(sellable), int(inspected)))
        highest = max(highest, int(top))
    return rows, highest


def _kept_total(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(sum(inspected), 0) FROM sellable_counts").fetchone()[0])


def _inspections_upto(conn: sqlite3.Connection, upto: int) -> int:
    return int(
        conn.execute("SELECT count(*) FROM inspections WHERE id > 0 AND id <= ?", (upto,)).fetchone()[0]
    )


def catch_up(conn: sqlite3.Connection) -> int:
    """Fold the inspections above the watermark into the kept counts, in the caller's write
    transaction; returns how many inspections it folded in."""
    upto = watermark(conn)
    if upto and _kept_total(conn) != _inspections_upto(conn, upto):
        forget(conn)  # an inspection went away, or one below the mark arrived late: count afresh
        upto = 0
    rows, highest = _counts_above(conn, upto)
    if not rows:
        return 0
    conn.executemany(_FOLD, rows)
    conn.execute(
        "INSERT INTO app_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (WATERMARK_KEY, str(highest)),
    )
    return sum(row[3] for row in rows)


def forget(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM sellable_counts")
    conn.execute("DELETE FROM app_meta WHERE key = ?", (WATERMARK_KEY,))


def read_counts(conn: sqlite3.Connection) -> list[tuple[str, str, int, int]]:
    """(sku, reason, sellable, inspected) over every inspection: kept counts + what is above the mark."""
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for sku, reason, sellable, inspected in conn.execute(
        "SELECT sku, reason, sellable, inspected FROM sellable_counts"
    ):
        totals[(sku, reason)][0] += int(sellable)
        totals[(sku, reason)][1] += int(inspected)
    for sku, reason, sellable, inspected in _counts_above(conn, watermark(conn))[0]:
        totals[(sku, reason)][0] += sellable
        totals[(sku, reason)][1] += inspected
    return [(sku, reason, k, n) for (sku, reason), (k, n) in totals.items()]
