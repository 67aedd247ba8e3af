"""`seller-desk seed` and `seller-desk status` end to end, in a subprocess like a user would run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import seller_desk


def _run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(seller_desk.__file__).parents[1])}
    env.pop("SELLER_DESK_HOME", None)
    return subprocess.run(
        [sys.executable, "-m", "seller_desk", *args, "--data-dir", str(data_dir)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def test_seed_then_status(tmp_path: Path) -> None:
    seeded = _run("seed", "--returns", "2000", "--json", data_dir=tmp_path)
    assert seeded.returncode == 0, seeded.stderr
    summary = json.loads(seeded.stdout)
    assert summary["returns"] == 2000
    assert summary["seed"] == 1
    assert summary["rows"]["returns"] == 2000
    assert summary["rows"]["skus"] == 40
    assert summary["today"]
    assert summary["seconds"] > 0

    status = _run("status", "--json", data_dir=tmp_path)
    assert status.returncode == 0, status.stderr
    counts = json.loads(status.stdout)
    assert counts["returns"] == 2000
    assert sum(counts["refund_requests"].values()) == summary["rows"]["refund_requests"]
    assert counts["refund_requests"]["completed"] > 0
    assert counts["refund_requests"]["pending"] > 0
    assert counts["pending_mutations"] == 0


def test_seeding_twice_fails_with_a_clear_message(tmp_path: Path) -> None:
    assert _run("seed", "--returns", "300", "--json", data_dir=tmp_path).returncode == 0
    again = _run("seed", "--returns", "300", data_dir=tmp_path)
    assert again.returncode == 1
    assert "already holds 300 returns; pass --replace to overwrite" in again.stderr
    replaced = _run("seed", "--returns", "400", "--seed", "2", "--replace", "--json", data_dir=tmp_path)
    assert replaced.returncode == 0, replaced.stderr
    assert json.loads(_run("status", "--json", data_dir=tmp_path).stdout)["returns"] == 400
