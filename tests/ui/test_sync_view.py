"""The Sync screen and the status-bar indicator over a store with an act in every state."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot

from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.uow import Store
from seller_desk.ui.main_window import MainWindow
from seller_desk.ui.sync.sync_models import RowsModel
from seller_desk.workers import TaskManager
from seller_desk.workers.sync_worker import SyncMode
from tests.fixtures.sync_states import FIXTURE_URL, build_sync_store


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("sync-view")
    build_sync_store(base)
    return base / DB_FILENAME


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Iterator[Store]:
    shutil.copyfile(template, tmp_path / DB_FILENAME)
    opened = open_store(tmp_path / DB_FILENAME)
    yield opened
    opened.close()


def open_window(qtbot: QtBot, tasks: TaskManager, tmp_path: Path) -> MainWindow:
    window = MainWindow(tasks, config_dir=tmp_path / "config")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.select_view("sync")
    window.start()
    qtbot.waitUntil(lambda: window.sync_view is not None, timeout=10_000)  # built after the first paint
    assert window.sync_view is not None
    with qtbot.waitSignal(window.sync_view.ready, timeout=10_000):
        window.start_sync(sync=False)  # the stored state only: no network in this test
    return window


def texts(model: RowsModel, column: int) -> list[str]:  # type: ignore[type-arg]
    return [
        str(model.data(model.index(r, column), Qt.ItemDataRole.DisplayRole)) for r in range(model.rowCount())
    ]


def test_the_three_lists_and_the_indicator_show_the_stored_sync_state(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    window = open_window(qtbot, tasks, tmp_path)
    view = window.sync_view
    assert texts(view.queue.model, 0) == ["Rejected", "Sending…", "Waiting", "Waiting"]
    what = texts(view.queue.model, 3)
    assert any(w.startswith("Approve ") and any(c in w for c in "$£€") for w in what), what
    assert "403" in texts(view.queue.model, 6)[0]
    assert texts(view.conflicts.model, 4) == ["The customer cancelled"]
    assert "now cancelled" in texts(view.conflicts.model, 5)[0]
    assert texts(view.history.model, 4) == [
        "Pulled 1,234 changes · sent 3 (1 accepted, 1 in conflict, 1 rejected)",
        "Rejected by the backend",
        "Conflict",
        "Accepted by the backend",
    ]
    assert texts(view.history.model, 1)[0] == "Sync"
    assert "(4)" in view.queue.heading.text() and "(1)" in view.conflicts.heading.text()
    assert FIXTURE_URL in view.connection.text() and "min ago" in view.connection.text()
    assert not view.sync_now.isEnabled()  # nothing syncs in this window
    indicator = window.sync_indicator.text()
    assert indicator.startswith("○ Not syncing")
    for part in ("3 pending", "1 conflict", "1 rejected"):
        assert part in indicator, indicator
    assert re.search(r"synced \d+ min ago", indicator), indicator


def test_clicking_the_indicator_opens_the_sync_screen(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    window = open_window(qtbot, tasks, tmp_path)
    window.select_view("returns")
    qtbot.mouseClick(window.sync_indicator, Qt.MouseButton.LeftButton)
    assert window.current_view() is window.sync_view


def select_conflict(window: MainWindow) -> None:
    table = window.sync_view.conflicts.table
    table.selectionModel().select(
        table.model().index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def test_discard_resolves_the_conflict_and_the_history_says_so(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    window = open_window(qtbot, tasks, tmp_path)
    view = window.sync_view
    assert not view.discard_button.isEnabled()
    select_conflict(window)
    assert view.discard_button.isEnabled()
    qtbot.mouseClick(view.discard_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.conflicts.model.rowCount() == 0, timeout=10_000)
    assert view.conflicts.stack.currentWidget() is view.conflicts.empty
    assert "No conflicts" in view.conflicts.empty.text()
    assert texts(view.history.model, 4)[0] == "Conflict discarded (backend's version kept)"


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # the dialog's wrapped labels
def test_decide_again_opens_the_request_and_its_dialog_on_the_refunds_screen(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    from seller_desk.ui.dialogs.refund_decision_dialog import DecideRefundDialog

    window = open_window(qtbot, tasks, tmp_path)
    select_conflict(window)
    target = window.sync_view.conflicts.model.row_at(0).target  # type: ignore[union-attr]
    qtbot.mouseClick(window.sync_view.decide_again_button, Qt.MouseButton.LeftButton)
    assert window.current_view() is window.views["refunds"]
    assert window.refunds_view is not None
    assert window.refunds_view.search.text() == target.partition(":")[2]
    (dialog,) = window.refunds_view.findChildren(DecideRefundDialog)
    assert f"refund_request:{dialog.request_id}" == target
    dialog.reject()
    assert window.sync_view.conflicts.model.rowCount() == 1  # going there resolves nothing; deciding does


def test_pulled_changes_show_at_once_at_the_top_of_the_list(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    window = open_window(qtbot, tasks, tmp_path)
    qtbot.waitUntil(lambda: window.returns_view.model.rowCount() > 0, timeout=10_000)
    with qtbot.waitSignal(window.returns_view.model.first_page_loaded, timeout=10_000):
        window.sync.data_changed.emit(12)  # scrolled to the top, nothing selected: the seller is watching
    assert "arrived" not in window.statusBar().currentMessage()


def test_pulled_changes_offer_a_refresh_instead_of_resetting_a_list_in_use(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    window = open_window(qtbot, tasks, tmp_path)
    qtbot.waitUntil(lambda: window.returns_view.model.rowCount() > 0, timeout=10_000)
    window.returns_view.table.selectRow(0)  # the seller is working on a row
    window.sync.data_changed.emit(12)
    assert "12 changes arrived" in window.statusBar().currentMessage()
    assert not window.returns_view.model.is_loading()
    with qtbot.waitSignal(window.returns_view.model.first_page_loaded, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_F5)


def test_a_store_without_a_backend_says_local_only_and_what_to_do(qtbot: QtBot, tmp_path: Path) -> None:
    empty = open_store(tmp_path / "empty" / DB_FILENAME)
    tasks = TaskManager.install(empty)
    try:
        window = open_window(qtbot, tasks, tmp_path)
        view = window.sync_view
        assert window.sync.state().mode is SyncMode.LOCAL_ONLY
        assert window.sync_indicator.text() == "○ Local only"
        assert "seller-desk connect" in view.connection.text() and "--demo" in view.connection.text()
        for section in (view.queue, view.conflicts, view.history):
            assert section.stack.currentWidget() is section.empty
            assert section.empty.text()
        with qtbot.waitSignal(window.returns_view.model.first_page_loaded, timeout=10_000):
            window.sync.data_changed.emit(3)  # a first sync into an empty list shows its rows at once
        window.stop()
    finally:
        tasks.shutdown(wait=True)
        empty.close()


def test_screenshot_of_the_sync_view_waits_for_its_lists(
    qapp: object, template: Path, tmp_path: Path
) -> None:
    from PySide6.QtGui import QImage

    from seller_desk.app import render_screenshot

    shutil.copyfile(template, tmp_path / DB_FILENAME)
    out = tmp_path / "sync.png"
    assert render_screenshot(view="sync", out=out, size=(1366, 768), data_dir=tmp_path) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 768)
    colours = {image.pixel(x, y) for x in range(0, 1366, 7) for y in range(0, 768, 7)}
    assert len(colours) > 20
