"""A task manager per test, shut down (threads joined) before the leak check runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.uow import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / DB_FILENAME)
    yield store
    store.close()
