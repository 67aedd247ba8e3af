"""Fixtures for the sync tests: migrated stores copied from one template, a fake backend and network."""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from seller_desk.store.migrate import open_store
from seller_desk.store.uow import Store
from seller_desk.sync.client import SyncClient
from seller_desk.sync.clock import FakeClock
from seller_desk.sync.engine import SyncEngine
from seller_desk.sync.push import KillHook, no_kill
from tests.sync.fakes import FakeBackend, FakeNetwork

BASE_URL = "http://backend.test"
_TEMPLATE: list[Path] = []


def template_store(base: Path) -> Path:
    """A store migrated to head once per run; each test copies the file (Alembic costs ~0.3 s)."""
    if not _TEMPLATE or not _TEMPLATE[0].exists():
        _TEMPLATE.clear()
        base.mkdir(parents=True, exist_ok=True)
        path = base / "template.sqlite3"
        open_store(path).close()
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


def fresh_store(directory: Path, name: str = "desk.sqlite3", *, base: Path) -> Store:
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    shutil.copyfile(template_store(base), target)
    return open_store(target)


def make_engine(
    store: Store,
    network: FakeNetwork | httpx.MockTransport,
    clock: FakeClock,
    *,
    page_limit: int = 50,
    kill: KillHook = no_kill,
    concurrency: int = 1,
    seed: int = 0,
    token_refresher: Callable[[], str | None] | None = None,
) -> SyncEngine:
    transport = network if isinstance(network, httpx.MockTransport) else httpx.MockTransport(network.handler)
    token = network.backend.token if isinstance(network, FakeNetwork) else "token-1"
    client = SyncClient(BASE_URL, token, transport=transport, now=clock.now)
    refresher = (lambda: network.backend.token) if isinstance(network, FakeNetwork) else token_refresher
    return SyncEngine(
        store,
        client,
        clock,
        token_refresher=refresher,
        rng=random.Random(seed),
        page_limit=page_limit,
        kill=kill,
        concurrency=concurrency,
    )


@pytest.fixture(scope="session")
def template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("template")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def backend(clock: FakeClock) -> FakeBackend:
    server = FakeBackend(clock)
    server.seed()
    return server


@pytest.fixture
def network(backend: FakeBackend) -> FakeNetwork:
    return FakeNetwork(backend)


@pytest.fixture
def store(tmp_path: Path, template_dir: Path) -> Iterator[Store]:
    opened = fresh_store(tmp_path, base=template_dir)
    yield opened
    opened.close()


@pytest.fixture
def engine(store: Store, network: FakeNetwork, clock: FakeClock) -> Iterator[SyncEngine]:
    made = make_engine(store, network, clock)
    yield made
    made.client.close()
