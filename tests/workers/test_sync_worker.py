"""The GUI's sync worker against the fake backend on a real loopback socket: it reports by signals,
pulls and pushes on its own thread, shows progress on long pulls, and stops without leaking a thread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from seller_desk.bench.sync_feed import free_port
from seller_desk.store.uow import Store
from seller_desk.sync.clock import FakeClock
from seller_desk.sync.connection import Backend, remember
from seller_desk.sync.credentials import CredentialStore
from seller_desk.workers import TaskManager
from seller_desk.workers.sync_worker import SyncController, SyncMode, SyncSnapshot
from tests.sync.fakes import FakeBackend
from tests.sync.helpers import approval, decide, scalar, status_of
from tests.sync.http_backend import BackendServer

WAIT_MS = 15_000


@pytest.fixture(autouse=True)
def _no_real_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


@pytest.fixture
def fake() -> FakeBackend:
    backend = FakeBackend(FakeClock())
    backend.seed()
    return backend


@pytest.fixture
def served(fake: FakeBackend) -> Iterator[BackendServer]:
    with BackendServer(fake) as server:
        yield server


def connect(store: Store, config: Path, url: str, token: str) -> None:
    remember(store, Backend(url, None))
    CredentialStore(config).save(url, token)


@pytest.fixture
def controller(qtbot: QtBot, tasks: TaskManager, tmp_path: Path) -> Iterator[SyncController]:
    made = SyncController(tasks, tmp_path / "config", page_limit=5)
    yield made
    assert made.stop(timeout=20)
    assert not made.running


def wait_for(qtbot: QtBot, controller: SyncController, predicate: object) -> SyncSnapshot:
    check = predicate  # a callable taking the snapshot
    qtbot.waitUntil(lambda: controller.heard and check(controller.state()), timeout=WAIT_MS)  # type: ignore[operator]
    return controller.state()


def test_without_a_backend_it_says_local_only_and_its_thread_ends(
    qtbot: QtBot, controller: SyncController
) -> None:
    with qtbot.waitSignal(controller.state_changed, timeout=WAIT_MS) as signal:
        controller.start()
    assert signal.args[0].mode is SyncMode.LOCAL_ONLY
    qtbot.waitUntil(lambda: not controller.running, timeout=WAIT_MS)


def test_it_pulls_in_pages_with_progress_then_pushes_an_act_after_a_nudge(
    qtbot: QtBot, controller: SyncController, store: Store, served: BackendServer, fake: FakeBackend,
    tmp_path: Path,
) -> None:  # fmt: skip
    connect(store, tmp_path / "config", served.url, fake.token)
    progress: list[int] = []
    pulled: list[int] = []
    controller.state_changed.connect(lambda s: s.pulling and progress.append(s.pulling.changes))
    controller.data_changed.connect(pulled.append)
    controller.start()
    online = wait_for(qtbot, controller, lambda s: s.mode is SyncMode.ONLINE and s.pulling is None)
    assert online.last_sync_at is not None and online.last_error is None
    assert online.backend_url == served.url
    assert scalar(store, "SELECT count(*) FROM refund_requests") == len(fake.request_ids())
    assert progress and progress == sorted(progress), progress  # pages of 5: progress went up
    assert progress[-1] < len(fake.log)
    assert pulled == [len(fake.log)]  # one round pulled the whole feed
    assert scalar(store, "SELECT json_extract(detail, '$.pulled') FROM audit WHERE what = 'sync.run'") == len(
        fake.log
    )

    request = fake.request_ids()[0]
    line = next(r for r in fake.rows["order_lines"].values())
    mutation = decide(store, request, approval(line["id"], 100, fake.clock.now()), fake.clock.now())
    with qtbot.waitSignal(controller.round_finished, timeout=WAIT_MS):
        controller.nudge()
    qtbot.waitUntil(lambda: status_of(store, mutation) in ("acknowledged", "settled"), timeout=WAIT_MS)
    assert mutation in fake.applied
    assert wait_for(qtbot, controller, lambda s: s.pending == 0).mode is SyncMode.ONLINE


def test_a_refused_token_shows_unauthorized(
    qtbot: QtBot, controller: SyncController, store: Store, served: BackendServer, tmp_path: Path
) -> None:
    connect(store, tmp_path / "config", served.url, "not-the-token")
    controller.start()
    state = wait_for(qtbot, controller, lambda s: s.mode is SyncMode.UNAUTHORIZED)
    assert "token" in (state.last_error or "")


def test_offline_then_the_network_returns_and_a_nudge_syncs_at_once(
    qtbot: QtBot, controller: SyncController, store: Store, fake: FakeBackend, tmp_path: Path
) -> None:
    port = free_port()
    connect(store, tmp_path / "config", f"http://127.0.0.1:{port}", fake.token)
    rounds: list[SyncMode] = []
    controller.state_changed.connect(lambda s: rounds.append(s.mode))
    controller.start()
    offline = wait_for(qtbot, controller, lambda s: s.mode is SyncMode.OFFLINE)
    assert offline.last_error
    qtbot.waitUntil(lambda: rounds.count(SyncMode.OFFLINE) >= 2, timeout=WAIT_MS)  # now waiting 4 s
    with BackendServer(fake, port=port):
        from PySide6.QtNetwork import QNetworkInformation

        controller.on_reachability(QNetworkInformation.Reachability.Online)
        qtbot.waitUntil(lambda: controller.state().mode is SyncMode.ONLINE, timeout=2_500)
        assert controller.stop(timeout=20)
    assert scalar(store, "SELECT count(*) FROM refund_requests") > 0


def test_stop_before_the_engine_exists_and_twice_is_safe(
    controller: SyncController, store: Store, served: BackendServer, fake: FakeBackend, tmp_path: Path
) -> None:
    connect(store, tmp_path / "config", served.url, fake.token)
    controller.start()
    assert controller.stop(timeout=20)
    assert controller.stop(timeout=20)
    assert not controller.running


def test_a_new_pull_interval_reaches_the_running_engine(
    qtbot: QtBot, tasks: TaskManager, store: Store, served: BackendServer, fake: FakeBackend, tmp_path: Path
) -> None:
    """Settings' interval: an engine started with a long one pulls again only after a shorter one is set."""
    made = SyncController(tasks, tmp_path / "config", page_limit=500, pull_interval=600)
    connect(store, tmp_path / "config", served.url, fake.token)
    rounds: list[int] = []
    made.round_finished.connect(lambda: rounds.append(1))
    try:
        made.start()
        wait_for(qtbot, made, lambda s: s.mode is SyncMode.ONLINE)
        qtbot.wait(600)
        assert len(rounds) == 1  # the next round is ten minutes away
        made.set_pull_interval(0.2)
        assert made.pull_interval == 0.2
        qtbot.waitUntil(lambda: len(rounds) >= 4, timeout=WAIT_MS)  # the wait ended; now every 0.2 s
    finally:
        assert made.stop(timeout=20)


def test_reconnect_moves_a_running_worker_to_the_backend_just_saved(
    qtbot: QtBot, controller: SyncController, store: Store, served: BackendServer, fake: FakeBackend,
    tmp_path: Path,
) -> None:  # fmt: skip
    connect(store, tmp_path / "config", f"http://127.0.0.1:{free_port()}", fake.token)  # nobody there
    controller.start()
    wait_for(qtbot, controller, lambda s: s.mode is SyncMode.OFFLINE)
    connect(store, tmp_path / "config", served.url, fake.token)
    controller.reconnect()
    online = wait_for(qtbot, controller, lambda s: s.mode is SyncMode.ONLINE and s.pulling is None)
    assert online.backend_url == served.url
    assert scalar(store, "SELECT count(*) FROM refund_requests") == len(fake.request_ids())
    assert controller.running  # the same worker goes on syncing


def test_reconnect_starts_a_worker_that_had_nothing_to_sync(
    qtbot: QtBot, controller: SyncController, store: Store, served: BackendServer, fake: FakeBackend,
    tmp_path: Path,
) -> None:  # fmt: skip
    controller.start()
    wait_for(qtbot, controller, lambda s: s.mode is SyncMode.LOCAL_ONLY)
    qtbot.waitUntil(lambda: not controller.running, timeout=WAIT_MS)
    connect(store, tmp_path / "config", served.url, fake.token)
    controller.reconnect()
    assert wait_for(qtbot, controller, lambda s: s.mode is SyncMode.ONLINE).backend_url == served.url
