"""Carrier scans (``POST /v1/tracking-events`` and upstream ingest): store, dedupe, move parcels.

Each event is normalized through the domain (``status`` as given, else the raw ``code`` of its
``source`` vocabulary); a code no vocabulary knows is *rejected* with its index rather than guessed,
because a guessed status could move a return. Events for a parcel the seller does not have are
counted as unknown. A scan already stored — same parcel, instant and code — is a duplicate (a unique
index backs this check, and the seller's feed lock keeps two batches from racing past it).

A stored scan updates the parcel's latest fields only if it is the newest scan (carriers report out of
order), and moves the linked return only through ``domain.tracking.return_status_after_scan``, which
never moves a return backwards; a late, older scan moves nothing except a delivery, which is
definitive whenever it is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import RowMapping

from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.backend.store.models import Return, Shipment, TrackingEvent
from seller_desk.domain.enums import ReturnStatus, TrackingStatus
from seller_desk.domain.lifecycle import transition
from seller_desk.domain.tracking import (
    MOVEMENT_STATUSES,
    return_status_after_scan,
    try_normalize_tracking_code,
)
from seller_desk.wire import TrackingEventIn, TrackingIngestResult


@dataclass(frozen=True, slots=True)
class Scan:
    """One normalized carrier scan."""

    status: TrackingStatus
    raw_code: str
    occurred_at: datetime
    location: str | None = None
    text: str | None = None
    estimated_delivery: datetime | None = None


@dataclass
class _Tally:
    accepted: int = 0
    duplicates: int = 0
    unknown_parcels: int = 0
    rejected: list[dict[str, str | int]] = field(default_factory=list)


def ingest_events(writer: FeedWriter, events: list[TrackingEventIn]) -> TrackingIngestResult:
    tally = _Tally()
    for index, event in enumerate(events):
        scan = _normalize(event, index, tally)
        if scan is None:
            continue
        shipment = _find_shipment(writer, event.carrier, event.tracking_number)
        if shipment is None:
            tally.unknown_parcels += 1
        elif record_scan(writer, shipment, scan):
            tally.accepted += 1
        else:
            tally.duplicates += 1
    return TrackingIngestResult(
        accepted=tally.accepted,
        duplicates=tally.duplicates,
        unknown_parcels=tally.unknown_parcels,
        rejected=tally.rejected,
    )


def _normalize(event: TrackingEventIn, index: int, tally: _Tally) -> Scan | None:
    status = event.status
    if status is None:
        assert event.code is not None  # TrackingEventIn requires a status or a code
        try:
            status = try_normalize_tracking_code(event.code, event.source)
        except ValueError:
            tally.rejected.append(
                {
                    "index": index,
                    "field": f"events.{index}.source",
                    "message": f"unknown source {event.source!r}",
                }
            )
            return None
        if status is None:
            where = f"the {event.source} vocabulary" if event.source else "any known tracking vocabulary"
            tally.rejected.append(
                {
                    "index": index,
                    "field": f"events.{index}.code",
                    "message": f"code {event.code!r} is not in {where}",
                }
            )
            return None
    eta = event.estimated_delivery
    if eta is not None and eta.tzinfo is None:
        eta = eta.replace(tzinfo=UTC)  # the wire allows a naive estimate; carriers mean UTC
    return Scan(
        status=status,
        raw_code=event.code or status.value,
        occurred_at=event.occurred_at,
        location=event.location,
        text=event.text,
        estimated_delivery=eta,
    )


def _find_shipment(writer: FeedWriter, carrier: str, tracking_number: str) -> RowMapping | None:
    return (
        writer.session.execute(
            select(Shipment.__table__)
            .where(
                Shipment.seller_id == writer.seller_id,
                Shipment.tracking_number == tracking_number.strip(),
                func.lower(Shipment.carrier) == carrier.strip().lower(),
            )
            .with_for_update()
        )
        .mappings()
        .first()
    )


def record_scan(writer: FeedWriter, shipment: RowMapping, scan: Scan) -> bool:
    """Store ``scan`` of ``shipment`` and apply it; False when it was already stored."""
    duplicate = writer.session.execute(
        select(TrackingEvent.id).where(
            TrackingEvent.shipment_id == shipment["id"],
            TrackingEvent.occurred_at == scan.occurred_at,
            TrackingEvent.raw_code == scan.raw_code,
        )
    ).first()
    if duplicate is not None:
        return False
    writer.insert(
        "tracking_event",
        {
            "shipment_id": shipment["id"],
            "occurred_at": scan.occurred_at,
            "status": scan.status,
            "raw_code": scan.raw_code,
            "location": scan.location,
            "text": scan.text,
        },
    )
    newest = shipment["last_event_at"] is None or scan.occurred_at >= shipment["last_event_at"]
    updated = writer.update("shipment", shipment, _shipment_values(shipment, scan, newest))
    for ret in writer.session.execute(
        select(Return.__table__)
        .where(Return.seller_id == writer.seller_id, Return.shipment_id == shipment["id"])
        .with_for_update()
    ).mappings():
        writer.update("return", ret, _return_values(ret, updated, scan, newest))
    return True


def _shipment_values(shipment: RowMapping, scan: Scan, newest: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if newest:
        values.update(status=scan.status, last_event_at=scan.occurred_at, last_location=scan.location)
    if scan.status is TrackingStatus.DELIVERED and shipment["delivered_at"] is None:
        values["delivered_at"] = scan.occurred_at
    if scan.status in MOVEMENT_STATUSES and (
        shipment["shipped_at"] is None or scan.occurred_at < shipment["shipped_at"]
    ):
        values["shipped_at"] = scan.occurred_at
    if scan.estimated_delivery is not None:
        values["carrier_eta"] = scan.estimated_delivery
    return values


def _return_values(ret: RowMapping, shipment: RowMapping, scan: Scan, newest: bool) -> dict[str, Any]:
    values: dict[str, Any] = {
        "tracking_status": shipment["status"],
        "last_scan_at": shipment["last_event_at"],
        "carrier": shipment["carrier"],
        "tracking_number": shipment["tracking_number"],
    }
    if shipment["carrier_eta"] is not None:
        values.update(eta=shipment["carrier_eta"], eta_source="carrier")
    current: ReturnStatus = ret["status"]
    if newest or scan.status is TrackingStatus.DELIVERED:
        target = return_status_after_scan(current, scan.status)
        if target is not current:
            values["status"] = transition(f"return {ret['rma']}", current, target)
            if target is ReturnStatus.DELIVERED and ret["delivered_at"] is None:
                values["delivered_at"] = scan.occurred_at
    if ret["shipped_at"] is None and shipment["shipped_at"] is not None:
        values["shipped_at"] = shipment["shipped_at"]
    return values
