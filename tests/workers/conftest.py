"""A task manager per test, shut down (threads joined) before the leak check runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.uow import Store
from seller_desk.workers import TaskManager


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / DB_FILENAME)
    yield store
    store.close()


@pytest.fixture
def tasks(qtbot: QtBot, store: Store) -> Iterator[TaskManager]:
    manager = TaskManager.install(store)
    yield manager
    manager.shutdown(wait=True)
