"""``python -m seller_desk.bench`` keeps the CLI.md contract: one JSON object per line, with the
baseline measured in the same run and a verdict against the target."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIELDS = {"name", "value", "unit", "baseline", "ratio", "target", "ok"}


@pytest.mark.slow
def test_bench_json_lines_on_a_small_store(tmp_path: Path) -> None:
    from seller_desk.bench.runner import BENCHMARKS

    # Every benchmark but two with a size of their own: the bundle's, which builds with PyInstaller
    # (tests/packaging runs it on the bundle it builds anyway), and the 500,000-row import (about a
    # minute here; tests/bench/test_imports_bench.py runs it scaled down).
    chosen = [name for name in BENCHMARKS if name not in ("frozen_startup", "import_flat")]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "seller_desk.bench",
            "--rows",
            "3000",
            "--json",
            "--store",
            str(tmp_path),
            *chosen,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    names = {r["name"] for r in results}
    assert {"seed_seconds", "startup_to_painted_returns", "peak_rss_returns_open"} <= names
    assert any(n.startswith("returns_page[") for n in names)
    assert {"returns_search[search an RMA]", "returns_jump_painted_max", "returns_peak_rss"} <= names
    painted = {n for n in names if n.startswith("returns_painted[")}
    assert {"returns_painted[quick: stalled]", "returns_painted[search a tracking number]"} <= painted
    for result in results:
        assert result.keys() >= FIELDS, result
        if "skipped" in result.get("detail", {}):  # e.g. sync_fanout without PostgreSQL: said, not failed
            continue
        assert result["value"] > 0, result
        if result["baseline"]:
            assert result["ratio"] == pytest.approx(result["value"] / result["baseline"], rel=0.01)
        if result["target"] is not None:
            assert isinstance(result["ok"], bool)
    startup = next(r for r in results if r["name"] == "startup_to_painted_returns")
    assert startup["detail"]["rows"] == 3000
    assert startup["detail"]["pandas_or_matplotlib_imported"] is False


def test_unknown_benchmark_is_a_usage_error() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "seller_desk.bench", "no_such_bench"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "unknown benchmark" in done.stderr
