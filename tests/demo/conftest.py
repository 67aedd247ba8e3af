"""Shared fixtures: real SQLite stores in temporary directories; the 20,000-return store is seeded once."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seller_desk.store.migrate import open_store
from seller_desk.store.uow import Store

from .support import seeded


@pytest.fixture(scope="session")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """20,000 returns: enough for every status and state, small enough to seed in about a second."""
    return seeded(tmp_path_factory.mktemp("big"), 20_000, seed=7)


@pytest.fixture
def db(big: tuple[Path, dict[str, Any]]) -> Iterator[sqlite3.Connection]:
    con = sqlite3.connect(big[0])
    try:
        yield con
    finally:
        con.close()


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "seller-desk.sqlite3")
    try:
        yield store
    finally:
        store.close()
