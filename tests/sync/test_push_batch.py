"""The pusher's batch path: a claimed batch goes out as ONE ``POST /v1/mutations/batch``, each item's
answer recorded as the single answer would be; whole-batch failures retry every item under its key;
a backend without the endpoint gets single POSTs for the rest of the client's life."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from seller_desk.store.uow import Store
from seller_desk.sync.clock import FakeClock
from tests.sync.conftest import make_engine
from tests.sync.fakes import FakeBackend, FakeNetwork
from tests.sync.helpers import approval, decide, record, scalar, sql, status_of

BATCH = "/v1/mutations/batch"


class Wire:
    """The fake backend behind a transport that logs every request and can answer POSTs itself."""

    def __init__(self, backend: FakeBackend) -> None:
        self.backend = backend
        self.seen: list[httpx.Request] = []
        self.answer: httpx.Response | None = None  # the next POST's answer instead of the backend's

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if request.method == "POST" and self.answer is not None:
            answer, self.answer = self.answer, None
            return answer
        return self.backend.handle(request)

    def posts(self, path: str) -> list[httpx.Request]:
        return [r for r in self.seen if r.method == "POST" and r.url.path == path]


@pytest.fixture
def wire(backend: FakeBackend) -> Wire:
    return Wire(backend)


@pytest.fixture
def desk(store: Store, wire: Wire, clock: FakeClock) -> Iterator[Store]:
    return store


def _keys_sent(request: httpx.Request) -> list[str]:
    return [item["idempotency_key"] for item in json.loads(request.content)["items"]]


def _outbox_keys(store: Store) -> dict[str, str]:
    return dict(sql(store, "SELECT mutation_id, idempotency_key FROM outbox"))


def test_one_batch_request_carries_the_claimed_mutations_and_each_answer_is_recorded(
    store: Store, wire: Wire, backend: FakeBackend, clock: FakeClock
) -> None:
    engine = make_engine(store, httpx.MockTransport(wire), clock)
    assert engine.sync_once().ok
    backend.customer_cancel(300)  # its approval will be a conflict
    good = [decide(store, r, approval(r // 100 * 10 + 1, 100, clock.now()), clock.now()) for r in (100, 200)]
    cancelled = decide(store, 300, approval(31, 100, clock.now()), clock.now())
    broken = record(store, "note", "order:3", {"text": "x"}, clock.now())
    with store.writing() as session:
        session.connection().exec_driver_sql(
            "UPDATE mutations SET payload = '{\"text\": 5}' WHERE id = ?", (broken,)
        )
    summary = engine.sync_once()
    assert len(wire.posts(BATCH)) == 1 and not wire.posts("/v1/mutations")
    keys = _outbox_keys(store)
    assert _keys_sent(wire.posts(BATCH)[0]) == [keys[m] for m in (*good, cancelled)]  # not the unbuildable
    assert summary.push.acknowledged == 2 and summary.push.conflicts == 1 and summary.push.rejected == 1
    assert [status_of(store, m) for m in good] == ["acknowledged", "acknowledged"]  # until refunded
    assert status_of(store, cancelled) == "conflict" and status_of(store, broken) == "rejected"
    assert sql(store, "SELECT reason FROM conflicts") == [("customer_cancelled",)]
    assert [backend.applications[m] for m in good] == [1, 1]
    engine.client.close()


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(503, text="down for a moment"),
        httpx.Response(429, json={"error": "rate_limited", "message": "slow"}, headers={"Retry-After": "9"}),
        httpx.Response(200, json={"results": []}),  # an answer that does not fit the batch
    ],
)
def test_a_whole_batch_failure_retries_every_item_under_the_same_key(
    store: Store, wire: Wire, backend: FakeBackend, clock: FakeClock, failure: httpx.Response
) -> None:
    engine = make_engine(store, httpx.MockTransport(wire), clock)
    assert engine.sync_once().ok
    mids = [record(store, "note", f"order:{n}", {"text": "x"}, clock.now()) for n in (1, 2, 3)]
    keys = _outbox_keys(store)
    wire.answer = failure
    summary = engine.sync_once()
    assert summary.push.retried == 3 and {status_of(store, m) for m in mids} == {"queued"}
    assert sql(store, "SELECT DISTINCT attempts FROM outbox") == [(1,)]
    assert scalar(store, "SELECT count(*) FROM outbox WHERE in_flight_since IS NOT NULL") == 0
    clock.advance(600)
    assert engine.sync_once().ok
    sent = wire.posts(BATCH)
    assert len(sent) == 2 and _keys_sent(sent[0]) == _keys_sent(sent[1]) == [keys[m] for m in mids]
    assert {status_of(store, m) for m in mids} == {"settled"} and all(
        backend.applications[m] == 1 for m in mids
    )
    engine.client.close()


def test_401_refreshes_the_token_and_resends_the_same_batch(
    store: Store, wire: Wire, backend: FakeBackend, clock: FakeClock
) -> None:
    engine = make_engine(store, httpx.MockTransport(wire), clock, token_refresher=lambda: backend.token)
    assert engine.sync_once().ok
    mids = [record(store, "note", f"order:{n}", {"text": "x"}, clock.now()) for n in (1, 2)]
    backend.rotate_token()
    summary = engine.sync_once()
    assert summary.push.acknowledged == 2, summary
    sent = wire.posts(BATCH)
    assert [r.headers["Authorization"] for r in sent] == ["Bearer token-1", "Bearer token-2"]
    assert _keys_sent(sent[0]) == _keys_sent(sent[1])
    assert {status_of(store, m) for m in mids} == {"settled"} and all(
        backend.applications[m] == 1 for m in mids
    )
    engine.client.close()


@pytest.mark.parametrize("point", ["push.sent", "push.answered"])
def test_a_kill_between_the_batch_post_and_its_record_resends_the_same_keys(
    store: Store, network: FakeNetwork, backend: FakeBackend, clock: FakeClock, point: str
) -> None:
    class Killed(BaseException):
        pass

    def kill(at: str) -> None:
        if at == point:
            raise Killed

    first = make_engine(store, network, clock)
    assert first.sync_once().ok
    mids = [decide(store, r, approval(r // 100 * 10 + 1, 100, clock.now()), clock.now()) for r in (100, 200)]
    dying = make_engine(store, network, clock, kill=kill)
    with pytest.raises(Killed):
        dying.sync_once()
    assert [backend.applications[m] for m in mids] == [1, 1]  # the backend committed the batch
    assert {status_of(store, m) for m in mids} == {"sending"}  # its record never committed
    restarted = make_engine(store, network, clock)
    assert restarted.start() == 2
    summary = restarted.sync_once()
    assert summary.push.acknowledged == 2 and {status_of(store, m) for m in mids} == {"acknowledged"}
    assert [backend.applications[m] for m in mids] == [1, 1] and backend.approvals[100] == 1
    assert backend.batches == 2  # the same batch, resent under the same keys, replayed
    assert scalar(store, "SELECT count(*) FROM audit WHERE what = 'refund_decision.acknowledged'") == 2
    for engine in (first, dying, restarted):
        engine.client.close()


def test_a_backend_without_the_endpoint_gets_single_posts_for_the_client_life(
    store: Store, wire: Wire, backend: FakeBackend, clock: FakeClock
) -> None:
    backend.batch_endpoint = False  # answers 404 to POST /v1/mutations/batch
    engine = make_engine(store, httpx.MockTransport(wire), clock)
    assert engine.sync_once().ok
    first = [record(store, "note", f"order:{n}", {"text": "x"}, clock.now()) for n in (1, 2)]
    assert engine.sync_once().ok
    later = record(store, "note", "order:3", {"text": "y"}, clock.now())
    assert engine.sync_once().ok
    assert len(wire.posts(BATCH)) == 1  # asked once, then remembered
    assert [json.loads(r.content)["mutation_id"] for r in wire.posts("/v1/mutations")] == [*first, later]
    assert {status_of(store, m) for m in (*first, later)} == {"settled"}
    engine.client.close()


def test_a_batch_refused_whole_falls_back_to_single_posts_for_that_batch(
    store: Store, wire: Wire, backend: FakeBackend, clock: FakeClock
) -> None:
    engine = make_engine(store, httpx.MockTransport(wire), clock)
    assert engine.sync_once().ok
    mids = [record(store, "note", f"order:{n}", {"text": "x"}, clock.now()) for n in (1, 2)]
    wire.answer = httpx.Response(400, json={"error": "bad_request", "message": "no", "field": "items[1]"})
    assert engine.sync_once().ok
    assert len(wire.posts("/v1/mutations")) == 2 and {status_of(store, m) for m in mids} == {"settled"}
    mid = record(store, "note", "order:3", {"text": "z"}, clock.now())
    assert engine.sync_once().ok and status_of(store, mid) == "settled"
    assert len(wire.posts(BATCH)) == 2  # the batch endpoint is still used afterwards
    engine.client.close()
