"""The trends benchmarks run on a small store and report their baselines (the figures come from 1 M)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def test_trends_benchmarks_report_against_their_baselines(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "seller_desk.bench", "trends_weekly", "trends_redraw", "--rows", "2000",
         "--json", "--store", str(tmp_path)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    results = {r["name"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert set(results) == {
        "trends_weekly[all time]", "trends_weekly_ratio[all time]", "trends_weekly[last 52 weeks]",
        "trends_weekly_ratio[last 52 weeks]", "trends_redraw",
    }  # fmt: skip
    weekly = results["trends_weekly[all time]"]
    assert weekly["detail"]["rows"] > 0 and set(weekly["detail"]["raw_ms"]) == {
        "covering index", "forced index", "strftime",
    }  # fmt: skip
    assert weekly["baseline"] == min(weekly["detail"]["raw_ms"].values()) or weekly[
        "baseline"
    ] == pytest.approx(min(weekly["detail"]["raw_ms"].values()), abs=0.01)
    assert results["trends_weekly_ratio[all time]"]["target_on"] == "ratio"
    redraw = results["trends_redraw"]
    assert redraw["value"] > 0 and redraw["baseline"] > 0 and redraw["detail"]["reasons"] > 5
