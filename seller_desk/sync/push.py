"""The outbox worker: send due mutations, one per target at a time, and record each answer.

Each round is three separate steps and never holds a database transaction across the network:

1. claim (one short write transaction): the oldest due mutation of up to ``concurrency`` targets with
   nothing in flight goes ``sending``, ``in_flight_since`` set;
2. send (no transaction): build each request from its stored row and POST the claimed batch in ONE
   ``POST /v1/mutations/batch`` (each item under its stored key; a backend without that endpoint,
   404/405, gets single POSTs for the rest of this pusher's life). A whole-batch failure (timeout,
   5xx, 429, network) is every item's answer: retried later under the same keys; a 401 refreshes the
   token and resends the same batch once;
3. record (one short write transaction per answer): acknowledged / conflict / rejected / back to
   queued with ``attempts + 1`` and a jittered ``next_attempt_at``.

A kill between any two steps is safe: rows left ``sending`` go back to ``queued`` at the next start
(``reset_in_flight``) with the *same* key, and the backend answers a replayed key with its stored
response. A mutation that cannot be built, or that the backend refuses for good, is marked rejected
and the round goes on: one poisoned row never blocks the others.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from pydantic import ValidationError

from seller_desk.store import push_queue
from seller_desk.store.uow import Store
from seller_desk.sync.backoff import retry_delay
from seller_desk.sync.client import SyncClient
from seller_desk.sync.clock import Clock
from seller_desk.sync.results import (
    Applied,
    BatchRefused,
    BatchResult,
    BatchUnsupported,
    Conflict,
    InProgress,
    KeyReused,
    PostResult,
    Rejected,
    Retryable,
    Unauthorized,
)
from seller_desk.wire import MAX_BATCH_ITEMS, MutationIn

log = logging.getLogger(__name__)

KillHook = Callable[[str], None]
CLAIM_BATCH = MAX_BATCH_ITEMS  # distinct targets claimed, sent in one request, recorded in one transaction


def _stops_round(answer: object) -> bool:
    """The backend is gone or refuses the token: sending the rest of a batch now would be futile."""
    return isinstance(answer, Unauthorized) or (isinstance(answer, Retryable) and answer.unreachable)


def no_kill(_point: str) -> None:
    """The production kill hook: tests pass one that raises at a named point to simulate a crash."""


@dataclass(frozen=True, slots=True)
class Unbuildable:
    """The stored mutation cannot be turned into a request (a poisoned row)."""

    message: str


@dataclass(slots=True)
class PushReport:
    sent: int = 0
    acknowledged: int = 0
    conflicts: int = 0
    rejected: int = 0
    retried: int = 0
    unreachable: bool = False
    unauthorized: bool = False
    last_error: str | None = None


class TokenRefresh:
    """Calls the refresh hook at most once at a time and tells whether it produced a new token."""

    def __init__(self, client: SyncClient, hook: Callable[[], str | None] | None) -> None:
        self._client, self._hook, self._lock = client, hook, threading.Lock()

    def __call__(self, used: str | None) -> bool:
        if self._hook is None:
            return False
        with self._lock:
            if self._client.token != used:  # another thread already refreshed it
                return True
            fresh = self._hook()
            if not fresh or fresh == used:
                return False
            self._client.set_token(fresh)
            return True


class Pusher:
    def __init__(
        self,
        store: Store,
        client: SyncClient,
        *,
        clock: Clock,
        device_id: str,
        rng: random.Random,
        refresh: TokenRefresh,
        kill: KillHook = no_kill,
        concurrency: int = 1,
        batch: int = CLAIM_BATCH,
        use_batch: bool = True,
    ) -> None:
        self._store, self._client, self._clock = store, client, clock
        self._device_id, self._rng, self._refresh = device_id, rng, refresh
        self._kill, self._concurrency = kill, max(1, concurrency)
        # Claim (and record) this many at once: two durable commits per batch instead of per mutation.
        self._batch = max(self._concurrency, batch)
        self._use_batch = use_batch  # until the backend answers 404/405 to the batch endpoint

    def reset_in_flight(self) -> int:
        with self._store.writing() as session:
            return push_queue.reset_in_flight(session)

    def push_due(self, *, force: bool = False) -> PushReport:
        """Send every due mutation once (``force``: due or not); stop early when the backend is gone."""
        report = PushReport()
        # Only the mutations put back in the queue by this round (a retry answer) need excluding: every
        # other answer moves its mutation out of ``queued``. Excluding everything tried made each claim
        # bind one parameter per mutation sent so far (quadratic: 10,000 decisions took 11 minutes).
        tried: set[str] = set()
        while True:
            with self._store.writing() as session:
                claimed = push_queue.claim_due(
                    session, self._clock.now(), limit=self._batch, exclude=frozenset(tried), force=force
                )
            if not claimed:
                break
            self._kill("push.claimed")
            answers = self._send_batch(claimed)
            # One transaction records the whole batch: a crash before its commit leaves every row of the
            # batch ``sending``, and start-up puts them back in the queue under the same keys (replayed).
            with self._store.writing() as session:
                acks: list[push_queue.Ack] = []
                for item, answer in zip(claimed, answers, strict=False):
                    self._kill("push.answered")
                    self._record(session, item, answer, report, acks)
                    if isinstance(answer, (InProgress, Retryable, Unauthorized)):
                        tried.add(item.mutation_id)  # queued again: not a second time in this round
                push_queue.mark_acknowledged_many(session, acks, self._clock.now())
                unsent = [item.mutation_id for item in claimed[len(answers) :]]
                push_queue.release(session, unsent)
            if report.unreachable or report.unauthorized:
                break
        return report

    def _send_batch(self, claimed: list[push_queue.Claimed]) -> list[PostResult | Unbuildable]:
        """Answers for the claimed mutations, in claim order: one batch request when the backend has
        the endpoint, else single POSTs. The claimed mutations after a stop get no answer (released)."""
        if self._use_batch:
            answers = self._send_as_batch(claimed)
            if answers is not None:
                return answers
        return self._send_singly(claimed)

    def _send_as_batch(self, claimed: list[push_queue.Claimed]) -> list[PostResult | Unbuildable] | None:
        """None: send these one by one instead (no batch endpoint, or the batch as a whole was refused)."""
        bodies = [self._build(item) for item in claimed]
        answers: list[PostResult | Unbuildable | None] = [
            body if isinstance(body, Unbuildable) else None for body in bodies
        ]
        sendable = [
            (index, item.idempotency_key, body)
            for index, (item, body) in enumerate(zip(claimed, bodies, strict=True))
            if isinstance(body, MutationIn)
        ]
        for start in range(0, len(sendable), MAX_BATCH_ITEMS):
            chunk = sendable[start : start + MAX_BATCH_ITEMS]
            result = self._post_batch([(key, body) for _, key, body in chunk])
            self._kill("push.sent")  # answers in memory only: a crash here resends them under their keys
            if isinstance(result, BatchUnsupported):
                log.info("the backend has no batch endpoint (%s): sending one by one", result.message)
                self._use_batch = False
                return None
            if isinstance(result, BatchRefused):
                log.warning("a batch was refused whole (%s): sending its items one by one", result.message)
                return None
            for n, (index, _, _) in enumerate(chunk):
                answers[index] = result[n] if isinstance(result, list) else result
            if not isinstance(result, list) and _stops_round(result):
                answers = answers[: chunk[-1][0] + 1]  # the rest are released unsent
                break
        return [answer for answer in answers if answer is not None]

    def _post_batch(self, items: list[tuple[str, MutationIn]]) -> BatchResult:
        try:
            token = self._client.token
            result = self._client.post_mutations_batch(items)
            if isinstance(result, Unauthorized) and self._refresh(token):
                result = self._client.post_mutations_batch(items)  # the same batch, the same keys
        except Exception as exc:  # a bug below us: the server may have them, so never drop them
            log.exception("sending a batch of %d mutations failed", len(items))
            return Retryable(f"sending failed: {exc!r}")
        return result

    def _send_singly(self, claimed: list[push_queue.Claimed]) -> list[PostResult | Unbuildable]:
        """Send the claimed mutations ``concurrency`` at a time; stop at a sign the backend is gone."""
        answers: list[PostResult | Unbuildable] = []
        for start in range(0, len(claimed), self._concurrency):
            chunk = claimed[start : start + self._concurrency]
            if len(chunk) == 1:
                answers.append(self._send(chunk[0]))
            else:
                with ThreadPoolExecutor(max_workers=len(chunk), thread_name_prefix="push") as pool:
                    answers.extend(pool.map(self._send, chunk))
            self._kill("push.sent")  # answers in memory only: a crash here resends them under their keys
            if any(_stops_round(answer) for answer in answers[start:]):
                break
        return answers

    def _build(self, item: push_queue.Claimed) -> MutationIn | Unbuildable:
        try:
            return MutationIn(
                mutation_id=uuid.UUID(item.mutation_id),
                kind=item.kind,
                target=item.target,
                payload=json.loads(item.payload),
                base_version=item.base_version,
                device_id=self._device_id,
            )
        except (ValueError, TypeError, ValidationError) as exc:
            return Unbuildable(f"this act cannot be sent as stored: {exc}")

    def _send(self, item: push_queue.Claimed) -> PostResult | Unbuildable:
        body = self._build(item)
        if isinstance(body, Unbuildable):
            return body
        try:
            token = self._client.token
            answer = self._client.post_mutation(item.idempotency_key, body)
            if isinstance(answer, Unauthorized) and self._refresh(token):
                answer = self._client.post_mutation(item.idempotency_key, body)
        except Exception as exc:  # a bug below us: the server may have it, so never drop it
            log.exception("sending mutation %s failed", item.mutation_id)
            return Retryable(f"sending failed: {exc!r}")
        return answer

    def _record(
        self,
        session: push_queue.QueueSession,
        item: push_queue.Claimed,
        answer: PostResult | Unbuildable,
        report: PushReport,
        acks: list[push_queue.Ack],
    ) -> None:
        """Record one answer; acknowledgements are collected in ``acks`` and recorded together."""
        now = self._clock.now()
        mid = item.mutation_id
        report.sent += not isinstance(answer, Unbuildable)
        match answer:
            case Applied(outcome=outcome):
                acks.append(push_queue.Ack(mid, outcome.server_version, outcome.model_dump(mode="json")))
                report.acknowledged += 1
            case Conflict(reason=reason, message=message, snapshot=snapshot):
                push_queue.mark_conflict(session, mid, now, reason, message, snapshot)
                report.conflicts += 1
            case Rejected(message=message) | KeyReused(message=message) | Unbuildable(message=message):
                push_queue.mark_rejected(session, mid, now, message)
                report.rejected += 1
                report.last_error = f"{item.kind.value} on {item.target} rejected: {message}"
            case (
                InProgress(message=message, retry_after=after) | Retryable(message=message, retry_after=after)
            ):
                delay = retry_delay(item.attempts, self._rng, after)
                push_queue.mark_retry(session, mid, now + timedelta(seconds=delay), message)
                report.retried += 1
                report.last_error = message
                report.unreachable |= isinstance(answer, Retryable) and answer.unreachable
            case Unauthorized(message=message):
                delay = retry_delay(item.attempts, self._rng, None)
                push_queue.mark_retry(session, mid, now + timedelta(seconds=delay), message)
                report.retried += 1
                report.unauthorized = True
                report.last_error = f"the backend refused this device's token ({message})"
