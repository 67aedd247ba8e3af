"""``POST /v1/mutations`` as one transaction (design/SYNC.md), and ``GET /v1/mutations/{key}``.

In order, inside one write transaction:

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

Answers about the key itself (in_progress, key_reused) are never stored. Every other answer — applied
(201) or refused (400, 403, 409 conflict) — is stored, so a retry gets the same answer. A server fault
rolls everything back and stores nothing: the client's retry will find the key unclaimed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from seller_desk.backend.errors import ApiError, bad_request, in_progress, key_reused
from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.backend.mutations.acts import apply_inspection_recorded, apply_note, apply_return_received
from seller_desk.backend.mutations.idempotency import (
    Answer,
    KeyGuard,
    claim,
    finish,
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


class _Unstored(Exception):
    """An answer that must leave no trace: the transaction is rolled back and the answer returned."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(answer.status)
        self.answer = answer


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
    digest = request_hash(mutation)
    with guard.hold(principal.seller_id, key) as held:
        if not held:
            return Answer.of_error(in_progress(f"a request with Idempotency-Key {key!r} is being processed"))
        for attempt in (1, 2):
            try:
                with db.writing() as session:
                    writer = _lock(db, session, principal, key, now)
                    answer = _process(writer, principal, key, mutation, digest)
                    if before_commit is not None:
                        before_commit(mutation)
                    return answer
            except _Unstored as unstored:
                return unstored.answer
            except IntegrityError:
                # A unique constraint fired between our check and our insert (another process of a
                # different seller chose the same mutation_id, say). The retry sees the committed row.
                if attempt == 2:
                    raise
                log.info("mutation %s: integrity race, retrying once", mutation.mutation_id)
    raise AssertionError("unreachable")


def _lock(db: Database, session: Session, principal: Principal, key: str, now: datetime) -> FeedWriter:
    if db.is_postgres and not try_advisory_lock(session, principal.seller_id, key):
        raise _Unstored(
            Answer.of_error(in_progress(f"a request with Idempotency-Key {key!r} is being processed"))
        )
    return FeedWriter.open(session, principal.seller_id, now)


def _process(writer: FeedWriter, principal: Principal, key: str, mutation: MutationIn, digest: str) -> Answer:
    session, now = writer.session, writer.now
    try:
        claimed = claim(session, principal.seller_id, key, digest, now)
    except ApiError as error:
        raise _Unstored(Answer.of_error(error)) from None
    if isinstance(claimed, Answer):
        return claimed
    prior = session.execute(
        select(MutationRecord).where(MutationRecord.mutation_id == str(mutation.mutation_id))
    ).scalar_one_or_none()
    if prior is not None:
        if prior.seller_id != principal.seller_id or prior.request_hash != digest:
            reused = key_reused(
                f"mutation {mutation.mutation_id} was already sent with a different body", field="mutation_id"
            )
            raise _Unstored(Answer.of_error(reused))
        answer = Answer(prior.status_code, prior.outcome).replayed()
        finish(session, claimed, answer)
        return answer
    answer = _apply(writer, principal, mutation)
    _record(writer, principal, mutation, digest, answer)
    finish(session, claimed, answer)
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
) -> None:
    writer.session.execute(
        insert(MutationRecord).values(
            mutation_id=str(mutation.mutation_id),
            seller_id=principal.seller_id,
            device_id=principal.device_id,
            client_device=mutation.device_id,
            kind=mutation.kind,
            target=mutation.target,
            request_hash=digest,
            status_code=answer.status,
            outcome=answer.body,
            created_at=writer.now,
        )
    )


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
