"""The Shipments screen over hand-built parcels: the model's contract and paging, quick filters → rows,
selecting a parcel → its timeline, order and refund requests; empty states that say what to do."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from seller_desk.domain.tracking_progress import Milestone
from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.queries import shipments as shipment_queries
from seller_desk.store.queries.shipments import ShipmentQuick, ShipmentsFilter, page_shipments
from seller_desk.store.uow import Store
from seller_desk.ui.models.shipments_model import PAGE_ROWS, ShipmentsTableModel
from seller_desk.ui.views.shipments_filters import CUSTOM_PERIOD
from seller_desk.ui.views.shipments_view import NO_MATCH, QUICK_EMPTY, ShipmentsView
from seller_desk.workers import TaskManager
from tests.fixtures.shipments_data import NOW, add_named_shipments, add_random_shipments

RANDOM_ROWS = 500
# The offscreen platform says so whenever a shown window's size hints change (the pane's wrapped labels)
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def store(tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The named parcels (and, parametrized with ``"many"``, hundreds more), judged at the fixture's NOW."""
    monkeypatch.setattr(shipment_queries, "now_epoch", lambda: NOW)
    path = tmp_path / DB_FILENAME
    store = open_store(path)
    conn = sqlite3.connect(path)
    add_named_shipments(conn)
    if getattr(request, "param", None) == "many":
        add_random_shipments(conn, RANDOM_ROWS)
    conn.commit()
    conn.close()
    yield store
    store.close()


@pytest.fixture
def view(qtbot: QtBot, tasks: TaskManager) -> ShipmentsView:
    view = ShipmentsView()
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    with qtbot.waitSignal(view.ready, timeout=10_000):
        view.start()
    return view


def _ids(model: ShipmentsTableModel) -> list[int]:
    return [row.id for row in (model.row_at(i) for i in range(model.rowCount())) if row is not None]


def _click_quick(qtbot: QtBot, view: ShipmentsView, quick: ShipmentQuick | None) -> None:
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=10_000):
        view.filters.quick_buttons[quick].click()


@pytest.mark.parametrize("store", ["many"], indirect=True)
def test_model_passes_qts_model_tester_and_pages_by_keyset(
    qtbot: QtBot, qtmodeltester: ModelTester, tasks: TaskManager, store: Store
) -> None:
    model = ShipmentsTableModel()
    with qtbot.waitSignal(model.first_page_loaded, timeout=10_000):
        model.start()
    qtmodeltester.check(model)
    assert model.rowCount() == PAGE_ROWS < model.total()
    while model.rowCount() < model.total():  # the view's scrolling asks for the next page the same way
        before = model.rowCount()
        model.fetchMore()  # a no-op while a page is on its way (the model tester may have asked already)
        qtbot.waitUntil(lambda: model.rowCount() > before, timeout=10_000)  # noqa: B023
    assert model.rowCount() == model.total()
    with store.engine.connect() as conn:
        expected = [r.id for r in page_shipments(conn, ShipmentsFilter(), None, 10_000, now=NOW)]
    assert _ids(model) == expected


def test_quick_filters_show_their_rows_and_counts(qtbot: QtBot, view: ShipmentsView) -> None:
    assert _ids(view.model) == [4, 1, 3, 8, 2, 7, 5, 6]
    # ready (what the screenshot waits for) means the counts are on their buttons too
    assert view.filters.quick_buttons[ShipmentQuick.LATE].text() == "Late  4"
    assert view.filters.quick_buttons[ShipmentQuick.LOST].text() == "Lost  1"
    _click_quick(qtbot, view, ShipmentQuick.LATE)
    assert _ids(view.model) == [4, 1, 3, 5]
    assert view.count_label.text() == "4 shipments"
    _click_quick(qtbot, view, ShipmentQuick.EXCEPTION)
    assert _ids(view.model) == [3]
    _click_quick(qtbot, view, ShipmentQuick.IN_TRANSIT)
    assert _ids(view.model) == [1, 8, 2]
    days_late = view.model.index(0, 9).data()
    claim = view.model.index(0, 10).data()
    assert (days_late, claim) == ("2", "A-to-z")


def test_selecting_a_late_parcel_shows_its_timeline_and_claim(qtbot: QtBot, view: ShipmentsView) -> None:
    _click_quick(qtbot, view, ShipmentQuick.LATE)
    with qtbot.waitSignal(view.detail_shown, timeout=10_000) as shown:
        view.select_row(1)  # parcel 1: three scans, an A-to-z claim on its order
    assert shown.args == [1]
    pane = view.detail
    assert pane.events.isVisible() and pane.events.rowCount() == 3
    assert [pane.events.item(i, 2).text() for i in range(3)] == [
        "Bristol Depot, GB", "Manchester Hub, GB", "Leeds, GB"
    ]  # fmt: skip
    assert "#1 A-to-z claim: <b>Pending</b>" in pane.refunds.text()
    assert "203-0000001-0000001" in pane.order.text()
    assert "2 days late" in pane.heading.text()
    assert pane.progress.isVisible() and pane.progress.reached() == Milestone.IN_TRANSIT
    assert pane.progress.side_label() is None
    assert pane.events.item(0, 0).toolTip() == "Scan 3 (IN_TRANSIT)"  # the carrier's own words
    with qtbot.waitSignal(view.detail_shown, timeout=10_000):
        view.select_row(3)  # parcel 5: delivered late, no request
    assert pane.events.rowCount() == 0
    assert pane.refunds.text() == "No refund request or A-to-z claim on this order."
    with qtbot.waitSignal(view.detail_shown, timeout=10_000):
        view.select_row(2)  # parcel 3: the carrier reports an exception
    assert pane.progress.side_label() == "Exception"
    _click_quick(qtbot, view, None)
    assert not pane.events.isVisible()  # a new list clears the pane back to its hint


def test_a_filter_matching_nothing_says_what_to_do(qtbot: QtBot, view: ShipmentsView) -> None:
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=10_000):
        view.filters.search.setText("no-such-parcel")
    assert view.empty_note.isVisible() and view.empty_note.text() == NO_MATCH
    assert not view.table.isVisible()
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=10_000):
        view.filters.clear_button.click()
    assert view.table.isVisible() and view.model.rowCount() == 8
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=10_000):
        view.filters.carrier.addItem("Nobody Post", "Nobody Post")
        view.filters.carrier.setCurrentIndex(view.filters.carrier.count() - 1)
    assert view.empty_note.text() == NO_MATCH


def test_an_empty_quick_filter_reads_as_good_news(qtbot: QtBot, view: ShipmentsView, store: Store) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE shipments SET status = 'in_transit' WHERE status = 'lost'")
    _click_quick(qtbot, view, ShipmentQuick.LOST)
    assert view.empty_note.isVisible() and view.empty_note.text() == QUICK_EMPTY[ShipmentQuick.LOST]


def test_a_sync_refreshes_the_list_only_while_the_seller_is_not_working_in_it(
    qtbot: QtBot, view: ShipmentsView, store: Store
) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE shipments SET promised_at = promised_at - 40 * 86400 WHERE id = 2")
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=10_000):
        view.refresh_if_idle()
    assert _ids(view.model)[0] == 2  # now the most overdue
    with qtbot.waitSignal(view.detail_shown, timeout=10_000):
        view.select_row(3)
    with qtbot.assertNotEmitted(view.model.first_page_loaded, wait=200):
        view.refresh_if_idle()  # a selected row stays where the seller left it


def test_shipped_between_dates_filters_on_local_days(qtbot: QtBot, view: ShipmentsView) -> None:
    bar = view.filters
    assert not bar.date_from.isVisible()
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=10_000):
        bar.period.setCurrentIndex(CUSTOM_PERIOD)
    assert bar.date_from.isVisible() and bar.date_to.isVisible()
    shipped = QDateTime.fromSecsSinceEpoch(NOW - 4 * 86_400).date()  # every named parcel left then
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=10_000):
        bar.date_from.setDate(shipped.addDays(1))
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=10_000):
        bar.date_to.setDate(shipped.addDays(2))
    assert view.empty_note.isVisible()
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=10_000):
        bar.date_from.setDate(shipped)
    assert view.model.rowCount() == 8
