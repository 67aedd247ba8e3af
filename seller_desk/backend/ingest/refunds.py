"""Refund requests from upstream, and the upstream events that move them.

``ingest_refund_request`` upserts a request keyed by the marketplace's request id, with its amounts
per order line and component. Its state is taken only when the request is new: afterwards the state
moves through ``set_refund_state`` alone, which is what the simulator, the SP-API connector and the
relay call when the marketplace or the upstream feed says something happened:

* ``cancelled`` (customer withdrew) and ``auto_refunded`` (marketplace refunded by itself, optionally
  with what it refunded, recorded as settled payments): the seller's approved-but-unsent payments are
  deleted and a pending ledger entry is marked ``cancelled`` — money must not move twice;
* ``submitted`` / ``failed`` / back to ``approved``: the relay's progress (``approved`` only from
  ``failed``: approving a pending request is the seller's act, a mutation, never an upstream event);
* ``completed``: the request's payments become settled and ``refunded_minor`` their sum.
Every move is checked by ``domain.lifecycle``; an illegal one raises ``IllegalTransition``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import RowMapping

from seller_desk.backend.errors import IngestError
from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.backend.store.models import LedgerEntry, OrderLine, RefundPayment
from seller_desk.domain.entities import credit_minor
from seller_desk.domain.enums import ChargeComponent, RefundState
from seller_desk.domain.errors import IllegalTransition
from seller_desk.domain.lifecycle import transition
from seller_desk.domain.return_entities import RefundRequest

_VOIDING = frozenset({RefundState.CANCELLED, RefundState.AUTO_REFUNDED})


def ingest_refund_request(
    writer: FeedWriter,
    request: RefundRequest,
    *,
    needs_authorization: bool = False,
    a_to_z_claim: bool = False,
) -> int:
    order = writer.find("order", {"order_id": request.order_id}, lock=False)
    if order is None:
        raise IngestError(f"refund request {request.request_id}: order {request.order_id} is not known")
    if order["currency"] != request.currency:
        raise IngestError(
            f"refund request {request.request_id} is in {request.currency}, its order in {order['currency']}"
        )
    return_id = None
    if request.rma is not None:
        ret = writer.find("return", {"rma": request.rma}, lock=False)
        if ret is None:
            raise IngestError(f"refund request {request.request_id}: return {request.rma} is not known")
        return_id = ret["id"]
    lines = {
        row.order_item_code: row
        for row in writer.session.execute(
            select(OrderLine).where(OrderLine.order_pk == order["id"])
        ).scalars()
    }
    for code in request.requested:
        if code not in lines:
            raise IngestError(
                f"refund request {request.request_id}: order {request.order_id} has no line {code}"
            )
    values: dict[str, Any] = {
        "order_pk": order["id"],
        "order_id": request.order_id,
        "return_id": return_id,
        "source": request.source,
        "reason": request.reason or None,
        "currency": request.currency,
        "requested_minor": request.total_requested.amount_minor,
        "needs_authorization": needs_authorization,
        "a_to_z_claim": a_to_z_claim,
        "created_at": request.created_at,
        "due_at": request.due_at,
    }
    existing = writer.find("refund_request", {"external_id": request.request_id})
    if existing is None:
        row = writer.insert(
            "refund_request",
            {**values, "external_id": request.request_id, "state": request.state, "updated_at": writer.now},
        )
    elif writer.differences(existing, values):
        row = writer.update("refund_request", existing, {**values, "updated_at": writer.now})
    else:
        row = existing
    for code, components in request.requested.items():
        line = lines[code]
        for component, amount in components.items():
            writer.upsert(
                "refund_request_line",
                {"refund_request_id": row["id"], "order_line_id": line.id, "component": component},
                {"quantity": line.quantity, "amount_minor": amount.amount_minor},
            )
    return int(row["id"])


def set_refund_state(
    writer: FeedWriter,
    request_id: int,
    state: RefundState | None = None,
    *,
    a_to_z_claim: bool | None = None,
    marketplace_refund: Mapping[int, Mapping[ChargeComponent, int]] | None = None,
) -> RowMapping:
    """Apply an upstream event to refund request ``request_id`` of this seller (see the module doc)."""
    row = writer.find("refund_request", {"id": request_id})
    if row is None:
        raise IngestError(f"refund request {request_id} is not one of this seller's")
    values: dict[str, Any] = {}
    if a_to_z_claim is not None:
        values["a_to_z_claim"] = a_to_z_claim
    if state is not None and state is not row["state"]:
        if state is RefundState.APPROVED and row["state"] is not RefundState.FAILED:
            # Approving is the seller's act (a refund_decision mutation, which records the approval
            # and the ledger entry); upstream may only put a failed request back for a retry.
            raise IllegalTransition(f"refund request {request_id}", row["state"].value, state.value)
        values["state"] = transition(f"refund request {request_id}", row["state"], state)
        if state in _VOIDING:
            _void_unsent(writer, request_id)
        if state is RefundState.AUTO_REFUNDED and marketplace_refund:
            _record_paid(writer, request_id, marketplace_refund)
        if state in (RefundState.COMPLETED, RefundState.AUTO_REFUNDED):
            values["refunded_minor"] = _settle(writer, request_id)
    if not writer.differences(row, values):
        return row
    return writer.update("refund_request", row, {**values, "updated_at": writer.now})


def _payments(writer: FeedWriter, request_id: int) -> list[RowMapping]:
    query = select(RefundPayment.__table__).where(
        RefundPayment.seller_id == writer.seller_id, RefundPayment.refund_request_id == request_id
    )
    return list(writer.session.execute(query.with_for_update()).mappings())


def _void_unsent(writer: FeedWriter, request_id: int) -> None:
    for payment in _payments(writer, request_id):
        if not payment["settled"]:
            writer.delete("refund_payment", payment)
    writer.session.execute(
        update(LedgerEntry)
        .where(LedgerEntry.refund_request_id == request_id, LedgerEntry.state == "pending")
        .values(state="cancelled", last_error="the refund request ended upstream before execution")
    )


def _record_paid(
    writer: FeedWriter, request_id: int, paid: Mapping[int, Mapping[ChargeComponent, int]]
) -> None:
    for order_line_id, components in paid.items():
        for component, amount in components.items():
            writer.insert(
                "refund_payment",
                {
                    "refund_request_id": request_id,
                    "order_line_id": order_line_id,
                    "component": component,
                    "amount_minor": amount,
                    "settled": True,
                    "executed_at": writer.now,
                },
            )


def _settle(writer: FeedWriter, request_id: int) -> int:
    total = 0
    for payment in _payments(writer, request_id):
        if not payment["settled"]:
            payment = writer.update("refund_payment", payment, {"settled": True, "executed_at": writer.now})
        total += credit_minor(payment["component"], int(payment["amount_minor"]))
    return total
