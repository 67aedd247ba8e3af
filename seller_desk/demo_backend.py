"""``seller-desk --demo``: a private backend with the marketplace simulator, on loopback, for this desk.

The launcher is headless (no Qt), so it is tested on its own and the GUI runs it on an I/O thread:

1. start ``python -m seller_desk backend serve --db <data dir>/demo-backend.sqlite3 --port P
   <SIMULATOR_FLAGS>`` as a child in its own process group, on the port of the previous demo run if
   it is free (so the stored token's URL still holds), else on a fresh free loopback port;
2. poll until it answers (an unauthenticated ``GET /v1/changes`` answered 401 proves it is up), with
   a timeout and an error that quotes the child's log;
3. reuse the token of the previous demo run when the backend still accepts it, else create one with
   ``backend token create --seller demo --device <hostname>-demo`` and read it from stdout;
4. connect the store by running ``seller-desk connect`` itself (the token through stdin, never the
   command line), so the token lands in the keyring or the data dir's private credentials file exactly
   as a manual connect would;
5. ``stop()`` ends the child's whole process group; so does ``atexit``, and on Linux the child also
   gets SIGTERM from the kernel if this process dies without running either (``PR_SET_PDEATHSIG``).

Nothing secret is written by the launcher itself: ``demo-backend.json`` remembers only the URL.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from seller_desk.paths import resolve_paths
from seller_desk.sync.client import SyncClient
from seller_desk.sync.credentials import CredentialStore
from seller_desk.sync.results import ChangesReceived, Retryable, Unauthorized

log = logging.getLogger(__name__)

DEMO_DB = "demo-backend.sqlite3"
DEMO_STATE = "demo-backend.json"
DEMO_LOG = "demo-backend.log"
DEMO_SELLER = "demo"
# The simulator's flags for ``backend serve``: five simulated minutes a second and a busy shop, so an
# order comes in every two seconds, a return every ten, and a return parcel crosses the country in a
# quarter of an hour. The simulated clock runs ahead of the wall clock (two days after ten minutes):
# the price of a demo that moves.
SIMULATOR_FLAGS: tuple[str, ...] = ("--simulate", "--speed", "300", "--orders-per-day", "150")
START_TIMEOUT_S = 45.0
STOP_TIMEOUT_S = 10.0
POLL_S = 0.1


def seller_desk_command() -> list[str]:
    """How to run this same Seller Desk as a child: the bundle's own executable when frozen
    (PyInstaller: there is no ``python -m`` inside a bundle), else this interpreter with ``-m``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "seller_desk"]


class DemoError(Exception):
    """The demo backend could not be started or connected; the message says why and where to look."""


@dataclass(frozen=True, slots=True)
class DemoConnection:
    url: str
    pid: int
    token_reused: bool
    simulating: bool


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_free(port: int) -> bool:
    """Free for a server: like uvicorn, ignore connections of the last run still in TIME_WAIT."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _load_prctl() -> Callable[..., int] | None:
    """libc's ``prctl``, resolved once here: after a fork only the call itself may run in the child."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


_PRCTL = _load_prctl()
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the thread that started it ends, i.e. when the app dies."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, int(signal.SIGTERM))


class DemoBackend:
    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        serve_flags: tuple[str, ...] = SIMULATOR_FLAGS,
        start_timeout: float = START_TIMEOUT_S,
    ) -> None:
        self.paths = resolve_paths(data_dir)
        self.serve_flags = serve_flags
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self._cancel = threading.Event()
        self._atexit_registered = False

    @property
    def db_path(self) -> Path:
        return self.paths.data_dir / DEMO_DB

    @property
    def log_path(self) -> Path:
        return self.paths.data_dir / DEMO_LOG

    # --- the steps ------------------------------------------------------------------------------------
    def start(self) -> DemoConnection:
        """Start, wait, make or reuse the token, connect the store; raise ``DemoError`` saying why not."""
        self.paths.data_dir.mkdir(parents=True, exist_ok=True)
        previous = self._previous_url()
        old_port = int(previous.rsplit(":", 1)[1]) if previous else 0
        port = old_port if old_port and _port_free(old_port) else 0
        url = self._serve(port or free_loopback_port(), self.serve_flags)
        simulating = "--simulate" in self.serve_flags
        credentials = CredentialStore(self.paths.config_dir)
        token = credentials.load(url) or (credentials.load(previous) if previous else None)
        reused = token is not None and self._accepts(url, token)
        if not reused:
            token = self._create_token()
        assert token is not None
        self._connect(url, token)
        if previous and previous != url:
            credentials.delete(previous)
        (self.paths.data_dir / DEMO_STATE).write_text(json.dumps({"url": url}), encoding="utf-8")
        assert self.process is not None
        return DemoConnection(url, self.process.pid, reused, simulating)

    def _previous_url(self) -> str | None:
        try:
            url = json.loads((self.paths.data_dir / DEMO_STATE).read_text(encoding="utf-8")).get("url")
        except (OSError, ValueError, AttributeError):
            return None
        return url if isinstance(url, str) and url.startswith("http://127.0.0.1:") else None

    def _serve(self, port: int, flags: tuple[str, ...]) -> str:
        """Start the child and wait until it answers."""
        command = [*seller_desk_command(), "backend", "serve", "--db", str(self.db_path),
                   "--host", "127.0.0.1", "--port", str(port), *flags]  # fmt: skip
        with self.log_path.open("wb") as log_file:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() ends it and anything it starts
                preexec_fn=_die_with_parent if _PRCTL is not None else None,
            )
        if not self._atexit_registered:
            atexit.register(self.stop)
            self._atexit_registered = True
        url = f"http://127.0.0.1:{port}"
        try:
            self._wait_ready(url)
        except BaseException:
            self.stop()
            raise
        return url

    def _wait_ready(self, url: str) -> None:
        deadline = time.monotonic() + self.start_timeout
        with SyncClient(url, None, timeout=2.0) as probe:
            while True:
                assert self.process is not None
                code = self.process.poll()
                if code is not None:
                    tail = self._log_tail()
                    raise DemoError(
                        f"the demo backend exited with code {code}; its log {self.log_path} "
                        f"ends with:\n{tail}"
                    )
                if self._cancel.is_set():
                    raise DemoError("the demo backend's start was cancelled")
                answer = probe.get_changes(None, 1)
                if isinstance(answer, Unauthorized | ChangesReceived):
                    return
                if time.monotonic() > deadline:
                    raise DemoError(
                        f"the demo backend did not answer on {url} within "
                        f"{self.start_timeout:.0f} s; see {self.log_path}"
                    )
                time.sleep(POLL_S)

    def _log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-2000:]
        except OSError:
            return "(no log)"

    @staticmethod
    def _accepts(url: str, token: str) -> bool:
        with SyncClient(url, token, timeout=5.0) as client:
            answer = client.get_changes(None, 1)
        if isinstance(answer, Retryable):
            raise DemoError(f"the demo backend on {url} stopped answering: {answer.message}")
        return isinstance(answer, ChangesReceived)

    def _run_cli(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [*seller_desk_command(), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise DemoError(
                f"seller-desk {args[0]} {args[1]} failed ({done.returncode}): {done.stderr.strip()[-1000:]}"
            )
        return done.stdout

    def _create_token(self) -> str:
        device = f"{socket.gethostname() or 'desk'}-demo"
        out = self._run_cli(
            "backend",
            "token",
            "create",
            "--db",
            str(self.db_path),
            "--seller",
            DEMO_SELLER,
            "--device",
            device,
        )
        lines = [line.strip() for line in out.splitlines() if line.strip()]
        if not lines or any(c.isspace() for c in lines[0]):
            raise DemoError(f"backend token create printed no token (stdout: {out[:200]!r})")
        return lines[0]

    def _connect(self, url: str, token: str) -> None:
        self._run_cli(
            "connect",
            "--data-dir",
            str(self.paths.data_dir),
            "--backend",
            url,
            "--token-file",
            "-",
            stdin=token,
        )

    def stop(self) -> None:
        """End the child's process group (SIGTERM, then SIGKILL after ``STOP_TIMEOUT_S``); idempotent."""
        self._cancel.set()
        process = self.process
        if process is None or process.poll() is not None:
            return
        if os.name != "posix":
            process.terminate()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            if os.name != "posix":
                process.kill()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_TIMEOUT_S)
