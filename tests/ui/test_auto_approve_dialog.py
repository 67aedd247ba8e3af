"""The auto-approve rules dialog: a rule is replayed before it can be switched on, and an edit after
the replay asks for another."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from seller_desk.paths import DB_FILENAME
from seller_desk.store.auto_approve import list_rules
from seller_desk.store.migrate import open_store
from seller_desk.store.uow import Store
from seller_desk.ui.dialogs.auto_approve_dialog import AutoApproveRulesDialog
from seller_desk.workers import TaskManager
from tests.fixtures.refund_review_data import add_review_requests

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / DB_FILENAME)
    add_review_requests(opened)
    yield opened
    opened.close()


def test_replay_then_switch_on(qtbot: QtBot, tasks: TaskManager, store: Store) -> None:
    dialog = AutoApproveRulesDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=5_000)  # "New rule…"
    dialog.name.setText("Small")
    dialog.max_amount.setText("100.00")
    dialog.received.setChecked(False)
    dialog.in_policy.setChecked(False)
    dialog.months.setValue(36)
    assert not dialog.switch_on.isEnabled()
    dialog.what_if.click()
    qtbot.waitUntil(lambda: "would have approved" in dialog.result.text(), timeout=5_000)
    assert "<b>3</b> of 4 requests" in dialog.result.text()  # the fixture's three USD requests
    assert dialog.switch_on.isEnabled()
    dialog.max_amount.setText("100.01")
    assert not dialog.switch_on.isEnabled()  # edited after the replay: replay again
    dialog.max_amount.setText("100.00")
    assert dialog.switch_on.isEnabled()
    with qtbot.waitSignal(dialog.changed, timeout=5_000):
        dialog.switch_on.click()
    qtbot.waitUntil(lambda: dialog.list.count() == 2, timeout=5_000)
    with store.reading() as s:
        (rule,) = list_rules(s)
    assert rule.enabled and rule.name == "Small" and not rule.require_received


def test_a_rule_without_an_amount_says_so(qtbot: QtBot, tasks: TaskManager) -> None:
    dialog = AutoApproveRulesDialog()
    qtbot.addWidget(dialog)
    dialog.name.setText("Zero")
    dialog.max_amount.setText("0")
    assert "above zero" in dialog.error.text() and not dialog.save_off.isEnabled()
    dialog.max_amount.setText("1.234")
    assert not dialog.save_off.isEnabled() and dialog.error.text()
