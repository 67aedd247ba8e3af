"""The PyInstaller bundle, built from this checkout: its smoke test passes, its embedded backend (what
``--demo`` starts) serves, and what the spec leaves out is really out. Slow (about a minute to build);
part of the full suite and of CI."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from seller_desk import __version__
from seller_desk.bench.frozen import build_bundle

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_bundle(tmp_path_factory.mktemp("bundle"))


def _frozen(bundle: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([str(bundle / "seller-desk"), *args], capture_output=True, text=True, env=env,
                          timeout=timeout, check=False)  # fmt: skip


def test_the_frozen_smoke_test_passes_over_a_real_store(
    bundle: Path, small_data_dir: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(small_data_dir, data_dir)
    result = _frozen(bundle, "--smoke", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok  chart" in result.stdout
    assert "ok  trends screen" in result.stdout and "ok  restock screen" in result.stdout
    assert result.stdout.splitlines()[-1].startswith(f"healthy: seller-desk {__version__}")


def test_the_frozen_cli_answers_without_qt(bundle: Path, small_data_dir: Path) -> None:
    assert _frozen(bundle, "--version").stdout.strip() == f"seller-desk {__version__}"
    status = _frozen(bundle, "status", "--json", "--data-dir", str(small_data_dir))
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["returns"] > 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def frozen_backend(bundle: Path, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [str(bundle / "seller-desk"), "backend", "serve", "--db", f"sqlite:///{tmp_path / 'backend.sqlite3'}",
         "--host", "127.0.0.1", "--port", str(port), "--simulate"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_frozen_backend_serves_what_demo_needs(frozen_backend: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            answer = httpx.get(f"{frozen_backend}/openapi.json", timeout=2)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    assert answer.status_code == 200
    assert "/v1/changes" in answer.json()["paths"]


def test_what_the_spec_leaves_out_is_out(bundle: Path) -> None:
    inner = bundle / "_internal"
    assert (bundle / "VERSION").read_text().strip() == __version__
    assert (bundle / "seller-desk.desktop").is_file()
    assert (inner / "resources" / "icons" / "seller-desk.svg").is_file()
    assert (inner / "seller_desk" / "store" / "migrations" / "versions").is_dir()
    assert (inner / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so").is_file()
    for absent in ("psycopg_binary", "PySide6/Qt/translations", "PySide6/Qt/plugins/qmltooling",
                   "matplotlib/mpl-data/sample_data", "PySide6/Qt/lib/libQt6Pdf.so.6"):  # fmt: skip
        assert not (inner / absent).exists(), absent


def test_the_frozen_startup_benchmark_measures_both_launches(bundle: Path, tmp_path: Path) -> None:
    env = {**os.environ, "SELLER_DESK_BUNDLE": str(bundle)}
    done = subprocess.run(
        [sys.executable, "-m", "seller_desk.bench", "frozen_startup", "--rows", "2000", "--json",
         "--store", str(tmp_path / "store")],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )  # fmt: skip
    results = {r["name"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert set(results) == {"frozen_launch_s", "frozen_vs_source", "bundle_mb"}, done.stderr
    launch = results["frozen_launch_s"]
    assert 0 < launch["value"] < 30 and 0 < launch["baseline"] < 30
    assert len(launch["detail"]["frozen_s"]) == len(launch["detail"]["source_s"]) == 5
    assert results["frozen_vs_source"]["target_on"] == "ratio"
    parts = results["bundle_mb"]["detail"]["largest_parts_mb"]
    assert "PySide6/Qt/lib" in parts and results["bundle_mb"]["value"] > sum(parts.values()) * 0.5
