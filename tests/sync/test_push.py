"""The outbox worker: each answer class puts the mutation in the right state; the queue keeps flowing."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from seller_desk.store.uow import Store
from seller_desk.sync.backoff import ceiling
from seller_desk.sync.clock import FakeClock
from seller_desk.sync.engine import SyncEngine
from tests.sync.conftest import make_engine
from tests.sync.fakes import FakeBackend, FakeNetwork
from tests.sync.helpers import approval, decide, record, scalar, sql, status_of

Handler = Callable[[httpx.Request], httpx.Response]


class Scripted:
    """A transport that lets the fake backend answer GETs and scripts the answers to single POSTs.

    It plays a backend from before ``POST /v1/mutations/batch`` (404), so the pusher falls back to single
    POSTs at its first batch and these tests script each mutation's answer; the batch path has its own
    tests (test_push_batch.py) and runs in the simulation.
    """

    def __init__(self, backend: FakeBackend) -> None:
        self.backend = backend
        self.post: Handler = backend.handle
        self.posts: list[httpx.Request] = []
        self.batch_requests = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == "/v1/mutations/batch":
            self.batch_requests += 1
            return httpx.Response(404, json={"error": "not_found", "message": "no such route"})
        if request.method == "POST":
            self.posts.append(request)
            return self.post(request)
        return self.backend.handle(request)


@pytest.fixture
def scripted(backend: FakeBackend) -> Scripted:
    return Scripted(backend)


@pytest.fixture
def desk(store: Store, scripted: Scripted, clock: FakeClock) -> Iterator[SyncEngine]:
    made = make_engine(
        store, httpx.MockTransport(scripted), clock, token_refresher=lambda: scripted.backend.token
    )
    assert made.sync_once().ok
    yield made
    made.client.close()


def reply(status: int, payload: Any = None, headers: dict[str, str] | None = None) -> Handler:
    return lambda request: httpx.Response(status, json=payload, headers=headers)


def outbox(store: Store, mid: str) -> tuple[Any, ...]:
    return sql(
        store,
        "SELECT attempts, next_attempt_at, last_error, in_flight_since FROM outbox WHERE mutation_id=:m",
        m=mid,
    )[0]


ERR = {"error": "bad_request", "message": "no"}


@pytest.mark.parametrize(
    ("handler", "state"),
    [
        (None, "acknowledged"),
        (reply(409, {"error": "conflict", "message": "m", "reason": "decided_elsewhere"}), "conflict"),
        (reply(400, ERR), "rejected"),
        (reply(403, {"error": "forbidden", "message": "not yours"}), "rejected"),
        (reply(422, {"error": "key_reused", "message": "bug"}), "rejected"),
        (reply(409, {"error": "in_progress", "message": "wait"}), "queued"),
        (reply(503), "queued"),
        (reply(429, {"error": "rate_limited", "message": "slow"}), "queued"),
    ],
)
def test_each_answer_moves_the_mutation_to_its_state(
    desk: SyncEngine, store: Store, scripted: Scripted, clock: FakeClock, handler: Handler | None, state: str
) -> None:
    if handler is not None:
        scripted.post = handler
    mid = decide(store, 100, approval(11, 500, clock.now()), clock.now())
    desk.sync_once()
    assert status_of(store, mid) == state
    attempts, _next, _error, in_flight = outbox(store, mid)
    assert attempts == 1 and in_flight is None
    local = scalar(store, "SELECT count(*) FROM decisions WHERE id < 0")
    if state in ("conflict", "rejected"):
        assert local == 0  # the optimistic row is taken back at once
        assert scalar(store, "SELECT error FROM mutations") is not None
    if state == "conflict":
        assert sql(store, "SELECT reason, resolved_at FROM conflicts") == [("decided_elsewhere", None)]
    if state == "queued":
        assert local == 1


def test_retry_after_is_honoured(
    desk: SyncEngine, store: Store, scripted: Scripted, clock: FakeClock
) -> None:
    scripted.post = reply(429, {"error": "rate_limited", "message": "slow"}, {"Retry-After": "42"})
    mid = decide(store, 100, approval(11, 500, clock.now()), clock.now())
    desk.sync_once()
    assert outbox(store, mid)[1] == int((clock.now() + timedelta(seconds=42)).timestamp())
    scripted.post = scripted.backend.handle
    clock.advance(41)
    desk.sync_once()
    assert status_of(store, mid) == "queued"  # not due yet
    clock.advance(1)
    desk.sync_once()
    assert status_of(store, mid) == "acknowledged"


def test_backoff_grows_with_attempts_within_bounds(
    desk: SyncEngine, store: Store, scripted: Scripted, clock: FakeClock
) -> None:
    scripted.post = reply(500)
    mid = decide(store, 100, approval(11, 500, clock.now()), clock.now())
    for attempt in range(12):
        desk.sync_once(force=True)
        attempts, next_at, error, _ = outbox(store, mid)
        assert attempts == attempt + 1 and "500" in error
        assert 0 <= next_at - int(clock.now().timestamp()) <= ceiling(attempt) + 1
    assert len(scripted.posts) == 12
    assert len({p.headers["Idempotency-Key"] for p in scripted.posts}) == 1  # one key, every retry


def test_401_refreshes_the_token_and_retries_with_the_same_key(
    desk: SyncEngine, store: Store, backend: FakeBackend, scripted: Scripted, clock: FakeClock
) -> None:
    """Fault 15: the token expires mid-queue; it is refreshed and nothing is dropped."""
    mids = [
        decide(store, r, approval(r // 100 * 10 + 2, 100, clock.now()), clock.now()) for r in (200, 300, 400)
    ]
    scripted.post = lambda request: (
        (backend.rotate_token(), backend.handle(request))[1]
        if len(scripted.posts) == 2
        else backend.handle(request)
    )
    summary = desk.sync_once()
    assert summary.push.acknowledged == 3, summary
    assert [status_of(store, m) for m in mids] == ["acknowledged"] * 3
    assert desk.client.token == backend.token == "token-2"
    auth = [p.headers["Authorization"] for p in scripted.posts]
    assert auth == ["Bearer token-1", "Bearer token-1", "Bearer token-2", "Bearer token-2"]


def test_401_without_a_new_token_keeps_everything_queued(
    desk: SyncEngine, store: Store, scripted: Scripted, clock: FakeClock
) -> None:
    scripted.backend.rotate_token()
    desk._pusher._refresh._hook = lambda: "token-1"  # the refresh gives nothing new
    mids = [decide(store, r, approval(r // 100 * 10 + 2, 100, clock.now()), clock.now()) for r in (200, 300)]
    summary = desk.sync_once()
    assert summary.push.unauthorized and "token" in (summary.error or "")
    assert {status_of(store, m) for m in mids} == {"queued"}
    assert len(scripted.posts) == 1  # the round stops at the first refusal


def test_start_up_puts_sending_rows_back_with_the_same_key(
    store: Store, scripted: Scripted, clock: FakeClock, backend: FakeBackend
) -> None:
    """Fault 1: killed after the local commit (even after claiming), before the POST."""
    first = make_engine(store, httpx.MockTransport(scripted), clock)
    assert first.sync_once().ok
    mid = decide(store, 100, approval(11, 500, clock.now()), clock.now())
    key = scalar(store, "SELECT idempotency_key FROM outbox")

    class Killed(BaseException):
        pass

    def kill(point: str) -> None:
        if point == "push.claimed":
            raise Killed

    dying = make_engine(store, httpx.MockTransport(scripted), clock, kill=kill)
    with pytest.raises(Killed):
        dying.sync_once()
    assert status_of(store, mid) == "sending" and not scripted.posts
    restarted = make_engine(store, httpx.MockTransport(scripted), clock)
    assert restarted.start() == 1
    assert status_of(store, mid) == "queued" and outbox(store, mid)[3] is None
    restarted.sync_once()
    assert [p.headers["Idempotency-Key"] for p in scripted.posts] == [key]
    assert backend.applications[mid] == 1 and status_of(store, mid) == "acknowledged"


def test_a_poisoned_mutation_never_blocks_the_others(
    desk: SyncEngine, store: Store, scripted: Scripted, clock: FakeClock
) -> None:
    """Fault 12: one mutation always refused (400) and one that cannot even be built."""
    bad = decide(store, 200, approval(22, 100, clock.now()), clock.now())
    broken = record(store, "note", "order:3", {"text": "x"}, clock.now())
    good = [decide(store, r, approval(r // 100 * 10 + 1, 100, clock.now()), clock.now()) for r in (300, 400)]
    with store.writing() as session:
        session.connection().exec_driver_sql(
            "UPDATE mutations SET payload = '{\"text\": 5}' WHERE id = ?", (broken,)
        )
    bad_key = scalar(store, "SELECT idempotency_key FROM outbox WHERE mutation_id = :m", m=bad)

    def post(request: httpx.Request) -> httpx.Response:
        if request.headers["Idempotency-Key"] == bad_key:
            return httpx.Response(400, json={"error": "bad_request", "message": "never"})
        return scripted.backend.handle(request)

    scripted.post = post
    desk.sync_once()
    assert status_of(store, bad) == "rejected" and status_of(store, broken) == "rejected"
    assert "cannot be sent" in scalar(store, "SELECT error FROM mutations WHERE id = :m", m=broken)
    assert [status_of(store, m) for m in good] == ["acknowledged"] * 2


def test_one_target_waits_for_its_earlier_mutation(
    desk: SyncEngine, store: Store, scripted: Scripted, clock: FakeClock
) -> None:
    """A receipt and the inspection after it: the inspection is never sent before the receipt succeeded."""
    receipt = record(
        store, "return_received", "return:2", {"received_at": clock.now().isoformat()}, clock.now()
    )
    note = record(store, "note", "return:2", {"text": "box dented"}, clock.now())
    other = record(store, "note", "order:3", {"text": "other target"}, clock.now())
    scripted.post = lambda r: (
        httpx.Response(503) if json.loads(r.content)["target"] == "return:2" else scripted.backend.handle(r)
    )
    desk.sync_once(force=True)
    assert [status_of(store, m) for m in (receipt, note, other)] == ["queued", "queued", "settled"]
    assert [json.loads(p.content)["mutation_id"] for p in scripted.posts] == [receipt, other]
    scripted.post = scripted.backend.handle
    desk.sync_once(force=True)
    assert [status_of(store, m) for m in (receipt, note)] == ["settled", "settled"]


def test_at_most_one_request_in_flight_per_target(
    store: Store, scripted: Scripted, clock: FakeClock, backend: FakeBackend
) -> None:
    in_flight: Counter[str] = Counter()
    peak: Counter[str] = Counter()
    overlap = threading.Event()
    lock = threading.Lock()

    def post(request: httpx.Request) -> httpx.Response:
        target = json.loads(request.content)["target"]
        with lock:
            in_flight[target] += 1
            peak[target] = max(peak[target], in_flight[target])
            if sum(in_flight.values()) > 1:
                overlap.set()
        time.sleep(0.02)
        with lock:
            in_flight[target] -= 1
            return backend.handle(request)

    scripted.post = post
    desk = make_engine(store, httpx.MockTransport(scripted), clock, concurrency=4)
    assert desk.sync_once().ok
    for target in ("order:1", "order:2", "order:3"):
        for n in range(3):
            record(store, "note", target, {"text": f"note {n}"}, clock.now())
    desk.sync_once()
    desk.client.close()
    assert scalar(store, "SELECT count(*) FROM mutations WHERE status = 'settled'") == 9
    assert max(peak.values()) == 1 and overlap.is_set()  # targets in parallel, never one target twice


def test_no_transaction_is_held_across_the_http_call(
    store: Store, scripted: Scripted, clock: FakeClock, backend: FakeBackend, tmp_path: Path
) -> None:
    """While the POST is on the wire, another writer (the GUI) can take the write lock at once."""
    import sqlite3

    took_lock: list[bool] = []

    def post(request: httpx.Request) -> httpx.Response:
        other = sqlite3.connect(store.path, timeout=0.05, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            took_lock.append(True)
        finally:
            other.close()
        return backend.handle(request)

    scripted.post = post
    desk = make_engine(store, httpx.MockTransport(scripted), clock)
    desk.sync_once()
    decide(store, 100, approval(11, 500, clock.now()), clock.now())
    desk.sync_once()
    desk.client.close()
    assert took_lock == [True]


def test_network_down_stops_the_round_and_reports_unreachable(
    store: Store, network: FakeNetwork, clock: FakeClock
) -> None:
    desk = make_engine(store, network, clock)
    desk.sync_once()
    mids = [record(store, "note", f"order:{n}", {"text": "x"}, clock.now()) for n in (1, 2, 3)]
    network.down = True
    summary = desk.sync_once()
    assert summary.unreachable and not summary.ok and desk.status().online is False
    assert summary.push.sent == 3  # one batch request carried the three; the round stops there
    assert network.backend.batches == 0 and {status_of(store, m) for m in mids} == {"queued"}
    # A whole-batch failure is every item's: each is back in the queue, one attempt, same key.
    assert [outbox(store, m)[0] for m in mids] == [1, 1, 1]
    assert [outbox(store, m)[2] is None for m in mids] == [False, False, False]
    assert {outbox(store, m)[3] for m in mids} == {None}
    network.down = False
    clock.advance(600)
    assert desk.sync_once().ok
    assert {status_of(store, m) for m in mids} == {"settled"}  # acknowledged, and pulled back
    desk.client.close()


def test_a_conflict_with_itself_is_an_acknowledgement(
    desk: SyncEngine, store: Store, scripted: Scripted, backend: FakeBackend, clock: FakeClock
) -> None:
    """The first attempt was applied but its answer lost; the desktop pulled the server's decision row
    (with this mutation's id); then the retry is judged anew (its key pruned) and answered 409
    decided_elsewhere. The decision was applied: it must not be shown as failed."""
    mid = decide(store, 100, approval(11, 500, clock.now()), clock.now())

    def lose_answer(request: httpx.Request) -> httpx.Response:
        backend.handle(request)
        raise httpx.ReadTimeout("lost", request=request)

    scripted.post = lose_answer
    desk.sync_once()  # push (answer lost), then pull: the server's decision row arrives
    assert status_of(store, mid) == "queued"
    assert scalar(store, "SELECT count(*) FROM decisions WHERE id > 0 AND mutation_id = :m", m=mid) == 1
    scripted.post = reply(409, {"error": "conflict", "message": "decided", "reason": "decided_elsewhere"})
    desk.sync_once(force=True)
    assert status_of(store, mid) == "acknowledged"
    assert scalar(store, "SELECT count(*) FROM conflicts") == 0
