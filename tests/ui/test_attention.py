"""The attention inbox and notifications: counts, opening a return, announcing only what is new."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from seller_desk.paths import DB_FILENAME
from seller_desk.store.queries import returns_quick
from seller_desk.store.queries.attention import AttentionItem, attention_items
from seller_desk.workers import TaskManager
from tests.ui.test_returns_filters import open_window

# Opening an item brings the window to the front; the offscreen platform says it cannot.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "does not support activateWindow"
)


def test_the_inbox_lists_what_needs_attention_and_opens_a_return(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path, small_data_dir: Path
) -> None:
    window = open_window(qtbot, tasks, tmp_path / "config")
    with closing(sqlite3.connect(small_data_dir / DB_FILENAME)) as conn:
        expected = attention_items(conn, returns_quick.now_epoch())
    assert expected
    qtbot.waitUntil(lambda: len(window.inbox.items) == len(expected), timeout=10_000)
    assert window.inbox.text() == f"⚑ {len(expected):,} need attention"
    actions = [a for a in window.inbox.menu_.actions() if a.isEnabled() and not a.isSeparator() and a.text()]
    openable = next(a for a in actions if "not yet received" in a.text() or "carrier scan" in a.text())
    chosen = next(i for i in expected if i.text == openable.text())
    view = window.returns_view
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=10_000):
        openable.trigger()
    assert window.current_view() is view and view.model.current_filter().search == chosen.rma
    qtbot.waitUntil(lambda: view.table.selectionModel().hasSelection(), timeout=5_000)
    row = view.model.row_at(view.table.currentIndex().row())
    assert row is not None and row.rma == chosen.rma
    window.stop()


def item(key: str, rma: str | None = "RMA-1") -> AttentionItem:
    return AttentionItem(
        "stalled", key, 1 if rma else None, rma, 0, f"{rma} has had no carrier scan for 6 days"
    )


def test_notifications_announce_the_waiting_count_once_then_only_new_items(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    window = open_window(qtbot, tasks, tmp_path / "config")
    notifier = window.notifier
    qtbot.waitUntil(lambda: notifier._seen is not None, timeout=10_000)  # the window's own first read
    notifier._seen = None  # start over with known items
    notifier.announced.clear()
    notifier.update([item("a"), item("b")])
    notifier.update([item("a"), item("b")])  # nothing new: silent
    notifier.update([item("a"), item("b"), item("c", "RMA-3")])
    notifier.update([item("d", "RMA-4"), item("e", "RMA-5")])
    assert notifier.announced == [
        "Seller Desk: 2 things need your attention",
        "Stalled in transit: RMA-3 has had no carrier scan for 6 days",
        "Seller Desk: 2 new things need your attention",
    ]
    opened: list[str | None] = []
    window.returns_view.show_return = lambda rma: opened.append(rma)  # type: ignore[method-assign]
    notifier._on_clicked()  # the seller clicks the last notification
    assert opened == ["RMA-4"]
    window.stop()


def test_a_refund_clock_opens_its_request_on_the_refunds_screen(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    window = open_window(qtbot, tasks, tmp_path / "config")
    clock = AttentionItem(
        "refund_clock", "refund_clock:9", None, None, 0, "Refund for order 1-2-3 due in 5 hours"
    )
    window.open_attention_item(clock)
    assert window.current_view() is window.views["refunds"]
    assert window.refunds_view is not None and window.refunds_view.search.text() == "9"
    window.stop()
