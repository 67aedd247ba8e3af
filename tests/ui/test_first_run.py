"""The first run: when the welcome is offered, and what the demo, import and skip answers lead to.

The store is a real file of the test's own; the demo's backend is not started (``run_app``'s restart as
``--demo`` is caught at its call), the import runs for real on a generated report file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from seller_desk import app
from seller_desk.bench.report_files import write_mfn_flat
from seller_desk.paths import DB_FILENAME, resolve_paths
from seller_desk.store.migrate import open_store
from seller_desk.store.uow import Store
from seller_desk.sync.connect import Connected
from seller_desk.sync.connection import Backend, remember
from seller_desk.ui import first_run
from seller_desk.ui.dialogs.welcome_dialog import WelcomeChoice, WelcomeDialog
from seller_desk.ui.first_run import FirstRun, mark_welcomed, should_welcome, was_welcomed
from seller_desk.ui.main_window import MainWindow
from seller_desk.workers import TaskManager

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty store of this test's own, as a first start finds it."""
    opened = open_store(tmp_path / "desk" / DB_FILENAME)
    yield opened
    opened.close()


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    return tmp_path / "desk" / "config"


def welcome(store: Store, config_dir: Path, **env: str) -> bool:
    return should_welcome(store, config_dir, interactive=True, environ=env)


def test_an_empty_unconnected_store_is_welcomed(store: Store, config_dir: Path) -> None:
    assert welcome(store, config_dir) is True
    assert welcome(store, config_dir, SELLER_DESK_NO_WELCOME="0") is True  # "0" asks for no change


def test_a_store_with_returns_is_not_welcomed(small_data_dir: Path, tmp_path: Path) -> None:
    seeded = open_store(small_data_dir / DB_FILENAME)
    try:
        assert welcome(seeded, tmp_path / "config") is False
    finally:
        seeded.close()


def test_a_connected_store_is_not_welcomed(store: Store, config_dir: Path) -> None:
    remember(store, Backend("https://desk.example.com", None))
    assert welcome(store, config_dir) is False


def test_an_answered_welcome_is_not_offered_again(store: Store, config_dir: Path) -> None:
    assert not was_welcomed(config_dir)
    mark_welcomed(config_dir)
    assert was_welcomed(config_dir) and (config_dir / "window.ini").is_file()
    assert welcome(store, config_dir) is False


@pytest.mark.parametrize(
    "env",
    [
        {"SELLER_DESK_NO_WELCOME": "1"},
        {"SELLER_DESK_STARTUP_PROBE": "1"},
        {"SELLER_DESK_RETURNS_PROBE": '{"rows": 10}'},
    ],
)
def test_tests_ci_and_probes_are_never_welcomed(store: Store, config_dir: Path, env: dict[str, str]) -> None:
    assert welcome(store, config_dir, **env) is False


def test_nobody_to_answer_means_no_welcome(store: Store, config_dir: Path) -> None:
    assert should_welcome(store, config_dir, interactive=False, environ={}) is False


def test_the_suite_and_headless_runs_go_without_the_welcome(
    store: Store, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The suite asks for no welcome (tests/conftest.py), and so do the app processes it starts; even
    without that, ``run_app`` under the offscreen platform does not count as interactive."""
    assert os.environ.get("SELLER_DESK_NO_WELCOME") == "1"
    monkeypatch.delenv("SELLER_DESK_NO_WELCOME")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert app._display_available() is False
    assert should_welcome(store, config_dir, interactive=app._display_available()) is False


def test_an_answer_is_remembered_and_returned(
    qtbot: QtBot, store: Store, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SELLER_DESK_NO_WELCOME", raising=False)
    shown: list[WelcomeDialog] = []

    def answer_import(dialog: WelcomeDialog) -> int:
        shown.append(dialog)
        dialog.import_button.click()
        return int(dialog.result())

    monkeypatch.setattr(WelcomeDialog, "exec", answer_import)
    answer = first_run.welcome_if_first_run(store, config_dir, interactive=True)
    assert answer == FirstRun(WelcomeChoice.IMPORT) and len(shown) == 1
    assert was_welcomed(config_dir)
    assert first_run.welcome_if_first_run(store, config_dir, interactive=True) is None
    assert len(shown) == 1  # not shown the second time


def test_choosing_the_demo_starts_again_as_demo(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``run_app`` closes the seller's own store and task manager, then runs as ``--demo`` would."""
    data_dir = tmp_path / "desk"
    offered: list[Path] = []
    restarted: list[tuple[Any, bool]] = []

    def chose_demo(store: Store, config_dir: Path, *, interactive: bool) -> FirstRun:
        offered.append(config_dir)
        return FirstRun(WelcomeChoice.DEMO)

    monkeypatch.setattr(first_run, "welcome_if_first_run", chose_demo)
    real_run_app = app.run_app
    monkeypatch.setattr(app, "run_app", lambda data_dir, *, demo: restarted.append((data_dir, demo)) or 0)
    assert real_run_app(data_dir) == 0
    assert offered == [resolve_paths(data_dir).config_dir]
    assert restarted == [(data_dir, True)]
    assert not TaskManager.is_installed()


def test_import_opens_the_import_dialog_in_the_window(
    qtbot: QtBot, window: MainWindow, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = write_mfn_flat(tmp_path / "mfn.txt", 40)
    asked: list[str] = []

    def choose(parent: object, caption: str, *_: object) -> tuple[list[str], str]:
        asked.append(caption)
        return [str(report)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", choose)
    FirstRun(WelcomeChoice.IMPORT).continue_in(window)
    qtbot.waitUntil(lambda: window.imports.dialog is not None and window.imports.dialog.isVisible())
    assert asked == ["Import Amazon returns reports"]
    dialog = window.imports.dialog
    assert dialog is not None and dialog.paths == [report]
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT count(*) FROM returns").fetchone()[0] == 40
    dialog.close()


@pytest.mark.parametrize("choice", [WelcomeChoice.SKIP, WelcomeChoice.DEMO])
def test_skip_opens_nothing_more(qtbot: QtBot, window: MainWindow, choice: WelcomeChoice) -> None:
    FirstRun(choice).continue_in(window)
    qtbot.wait(50)
    assert window.imports.dialog is None
    assert window.statusBar().currentMessage() == ""


def test_connect_says_where_the_window_syncs(qtbot: QtBot, window: MainWindow) -> None:
    connected = Connected("https://desk.example.com", "dev-1", "keyring")
    FirstRun(WelcomeChoice.CONNECT, connected).continue_in(window)
    assert "Connected to https://desk.example.com" in window.statusBar().currentMessage()
