"""Returns per week × canonical reason as a table to export (``seller-desk export trends``).

One row per week and reason with returns in it, oldest week first: the numbers behind the Trends
screen's stacked chart, from the same ``(week, reason)`` index read, no pandas. Weeks are ISO weeks in
UTC (Monday 00:00 UTC), as the ``week`` column buckets them; a raw code nobody mapped is "unmapped".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date

from seller_desk.exports.tables import Cell
from seller_desk.store.queries.trends import TrendsFilter, day_to_utc, weekly_counts

HEADERS = ("Week starting (UTC)", "Reason", "Returns")
UNMAPPED = "unmapped"


def trends_rows(conn: sqlite3.Connection, f: TrendsFilter) -> Iterator[tuple[Cell, ...]]:
    rows = sorted(weekly_counts(conn, f), key=lambda c: (c.start_day, c.reason or "~"))
    for c in rows:
        week: date = day_to_utc(c.start_day).date()
        yield week.isoformat(), c.reason or UNMAPPED, c.returns
