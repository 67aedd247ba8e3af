"""``seller-desk export returns`` as a script runs it (CLI.md)."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from seller_desk.paths import DB_FILENAME
from tests.cli.test_cli_contract import run_cli
from tests.fixtures.returns_data import seeded_data_dir


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_data_dir(tmp_path_factory.mktemp("cli-export"), 800)


def test_a_date_range_to_csv_includes_both_days(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "march.csv"
    days = ["--from", "2026-03-01", "--to", "2026-03-31"]
    result = run_cli(
        "export",
        "returns",
        "--data-dir",
        str(data_dir),
        "--out",
        str(out),
        *days,
        "--json",
        env={"TZ": "UTC"},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"file": str(out), "format": "csv", "rows": result_rows(out)}
    lo, hi = (int(datetime(2026, m, 1, tzinfo=UTC).timestamp()) for m in (3, 4))
    with sqlite3.connect(data_dir / DB_FILENAME) as conn:
        expected = conn.execute(
            "SELECT count(*) FROM returns WHERE requested_at >= ? AND requested_at < ?", (lo, hi)
        ).fetchone()[0]
    assert result_rows(out) == expected > 0


def result_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return sum(1 for _ in csv.DictReader(f))


def test_xlsx_with_a_status(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "closed.xlsx"
    result = run_cli(
        "export", "returns", "--data-dir", str(data_dir), "--out", str(out), "--status", "closed"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("exported ") and str(out) in result.stdout
    sheet = load_workbook(out)["Returns"]
    statuses = {row[8] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert statuses == {"closed"}


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--out", "x.pdf"], 1, "use .csv or .xlsx"),
        (["--out", "x.csv", "--from", "2026-03-10", "--to", "2026-03-01"], 1, "is before --from"),
        (["--out", "x.csv", "--from", "March"], 2, "not a day like"),
        (["--out", "x.csv", "--status", "shipped"], 1, "not a return status"),
    ],
)
def test_bad_requests_say_what_is_wrong(
    data_dir: Path, tmp_path: Path, args: list[str], code: int, says: str
) -> None:
    fixed = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    result = run_cli("export", "returns", "--data-dir", str(data_dir), *fixed)
    assert result.returncode == code and says in result.stderr
    assert not any(tmp_path.iterdir())  # nothing written


def test_trends_export_counts_each_utc_week_and_reason(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "trends.csv"
    result = run_cli(
        "export", "trends", "--data-dir", str(data_dir), "--out", str(out), "--from", "2026-03-02",
        "--to", "2026-03-15", "--json", env={"TZ": "UTC"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert json.loads(result.stdout)["rows"] == len(rows) > 0
    lo = int(datetime(2026, 3, 2, tzinfo=UTC).timestamp())  # a Monday: two whole weeks
    with sqlite3.connect(data_dir / DB_FILENAME) as conn:
        expected = {
            (datetime.fromtimestamp(week * 86_400, UTC).date().isoformat(), reason or "unmapped"): n
            for week, reason, n in conn.execute(
                "SELECT week, reason, count(*) FROM returns WHERE requested_at >= ? AND requested_at < ? "
                "GROUP BY week, reason", (lo, lo + 14 * 86_400),
            )
        }  # fmt: skip
    assert {(r["Week starting (UTC)"], r["Reason"]): int(r["Returns"]) for r in rows} == expected


def test_trends_export_refuses_the_returns_only_options(data_dir: Path, tmp_path: Path) -> None:
    result = run_cli("export", "trends", "--data-dir", str(data_dir), "--out", str(tmp_path / "t.csv"),
                     "--status", "closed")  # fmt: skip
    assert result.returncode != 0 and "--status and --search" in result.stderr
