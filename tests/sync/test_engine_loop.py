"""The background loop: timer pulls, probes while offline, an immediate round after a nudge, no death."""

from __future__ import annotations

import threading

import pytest

from seller_desk.store.uow import Store
from seller_desk.sync.clock import FakeClock
from seller_desk.sync.engine import OFFLINE_PROBE_MIN_S, PULL_INTERVAL_S, SyncEngine
from tests.sync.fakes import FakeBackend, FakeNetwork
from tests.sync.helpers import record, status_of


@pytest.fixture
def store_with_mirrors(store: Store, engine: SyncEngine) -> Store:
    assert engine.sync_once().ok
    return store


def test_online_the_loop_pulls_on_a_timer(engine: SyncEngine, clock: FakeClock, backend: FakeBackend) -> None:
    engine.run(max_rounds=3)
    assert clock.slept == [PULL_INTERVAL_S] * 3
    assert engine.status().online is True and engine.status().last_sync_at is not None


def test_offline_it_probes_more_and_more_slowly_then_syncs_when_the_network_returns(
    store_with_mirrors: Store, engine: SyncEngine, network: FakeNetwork, clock: FakeClock
) -> None:
    store = store_with_mirrors
    network.down = True
    mid = record(store, "note", "order:1", {"text": "offline note"}, clock.now())
    engine.run(max_rounds=5)
    assert clock.slept == [min(PULL_INTERVAL_S, OFFLINE_PROBE_MIN_S * 2**n) for n in range(5)]  # capped
    status = engine.status()
    assert status.online is False and status.pending == 1 and "cannot reach" in (status.last_error or "")
    network.down = False
    engine.run(max_rounds=1)
    assert engine.status().online is True and status_of(store, mid) == "settled"


def test_a_due_retry_wakes_the_loop_before_the_timer(
    store_with_mirrors: Store, engine: SyncEngine, network: FakeNetwork, clock: FakeClock
) -> None:
    mid = record(store_with_mirrors, "note", "order:2", {"text": "x"}, clock.now())
    network.inject("5xx")  # Retry-After: 3
    engine.run(max_rounds=2)
    assert clock.slept[0] == pytest.approx(3.0)
    assert status_of(store_with_mirrors, mid) == "settled"


def test_a_failing_round_is_logged_and_the_loop_goes_on(
    store_with_mirrors: Store, engine: SyncEngine, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real = engine._puller.pull_until_drained

    def flaky(max_pages: int | None = None):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("disk full")
        return real(max_pages)

    monkeypatch.setattr(engine._puller, "pull_until_drained", flaky)
    engine.run(max_rounds=2)
    assert calls["n"] == 2 and engine.status().last_error is None


def test_stop_and_nudge_from_another_thread(engine: SyncEngine) -> None:
    from seller_desk.sync.clock import SystemClock

    engine.clock = SystemClock()
    engine._pull_interval = 60.0
    thread = threading.Thread(target=engine.run, name="sync-loop")
    thread.start()
    engine.nudge()
    engine.stop()
    thread.join(timeout=10)
    assert not thread.is_alive()
