"""Simulated marketplace events into the backend, through the backend's own ingest paths.

Carrier scans go through ``tracking.ingest_events`` — the function behind ``POST /v1/tracking-events``
— so deduplication, out-of-order handling and return moves are the real ones. Orders, returns and
requests go through ``ingest``; marketplace-side outcomes through ``ingest.set_refund_state``, which
voids unsent payments and cancels a pending ledger entry when the request ends upstream.

A marketplace event only applies to a request still in a state it can act on, exactly as upstream
would refuse to cancel a refund already paid: a cancellation or auto-refund needs ``pending`` or
``approved`` (not yet sent), a claim needs ``pending``. Anything else is counted as ``skipped:…``.
A refused event never undoes the rest of its batch: the runner redoes a failed batch with one
savepoint per event.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from sqlalchemy import select

from seller_desk.backend.errors import IngestError
from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.backend.ingest import (
    SkuRecord,
    ingest_order,
    ingest_refund_request,
    ingest_return,
    ingest_shipment,
    ingest_sku,
    set_refund_state,
)
from seller_desk.backend.simulator.events import (
    CATALOGUE,
    CATEGORY_OF,
    UNIT_COST_SHARE_PCT,
    AutoRefunded,
    CarrierScan,
    ClaimOpened,
    CustomerCancelled,
    OrderPlaced,
    ParcelStalled,
    RefundRequested,
    ReturnOpened,
    SimEvent,
)
from seller_desk.backend.store.models import RefundRequestLine
from seller_desk.backend.tracking import ingest_events
from seller_desk.domain.enums import ChargeComponent, RefundState
from seller_desk.domain.errors import DomainError
from seller_desk.domain.tracking import try_normalize_tracking_code

log = logging.getLogger(__name__)

_OPEN = frozenset({RefundState.PENDING, RefundState.APPROVED})


REFUSALS = (IngestError, DomainError)


def list_catalogue(writer: FeedWriter) -> int:
    """The demo seller's listings (titles, categories, prices), so desktops name what comes back."""
    for sku, asin, title, price in CATALOGUE:
        cost = price * UNIT_COST_SHARE_PCT // 100
        ingest_sku(writer, SkuRecord(sku, title, CATEGORY_OF[sku], "USD", price, cost, asin=asin))
    return len(CATALOGUE)


def apply_event(writer: FeedWriter, event: SimEvent, tally: Counter[str], *, savepoint: bool = True) -> None:
    """Apply one event, counting what it did in ``tally``. With ``savepoint`` a refused event is
    rolled back alone and counted as ``refused``; without, the refusal propagates to the caller."""
    if not savepoint:
        tally[_apply(writer, event)] += 1
        return
    try:
        with writer.session.begin_nested():
            tally[_apply(writer, event)] += 1
    except REFUSALS as exc:
        tally["refused"] += 1
        log.warning("simulator: %s refused: %s", type(event).__name__, exc)


def _apply(writer: FeedWriter, event: SimEvent) -> str:
    if isinstance(event, CarrierScan):
        result = ingest_events(writer, [event.scan])
        scan = event.scan
        status = scan.status or try_normalize_tracking_code(scan.code or "", scan.source)
        if result.duplicates:
            return "scan:duplicate"
        return f"scan:{event.direction}:{status}" if result.accepted else "scan:unused"
    if isinstance(event, OrderPlaced):
        keys = ingest_order(writer, event.order, buyer_name=event.buyer_name)
        ingest_shipment(writer, event.outbound, order_pk=keys.order_pk, with_events=False)
        return "order"
    if isinstance(event, ReturnOpened):
        ingest_return(writer, event.ret)
        ingest_refund_request(writer, event.request)
        return "return"
    if isinstance(event, RefundRequested):
        ingest_refund_request(writer, event.request)
        return "refund_request"
    if isinstance(event, ParcelStalled):
        return "stall"
    return _marketplace_outcome(writer, event)


def _marketplace_outcome(writer: FeedWriter, event: CustomerCancelled | AutoRefunded | ClaimOpened) -> str:
    request = writer.find("refund_request", {"external_id": event.request_id})
    if request is None:
        raise IngestError(f"refund request {event.request_id} is not known")
    state: RefundState = request["state"]
    request_id = int(request["id"])
    if isinstance(event, ClaimOpened):
        if state is not RefundState.PENDING:
            return f"skipped:claim:{state.value}"
        set_refund_state(writer, request_id, a_to_z_claim=True)
        return "claim_opened"
    if state not in _OPEN:
        return f"skipped:{type(event).__name__}:{state.value}"
    if isinstance(event, CustomerCancelled):
        set_refund_state(writer, request_id, RefundState.CANCELLED)
        return "cancelled"
    set_refund_state(
        writer, request_id, RefundState.AUTO_REFUNDED, marketplace_refund=_requested(writer, request_id)
    )
    return f"auto_refunded:{event.why}"


def _requested(writer: FeedWriter, request_id: int) -> dict[int, dict[ChargeComponent, int]]:
    """What the marketplace refunds by itself: the request's amounts, per order line and component."""
    paid: dict[int, dict[ChargeComponent, int]] = {}
    rows: Any = writer.session.execute(
        select(RefundRequestLine.order_line_id, RefundRequestLine.component, RefundRequestLine.amount_minor)
        .where(RefundRequestLine.refund_request_id == request_id)
        .order_by(RefundRequestLine.id)
    )
    for line_id, component, amount in rows:
        paid.setdefault(int(line_id), {})[component] = int(amount)
    return paid
