"""The Returns filter bar: quick filters with live counts, menus, dates, clearing, and memory across runs."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from seller_desk.paths import DB_FILENAME
from seller_desk.store.queries.returns_choices import FilterChoices
from seller_desk.store.queries.returns_quick import QuickFilter, quick_counts
from seller_desk.ui.main_window import MainWindow
from seller_desk.ui.views.returns_filters import CUSTOM_PERIOD, QUICK_LABELS
from seller_desk.workers import TaskManager

SKU_COLUMN = 3


def scalar(data_dir: Path, query: str, *params: object) -> int:
    with closing(sqlite3.connect(data_dir / DB_FILENAME)) as conn:
        return int(conn.execute(query, params).fetchone()[0])


def open_window(qtbot: QtBot, tasks: TaskManager, config: Path) -> MainWindow:
    win = MainWindow(tasks, config_dir=config)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    with qtbot.waitSignal(win.returns_view.ready, timeout=10_000):
        win.start()
    return win


def test_quick_filters_show_live_counts_and_filter_to_them(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path, small_data_dir: Path
) -> None:
    window = open_window(qtbot, tasks, tmp_path / "config")
    bar, model = window.returns_view.filters, window.returns_view.model
    with closing(sqlite3.connect(small_data_dir / DB_FILENAME)) as conn:
        counts = quick_counts(conn)
    stalled = bar.quick_buttons[QuickFilter.STALLED]
    qtbot.waitUntil(lambda: stalled.text() == f"Stalled  {counts[QuickFilter.STALLED]:,}", timeout=10_000)
    for quick, count in counts.items():
        assert bar.quick_buttons[quick].text() == f"{QUICK_LABELS[quick]}  {count:,}"
    assert counts[QuickFilter.STALLED] > 0 and counts[QuickFilter.AWAITING_INSPECTION] > 0
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        qtbot.mouseClick(stalled, Qt.MouseButton.LeftButton)
    assert model.current_filter().quick is QuickFilter.STALLED
    assert model.rowCount() == counts[QuickFilter.STALLED]
    assert {model.row_at(r).status for r in range(model.rowCount())} == {"in_transit"}  # type: ignore[union-attr]
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        qtbot.mouseClick(bar.quick_buttons[None], Qt.MouseButton.LeftButton)
    assert model.rowCount() == 3_000
    window.stop()


def test_menus_fill_from_the_store_and_each_narrows_the_list(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path, small_data_dir: Path
) -> None:
    window = open_window(qtbot, tasks, tmp_path / "config")
    bar, model = window.returns_view.filters, window.returns_view.model
    qtbot.waitUntil(lambda: bar.carrier.count() > 1 and bar.category.count() > 1, timeout=10_000)
    carriers = {bar.carrier.itemData(i) for i in range(1, bar.carrier.count())}
    with closing(sqlite3.connect(small_data_dir / DB_FILENAME)) as conn:
        assert carriers == {row[0] for row in conn.execute("SELECT DISTINCT carrier FROM returns") if row[0]}
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        bar.carrier.setCurrentIndex(bar.carrier.findData("UPS"))
    assert model.rowCount() == scalar(small_data_dir, "SELECT count(*) FROM returns WHERE carrier = 'UPS'")
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        bar.category.setCurrentIndex(bar.category.findData("kitchen"))
    expected = scalar(
        small_data_dir,
        "SELECT count(*) FROM returns JOIN skus USING (sku) WHERE carrier = 'UPS' AND category = 'kitchen'",
    )
    assert model.rowCount() == expected > 0
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        bar.reason.setCurrentIndex(bar.reason.findData("defective"))
    assert model.current_filter().reason == "defective"
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        qtbot.mouseClick(bar.clear_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 3_000 and model.current_filter() == bar.current_filter()
    assert bar.carrier.currentIndex() == 0 and bar.reason.currentIndex() == 0
    window.stop()


def test_between_dates_is_a_local_day_range(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path, small_data_dir: Path
) -> None:
    window = open_window(qtbot, tasks, tmp_path / "config")
    bar, model = window.returns_view.filters, window.returns_view.model
    assert not bar.date_from.isVisible()
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        bar.period.setCurrentIndex(CUSTOM_PERIOD)
    assert bar.date_from.isVisible() and bar.date_to.isVisible()
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        bar.date_from.setDate(QDate(2026, 3, 1))
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        bar.date_to.setDate(QDate(2026, 3, 31))
    f = model.current_filter()
    assert f.requested_from is not None and f.requested_to is not None
    expected = scalar(
        small_data_dir, "SELECT count(*) FROM returns WHERE requested_at >= ? AND requested_at < ?",
        int(f.requested_from.timestamp()), int(f.requested_to.timestamp()),
    )  # fmt: skip
    assert model.rowCount() == expected > 0
    assert f.requested_from.astimezone().day == 1 and f.requested_to.astimezone().day == 1  # 1 Mar .. 1 Apr
    window.stop()


def test_a_search_typed_while_the_menus_refill_still_runs(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path, small_data_dir: Path
) -> None:
    window = open_window(qtbot, tasks, tmp_path / "config")
    bar, model = window.returns_view.filters, window.returns_view.model
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        qtbot.keyClicks(bar.search, "NO-SUCH-RMA")
        bar.set_choices(FilterChoices(("US",), ("FBA",), ("UPS",), ("kitchen",)))  # mid-pause
    assert model.current_filter().search == "NO-SUCH-RMA" and model.rowCount() == 0
    window.stop()


def test_filters_and_columns_are_remembered_between_runs(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path, small_data_dir: Path
) -> None:
    config = tmp_path / "config"
    first = open_window(qtbot, tasks, config)
    view = first.returns_view
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=10_000):
        qtbot.mouseClick(
            view.filters.quick_buttons[QuickFilter.AWAITING_INSPECTION], Qt.MouseButton.LeftButton
        )
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=10_000):
        view.table.horizontalHeader().setSortIndicator(SKU_COLUMN, Qt.SortOrder.AscendingOrder)
    view.table.horizontalHeader().moveSection(0, 5)
    view.table.horizontalHeader().resizeSection(1, 333)
    wanted = view.model.current_filter()
    first.stop()
    first.close()
    first.settings.sync()

    second = open_window(qtbot, tasks, config)
    again = second.returns_view
    assert again.model.current_filter() == wanted  # the very first read was the remembered filter
    assert again.filters.current_quick() is QuickFilter.AWAITING_INSPECTION
    assert again.model.current_sort().key == "sku" and not again.model.current_sort().descending
    header = again.table.horizontalHeader()
    assert header.visualIndex(0) == 5 and header.sectionSize(1) == 333
    assert again.model.rowCount() == scalar(
        small_data_dir, "SELECT count(*) FROM returns WHERE status = 'received'"
    )
    second.stop()


def test_ctrl_f_puts_the_cursor_in_the_search_box(qtbot: QtBot, tasks: TaskManager, tmp_path: Path) -> None:
    window = open_window(qtbot, tasks, tmp_path / "config")
    view = window.returns_view
    view.search.setText("old words")
    view.table.setFocus()
    window.activateWindow()
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus() and view.search.selectedText() == "old words"
    window.stop()


def test_words_of_comments_are_found_once_the_background_index_caught_up(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path, small_data_dir: Path
) -> None:
    window = open_window(qtbot, tasks, tmp_path / "config")
    view = window.returns_view
    qtbot.waitUntil(lambda: view._indexing is None, timeout=20_000)  # started after the first paint
    expected = scalar(small_data_dir, "SELECT count(*) FROM returns WHERE customer_comment LIKE '%cracked%'")
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=10_000):
        view.search.setText("cracked")
        qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert view.model.rowCount() == expected > 0
    window.stop()


def test_alt_down_and_up_step_through_returns_from_the_search_box(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    window = open_window(qtbot, tasks, tmp_path / "config")
    view = window.returns_view
    window.activateWindow()
    view.search.setFocus()
    for _ in range(3):
        qtbot.keyClick(view.search, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(view.search, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert view.table.currentIndex().row() == 1
    assert view.table.selectionModel().isRowSelected(1)
    assert view.search.hasFocus()  # typing can go on
    window.stop()
