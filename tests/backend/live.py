"""The backend as a real server for the tests: ``seller-desk backend serve`` in a subprocess.

The suite talks to it over loopback with httpx, exactly as a desktop would, and opens the same database
directly (``LiveBackend.db``) to seed data and to check what was stored. The server's output goes to a
log file (a pipe nobody reads could fill and stall it), shown when it fails to start.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from seller_desk.backend.store import Database, upgrade
from seller_desk.bench.sync_feed import free_port

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 45.0


@dataclass
class LiveBackend:
    kind: str  # "sqlite" | "postgresql"
    db_url: str
    base_url: str
    db: Database
    process: subprocess.Popen[bytes]
    log_path: Path

    @classmethod
    def start(
        cls, kind: str, db_url: str, log_path: Path, *, extra_args: tuple[str, ...] = (), port: int = 0
    ) -> LiveBackend:
        """``port`` 0 takes a free one; a restart passes the old one (desktops remember the URL)."""
        db = Database(db_url)
        upgrade(db)  # the server migrates too; doing it here first makes the suite's intent explicit
        port = port or free_port()
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        log = log_path.open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "seller_desk", "backend", "serve", "--db", db_url,
             "--host", "127.0.0.1", "--port", str(port), *extra_args],
            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
        )  # fmt: skip
        log.close()
        scheme = "https" if "--tls-cert" in extra_args else "http"
        live = cls(kind, db_url, f"{scheme}://127.0.0.1:{port}", db, process, log_path)
        try:
            live.wait_ready()
        except BaseException:
            live.stop()
            raise
        return live

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the backend exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.base_url}/openapi.json", timeout=2, verify=False).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the backend did not answer within {START_TIMEOUT_S} s:\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.db.dispose()
