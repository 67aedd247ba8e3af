"""The ``restock_plan`` benchmark runs on any store and reports both figures with their baselines."""

from __future__ import annotations

from pathlib import Path

from seller_desk.bench.registry import BenchContext
from seller_desk.bench.restock import restock_plan
from tests.fixtures.restock_data import RETURNS, build_restock_store


def test_restock_plan_reports_the_full_plan_and_the_replan(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    build_restock_store(data_dir)
    ctx = BenchContext(rows=len(RETURNS), work_dir=tmp_path, reuse_store=data_dir)  # reused, not seeded
    results = {result.name: result for result in restock_plan(ctx)}
    assert set(results) == {"restock_plan", "restock_replan"}
    for result in results.values():
        assert result.value > 0 and result.baseline is not None and result.baseline > 0
        assert result.target == 1.0 and result.ok is not None
        assert result.detail["skus"] == 3
    assert "3" in results["restock_plan"].detail["baseline_is"]
