"""The Returns list's columns: title, sort key, alignment, width, and how a row's cell reads.

Kept apart from the model so the model stays about paging, and so a view can size its columns from
the same table. Formatting a row happens once, the first time any of its cells is painted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import Qt

from seller_desk.store.queries.returns import ReturnFlag, ReturnRow
from seller_desk.ui import formatting as fmt

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class Column(NamedTuple):
    title: str
    sort_key: str | None  # ReturnsSort key, or None if the column cannot be sorted
    align: Qt.AlignmentFlag
    sample: str  # the widest usual content: the view sizes the column to it in the current font
    cell: Callable[[ReturnRow], str]
    tooltip: str


def _status(row: ReturnRow) -> str:
    """ "Stalled" replaces "In transit" when the parcel has had no scan for days: what needs action."""
    return "Stalled" if row.flags & ReturnFlag.STALLED else fmt.status_label(row.status)


def _reason(row: ReturnRow) -> str:
    return fmt.reason_label(row.reason, row.reason_raw)


def _quantity(row: ReturnRow) -> str:
    return str(row.quantity)


def _days_in_transit(row: ReturnRow) -> str:
    """Whole days from the carrier's first scan to delivery, or to now while still travelling."""
    if row.shipped_at is None:
        return ""
    end = row.delivered_at if row.delivered_at is not None else int(time.time())
    return str(max(0, end - row.shipped_at) // 86_400)


FLAG_WORDS = (
    (ReturnFlag.A_TO_Z, "A-to-z"),
    (ReturnFlag.SAFET, "SAFE-T"),
    (ReturnFlag.OUT_OF_POLICY, "Out of policy"),
    (ReturnFlag.STALLED, "Stalled"),
)


def _flags(row: ReturnRow) -> str:
    return " · ".join(word for flag, word in FLAG_WORDS if row.flags & flag)


COLUMNS: tuple[Column, ...] = (
    Column("RMA", "rma", LEFT, "DQM71R16iRMA", lambda r: r.rma, "Return merchandise authorization"),
    Column("Order", "order_id", LEFT, "114-1234567-1234567", lambda r: r.order_id, "Marketplace order id"),
    Column("Requested", "requested_at", LEFT, "28 Nov 2025", lambda r: fmt.local_date(r.requested_at),
           "When the customer asked to return (click to sort)"),
    Column("SKU", "sku", LEFT, "SSW-BLA-000-X", lambda r: r.sku, "Seller SKU (click to sort)"),
    Column("Title", None, LEFT, "Stainless Steel Water", lambda r: r.title or "", "Catalogue title"),
    Column("Qty", "quantity", RIGHT, "Qty", _quantity, "Units returned"),
    Column("Reason", "reason", LEFT, "Found a better price", _reason,
           "Canonical reason; an unmapped marketplace code is shown as itself (click to sort)"),
    Column("Status", "status", LEFT, "Authorized", _status,
           "Return status; Stalled = in transit with no carrier scan for 5 days (click to sort)"),
    Column("Carrier", "carrier", LEFT, "Royal Mail", lambda r: r.carrier or "",
           "Carrier of the return parcel (click to sort)"),
    Column("Tracking", "tracking_number", LEFT, "1Z8IP42L0365011074", lambda r: r.tracking_number or "",
           "Return tracking number"),
    Column("Last scan", "last_scan_at", LEFT, "28 Nov 14:05", lambda r: fmt.local_datetime(r.last_scan_at),
           "Latest carrier scan, local time"),
    Column("ETA", "eta", LEFT, "28 Nov 2025", lambda r: fmt.local_date(r.eta),
           "Expected arrival at your warehouse"),
    Column("Days", None, RIGHT, "Days", _days_in_transit,
           "Days in transit: from the carrier's first scan to delivery, or to today"),
    Column("Value", "value_minor", RIGHT, "$1,234.56", lambda r: fmt.money(r.value_minor, r.currency),
           "Item value (click to sort)"),
    Column("Flags", None, LEFT, "Stalled", _flags,
           "Claims (A-to-z, SAFE-T), a return outside the policy, a stalled parcel"),
)  # fmt: skip
TITLE_COLUMN = 4
DEFAULT_SORT_COLUMN = 2


def format_row(row: ReturnRow) -> tuple[str, ...]:
    return tuple(column.cell(row) for column in COLUMNS)


def flag_notes(row: ReturnRow) -> str:
    """A tooltip for the row's flags, empty when it has none."""
    notes = []
    if row.flags & ReturnFlag.STALLED:
        notes.append("No carrier scan for 5 days or more")
    if row.flags & ReturnFlag.A_TO_Z:
        notes.append("A-to-z claim")
    if row.flags & ReturnFlag.SAFET:
        notes.append("SAFE-T claim")
    if row.flags & ReturnFlag.OUT_OF_POLICY:
        notes.append("Outside the return policy")
    return "\n".join(notes)
