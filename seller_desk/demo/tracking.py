"""Carrier timelines: parcels become tracking events in the carriers' own words.

A parcel's timeline has fixed slots in time order — label created, picked up, up to three hub scans
(with a possible stall and an exception between them), a failed attempt, an access point, out for
delivery, delivered, and a terminal lost/expired/cancelled — and each parcel fills some of them. Slot
times are monotonic by construction; events after `as_of` are simply not there yet, which is what
makes a parcel "in transit" or "stalled" today. Raw codes come from the carrier's vocabulary
(AfterShip tags, SP-API Shipping v2 events, SP-API Tracking milestones, AMAZON.md §6) and the stored
`status` is their normalized TrackingStatus. Old parcels keep three events, to bound the table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seller_desk.demo.calendar import DAY, HOUR
from seller_desk.domain.enums import TrackingStatus as T

VOCABULARIES: tuple[str, ...] = ("aftership", "shipping_v2", "milestone")
KINDS: tuple[str, ...] = (
    "info", "pickup", "arrived", "departed", "exception", "delayed", "out_for_delivery", "failed",
    "pickup_point", "delivered", "lost", "expired", "cancelled",
)  # fmt: skip
# (raw code, normalized status, text) per vocabulary and kind.
_EVENTS: dict[str, dict[str, tuple[str, T, str]]] = {
    "aftership": {
        "info": ("InfoReceived", T.INFO_RECEIVED, "Shipping label created, awaiting item"),
        "pickup": ("InTransit", T.IN_TRANSIT, "Picked up"),
        "arrived": ("InTransit", T.IN_TRANSIT, "Arrived at facility"),
        "departed": ("InTransit", T.IN_TRANSIT, "Departed facility"),
        "exception": ("Exception", T.EXCEPTION, "Delivery exception: address information required"),
        "delayed": ("Exception", T.EXCEPTION, "Delayed: operational issue at facility"),
        "out_for_delivery": ("OutForDelivery", T.OUT_FOR_DELIVERY, "Out for delivery"),
        "failed": ("AttemptFail", T.FAILED_ATTEMPT, "Delivery attempted: business closed"),
        "pickup_point": (
            "AvailableForPickup",
            T.AVAILABLE_FOR_PICKUP,
            "Available for pickup at access point",
        ),
        "delivered": ("Delivered", T.DELIVERED, "Delivered"),
        "lost": ("Exception", T.EXCEPTION, "Shipment lost in transit"),
        "expired": ("Expired", T.EXPIRED, "No tracking information for 30 days"),
        "cancelled": ("Expired", T.EXPIRED, "No tracking information for 30 days"),
    },
    "shipping_v2": {
        "info": ("ReadyForReceive", T.INFO_RECEIVED, "Label created"),
        "pickup": ("PickupDone", T.IN_TRANSIT, "Package received by carrier"),
        "arrived": ("ArrivedAtCarrierFacility", T.IN_TRANSIT, "Arrived at carrier facility"),
        "departed": ("Departed", T.IN_TRANSIT, "Departed carrier facility"),
        "exception": ("RecipientRequestedAlternateDeliveryTiming", T.DELAYED, "Delivery rescheduled"),
        "delayed": ("RecipientRequestedAlternateDeliveryTiming", T.DELAYED, "Delivery rescheduled"),
        "out_for_delivery": ("OutForDelivery", T.OUT_FOR_DELIVERY, "Out for delivery"),
        "failed": ("DeliveryAttempted", T.FAILED_ATTEMPT, "Delivery attempted"),
        "pickup_point": ("AvailableForPickup", T.AVAILABLE_FOR_PICKUP, "Available at Amazon Hub Locker"),
        "delivered": ("Delivered", T.DELIVERED, "Delivered"),
        "lost": ("Lost", T.LOST, "Package lost"),
        "expired": ("PickupCancelled", T.CANCELLED, "Return label expired unused"),
        "cancelled": ("PickupCancelled", T.CANCELLED, "Return cancelled by customer"),
    },
    "milestone": {
        "info": ("CARRIER_ASSIGNED", T.INFO_RECEIVED, "Carrier assigned"),
        "pickup": ("PICKED_UP", T.IN_TRANSIT, "Picked up"),
        "arrived": ("SHIPPED", T.IN_TRANSIT, "Shipped"),
        "departed": ("SHIPPED", T.IN_TRANSIT, "Shipped"),
        "exception": ("DELAYED", T.DELAYED, "Delayed"),
        "delayed": ("DELAYED", T.DELAYED, "Delayed"),
        "out_for_delivery": ("OUT_FOR_DELIVERY", T.OUT_FOR_DELIVERY, "Out for delivery"),
        "failed": ("DELIVERY_ATTEMPTED", T.FAILED_ATTEMPT, "Delivery attempted"),
        "pickup_point": ("READY_FOR_CUSTOMER_PICKUP", T.AVAILABLE_FOR_PICKUP, "Ready for pickup"),
        "delivered": ("DELIVERED", T.DELIVERED, "Delivered"),
        "lost": ("LOST", T.LOST, "Lost"),
        "expired": ("UNDELIVERABLE", T.EXCEPTION, "Undeliverable"),
        "cancelled": ("UNDELIVERABLE", T.EXCEPTION, "Undeliverable"),
    },
}
RAW_POOL: tuple[str, ...] = tuple(dict.fromkeys(e[0] for v in _EVENTS.values() for e in v.values()))
TEXT_POOL: tuple[str, ...] = tuple(dict.fromkeys(e[2] for v in _EVENTS.values() for e in v.values()))
STATUS_POOL: tuple[T, ...] = tuple(T)
# (vocabulary, kind) -> indexes into the pools
_RAW = np.array([[RAW_POOL.index(_EVENTS[v][k][0]) for k in KINDS] for v in VOCABULARIES], dtype=np.int8)
_TEXT = np.array([[TEXT_POOL.index(_EVENTS[v][k][2]) for k in KINDS] for v in VOCABULARIES], dtype=np.int8)
_STATUS = np.array(
    [[STATUS_POOL.index(_EVENTS[v][k][1]) for k in KINDS] for v in VOCABULARIES], dtype=np.int8
)
K = {k: i for i, k in enumerate(KINDS)}

# Slots in time order; slot 4 is an exception or a delay, slot 11 the terminal event.
SLOT_KIND = np.array([K["info"], K["pickup"], K["arrived"], K["departed"], K["exception"], K["arrived"],
                      K["out_for_delivery"], K["failed"], K["pickup_point"], K["out_for_delivery"],
                      K["delivered"], K["lost"]])  # fmt: skip
RECENT = 90 * DAY  # parcels labelled before as_of - RECENT keep only three events
NONE = -1


@dataclass(slots=True)
class Parcels:
    """What the timeline builder needs per parcel (timestamps NONE when it never happens)."""

    vocabulary: np.ndarray
    label_at: np.ndarray
    shipped_at: np.ndarray
    delivered_at: np.ndarray
    last_scan_at: np.ndarray  # lost parcels: the last scan before silence
    unused_until: np.ndarray  # unused label: when the carrier gives up (expired / cancelled)
    unused_kind: np.ndarray  # K["expired"] or K["cancelled"]
    stall: np.ndarray
    exception_delay: np.ndarray
    delayed: np.ndarray  # bool: slot 4 is a delay rather than an exception
    failed_attempt: np.ndarray
    pickup_point: np.ndarray  # bool: collected from an access point instead of delivered
    origin: np.ndarray  # location indexes
    destination: np.ndarray
    hubs: np.ndarray  # (n, 2) location indexes: the first sorting centre, the one near the destination


@dataclass(slots=True)
class Timelines:
    event_parcel: np.ndarray
    occurred_at: np.ndarray
    status: np.ndarray  # index into STATUS_POOL
    raw: np.ndarray  # index into RAW_POOL
    text: np.ndarray  # index into TEXT_POOL
    location: np.ndarray  # location index or NONE
    last_status: np.ndarray  # per parcel
    last_event_at: np.ndarray
    last_scan_at: np.ndarray  # last event that is not "label created"
    last_location: np.ndarray


def build(rng: np.random.Generator, p: Parcels, as_of: int) -> Timelines:
    n = len(p.label_at)
    shipped = p.shipped_at >= 0
    delivered = p.delivered_at >= 0
    lost = p.last_scan_at >= 0
    recent = p.label_at >= as_of - RECENT
    hub_count = np.where(lost, 3, rng.choice([1, 2, 3], size=n, p=[0.2, 0.4, 0.4]))
    # Keep a full timeline at eight events or fewer: extra scans cost hub scans.
    extras = ((p.exception_delay > 0) | p.delayed).astype(np.int64) + 2 * p.failed_attempt
    hub_count = np.minimum(hub_count, np.maximum(1, 3 - extras))
    detailed = shipped & recent & (p.vocabulary != VOCABULARIES.index("milestone"))

    lead = rng.integers(2 * HOUR, 7 * HOUR, n)
    ofd = p.delivered_at - lead
    failed_at = p.delivered_at - DAY - rng.integers(HOUR, 4 * HOUR, n)
    halfway = p.shipped_at + (p.delivered_at - p.shipped_at) // 2
    point_at = np.maximum(p.delivered_at - rng.integers(DAY, 3 * DAY, n), halfway)
    end_move = np.where(p.failed_attempt, failed_at - 3 * HOUR, np.where(p.pickup_point, point_at, ofd))
    end_move = np.where(lost, p.last_scan_at, end_move)
    busy = p.stall + p.exception_delay
    active = np.where(lost, (p.last_scan_at - p.shipped_at) / 0.8, end_move - p.shipped_at - busy)
    active = np.maximum(active, HOUR)

    def at(frac: float, after_stall: bool, after_exception: bool) -> np.ndarray:
        moved: np.ndarray = p.shipped_at + (frac * active).astype(np.int64)
        delays: np.ndarray = after_stall * p.stall + after_exception * p.exception_delay
        result: np.ndarray = moved + delays
        return result

    times = np.stack([
        p.label_at, p.shipped_at, at(0.25, False, False), at(0.5, True, False), at(0.62, True, False),
        at(0.8, True, True), failed_at - 3 * HOUR, failed_at, point_at, ofd, p.delivered_at,
        np.where(lost, p.last_scan_at + 10 * DAY, p.unused_until),
    ], axis=1)  # fmt: skip
    present = np.stack([
        p.label_at >= 0, shipped, detailed & (hub_count >= 2), detailed & (hub_count >= 1),
        detailed & ((p.exception_delay > 0) | p.delayed), detailed & (hub_count >= 3),
        detailed & delivered & p.failed_attempt, detailed & delivered & p.failed_attempt,
        shipped & delivered & p.pickup_point, detailed & delivered & ~p.pickup_point, delivered,
        lost | (p.unused_until >= 0),
    ], axis=1)  # fmt: skip
    present &= (times <= as_of) & (times >= 0)

    kinds = np.broadcast_to(SLOT_KIND.astype(np.int8), (n, len(SLOT_KIND))).copy()
    kinds[:, 4] = np.where(p.delayed, K["delayed"], K["exception"])
    kinds[:, 11] = np.where(lost, K["lost"], p.unused_kind)
    hub_loc = p.hubs
    none = np.full(n, NONE, dtype=np.int32)
    origin, destination, hub_a, hub_b = (a.astype(np.int32) for a in (p.origin, p.destination, *hub_loc.T))
    locations = np.stack([
        none, origin, hub_a, hub_a, hub_a, hub_b, destination, destination, destination, destination,
        destination, none,
    ], axis=1)  # fmt: skip

    parcel, slot = np.nonzero(present)
    parcel = parcel.astype(np.int32)
    kind = kinds[parcel, slot]
    vocab = p.vocabulary[parcel]
    status = _STATUS[vocab, kind]
    location = locations[parcel, slot]

    occurred = times[parcel, slot]
    scans = kind != K["info"]
    located = location >= 0
    return Timelines(
        event_parcel=parcel, occurred_at=occurred, status=status, raw=_RAW[vocab, kind],
        text=_TEXT[vocab, kind], location=location, last_status=_last(parcel, status, n),
        last_event_at=_last(parcel, occurred, n), last_scan_at=_last(parcel[scans], occurred[scans], n),
        last_location=_last(parcel[located], location[located], n),
    )  # fmt: skip


def _last(group: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Per parcel, the value of its last event (events are grouped by parcel in time order)."""
    out = np.full(n, NONE, dtype=np.int64)
    if len(group):
        is_last = np.ones(len(group), dtype=bool)
        is_last[:-1] = group[1:] != group[:-1]
        out[group[is_last]] = values[is_last]
    return out
