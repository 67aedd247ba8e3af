"""Quick filters of the Returns list: what needs the seller's hands or eyes today, with live counts.

Each quick filter is a fixed SQL condition over ``returns`` (DOMAIN.md "Return lifecycle"):

- arriving today / within 7 days: not yet delivered (authorized or in transit) with an ETA in the
  seller's local day / in the seven local days from today;
- stalled: in transit with no scan for ``stalled_after_days`` (the same rule as the list's flag; the
  seller's setting, ``STALLED_AFTER_DAYS`` unless they changed it: every function takes it as a value);
- lost or exception: lost, or in transit with a carrier exception, failed attempt or return to sender;
- delivered awaiting receipt, received awaiting inspection: one status each.

The conditions that are not a single status are each backed by a *partial* index (migration ``0006``):
it holds only the few returns in flight, so it costs nothing when the million closed returns are
written, and it lets a count or a page read just the matching rows. SQLite uses a partial index only
when the query repeats its WHERE term, so the index definitions and the queries share the constants
below — change one, change both.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

STALLED_AFTER_DAYS = 5  # DOMAIN.md: no scan for N days while in transit (setting, default 5)
DAY_S = 86_400

INCOMING = "status IN ('authorized', 'in_transit')"
IN_TRANSIT = "status = 'in_transit'"
TROUBLE = (
    "(status = 'lost' OR (status = 'in_transit' AND tracking_status IN "
    "('exception', 'failed_attempt', 'returned_to_sender')))"
)
# (index name, indexed columns, partial-index WHERE): created by migration 0006 and the ORM model.
PARTIAL_INDEXES = (
    ("ix_returns_incoming_eta", ("eta",), INCOMING),
    ("ix_returns_in_transit_last_scan", ("last_scan_at",), IN_TRANSIT),
    ("ix_returns_trouble", ("requested_at", "id"), TROUBLE),
)


class QuickFilter(StrEnum):
    ARRIVING_TODAY = "arriving_today"
    ARRIVING_WEEK = "arriving_week"
    STALLED = "stalled"
    LOST_OR_EXCEPTION = "lost_or_exception"
    AWAITING_RECEIPT = "awaiting_receipt"
    AWAITING_INSPECTION = "awaiting_inspection"


# The partial index each quick filter reads, named with INDEXED BY: without table statistics SQLite
# prefers the status index (it cannot know the partial index holds a few rows) and walks every return in
# transit to find today's.
QUICK_INDEX: dict[QuickFilter, str] = {
    QuickFilter.ARRIVING_TODAY: "ix_returns_incoming_eta",
    QuickFilter.ARRIVING_WEEK: "ix_returns_incoming_eta",
    QuickFilter.STALLED: "ix_returns_in_transit_last_scan",
    QuickFilter.LOST_OR_EXCEPTION: "ix_returns_trouble",
}
QUICK_TERMS: dict[QuickFilter, tuple[str, ...]] = {
    QuickFilter.ARRIVING_TODAY: (INCOMING, "eta >= :qf_from", "eta < :qf_to"),
    QuickFilter.ARRIVING_WEEK: (INCOMING, "eta >= :qf_from", "eta < :qf_to"),
    QuickFilter.STALLED: (IN_TRANSIT, "last_scan_at < :stalled_before"),
    QuickFilter.LOST_OR_EXCEPTION: (TROUBLE,),
    QuickFilter.AWAITING_RECEIPT: ("status = 'delivered'",),
    QuickFilter.AWAITING_INSPECTION: ("status = 'received'",),
}


def now_epoch() -> int:
    """The clock the quick filters read (tests replace it)."""
    return int(time.time())


def local_day_start(epoch: int) -> int:
    """The epoch of the start of ``epoch``'s day in the machine's local time zone (DST-safe)."""
    local = datetime.fromtimestamp(epoch).astimezone()
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return int(midnight.timestamp())


def quick_params(
    quick: QuickFilter | None, now: int, stalled_after_days: int = STALLED_AFTER_DAYS
) -> dict[str, Any]:
    """The named values a quick filter's terms use, at ``now``."""
    params: dict[str, Any] = {"stalled_before": now - stalled_after_days * DAY_S}
    if quick in (QuickFilter.ARRIVING_TODAY, QuickFilter.ARRIVING_WEEK):
        start = local_day_start(now)
        days = 1 if quick is QuickFilter.ARRIVING_TODAY else 7
        end = datetime.fromtimestamp(start).astimezone() + timedelta(days=days)
        params["qf_from"], params["qf_to"] = start, local_day_start(int(end.timestamp()) + 3_600)
    return params


def quick_select(
    quick: QuickFilter,
    columns: str,
    now: int,
    tail: str = "",
    *,
    stalled_after_days: int = STALLED_AFTER_DAYS,
) -> tuple[str, dict[str, Any]]:
    """A SELECT of ``columns`` over the returns ``quick`` holds at ``now`` (read through its partial
    index), with ``tail`` (ORDER BY, LIMIT) appended; the SQL and the named values it uses."""
    hint = f" INDEXED BY {QUICK_INDEX[quick]}" if quick in QUICK_INDEX else ""
    sql = f"SELECT {columns} FROM returns{hint} WHERE {' AND '.join(QUICK_TERMS[quick])}{tail}"
    params = quick_params(quick, now, stalled_after_days)
    return sql, {k: v for k, v in params.items() if f":{k}" in sql}


def quick_counts(
    conn: sqlite3.Connection, now: int | None = None, *, stalled_after_days: int = STALLED_AFTER_DAYS
) -> dict[QuickFilter, int]:
    """How many returns each quick filter holds, over the whole store (the chips' live counts)."""
    at = now_epoch() if now is None else now
    counts: dict[QuickFilter, int] = {}
    for quick in QUICK_TERMS:
        sql, params = quick_select(quick, "count(*)", at, stalled_after_days=stalled_after_days)
        counts[quick] = int(conn.execute(sql, params).fetchone()[0])
    return counts
