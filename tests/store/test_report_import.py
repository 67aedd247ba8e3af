"""Importing report files into a real store file: one transaction per file, no duplicates on re-import or
overlap, changed rows updated, strict and cancel write nothing, a crash mid-file leaves nothing, and an
import never moves a return back in its life."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from seller_desk.bench.report_files import write_fba, write_mfn_flat, write_mfn_xml
from seller_desk.store import report_import
from seller_desk.store.migrate import open_store
from seller_desk.store.report_import import ImportCancelled, import_report
from seller_desk.store.uow import Store
from tests.fixtures.report_texts import mfn_row, mfn_text, write


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "store.sqlite3")
    yield opened
    opened.close()


def count(store: Store, sql: str) -> int:
    with sqlite3.connect(store.path) as conn:
        return int(conn.execute(sql).fetchone()[0])


def snapshot(store: Store) -> list[tuple[object, ...]]:
    with sqlite3.connect(store.path) as conn:
        return [row for t in ("orders", "order_lines", "shipments", "returns", "return_lines", "inspections")
                for row in conn.execute(f"SELECT '{t}', * FROM {t} ORDER BY id")]  # fmt: skip


def test_a_file_imports_and_the_same_file_again_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = write_mfn_flat(tmp_path / "a.txt", 300)
    first = import_report(store, path)
    assert (first.format, first.rows, first.imported, first.updated, first.errors) == (
        "mfn_flat",
        300,
        300,
        0,
        [],
    )
    before = snapshot(store)
    again = import_report(store, path)
    assert (again.imported, again.updated, again.skipped) == (0, 0, 300)
    assert snapshot(store) == before
    assert count(store, "SELECT count(*) FROM returns") == 300
    assert count(store, "SELECT count(DISTINCT rma) FROM returns") == 300


def test_overlapping_files_and_the_xml_of_the_same_returns_make_no_duplicates(
    store: Store, tmp_path: Path
) -> None:
    import_report(store, write_mfn_flat(tmp_path / "a.txt", 200))
    overlap = import_report(store, write_mfn_flat(tmp_path / "b.txt", 200, first=100))
    assert (overlap.imported, overlap.updated + overlap.skipped) == (100, 100)
    import_report(store, write_mfn_xml(tmp_path / "c.xml", 300))
    assert count(store, "SELECT count(*) FROM returns") == 300
    assert count(store, "SELECT count(*) FROM return_lines") == 300
    assert count(store, "SELECT count(*) FROM orders") == 300


def test_a_changed_row_updates_its_return(store: Store, tmp_path: Path) -> None:
    import_report(store, write(tmp_path / "a.txt", mfn_text(mfn_row())))
    changed = mfn_row(**{"Return delivery date": "14-Jul-2025", "Return Reason": "CR-SOMETHING_NEW"})
    outcome = import_report(store, write(tmp_path / "b.txt", mfn_text(changed)))
    assert (outcome.imported, outcome.updated, outcome.skipped) == (0, 1, 0)
    with sqlite3.connect(store.path) as conn:
        status, reason, raw, delivered = conn.execute(
            "SELECT status, reason, reason_raw, delivered_at FROM returns").fetchone()  # fmt: skip
        line_raw = conn.execute("SELECT reason_raw FROM return_lines").fetchone()[0]
        parcel = conn.execute("SELECT status FROM shipments").fetchone()[0]
    assert (status, reason, raw, line_raw) == ("delivered", None, "CR-SOMETHING_NEW", "CR-SOMETHING_NEW")
    assert delivered is not None and parcel == "delivered"  # unknown code: raw kept, canonical NULL


def test_an_older_report_never_moves_a_return_back(store: Store, tmp_path: Path) -> None:
    import_report(
        store, write(tmp_path / "a.txt", mfn_text(mfn_row(**{"Return delivery date": "14-Jul-2025"})))
    )
    import_report(store, write(tmp_path / "b.txt", mfn_text(mfn_row())))
    assert count(store, "SELECT count(*) FROM returns WHERE status = 'delivered'") == 1


def test_valid_rows_import_and_bad_ones_are_reported_unless_strict(store: Store, tmp_path: Path) -> None:
    text = mfn_text(mfn_row(), mfn_row(**{"Amazon RMA ID": "OTHER", "Return quantity": "none"}))
    path = write(tmp_path / "a.txt", text)
    strict = import_report(store, path, strict=True)
    assert (strict.committed, strict.rows, strict.imported) == (False, 2, 0)
    assert [(e.line, e.column) for e in strict.errors] == [(3, "Return quantity")]
    assert count(store, "SELECT count(*) FROM returns") == 0
    lenient = import_report(store, path)
    assert (lenient.committed, lenient.imported, lenient.rejected) == (True, 1, 1)
    assert count(store, "SELECT count(*) FROM returns") == 1


def test_cancel_and_a_crash_mid_file_leave_the_store_as_it_was(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_report(store, write_mfn_flat(tmp_path / "a.txt", 50))
    before = snapshot(store)
    monkeypatch.setattr(report_import, "BATCH", 100)
    big = write_mfn_flat(tmp_path / "b.txt", 1_000, first=25)
    calls = iter(range(100))
    with pytest.raises(ImportCancelled):
        import_report(store, big, cancelled=lambda: next(calls) >= 3)
    assert snapshot(store) == before

    def crash(_self: object, _items: object) -> None:
        raise OSError("disk gone")

    real_write = report_import.BatchWriter.write
    written = []

    def write_then_crash(self: object, items: object) -> None:
        if written:
            crash(self, items)
        written.append(1)
        real_write(self, items)  # type: ignore[arg-type]

    monkeypatch.setattr(report_import.BatchWriter, "write", write_then_crash)
    with pytest.raises(OSError, match="disk gone"):
        import_report(store, big)
    assert written and snapshot(store) == before


def test_progress_reports_bytes_up_to_the_file_size(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_import, "BATCH", 100)
    path = write_mfn_flat(tmp_path / "a.txt", 1_000)
    seen: list[tuple[int, int]] = []
    import_report(store, path, progress=lambda done, size: seen.append((done, size)))
    assert len(seen) >= 10
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1] == (path.stat().st_size, path.stat().st_size)


def test_fba_units_become_inspected_returns_with_the_centres_grading(store: Store, tmp_path: Path) -> None:
    outcome = import_report(store, write_fba(tmp_path / "fba.txt", 120), default_marketplace="UK")
    assert (outcome.format, outcome.imported, outcome.errors) == ("fba", 120, [])
    assert count(store, "SELECT count(*) FROM inspections WHERE inspected_by = 'Amazon'") == 120
    assert count(store, "SELECT count(*) FROM returns WHERE status NOT IN ('inspected', 'closed')") == 0
    assert count(store, "SELECT count(*) FROM returns WHERE channel != 'FBA' OR marketplace != 'UK'") == 0
    assert count(store, "SELECT count(*) FROM orders WHERE currency != 'GBP'") == 0
    again = import_report(store, write_fba(tmp_path / "fba2.txt", 120))
    assert again.skipped == 120 and count(store, "SELECT count(*) FROM inspections") == 120


def test_one_rma_with_two_skus_is_one_return_with_two_lines(store: Store, tmp_path: Path) -> None:
    rows = (mfn_row(), mfn_row(**{"Merchant SKU": "SHADE-2", "Return quantity": "2"}))
    outcome = import_report(store, write(tmp_path / "a.txt", mfn_text(*rows)))
    assert outcome.imported == 2
    assert count(store, "SELECT count(*) FROM returns") == 1
    assert count(store, "SELECT count(*) FROM return_lines") == 2
    assert count(store, "SELECT count(*) FROM order_lines") == 2


def _indexes(store: Store) -> set[tuple[str, str]]:
    with sqlite3.connect(store.path) as conn:
        return set(
            conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        )


def test_a_large_file_rebuilds_the_list_indexes_and_a_cancel_keeps_them(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from seller_desk.store import bulk_indexes

    before = _indexes(store)
    monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 10)
    monkeypatch.setattr(report_import, "BATCH", 100)
    deferred: list[bool] = []
    real = bulk_indexes.worth_deferring
    monkeypatch.setattr(
        report_import, "worth_deferring", lambda *a: deferred.append(real(*a)) or deferred[-1]
    )
    path = write_mfn_flat(tmp_path / "a.txt", 600)
    with pytest.raises(ImportCancelled):
        import_report(store, path, cancelled=lambda: count(store, "SELECT 1") == 1 and len(deferred) == 1)
    assert deferred == [True] and _indexes(store) == before
    outcome = import_report(store, path)
    assert outcome.imported == 600 and deferred == [True, True]
    assert _indexes(store) == before
    with sqlite3.connect(store.path) as conn:
        query = "SELECT id FROM returns WHERE status = 'authorized' ORDER BY requested_at, id"
        plan = " ".join(r[-1] for r in conn.execute(f"EXPLAIN QUERY PLAN {query}"))
    assert "ix_returns_status_requested_at_id" in plan
    assert count(store, "SELECT count(*) FROM returns WHERE status = 'authorized'") > 0


def test_new_skus_join_the_catalogue_and_known_ones_are_left_alone(store: Store, tmp_path: Path) -> None:
    with sqlite3.connect(store.path) as conn:
        conn.execute(
            "INSERT INTO skus VALUES ('LAMP-1', 'B0REAL', 'Brass desk lamp', 'Lighting', 'USD', 4999, 2100)"
        )
    rows = (mfn_row(), mfn_row(**{"Amazon RMA ID": "B", "Merchant SKU": "SHADE-2", "Item Name": "Lamp shade",
                                  "Order Amount": "30.00", "Order quantity": "2"}))  # fmt: skip
    import_report(store, write(tmp_path / "a.txt", mfn_text(*rows)))
    with sqlite3.connect(store.path) as conn:
        catalogue = conn.execute(
            "SELECT sku, title, category, price_minor, unit_cost_minor FROM skus ORDER BY sku"
        )
        assert catalogue.fetchall() == [("LAMP-1", "Brass desk lamp", "Lighting", 4999, 2100),
                                        ("SHADE-2", "Lamp shade", "Uncategorized", 1500, 0)]  # fmt: skip
