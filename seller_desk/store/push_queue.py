"""The outbox as a queue: what the push worker claims, and how each answer of the backend is recorded.

Every function is one short step inside the caller's write transaction; the worker never holds a
transaction across an HTTP call. The order of a mutation's life (SYNC.md "Mutation states"):
``queued -> sending -> acknowledged -> settled``, ``sending -> queued`` (retry, same key),
``sending -> conflict``, ``sending -> rejected``. Per target, only the oldest unfinished mutation may be
sent, and only when nothing else for that target is in flight: a receipt is never overtaken by the
inspection recorded after it, and other targets keep flowing meanwhile.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Select

from seller_desk.domain.enums import MutationKind, MutationStatus
from seller_desk.store import local_effects as fx
from seller_desk.store.models import (
    AuditEntry,
    Base,
    Conflict,
    Decision,
    Inspection,
    Mutation,
    Note,
    OutboxEntry,
    SyncState,
)

QueueSession = Session  # what the worker passes back in: it records a batch in one transaction

_UNFINISHED = (MutationStatus.QUEUED, MutationStatus.SENDING)


@dataclass(frozen=True, slots=True)
class Claimed:
    """What the worker needs to send one mutation, copied out of the claim transaction."""

    mutation_id: str
    idempotency_key: str
    kind: MutationKind
    target: str
    payload: str
    base_version: int | None
    attempts: int


def reset_in_flight(session: Session) -> int:
    """At start-up: rows left ``sending`` by a dead process go back to ``queued``, keeping their key."""
    ids = session.scalars(select(Mutation.id).where(Mutation.status == MutationStatus.SENDING)).all()
    if ids:
        session.execute(update(Mutation).where(Mutation.id.in_(ids)).values(status=MutationStatus.QUEUED))
        session.execute(
            update(OutboxEntry).where(OutboxEntry.mutation_id.in_(ids)).values(in_flight_since=None)
        )
    return len(ids)


def release(session: Session, mutation_ids: list[str]) -> None:
    """Claimed mutations that were never sent (the round stopped early) go back to ``queued`` untouched."""
    if mutation_ids:
        session.execute(
            update(Mutation)
            .where(Mutation.id.in_(mutation_ids), Mutation.status == MutationStatus.SENDING)
            .values(status=MutationStatus.QUEUED)
        )
        session.execute(
            update(OutboxEntry).where(OutboxEntry.mutation_id.in_(mutation_ids)).values(in_flight_since=None)
        )


def claim_due(
    session: Session, now: datetime, *, limit: int, exclude: frozenset[str] = frozenset(), force: bool = False
) -> list[Claimed]:
    """Mark ``sending`` the oldest due mutation of up to ``limit`` targets that have nothing in flight.

    ``force`` ignores backoff (an explicit "sync now"); ``exclude`` skips mutations already tried in
    this round, so one round sends each at most once.
    """
    claimed = [Claimed(*row[1:]) for row in session.execute(claim_query(now, limit, exclude, force))]
    if claimed:
        ids = [c.mutation_id for c in claimed]
        session.execute(update(Mutation).where(Mutation.id.in_(ids)).values(status=MutationStatus.SENDING))
        session.execute(
            update(OutboxEntry).where(OutboxEntry.mutation_id.in_(ids)).values(in_flight_since=now)
        )
    return claimed


ClaimRow = tuple[int | None, str, str, MutationKind, str, str, int | None, int]


def claim_query(now: datetime, limit: int, exclude: frozenset[str], force: bool) -> Select[*ClaimRow]:
    """The claim's SELECT: the oldest queued mutation per target with nothing earlier unfinished.

    Walks ix_mutations_status_queue_seq (queued rows already in queue order: no sort of the queue) and
    probes ix_mutations_target_status_queue_seq once per candidate; the outbox row by its mutation_id.
    """
    earlier = aliased(Mutation)
    blocked = exists().where(
        earlier.target == Mutation.target,
        or_(
            earlier.status == MutationStatus.SENDING,
            and_(earlier.status == MutationStatus.QUEUED, earlier.queue_seq < Mutation.queue_seq),
        ),
    )
    query = (
        select(
            Mutation.queue_seq,
            Mutation.id,
            OutboxEntry.idempotency_key,
            Mutation.kind,
            Mutation.target,
            Mutation.payload,
            Mutation.base_version,
            OutboxEntry.attempts,
        )
        .join(OutboxEntry, OutboxEntry.mutation_id == Mutation.id)
        .where(Mutation.status == MutationStatus.QUEUED, ~blocked)
        .order_by(Mutation.queue_seq)
        .limit(limit)
    )
    if not force:
        query = query.where(or_(OutboxEntry.next_attempt_at.is_(None), OutboxEntry.next_attempt_at <= now))
    if exclude:
        query = query.where(Mutation.id.not_in(list(exclude)))
    return query


def _mutation(session: Session, mutation_id: str, allowed: tuple[MutationStatus, ...]) -> Mutation | None:
    mutation = session.get(Mutation, mutation_id)
    return mutation if mutation is not None and mutation.status in allowed else None


def _finish(session: Session, mutation_id: str, error: str | None) -> None:
    session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.mutation_id == mutation_id)
        .values(in_flight_since=None, last_error=error, attempts=OutboxEntry.attempts + 1)
    )


def _audit(session: Session, mutation: Mutation, now: datetime, what: str, detail: dict[str, Any]) -> None:
    session.add(
        AuditEntry(
            at=now,
            user=mutation.created_by,
            device=None,
            what=f"{mutation.kind.value}.{what}",
            target=mutation.target,
            detail=json.dumps({"mutation_id": mutation.id, **detail}),
        )
    )


@dataclass(frozen=True, slots=True)
class Ack:
    """One acknowledged mutation: the target's server version and the backend's stored response."""

    mutation_id: str
    server_version: int
    outcome: dict[str, Any]


_MUTATIONS, _OUTBOX, _AUDIT = (Base.metadata.tables[name] for name in ("mutations", "outbox", "audit"))
_ACK_MUTATION = (
    update(_MUTATIONS)
    .where(_MUTATIONS.c.id == bindparam("mid"))
    .values(status=MutationStatus.ACKNOWLEDGED, acknowledged_at=bindparam("at"),
            server_version=bindparam("version"), outcome=bindparam("outcome"), error=None)
)  # fmt: skip
_ACK_OUTBOX = (
    update(_OUTBOX)
    .where(_OUTBOX.c.mutation_id == bindparam("mid"))
    .values(in_flight_since=None, last_error=None, attempts=_OUTBOX.c.attempts + 1)
)


def mark_acknowledged(
    session: Session, mutation_id: str, now: datetime, server_version: int, outcome: dict[str, Any]
) -> bool:
    """The backend applied it (201, or 200 replaying the stored response). The local effect stays until
    a pull shows the server's own rows (``local_effects.after_pull``)."""
    return mark_acknowledged_many(session, [Ack(mutation_id, server_version, outcome)], now) == 1


def mark_acknowledged_many(session: Session, acks: list[Ack], now: datetime) -> int:
    """``mark_acknowledged`` for a whole batch in four statements (was four per mutation plus an ORM
    flush: recording cost more than the backend's work); how many were still unfinished."""
    if not acks:
        return 0
    session.flush()  # earlier ORM changes of this transaction first: these statements bypass the session
    rows = session.execute(
        select(Mutation.id, Mutation.kind, Mutation.target, Mutation.created_by).where(
            Mutation.id.in_([a.mutation_id for a in acks]), Mutation.status.in_(_UNFINISHED)
        )
    ).all()
    unfinished = {row.id: row for row in rows}
    live = [a for a in acks if a.mutation_id in unfinished]
    if not live:
        return 0
    params = [{"mid": a.mutation_id, "at": now, "version": a.server_version, "outcome": json.dumps(a.outcome)}
              for a in live]  # fmt: skip
    session.execute(_ACK_MUTATION, params)
    session.execute(_ACK_OUTBOX, [{"mid": a.mutation_id} for a in live])
    audits = []
    for ack in live:
        row = unfinished[ack.mutation_id]
        detail = {"mutation_id": ack.mutation_id, "server_version": ack.server_version}
        what = f"{row.kind.value}.acknowledged"
        audits.append({"at": now, "user": row.created_by, "device": None, "what": what,
                       "target": row.target, "detail": json.dumps(detail)})  # fmt: skip
    session.execute(insert(_AUDIT), audits)
    for ack in live:  # objects this session already holds must not keep their old status
        held = session.identity_map.get(session.identity_key(Mutation, ack.mutation_id))
        if held is not None:
            session.expire(held)
    return len(live)


def mark_conflict(
    session: Session,
    mutation_id: str,
    now: datetime,
    reason: str,
    message: str,
    snapshot: dict[str, Any] | None,
) -> bool:
    """409 conflict: the seller must resolve it; the optimistic effect is taken back at once.

    Except when a pulled server row already carries this very mutation: then the backend applied it
    (an earlier attempt whose answer was lost) and the conflict is with itself — e.g. a replay under a
    pruned key judged anew. Showing it as failed would hide money that moved; it is acknowledged.
    """
    mutation = _mutation(session, mutation_id, _UNFINISHED)
    if mutation is None:
        return False
    applied_version = _applied_by_server(session, mutation)
    if applied_version is not None:
        return mark_acknowledged(session, mutation_id, now, applied_version, {"reconciled_from": reason})
    fx.revert(session.connection(), mutation_id)
    mutation.status = MutationStatus.CONFLICT
    mutation.error = message
    session.add(
        Conflict(
            mutation_id=mutation_id,
            reason=reason,
            created_at=now,
            server_snapshot=None if snapshot is None else json.dumps(snapshot),
        )
    )
    _finish(session, mutation_id, f"conflict: {reason}")
    _audit(session, mutation, now, "conflict", {"reason": reason})
    session.flush()
    return True


def _applied_by_server(session: Session, mutation: Mutation) -> int | None:
    """The target's mirrored version if a server row (positive id) carries this mutation's id."""
    for model in (Decision, Inspection, Note):
        found = session.scalar(
            select(model.id).where(model.mutation_id == mutation.id, model.id > 0).limit(1)
        )
        if found is not None:
            kind, _, raw_id = mutation.target.partition(":")
            table = Base.metadata.tables[fx.TARGET_TABLES[kind]]
            version = session.scalar(select(table.c.server_version).where(table.c.id == int(raw_id)))
            return max(int(version or 1), 1)
    return None


def mark_rejected(session: Session, mutation_id: str, now: datetime, message: str) -> bool:
    """400/403/422, or a mutation that cannot even be built: shown to the seller, never retried."""
    mutation = _mutation(session, mutation_id, _UNFINISHED)
    if mutation is None:
        return False
    fx.revert(session.connection(), mutation_id)
    mutation.status = MutationStatus.REJECTED
    mutation.error = message
    _finish(session, mutation_id, message)
    _audit(session, mutation, now, "rejected", {"error": message})
    session.flush()
    return True


def mark_retry(session: Session, mutation_id: str, next_attempt_at: datetime, error: str) -> bool:
    """Back to ``queued`` with the same key, to be sent again at ``next_attempt_at``."""
    mutation = _mutation(session, mutation_id, (MutationStatus.SENDING,))
    if mutation is None:
        return False
    mutation.status = MutationStatus.QUEUED
    _finish(session, mutation_id, error)
    session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.mutation_id == mutation_id)
        .values(next_attempt_at=next_attempt_at)
    )
    session.flush()
    return True


def attempts_of(session: Session, mutation_id: str) -> int:
    return int(
        session.scalar(select(OutboxEntry.attempts).where(OutboxEntry.mutation_id == mutation_id)) or 0
    )


def next_due_at(session: Session) -> datetime | None:
    """When the earliest queued mutation may be sent (None: nothing queued)."""
    return session.scalar(
        select(func.min(func.coalesce(OutboxEntry.next_attempt_at, 0)))
        .join(Mutation, Mutation.id == OutboxEntry.mutation_id)
        .where(Mutation.status == MutationStatus.QUEUED)
    )


def counts(session: Session) -> dict[str, int]:
    """Mutations per status (every status present, zero included)."""
    rows = session.execute(select(Mutation.status, func.count()).group_by(Mutation.status))
    found = {status: count for status, count in rows}
    return {status.value: int(found.get(status, 0)) for status in MutationStatus}


def open_conflicts(session: Session) -> int:
    return int(
        session.scalar(select(func.count()).select_from(Conflict).where(Conflict.resolved_at.is_(None))) or 0
    )


def last_pull_at(session: Session) -> datetime | None:
    return session.scalar(select(func.max(SyncState.last_success_at)))
