"""Same (N, seed, today) -> the same bytes in every table; another seed -> another history."""

from __future__ import annotations

from pathlib import Path

import pytest

from seller_desk.demo import writer

from .support import dump, seeded


def test_same_seed_and_day_give_identical_tables(tmp_path: Path) -> None:
    first, _ = seeded(tmp_path / "a", 3_000, seed=11)
    second, _ = seeded(tmp_path / "b", 3_000, seed=11)
    assert dump(first) == dump(second)


def test_another_seed_gives_another_history(tmp_path: Path) -> None:
    first, _ = seeded(tmp_path / "a", 3_000, seed=11)
    other, _ = seeded(tmp_path / "b", 3_000, seed=12)
    a, b = dump(first), dump(other)
    different = [table for table in a if a[table] != b[table]]
    assert {"returns", "orders", "tracking_events", "refund_requests", "skus"} <= set(different)


def test_parallel_load_writes_the_same_rows_as_a_serial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial, _ = seeded(tmp_path / "serial", 3_000, seed=5)
    monkeypatch.setattr(writer, "PARALLEL_MIN_RETURNS", 0)
    parallel, _ = seeded(tmp_path / "parallel", 3_000, seed=5)
    assert dump(parallel) == dump(serial)
    assert not list((tmp_path / "parallel").glob("*.seed-scratch*")), "the helper's scratch file is removed"
