"""Orders with their lines, and parcels with their scans, from domain records."""

from __future__ import annotations

from dataclasses import dataclass

from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.backend.store.models.orders import COMPONENT_COLUMNS
from seller_desk.backend.tracking import Scan, record_scan
from seller_desk.domain.entities import Order, Shipment
from seller_desk.domain.enums import TrackingStatus


@dataclass(frozen=True, slots=True)
class OrderKeys:
    order_pk: int
    line_ids: dict[str, int]  # order item code -> order line id


def ingest_order(writer: FeedWriter, order: Order, *, buyer_name: str | None = None) -> OrderKeys:
    row = writer.upsert(
        "order",
        {"order_id": order.order_id},
        {
            "marketplace": order.marketplace,
            "channel": order.channel,
            "purchased_at": order.purchased_at,
            "currency": order.currency,
            "buyer_name": buyer_name,
        },
    )
    line_ids: dict[str, int] = {}
    for line in order.lines:
        charged = {
            col: line.charged_for(component, order.currency).amount_minor
            for component, col in COMPONENT_COLUMNS.items()
        }
        line_row = writer.upsert(
            "order_line",
            {"order_pk": row["id"], "order_item_code": line.order_item_code},
            {"sku": line.sku, "asin": line.asin, "title": line.title, "quantity": line.quantity, **charged},
        )
        line_ids[line.order_item_code] = int(line_row["id"])
    return OrderKeys(order_pk=int(row["id"]), line_ids=line_ids)


def ingest_shipment(
    writer: FeedWriter, shipment: Shipment, *, order_pk: int | None = None, with_events: bool = True
) -> int:
    """Upsert the parcel (keyed by tracking number and carrier) and record its scans."""
    key = {"tracking_number": shipment.tracking_number.strip(), "carrier": shipment.carrier}
    values = {
        "direction": shipment.direction,
        "order_pk": order_pk,
        "promised_at": shipment.promised_delivery,
        "carrier_eta": shipment.estimated_delivery,
    }
    row = writer.find("shipment", key)
    if row is None:
        row = writer.insert(
            "shipment",
            {**key, **values, "status": TrackingStatus.PENDING, "shipped_at": None, "delivered_at": None,
             "last_event_at": None, "last_location": None},
        )  # fmt: skip
    else:
        row = writer.update("shipment", row, {k: v for k, v in values.items() if v is not None})
    if with_events:
        record_events(writer, int(row["id"]), shipment)
    return int(row["id"])


def record_events(writer: FeedWriter, shipment_id: int, shipment: Shipment) -> None:
    """Record the domain shipment's scans in the order they happened (duplicates are skipped)."""
    for event in sorted(shipment.events, key=lambda e: e.occurred_at):
        row = writer.find("shipment", {"id": shipment_id})
        assert row is not None
        scan = Scan(
            status=event.status,
            raw_code=event.raw_code,
            occurred_at=event.occurred_at,
            location=event.location or None,
            text=event.text or None,
        )
        record_scan(writer, row, scan)
