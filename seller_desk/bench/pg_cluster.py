"""A throwaway PostgreSQL cluster for the benchmarks: initdb in a temp dir, one postmaster, removed after.

The same recipe as the test suite's (``tests/backend/postgres_server.py``), which the package cannot
import: Debian's binaries under ``/usr/lib/postgresql/<major>/bin`` (or PATH), run as ``postgres`` (or
``nobody``) when we are root, listening on 127.0.0.1 with trust authentication and fsync off.
``find_bin_dir()`` is None when PostgreSQL is not installed; the benchmark then reports a skip.
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
from pathlib import Path

from seller_desk.bench.sync_feed import free_port


def find_bin_dir() -> Path | None:
    def major(directory: str) -> int:
        with contextlib.suppress(ValueError):
            return int(Path(directory).parent.name.split(".")[0])
        return 0

    for directory in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=major, reverse=True):
        if Path(directory, "initdb").exists() and Path(directory, "postgres").exists():
            return Path(directory)
    initdb, postgres = shutil.which("initdb"), shutil.which("postgres")
    if initdb and postgres and Path(initdb).parent == Path(postgres).parent:
        return Path(initdb).parent
    return None


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' user exists")


@contextmanager
def postgres_cluster(bin_dir: Path) -> Iterator[str]:
    """Yields the SQLAlchemy URL of a fresh database ``bench`` on a private cluster."""
    import psycopg

    user, port = _run_as(), free_port()
    root = Path(tempfile.mkdtemp(prefix="seller-desk-bench-pg-"))
    process: subprocess.Popen[bytes] | None = None
    try:
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(root, entry.pw_uid, entry.pw_gid)
        subprocess.run(
            [str(bin_dir / "initdb"), "-D", str(root / "data"), "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--no-sync", "--locale=C"],
            capture_output=True, user=user, cwd=root, check=True, timeout=120,
        )  # fmt: skip
        process = subprocess.Popen(
            [str(bin_dir / "postgres"), "-D", str(root / "data"), "-h", "127.0.0.1", "-p", str(port),
             "-k", str(root), "-c", "fsync=off", "-c", "max_connections=200"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, user=user, cwd=root,
        )  # fmt: skip
        dsn = f"host=127.0.0.1 port={port} user=postgres dbname=postgres"
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"postgres exited with {process.returncode}")
            try:
                with psycopg.connect(dsn, connect_timeout=2, autocommit=True) as conn:
                    conn.execute('CREATE DATABASE "bench"')
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/bench"
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)
