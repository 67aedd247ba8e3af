"""What the Sync screen lists: the outbox queue, open conflicts, and recent history.

Plain rows (no ORM objects cross to the GUI thread), read in one short read transaction each on the DB
thread. Every list is capped: the screen shows the newest few hundred, which is what a seller can act
on; the counts in the status bar come from ``push_queue.counts`` and are exact.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from seller_desk.domain.enums import MutationStatus
from seller_desk.store.models import (
    AuditEntry,
    Conflict,
    Mutation,
    OutboxEntry,
    RefundRequest,
    Return,
    SyncState,
)
from seller_desk.store.models.sync import CHANGES_STREAM

LIST_LIMIT = 500
QUEUE_STATUSES = (MutationStatus.QUEUED, MutationStatus.SENDING, MutationStatus.REJECTED)


@dataclass(frozen=True, slots=True)
class QueueRow:
    mutation_id: str
    kind: str
    target: str
    payload: dict[str, Any]
    created_at: datetime
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    status: str
    target_name: str | None = None  # what the seller calls the target (an RMA, an order id)


@dataclass(frozen=True, slots=True)
class ConflictRow:
    conflict_id: int
    mutation_id: str
    kind: str
    target: str
    payload: dict[str, Any]
    reason: str
    message: str | None
    server_snapshot: dict[str, Any] | None
    created_at: datetime
    target_name: str | None = None


@dataclass(frozen=True, slots=True)
class HistoryRow:
    at: datetime
    what: str  # the audit's "<kind>.<event>", e.g. "refund_decision.acknowledged"
    target: str | None
    user: str | None
    detail: dict[str, Any]
    target_name: str | None = None


@dataclass(frozen=True, slots=True)
class SyncRunFacts:
    """The change feed's bookkeeping: when a pull last completed, and the last error, if any."""

    last_success_at: datetime | None
    last_error: str | None
    has_cursor: bool


def _json(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {"value": value}


def target_names(session: Session, targets: set[str]) -> dict[str, str]:
    """Targets as the seller knows them: ``return:12`` → "Return RMA-…", ``refund_request:7`` → "Refund
    for order 111-…". Targets not in the mirrors (yet) are left out; the screen shows their raw form."""
    ids: dict[str, list[int]] = {"return": [], "refund_request": []}
    for target in targets:
        kind, _, raw = target.partition(":")
        if kind in ids and raw.lstrip("-").isdigit():
            ids[kind].append(int(raw))
    names: dict[str, str] = {}
    if ids["return"]:
        for rid, rma in session.execute(select(Return.id, Return.rma).where(Return.id.in_(ids["return"]))):
            names[f"return:{rid}"] = f"Return {rma}"
    if ids["refund_request"]:
        query = select(RefundRequest.id, RefundRequest.order_id).where(
            RefundRequest.id.in_(ids["refund_request"])
        )
        for qid, order in session.execute(query):
            names[f"refund_request:{qid}"] = f"Refund for order {order}"
    return names


def queue_rows(session: Session, limit: int = LIST_LIMIT) -> list[QueueRow]:
    """Rejected first (they need the seller), then what is being sent, then the queue in send order."""
    order = case(
        (Mutation.status == MutationStatus.REJECTED, 0),
        (Mutation.status == MutationStatus.SENDING, 1),
        else_=2,
    )
    query = (
        select(
            Mutation.id,
            Mutation.kind,
            Mutation.target,
            Mutation.payload,
            Mutation.created_at,
            OutboxEntry.attempts,
            OutboxEntry.next_attempt_at,
            OutboxEntry.last_error,
            Mutation.error,
            Mutation.status,
        )
        .join(OutboxEntry, OutboxEntry.mutation_id == Mutation.id, isouter=True)
        .where(Mutation.status.in_(QUEUE_STATUSES))
        .order_by(order, OutboxEntry.seq, Mutation.created_at)
        .limit(limit)
    )
    rows = [
        QueueRow(
            mutation_id=mid,
            kind=str(kind),
            target=target,
            payload=_json(payload),
            created_at=created,
            attempts=int(attempts or 0),
            next_attempt_at=due,
            last_error=error or last_error,
            status=str(status),
        )
        for mid, kind, target, payload, created, attempts, due, last_error, error, status in session.execute(
            query
        )
    ]
    names = target_names(session, {r.target for r in rows})
    return [replace(r, target_name=names.get(r.target)) for r in rows]


def conflict_rows(session: Session, limit: int = LIST_LIMIT) -> list[ConflictRow]:
    """Unresolved conflicts, newest first, with the act that ran into each."""
    query = (
        select(
            Conflict.id,
            Mutation.id,
            Mutation.kind,
            Mutation.target,
            Mutation.payload,
            Conflict.reason,
            Mutation.error,
            Conflict.server_snapshot,
            Conflict.created_at,
        )
        .join(Mutation, Mutation.id == Conflict.mutation_id)
        .where(Conflict.resolved_at.is_(None))
        .order_by(Conflict.created_at.desc(), Conflict.id.desc())
        .limit(limit)
    )
    rows = [
        ConflictRow(
            conflict_id=cid,
            mutation_id=mid,
            kind=str(kind),
            target=target,
            payload=_json(payload),
            reason=reason,
            message=message,
            server_snapshot=_json(snapshot) if snapshot else None,
            created_at=created,
        )
        for cid, mid, kind, target, payload, reason, message, snapshot, created in session.execute(query)
    ]
    names = target_names(session, {r.target for r in rows})
    return [replace(r, target_name=names.get(r.target)) for r in rows]


def history_rows(session: Session, limit: int = 200) -> list[HistoryRow]:
    """What became of the seller's acts, newest first — acknowledged, conflicts, rejections, undos,
    conflicts resolved — and the sync rounds that moved something (``SYNC_RUN``). Queuing itself is
    left out: the queue shows what is still waiting."""
    query = (
        select(AuditEntry.at, AuditEntry.what, AuditEntry.target, AuditEntry.user, AuditEntry.detail)
        .where(AuditEntry.what.not_like("%.queued"))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    rows = [
        HistoryRow(at=at, what=what, target=target, user=user, detail=_json(detail))
        for at, what, target, user, detail in session.execute(query)
    ]
    names = target_names(session, {r.target for r in rows if r.target})
    return [replace(r, target_name=names.get(r.target or "")) for r in rows]


def sync_run_facts(session: Session) -> SyncRunFacts:
    row = session.execute(
        select(SyncState.last_success_at, SyncState.last_error, SyncState.cursor).where(
            SyncState.stream == CHANGES_STREAM
        )
    ).one_or_none()
    if row is None:
        return SyncRunFacts(None, None, False)
    return SyncRunFacts(row[0], row[1], row[2] is not None)


SYNC_RUN = "sync.run"


def record_sync_run(session: Session, now: datetime, device: str | None, counts: dict[str, int]) -> None:
    """A sync round that moved something, for the history: changes pulled, acts sent and their answers.
    Rounds that moved nothing (most of them, every 30 s) are not written."""
    session.add(AuditEntry(at=now, user=None, device=device, what=SYNC_RUN, target=None,
                           detail=json.dumps(counts, sort_keys=True)))  # fmt: skip
    session.flush()


def discard_conflict(session: Session, mutation_id: str, *, user: str | None, now: datetime) -> int:
    """The seller accepts the backend's version: the conflict is resolved as "discarded" (the act's
    local effect was already taken back when the conflict arrived) and the decision is audited."""
    from seller_desk.store.outbox import resolve_conflict  # the outbox's checks: not needed to paint

    resolved = resolve_conflict(session, mutation_id, "discarded", now=now)
    if resolved:
        mutation = session.get(Mutation, mutation_id)
        session.add(
            AuditEntry(
                at=now,
                user=user,
                device=None,
                what=f"{mutation.kind.value if mutation else 'mutation'}.conflict_discarded",
                target=mutation.target if mutation else None,
                detail=json.dumps({"mutation_id": mutation_id}),
            )
        )
        session.flush()
    return resolved
