"""The ``refund_approvals`` benchmark builds its own store, approves for real and reports both figures."""

from __future__ import annotations

from pathlib import Path

from seller_desk.bench.refund_approvals import BULK, refund_approvals
from seller_desk.bench.registry import BenchContext


def test_reports_one_approval_and_the_bulk_against_raw_inserts(tmp_path: Path) -> None:
    results = {r.name: r for r in refund_approvals(BenchContext(rows=0, work_dir=tmp_path))}
    assert set(results) == {"refund_approve_one_ms", "refund_approve_bulk_s"}
    one, bulk = results["refund_approve_one_ms"], results["refund_approve_bulk_s"]
    assert (one.target, bulk.target) == (20.0, 2.0)
    for result in (one, bulk):
        assert result.value > 0 and result.baseline is not None and result.baseline > 0
    assert bulk.detail["approvals"] == BULK  # it raises unless every one of them was approved
