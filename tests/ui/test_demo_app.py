"""``--demo`` under the offscreen Qt platform: the window is up at once, the demo backend starts on
an I/O thread, and the indicator reaches "Online" with sync running; quitting ends the child."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from seller_desk.app import start_demo
from seller_desk.demo_backend import DemoBackend
from seller_desk.paths import DB_FILENAME, resolve_paths
from seller_desk.store.migrate import open_store
from seller_desk.store.uow import Store
from seller_desk.ui.main_window import MainWindow
from seller_desk.workers import TaskManager
from seller_desk.workers.sync_worker import SyncMode

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("PYTHONPATH", str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    opened = open_store(tmp_path / DB_FILENAME)
    yield opened
    opened.close()


def test_demo_window_reaches_online_and_quitting_ends_the_backend(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    window = MainWindow(tasks, config_dir=resolve_paths(tmp_path).config_dir)
    qtbot.addWidget(window)
    window.show()
    window.start()
    launcher = DemoBackend(tmp_path, serve_flags=())  # plain serve: the window is under test
    try:
        start_demo(window, launcher)
        assert window.sync.state().mode is SyncMode.CONNECTING  # the window did not wait
        qtbot.waitUntil(lambda: window.sync_indicator.state().mode is SyncMode.ONLINE, timeout=60_000)
        assert window.sync_indicator.text().startswith("● Online")
        assert window.sync.running and window.sync_view.sync_now.isEnabled()
        assert window.sync.state().backend_url == f"http://127.0.0.1:{launcher.process.args[-1]}"  # type: ignore[union-attr,index]
    finally:
        assert window.stop()
        launcher.stop()
    assert launcher.process is not None and launcher.process.poll() is not None
