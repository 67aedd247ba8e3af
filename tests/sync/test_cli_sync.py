"""``seller-desk connect``, ``sync`` and ``status --json`` from outside, as a script or cron job runs them,
against the fake backend on a real socket (HTTP and HTTPS)."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from seller_desk.store.migrate import open_store
from seller_desk.sync.clock import FakeClock
from tests.sync.fakes import FakeBackend
from tests.sync.helpers import approval, decide, scalar, status_of
from tests.sync.http_backend import BackendServer, make_ca_and_server_cert

ENV = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}  # never the developer's real keyring
ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "seller_desk", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=120,
        check=False,
    )


@pytest.fixture
def backend() -> FakeBackend:
    server = FakeBackend(FakeClock())
    server.seed()
    return server


@pytest.fixture
def served(backend: FakeBackend) -> Iterator[BackendServer]:
    with BackendServer(backend) as server:
        yield server


def token_file(tmp_path: Path, token: str) -> str:
    path = tmp_path / "token.txt"
    path.write_text(token + "\n")
    return str(path)


def status(data: Path) -> dict[str, object]:
    result = cli("status", "--json", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_connect_reports_a_refused_token_and_saves_nothing(served: BackendServer, tmp_path: Path) -> None:
    data = tmp_path / "desk"
    result = cli(
        "connect",
        "--backend",
        served.url,
        "--token-file",
        token_file(tmp_path, "wrong"),
        "--data-dir",
        str(data),
    )
    assert result.returncode == 1
    assert "refused this token (401 Unauthorized)" in result.stderr and "nothing was saved" in result.stderr
    assert status(data)["backend"] is None
    assert not (data / "config" / "credentials.json").exists()


def test_connect_then_sync_once(served: BackendServer, backend: FakeBackend, tmp_path: Path) -> None:
    data = tmp_path / "desk"
    result = cli(
        "connect",
        "--backend",
        served.url + "/",
        "--token-file",
        "-",
        "--data-dir",
        str(data),
        "--json",
        stdin=backend.token,
    )
    assert result.returncode == 0, result.stderr
    connected = json.loads(result.stdout)
    assert connected["backend"] == served.url and connected["checked"] is True
    credentials = data / "config" / "credentials.json"
    assert connected["token_stored_in"] == str(credentials)
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert backend.token not in (data / "seller-desk.sqlite3").read_bytes().decode("latin-1")

    result = cli("sync", "--once", "--json", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["drained"] and summary["pulled_changes"] > 0 and summary["error"] is None
    now = status(data)
    assert now["backend"] == served.url and now["last_sync_at"] is not None
    assert now["refund_requests"] == {"pending": len(backend.request_ids())}

    store = open_store(data / "seller-desk.sqlite3")
    try:
        mid = decide(store, 100, approval(11, 500, backend.clock.now()), backend.clock.now())
    finally:
        store.close()
    assert status(data)["pending_mutations"] == 1
    result = cli("sync", "--once", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    assert "acknowledged 1" in result.stdout
    assert backend.applications[mid] == 1
    assert status(data) | {"last_sync_at": None} == {
        "returns": 4,
        "refund_requests": {"pending": 4, "approved": 1},
        "pending_mutations": 0,
        "conflicts": 0,
        "last_sync_at": None,
        "rejected_mutations": 0,
        "backend": served.url,
        "last_sync_error": None,
    }


def test_sync_once_exits_1_when_the_backend_is_unreachable(
    served: BackendServer, backend: FakeBackend, tmp_path: Path
) -> None:
    data = tmp_path / "desk"
    assert (
        cli("connect", "--backend", served.url, "--token", backend.token, "--data-dir", str(data)).returncode
        == 0
    )
    gone = "http://127.0.0.1:9"  # the discard port: nothing listens
    result = cli("sync", "--once", "--backend", gone, "--data-dir", str(data))
    assert result.returncode == 1
    assert "no token for http://127.0.0.1:9" in result.stderr
    assert (
        cli("connect", "--backend", gone, "--token", "t", "--no-check", "--data-dir", str(data)).returncode
        == 0
    )
    result = cli("sync", "--once", "--data-dir", str(data))
    assert result.returncode == 1 and "unreachable" in result.stderr, result.stderr
    assert "cannot reach" in str(status(data)["last_sync_error"])


def test_sync_without_a_connection_says_how_to_connect(tmp_path: Path) -> None:
    result = cli("sync", "--once", "--data-dir", str(tmp_path))
    assert result.returncode == 1 and "seller-desk connect --backend URL" in result.stderr


def test_connect_refuses_a_bad_url(tmp_path: Path) -> None:
    result = cli("connect", "--backend", "ftp://x", "--token", "t", "--data-dir", str(tmp_path))
    assert result.returncode == 1 and "not a backend URL" in result.stderr


def test_https_with_a_private_ca(backend: FakeBackend, tmp_path: Path) -> None:
    pytest.importorskip("cryptography")
    ca_file, context = make_ca_and_server_cert(tmp_path)
    data = tmp_path / "desk"
    with BackendServer(backend, tls=context) as server:
        untrusted = cli("connect", "--backend", server.url, "--token", backend.token, "--data-dir", str(data))
        assert untrusted.returncode == 1 and "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
        trusted = cli(
            "connect",
            "--backend",
            server.url,
            "--token",
            backend.token,
            "--ca-file",
            str(ca_file),
            "--data-dir",
            str(data),
        )
        assert trusted.returncode == 0, trusted.stderr
        result = cli("sync", "--once", "--data-dir", str(data))
        assert result.returncode == 0, result.stderr
    assert status(data)["refund_requests"] == {"pending": 5}


def test_a_sync_killed_at_any_moment_resumes(
    served: BackendServer, backend: FakeBackend, tmp_path: Path
) -> None:
    """The background ``sync`` is SIGKILLed while it works, then ``sync --once`` finishes the job: every
    act is applied exactly once (fault 1 and 9 with real processes, against the fake backend)."""
    data = tmp_path / "desk"
    assert (
        cli("connect", "--backend", served.url, "--token", backend.token, "--data-dir", str(data)).returncode
        == 0
    )
    assert cli("sync", "--once", "--data-dir", str(data)).returncode == 0
    store = open_store(data / "seller-desk.sqlite3")
    try:
        mids = [
            decide(store, r, approval(r // 100 * 10 + 2, 100, backend.clock.now()), backend.clock.now())
            for r in (200, 300, 400)
        ]
    finally:
        store.close()
    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT)}
    for delay in (0.5, 0.8, 1.1, 1.4):
        process = subprocess.Popen(
            [sys.executable, "-m", "seller_desk", "sync", "--data-dir", str(data)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert cli("sync", "--once", "--data-dir", str(data)).returncode == 0
    store = open_store(data / "seller-desk.sqlite3")
    try:
        assert [status_of(store, m) for m in mids] == ["acknowledged"] * 3
        assert scalar(store, "SELECT count(*) FROM mutations WHERE status IN ('queued', 'sending')") == 0
    finally:
        store.close()
    assert all(backend.applications[m] == 1 for m in mids)


def test_sync_loop_stops_cleanly_on_sigterm(
    served: BackendServer, backend: FakeBackend, tmp_path: Path
) -> None:
    data = tmp_path / "desk"
    assert (
        cli("connect", "--backend", served.url, "--token", backend.token, "--data-dir", str(data)).returncode
        == 0
    )
    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "seller_desk", "sync", "--data-dir", str(data)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while status(data)["last_sync_at"] is None and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "sync stopped" in err
