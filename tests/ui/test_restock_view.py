"""The Restock screen over the hand-built store: it plans in the background, selecting a SKU shows its
chart and explanation, a new setting re-plans, sorting keeps the selection, and Export writes the CSV."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from seller_desk.store.migrate import open_store
from seller_desk.store.uow import Store
from seller_desk.ui.models.restock_model import COLUMNS
from seller_desk.ui.views.restock_view import RestockView
from seller_desk.workers import TaskManager
from tests.fixtures.restock_data import DAY, NOON, TODAY, build_restock_store

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return build_restock_store(tmp_path / "data")


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    store = open_store(db_path)
    yield store
    store.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def view(qtbot: QtBot, tasks: TaskManager, settings: QSettings) -> RestockView:
    view = RestockView(settings=settings)
    view.today = TODAY
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    with qtbot.waitSignal(view.ready, timeout=10_000):
        view.start()
    return view


def _skus(view: RestockView) -> list[str]:
    return [view.model.index(i, 0).data() for i in range(view.model.rowCount())]


def test_the_plan_lists_every_sku_most_urgent_first(view: RestockView, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(view.model)
    assert _skus(view) == ["MUG-1", "TEE-1", "TEE-2"]
    assert view.model.headerData(0, Qt.Orientation.Horizontal) == "SKU"
    tee = view.model.row_of("TEE-1")
    assert tee is not None
    assert view.model.index(tee, 3).data() == "2.00"  # sales per day
    assert view.model.index(view.model.row_of("TEE-2") or 0, 7).data() == "—"  # never runs out
    assert "3 SKUs" in view.status.text()


def test_selecting_a_sku_shows_its_chart_and_why(qtbot: QtBot, view: RestockView) -> None:
    assert view.detail.shown_sku == "MUG-1"  # the most urgent is selected to start with
    view.select_sku("TEE-1")
    assert view.detail.shown_sku == "TEE-1"
    axes = view.detail.figure.axes
    assert len(axes) == 1 and "TEE-1" in axes[0].get_title(loc="left")
    labels = [line.get_label() for line in axes[0].get_lines()]
    assert "With returns in transit" in labels and "Without returns" in labels
    text = view.detail.explanation.toPlainText()
    reorder = view.model.row_at(view.model.row_of("TEE-1") or 0)
    assert reorder is not None
    assert text.startswith(f"Suggested reorder: {reorder.plan.reorder} units")
    assert "size fit, in transit, day 3" in text


def test_a_new_setting_replans_and_is_remembered(
    qtbot: QtBot, view: RestockView, settings: QSettings
) -> None:
    before = view.model.row_at(view.model.row_of("TEE-1") or 0)
    assert before is not None
    with qtbot.waitSignal(view.computed, timeout=10_000):
        view.settings_row.boxes["cover_target_days"].setValue(30)
        view.settings_row.apply_now()
    after = view.model.row_at(view.model.row_of("TEE-1") or 0)
    assert after is not None
    assert after.plan.reorder == before.plan.reorder + 2 * 16  # 16 more days of cover at 2 a day
    assert int(str(settings.value("restock/cover_target_days"))) == 30
    assert view.detail.shown_sku == "MUG-1"  # the selection survives the re-plan


def test_sorting_by_a_column_keeps_the_selected_sku(view: RestockView) -> None:
    view.select_sku("TEE-1")
    view.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # on hand, most first
    assert _skus(view) == ["TEE-1", "MUG-1", "TEE-2"]
    selected = view.table.selectionModel().selectedRows()
    assert [view.model.row_at(i.row()).sku for i in selected if view.model.row_at(i.row())] == ["TEE-1"]


def test_export_writes_the_plan_as_shown(qtbot: QtBot, view: RestockView, tmp_path: Path) -> None:
    out = tmp_path / "plan.csv"
    with qtbot.waitSignal(view.exported, timeout=10_000):
        view.export_to(out)
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [row["SKU"] for row in rows] == _skus(view)
    tee = next(row for row in rows if row["SKU"] == "TEE-1")
    plan = view.model.row_at(view.model.row_of("TEE-1") or 0)
    assert plan is not None
    assert int(tee["Suggested reorder"]) == plan.plan.reorder
    assert tee["Why"].endswith(f"→ {plan.plan.reorder}")
    assert len(COLUMNS) <= len(rows[0])


def test_the_restock_tab_builds_its_screen_when_first_opened(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    from seller_desk.ui.main_window import MainWindow
    from seller_desk.ui.views.pending_view import PendingView

    window = MainWindow(tasks, config_dir=tmp_path / "config")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.returns_view.ready, timeout=10_000):
        window.start(defer_others=False)
    assert isinstance(window.views["restock"], PendingView)  # nothing built, matplotlib not needed yet
    index = window.tabs.indexOf(window.views["restock"])
    window.select_view("restock")
    view = window.views["restock"]
    assert isinstance(view, RestockView)
    assert window.tabs.indexOf(view) == index and window.tabs.tabText(index) == "Restock"
    assert window.current_view() is view
    if not view.is_ready():
        with qtbot.waitSignal(view.ready, timeout=10_000):
            pass
    assert view.model.rowCount() == 3
    window.stop()


def test_new_data_from_a_sync_replans_while_shown(qtbot: QtBot, view: RestockView, db_path: Path) -> None:
    before = view.model.row_at(view.model.row_of("TEE-2") or 0)
    assert before is not None and before.plan.inbound_units == 0
    with sqlite3.connect(db_path) as conn:  # what a pull writes: a new return on its way
        conn.execute(
            "INSERT INTO returns (id, rma, order_pk, order_id, marketplace, channel, currency, status, sku,"
            " quantity, reason, reason_raw, in_policy, requested_at, week, eta, label_cost_minor,"
            " a_to_z_claim, safet_claim, value_minor, server_version) VALUES (99, 'RMA-99', 99, 'O-99', 'US',"
            " 'FBM', 'USD', 'in_transit', 'TEE-2', 4, 'size_fit', 'RAW', 1, ?, 0, ?, 0, 0, 0, 0, 0)",
            (NOON - DAY, NOON + 2 * DAY),
        )
        conn.execute(
            "INSERT INTO return_lines (return_id, sku, quantity, reason, reason_raw, in_policy)"
            " VALUES (99, 'TEE-2', 4, 'size_fit', 'RAW', 1)"
        )
    with qtbot.waitSignal(view.computed, timeout=10_000):
        view.refresh_if_shown(1)
    after = view.model.row_at(view.model.row_of("TEE-2") or 0)
    assert after is not None and after.plan.inbound_units == 4


def test_a_setting_changed_during_the_first_read_is_planned_with(
    qtbot: QtBot, tasks: TaskManager, settings: QSettings
) -> None:
    view = RestockView(settings=settings)
    view.today = TODAY
    qtbot.addWidget(view)
    view.show()
    view.start()
    view.settings_row.boxes["horizon_days"].setValue(10)  # before the first answer arrives
    view.settings_row.apply_now()
    with qtbot.waitSignal(view.ready, timeout=10_000):
        pass
    row = view.model.row_at(0)
    assert row is not None and len(row.plan.with_returns) == 11
