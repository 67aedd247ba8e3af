"""A main window over a seeded store, its task manager shut down before the thread-leak check."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.uow import Store
from seller_desk.ui.main_window import MainWindow
from seller_desk.workers import TaskManager


@pytest.fixture
def store(small_data_dir: Path) -> Iterator[Store]:
    store = open_store(small_data_dir / DB_FILENAME)
    yield store
    store.close()


@pytest.fixture
def window(qtbot: QtBot, tasks: TaskManager) -> MainWindow:
    """The main window at 1366×768 with the Returns view's first page on screen."""
    win = MainWindow(tasks)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    with qtbot.waitSignal(win.returns_view.ready, timeout=10_000):
        win.start()
    return win
