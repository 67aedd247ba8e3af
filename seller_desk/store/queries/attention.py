"""What needs the seller now: the inbox and the desktop notifications read this.

Four kinds, each a short index read (the quick filters' partial indexes, the refund requests'
(state, due_at) index), most urgent first within a kind, at most ``PER_KIND`` of each:

- a refund clock at risk: a pending request whose SLA deadline is past or within ``AT_RISK_HOURS``;
- a parcel delivered but not yet received at the bench (its receipt starts that clock);
- a stalled parcel (in transit, no scan for days) or a lost one / a carrier exception.

Each item names the return it opens (a refund request without a return opens nothing but says so).
``key`` identifies an item across reads, so notifications go out once per item, not once per read.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from seller_desk.store.queries.returns_quick import DAY_S, STALLED_AFTER_DAYS, QuickFilter, quick_select

PER_KIND = 100
AT_RISK_HOURS = 24


class AttentionItem(NamedTuple):
    kind: str  # "refund_clock" | "awaiting_receipt" | "stalled" | "lost_or_exception"
    key: str
    return_id: int | None
    rma: str | None
    at: int  # the moment the item is about: a deadline, a delivery, the last scan (epoch seconds)
    text: str


def attention_items(
    conn: sqlite3.Connection, now: int, *, stalled_after_days: int = STALLED_AFTER_DAYS
) -> list[AttentionItem]:
    """Everything in the inbox at ``now``, refund clocks first (they cost money when missed); a parcel
    is stalled after ``stalled_after_days`` without a scan (the seller's setting)."""
    return [
        *_refund_clocks(conn, now),
        *_returns(
            conn,
            now,
            QuickFilter.AWAITING_RECEIPT,
            "awaiting_receipt",
            "coalesce(delivered_at, last_scan_at)",
        ),
        *_returns(conn, now, QuickFilter.LOST_OR_EXCEPTION, "lost_or_exception", "last_scan_at"),
        *_returns(conn, now, QuickFilter.STALLED, "stalled", "last_scan_at", stalled_after_days),
    ]


def _refund_clocks(conn: sqlite3.Connection, now: int) -> list[AttentionItem]:
    rows = conn.execute(
        "SELECT rr.id, rr.due_at, rr.order_id, rr.return_id, r.rma FROM refund_requests rr "
        "LEFT JOIN returns r ON r.id = rr.return_id "
        "WHERE rr.state = 'pending' AND rr.due_at < ? ORDER BY rr.due_at LIMIT ?",
        (now + AT_RISK_HOURS * 3600, PER_KIND),
    ).fetchall()
    items = []
    for request_id, due, order_id, return_id, rma in rows:
        when = _span(abs(now - due))
        text = (
            f"Refund for order {order_id} was due {when} ago"
            if due <= now
            else f"Refund for order {order_id} due in {when}"
        )
        items.append(AttentionItem("refund_clock", f"refund_clock:{request_id}", return_id, rma, due, text))
    return items


def _returns(
    conn: sqlite3.Connection,
    now: int,
    quick: QuickFilter,
    kind: str,
    moment: str,
    stalled_after_days: int = STALLED_AFTER_DAYS,
) -> list[AttentionItem]:
    columns, tail = f"id, rma, {moment}, status, carrier", f" ORDER BY {moment} LIMIT :limit"
    sql, params = quick_select(quick, columns, now, tail, stalled_after_days=stalled_after_days)
    items = []
    for return_id, rma, at, status, carrier in conn.execute(sql, {**params, "limit": PER_KIND}):
        moment_at = int(at) if at is not None else now
        ago = _span(max(0, now - moment_at))
        by = f" ({carrier})" if carrier else ""
        text = {
            "awaiting_receipt": f"{rma} delivered {ago} ago, not yet received",
            "stalled": f"{rma} has had no carrier scan for {ago}{by}",
            "lost_or_exception": f"{rma} {'is lost' if status == 'lost' else 'has a carrier exception'}{by}",
        }[kind]
        items.append(AttentionItem(kind, f"{kind}:{return_id}", return_id, rma, moment_at, text))
    return items


def _span(seconds: int) -> str:
    if seconds >= 2 * DAY_S:
        return f"{seconds // DAY_S} days"
    if seconds >= 2 * 3600:
        return f"{seconds // 3600} hours"
    return f"{max(1, seconds // 60)} min"
