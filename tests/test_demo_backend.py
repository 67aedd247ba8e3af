"""``seller-desk --demo``'s launcher, headless: the backend comes up on loopback, the token it made
works and is reused by the next run, the store is connected, and no child outlives the launcher —
not after ``stop()``, and not when the launching process is killed outright."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from seller_desk.demo_backend import DEMO_DB, DemoBackend, DemoError
from seller_desk.paths import DB_FILENAME, resolve_paths
from seller_desk.store.migrate import open_store
from seller_desk.sync.client import SyncClient
from seller_desk.sync.connection import remembered
from seller_desk.sync.credentials import CredentialStore
from seller_desk.sync.results import ChangesReceived

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _no_real_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("PYTHONPATH", str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def gone(pid: int) -> bool:
    """No such process, or only its zombie is left (it is not our child, so we cannot reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def wait_gone(pid: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if gone(pid):
            return True
        time.sleep(0.05)
    return gone(pid)


def test_start_connects_the_store_and_a_second_run_reuses_the_backend_and_token(tmp_path: Path) -> None:
    first = DemoBackend(tmp_path)  # with the marketplace simulator, as `seller-desk --demo` runs it
    try:
        made = first.start()
        assert made.url.startswith("http://127.0.0.1:") and not made.token_reused and made.simulating
        token = CredentialStore(resolve_paths(tmp_path).config_dir).load(made.url)
        assert token
        tables: set[str] = set()
        cursor = None
        with SyncClient(made.url, token) as client:
            for _ in range(50):  # the seeded history is a few thousand changes
                page = client.get_changes(cursor, 500)
                assert isinstance(page, ChangesReceived)
                tables |= set(page.page.tables)
                cursor = page.page.next_cursor
                if not page.page.has_more:
                    break
        # the simulator seeded the demo seller's history before the backend answered
        assert {"orders", "returns", "refund_requests", "tracking_events"} <= tables
        store = open_store(tmp_path / DB_FILENAME)
        try:
            backend = remembered(store)
        finally:
            store.close()
        assert backend is not None and backend.url == made.url
    finally:
        first.stop()
    assert first.process is not None and first.process.poll() is not None and gone(made.pid)
    assert (tmp_path / DEMO_DB).exists()

    second = DemoBackend(tmp_path, serve_flags=())
    try:
        again = second.start()
        assert again.token_reused and again.url == made.url and again.pid != made.pid
    finally:
        second.stop()
    assert wait_gone(again.pid)


def test_a_backend_that_will_not_start_is_reported_with_its_log(tmp_path: Path) -> None:
    launcher = DemoBackend(tmp_path, serve_flags=("--not-a-serve-flag",))
    with pytest.raises(DemoError, match="exited with code 2") as refused:
        launcher.start()
    assert str(launcher.log_path) in str(refused.value) and "--not-a-serve-flag" in str(refused.value)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_backend_dies_with_a_launcher_that_is_killed(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import time
        from seller_desk.demo_backend import DemoBackend
        made = DemoBackend({str(tmp_path)!r}, serve_flags=()).start()
        print(made.pid, flush=True)
        time.sleep(120)
        """
    )
    launcher = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert launcher.stdout is not None
        child = int(launcher.stdout.readline())
        assert not gone(child)
        launcher.send_signal(signal.SIGKILL)  # no atexit, no finally: only the kernel can tell the child
        launcher.wait(timeout=10)
        assert wait_gone(child), f"demo backend {child} outlived its launcher"
    finally:
        if launcher.poll() is None:
            launcher.kill()
            launcher.wait()


def _demo_returns(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)) as con:
            return int(con.execute("SELECT count(*) FROM returns").fetchone()[0])
    except sqlite3.Error:
        return 0  # not migrated yet


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the backend")
def test_seller_desk_demo_fills_its_own_store_and_leaves_the_sellers_alone(tmp_path: Path) -> None:
    """The Quick start's command, end to end (offscreen): the window syncs from the simulator into the
    demo's own directory; the seller's store is never created; SIGTERM ends app and backend."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen([sys.executable, "-m", "seller_desk", "--demo", "--data-dir", str(tmp_path)],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    demo_db = tmp_path / "demo" / DB_FILENAME
    try:
        deadline = time.monotonic() + 90
        while _demo_returns(demo_db) == 0 and time.monotonic() < deadline and app.poll() is None:
            time.sleep(0.5)
        assert _demo_returns(demo_db) > 0, "no returns synced from the demo backend"
        state = json.loads((tmp_path / "demo" / "demo-backend.json").read_text())
        assert state["url"].startswith("http://127.0.0.1:")
        backend_pids = [
            int(p.name) for p in Path("/proc").iterdir()
            if p.name.isdigit() and _cmdline(p).count(str(tmp_path / "demo" / DEMO_DB))
        ]  # fmt: skip
        assert backend_pids
    finally:
        app.send_signal(signal.SIGTERM)
        output = app.communicate(timeout=60)[0].decode(errors="replace")
    assert app.returncode == 0, output
    assert all(wait_gone(pid) for pid in backend_pids)
    assert not (tmp_path / DB_FILENAME).exists()  # the seller's own store was never touched


def _cmdline(proc: Path) -> str:
    try:
        return (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
