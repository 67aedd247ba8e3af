"""The ``refund_queue_open`` benchmark opens the real Refunds screen in a child process and reports
its time beside the raw first-page query (on a small store here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from seller_desk.bench import refund_queue
from seller_desk.bench.registry import BenchContext


def test_opens_the_screen_over_every_pending_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(refund_queue, "PENDING", 700)
    monkeypatch.setattr(refund_queue, "RUNS", 2)
    (result,) = refund_queue.refund_queue_open(BenchContext(rows=0, work_dir=tmp_path))
    assert result.name == "refund_queue_open_ms" and result.target == 300.0
    assert result.detail["pending"] == 700 and len(result.detail["runs_ms"]) == 2
    assert result.value > 0 and result.baseline is not None and result.baseline > 0
