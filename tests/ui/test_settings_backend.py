"""Settings → Backend against a real backend (``seller-desk backend serve`` on 127.0.0.1): a good token is
checked with ``GET /v1/changes?limit=1``, saved and synced with; a refused one (401) saves nothing and
says so with the field named. The desktop's store is its own (an empty one): saving writes to it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from seller_desk.backend.store import sqlite_url
from seller_desk.backend.tenancy import create_device_token
from seller_desk.paths import DB_FILENAME, resolve_paths
from seller_desk.settings import SETTINGS_FILE
from seller_desk.store.migrate import open_store
from seller_desk.store.uow import Store
from seller_desk.sync.connection import remembered
from seller_desk.sync.credentials import CredentialStore
from seller_desk.ui.main_window import MainWindow
from seller_desk.workers import TaskManager
from seller_desk.workers.sync_state import SyncMode
from tests.backend.live import LiveBackend

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
WAIT_MS = 20_000


@pytest.fixture(autouse=True)
def _no_real_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tokens go to the private file in the test's config dir, never to this machine's keyring."""
    monkeypatch.setattr(keyring, "get_keyring", NoKeyring)


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBackend]:
    base = tmp_path_factory.mktemp("settings-backend")
    live = LiveBackend.start("sqlite", sqlite_url(base / "backend.sqlite3"), base / "server.log")
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def token(backend: LiveBackend) -> str:
    with backend.db.writing() as session:
        return create_device_token(session, "settings-shop", "desk-pc", datetime.now(UTC)).token


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    made = open_store(tmp_path / DB_FILENAME)
    yield made
    made.close()


@pytest.fixture
def window(qtbot: QtBot, tasks: TaskManager) -> Iterator[MainWindow]:
    win = MainWindow(tasks)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.returns_view.ready, timeout=10_000):
        win.start()
    yield win
    assert win.stop()


def connect_in_dialog(qtbot: QtBot, window: MainWindow, url: str, token: str) -> object:
    dialog = window.settings_menu.open()
    qtbot.waitUntil(lambda: dialog.backend.url.isEnabled(), timeout=WAIT_MS)
    assert dialog.backend.connected.text().startswith("Not connected")
    dialog.backend.url.setText(url)
    dialog.backend.token.setText(token)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()  # checking
    return dialog


def test_a_good_token_is_checked_saved_and_synced_with(
    qtbot: QtBot, window: MainWindow, store: Store, backend: LiveBackend, token: str
) -> None:
    window.start_sync()  # no backend yet: the worker says so and ends
    qtbot.waitUntil(lambda: window.sync.state().mode is SyncMode.LOCAL_ONLY, timeout=WAIT_MS)
    dialog = connect_in_dialog(qtbot, window, backend.base_url + "/", token)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)  # type: ignore[attr-defined]
    saved = remembered(store)
    assert saved is not None and saved.url == backend.base_url  # normalized: no trailing slash
    assert CredentialStore(resolve_paths().config_dir).load(backend.base_url) == token
    assert (resolve_paths().config_dir / SETTINGS_FILE).exists()  # the rest of the dialog saved too
    qtbot.waitUntil(lambda: window.sync.state().mode is SyncMode.ONLINE, timeout=WAIT_MS)
    assert window.sync.state().backend_url == backend.base_url  # the worker reconnected by itself


def test_a_refused_token_saves_nothing_and_says_why(
    qtbot: QtBot, window: MainWindow, store: Store, backend: LiveBackend
) -> None:
    dialog = connect_in_dialog(qtbot, window, backend.base_url, "not-a-token-anyone-issued")
    error = dialog.error  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "401" in error.text(), timeout=WAIT_MS)
    assert error.text().startswith("Nothing was saved. Token: the backend at http://127.0.0.1:")
    assert "refused this token (401 Unauthorized)" in error.text()
    assert dialog.isVisible()  # type: ignore[attr-defined]
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()  # type: ignore[attr-defined]
    assert remembered(store) is None
    assert CredentialStore(resolve_paths().config_dir).load(backend.base_url) is None
    assert not (resolve_paths().config_dir / SETTINGS_FILE).exists()
    dialog.reject()  # type: ignore[attr-defined]


def test_an_address_where_nothing_answers_is_refused_as_the_url(
    qtbot: QtBot, window: MainWindow, store: Store, token: str
) -> None:
    from seller_desk.bench.sync_feed import free_port

    dialog = connect_in_dialog(qtbot, window, f"http://127.0.0.1:{free_port()}", token)
    error = dialog.error  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "Backend URL" in error.text(), timeout=WAIT_MS)
    assert "is the address right and the backend running?" in error.text()
    assert remembered(store) is None
    dialog.reject()  # type: ignore[attr-defined]
