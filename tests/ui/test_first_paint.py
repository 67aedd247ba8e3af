"""The Returns list paints first; the other screens' reads and the sync worker start after that paint
(``ui/first_paint.py``), so they never compete with the start-up the seller waits for."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from seller_desk.ui.main_window import MainWindow
from seller_desk.ui.views.pending_view import PendingView
from seller_desk.workers import TaskManager


def test_the_sync_screen_and_worker_start_after_the_returns_list_painted(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    window = MainWindow(tasks, config_dir=tmp_path / "config")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    order: list[str] = []
    window.returns_view.model.first_page_loaded.connect(lambda: order.append("returns page"))
    window.returns_view.table.viewport().update()
    window.start()
    window.start_sync_after_first_paint()
    assert not window.sync.running and window.sync_view is None  # nothing but the Returns read
    assert isinstance(window.views["sync"], PendingView) and window.tabs.tabText(5) == "Sync"
    qtbot.waitUntil(lambda: window.sync_view is not None and window.sync_view._loading is not None)
    order.append("sync screen")
    assert window.views["sync"] is window.sync_view and window.tabs.widget(5) is window.sync_view
    qtbot.waitUntil(lambda: window.sync.heard, timeout=10_000)
    assert order == ["returns page", "sync screen"]
    window.stop()


def test_a_window_closing_before_its_first_paint_starts_nothing_more(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    window = MainWindow(tasks, config_dir=tmp_path / "config")
    qtbot.addWidget(window)
    window.start()  # never shown: no paint, only the fallback timer could start the rest
    window.start_sync_after_first_paint()
    window.stop()
    qtbot.wait(1800)  # past the fallback
    assert window.sync_view is None and not window.sync.running


def test_the_sync_screen_swaps_in_under_the_seller_who_already_opened_its_tab(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    window = MainWindow(tasks, config_dir=tmp_path / "config")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.start()
    window.select_view("sync")  # clicked before the Returns list painted: the stand-in shows
    assert isinstance(window.current_view(), PendingView)
    assert not window.current_view().is_ready()
    qtbot.waitUntil(lambda: window.sync_view is not None, timeout=10_000)
    assert window.current_view() is window.sync_view and window.tabs.currentWidget() is window.sync_view
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        view.title for view in window.views.values()
    ]
    window.stop()
