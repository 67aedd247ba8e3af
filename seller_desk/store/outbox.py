"""Recording a seller's act: the mutation, its outbox row, its local effect and its audit row, at once.

``record_mutation`` runs inside the caller's one write transaction (``store.writing()``, which begins
IMMEDIATE): either all four rows exist or none does, so a crash right after "Approve" returns can
neither lose the act nor leave it shown but unsent. The idempotency key is minted here, once; every
retry, after any crash, sends the same key. Only a new intent of the seller gets a new key.

The payload is validated with the wire models before anything is written, exactly as the backend will
validate it, so a mutation that is queued can always be sent. The domain's rules run on the mirrored
facts first (``prechecks``) so an impossible decision is refused at the click, not later.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from seller_desk.domain.enums import MutationKind, MutationStatus
from seller_desk.domain.lifecycle import RETURN_MAIN_LINE
from seller_desk.store import local_effects as fx
from seller_desk.store.models import AuditEntry, Conflict, Decision, Inspection, Mutation, Note, OutboxEntry
from seller_desk.store.prechecks import (
    MutationRefused,
    check_note_target,
    check_refund_decision,
    check_return,
)
from seller_desk.store.types import to_epoch
from seller_desk.wire import (
    InspectionRecordedPayload,
    MutationIn,
    NotePayload,
    RefundDecisionPayload,
    ReturnReceivedPayload,
)

__all__ = ["MutationRefused", "record_mutation", "resolve_conflict", "undo_mutation"]


def _before(status: str) -> list[str]:
    """Main-line states before ``status`` (plus ``lost``, which a bench scan proves wrong)."""
    line = [s.value for s in RETURN_MAIN_LINE]
    return [*line[: line.index(status)], "lost"]


def record_mutation(
    session: Session,
    kind: MutationKind | str,
    target: str,
    payload: Mapping[str, Any] | BaseModel,
    base_version: int | None,
    created_by: str | None,
    device_id: str,
    *,
    now: datetime | None = None,
) -> Mutation:
    """Queue one act of the seller and show its effect locally; raise ``MutationRefused`` (or the
    domain's ``PolicyViolation``) without writing anything when it cannot be done."""
    kind = MutationKind(kind)
    now = now or datetime.now(UTC)
    mutation_id = uuid.uuid4()
    raw = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else dict(payload)
    try:
        wire = MutationIn(
            mutation_id=mutation_id,
            kind=kind,
            target=target,
            payload=raw,
            base_version=base_version,
            device_id=device_id,
        )
        typed = wire.typed_payload()
    except ValidationError as exc:
        raise MutationRefused(f"{kind.value} on {target}: {_first_error(exc)}") from exc
    conn = session.connection()
    effect = fx.empty_effect()
    target_id = wire.target_id
    if isinstance(typed, RefundDecisionPayload):
        facts = check_refund_decision(conn, target_id, typed)
        base_version = facts.server_version if base_version is None else base_version
        local_id = fx.next_local_id(conn, "decisions")
        session.add(
            Decision(
                id=local_id,
                refund_request_id=target_id,
                mutation_id=str(mutation_id),
                kind=typed.decision,
                amount_minor=facts.net_minor,
                currency=typed.currency,
                components=json.dumps([c.model_dump(mode="json") for c in typed.components]),
                restocking_fee_bp=typed.restocking_fee_bp,
                reason=typed.reason,
                customer_message=typed.customer_message,
                decided_by=typed.decided_by or created_by,
                device_id=device_id,
                decided_at=typed.decided_at,
            )
        )
        effect["rows"].append(["decisions", local_id])
    elif isinstance(typed, ReturnReceivedPayload):
        check_return(conn, target_id, for_kind=kind)
        received = {"received_at": to_epoch(typed.received_at)}
        effect["fields"].append(
            fx.field_effect("returns", target_id, received, ("received", _before("received")))
        )
    elif isinstance(typed, InspectionRecordedPayload):
        check_return(conn, target_id, for_kind=kind)
        for line in typed.lines:
            local_id = fx.next_local_id(conn, "inspections")
            session.add(
                Inspection(
                    id=local_id,
                    return_id=target_id,
                    return_line_id=line.return_line_id,
                    sku=line.sku,
                    condition=line.condition,
                    disposition=line.disposition,
                    note=line.note,
                    photos=json.dumps(line.photos) if line.photos else None,
                    inspected_at=typed.inspected_at,
                    inspected_by=typed.inspected_by or created_by,
                    mutation_id=str(mutation_id),
                )
            )
            session.flush()
            effect["rows"].append(["inspections", local_id])
        inspected = {"inspected_at": to_epoch(typed.inspected_at)}
        effect["fields"].append(
            fx.field_effect("returns", target_id, inspected, ("inspected", _before("inspected")))
        )
    elif isinstance(typed, NotePayload):
        check_note_target(conn, wire.target_kind, target_id)
        local_id = fx.next_local_id(conn, "notes")
        session.add(
            Note(
                id=local_id,
                target_kind=wire.target_kind,
                target_id=str(target_id),
                text=typed.text,
                author=typed.author or created_by,
                created_at=now,
                mutation_id=str(mutation_id),
            )
        )
        effect["rows"].append(["notes", local_id])
    session.flush()
    for fe in effect["fields"]:
        fx.apply_field(conn, fe)
    stored_payload = json.dumps(typed.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    mutation = Mutation(
        id=str(mutation_id),
        kind=kind,
        target=target,
        payload=stored_payload,
        base_version=base_version,
        status=MutationStatus.QUEUED,
        created_at=now,
        created_by=created_by,
        local_effect=json.dumps(effect) if effect["rows"] or effect["fields"] else None,
    )
    session.add(mutation)
    session.flush()
    entry = OutboxEntry(mutation_id=mutation.id, idempotency_key=uuid.uuid4().hex, attempts=0)
    session.add(entry)
    session.flush()
    mutation.queue_seq = entry.seq  # the claim's index order (models/sync.py)
    session.add(
        AuditEntry(
            at=now,
            user=created_by,
            device=device_id,
            what=f"{kind.value}.queued",
            target=target,
            detail=json.dumps({"mutation_id": mutation.id, "payload": json.loads(stored_payload)}),
        )
    )
    session.flush()
    return mutation


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error.get("loc", ()))
    return f"{where}: {error['msg']}" if where else str(error["msg"])


def undo_mutation(
    session: Session,
    mutation_id: str,
    *,
    user: str | None,
    device_id: str | None,
    now: datetime | None = None,
) -> None:
    """Take back an act that never left this desktop: mutation, outbox row and local effect go together.

    Refused once the push worker has claimed it (``sending``) or later, and also for a queued act that
    was sent before: an attempt whose answer was lost may have been applied, so only the backend's
    answer (on the next retry, same key) can say what happened to it.
    """
    mutation = session.get(Mutation, mutation_id)
    if mutation is None:
        raise MutationRefused(f"mutation {mutation_id} does not exist")
    if mutation.status != MutationStatus.QUEUED:
        raise MutationRefused(
            f"mutation {mutation_id} is {mutation.status.value}; only a queued act can be undone"
        )
    attempts = session.scalar(select(OutboxEntry.attempts).where(OutboxEntry.mutation_id == mutation_id))
    if attempts:
        raise MutationRefused(
            f"mutation {mutation_id} was already sent once and may have reached the backend; "
            "wait for its answer, then decide again if needed"
        )
    fx.revert(session.connection(), mutation_id)
    session.execute(delete(OutboxEntry).where(OutboxEntry.mutation_id == mutation_id))
    session.add(
        AuditEntry(
            at=now or datetime.now(UTC),
            user=user,
            device=device_id,
            what=f"{mutation.kind.value}.undone",
            target=mutation.target,
            detail=json.dumps({"mutation_id": mutation_id}),
        )
    )
    session.delete(mutation)
    session.flush()


def resolve_conflict(
    session: Session, mutation_id: str, resolution: str, *, now: datetime | None = None
) -> int:
    """Mark the open conflicts of a mutation resolved ("discarded", "decided_again"); returns how many."""
    conflicts = session.scalars(
        select(Conflict).where(Conflict.mutation_id == mutation_id, Conflict.resolved_at.is_(None))
    ).all()
    for conflict in conflicts:
        conflict.resolved_at = now or datetime.now(UTC)
        conflict.resolution = resolution
    session.flush()
    return len(conflicts)
