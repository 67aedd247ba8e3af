"""SYNC.md's fault cases one by one, as readable scenarios (the simulation mixes them at random).

Cases covered elsewhere: 1 and 12 and 15 in test_push.py, 9 and 10 in test_pull.py; all of them again
in test_simulation.py; and with real processes (uvicorn, SIGKILLed subprocesses, a TCP proxy) in
test_real_faults.py. 7 and 8 (the backend's relay and upstream) belong to the backend's tests.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from seller_desk.store.migrate import open_store
from seller_desk.store.uow import Store
from seller_desk.sync.clock import FakeClock
from seller_desk.sync.engine import SyncEngine
from tests.sync.conftest import fresh_store, make_engine
from tests.sync.fakes import FakeBackend, FakeNetwork
from tests.sync.helpers import approval, decide, record, scalar, sql, status_of


@pytest.fixture
def synced(store: Store, engine: SyncEngine) -> Store:
    assert engine.sync_once().ok
    return store


def test_2_response_lost_after_commit_gets_the_stored_response(
    synced: Store, engine: SyncEngine, network: FakeNetwork, backend: FakeBackend, clock: FakeClock
) -> None:
    """Fault 2: the server commits, the response is lost; the retry gets the stored response (200)."""
    mid = decide(synced, 100, approval(11, 500, clock.now()), clock.now())
    network.inject("drop_response")
    engine.sync_once()
    assert status_of(synced, mid) == "queued" and backend.applications[mid] == 1
    clock.advance(600)
    engine.sync_once()
    assert status_of(synced, mid) == "acknowledged"
    assert backend.applications[mid] == 1 and backend.approvals[100] == 1
    backend.relay_tick()
    assert [entry[1] for entry in backend.upstream] == [mid]  # upstream sees one refund


def test_3_slow_server_answers_in_progress_then_replays(
    synced: Store, engine: SyncEngine, network: FakeNetwork, backend: FakeBackend, clock: FakeClock
) -> None:
    """Fault 3: the client times out; retries meet 409 in_progress; then the stored answer replays."""
    mid = decide(synced, 100, approval(11, 500, clock.now()), clock.now())
    network.inject("slow")
    engine.sync_once()
    assert status_of(synced, mid) == "queued"
    engine.sync_once(force=True)
    assert status_of(synced, mid) == "queued"
    assert "in_progress" in scalar(synced, "SELECT last_error FROM outbox") or "running" in scalar(
        synced, "SELECT last_error FROM outbox"
    )
    backend.finish_slow()
    clock.advance(600)
    engine.sync_once()
    assert status_of(synced, mid) == "acknowledged" and backend.applications[mid] == 1


@pytest.mark.parametrize("fault", ["duplicate", "stale", "hold"])
def test_4_duplicated_or_reordered_posts_apply_once(
    synced: Store,
    engine: SyncEngine,
    network: FakeNetwork,
    backend: FakeBackend,
    clock: FakeClock,
    fault: str,
) -> None:
    """Fault 4: a POST arrives twice, or an old copy arrives after the retry: one record, one approval."""
    mid = decide(synced, 100, approval(11, 500, clock.now()), clock.now())
    network.inject(fault)
    engine.sync_once()
    clock.advance(600)
    engine.sync_once()
    network.deliver_later()
    network.deliver_later()
    assert status_of(synced, mid) in ("acknowledged", "settled")
    assert backend.applications[mid] == 1 and backend.approvals[100] == 1
    assert sum(1 for d in backend.rows["decisions"].values() if d["refund_request_id"] == 100) == 1


def test_5_two_desktops_approve_the_same_request(
    synced: Store, engine: SyncEngine, network: FakeNetwork, backend: FakeBackend, clock: FakeClock,
    tmp_path: Path, template_dir: Path,
) -> None:  # fmt: skip
    """Fault 5: apart, both approve; reconnected, one 201 and one decided_elsewhere; refunded ≤ charged."""
    other_store = fresh_store(tmp_path / "b", base=template_dir)
    other = make_engine(other_store, network, clock)
    assert other.sync_once().ok
    first = decide(synced, 100, approval(11, 1000, clock.now()), clock.now())
    second = decide(other_store, 100, approval(11, 800, clock.now()), clock.now())
    engine.sync_once()
    other.sync_once()
    assert status_of(synced, first) == "acknowledged"
    assert status_of(other_store, second) == "conflict"
    assert sql(other_store, "SELECT reason FROM conflicts") == [("decided_elsewhere",)]
    assert scalar(other_store, "SELECT count(*) FROM decisions WHERE id < 0") == 0  # taken back
    assert scalar(other_store, "SELECT state FROM refund_requests WHERE id = 100") == "approved"
    assert backend.paid(11, "principal") == 1000 == backend.charged(11, "principal")
    other.client.close()
    other_store.close()


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ("customer_cancel", "customer_cancelled"),
        ("auto_refund", "auto_refunded"),
        ("open_claim", "claim_opened"),
    ],
)
def test_6_marketplace_moves_while_offline(
    synced: Store, engine: SyncEngine, network: FakeNetwork, backend: FakeBackend, clock: FakeClock,
    event: str, reason: str,
) -> None:  # fmt: skip
    """Fault 6: while the desktop is offline the customer cancels, the marketplace refunds, or a claim
    opens: no upstream refund from the seller's approval; the decision becomes a visible conflict."""
    network.down = True
    mid = decide(synced, 200, approval(21, 1000, clock.now()), clock.now())
    assert engine.sync_once().unreachable
    getattr(backend, event)(200)
    network.down = False
    clock.advance(600)
    engine.sync_once()
    assert status_of(synced, mid) == "conflict"
    [(got, snapshot)] = sql(synced, "SELECT reason, server_snapshot FROM conflicts")
    assert got == reason and '"id": 200' in snapshot
    backend.relay_tick()
    assert all(entry[1] != mid for entry in backend.upstream)
    assert engine.status().conflicts == 1


def test_11_pruned_keys_still_block_a_duplicate(
    synced: Store, engine: SyncEngine, network: FakeNetwork, backend: FakeBackend, clock: FakeClock
) -> None:
    """Fault 11: the key is pruned on the server, then the lost-answer retry (and a late copy) arrive."""
    mid = decide(synced, 100, approval(11, 500, clock.now()), clock.now())
    network.inject("stale", "drop_response")
    engine.sync_once()  # the first POST is applied and a copy is kept in the network
    engine.sync_once(force=True)  # the retry's answer is lost
    backend.prune_keys()
    network.deliver_later()
    clock.advance(600)
    engine.sync_once()
    assert status_of(synced, mid) == "acknowledged"
    assert backend.applications[mid] == 1 and backend.approvals[100] == 1


def test_13_gui_and_worker_write_at_once(
    store: Store, network: FakeNetwork, backend: FakeBackend, clock: FakeClock
) -> None:
    """Fault 13: the GUI records acts while the worker syncs, on separate threads and connections:
    no commit is lost and nothing raises (BEGIN IMMEDIATE + busy timeout serialize the writers)."""
    worker = make_engine(store, network, clock, page_limit=3)
    assert worker.sync_once().ok
    errors: list[BaseException] = []
    done = threading.Event()
    recorded: list[str] = []

    def gui() -> None:
        try:
            for n in range(60):
                recorded.append(record(store, "note", f"order:{n % 4 + 1}", {"text": f"n{n}"}, clock.now()))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=gui, name="gui-writer")
    thread.start()
    while not done.is_set():
        try:
            worker.sync_once(force=True)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
            break
    thread.join()
    clock.advance(600)
    for _ in range(3):
        worker.sync_once(force=True)
    worker.client.close()
    assert not errors, errors
    assert len(recorded) == 60
    assert sql(
        store, "SELECT status, count(*), sum(local_effect IS NULL) FROM mutations GROUP BY status"
    ) == [("settled", 60, 60)]
    assert all(backend.applications[m] == 1 for m in recorded)


def test_14_a_decision_survives_a_kill_right_after_approve_returns(
    tmp_path: Path, template_dir: Path
) -> None:
    """Fault 14 as far as one machine can show it: a process records an approval and is SIGKILLed the
    moment ``record_mutation``'s transaction commits; the approval and its outbox row are on disk.
    (WAL with synchronous=FULL makes that commit durable against power loss as well.)"""
    path = fresh_store(tmp_path, base=template_dir)
    path.close()
    root = str(Path(__file__).resolve().parents[2])
    script = textwrap.dedent(
        f"""
        import os, pathlib, signal, sys
        sys.path.insert(0, {root!r})
        from seller_desk.store.migrate import open_store
        from seller_desk.sync.clock import FakeClock
        from tests.sync.conftest import make_engine
        from tests.sync.fakes import FakeBackend, FakeNetwork
        from tests.sync.helpers import approval, decide
        clock = FakeClock()
        backend = FakeBackend(clock)
        backend.seed()
        store = open_store(pathlib.Path({str(path.path)!r}))
        make_engine(store, FakeNetwork(backend), clock).sync_once()
        print(decide(store, 100, approval(11, 500, clock.now()), clock.now()), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    mid = result.stdout.strip()
    survived = open_store(path.path)
    try:
        assert status_of(survived, mid) == "queued"
        assert scalar(survived, "SELECT count(*) FROM outbox WHERE mutation_id = :m", m=mid) == 1
        assert scalar(survived, "SELECT count(*) FROM decisions WHERE mutation_id = :m", m=mid) == 1
        assert scalar(survived, "PRAGMA journal_mode") == "wal"
        with survived.writing() as session:
            assert session.connection().exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        survived.close()
