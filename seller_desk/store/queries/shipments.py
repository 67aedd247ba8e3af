"""The Shipments list as plain data: outbound parcels, filtered, counted and read in keyset pages.

The seller opens this screen to see which orders will arrive late, have stopped, or are lost — so the
one order is *most urgent first*: parcels not yet delivered by promised date (oldest promise first),
then those without a promise yet, then the delivered ones. ``_shipments_sql`` splits that order into
four disjoint index ranges ("arms"); a page reads them in turn, each by keyset from the key
``(rank, promised_at, id)`` of the last row shown, so a page costs the same at any depth and nothing
is sorted. Only the search, which matches a handful of rows through the tracking-number and order-id
indexes, sorts what it found.

Rows are tuples straight from the DBAPI cursor, times as epoch seconds (UTC) like the store keeps them;
the UI formats them. Late and days late are judged against ``now``, an argument so tests can fix it.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from seller_desk.store.queries._shipments_sql import (
    FilterShape,
    ShipmentQuick,
    arm_count_sql,
    arm_page_sql,
    arms,
    search_count_sql,
    search_page_sql,
)
from seller_desk.store.queries.returns import dbapi

if TYPE_CHECKING:
    from sqlalchemy import Connection

__all__ = [
    "ShipmentQuick",
    "ShipmentRow",
    "ShipmentsFilter",
    "count_shipments",
    "page_shipments",
    "quick_counts",
]

DAY_S = 86_400
REFUND_LINKED = 1  # a refund request exists on the shipment's order
A_TO_Z_LINKED = 2  # ... and (one of) them is an A-to-z claim
ShipmentKey = tuple[int, int, int]  # (rank, promised_at or 0, id)


class ShipmentRow(NamedTuple):
    """One line of the Shipments list. Times are epoch seconds UTC."""

    id: int
    order_id: str | None
    marketplace: str | None
    carrier: str
    tracking_number: str
    status: str
    shipped_at: int | None
    promised_at: int | None
    carrier_eta: int | None
    delivered_at: int | None
    last_event_at: int | None
    last_location: str | None
    refund_flags: int
    rank: int

    @property
    def key(self) -> ShipmentKey:
        """The keyset key of this row in the list's order."""
        return (self.rank, self.promised_at or 0, self.id)

    def days_late(self, now: int) -> int:
        """Whole days (rounded up) past the promised date: until delivery, or until ``now``. 0 if on time."""
        return days_late(self.status, self.promised_at, self.delivered_at, now)


def days_late(status: str, promised_at: int | None, delivered_at: int | None, now: int) -> int:
    """Whole days (rounded up) a parcel is or was late: from its promised date to its delivery, or to
    ``now`` while it is not delivered. 0 when on time or when nothing was promised."""
    if promised_at is None:
        return 0
    end = delivered_at if status == "delivered" and delivered_at is not None else now
    late = end - promised_at
    return 0 if late <= 0 else -(-late // DAY_S)


@dataclass(frozen=True, slots=True)
class ShipmentsFilter:
    """What the list shows. Empty fields mean "any"; ``shipped_to`` is exclusive.

    ``search`` matches an exact tracking number or order id, as typed or upper-cased.
    """

    quick: ShipmentQuick | None = None
    statuses: tuple[str, ...] = ()
    carrier: str | None = None
    marketplace: str | None = None
    shipped_from: datetime | None = None
    shipped_to: datetime | None = None
    search: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "statuses", tuple(sorted({str(s) for s in self.statuses})))
        object.__setattr__(self, "search", self.search.strip())
        for bound in (self.shipped_from, self.shipped_to):
            if bound is not None and bound.tzinfo is None:
                raise ValueError(f"naive datetime {bound!r}: the shipped-date filter takes UTC-aware times")

    @property
    def shape(self) -> FilterShape:
        return FilterShape(
            statuses=len(self.statuses),
            carrier=self.carrier is not None,
            marketplace=self.marketplace is not None,
            shipped_from=self.shipped_from is not None,
            shipped_to=self.shipped_to is not None,
            search=bool(self.search),
            quick=self.quick,
        )

    def params(self, now: int) -> dict[str, Any]:
        params: dict[str, Any] = {f"s{i}": status for i, status in enumerate(self.statuses)}
        params.update(now=now, carrier=self.carrier, marketplace=self.marketplace)
        params.update(q=self.search, qu=self.search.upper())
        if self.shipped_from is not None:
            params["from"] = int(self.shipped_from.timestamp())
        if self.shipped_to is not None:
            params["to"] = int(self.shipped_to.timestamp())
        return params


def now_epoch() -> int:
    return int(time.time())


def count_shipments(
    conn: Connection | sqlite3.Connection, f: ShipmentsFilter, *, now: int | None = None
) -> int:
    """How many outbound shipments match ``f``."""
    shape = f.shape
    sql = search_count_sql(shape) if shape.search else arm_count_sql(shape)
    return int(dbapi(conn).execute(sql, _used(sql, f.params(_now(now)))).fetchone()[0])


def page_shipments(
    conn: Connection | sqlite3.Connection,
    f: ShipmentsFilter,
    after: ShipmentKey | None,
    limit: int,
    *,
    now: int | None = None,
) -> list[ShipmentRow]:
    """Up to ``limit`` rows in urgency order that come after the key ``after`` (None: from the top)."""
    raw = dbapi(conn)
    shape = f.shape
    params = f.params(_now(now))
    params["limit"] = limit
    if after is not None:
        params["kr"], params["kp"], params["ki"] = after
    if shape.search:
        sql = search_page_sql(shape, after is not None)
        return [ShipmentRow._make(r) for r in raw.execute(sql, _used(sql, params))]
    rows: list[ShipmentRow] = []
    for arm in arms(shape):
        if after is not None and arm.rank < after[0]:
            continue
        sql = arm_page_sql(shape, arm.rank, after is not None and arm.rank == after[0])
        params["limit"] = limit - len(rows)
        rows.extend(ShipmentRow._make(r) for r in raw.execute(sql, _used(sql, params)))
        if len(rows) >= limit:
            break
    return rows


def quick_counts(
    conn: Connection | sqlite3.Connection, *, now: int | None = None
) -> dict[ShipmentQuick, int]:
    """How many shipments each quick filter holds (the buttons' live counts): index range counts."""
    return {q: count_shipments(conn, ShipmentsFilter(quick=q), now=now) for q in ShipmentQuick}


def _now(now: int | None) -> int:
    return now_epoch() if now is None else now


def _used(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """Only the parameters the statement names (sqlite3 refuses none, but keeps the plan cache honest)."""
    return {k: v for k, v in params.items() if f":{k}" in sql}
