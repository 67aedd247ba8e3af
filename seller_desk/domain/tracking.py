"""Carrier tracking vocabularies normalized to `TrackingStatus`, and their effect on a return.

Three vocabularies reach Seller Desk (AMAZON.md §6): AfterShip tags, SP-API Shipping v2 event codes and
SP-API Tracking milestones. Codes are matched after squashing case and separators ("OutForDelivery",
"OUT_FOR_DELIVERY" and "out for delivery" are one key); where two vocabularies share a word they agree on
its meaning, which a test checks.

Unknown codes: `normalize_tracking_code` raises `UnknownTrackingCode`, because a silently guessed status
could move a return. Callers that ingest feeds and would rather keep the raw event use
`try_normalize_tracking_code`, which returns `None`, and store the event with its raw code for review.

`return_status_after_scan` is the only place where carrier facts move a return, and it only moves it
forward along the main line (see its docstring).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from seller_desk.domain.enums import ReturnStatus
from seller_desk.domain.enums import TrackingStatus as T
from seller_desk.domain.errors import UnknownTrackingCode


class TrackingSource(StrEnum):
    """Which vocabulary a raw tracking code comes from."""

    AFTERSHIP = "aftership"
    SHIPPING_V2 = "shipping_v2"
    TRACKING_MILESTONE = "tracking_milestone"


AFTERSHIP_TAGS: Mapping[str, T] = MappingProxyType({
    "Pending": T.PENDING,
    "InfoReceived": T.INFO_RECEIVED,
    "InTransit": T.IN_TRANSIT,
    "OutForDelivery": T.OUT_FOR_DELIVERY,
    "AttemptFail": T.FAILED_ATTEMPT,
    "Delivered": T.DELIVERED,
    "AvailableForPickup": T.AVAILABLE_FOR_PICKUP,
    "Exception": T.EXCEPTION,
    "Expired": T.EXPIRED,  # no information 30 days after creation
})  # fmt: skip

SHIPPING_V2_EVENTS: Mapping[str, T] = MappingProxyType({
    "ReadyForReceive": T.INFO_RECEIVED,  # label created, carrier not yet holding the parcel
    "PickupDone": T.IN_TRANSIT,
    "Departed": T.IN_TRANSIT,
    "ArrivedAtCarrierFacility": T.IN_TRANSIT,
    "OutForDelivery": T.OUT_FOR_DELIVERY,
    "DeliveryAttempted": T.FAILED_ATTEMPT,
    "AvailableForPickup": T.AVAILABLE_FOR_PICKUP,
    "RecipientRequestedAlternateDeliveryTiming": T.DELAYED,
    "Delivered": T.DELIVERED,
    "Lost": T.LOST,
    "Rejected": T.EXCEPTION,  # refused by the recipient: needs a human, not a guess
    "Undeliverable": T.EXCEPTION,
    "ReturnInitiated": T.RETURNED_TO_SENDER,
    "PickupCancelled": T.CANCELLED,
})  # fmt: skip

TRACKING_MILESTONES: Mapping[str, T] = MappingProxyType({
    "ORDER_PREPARING": T.INFO_RECEIVED,  # seen in the SHIPMENT_TRACKING_MILESTONE_CHANGED example
    "CARRIER_ASSIGNED": T.INFO_RECEIVED,  # idem
    "SHIPPED": T.IN_TRANSIT,
    "PICKED_UP": T.IN_TRANSIT,
    "OUT_FOR_DELIVERY": T.OUT_FOR_DELIVERY,
    "DELIVERY_ATTEMPTED": T.FAILED_ATTEMPT,
    "DELIVERED": T.DELIVERED,
    "UNDELIVERABLE": T.EXCEPTION,
    "RETURNED": T.RETURNED_TO_SENDER,
    "LOST": T.LOST,
    "DAMAGED": T.EXCEPTION,
    "DELAYED": T.DELAYED,
    "READY_FOR_CUSTOMER_PICKUP": T.AVAILABLE_FOR_PICKUP,
})  # fmt: skip

_CUSTOMS_PREFIX = "CUSTOMS"  # every CUSTOMS_* milestone: the parcel is in the carrier's hands
_AFTERSHIP_SUBTAG = re.compile(r"^([A-Za-z]+)_\d{3}$")  # "InTransit_001" -> "InTransit"
_SEPARATORS = re.compile(r"[\s_\-]+")


def _squash(code: str) -> str:
    return _SEPARATORS.sub("", code.strip()).upper()


def _squashed(table: Mapping[str, T]) -> dict[str, T]:
    return {_squash(code): status for code, status in table.items()}


_BY_SOURCE: Mapping[TrackingSource, Mapping[str, T]] = MappingProxyType({
    TrackingSource.AFTERSHIP: _squashed(AFTERSHIP_TAGS),
    TrackingSource.SHIPPING_V2: _squashed(SHIPPING_V2_EVENTS),
    TrackingSource.TRACKING_MILESTONE: _squashed(TRACKING_MILESTONES),
})  # fmt: skip


def _lookup(code: str, source: TrackingSource) -> T | None:
    subtag = _AFTERSHIP_SUBTAG.match(code.strip())
    if subtag is not None and source is TrackingSource.AFTERSHIP:
        code = subtag.group(1)
    key = _squash(code)
    found = _BY_SOURCE[source].get(key)
    if found is None and source is TrackingSource.TRACKING_MILESTONE and key.startswith(_CUSTOMS_PREFIX):
        return T.IN_TRANSIT
    return found


def try_normalize_tracking_code(code: str, source: TrackingSource | str | None = None) -> T | None:
    """Like `normalize_tracking_code`, but `None` for an unknown code."""
    sources = list(TrackingSource) if source is None else [TrackingSource(source)]
    for candidate in sources:
        status = _lookup(code, candidate)
        if status is not None:
            return status
    return None


def normalize_tracking_code(code: str, source: TrackingSource | str | None = None) -> T:
    """The `TrackingStatus` of a raw carrier code, from one vocabulary or (source=None) any of them.

    Raises `UnknownTrackingCode` when no vocabulary knows the code, and `ValueError` when `source` is
    a string that names no `TrackingSource` (a programming error, not a carrier surprise).
    """
    status = try_normalize_tracking_code(code, source)
    if status is None:
        raise UnknownTrackingCode(code, None if source is None else TrackingSource(source).value)
    return status


# Scans that prove the parcel is in the carrier's network.
MOVEMENT_STATUSES: frozenset[T] = frozenset({
    T.IN_TRANSIT, T.OUT_FOR_DELIVERY, T.FAILED_ATTEMPT, T.AVAILABLE_FOR_PICKUP, T.DELAYED,
})  # fmt: skip


def return_status_after_scan(current: ReturnStatus, scan: T) -> ReturnStatus:
    """The return status after a carrier reports `scan`; `current` itself when nothing changes.

    * delivered: authorized, in_transit or lost -> delivered.
    * a movement scan (`MOVEMENT_STATUSES`): authorized -> in_transit, and lost -> in_transit (the
      parcel has been seen again).
    * lost: authorized or in_transit -> lost.
    * anything else (pending, info received, exception, returned to sender, expired, cancelled) is
      shown on the shipment but moves nothing: those need a person, not a rule.

    Never backwards: once delivered, a late in-transit or lost scan changes nothing; the seller's own
    states (received, inspected) and the terminal states are never touched by carriers; a requested
    return (no label yet) is not moved either. Every move made here is allowed by `lifecycle`.
    """
    if scan is T.DELIVERED and current in _DELIVERABLE_FROM:
        return ReturnStatus.DELIVERED
    if scan in MOVEMENT_STATUSES and current in (ReturnStatus.AUTHORIZED, ReturnStatus.LOST):
        return ReturnStatus.IN_TRANSIT
    if scan is T.LOST and current in (ReturnStatus.AUTHORIZED, ReturnStatus.IN_TRANSIT):
        return ReturnStatus.LOST
    return current


_DELIVERABLE_FROM = frozenset({ReturnStatus.AUTHORIZED, ReturnStatus.IN_TRANSIT, ReturnStatus.LOST})
