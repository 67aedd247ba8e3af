"""``load_shipment_detail``: what the Shipments screen's detail pane shows about one outbound parcel.

Its timeline (events newest first, and how far it got: ``domain.tracking_progress``, the same rule the
return detail uses), the order it carries with its lines, and the refund requests on that order — late
and lost deliveries become refund requests and A-to-z claims, so the pane shows them beside the parcel.
Every query is a seek on an index (primary keys, ``ix_tracking_events_shipment_id_occurred_at``,
``ix_order_lines_order_pk``, ``ix_refund_requests_order_pk``), in one read transaction, so the pane
never mixes a timeline from after a pull with requests from before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, text

from seller_desk.domain.enums import TrackingStatus
from seller_desk.domain.tracking_progress import TrackingProgress, tracking_progress
from seller_desk.store.queries.return_detail_facts import TrackingEventFacts
from seller_desk.store.types import from_epoch

_TRACKING_WORDS = frozenset(s.value for s in TrackingStatus)

SHIPMENT_SQL = text("""
SELECT s.*, o.order_id AS o_order_id, o.marketplace AS o_marketplace, o.channel AS o_channel,
       o.purchased_at AS o_purchased_at, o.buyer_name AS o_buyer_name
FROM shipments s LEFT JOIN orders o ON o.id = s.order_pk WHERE s.id = :sid""")
EVENTS_SQL = text("""
SELECT occurred_at, location, status, raw_code, text FROM tracking_events
WHERE shipment_id = :sid ORDER BY occurred_at DESC, id DESC""")
LINES_SQL = text("SELECT sku, title, quantity FROM order_lines WHERE order_pk = :opk ORDER BY id")
REFUNDS_SQL = text("""
SELECT id, state, source, reason, currency, requested_minor, refunded_minor, a_to_z_claim, created_at,
       due_at FROM refund_requests WHERE order_pk = :opk ORDER BY created_at, id""")


class ShipmentNotFound(LookupError):
    """The shipment is not in the local store (a pull may have replaced it meanwhile)."""


@dataclass(frozen=True, slots=True)
class ShippedLine:
    sku: str
    title: str
    quantity: int


@dataclass(frozen=True, slots=True)
class LinkedRefund:
    """A refund request on the shipment's order (A-to-z claims and late/lost-delivery requests)."""

    refund_request_id: int
    state: str  # RefundState word
    source: str  # RefundSource word
    reason: str | None
    currency: str
    requested_minor: int
    refunded_minor: int
    a_to_z_claim: bool
    created_at: datetime
    due_at: datetime | None


@dataclass(frozen=True, slots=True)
class ShipmentDetail:
    shipment_id: int
    carrier: str
    tracking_number: str
    status: str  # TrackingStatus word
    shipped_at: datetime | None
    promised_at: datetime | None
    carrier_eta: datetime | None
    delivered_at: datetime | None
    last_event_at: datetime | None
    last_location: str | None
    order_id: str | None
    marketplace: str | None
    channel: str | None
    purchased_at: datetime | None
    buyer_name: str | None
    lines: tuple[ShippedLine, ...]
    events: tuple[TrackingEventFacts, ...]  # newest first
    progress: TrackingProgress
    refunds: tuple[LinkedRefund, ...]


def load_shipment_detail(conn: Connection, shipment_id: int) -> ShipmentDetail:
    """The detail of shipment ``shipment_id``; raises ``ShipmentNotFound`` if the store has none."""
    with conn.begin():
        s = conn.execute(SHIPMENT_SQL, {"sid": shipment_id}).mappings().first()
        if s is None:
            raise ShipmentNotFound(f"shipment {shipment_id} is not in the local store")
        events = tuple(
            TrackingEventFacts(_at(e.occurred_at), e.location, e.status, e.raw_code, e.text)
            for e in conn.execute(EVENTS_SQL, {"sid": shipment_id})
        )
        pairs = [(e.occurred_at, TrackingStatus(e.status)) for e in events if e.status in _TRACKING_WORDS]
        latest = from_epoch(s["last_event_at"]) or (events[0].occurred_at if events else None)
        if latest is not None and s["status"] in _TRACKING_WORDS:
            # The parcel's own status is the carrier's latest word, even where its events are not all
            # mirrored: it counts as an event at the latest scan (ties go to it, as the newest).
            pairs.append((max([latest, *(p[0] for p in pairs)]), TrackingStatus(s["status"])))
        progress = tracking_progress(pairs, label_exists=True)
        order_pk = s["order_pk"]
        lines: tuple[ShippedLine, ...] = ()
        refunds: tuple[LinkedRefund, ...] = ()
        if order_pk is not None:
            lines = tuple(
                ShippedLine(x.sku, x.title, x.quantity) for x in conn.execute(LINES_SQL, {"opk": order_pk})
            )
            refunds = tuple(
                LinkedRefund(
                    refund_request_id=q.id,
                    state=q.state,
                    source=q.source,
                    reason=q.reason,
                    currency=q.currency,
                    requested_minor=q.requested_minor,
                    refunded_minor=q.refunded_minor,
                    a_to_z_claim=bool(q.a_to_z_claim),
                    created_at=_at(q.created_at),
                    due_at=from_epoch(q.due_at),
                )
                for q in conn.execute(REFUNDS_SQL, {"opk": order_pk})
            )
        return ShipmentDetail(
            shipment_id=shipment_id,
            carrier=s["carrier"],
            tracking_number=s["tracking_number"],
            status=s["status"],
            shipped_at=from_epoch(s["shipped_at"]),
            promised_at=from_epoch(s["promised_at"]),
            carrier_eta=from_epoch(s["carrier_eta"]),
            delivered_at=from_epoch(s["delivered_at"]),
            last_event_at=from_epoch(s["last_event_at"]),
            last_location=s["last_location"],
            order_id=s["o_order_id"],
            marketplace=s["o_marketplace"],
            channel=s["o_channel"],
            purchased_at=from_epoch(s["o_purchased_at"]),
            buyer_name=s["o_buyer_name"],
            lines=lines,
            events=events,
            progress=progress,
            refunds=refunds,
        )


def _at(epoch: int) -> datetime:
    value = from_epoch(epoch)
    if value is None:
        raise ValueError("a NOT NULL timestamp column held NULL")
    return value
