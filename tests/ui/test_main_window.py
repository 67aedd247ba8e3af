"""The main window over a seeded store: real rows, filters, search, sorting, jumps, honest placeholders."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QSplitter, QTableView
from pytestqt.qtbot import QtBot

from seller_desk.paths import DB_FILENAME
from seller_desk.ui.main_window import BUILT_VIEWS, VIEW_NAMES, MainWindow
from seller_desk.ui.models.returns_columns import COLUMNS
from seller_desk.ui.models.returns_model import PLACEHOLDER, ReturnsTableModel

RMA, SKU, TITLE, STATUS = 0, 3, 4, 7


def _sql(data_dir: Path, query: str, *params: object) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(data_dir / DB_FILENAME)) as conn:
        return conn.execute(query, params).fetchall()


def _wait_rows(qtbot: QtBot, model: ReturnsTableModel) -> None:
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=10_000)


def _cell(model: ReturnsTableModel, row: int, column: int) -> str:
    return str(model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole))


def test_window_opens_with_real_rows_newest_first(window: MainWindow, small_data_dir: Path) -> None:
    model = window.returns_view.model
    assert model.rowCount() == 3_000
    newest = _sql(small_data_dir, "SELECT rma FROM returns ORDER BY requested_at DESC, id DESC LIMIT 1")
    assert _cell(model, 0, RMA) == newest[0][0]
    assert window.count_label.text() == "3,000 returns"
    assert window.loading_label.text() == ""
    assert [c.title for c in COLUMNS][:2] == ["RMA", "Order"]


def test_status_filter_changes_rows_and_count(qtbot: QtBot, window: MainWindow, small_data_dir: Path) -> None:
    view, model = window.returns_view, window.returns_view.model
    expected = _sql(small_data_dir, "SELECT count(*) FROM returns WHERE status = 'closed'")[0][0]
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        view.status_filter.setCurrentIndex(view.status_filter.findText("Closed"))
    assert model.rowCount() == expected
    assert window.count_label.text() == f"{expected:,} returns"
    assert {_cell(model, r, STATUS) for r in range(min(50, expected))} == {"Closed"}


def test_search_finds_an_exact_rma_case_insensitively(
    qtbot: QtBot, window: MainWindow, small_data_dir: Path
) -> None:
    view, model = window.returns_view, window.returns_view.model
    rma = _sql(small_data_dir, "SELECT rma FROM returns WHERE id = 1234")[0][0]
    assert isinstance(rma, str)
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        qtbot.keyClicks(view.search, rma.lower() if rma.upper() == rma else rma)
    assert model.rowCount() == 1
    assert _cell(model, 0, RMA) == rma
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        view.search.clear()
    assert model.rowCount() == 3_000


def test_search_without_a_match_says_so(qtbot: QtBot, window: MainWindow) -> None:
    view = window.returns_view
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=10_000):
        view.search.setText("NO-SUCH-RMA")
        qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert view.model.rowCount() == 0
    assert view.empty_note.isVisible()
    assert "No returns match" in view.empty_note.text()


@pytest.mark.parametrize(
    ("column", "key"), [(SKU, "sku"), (STATUS, "status"), (11, "eta"), (13, "value_minor")]
)
def test_clicking_a_header_sorts_by_that_column_and_again_reverses(
    qtbot: QtBot, window: MainWindow, small_data_dir: Path, column: int, key: str
) -> None:
    view, model = window.returns_view, window.returns_view.model
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2

    def click_and_wait() -> None:
        with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
            qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    click_and_wait()
    first = model.current_sort()
    assert first.key == key
    click_and_wait()
    assert model.current_sort().key == key
    assert model.current_sort().descending != first.descending
    order = "DESC" if model.current_sort().descending else "ASC"
    top = _sql(
        small_data_dir, f"SELECT id FROM returns ORDER BY {key} {order}, requested_at {order}, id {order}"
    )
    assert model.row_at(0) is not None
    assert model.row_at(0).id == top[0][0]  # type: ignore[union-attr]


def test_clicking_an_unsortable_header_keeps_the_current_sort(qtbot: QtBot, window: MainWindow) -> None:
    view, model = window.returns_view, window.returns_view.model
    header = view.table.horizontalHeader()
    before = model.current_sort()
    x = header.sectionViewportPosition(TITLE) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.wait(50)
    assert model.current_sort() == before
    assert header.sortIndicatorSection() == 2  # Requested


def test_jump_to_the_last_row_shows_real_data_after_waiting(
    qtbot: QtBot, window: MainWindow, small_data_dir: Path
) -> None:
    view, model = window.returns_view, window.returns_view.model
    last = model.rowCount() - 1
    view.table.scrollTo(model.index(last, 0), QAbstractItemView.ScrollHint.PositionAtBottom)
    qtbot.waitUntil(lambda: model.row_at(last) is not None, timeout=10_000)
    oldest = _sql(small_data_dir, "SELECT rma FROM returns ORDER BY requested_at ASC, id ASC LIMIT 1")
    assert _cell(model, last, RMA) == oldest[0][0]
    assert _cell(model, last, RMA) != PLACEHOLDER


def test_every_screen_is_reachable_and_the_unbuilt_ones_say_so(window: MainWindow) -> None:
    assert list(window.views) == list(VIEW_NAMES)
    for name in (n for n in VIEW_NAMES if n not in BUILT_VIEWS):
        window.select_view(name)
        view = window.current_view()
        text = " ".join(label.text() for label in view.findChildren(QLabel))
        assert "Not built yet" in text
        assert not view.findChildren(QTableView)  # no invented rows
    window.select_view("returns")
    assert window.current_view() is window.returns_view


def test_controls_have_accessible_names(window: MainWindow) -> None:
    view = window.returns_view
    assert view.status_filter.accessibleName() == "Status filter"
    assert view.search.accessibleName() == "Search returns"
    assert view.table.accessibleName() == "Returns list"
    assert window.tabs.tabBar().accessibleName() == "Screens"


def test_the_list_reads_at_1366_by_768_beside_the_detail_pane(window: MainWindow, qtbot: QtBot) -> None:
    """With the pane open, RMA through Status show without scrolling; with the pane dragged shut (it
    collapses; the list never does), all columns fit."""
    table = window.returns_view.table
    header = table.horizontalHeader()
    assert header.sectionSize(4) >= 80  # the title column keeps a readable width
    status_right = header.sectionViewportPosition(STATUS) + header.sectionSize(STATUS)
    assert status_right <= table.viewport().width()
    assert window.returns_view.detail.width() >= 360
    splitter = window.returns_view.detail.parentWidget()
    assert isinstance(splitter, QSplitter) and splitter.isCollapsible(1) and not splitter.isCollapsible(0)
    splitter.setSizes([splitter.width(), 0])
    qtbot.waitUntil(lambda: header.length() <= table.viewport().width(), timeout=2_000)


def test_status_bar_shows_the_returns_count_only_on_the_returns_screen(window: MainWindow) -> None:
    assert window.count_label.isVisible()
    window.select_view("trends")
    assert not window.count_label.isVisible()
    assert not window.loading_label.isVisible()
    window.select_view("returns")
    assert window.count_label.isVisible()
