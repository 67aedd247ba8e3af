"""Returns (RMAs) with their lines and inbound parcel, from domain records.

The return's denormalized list columns (primary SKU, reason, quantity, week, carrier, tracking) are
derived here once, so desktops only apply rows. Status: a new return takes the record's status; for
a known one, the record's status is applied only when the lifecycle allows that move from the stored
status — an older report never drags a return back, and the seller's own steps (received,
inspected) are never undone by an import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from seller_desk.backend.errors import IngestError
from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.backend.ingest.orders import ingest_shipment, record_events
from seller_desk.backend.store.models import OrderLine
from seller_desk.domain.lifecycle import can_transition
from seller_desk.domain.reasons import map_reason
from seller_desk.domain.return_entities import Return

_EPOCH_DAY = date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class ReturnKeys:
    return_id: int
    line_ids: dict[str, int]  # sku -> return line id
    shipment_id: int | None


def week_of(moment: datetime) -> int:
    """Monday of the ISO week of ``moment`` (UTC), as days since 1970-01-01."""
    day = moment.date()
    return (day - timedelta(days=day.weekday()) - _EPOCH_DAY).days


def ingest_return(writer: FeedWriter, ret: Return, *, value_minor: int | None = None) -> ReturnKeys:
    order = writer.find("order", {"order_id": ret.order_id}, lock=False)
    if order is None:
        raise IngestError(f"return {ret.rma}: order {ret.order_id} is not known; ingest the order first")
    lines = {
        row.order_item_code: row
        for row in writer.session.execute(
            select(OrderLine).where(OrderLine.order_pk == order["id"])
        ).scalars()
    }
    shipment_id = None
    if ret.shipment is not None:
        shipment_id = ingest_shipment(writer, ret.shipment, order_pk=order["id"], with_events=False)
    first = ret.lines[0]
    mapped = map_reason(first.raw_reason)
    values: dict[str, Any] = {
        "order_pk": order["id"],
        "order_id": ret.order_id,
        "marketplace": order["marketplace"],
        "channel": order["channel"],
        "currency": order["currency"],
        "sku": first.sku,
        "asin": _asin(lines, first.order_item_code),
        "quantity": sum(line.quantity for line in ret.lines),
        "reason": mapped.canonical.value if mapped.known else None,
        "reason_raw": first.raw_reason,
        "customer_comment": first.customer_comment or None,
        "in_policy": all(line.in_policy for line in ret.lines),
        "requested_at": ret.requested_at,
        "week": week_of(ret.requested_at),
        "authorized_at": ret.authorized_at,
        "label_type": ret.label_type,
        "label_cost_minor": ret.label_cost.amount_minor if ret.label_cost is not None else 0,
        "label_paid_by": ret.label_paid_by,
        "resolution": ret.resolution,
        "a_to_z_claim": ret.a_to_z_claim,
        "safet_claim": ret.safet_claim,
        "value_minor": value_minor if value_minor is not None else _value(ret, lines),
        "shipment_id": shipment_id,
    }
    if ret.shipment is not None:
        values.update(carrier=ret.shipment.carrier, tracking_number=ret.shipment.tracking_number.strip())
        if ret.shipment.estimated_delivery is not None:
            values.update(eta=ret.shipment.estimated_delivery, eta_source="carrier")
    existing = writer.find("return", {"rma": ret.rma})
    if existing is None:
        row = writer.insert(
            "return", {**_new_row_defaults(ret), **values, "rma": ret.rma, "status": ret.status}
        )
    else:
        if ret.status is not existing["status"] and can_transition(existing["status"], ret.status):
            values["status"] = ret.status
        row = writer.update("return", existing, {k: v for k, v in values.items() if v is not None})
    line_ids = _ingest_lines(writer, int(row["id"]), ret, lines)
    if ret.shipment is not None and shipment_id is not None:
        record_events(writer, shipment_id, ret.shipment)
    return ReturnKeys(return_id=int(row["id"]), line_ids=line_ids, shipment_id=shipment_id)


def _new_row_defaults(ret: Return) -> dict[str, Any]:
    return {
        "shipped_at": None,
        "delivered_at": ret.delivered_at,
        "received_at": ret.received_at,
        "inspected_at": None,
        "closed_at": None,
        "carrier": None,
        "tracking_number": None,
        "tracking_status": None,
        "last_scan_at": None,
        "eta": None,
        "eta_source": None,
    }


def _ingest_lines(
    writer: FeedWriter, return_id: int, ret: Return, lines: dict[str, OrderLine]
) -> dict[str, int]:
    ids: dict[str, int] = {}
    for line in ret.lines:
        order_line = lines.get(line.order_item_code or "")
        mapped = map_reason(line.raw_reason)
        row = writer.upsert(
            "return_line",
            {"return_id": return_id, "sku": line.sku},
            {
                "order_line_id": order_line.id if order_line is not None else _line_for_sku(lines, line.sku),
                "quantity": line.quantity,
                "reason": mapped.canonical.value if mapped.known else None,
                "reason_raw": line.raw_reason,
                "customer_comment": line.customer_comment or None,
                "in_policy": line.in_policy,
            },
        )
        ids[line.sku] = int(row["id"])
    return ids


def _line_for_sku(lines: dict[str, OrderLine], sku: str) -> int | None:
    matches = [line.id for line in lines.values() if line.sku == sku]
    return matches[0] if len(matches) == 1 else None


def _asin(lines: dict[str, OrderLine], code: str | None) -> str | None:
    line = lines.get(code or "")
    return line.asin if line is not None else None


def _value(ret: Return, lines: dict[str, OrderLine]) -> int:
    """The principal charged for the returned units (pro rata of each order line's quantity)."""
    value = 0
    for line in ret.lines:
        order_line = lines.get(line.order_item_code or "")
        if order_line is None:
            candidates = [ol for ol in lines.values() if ol.sku == line.sku]
            order_line = candidates[0] if len(candidates) == 1 else None
        if order_line is not None and order_line.quantity > 0:
            value += (
                order_line.principal_minor * min(line.quantity, order_line.quantity) // order_line.quantity
            )
    return value
