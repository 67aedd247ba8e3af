"""Export from the Returns screen: the list as filtered, in the background, cancellable."""

from __future__ import annotations

import csv
from pathlib import Path

from pytestqt.qtbot import QtBot

from seller_desk.ui.main_window import MainWindow
from seller_desk.workers import TaskManager
from tests.ui.test_returns_filters import open_window


def test_export_writes_the_filtered_list_and_says_where(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    window = open_window(qtbot, tasks, tmp_path / "config")
    view = window.returns_view
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=10_000):
        view.filters.status.setCurrentIndex(view.filters.status.findText("Closed"))
    out = tmp_path / "exports" / "closed.csv"
    view.exporter.choose_path = lambda _parent: out
    with qtbot.waitSignal(view.exporter.finished, timeout=20_000):
        view.filters.export_button.click()
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == view.model.rowCount() > 0 and {r["Status"] for r in rows} == {"closed"}
    assert window.statusBar().currentMessage() == f"Exported {len(rows):,} returns to {out}"
    window.stop()


def test_choosing_no_file_exports_nothing(qtbot: QtBot, tasks: TaskManager, tmp_path: Path) -> None:
    window = open_window(qtbot, tasks, tmp_path / "config")
    view = window.returns_view
    view.exporter.choose_path = lambda _parent: None
    view.filters.export_button.click()
    assert view.exporter.running is None and view.exporter.progress is None
    window.stop()


def test_a_cancelled_export_leaves_no_file(qtbot: QtBot, tasks: TaskManager, tmp_path: Path) -> None:
    window: MainWindow = open_window(qtbot, tasks, tmp_path / "config")
    view = window.returns_view
    out = tmp_path / "all.xlsx"
    view.exporter.choose_path = lambda _parent: out
    with qtbot.waitSignal(view.exporter.finished, timeout=20_000):
        view.filters.export_button.click()
        assert view.exporter.progress is not None
        view.exporter.progress.cancel()  # the seller presses Cancel at once
    message = window.statusBar().currentMessage()
    if message.startswith("Exported"):  # the export beat the click: then it must be whole
        assert out.exists()
    else:
        assert message == "Export cancelled; no file was written" and not out.exists()
        assert list(tmp_path.glob("*.part")) == []
    window.stop()
