"""The ``import_flat`` benchmark, scaled down: both files import in their own processes, the floor is
measured in the same run, and memory is compared between the two sizes."""

from __future__ import annotations

from pathlib import Path

import pytest

from seller_desk.bench import imports
from seller_desk.bench.registry import BenchContext


def test_import_flat_reports_time_against_the_floor_and_memory_at_two_sizes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "BIG", 3_000)
    monkeypatch.setattr(imports, "SMALL", 300)
    results = {r.name: r for r in imports.import_flat(BenchContext(rows=0, work_dir=tmp_path))}
    timing, memory = results["import_flat_500k_s"], results["import_peak_rss_mb"]
    assert timing.detail["imported"] == 3_000 and timing.detail["errors"] == 0
    assert timing.detail["progress_updates"] >= 2
    assert timing.baseline is not None and 0 < timing.baseline < timing.value
    assert timing.target == 10.0 and timing.ok is True
    assert memory.value > 20 and memory.baseline is not None and memory.baseline > 20
    assert memory.target_on == "ratio" and memory.ok is not None
