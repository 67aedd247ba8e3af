"""Fixtures of the backend suite: one live server per database kind for the whole session.

``backend`` is parametrized over SQLite and PostgreSQL; pytest runs every test that uses it once per
kind, grouping the tests of one kind so each server starts once. PostgreSQL is skipped — with the
reason — only when its server binaries are not installed (Debian: ``apt-get install postgresql``).
``shop`` gives each test a fresh seller with its own device token and an httpx client.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from seller_desk.backend.store import sqlite_url
from seller_desk.bench.pg_cluster import PostgresServer, find_bin_dir
from tests.backend.live import LiveBackend
from tests.backend.shop import Shop

PG_MISSING = (
    "PostgreSQL server binaries (initdb, postgres) are not installed under /usr/lib/postgresql/*/bin "
    "or on PATH; install Debian's 'postgresql' package to run the PostgreSQL half of the backend suite"
)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip(PG_MISSING)
    server = PostgresServer.start(bin_dir)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveBackend]:
    kind = str(request.param)
    base = tmp_path_factory.mktemp(f"backend-{kind}")
    if kind == "sqlite":
        url = sqlite_url(base / "backend.sqlite3")
    else:
        pg: PostgresServer = request.getfixturevalue("pg_server")
        url = pg.create_database(f"backend_{uuid.uuid4().hex[:8]}")
    live = LiveBackend.start(kind, url, base / "server.log")
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def shop(backend: LiveBackend) -> Iterator[Shop]:
    shop = Shop.open(backend.db, backend.base_url)
    try:
        yield shop
    finally:
        shop.close()


@pytest.fixture
def other_shop(backend: LiveBackend) -> Iterator[Shop]:
    shop = Shop.open(backend.db, backend.base_url)
    try:
        yield shop
    finally:
        shop.close()


@pytest.fixture
def sqlite_db_url(tmp_path: Path) -> str:
    from seller_desk.backend.store import Database, upgrade

    url = sqlite_url(tmp_path / "backend.sqlite3")
    db = Database(url)
    try:
        upgrade(db)
    finally:
        db.dispose()
    return url


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """On a failure, show the tail of the live server's log beside the test's own output."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    live = getattr(item, "funcargs", {}).get("backend")
    if report.failed and isinstance(live, LiveBackend):
        report.sections.append(("live backend log (tail)", live.log_tail()))
