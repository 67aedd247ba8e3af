"""What the Returns list's filter menus offer: the values that occur in this store.

Marketplaces, channels and carriers have no index of their own (none of their filters needs one: each
matches a large share of all returns), so finding the distinct values reads the whole table once —
about 0.4 s at a million returns. The app reads them once, after the first paint, on the I/O lane's
own connection (SQLite releases the GIL while it scans; WAL lets it read beside the DB lane's work),
and the menus fill in when it answers. Categories come from the small catalogue table.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple


class FilterChoices(NamedTuple):
    marketplaces: tuple[str, ...]
    channels: tuple[str, ...]
    carriers: tuple[str, ...]
    categories: tuple[str, ...]


def filter_choices(conn: sqlite3.Connection) -> FilterChoices:
    """Each filterable value present in the store, sorted; empty tuples for an empty store."""
    combos = conn.execute("SELECT DISTINCT marketplace, channel, carrier FROM returns").fetchall()
    categories = [row[0] for row in conn.execute("SELECT DISTINCT category FROM skus ORDER BY category")]
    return FilterChoices(
        marketplaces=tuple(sorted({m for m, _c, _k in combos if m})),
        channels=tuple(sorted({c for _m, c, _k in combos if c})),
        carriers=tuple(sorted({k for _m, _c, k in combos if k})),
        categories=tuple(c for c in categories if c),
    )
