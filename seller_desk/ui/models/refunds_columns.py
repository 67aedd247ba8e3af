"""The refund queue's columns: title, alignment, width sample and how a row's cell reads.

Time left is judged against the clock of the model's last read (the queue reloads after every sync
round and every act, so it never drifts far); an overdue request reads "3 h overdue" and is painted
red, one due within a day amber.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple

from PySide6.QtCore import Qt

from seller_desk.domain.policies.review_checks import describe_time_left
from seller_desk.store.queries.refund_queue import QueueRow
from seller_desk.ui import formatting as fmt

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
SOON = timedelta(hours=24)

SOURCE_LABELS = {
    "customer": "Customer", "return": "Return", "a_to_z": "A-to-z claim", "marketplace": "Marketplace",
}  # fmt: skip
SYNC_LABELS = {
    "queued": "queued", "sending": "sending", "acknowledged": "sent", "settled": "synced",
    "conflict": "conflict", "rejected": "refused by backend",
}  # fmt: skip


class Column(NamedTuple):
    title: str
    align: Qt.AlignmentFlag
    sample: str
    cell: Callable[[QueueRow, datetime], str]
    tooltip: str


def time_left(row: QueueRow, now: datetime) -> str:
    if row.due_at is None:
        return "no clock yet"
    return describe_time_left(row.due_at - now)


def urgency(row: QueueRow, now: datetime) -> int:
    """2 overdue, 1 due within a day, 0 otherwise (the model paints 2 red and 1 amber)."""
    if row.due_at is None:
        return 0
    left = row.due_at - now
    return 2 if left < timedelta(0) else 1 if left < SOON else 0


def _return(row: QueueRow, _now: datetime) -> str:
    if row.rma is None:
        return ""
    return f"{row.rma} · {fmt.status_label(row.return_status or '')}"


def _flags(row: QueueRow, _now: datetime) -> str:
    flags = []
    if row.a_to_z_claim:
        flags.append("A-to-z")
    if row.needs_authorization:
        flags.append("manual auth.")
    return ", ".join(flags)


def decision_text(row: QueueRow) -> str:
    if row.local is None:
        return ""
    amount = row.local.amount
    what = (
        "Reject"
        if row.local.kind == "reject"
        else f"Approve {fmt.money(amount.amount_minor, amount.currency)}"
    )
    return f"{what} · {SYNC_LABELS.get(row.local.status, row.local.status)}"


def _money(pick: str) -> Callable[[QueueRow, datetime], str]:
    def cell(row: QueueRow, _now: datetime) -> str:
        amount = getattr(row, pick)
        return fmt.money(amount.amount_minor, amount.currency)

    return cell


COLUMNS = (
    Column(
        "Time left",
        LEFT,
        "21 d 22 h overdue",
        time_left,
        "Until the refund deadline: 2 business days after the return is delivered, "
        "24 h for a request needing authorization",
    ),
    Column(
        "Request",
        RIGHT,
        "000000",
        lambda r, _n: str(r.request_id),
        "The refund request's id",
    ),
    Column(
        "Order",
        LEFT,
        "000-0000000-0000000",
        lambda r, _n: r.order_id,
        "The marketplace order id",
    ),
    Column(
        "Source",
        LEFT,
        "A-to-z claim",
        lambda r, _n: SOURCE_LABELS.get(r.source, r.source),
        "Who asked: the customer, a return, an A-to-z claim or the marketplace",
    ),
    Column(
        "Reason",
        LEFT,
        "Not as described",
        lambda r, _n: fmt.reason_label(r.reason, r.reason or ""),
        "The reason given with the request",
    ),
    Column(
        "Items",
        LEFT,
        "ELE-00002-BLK ×2",
        lambda r, _n: r.items,
        "What the request asks to refund (SKU × units)",
    ),
    Column(
        "Requested",
        RIGHT,
        "$1,234.56",
        _money("requested"),
        "What the request asks in all",
    ),
    Column(
        "Refundable",
        RIGHT,
        "$1,234.56",
        _money("refundable"),
        "Refundable now: what approving in full would refund (charged − refunded − approved but unsettled)",
    ),
    Column(
        "Return",
        LEFT,
        "1Th0rfcBRRMA · In transit",
        _return,
        "The return tied to the request and its status",
    ),
    Column(
        "Inspection",
        LEFT,
        "like_new",
        lambda r, _n: r.inspection or "",
        "Condition found at the bench, per inspected line",
    ),
    Column(
        "Claims",
        LEFT,
        "A-to-z, manual auth.",
        _flags,
        "An open A-to-z claim; a request needing manual authorization",
    ),
    Column(
        "Decision",
        LEFT,
        "Approve $1,234.56 · queued",
        lambda r, _n: decision_text(r),
        "This desktop's decision and its sync state",
    ),
)
TIME_LEFT_COLUMN = 0
DECISION_COLUMN = len(COLUMNS) - 1


def format_row(row: QueueRow, now: datetime) -> tuple[str, ...]:
    return tuple(column.cell(row, now) for column in COLUMNS)
