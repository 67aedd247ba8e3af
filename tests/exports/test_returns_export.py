"""The Returns list exported: every filtered row, in the list's order, across page boundaries."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from seller_desk.exports import returns as returns_export
from seller_desk.paths import DB_FILENAME
from seller_desk.store.queries.returns import DEFAULT_SORT, ReturnsFilter, page_returns
from tests.fixtures.returns_data import seeded_data_dir


def test_every_row_of_the_filter_in_list_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = seeded_data_dir(tmp_path / "store", 700)
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    monkeypatch.setattr(returns_export, "PAGE", 97)  # several pages, and a partial last one
    try:
        f = ReturnsFilter(statuses=("closed", "inspected"))
        steps = returns_export.export_returns(conn, f, tmp_path / "r.csv")
        count = None
        while count is None:
            try:
                next(steps)
            except StopIteration as done:
                count = done.value
        expected = page_returns(conn, f, DEFAULT_SORT, None, 10_000)
    finally:
        conn.close()
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as out:
        rows = list(csv.DictReader(out))
    assert count == len(rows) == len(expected) > 97
    assert [r["RMA"] for r in rows] == [e.rma for e in expected]
    first = rows[0]
    assert first["Status"] in ("closed", "inspected") and first["Currency"] == expected[0].currency
    assert int(first["Value"].replace(".", "")) == expected[0].value_minor
