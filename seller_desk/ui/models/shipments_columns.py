"""The Shipments list's columns: title, alignment, width sample, and how a row's cell reads.

Kept apart from the model so the model stays about paging, and so the view sizes its columns from
the same table. A row's cells are formatted once, the first time any of them is painted; "days late"
depends on the clock, so the model formats with the time of its last read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import Qt

from seller_desk.store.queries.shipments import A_TO_Z_LINKED, REFUND_LINKED, ShipmentRow
from seller_desk.ui import formatting as fmt

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
TROUBLE_STATUSES = frozenset({"exception", "lost", "returned_to_sender", "failed_attempt", "expired"})


class Column(NamedTuple):
    title: str
    align: Qt.AlignmentFlag
    sample: str  # the widest usual content: the view sizes the column to it in the current font
    cell: Callable[[ShipmentRow, int], str]  # (row, now) -> text
    tooltip: str


def tracking_status_label(status: str) -> str:
    """``"out_for_delivery"`` → ``"Out for delivery"`` (the carrier words of DOMAIN.md)."""
    return status.replace("_", " ").capitalize()


def _last_scan(row: ShipmentRow, _now: int) -> str:
    when = fmt.local_datetime(row.last_event_at)
    return f"{when}, {row.last_location}" if when and row.last_location else when or (row.last_location or "")


def _days_late(row: ShipmentRow, now: int) -> str:
    days = row.days_late(now)
    return str(days) if days else ""


def refund_note(row: ShipmentRow) -> str:
    if row.refund_flags & A_TO_Z_LINKED:
        return "A-to-z"
    if row.refund_flags & REFUND_LINKED:
        return "Refund"
    return ""


COLUMNS: tuple[Column, ...] = (
    Column("Order", LEFT, "114-1234567-1234567", lambda r, _: r.order_id or "", "Marketplace order id"),
    Column("Market", LEFT, "Market", lambda r, _: r.marketplace or "", "Marketplace"),
    Column("Carrier", LEFT, "Royal Mail", lambda r, _: r.carrier, "Carrier of the parcel"),
    Column("Tracking", LEFT, "9400123456781234567890", lambda r, _: r.tracking_number, "Tracking number"),
    Column("Status", LEFT, "Out for delivery", lambda r, _: tracking_status_label(r.status),
           "The carrier's latest status"),
    Column("Shipped", LEFT, "28 Nov", lambda r, _: fmt.local_date(r.shipped_at), "When the parcel left"),
    Column("Promised", LEFT, "28 Nov", lambda r, _: fmt.local_date(r.promised_at),
           "Delivery date promised to the buyer (the list is sorted by it, undelivered first)"),
    Column("ETA", LEFT, "28 Nov", lambda r, _: fmt.local_date(r.carrier_eta),
           "When the carrier expects to deliver (carrier ETA)"),
    Column("Last scan", LEFT, "28 Nov 14:05, Manchester Hub", _last_scan,
           "Latest carrier scan and its place"),
    Column("Late", RIGHT, "Late", _days_late,
           "Days late: past the promised date until delivery, or until now if not delivered"),
    Column("Claim", LEFT, "Refund", lambda r, _: refund_note(r),
           "A refund request or an A-to-z claim on this order (late and lost deliveries become them)"),
)  # fmt: skip
STATUS_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.title == "Status")
DAYS_LATE_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.title == "Late")
REFUND_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.title == "Claim")
STRETCH_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.title == "Last scan")


def format_row(row: ShipmentRow, now: int) -> tuple[str, ...]:
    return tuple(column.cell(row, now) for column in COLUMNS)
