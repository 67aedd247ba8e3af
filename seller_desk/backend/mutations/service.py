"""``POST /v1/mutations`` and ``/v1/mutations/batch`` (design/SYNC.md), and ``GET /v1/mutations/{key}``.

Both POSTs run the same function, ``process_mutations``: the single endpoint is a batch of one. A batch
is ONE write transaction (one durable commit) with a savepoint per item, so an item's refusal rolls
back only that item. The seller's lock, the batch's key rows and earlier answers of its mutation ids
are taken or loaded once per batch; answered keys and ``mutations`` records are written together
before commit (per-statement overhead, not the SQL, was most of a mutation's cost).

For each item, in order, inside that transaction:

1. the key must not be in flight elsewhere (``KeyGuard`` in this process, an advisory lock on
   PostgreSQL across processes), else ``409 in_progress``;
2. the seller's feed lock (``FeedWriter.open``): this seller's writers run one at a time;
3. claim the key: a stored answer is replayed (201 becomes 200), another body under the same key is
   ``422 key_reused``, a live claim ``409 in_progress``;
4. ``mutation_id`` is unique forever: a mutation already answered (under a pruned or another key) gets
   its first answer again and is never applied twice; the same id with another body is ``422``;
5. lock the target row of this seller (else ``403``), run the kind's checks and apply it inside a
   savepoint, so a refusal rolls back any partial write but is still recorded;
6. record the answer in ``mutations`` and under the key; commit.

A key (or mutation id) named twice in one batch: the second occurrence sees the first's answer,
exactly as a replay would. Answers about the key itself (in_progress, key_reused) are never stored.
Every other answer — applied (201) or refused (400, 403, 409 conflict) — is stored, so a retry gets the
same answer. A server fault rolls the whole batch back and stores nothing: the client's retry will find
its keys unclaimed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from seller_desk.backend.errors import ApiError, bad_request, in_progress, key_reused
from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.backend.mutations.acts import apply_inspection_recorded, apply_note, apply_return_received
from seller_desk.backend.mutations.idempotency import (
    Answer,
    KeyBook,
    KeyGuard,
    request_hash,
    stored_answer,
    try_advisory_lock,
)
from seller_desk.backend.mutations.refund_decision import apply_refund_decision
from seller_desk.backend.mutations.targets import MutationContext, load_target
from seller_desk.backend.store import Database
from seller_desk.backend.store.models import MutationRecord
from seller_desk.backend.tenancy import Principal
from seller_desk.domain.enums import MutationKind
from seller_desk.domain.errors import DomainError
from seller_desk.wire import MutationIn, MutationOutcome

log = logging.getLogger(__name__)

Handler = Callable[[MutationContext, RowMapping], MutationOutcome]
HANDLERS: dict[MutationKind, Handler] = {
    MutationKind.REFUND_DECISION: apply_refund_decision,
    MutationKind.RETURN_RECEIVED: apply_return_received,
    MutationKind.INSPECTION_RECORDED: apply_inspection_recorded,
    MutationKind.NOTE: apply_note,
}

BeforeCommit = Callable[[MutationIn], None]
"""A test seam: called inside the transaction just before commit (e.g. to make it slow)."""


@dataclass(frozen=True, slots=True)
class KeyedMutation:
    """One request of a batch: a mutation and the Idempotency-Key it is sent under."""

    key: str
    mutation: MutationIn


@dataclass(frozen=True, slots=True)
class _Prior:
    """A mutation already answered (the permanent ``mutations`` record, or earlier in this batch)."""

    seller_id: int
    request_hash: str
    status: int
    outcome: dict[str, Any]


def _busy(key: str) -> Answer:
    return Answer.of_error(in_progress(f"a request with Idempotency-Key {key!r} is being processed"))


def process_mutation(
    db: Database,
    principal: Principal,
    key: str,
    mutation: MutationIn,
    now: datetime,
    *,
    guard: KeyGuard,
    before_commit: BeforeCommit | None = None,
) -> Answer:
    """``POST /v1/mutations``: a batch of one."""
    items = [KeyedMutation(key, mutation)]
    return process_mutations(db, principal, items, now, guard=guard, before_commit=before_commit)[0]


def process_mutations(
    db: Database,
    principal: Principal,
    items: Sequence[KeyedMutation],
    now: datetime,
    *,
    guard: KeyGuard,
    before_commit: BeforeCommit | None = None,
) -> list[Answer]:
    """Both endpoints: every item in ONE write transaction (one durable commit), each in its own
    savepoint, answered in item order exactly as the single endpoint answers it alone."""
    digests = [request_hash(item.mutation) for item in items]
    with guard.hold_all(principal.seller_id, (item.key for item in items)) as held:
        if not held:
            return [_busy(item.key) for item in items]
        for attempt in (1, 2):
            try:
                with db.writing() as session:
                    answers = _process_all(db, session, principal, items, digests, held, now)
                    if before_commit is not None:
                        for item in items:
                            before_commit(item.mutation)
                    return answers
            except IntegrityError:
                # A unique constraint fired between our check and our insert (another process of a
                # different seller chose the same mutation_id, say). The retry sees the committed row.
                if attempt == 2:
                    raise
                log.info("mutations of seller %s: integrity race, retrying once", principal.seller_id)
    raise AssertionError("unreachable")


def _process_all(
    db: Database,
    session: Session,
    principal: Principal,
    items: Sequence[KeyedMutation],
    digests: list[str],
    held: frozenset[str],
    now: datetime,
) -> list[Answer]:
    """Lock, load what the whole batch needs in a few statements, answer each item, write back."""
    if db.is_postgres:
        held = frozenset(k for k in sorted(held) if try_advisory_lock(session, principal.seller_id, k))
    writer = FeedWriter.open(session, principal.seller_id, now)
    keys = KeyBook.load(session, principal.seller_id, held)
    priors = _load_priors(session, [item.mutation for item in items])
    records: list[dict[str, Any]] = []
    answers = [
        _process(writer, principal, item, digest, keys, priors, records)
        if item.key in held
        else _busy(item.key)
        for item, digest in zip(items, digests, strict=True)
    ]
    if records:
        session.execute(insert(MutationRecord), records)
    keys.flush(session, now)
    return answers


def _load_priors(session: Session, mutations: list[MutationIn]) -> dict[str, _Prior]:
    ids = sorted({str(m.mutation_id) for m in mutations})
    rows = session.execute(
        select(
            MutationRecord.mutation_id, MutationRecord.seller_id, MutationRecord.request_hash,
            MutationRecord.status_code, MutationRecord.outcome,
        ).where(MutationRecord.mutation_id.in_(ids))
    )  # fmt: skip
    return {row[0]: _Prior(row[1], row[2], row[3], row[4]) for row in rows}


def _process(
    writer: FeedWriter,
    principal: Principal,
    item: KeyedMutation,
    digest: str,
    keys: KeyBook,
    priors: dict[str, _Prior],
    records: list[dict[str, Any]],
) -> Answer:
    mutation, mutation_id = item.mutation, str(item.mutation.mutation_id)
    try:
        claimed = keys.claim(item.key, digest, writer.now)
    except ApiError as error:  # about the key itself: never stored
        return Answer.of_error(error)
    if isinstance(claimed, Answer):
        return claimed
    prior = priors.get(mutation_id)
    if prior is not None:
        if prior.seller_id != principal.seller_id or prior.request_hash != digest:
            keys.release(claimed)
            reused = key_reused(
                f"mutation {mutation.mutation_id} was already sent with a different body", field="mutation_id"
            )
            return Answer.of_error(reused)
        answer = Answer(prior.status, prior.outcome).replayed()
        keys.finish(claimed, answer)
        return answer
    answer = _apply(writer, principal, mutation)
    records.append(_record(writer, principal, mutation, digest, answer))
    priors[mutation_id] = _Prior(principal.seller_id, digest, answer.status, answer.body)
    keys.finish(claimed, answer)
    return answer


def _apply(writer: FeedWriter, principal: Principal, mutation: MutationIn) -> Answer:
    try:
        with writer.session.begin_nested():
            target = load_target(writer, mutation)
            context = MutationContext(writer=writer, principal=principal, mutation=mutation)
            outcome = HANDLERS[mutation.kind](context, target)
    except ApiError as refusal:
        return Answer.of_error(refusal)
    except DomainError as refusal:  # a rule of the domain said no where no check above named it
        return Answer.of_error(bad_request(str(refusal), "payload"))
    return Answer(201, outcome.model_dump(mode="json"))


def _record(
    writer: FeedWriter, principal: Principal, mutation: MutationIn, digest: str, answer: Answer
) -> dict[str, Any]:
    """The permanent ``mutations`` row of an answered mutation (written with the batch's others)."""
    return {
        "mutation_id": str(mutation.mutation_id),
        "seller_id": principal.seller_id,
        "device_id": principal.device_id,
        "client_device": mutation.device_id,
        "kind": mutation.kind,
        "target": mutation.target,
        "request_hash": digest,
        "status_code": answer.status,
        "outcome": answer.body,
        "created_at": writer.now,
    }


def lookup_answer(
    db: Database, principal: Principal, key: str, now: datetime, *, guard: KeyGuard
) -> Answer | None:
    """The stored answer under ``key`` for this seller, as a replay; None when there is none.

    A key whose request is still running in this process answers ``409 in_progress``: its claim is
    not committed yet, and "nothing stored" would wrongly suggest the request never arrived.
    """
    if guard.is_held(principal.seller_id, key):
        raise in_progress(f"the request with Idempotency-Key {key!r} is still being processed")
    with db.reading() as session:
        return stored_answer(session, principal.seller_id, key, now)
