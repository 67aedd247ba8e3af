"""A throwaway PostgreSQL server: initdb in a temp dir, one postmaster, torn down. Used by the
benchmarks (``sync_fanout``) and by the test suite's PostgreSQL half.

The server binaries come from Debian's ``postgresql`` package (``/usr/lib/postgresql/<major>/bin``) or
PATH; ``find_bin_dir()`` is None when they are absent (the tests then skip, the benchmark reports a
skip). PostgreSQL refuses to run as root, so as root the cluster is created and run as the
``postgres`` user (made by the Debian package) or else ``nobody``, in a directory owned by that user.
The server listens on 127.0.0.1 on a free port, with ``trust`` authentication and durability off
(fsync) — it is thrown away at the end.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from seller_desk.bench.sync_feed import free_port

START_TIMEOUT_S = 30.0


def find_bin_dir() -> Path | None:
    """The directory holding initdb and postgres, newest major version first; None when absent."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_major, reverse=True)
    for directory in candidates:
        if Path(directory, "initdb").exists() and Path(directory, "postgres").exists():
            return Path(directory)
    initdb, postgres = shutil.which("initdb"), shutil.which("postgres")
    if initdb and postgres and Path(initdb).parent == Path(postgres).parent:
        return Path(initdb).parent
    return None


def _major(directory: str) -> int:
    try:
        return int(Path(directory).parent.name.split(".")[0])
    except ValueError:
        return 0


def _run_as() -> str | None:
    """The user to run PostgreSQL as: None when we are not root, else 'postgres' or 'nobody'."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' user exists")


@dataclass
class PostgresServer:
    bin_dir: Path
    root: Path
    port: int
    user: str | None
    process: subprocess.Popen[bytes] | None = None

    @classmethod
    def start(cls, bin_dir: Path) -> PostgresServer:
        user = _run_as()
        root = Path(tempfile.mkdtemp(prefix="seller-desk-pg-"))
        server = cls(bin_dir=bin_dir, root=root, port=free_port(), user=user)
        try:
            server._init_and_run()
        except BaseException:
            server.stop()
            raise
        return server

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self._dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def _dsn(self, database: str) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def _init_and_run(self) -> None:
        data = self.root / "data"
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        log = self.root / "initdb.log"
        with log.open("wb") as out:
            result = subprocess.run(
                [str(self.bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                 "-E", "UTF8", "--no-sync", "--locale=C"],
                stdout=out, stderr=subprocess.STDOUT, user=self.user, cwd=self.root, check=False,
                timeout=120,
            )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed ({result.returncode}): {log.read_text(errors='replace')}")
        server_log = (self.root / "server.log").open("wb")
        self.process = subprocess.Popen(
            [str(self.bin_dir / "postgres"), "-D", str(data), "-h", "127.0.0.1", "-p", str(self.port),
             "-k", str(self.root), "-c", "fsync=off", "-c", "synchronous_commit=off",
             "-c", "full_page_writes=off", "-c", "max_connections=200"],
            stdout=server_log, stderr=subprocess.STDOUT, user=self.user, cwd=self.root,
        )  # fmt: skip
        server_log.close()
        self._wait_ready()

    def _wait_ready(self) -> None:
        import psycopg

        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"postgres exited: {self.log_tail()}")
            try:
                with psycopg.connect(self._dsn("postgres"), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"postgres did not accept connections: {self.log_tail()}") from None
                time.sleep(0.1)

    def log_tail(self) -> str:
        path = self.root / "server.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # "fast" shutdown
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def postgres_cluster(bin_dir: Path) -> Iterator[str]:
    """Yields the SQLAlchemy URL of a fresh database ``bench`` on a private cluster."""
    server = PostgresServer.start(bin_dir)
    try:
        yield server.create_database("bench")
    finally:
        server.stop()
