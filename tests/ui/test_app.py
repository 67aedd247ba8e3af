"""The composition root, run as the user runs it: store errors, and the start-up probe's JSON line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from seller_desk.app import run_app

ROOT = Path(__file__).resolve().parents[2]


def test_a_store_that_cannot_be_opened_exits_1_with_the_file_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "seller-desk.sqlite3").write_bytes(b"garbage")
    assert run_app(data_dir=tmp_path) == 1  # offscreen: no dialog, nothing to click
    assert "seller-desk.sqlite3" in capsys.readouterr().err


@pytest.mark.slow
def test_startup_probe_reports_the_first_painted_page_and_a_jump(small_data_dir: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "SELLER_DESK_STARTUP_PROBE": "1",
        "SELLER_DESK_PROBE_JUMP": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "seller_desk", "--data-dir", str(small_data_dir)],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout
    report = json.loads(lines[0])
    assert report["rows"] == 3_000
    assert 0 < report["painted_at_s"] < 10
    assert report["pandas_imported"] is False
    assert report["matplotlib_imported"] is False
    assert report["rss_mb"] > 0
    assert report["jump_ms"] >= 0
