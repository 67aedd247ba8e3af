"""What happens on the simulated marketplace: events at a simulated instant, and their vocabulary.

Events carry domain records (``seller_desk.domain``) or wire records (``TrackingEventIn``, the body of
``POST /v1/tracking-events``), so applying them uses exactly the backend's own ingest paths. Requests
are named by the marketplace's request id, as a real feed would; the applier looks them up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from seller_desk.domain.entities import Order, Shipment
from seller_desk.domain.enums import TrackingStatus
from seller_desk.domain.return_entities import RefundRequest, Return
from seller_desk.domain.tracking import AFTERSHIP_TAGS, SHIPPING_V2_EVENTS, TrackingSource
from seller_desk.wire import TrackingEventIn


@dataclass(frozen=True, slots=True)
class OrderPlaced:
    order: Order
    buyer_name: str
    outbound: Shipment  # the parcel, without scans: those come as CarrierScan events


@dataclass(frozen=True, slots=True)
class CarrierScan:
    scan: TrackingEventIn
    direction: str  # "outbound" | "inbound", for the tallies


@dataclass(frozen=True, slots=True)
class ReturnOpened:
    ret: Return  # authorized, with its inbound parcel (no scans yet)
    request: RefundRequest


@dataclass(frozen=True, slots=True)
class RefundRequested:
    request: RefundRequest  # a customer's request without a return


@dataclass(frozen=True, slots=True)
class CustomerCancelled:
    request_id: str


@dataclass(frozen=True, slots=True)
class AutoRefunded:
    request_id: str
    why: str  # "first_scan" (refund at first scan) | "claim_granted"


@dataclass(frozen=True, slots=True)
class ClaimOpened:
    request_id: str


@dataclass(frozen=True, slots=True)
class ParcelStalled:
    """No event upstream: a marker the world emits when it decides a parcel goes quiet (for tallies)."""

    tracking_number: str


SimEvent = (
    OrderPlaced | CarrierScan | ReturnOpened | RefundRequested | CustomerCancelled | AutoRefunded
    | ClaimOpened | ParcelStalled
)  # fmt: skip


@dataclass(frozen=True, slots=True, order=True)
class Scheduled:
    at: datetime
    seq: int
    event: SimEvent = field(compare=False)  # seq is unique: ties never reach the event


# -- vocabulary -------------------------------------------------------------------------------------
# (sku, asin, title, principal per unit in minor units of USD; other currencies scale it)
CATALOGUE: tuple[tuple[str, str, str, int], ...] = (
    ("MUG-CER-350", "B0SIM00001", "Ceramic mug 350 ml", 1499),
    ("MUG-TRV-450", "B0SIM00002", "Travel mug 450 ml", 2299),
    ("TEE-ORG-M", "B0SIM00003", "Organic tee, M", 1999),
    ("TEE-ORG-L", "B0SIM00004", "Organic tee, L", 1999),
    ("HDP-BT-200", "B0SIM00005", "Bluetooth headphones", 5999),
    ("CBL-USBC-2M", "B0SIM00006", "USB-C cable 2 m", 999),
    ("LMP-DSK-LED", "B0SIM00007", "LED desk lamp", 3499),
    ("BTL-STL-750", "B0SIM00008", "Steel bottle 750 ml", 2499),
    ("YGA-MAT-6MM", "B0SIM00009", "Yoga mat 6 mm", 2999),
    ("KNF-CHF-20", "B0SIM00010", "Chef's knife 20 cm", 4499),
    ("PLN-A5-DOT", "B0SIM00011", "Dotted notebook A5", 1299),
    ("SPK-MINI-BT", "B0SIM00012", "Mini speaker", 3999),
)
# The catalogue's categories, keyed as the desktop's demo history keys them (so trends group alike).
CATEGORY_OF: dict[str, str] = {
    "MUG-CER-350": "home_kitchen",
    "MUG-TRV-450": "home_kitchen",
    "TEE-ORG-M": "apparel",
    "TEE-ORG-L": "apparel",
    "HDP-BT-200": "electronics",
    "CBL-USBC-2M": "electronics",
    "LMP-DSK-LED": "home_kitchen",
    "BTL-STL-750": "sports",
    "YGA-MAT-6MM": "sports",
    "KNF-CHF-20": "home_kitchen",
    "PLN-A5-DOT": "books",
    "SPK-MINI-BT": "electronics",
}
UNIT_COST_SHARE_PCT = 38  # landed cost as a share of the US price

# marketplace code, currency, rate against USD in percent, weight, carriers
MARKETS: tuple[tuple[str, str, int, float, tuple[str, ...]], ...] = (
    ("US", "USD", 100, 0.7, ("UPS", "USPS", "FedEx")),
    ("UK", "GBP", 80, 0.15, ("Royal Mail", "DPD")),
    ("DE", "EUR", 92, 0.15, ("DHL", "Hermes")),
)

BUYERS = ("A. Rivera", "J. Chen", "M. Okafor", "S. Novak", "L. Moreau", "K. Tanaka", "P. Silva", "R. Iyer")
LOCATIONS = (
    "Louisville, KY",
    "Memphis, TN",
    "Ontario, CA",
    "Leipzig, DE",
    "East Midlands, GB",
    "Chicago, IL",
)

_SOURCE_TABLES = {
    TrackingSource.AFTERSHIP: {status: code for code, status in reversed(list(AFTERSHIP_TAGS.items()))},
    TrackingSource.SHIPPING_V2: {status: code for code, status in reversed(list(SHIPPING_V2_EVENTS.items()))},
}


def scan_event(
    carrier: str,
    tracking_number: str,
    at: datetime,
    status: TrackingStatus,
    source: TrackingSource | None,
    location: str | None,
    text: str | None = None,
    estimated_delivery: datetime | None = None,
) -> TrackingEventIn:
    """A scan as a carrier feed reports it: a raw code of ``source`` when it has one, else the status."""
    code = _SOURCE_TABLES[source].get(status) if source is not None else None
    if code is None:
        return TrackingEventIn(
            carrier=carrier, tracking_number=tracking_number, occurred_at=at, status=status,
            location=location, text=text, estimated_delivery=estimated_delivery,
        )  # fmt: skip
    assert source is not None
    return TrackingEventIn(
        carrier=carrier, tracking_number=tracking_number, occurred_at=at, code=code, source=source.value,
        location=location, text=text, estimated_delivery=estimated_delivery,
    )  # fmt: skip
