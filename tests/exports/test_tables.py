"""Streaming tables to CSV and XLSX: exact money, UTC times, nothing half-written."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from seller_desk.exports.tables import PROGRESS_EVERY, ExportError, table_steps, write_table

HEADERS = ("Name", "Amount", "When", "Empty")
ROWS = [("Écran fissuré, «neuf»", Decimal("0.10"), datetime(2026, 11, 22, 9, 30, tzinfo=UTC), None),
        ('say "hi"\nnext line', Decimal("12345678.99"), None, 7)]  # fmt: skip


def test_csv_keeps_text_money_and_times_exact(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    assert write_table(path, HEADERS, ROWS) == 2
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the accents right
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [
        list(HEADERS),
        ["Écran fissuré, «neuf»", "0.10", "2026-11-22T09:30:00Z", ""],
        ['say "hi"\nnext line', "12345678.99", "", "7"],
    ]


def test_xlsx_holds_numbers_and_dates_as_typed_cells(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    assert write_table(path, HEADERS, ROWS, sheet="Returns") == 2
    sheet = load_workbook(path)["Returns"]
    assert [c.value for c in sheet[1]] == list(HEADERS)
    assert [c.value for c in sheet[2]] == ["Écran fissuré, «neuf»", 0.1, datetime(2026, 11, 22, 9, 30), None]
    assert sheet["B3"].value == 12345678.99 and sheet.freeze_panes == "A2"
    with path.open("rb") as f:  # the stored text of the amount is the exact decimal, not a float's digits
        import zipfile

        xml = zipfile.ZipFile(f).read("xl/worksheets/sheet1.xml").decode()
    assert "<v>12345678.99</v>" in xml and "<v>0.10</v>" in xml


def test_progress_is_reported_and_a_closed_export_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rows = (("x", Decimal(i), None, i) for i in range(PROGRESS_EVERY * 2 + 5))
    steps = table_steps(path, HEADERS, rows)
    assert next(steps) == PROGRESS_EVERY
    steps.close()  # cancelled
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["out.pdf", "out"])
def test_an_unknown_extension_is_refused_by_name(tmp_path: Path, name: str) -> None:
    with pytest.raises(ExportError, match=r"use \.csv or \.xlsx") as refused:
        write_table(tmp_path / name, HEADERS, ROWS)
    assert name in str(refused.value)


def test_an_unwritable_place_is_reported_with_the_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(ExportError, match=r"file/out\.csv"):
        write_table(blocker / "out.csv", HEADERS, ROWS)
