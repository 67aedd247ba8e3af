"""How values read on screen: money, local dates, status and reason labels.

Plain functions, fast enough to run ~1,500 times per repaint. Money arrives as integer minor units
with an ISO currency; times as epoch seconds UTC, shown in the seller's local time zone. Labels use
the words of DOMAIN.md; an unmapped reason code is shown as itself, never as "Other".
(When the domain package publishes its label tables and ``Money.format``, these should defer to them.)
"""

from __future__ import annotations

import time

from seller_desk.domain.enums import CanonicalReason, ReturnStatus

CURRENCY_SYMBOLS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "GBP": "£", "EUR": "€", "JPY": "¥", "INR": "₹"}
ZERO_DECIMAL_CURRENCIES = frozenset({"JPY"})

STATUS_LABELS = {
    ReturnStatus.REQUESTED: "Requested",
    ReturnStatus.AUTHORIZED: "Authorized",
    ReturnStatus.IN_TRANSIT: "In transit",
    ReturnStatus.DELIVERED: "Delivered",
    ReturnStatus.RECEIVED: "Received",
    ReturnStatus.INSPECTED: "Inspected",
    ReturnStatus.CLOSED: "Closed",
    ReturnStatus.REJECTED: "Rejected",
    ReturnStatus.CANCELLED: "Cancelled",
    ReturnStatus.EXPIRED: "Expired",
    ReturnStatus.LOST: "Lost",
    ReturnStatus.RETURNLESS: "Returnless",
}
REASON_LABELS = {
    CanonicalReason.DEFECTIVE: "Defective",
    CanonicalReason.DAMAGED_IN_TRANSIT: "Damaged in transit",
    CanonicalReason.WRONG_ITEM: "Wrong item sent",
    CanonicalReason.NOT_AS_DESCRIBED: "Not as described",
    CanonicalReason.SIZE_FIT: "Size / fit",
    CanonicalReason.UNWANTED: "No longer wanted",
    CanonicalReason.BETTER_PRICE: "Found a better price",
    CanonicalReason.LATE_DELIVERY: "Arrived late",
    CanonicalReason.MISSING_PARTS: "Missing parts",
    CanonicalReason.INCOMPATIBLE: "Incompatible",
    CanonicalReason.QUALITY: "Quality unacceptable",
    CanonicalReason.FRAUD: "Unauthorized purchase",
    CanonicalReason.UNDELIVERABLE: "Undeliverable",
    CanonicalReason.OTHER: "Other",
}
# Plain-str keys: rows carry the stored words, and a str lookup skips the enum's hashing.
_STATUS_BY_WORD = {str(k): v for k, v in STATUS_LABELS.items()}
_REASON_BY_WORD = {str(k): v for k, v in REASON_LABELS.items()}


def money(amount_minor: int, currency: str) -> str:
    """``1234, "USD"`` → ``"$12.34"``; ``-500, "EUR"`` → ``"-€5.00"``; unknown symbols → ``"12.34 XYZ"``."""
    sign = "-" if amount_minor < 0 else ""
    units = abs(amount_minor)
    body = f"{units:,}" if currency in ZERO_DECIMAL_CURRENCIES else f"{units // 100:,}.{units % 100:02d}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{sign}{symbol}{body}" if symbol is not None else f"{sign}{body} {currency}"


def status_label(status: str) -> str:
    return _STATUS_BY_WORD.get(status) or status.replace("_", " ").capitalize()


def reason_label(reason: str | None, raw: str) -> str:
    """The canonical reason's label, or the raw marketplace code itself when nobody has mapped it."""
    if reason is None:
        return raw or "(no reason code)"
    return _REASON_BY_WORD.get(reason) or reason


def local_date(epoch_s: int | None) -> str:
    """``"12 Mar"`` this year, ``"12 Mar 2025"`` before or after it, in the local time zone."""
    if epoch_s is None:
        return ""
    when = time.localtime(epoch_s)
    if when.tm_year == time.localtime().tm_year:
        return time.strftime("%d %b", when)
    return time.strftime("%d %b %Y", when)


def local_datetime(epoch_s: int | None) -> str:
    """``"12 Mar 14:05"`` this year, else the date with its year: old scans need no minutes."""
    if epoch_s is None:
        return ""
    when = time.localtime(epoch_s)
    if when.tm_year == time.localtime().tm_year:
        return time.strftime("%d %b %H:%M", when)
    return time.strftime("%d %b %Y", when)
