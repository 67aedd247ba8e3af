"""The words the detail pane uses for stored values: tracking and refund states, sync states, the ETA.

Stored words (``in_transit``, ``auto_refunded``, ``return_received.queued``) are the code's vocabulary;
the seller reads labels. A word this module does not know is shown tidied but unchanged, never hidden,
so a new status from the backend is still visible before anyone names it here.
"""

from __future__ import annotations

import time
from datetime import datetime

from seller_desk.domain.enums import MutationStatus, RefundState, TrackingStatus

TRACKING_LABELS: dict[str, str] = {
    TrackingStatus.PENDING: "Label created",
    TrackingStatus.INFO_RECEIVED: "Label created",
    TrackingStatus.IN_TRANSIT: "In transit",
    TrackingStatus.OUT_FOR_DELIVERY: "Out for delivery",
    TrackingStatus.FAILED_ATTEMPT: "Delivery attempt failed",
    TrackingStatus.AVAILABLE_FOR_PICKUP: "Waiting at a pickup point",
    TrackingStatus.DELAYED: "Delayed",
    TrackingStatus.DELIVERED: "Delivered",
    TrackingStatus.EXCEPTION: "Exception",
    TrackingStatus.RETURNED_TO_SENDER: "Sent back to the customer",
    TrackingStatus.LOST: "Lost",
    TrackingStatus.EXPIRED: "Tracking expired",
    TrackingStatus.CANCELLED: "Label cancelled",
}
REFUND_LABELS: dict[str, str] = {
    RefundState.PENDING: "Waiting for your decision",
    RefundState.APPROVED: "Approved",
    RefundState.SUBMITTED: "Refund in progress",
    RefundState.COMPLETED: "Refunded",
    RefundState.FAILED: "Refund failed",
    RefundState.REJECTED: "Rejected",
    RefundState.CANCELLED: "Withdrawn by the customer",
    RefundState.AUTO_REFUNDED: "Refunded by the marketplace",
}
SOURCE_LABELS = {
    "customer": "asked by the customer",
    "return": "for this return",
    "a_to_z": "A-to-z claim",
    "marketplace": "by the marketplace",
}
SYNC_LABELS: dict[str, str] = {
    MutationStatus.QUEUED: "waiting to sync",
    MutationStatus.SENDING: "sending",
    MutationStatus.ACKNOWLEDGED: "accepted by the backend",
    MutationStatus.SETTLED: "synced",
    MutationStatus.CONFLICT: "conflict — see the Sync screen",
    MutationStatus.REJECTED: "refused by the backend — see the Sync screen",
}
EVENT_LABELS = {"queued": "recorded", "acknowledged": "accepted", "settled": "synced", "undone": "undone"}
KIND_LABELS = {
    "refund_decision": "Refund decision",
    "return_received": "Receipt",
    "inspection_recorded": "Inspection",
    "note": "Note",
}
ETA_SOURCES = {
    "carrier": "estimated by the carrier",
    "history": "estimated from this carrier's history",
}
STATUS_CHIP_COLORS = {  # background, text: calm for the main line, warm for what needs hands
    "requested": ("#e8eaed", "#202124"),
    "authorized": ("#e8eaed", "#202124"),
    "in_transit": ("#d2e3fc", "#174ea6"),
    "delivered": ("#fde293", "#5f4100"),
    "received": ("#ceead6", "#0d652d"),
    "inspected": ("#ceead6", "#0d652d"),
    "closed": ("#e8eaed", "#3c4043"),
    "lost": ("#fad2cf", "#a50e0e"),
}
ATTENTION_STATUSES = frozenset({TrackingStatus.EXCEPTION, TrackingStatus.LOST, TrackingStatus.FAILED_ATTEMPT})


def _tidy(word: str) -> str:
    return word.replace("_", " ").capitalize()


def tracking_label(word: str) -> str:
    return TRACKING_LABELS.get(word, _tidy(word))


def refund_label(word: str) -> str:
    return REFUND_LABELS.get(word, _tidy(word))


def source_label(word: str) -> str:
    return SOURCE_LABELS.get(word, _tidy(word))


def sync_label(word: str | None) -> str:
    """A mutation's state as the seller reads it; ``None`` means the act is long settled."""
    if word is None:
        return "synced"
    return SYNC_LABELS.get(word, _tidy(word))


def history_label(what: str) -> str:
    """``"return_received.queued"`` → ``"Receipt recorded"``; other words are shown tidied."""
    kind, _, event = what.partition(".")
    if kind in KIND_LABELS and event:
        return f"{KIND_LABELS[kind]} {EVENT_LABELS.get(event, event.replace('_', ' '))}"
    return _tidy(what.replace(".", " "))


def local_time(at: datetime | None) -> str:
    """``"Thu 23 Apr 2026, 14:05"`` in the seller's time zone (a detail pane has room for the year)."""
    if at is None:
        return ""
    return time.strftime("%a %d %b %Y, %H:%M", time.localtime(at.timestamp()))


def short_time(at: datetime) -> str:
    """``"09 Nov, 07:47"`` this year, ``"09 Nov 2025, 07:47"`` otherwise: for the timeline's narrow column."""
    when = time.localtime(at.timestamp())
    if when.tm_year == time.localtime().tm_year:
        return time.strftime("%d %b, %H:%M", when)
    return time.strftime("%d %b %Y, %H:%M", when)


def local_day(at: datetime) -> str:
    return time.strftime("%a %d %b %Y", time.localtime(at.timestamp()))


def eta_text(eta: datetime | None, source: str | None, *, status: str, now: datetime) -> str:
    """The ETA line under the progress line; empty once the parcel is no longer on its way."""
    if status not in ("authorized", "in_transit"):
        return ""  # arrived, or off the line (lost, expired...): an estimate would mislead
    if eta is None:
        return "No arrival estimate yet"
    how = ETA_SOURCES.get(source or "", "source of the estimate unknown")
    late_days = (now - eta).days
    if late_days >= 1:
        return f"Was expected {local_day(eta)}, {late_days} day{'s' if late_days != 1 else ''} ago — {how}"
    return f"Expected {local_day(eta)} — {how}"


def chip_colors(status: str) -> tuple[str, str]:
    return STATUS_CHIP_COLORS.get(status, ("#e8eaed", "#202124"))
