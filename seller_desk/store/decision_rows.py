"""Writing checked refund decisions to the outbox in bulk: the same rows `outbox.record_mutation`
writes for one decision, for a thousand at once.

A bulk approval of 1,000 requests has to commit in well under 2 s; going through `record_mutation`
one by one costs ~8 ms each (ORM flushes, a MIN(id) probe, the prechecks' queries again). Here the
decisions were already checked against facts that include every earlier approval of the same batch
(`refund_bulk`), so what is left is writing: decision rows with negative ids (local_effects.py), the
mutations with their local effect, outbox rows with their idempotency keys and queue order, and two
audit rows each (queued, and the checks shown) — five ``executemany`` statements in the caller's one
transaction. `tests/store/test_refund_bulk.py` checks the rows equal `record_mutation`'s.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from seller_desk.domain.enums import DecisionKind, MutationKind, MutationStatus
from seller_desk.domain.money import Money
from seller_desk.domain.refund_review import DecisionDraft, PolicyCheck, ReviewFacts
from seller_desk.store import local_effects as fx
from seller_desk.store.models import AuditEntry, Base, Decision, Mutation, OutboxEntry
from seller_desk.wire import RefundDecisionPayload


@dataclass(frozen=True, slots=True)
class CheckedDecision:
    """A decision whose draft passed `preview` against facts that count the batch's earlier approvals."""

    facts: ReviewFacts
    draft: DecisionDraft
    payload: RefundDecisionPayload
    net: Money
    checks: Sequence[PolicyCheck]


def _stored(payload: RefundDecisionPayload) -> str:
    return json.dumps(payload.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


def write_decisions(
    session: Session, decisions: Sequence[CheckedDecision], *, user: str | None, device: str, now: datetime
) -> list[str]:
    """Insert every decision's rows; returns the mutation ids in order. Never commits."""
    if not decisions:
        return []
    conn = session.connection()
    next_id = fx.next_local_id(conn, "decisions")
    last_seq = conn.execute(select(func.max(OutboxEntry.seq))).scalar() or 0
    decision_rows: list[dict[str, Any]] = []
    mutation_rows: list[dict[str, Any]] = []
    outbox_rows: list[dict[str, Any]] = []
    audit_rows: list[dict[str, Any]] = []
    ids: list[str] = []
    for offset, item in enumerate(decisions):
        mutation_id = str(uuid.uuid4())
        local_id = next_id - offset
        seq = last_seq + 1 + offset
        payload = item.payload
        target = f"refund_request:{item.facts.request_id}"
        stored = _stored(payload)
        decision_rows.append(
            {
                "id": local_id,
                "refund_request_id": item.facts.request_id,
                "mutation_id": mutation_id,
                "kind": DecisionKind(payload.decision),
                "amount_minor": item.net.amount_minor if payload.decision == "approve" else 0,
                "currency": payload.currency,
                "components": json.dumps([c.model_dump(mode="json") for c in payload.components]),
                "restocking_fee_bp": payload.restocking_fee_bp,
                "reason": payload.reason,
                "customer_message": payload.customer_message,
                "decided_by": payload.decided_by or user,
                "device_id": device,
                "decided_at": payload.decided_at,
                "server_version": None,
            }
        )
        effect = {"rows": [["decisions", local_id]], "fields": []}
        mutation_rows.append(
            {
                "id": mutation_id,
                "kind": MutationKind.REFUND_DECISION,
                "target": target,
                "payload": stored,
                "base_version": item.facts.server_version,
                "status": MutationStatus.QUEUED,
                "error": None,
                "created_at": now,
                "created_by": user,
                "acknowledged_at": None,
                "server_version": None,
                "local_effect": json.dumps(effect),
                "outcome": None,
                "queue_seq": seq,
            }
        )
        outbox_rows.append(
            {"seq": seq, "mutation_id": mutation_id, "idempotency_key": uuid.uuid4().hex, "attempts": 0}
        )
        queued = {"mutation_id": mutation_id, "payload": json.loads(stored)}
        checks = [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in item.checks]
        for what, detail in (
            ("refund_decision.queued", queued),
            ("refund_decision.checks_shown", {"mutation_id": mutation_id, "checks": checks}),
        ):
            audit_rows.append(
                {"at": now, "user": user, "device": device, "what": what, "target": target,
                 "detail": json.dumps(detail)}
            )  # fmt: skip
        ids.append(mutation_id)
    tables = Base.metadata.tables
    session.execute(insert(tables[Decision.__tablename__]), decision_rows)
    session.execute(insert(tables[Mutation.__tablename__]), mutation_rows)
    session.execute(insert(tables[OutboxEntry.__tablename__]), outbox_rows)
    session.execute(insert(tables[AuditEntry.__tablename__]), audit_rows)
    return ids
