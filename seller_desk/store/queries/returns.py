"""The Returns list as plain data: filter, sort, count, keyset pages and anchor keys.

The list pages through a million returns, so every page must come off an index in order, at any depth:

- Keyset, not OFFSET: a page starts *after* the previous page's last key. The key condition replaces
  the scan-start bound of the date range instead of sitting beside it (ARCHITECTURE.md measured
  0.15 ms vs 11–13 ms at depth 100 000: beside it, SQLite seeks on the date bound and filters rows).
- Ties are broken by ``requested_at, id`` in the sort's own direction, so keys are total and each
  ``(column, requested_at, id)`` index delivers the order without a temporary B-tree.
- Where one index cannot deliver the order — several statuses sorted by date, several statuses sorted
  by status after a key, NULL reasons around a key, the search over four keys — the query is a
  compound of one SELECT per index range, which SQLite merges in order (``MERGE (UNION ALL)``).
- SQL text is built once per *shape* (which filters are set, the sort, the kind of key) and cached;
  the values go in as named parameters. Rows are read through the DBAPI connection and become
  ``ReturnRow`` tuples directly: no ORM objects, no per-call SQL compilation.

Timestamps in ``ReturnRow`` are integer epoch seconds (UTC), as stored: converting a page of them to
``datetime`` would cost more than reading the page; the UI formats them when it shows them.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from enum import IntFlag
from typing import TYPE_CHECKING, Any, NamedTuple

from seller_desk.store.comment_index import match_query
from seller_desk.store.queries import returns_quick
from seller_desk.store.queries._returns_sql import (
    FilterShape,
    KeyShape,
    PageShape,
    count_sql,
    lead_pinned,
    page_sql,
)
from seller_desk.store.queries.returns_quick import STALLED_AFTER_DAYS, QuickFilter, quick_params

if TYPE_CHECKING:
    from sqlalchemy import Connection

# Sorts an index delivers in order at any depth; the others read the filtered rows and keep the top of
# the page (SQLite's ORDER BY ... LIMIT sorter), fast on a filtered list, a table scan per page on all.
INDEXED_SORT_KEYS = ("requested_at", "status", "sku", "reason")
SORT_KEYS = (*INDEXED_SORT_KEYS, "rma", "order_id", "quantity", "carrier", "tracking_number", "last_scan_at",
             "eta", "value_minor")  # fmt: skip
SortKey = tuple[Any, ...]


class ReturnFlag(IntFlag):
    """Marks the list shows beside a return; computed in SQL as one small integer per row."""

    A_TO_Z = 1
    SAFET = 2
    OUT_OF_POLICY = 4
    STALLED = 8


class ReturnRow(NamedTuple):
    """One line of the Returns list. Times are epoch seconds UTC; money is integer minor units."""

    id: int
    rma: str
    order_id: str
    sku: str
    title: str | None
    quantity: int
    reason: str | None  # CanonicalReason value, or None for a raw code nobody has mapped yet
    reason_raw: str
    status: str
    carrier: str | None
    tracking_number: str | None
    last_scan_at: int | None
    eta: int | None
    value_minor: int
    currency: str
    requested_at: int
    flags: int
    shipped_at: int | None = None  # for days in transit
    delivered_at: int | None = None


@dataclass(frozen=True, slots=True)
class ReturnsFilter:
    """What the list shows. Empty fields mean "any"; ``requested_to`` is exclusive.

    ``search`` matches an exact RMA, order id, tracking number, SKU or ASIN, as typed or upper-cased,
    or the words of customers' comments (``store.comment_index``; the last word as a prefix).
    ``stalled_after_days`` is the seller's setting: which rows are flagged (and, with the quick filter,
    listed) as stalled; a value, not part of the SQL's shape.
    """

    statuses: tuple[str, ...] = ()
    reason: str | None = None
    sku: str | None = None
    marketplace: str | None = None
    channel: str | None = None
    carrier: str | None = None
    requested_from: datetime | None = None
    requested_to: datetime | None = None
    search: str = ""
    quick: QuickFilter | None = None
    category: str | None = None
    reason_unmapped: bool = False  # only raw codes no canonical reason covers (``reason`` NULL)
    stalled_after_days: int = STALLED_AFTER_DAYS

    def __post_init__(self) -> None:
        object.__setattr__(self, "statuses", tuple(sorted({str(s) for s in self.statuses})))
        object.__setattr__(self, "search", self.search.strip())
        for bound in (self.requested_from, self.requested_to):
            if bound is not None and bound.tzinfo is None:
                raise ValueError(f"naive datetime {bound!r}: filters take UTC-aware times")
        if self.reason_unmapped and self.reason is not None:
            raise ValueError(f"reason {self.reason!r} and reason_unmapped exclude each other")
        if type(self.stalled_after_days) is not int or self.stalled_after_days < 1:
            raise ValueError(
                f"stalled_after_days must be a positive whole number, got {self.stalled_after_days!r}"
            )

    @property
    def shape(self) -> FilterShape:
        return FilterShape(
            statuses=len(self.statuses),
            reason=self.reason is not None,
            sku=self.sku is not None,
            marketplace=self.marketplace is not None,
            channel=self.channel is not None,
            carrier=self.carrier is not None,
            requested_from=self.requested_from is not None,
            requested_to=self.requested_to is not None,
            search=bool(self.search),
            search_upper=bool(self.search) and self.search.upper() != self.search,
            quick=self.quick,
            category=self.category is not None,
            search_words=match_query(self.search) is not None,
            reason_unmapped=self.reason_unmapped,
        )


@dataclass(frozen=True, slots=True)
class ReturnsSort:
    """Sort column and direction; ties broken by ``requested_at, id`` in the same direction."""

    key: str = "requested_at"
    descending: bool = True

    def __post_init__(self) -> None:
        if self.key not in SORT_KEYS:
            raise ValueError(f"cannot sort returns by {self.key!r}; supported: {', '.join(SORT_KEYS)}")

    def key_of(self, row: ReturnRow) -> SortKey:
        """The keyset key of ``row`` under this sort."""
        if self.key == "requested_at":
            return (row.requested_at, row.id)
        return (getattr(row, self.key), row.requested_at, row.id)


DEFAULT_SORT = ReturnsSort()


def filter_from_fields(fields: dict[str, Any]) -> ReturnsFilter:
    """A filter from JSON-like fields (lists for tuples, strings for enums), as probes pass them."""
    values = dict(fields)
    if "statuses" in values:
        values["statuses"] = tuple(values["statuses"])
    if values.get("quick") is not None:
        values["quick"] = QuickFilter(values["quick"])
    return ReturnsFilter(**values)


def count_returns(conn: Connection | sqlite3.Connection, f: ReturnsFilter) -> int:
    """How many returns match ``f``."""
    row = dbapi(conn).execute(count_sql(f.shape), _params(f)).fetchone()
    return int(row[0])


def page_returns(
    conn: Connection | sqlite3.Connection,
    f: ReturnsFilter,
    sort: ReturnsSort,
    after_key: SortKey | None,
    limit: int,
    *,
    offset: int = 0,
) -> list[ReturnRow]:
    """Up to ``limit`` rows in ``sort`` order that come after ``after_key`` (skipping ``offset``)."""
    shape, params = _layout(f, sort, after_key)
    params["limit"] = limit
    params["offset"] = offset
    cursor = dbapi(conn).execute(page_sql(shape, keys_only=False), params)
    return list(map(ReturnRow._make, cursor.fetchall()))


def anchor_keys(
    conn: Connection | sqlite3.Connection,
    f: ReturnsFilter,
    sort: ReturnsSort,
    every: int,
    *,
    after_key: SortKey | None = None,
    max_keys: int | None = None,
    budget_s: float | None = None,
) -> list[SortKey]:
    """Every ``every``-th key after ``after_key``: anchors[j] is the key of row ``(j+1)*every - 1``.

    Each anchor is one index seek plus ``every - 1`` skipped index entries (measured: 3 906 anchors
    over 1 M rows in ~80 ms). ``max_keys`` lets a caller build them in slices between other queries;
    ``budget_s`` ends a slice early once it has taken that long (at least one key): where each anchor
    re-runs a merged or sorted query (a search, a category) one costs 3–15 ms at a million returns,
    and a fixed slice of 128 held the database thread for 0.3–0.5 s while the next filter waited.
    """
    if every < 1:
        raise ValueError("every must be at least 1")
    raw = dbapi(conn)
    keys: list[SortKey] = []
    key = after_key
    deadline = None if budget_s is None else time.perf_counter() + budget_s
    while max_keys is None or len(keys) < max_keys:
        shape, params = _layout(f, sort, key)
        params["limit"] = 1
        params["offset"] = every - 1
        found = raw.execute(page_sql(shape, keys_only=True), params).fetchone()
        if found is None:
            break
        key = tuple(found)
        keys.append(key)
        if deadline is not None and time.perf_counter() > deadline:
            break
    return keys


def _layout(
    f: ReturnsFilter, sort: ReturnsSort, after_key: SortKey | None
) -> tuple[PageShape, dict[str, Any]]:
    """The query's shape (what its SQL text depends on) and its named parameter values."""
    params = _params(f)
    fshape = f.shape
    lead = sort.key
    pinned = lead_pinned(lead, fshape)
    key_shape: KeyShape = KeyShape.NONE
    arms_after = 0
    if after_key is not None:
        params["kt"], params["ki"] = after_key[-2], after_key[-1]
        if pinned:
            key_shape = KeyShape.PINNED
        else:
            params["kc"] = after_key[0]
            if lead == "status" and fshape.statuses > 1:
                remaining = [
                    s for s in f.statuses if (s < after_key[0] if sort.descending else s > after_key[0])
                ]
                remaining.sort(reverse=sort.descending)
                for i, status in enumerate(remaining):
                    params[f"s{i}"] = status
                for i in range(len(remaining), fshape.statuses):
                    params.pop(f"s{i}", None)
                arms_after = len(remaining)
                key_shape = KeyShape.STATUS_ARMS
            elif after_key[0] is None:
                key_shape = KeyShape.NULL_LEAD
            else:
                key_shape = KeyShape.LEAD
    return PageShape(sort.key, sort.descending, fshape, key_shape, arms_after), params


def _epoch(value: datetime) -> int:
    return int(value.timestamp())


def _params(f: ReturnsFilter) -> dict[str, Any]:
    params: dict[str, Any] = {f"s{i}": status for i, status in enumerate(f.statuses)}
    params.update(
        reason=f.reason,
        sku=f.sku,
        marketplace=f.marketplace,
        channel=f.channel,
        carrier=f.carrier,
        q=f.search,
        qu=f.search.upper(),
        category=f.category,
        qw=match_query(f.search),
    )
    params.update(quick_params(f.quick, returns_quick.now_epoch(), f.stalled_after_days))
    if f.requested_from is not None:
        params["from"] = _epoch(f.requested_from)
    if f.requested_to is not None:
        params["to"] = _epoch(f.requested_to)
    return params


def dbapi(conn: Connection | sqlite3.Connection) -> sqlite3.Connection:
    """The sqlite3 connection under a SQLAlchemy ``Connection`` (or the one given)."""
    if isinstance(conn, sqlite3.Connection):
        return conn
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver
