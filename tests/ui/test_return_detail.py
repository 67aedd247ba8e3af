"""The Returns screen's detail pane: what it shows, whom it follows, and what it drops."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QSettings
from PySide6.QtWidgets import QSplitter, QWidget
from pytestqt.qtbot import QtBot

from seller_desk.app import _show_first_return
from seller_desk.domain.tracking_progress import Milestone
from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.models import Note
from seller_desk.store.uow import Store
from seller_desk.ui.main_window import MainWindow
from seller_desk.ui.views.return_detail import HINT, ReturnDetailPane
from seller_desk.ui.views.returns_detail_link import SPLITTER_KEY
from seller_desk.ui.views.returns_view import ReturnsView
from seller_desk.workers import Op, TaskManager
from tests.fixtures.return_detail_data import (
    BARE_ID,
    BARE_RMA,
    DETAILED_ID,
    DETAILED_RMA,
    ORDER_PK,
    add_detailed_returns,
)
from tests.fixtures.returns_data import seed_returns

WAIT_MS = 5_000


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / DB_FILENAME)
    seed_returns(opened, 300)
    add_detailed_returns(opened)
    yield opened
    opened.close()


@pytest.fixture
def pane(qtbot: QtBot, tasks: TaskManager) -> Iterator[ReturnDetailPane]:
    """The pane inside a plain host (no layout), as in the splitter: a top-level pane's changing minimum
    size would make the offscreen platform warn."""
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(420, 700)
    widget = ReturnDetailPane(host)
    widget.setGeometry(0, 0, 420, 700)
    host.show()
    yield widget  # the host lives as long as the test
    host.close()


@pytest.fixture
def view(qtbot: QtBot, tasks: TaskManager, tmp_path: Path) -> Iterator[ReturnsView]:
    host, widget = hosted_view(qtbot, tmp_path)
    with qtbot.waitSignal(widget.ready, timeout=WAIT_MS):
        widget.start()
    yield widget
    host.close()


def hosted_view(qtbot: QtBot, tmp_path: Path) -> tuple[QWidget, ReturnsView]:
    """The view in a fixed-size host, as in the main window (which has a fixed minimum size)."""
    host = QWidget()
    qtbot.addWidget(host)
    host.setFixedSize(1366, 700)
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat, host)
    widget = ReturnsView(host, settings=settings)
    widget.setGeometry(0, 0, 1366, 700)
    host.show()
    return host, widget


def show(qtbot: QtBot, pane: ReturnDetailPane, return_id: int) -> None:
    with qtbot.waitSignal(pane.shown, timeout=WAIT_MS, check_params_cb=lambda rid: rid == return_id):
        pane.show_return(return_id)


def test_nothing_selected_shows_the_hint(pane: ReturnDetailPane, qtbot: QtBot) -> None:
    assert pane.note.isVisible() and pane.note.text() == HINT
    assert pane.return_id() is None
    assert pane.content is None  # built with the first return shown, off the first paint's path
    show(qtbot, pane, DETAILED_ID)
    pane.show_return(None)
    assert pane.note.text() == HINT and not pane.scroll.isVisible() and pane.return_id() is None


def test_the_detailed_return_reads_as_a_seller_needs(pane: ReturnDetailPane, qtbot: QtBot) -> None:
    show(qtbot, pane, DETAILED_ID)
    assert pane.return_id() == DETAILED_ID
    assert DETAILED_RMA in pane.content.header.text() and "Delivered" in pane.content.header.text()
    assert "A-to-z claim" in pane.content.header.text()
    assert (
        "Damaged in transit" in pane.content.reason.text()
        and "DAMAGED_BY_CARRIER" in pane.content.reason.text()
    )
    assert (
        "Arrived &lt;cracked&gt; &amp; leaking" in pane.content.reason.text()
    )  # the customer's text, escaped
    lines = pane.content.order_lines.text()
    assert "£47.98" in lines and "£21.60" in lines  # charged: 39.99 + 4.99 + 8.00 − 5.00; 2 mugs
    assert "£4.99" in lines and "+£34.99 pending" in lines and "promotion -£5.00" in lines
    assert "2 of 2" in lines and "1 of 1" in lines
    assert (
        "Royal Mail" in pane.content.tracking_heading.text()
        and "RM123456785GB" in pane.content.tracking_heading.text()
    )
    assert (
        pane.content.progress.reached() == Milestone.DELIVERED and pane.content.progress.side_label() is None
    )
    assert pane.content.progress.accessibleDescription() == "Delivered (4 of 4)"
    assert not pane.content.eta.isVisible()  # delivered: no estimate to show
    events = pane.content.events.text()
    assert events.index("Delivered") < events.index("Exception") < events.index("Label created")
    refunds = pane.content.refunds.text()
    assert "Waiting for your decision" in refunds and "£75.99 requested" in refunds
    assert "approve £71.00" in refunds and "waiting to sync" in refunds
    assert "A-to-z claim" in refunds and "Linked through the order" in refunds
    assert (
        "Customer called" in pane.content.inspections.text() and "2 photos" in pane.content.inspections.text()
    )
    history = pane.content.history.text()
    assert "Refund decision recorded" in history and "dev-1" in history and "Receipt synced" in history


def test_a_return_without_a_parcel(pane: ReturnDetailPane, qtbot: QtBot) -> None:
    show(qtbot, pane, BARE_ID)
    assert BARE_RMA in pane.content.header.text() and "Out of policy" in pane.content.header.text()
    assert "not shipped it" in pane.content.tracking_heading.text()
    assert not pane.content.progress.isVisible() and not pane.content.events.isVisible()
    assert "CR-EXT-0042" in pane.content.reason.text() and "not mapped" in pane.content.reason.text()
    assert "No refund requests" in pane.content.refunds.text()


def test_an_eta_says_how_it_was_estimated(pane: ReturnDetailPane, qtbot: QtBot, store: Store) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE returns SET eta_source = 'history', status = 'in_transit' WHERE id = ?", (DETAILED_ID,)
        )
        conn.exec_driver_sql("UPDATE shipments SET delivered_at = NULL WHERE id = ?", (ORDER_PK,))
    show(qtbot, pane, DETAILED_ID)
    assert pane.content.eta.isVisible() and "estimated from this carrier's history" in pane.content.eta.text()


def test_a_missing_return_says_so(pane: ReturnDetailPane, qtbot: QtBot) -> None:
    with qtbot.waitSignal(pane.load_failed, timeout=WAIT_MS):
        pane.show_return(987_654_321)
    assert "no longer in the local store" in pane.note.text() and pane.return_id() is None


def test_selecting_a_row_shows_that_return(view: ReturnsView, qtbot: QtBot) -> None:
    row = view.model.row_at(3)
    assert row is not None
    with qtbot.waitSignal(view.detail.shown, timeout=WAIT_MS) as shown:
        view.table.setCurrentIndex(view.model.index(3, 0))
    assert shown.args == [row.id] and row.rma in view.detail.content.header.text()
    view.table.setCurrentIndex(QModelIndex())
    assert view.detail.note.text() == HINT


def test_arrowing_fast_reads_and_shows_only_the_last_row(view: ReturnsView, qtbot: QtBot) -> None:
    seen: list[int] = []
    view.detail.shown.connect(seen.append)
    for row in range(10):
        view.table.setCurrentIndex(view.model.index(row, 0))
    last = view.model.row_at(9)
    assert last is not None
    qtbot.waitUntil(lambda: seen == [last.id], timeout=WAIT_MS)
    qtbot.wait(200)  # nothing else arrives later
    assert seen == [last.id]


def test_an_answer_for_a_row_left_behind_is_dropped(pane: ReturnDetailPane, qtbot: QtBot) -> None:
    """The read of A is under way (the DB lane is held up) when the seller moves to B: A never shows."""
    seen: list[int] = []
    pane.shown.connect(seen.append)
    Op(pane, lambda _ctx: time.sleep(0.3)).run_in_background()  # a slow write ahead in the queue
    pane.show_return(BARE_ID)
    pane.reload()  # read A now, without the pause
    pane.show_return(DETAILED_ID)
    qtbot.waitUntil(lambda: seen == [DETAILED_ID], timeout=WAIT_MS)
    qtbot.wait(150)
    assert seen == [DETAILED_ID] and DETAILED_RMA in pane.content.header.text()


def test_loading_shows_only_for_slow_reads(
    pane: ReturnDetailPane, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes: list[str] = []
    original = pane._show_note
    monkeypatch.setattr(pane, "_show_note", lambda text: (notes.append(text), original(text)))
    show(qtbot, pane, DETAILED_ID)
    assert notes == []  # a fast read went straight from the hint to the detail
    Op(pane, lambda _ctx: time.sleep(0.6)).run_in_background()
    with qtbot.waitSignal(pane.shown, timeout=WAIT_MS):
        pane.show_return(BARE_ID)
        qtbot.waitUntil(lambda: pane.note.isVisible() and pane.note.text() == "Loading…", timeout=WAIT_MS)
    assert notes == ["Loading…"] and pane.scroll.isVisible()


def test_the_pane_reads_again_when_the_list_reloads(view: ReturnsView, qtbot: QtBot, store: Store) -> None:
    view.search.setText(DETAILED_RMA)
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=WAIT_MS):
        view.search.returnPressed.emit()
    with qtbot.waitSignal(view.detail.shown, timeout=WAIT_MS):
        view.table.setCurrentIndex(view.model.index(0, 0))
    with store.writing() as s:
        s.add(Note(target_kind="return", target_id=str(DETAILED_ID), text="Box kept for the claim",
                   created_at=datetime.now(UTC)))  # fmt: skip
    with qtbot.waitSignal(view.detail.shown, timeout=WAIT_MS):
        view.model.reload()
    assert "Box kept for the claim" in view.detail.content.inspections.text()


def test_the_splitter_is_remembered(view: ReturnsView, qtbot: QtBot, tmp_path: Path) -> None:
    splitter = view.detail.parentWidget()
    assert isinstance(splitter, QSplitter)
    splitter.setSizes([900, 466])
    splitter.splitterMoved.emit(900, 1)  # what a drag of the handle emits
    saved = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat).value(SPLITTER_KEY)
    assert saved == splitter.saveState()
    _host, again = hosted_view(qtbot, tmp_path)
    qtbot.waitUntil(lambda: again.detail.width() > 0)
    twin = again.detail.parentWidget()
    assert isinstance(twin, QSplitter) and twin.sizes() == splitter.sizes()


def test_controls_have_accessible_names(pane: ReturnDetailPane, qtbot: QtBot) -> None:
    show(qtbot, pane, DETAILED_ID)
    assert pane.content is not None
    for widget in (
        pane,
        pane.content.header,
        pane.content.order_lines,
        pane.content.events,
        pane.content.refunds,
        pane.content.history,
        pane.content.progress,
    ):
        assert widget.accessibleName(), widget


def test_a_screenshot_of_the_returns_screen_shows_the_first_return(window: MainWindow) -> None:
    first = window.returns_view.model.row_at(0)
    assert first is not None
    _show_first_return(window)
    assert window.returns_view.detail.return_id() == first.id
    assert first.rma in window.returns_view.detail.content.header.text()


def test_a_sync_pull_reloads_the_shown_return_even_when_the_list_stays(
    window: MainWindow, qtbot: QtBot, store: Store
) -> None:
    """The seller has a row selected, so the list is not reset under them; the pane still shows news."""
    view = window.returns_view
    view.search.setText(DETAILED_RMA)
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=WAIT_MS):
        view.search.returnPressed.emit()
    with qtbot.waitSignal(view.detail.shown, timeout=WAIT_MS):
        view.table.setCurrentIndex(view.model.index(0, 0))
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE refund_requests SET state = 'completed' WHERE id = ?", (DETAILED_ID,))
    with qtbot.waitSignal(view.detail.shown, timeout=WAIT_MS):
        window.sync.data_changed.emit(1)
    assert (
        "Refunded" in view.detail.content.refunds.text()
        and "Waiting for your decision" not in view.detail.content.refunds.text()
    )
