"""The welcome dialog: its three ways in and Skip, by mouse and keyboard, and "Connect to a team
backend" against a real ``seller-desk backend serve`` on 127.0.0.1 — an accepted token is saved where
``seller-desk connect`` saves it and the window then syncs; a refused token or an unreachable address
says so and saves nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from seller_desk.backend.store import sqlite_url
from seller_desk.backend.tenancy import create_device_token
from seller_desk.bench.sync_feed import free_port
from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.uow import Store
from seller_desk.sync.connection import remembered
from seller_desk.sync.credentials import CredentialStore
from seller_desk.ui.dialogs.welcome_dialog import WelcomeChoice, WelcomeDialog
from seller_desk.ui.first_run import FirstRun
from seller_desk.ui.main_window import MainWindow
from seller_desk.workers import TaskManager
from seller_desk.workers.sync_worker import SyncMode
from tests.backend.live import LiveBackend

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBackend]:
    base = tmp_path_factory.mktemp("welcome-backend")
    server = LiveBackend.start("sqlite", sqlite_url(base / "backend.sqlite3"), base / "server.log")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def token(live: LiveBackend) -> str:
    """A device token of a seller of this test's own."""
    with live.db.writing() as session:
        issued = create_device_token(session, f"seller-{uuid.uuid4().hex[:8]}", "desk", datetime.now(UTC))
    return issued.token


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """An empty store; tokens go to the private file, never to the developer's real keyring."""
    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    opened = open_store(tmp_path / "desk" / DB_FILENAME)
    yield opened
    opened.close()


@pytest.fixture
def dialog(qtbot: QtBot, tasks: TaskManager, tmp_path: Path) -> WelcomeDialog:
    shown = WelcomeDialog(tmp_path / "desk" / "config")
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def fill(dialog: WelcomeDialog, url: str, token: str) -> None:
    dialog.connect_button.click()
    assert dialog.pages.currentWidget() is dialog.backend_form
    dialog.backend_form.url.setText(url)
    dialog.backend_form.token.setText(token)


def check(qtbot: QtBot, dialog: WelcomeDialog) -> None:
    form = dialog.backend_form
    assert form.connect_button.isEnabled()
    form.connect_button.click()
    assert form.checking and form.url.isReadOnly()  # the window is not waiting for the backend
    qtbot.waitUntil(lambda: not form.checking, timeout=30_000)


def test_the_welcome_names_the_app_and_its_three_ways_in(dialog: WelcomeDialog) -> None:
    assert dialog.windowTitle() == "Welcome to Seller Desk" and not dialog.windowIcon().isNull()
    buttons = (dialog.demo_button, dialog.connect_button, dialog.import_button)
    assert [b.accessibleName() for b in buttons] == [
        "Try the demo",
        "Connect to a team backend",
        "Import Amazon reports and work offline",
    ]
    assert all(b.description() and b.accessibleDescription() == b.description() for b in buttons)
    assert dialog.skip_button.accessibleName() == "Skip"
    assert dialog.demo_button.hasFocus()


@pytest.mark.parametrize(
    ("button", "choice"), [("demo_button", WelcomeChoice.DEMO), ("import_button", WelcomeChoice.IMPORT)]
)
def test_a_way_in_closes_the_welcome_with_its_choice(
    dialog: WelcomeDialog, button: str, choice: WelcomeChoice
) -> None:
    getattr(dialog, button).click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.choice is choice
    assert not dialog.isVisible()


def test_the_keyboard_reaches_every_way_in(qtbot: QtBot, dialog: WelcomeDialog) -> None:
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.connect_button.hasFocus()
    qtbot.keyClick(dialog.connect_button, Qt.Key.Key_Space)
    assert dialog.pages.currentWidget() is dialog.backend_form and dialog.backend_form.url.hasFocus()
    qtbot.keyClick(dialog.backend_form.url, Qt.Key.Key_Escape)  # back, not closed
    assert dialog.isVisible() and dialog.pages.currentWidget() is dialog.choices
    qtbot.keyClick(dialog.connect_button, Qt.Key.Key_Tab)
    assert dialog.import_button.hasFocus()
    qtbot.keyClick(dialog.import_button, Qt.Key.Key_Return)
    assert dialog.choice is WelcomeChoice.IMPORT


@pytest.mark.parametrize("how", ["skip", "escape", "close"])
def test_skip_escape_or_closing_work_offline(qtbot: QtBot, dialog: WelcomeDialog, how: str) -> None:
    if how == "skip":
        dialog.skip_button.click()
    elif how == "escape":
        qtbot.keyClick(dialog.demo_button, Qt.Key.Key_Escape)
    else:
        dialog.close()
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.choice is WelcomeChoice.SKIP
    assert dialog.connected is None


def test_connect_waits_for_an_address_and_a_token(dialog: WelcomeDialog) -> None:
    fill(dialog, "", "")
    assert not dialog.backend_form.connect_button.isEnabled()
    dialog.backend_form.url.setText("http://127.0.0.1:1")
    assert not dialog.backend_form.connect_button.isEnabled()
    dialog.backend_form.token.setText("t")
    assert dialog.backend_form.connect_button.isEnabled()


def test_an_accepted_token_is_saved_and_the_window_syncs(
    qtbot: QtBot, dialog: WelcomeDialog, store: Store, tasks: TaskManager, live: LiveBackend, token: str
) -> None:
    config_dir = dialog.backend_form._config_dir
    fill(dialog, live.base_url + "/", f"  {token}\n")  # as pasted: a trailing slash, a newline
    check(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.choice is WelcomeChoice.CONNECT
    assert dialog.connected is not None and dialog.connected.url == live.base_url
    credentials = CredentialStore(config_dir)
    assert dialog.connected.token_stored_in == str(credentials.file)
    assert credentials.load(live.base_url) == token
    backend = remembered(store)
    assert backend is not None and backend.url == live.base_url

    window = MainWindow(tasks, config_dir=config_dir)
    qtbot.addWidget(window)
    window.show()
    window.start()
    window.start_sync_after_first_paint()
    FirstRun(dialog.choice, dialog.connected).continue_in(window)
    try:
        assert window.statusBar().currentMessage().startswith(f"Connected to {live.base_url}")
        qtbot.waitUntil(lambda: window.sync_indicator.state().mode is SyncMode.ONLINE, timeout=30_000)
        assert window.sync.state().backend_url == live.base_url
    finally:
        assert window.stop()


def test_a_refused_token_says_so_and_saves_nothing(
    qtbot: QtBot, dialog: WelcomeDialog, store: Store, live: LiveBackend
) -> None:
    fill(dialog, live.base_url, "not-a-token")
    check(qtbot, dialog)
    status = dialog.backend_form.status.text()
    assert "refused this token (401 Unauthorized)" in status and "nothing was saved" in status
    assert dialog.isVisible() and dialog.choice is WelcomeChoice.SKIP and dialog.connected is None
    assert dialog.backend_form.token.hasFocus() and dialog.backend_form.connect_button.isEnabled()
    assert not CredentialStore(dialog.backend_form._config_dir).file.exists()
    assert remembered(store) is None


def test_an_unreachable_backend_says_so_and_saves_nothing(
    qtbot: QtBot, dialog: WelcomeDialog, store: Store
) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"
    fill(dialog, nobody, "some-token")
    check(qtbot, dialog)
    status = dialog.backend_form.status.text()
    assert f"Cannot reach {nobody}" in status and "nothing was saved" in status
    assert dialog.isVisible() and dialog.connected is None
    assert not CredentialStore(dialog.backend_form._config_dir).file.exists()
    assert remembered(store) is None


def test_a_mistyped_address_is_refused_before_any_request(qtbot: QtBot, dialog: WelcomeDialog) -> None:
    fill(dialog, "desk.example.com", "some-token")
    check(qtbot, dialog)
    assert "is not a backend URL" in dialog.backend_form.status.text()
    assert dialog.backend_form.url.hasFocus()
