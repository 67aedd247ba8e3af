"""The Refunds screen over hand-built requests: the model's contract, tabs and counts, the detail,
approve in full, bulk approve, undo, the decision dialog's checks and preview, and conflicts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from seller_desk.domain.refund_review import rejection
from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.models import Conflict, Mutation
from seller_desk.store.queries.refund_queue import QueueTab
from seller_desk.store.refund_review import load_review_facts, record_decision
from seller_desk.store.uow import Store
from seller_desk.ui.dialogs.refund_conflict_dialog import RefundConflictDialog
from seller_desk.ui.dialogs.refund_decision_dialog import DecideRefundDialog
from seller_desk.ui.views.refunds_view import TABS, RefundsView
from seller_desk.workers import TaskManager
from seller_desk.workers.refunds import load_conflict
from tests.fixtures.refund_review_data import NOW, REQ_EUR, REQ_FULL, REQ_SAME_ORDER, add_review_requests

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / DB_FILENAME)
    add_review_requests(opened)
    yield opened
    opened.close()


@pytest.fixture
def view(qtbot: QtBot, tasks: TaskManager) -> RefundsView:
    view = RefundsView()
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    with qtbot.waitSignal(view.ready, timeout=10_000):
        view.start()
    return view


def ids(view: RefundsView) -> list[int]:
    return [row.request_id for n in range(view.model.rowCount()) if (row := view.model.row_at(n))]


def payloads(store: Store) -> list[dict[str, object]]:
    with store.reading() as s:
        return [json.loads(p) for p in s.scalars(select(Mutation.payload))]


def test_model_contract_tabs_counts_and_overdue_in_red(view: RefundsView, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(view.model)
    assert ids(view) == [REQ_SAME_ORDER, REQ_EUR, REQ_FULL]
    assert view.tab_bar.tabText(TABS.index(QueueTab.PENDING)) == "To decide (3)"
    assert view.tab_bar.tabText(TABS.index(QueueTab.COMPLETED)) == "Completed (1)"
    red = view.model.data(view.model.index(0, 0), Qt.ItemDataRole.ForegroundRole)
    assert red is not None and red.color().red() > 150  # the fixture's deadlines are long past
    assert "overdue" in view.model.data(view.model.index(0, 0))


def test_selecting_shows_money_and_history(qtbot: QtBot, view: RefundsView) -> None:
    view.table.selectRow(2)
    qtbot.waitUntil(lambda: f"Refund request {REQ_FULL}" in view.detail.text.toPlainText(), timeout=5_000)
    text = view.detail.text.toPlainText()
    assert "RVW0001RMA" in text and "$50.00" in text and "No decision yet." in text


def test_approve_in_full_then_undo(qtbot: QtBot, view: RefundsView, store: Store) -> None:
    view.table.selectRow(2)
    qtbot.waitUntil(lambda: view.actions.full_button.isEnabled(), timeout=5_000)
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=5_000):
        view.actions.full_button.click()
    assert REQ_FULL not in ids(view) and "Decided, awaiting sync (1)" in view.tab_bar.tabText(1)
    assert payloads(store)[0]["decision"] == "approve"
    view.tab_bar.setCurrentIndex(TABS.index(QueueTab.AWAITING_SYNC))
    qtbot.waitUntil(lambda: ids(view) == [REQ_FULL], timeout=5_000)
    view.table.selectRow(0)
    qtbot.waitUntil(lambda: view.actions.undo_button.isEnabled(), timeout=5_000)
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=5_000):
        view.actions.undo_button.click()
    assert ids(view) == [] and payloads(store) == []


def test_bulk_approve_confirms_a_summary(qtbot: QtBot, view: RefundsView, store: Store, monkeypatch) -> None:
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    view.table.selectAll()
    qtbot.waitUntil(lambda: view.actions.bulk_button.isEnabled(), timeout=5_000)
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=5_000):
        view.actions.bulk_button.click()
    # 25.00 of lamp principal first, then REQ_FULL's 50.00 principal is no longer all refundable
    assert "2 requests · $25.00, €10.00" in asked[0] and "1 cannot be approved in full" in asked[0]
    assert ids(view) == [REQ_FULL] and len(payloads(store)) == 2


def test_the_dialog_checks_the_fee_rule_and_records_what_it_previews(qtbot: QtBot, tasks: TaskManager,
                                                                      store: Store) -> None:  # fmt: skip
    dialog = DecideRefundDialog(REQ_FULL)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.facts is not None, timeout=5_000)
    assert dialog.ok.isEnabled() and "82.00 USD" in dialog.preview.text()
    dialog.partial.setChecked(True)
    rows = {dialog.table.item(r, 0).text().split()[0] + "/" + dialog.table.item(r, 1).text(): r
            for r in range(dialog.table.rowCount())}  # fmt: skip
    for key, row in rows.items():
        dialog.table.item(row, 7).setText("20.00" if key == "SHADE-1/Principal" else "0")
    dialog.fee.setValue(25)
    assert not dialog.ok.isEnabled() and "needs evidence attached" in dialog.preview.text()
    dialog.fee.setValue(15)
    assert (
        dialog.ok.isEnabled()
        and "17.00" in dialog.preview.text()
        and "RestockingFee" in dialog.preview.text()
    )
    assert "restocking fee of 15 %" in dialog.message.toPlainText()
    dialog.table.item(rows["LAMP-2/Tax"], 7).setText("4.001")
    assert not dialog.ok.isEnabled()
    dialog.table.item(rows["LAMP-2/Tax"], 7).setText("0")
    with qtbot.waitSignal(dialog.decided, timeout=5_000):
        dialog.ok.click()
    (payload,) = payloads(store)
    assert payload["restocking_fee_bp"] == 1500 and "restocking fee" in str(payload["customer_message"])


def test_a_rejection_needs_a_reason(qtbot: QtBot, tasks: TaskManager, store: Store) -> None:
    dialog = DecideRefundDialog(REQ_EUR)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.facts is not None, timeout=5_000)
    dialog.rejecting.setChecked(True)
    assert not dialog.ok.isEnabled() and dialog.ok.text() == "Reject"
    dialog.reason.setCurrentText("Item not returned")
    assert dialog.ok.isEnabled() and "Item not returned" in dialog.message.toPlainText()


def test_a_conflict_is_discarded_from_its_dialog(qtbot: QtBot, tasks: TaskManager, store: Store) -> None:
    with store.writing() as s:
        mutation = record_decision(s, rejection(load_review_facts(s, REQ_EUR), "late"), user="a", checks=())
        s.get(Mutation, mutation.id).status = "conflict"  # type: ignore[union-attr]
        s.add(Conflict(mutation_id=mutation.id, reason="state_changed", created_at=NOW,
                       server_snapshot=json.dumps({"state": "auto_refunded"})))  # fmt: skip
    row = load_conflict(type("Ctx", (), {"store": store})(), mutation.id)  # type: ignore[arg-type]
    assert row is not None
    dialog = RefundConflictDialog(row)
    qtbot.addWidget(dialog)
    assert any("auto_refunded" in label.text() for label in dialog.findChildren(QLabel))
    with qtbot.waitSignal(dialog.resolved, timeout=5_000) as got:
        dialog.discard.click()
    assert got.args == [mutation.id, "discarded"]
    with store.reading() as s:
        assert s.scalar(select(Conflict.resolution)) == "discarded"
