"""The whole loop on the happy path: pull the world, decide, push, pull the result, settle."""

from __future__ import annotations

from seller_desk.store.uow import Store
from seller_desk.sync.clock import FakeClock
from seller_desk.sync.engine import SyncEngine
from tests.sync.fakes import FakeBackend
from tests.sync.helpers import approval, decide, scalar, status_of


def test_pull_push_pull_settle(
    store: Store, engine: SyncEngine, backend: FakeBackend, clock: FakeClock
) -> None:
    first = engine.sync_once()
    assert first.ok, first
    assert scalar(store, "SELECT count(*) FROM refund_requests") == len(backend.request_ids())
    mid = decide(store, 100, approval(11, 500, clock.now()), clock.now())
    assert status_of(store, mid) == "queued"
    assert scalar(store, "SELECT count(*) FROM decisions WHERE id < 0") == 1
    summary = engine.sync_once()
    assert summary.push.acknowledged == 1 and summary.ok
    assert backend.applications[mid] == 1
    assert status_of(store, mid) == "acknowledged"
    # the server's decision row replaced the local one
    assert scalar(store, "SELECT count(*) FROM decisions WHERE id < 0") == 0
    assert scalar(store, "SELECT count(*) FROM decisions WHERE mutation_id = :m", m=mid) == 1
    backend.relay_tick()
    backend.relay_tick()
    engine.sync_once()
    assert scalar(store, "SELECT state FROM refund_requests WHERE id = 100") == "completed"
    assert status_of(store, mid) == "settled"
    status = engine.status()
    assert status.online is True and status.pending == 0 and status.last_error is None
