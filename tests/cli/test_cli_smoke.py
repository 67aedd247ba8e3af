"""``seller-desk --smoke`` from source: every check printed, exit 0; a broken store makes it exit 1 with
the reason (the frozen bundle runs the same command in tests/packaging)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tests.cli.test_cli_contract import run_cli

SCREENS = ("returns", "shipments", "refunds", "sync", "trends", "restock")


def test_smoke_builds_every_screen_and_draws_a_chart(small_data_dir: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(small_data_dir, data_dir)
    before = (data_dir / "seller-desk.sqlite3").read_bytes()
    result = run_cli("--smoke", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ok  new store: schema ")
    assert lines[1].startswith(f"ok  upgrade of a copy: {data_dir / 'seller-desk.sqlite3'}: schema ")
    assert lines[2].startswith("ok  holiday calendars: ")
    for screen in SCREENS:
        assert any(line.startswith(f"ok  {screen} screen (") for line in lines), screen
    chart = next(line for line in lines if line.startswith("ok  chart"))
    assert int(chart.rsplit(", ", 1)[1].split()[0]) >= 8  # colours: a drawing, not a blank canvas
    assert lines[-1].startswith("healthy: seller-desk ")
    assert (data_dir / "seller-desk.sqlite3").read_bytes() == before  # the seller's store is only read


def test_smoke_fails_loudly_on_a_store_it_cannot_open(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with sqlite3.connect(data_dir / "seller-desk.sqlite3") as conn:
        conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
        conn.execute("INSERT INTO alembic_version VALUES ('9999')")
    result = run_cli("--smoke", "--data-dir", str(data_dir))
    assert result.returncode == 1
    assert "FAIL NewerStoreError" in result.stderr
    assert "newer version" in result.stderr
    assert "healthy" not in result.stdout
