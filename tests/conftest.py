"""Suite-wide test hygiene (ARCHITECTURE.md examples 8 and 9).

- Qt renders offscreen: set before anything can import Qt, so no test needs a display.
- A test that leaves a thread running fails: a worker still alive after its test can touch the next
  test's objects or a destroyed QApplication (napari's conftest does the same for QThreads).
- Stores live in ``tmp_path``; nothing touches the real home (``SELLER_DESK_HOME`` points away).
- No first-run welcome waits for a click, in this process or in the app processes tests start
  (``SELLER_DESK_NO_WELCOME``; the offscreen platform alone also keeps it away).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SELLER_DESK_NO_WELCOME", "1")

import pytest

from tests.fixtures.returns_data import seeded_data_dir

THREAD_GRACE_S = 2.0


def pytest_configure(config: pytest.Config) -> None:
    """Guard the whole run against PySide6 6.12.0's None/True reference leak (seller_desk.ui.qt_compat):
    pytest-qt alone makes thousands of void Qt calls and signal emissions per test file."""
    from seller_desk.ui.qt_compat import protect_singleton_refcounts

    protect_singleton_refcounts()


@pytest.fixture(autouse=True)
def _no_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's own home: what one test's window remembers (filters, layouts) never reaches another."""
    monkeypatch.setenv("SELLER_DESK_HOME", str(tmp_path / "home"))


def _qt_pool_active() -> int:
    if "PySide6.QtCore" not in sys.modules:
        return 0
    from PySide6.QtCore import QThreadPool

    return QThreadPool.globalInstance().activeThreadCount()


@pytest.fixture(autouse=True)
def _fail_on_leaked_threads(request: pytest.FixtureRequest) -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + THREAD_GRACE_S
    while True:
        leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        active = _qt_pool_active()
        if (not leaked and not active) or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    if leaked or active:
        names = ", ".join(t.name for t in leaked)
        pytest.fail(
            f"{request.node.nodeid} left threads running: {names or '-'}; Qt pool active: {active}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def small_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with 3 000 seeded returns, shared read-only by the tests that only read."""
    return seeded_data_dir(tmp_path_factory.mktemp("small-store"), 3_000)


@pytest.fixture
def tasks(qtbot: Any, store: Any) -> Iterator[Any]:
    """A task manager over the directory's ``store`` fixture, shut down (threads joined) before the
    thread-leak check; ui/ and workers/ each define which store."""
    from seller_desk.workers import TaskManager

    manager = TaskManager.install(store)
    yield manager
    manager.shutdown(wait=True)
