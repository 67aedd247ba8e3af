"""``seller-desk export restock`` as a script runs it (CLI.md): every SKU, most urgent first."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from seller_desk.exports.restock import HEADERS
from tests.cli.test_cli_contract import run_cli
from tests.fixtures.restock_data import build_restock_store


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-restock") / "data"
    build_restock_store(path)
    return path


def test_export_restock_writes_every_sku_to_csv(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "restock.csv"
    result = run_cli("export", "restock", "--data-dir", str(data_dir), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"file": str(out), "format": "csv", "rows": 3}
    with out.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames or ()) == HEADERS
        rows = {row["SKU"]: row for row in reader}
    assert set(rows) == {"MUG-1", "TEE-1", "TEE-2"}
    assert rows["TEE-2"]["Stock-out date"] == "" and rows["TEE-2"]["Suggested reorder"] == "0"
    assert rows["TEE-2"]["Lead time (days)"] == "14"  # no stock row: the default lead time
    assert rows["TEE-1"]["Sales per day"] == "2.00"
    assert rows["TEE-1"]["Why"].endswith("→ " + rows["TEE-1"]["Suggested reorder"])


def test_export_restock_to_xlsx_and_refuses_return_filters(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "restock.xlsx"
    assert run_cli("export", "restock", "--data-dir", str(data_dir), "--out", str(out)).returncode == 0
    sheet = load_workbook(out, read_only=True)["Restock"]
    assert next(sheet.iter_rows(values_only=True)) == HEADERS
    refused = run_cli(
        "export", "restock", "--data-dir", str(data_dir), "--out", str(out), "--from", "2026-01-01"
    )
    assert refused.returncode != 0
    assert "--from" in refused.stderr and "restock" in refused.stderr
