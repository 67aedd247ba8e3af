"""The sync benchmarks keep the JSON contract on tiny inputs: every field, ``ok`` from the target, and
figures that were really measured (positive). Timings themselves are not checked here."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from seller_desk.bench.results import Result
from seller_desk.sync.pull import DEFAULT_PAGE_LIMIT

FIELDS = {"name", "value", "unit", "baseline", "ratio", "target", "target_on", "ok"}


def _ok_from_target(result: dict[str, object]) -> bool | None:
    if result["target"] is None:
        return None
    measured = result["value"] if result["target_on"] == "value" else result["ratio"]
    return measured is not None and measured <= result["target"]  # type: ignore[operator]


@pytest.mark.slow
def test_sync_benchmarks_report_json_on_small_inputs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "seller_desk.bench", "sync_pull", "sync_pull_loopback", "sync_push",
         "sync_fanout", "--rows", "2000", "--json"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    results = {r["name"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert set(results) == {
        "sync_pull_seconds",
        "sync_pull_us_per_change",
        "sync_pull_loopback_us_per_change",
        "sync_push_seconds",
        "sync_fanout_p99_page_ms[sqlite]",
        "sync_fanout_p99_page_ms[postgresql]",
    }
    for result in results.values():
        assert result.keys() >= FIELDS, result
        if "skipped" in result.get("detail", {}):  # PostgreSQL not installed: said so, not failed
            continue
        assert result["value"] > 0, result
        assert result["ok"] == _ok_from_target(result), result
        if result["baseline"] is not None:
            assert result["baseline"] > 0
            assert result["ratio"] == pytest.approx(result["value"] / result["baseline"], rel=0.01)
    pull = results["sync_pull_seconds"]
    assert (pull["target"], pull["target_on"]) == (1.5, "ratio")
    assert pull["detail"]["changes"] == 2000 and pull["detail"]["page_size"] == DEFAULT_PAGE_LIMIT
    assert pull["detail"]["pages"] == -(-2000 // DEFAULT_PAGE_LIMIT)
    assert results["sync_pull_us_per_change"]["target"] == 10.0  # 100,000 changes/s
    assert results["sync_pull_loopback_us_per_change"]["detail"]["changes"] == 2000
    push = results["sync_push_seconds"]
    assert push["detail"]["decisions"] == push["detail"]["acknowledged"] == 20
    assert push["target"] is None  # the 30 s bound is for the full 10,000 decisions
    fanout = results["sync_fanout_p99_page_ms[sqlite]"]
    assert fanout["detail"]["desktops"] == 2
    assert fanout["detail"]["pages"] == 2 * -(-2000 // DEFAULT_PAGE_LIMIT)  # pages of every desktop


def test_a_lower_bound_on_a_rate_is_a_target_on_time_per_change() -> None:
    """``ok`` compares the value with the target: a rate target is expressed as µs per change."""
    assert Result("x", 9.9, "µs", None, 10.0).ok is True
    assert Result("x", 10.1, "µs", None, 10.0).ok is False
