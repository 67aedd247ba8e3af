"""The seller's acts that move no money: ``return_received``, ``inspection_recorded`` and ``note``.

Receipts and inspections are the bench's acts on a return.
Both move the return forward along the main line of its lifecycle, step by step through
``domain.lifecycle.transition`` (never around it): a parcel scanned in at the bench has evidently been
delivered, even if the carrier's delivery scan has not arrived yet, so ``in_transit -> delivered ->
received`` is walked (and ``lost -> delivered`` for a parcel that turned up). A return already at or
past the target is left as it is: receiving it twice is not a conflict, the second act changes
nothing. A cancelled return is a conflict (``customer_cancelled``); a return that was never
authorized, or ended otherwise (rejected, expired, returnless), cannot be received: ``400``.

A note is free text on a return, an order or a refund request. It changes nothing about its target
(so it never conflicts and ignores ``base_version``); it is a row of its own, mirrored to every
desktop of the seller. For every kind, the outcome's ``server_version`` is the target's: the version
of the row the mutation names.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import RowMapping

from seller_desk.backend.errors import bad_request, conflict
from seller_desk.backend.mutations.targets import MutationContext, snapshot
from seller_desk.backend.store.models import ReturnLine
from seller_desk.domain.enums import ReturnStatus
from seller_desk.domain.lifecycle import RETURN_MAIN_LINE, transition
from seller_desk.wire import InspectionRecordedPayload, MutationOutcome, NotePayload, ReturnReceivedPayload

_ENTITY = "return"
_STAMPS = {
    ReturnStatus.DELIVERED: "delivered_at",
    ReturnStatus.RECEIVED: "received_at",
    ReturnStatus.INSPECTED: "inspected_at",
}


def apply_return_received(ctx: MutationContext, ret: RowMapping) -> MutationOutcome:
    payload = ReturnReceivedPayload.model_validate(ctx.mutation.payload)
    updated, moved = _advance(ctx, ret, ReturnStatus.RECEIVED, payload.received_at)
    return _outcome(ctx, updated, {"status": updated["status"].value, "changed": moved})


def apply_inspection_recorded(ctx: MutationContext, ret: RowMapping) -> MutationOutcome:
    payload = InspectionRecordedPayload.model_validate(ctx.mutation.payload)
    line_ids = set(
        ctx.writer.session.execute(select(ReturnLine.id).where(ReturnLine.return_id == ret["id"])).scalars()
    )
    for index, line in enumerate(payload.lines):
        if line.return_line_id is not None and line.return_line_id not in line_ids:
            raise bad_request(
                f"return line {line.return_line_id} is not a line of return {ret['rma']}",
                f"payload.lines.{index}.return_line_id",
            )
    updated, moved = _advance(ctx, ret, ReturnStatus.INSPECTED, payload.inspected_at)
    inspection_ids = [
        ctx.writer.insert(
            "inspection",
            {
                "return_id": ret["id"],
                "return_line_id": line.return_line_id,
                "sku": line.sku,
                "condition": line.condition,
                "disposition": line.disposition,
                "note": line.note,
                "photos": json.dumps(line.photos) if line.photos else None,
                "inspected_at": payload.inspected_at,
                "inspected_by": payload.inspected_by,
                "mutation_id": ctx.mutation_id,
            },
        )["id"]
        for line in payload.lines
    ]
    result = {"status": updated["status"].value, "changed": moved, "inspection_ids": inspection_ids}
    return _outcome(ctx, updated, result)


def apply_note(ctx: MutationContext, target: RowMapping) -> MutationOutcome:
    payload = NotePayload.model_validate(ctx.mutation.payload)
    note = ctx.writer.insert(
        "note",
        {
            "target_kind": ctx.mutation.target_kind,
            "target_id": str(ctx.mutation.target_id),
            "text": payload.text,
            "author": payload.author,
            "created_at": ctx.now,
            "mutation_id": ctx.mutation_id,
        },
    )
    return MutationOutcome(
        mutation_id=ctx.mutation.mutation_id,
        target=ctx.mutation.target,
        server_version=int(target["server_version"]),
        result={"note_id": note["id"]},
    )


def _advance(
    ctx: MutationContext, ret: RowMapping, target: ReturnStatus, at: datetime
) -> tuple[RowMapping, bool]:
    """Walk ``ret`` forward to ``target``; (row, whether it moved)."""
    current: ReturnStatus = ret["status"]
    path = _path(current, target)
    if path is None:
        if current is ReturnStatus.CANCELLED:
            raise conflict(
                "customer_cancelled", f"the customer cancelled return {ret['rma']}", snapshot(_ENTITY, ret)
            )
        raise bad_request(f"return {ret['rma']} is {current.value}: it cannot be {target.value}", "target")
    if not path:
        return ret, False
    values: dict[str, Any] = {}
    status = current
    for step in path:
        status = transition(f"return {ret['rma']}", status, step)
        stamp = _STAMPS.get(step)
        if stamp is not None and ret[stamp] is None:
            values[stamp] = at
    values["status"] = status
    return ctx.writer.update(_ENTITY, ret, values), True


def _path(current: ReturnStatus, target: ReturnStatus) -> list[ReturnStatus] | None:
    """The main-line steps from ``current`` to ``target`` ([] if already there or past; None if off)."""
    if current is ReturnStatus.LOST:
        start = RETURN_MAIN_LINE.index(ReturnStatus.IN_TRANSIT)  # lost -> delivered is allowed
    elif current in RETURN_MAIN_LINE and current is not ReturnStatus.REQUESTED:
        start = RETURN_MAIN_LINE.index(current)
    else:
        return None
    end = RETURN_MAIN_LINE.index(target)
    return list(RETURN_MAIN_LINE[start + 1 : end + 1])


def _outcome(ctx: MutationContext, ret: RowMapping, result: dict[str, Any]) -> MutationOutcome:
    return MutationOutcome(
        mutation_id=ctx.mutation.mutation_id,
        target=ctx.mutation.target,
        server_version=int(ret["server_version"]),
        result=result,
    )
