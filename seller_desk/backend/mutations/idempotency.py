"""Idempotency keys: claim, replay, and "still running".

The answer to a mutation is stored under its ``(seller, Idempotency-Key)`` in the same transaction
that applies it, so a client that lost the response gets the very same answer on retry. The key row
is written ``in_progress`` when claimed and ``done`` with the answer before commit; since both happen
in one transaction, other requests learn that a key is being worked on from locks instead:

* ``KeyGuard``, inside one server process: a second request with a key already in flight is answered
  ``409 in_progress`` at once rather than queueing behind the first;
* on PostgreSQL also ``pg_try_advisory_xact_lock`` on the key, which does the same across processes
  (on SQLite, ``BEGIN IMMEDIATE`` makes another process wait, and it then replays the answer).

A *committed* ``in_progress`` row (written by an operator or a future two-phase path) is honoured
until its ``locked_until``, then taken over. Keys are prunable (``compaction.prune_keys``); the
permanent ``mutations`` record backs them.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from seller_desk.backend.errors import ApiError, in_progress, key_reused
from seller_desk.backend.store.models import IdempotencyKey
from seller_desk.wire import MutationIn

LEASE = timedelta(seconds=60)
REPLAY_HEADER = "Idempotent-Replayed"


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer to a mutation: what is stored under the key and sent back."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of_error(cls, error: ApiError) -> Answer:
        return cls(error.status, error.json_body(), dict(error.headers))

    def replayed(self) -> Answer:
        """The answer as a replay: 200 instead of 201, the same body, marked as a replay."""
        status = 200 if self.status == 201 else self.status
        return Answer(status, self.body, {**self.headers, REPLAY_HEADER: "true"})


def request_hash(mutation: MutationIn) -> str:
    """SHA-256 of the request's canonical JSON: equal for a retry, different for another body."""
    canonical = json.dumps(mutation.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class KeyGuard:
    """Keys in flight in this process; ``hold`` yields False when the key is already held."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: set[tuple[int, str]] = set()

    def is_held(self, seller_id: int, key: str) -> bool:
        with self._lock:
            return (seller_id, key) in self._held

    @contextmanager
    def hold_all(self, seller_id: int, keys: Iterable[str]) -> Iterator[frozenset[str]]:
        """Hold every key of ``keys`` not already held elsewhere; yields the ones held by this call."""
        with self._lock:
            mine = frozenset(key for key in set(keys) if (seller_id, key) not in self._held)
            self._held.update((seller_id, key) for key in mine)
        try:
            yield mine
        finally:
            with self._lock:
                self._held.difference_update((seller_id, key) for key in mine)

    @contextmanager
    def hold(self, seller_id: int, key: str) -> Iterator[bool]:
        token = (seller_id, key)
        with self._lock:
            if token in self._held:
                acquired = False
            else:
                self._held.add(token)
                acquired = True
        try:
            yield acquired
        finally:
            if acquired:
                with self._lock:
                    self._held.discard(token)


def advisory_lock_id(seller_id: int, key: str) -> int:
    """The 64-bit PostgreSQL advisory lock id of (seller, key)."""
    digest = hashlib.sha256(f"{seller_id}\x00{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def try_advisory_lock(session: Session, seller_id: int, key: str) -> bool:
    """PostgreSQL only: a transaction-scoped advisory lock on (seller, key), without waiting."""
    lock_id = advisory_lock_id(seller_id, key)
    return bool(session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": lock_id}).scalar_one())


@dataclass(slots=True)
class _KeyState:
    """A key row as this transaction sees it (``row_id`` None: not in the table yet)."""

    row_id: int | None
    request_hash: str
    state: str
    response_status: int | None
    response_body: dict[str, Any] | None
    locked_until: datetime | None
    dirty: bool = False
    before: tuple[str, datetime | None] | None = None  # what a release restores


@dataclass(frozen=True, slots=True)
class Claimed:
    key: str


class KeyBook:
    """The idempotency keys of one transaction's requests: claimed, answered, written back at the end.

    ``load`` reads (and on PostgreSQL locks) every key row of the transaction's requests in one
    statement; ``claim`` and ``finish`` then work on that view, so a key named twice in one batch sees
    its first answer, exactly as a replay would; ``flush`` writes the answered keys (one statement for
    the new ones, one for the taken-over ones) before commit. A key left claimed but unanswered (its
    request was answered with something never stored) is not written at all.
    """

    def __init__(self, seller_id: int, rows: dict[str, _KeyState]) -> None:
        self._seller_id = seller_id
        self._rows = rows

    @classmethod
    def load(cls, session: Session, seller_id: int, keys: Iterable[str]) -> KeyBook:
        wanted = sorted(set(keys))
        rows: dict[str, _KeyState] = {}
        if wanted:
            found = session.execute(
                select(IdempotencyKey)
                .where(IdempotencyKey.seller_id == seller_id, IdempotencyKey.key.in_(wanted))
                .order_by(IdempotencyKey.id)
                .with_for_update()
            ).scalars()
            for row in found:
                rows[row.key] = _KeyState(
                    row.id, row.request_hash, row.state, row.response_status, row.response_body,
                    row.locked_until,
                )  # fmt: skip
        return cls(seller_id, rows)

    def claim(self, key: str, digest: str, now: datetime) -> Claimed | Answer:
        """Claim ``key`` for this request, or the answer it already has.

        Raises ``ApiError`` for the answers that are about the key itself and are never stored:
        ``422 key_reused`` (another body) and ``409 in_progress`` (a live claim).
        """
        row = self._rows.get(key)
        if row is None:
            self._rows[key] = _KeyState(None, digest, "claimed", None, None, now + LEASE)
            return Claimed(key)
        if row.request_hash != digest:
            raise key_reused(
                f"Idempotency-Key {key!r} was used for a different request; a new intent needs a new key"
            )
        if row.state == "done" and row.response_status is not None:
            return Answer(row.response_status, row.response_body or {}).replayed()
        if row.locked_until is not None and row.locked_until > now:
            raise in_progress(f"a request with Idempotency-Key {key!r} is still being processed; retry later")
        row.before = (row.state, row.locked_until)  # a committed claim whose lease ran out: taken over
        row.state, row.locked_until = "claimed", now + LEASE
        return Claimed(key)

    def release(self, claimed: Claimed) -> None:
        """The claimed key's request got an answer that is never stored: leave the key as it was."""
        row = self._rows[claimed.key]
        if row.row_id is None:
            del self._rows[claimed.key]
        elif row.before is not None:
            (row.state, row.locked_until), row.before = row.before, None

    def finish(self, claimed: Claimed, answer: Answer) -> None:
        """Store ``answer`` under the claimed key (the original status: a replay turns 201 into 200)."""
        row = self._rows[claimed.key]
        row.state, row.response_status, row.response_body = "done", answer.status, answer.body
        row.locked_until, row.dirty = None, True

    def flush(self, session: Session, now: datetime) -> None:
        new = [(key, row) for key, row in self._rows.items() if row.dirty and row.row_id is None]
        taken_over = [row for row in self._rows.values() if row.dirty and row.row_id is not None]
        if new:
            session.execute(
                insert(IdempotencyKey),
                [
                    {"seller_id": self._seller_id, "key": key, "request_hash": row.request_hash,
                     "state": "done", "created_at": now, "locked_until": None,
                     "response_status": row.response_status, "response_body": row.response_body}
                    for key, row in new
                ],
            )  # fmt: skip
        for row in taken_over:
            session.execute(
                update(IdempotencyKey)
                .where(IdempotencyKey.id == row.row_id)
                .values(state="done", response_status=row.response_status, response_body=row.response_body,
                        locked_until=None)
            )  # fmt: skip
        for row in self._rows.values():
            row.dirty = False


def stored_answer(session: Session, seller_id: int, key: str, now: datetime) -> Answer | None:
    """``GET /v1/mutations/{key}``: the stored answer as a replay; ``in_progress`` for a live claim."""
    row = session.execute(
        select(IdempotencyKey).where(IdempotencyKey.seller_id == seller_id, IdempotencyKey.key == key)
    ).scalar_one_or_none()
    if row is None:
        return None
    if row.state == "done" and row.response_status is not None:
        return Answer(row.response_status, row.response_body or {}).replayed()
    if row.locked_until is not None and row.locked_until > now:
        raise in_progress(f"the request with Idempotency-Key {key!r} is still being processed")
    return None
