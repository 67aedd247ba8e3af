"""The Returns screen's actions, driven through the main window as a seller (and a scanner) would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from seller_desk.domain.enums import ConditionGrade, Disposition
from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.push_queue import claim_due
from seller_desk.store.receiving import receive_by_key
from seller_desk.store.uow import Store
from seller_desk.ui.dialogs.inspection_dialog import InspectionDialog
from seller_desk.ui.dialogs.note_dialog import NoteDialog
from seller_desk.ui.main_window import MainWindow
from seller_desk.ui.views.returns_actions import UNDO_TIP, ReturnsActions
from tests.fixtures.returns_data import seed_returns

# The offscreen platform (tests only) cannot pass a dialog's size hints to a window manager and says so.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
WAIT_MS = 10_000
PNG = b"\x89PNG\r\n\x1a\n" + b"\x02" * 64


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A store of this test's own: these tests write (the shared small store is read-only)."""
    opened = open_store(tmp_path / "data" / DB_FILENAME)
    seed_returns(opened, 400)
    yield opened
    opened.close()


def rows(store: Store, sql: str, **params: object) -> list[tuple[object, ...]]:
    with store.reading() as s:
        return [tuple(r) for r in s.execute(text(sql), params)]


def waiting_keys(store: Store, n: int) -> list[tuple[int, str, str]]:
    """(id, rma, tracking number) of returns in transit."""
    found = rows(
        store,
        "SELECT id, rma, tracking_number FROM returns WHERE status = 'in_transit' "
        "AND tracking_number IS NOT NULL ORDER BY id LIMIT :n",
        n=n,
    )
    return [(int(str(i)), str(r), str(t)) for i, r, t in found]


def actions_of(window: MainWindow) -> ReturnsActions:
    return window.returns_view.actions


def show_only(qtbot: QtBot, window: MainWindow, search: str) -> None:
    view = window.returns_view
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=WAIT_MS):
        view.search.setText(search)
        qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert view.model.rowCount() == 1
    view.table.setCurrentIndex(view.model.index(0, 0))


def scan(qtbot: QtBot, window: MainWindow, key: str) -> None:
    box = actions_of(window).receive_box.edit
    qtbot.keyClicks(box, key)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_two_quick_scans_are_both_received_in_scan_order(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    (first_id, first_rma, first_tracking), (second_id, second_rma, _t) = waiting_keys(store, 2)
    box = actions_of(window).receive_box
    qtbot.keyClick(window, Qt.Key.Key_F6)
    assert box.edit.hasFocus()
    scan(qtbot, window, first_tracking.lower())
    scan(qtbot, window, second_rma)  # typed while the first is still being recorded
    assert box.pending() == 2 and box.edit.text() == "" and box.edit.hasFocus()
    qtbot.waitUntil(lambda: box.pending() == 0 and box.received_count == 2, timeout=WAIT_MS)
    targets = rows(
        store, "SELECT target FROM mutations m JOIN outbox o ON o.mutation_id = m.id ORDER BY o.seq"
    )
    assert targets == [(f"return:{first_id}",), (f"return:{second_id}",)]
    assert box.outcome.text() == f"✓ {second_rma} received"
    assert [box.recent.item(i).text()[10:] for i in range(2)] == [
        second_rma,
        f"{first_rma}  ({first_tracking.lower()})",
    ]
    assert [a.label for a in actions_of(window).undo_stack] == [
        f"receipt of {first_rma}",
        f"receipt of {second_rma}",
    ]


def test_a_bad_scan_shows_the_refusal_and_writes_nothing(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    box = actions_of(window).receive_box
    scan(qtbot, window, "NO-SUCH-PARCEL")
    qtbot.waitUntil(lambda: box.pending() == 0 and "NO-SUCH-PARCEL" in box.outcome.text(), timeout=WAIT_MS)
    assert box.outcome.text() == "✗ 'NO-SUCH-PARCEL': no return has this RMA, tracking number or order id"
    assert "a33a00" in box.outcome.styleSheet()  # the warning colour
    assert rows(store, "SELECT count(*) FROM mutations") == [(0,)]
    assert box.recent.count() == 0


def test_mark_three_selected_received(qtbot: QtBot, window: MainWindow, store: Store) -> None:
    view = window.returns_view
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=WAIT_MS):
        view.status_filter.setCurrentIndex(view.status_filter.findText("In transit"))
    before = view.model.rowCount()
    chosen = [view.model.row_at(r) for r in (0, 2, 4)]
    selection = view.table.selectionModel()
    for r in (0, 2, 4):
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        selection.select(view.model.index(r, 0), flags)
    with qtbot.waitSignal(view.model.first_page_loaded, timeout=WAIT_MS):  # the list reloads after the act
        qtbot.keyClick(view.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert view.model.rowCount() == before - 3
    assert window.statusBar().currentMessage() == "3 received"
    ids = [row.id for row in chosen if row is not None]
    got = rows(store, f"SELECT status FROM returns WHERE id IN ({','.join(map(str, ids))})")
    assert got == [("received",)] * 3


def test_inspection_dialog_records_grades_note_and_copied_photos(
    qtbot: QtBot, window: MainWindow, store: Store, tmp_path: Path
) -> None:
    ((rid, rma, _t),) = waiting_keys(store, 1)
    with store.writing() as s:
        receive_by_key(s, rma, user="bench")
    show_only(qtbot, window, rma)
    actions = actions_of(window)
    qtbot.keyClick(window.returns_view.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(actions.dialog, InspectionDialog), timeout=WAIT_MS)
    dialog = actions.dialog
    assert isinstance(dialog, InspectionDialog) and dialog.isVisible() and len(dialog.forms) == 1
    form = dialog.forms[0]
    assert form.condition.currentIndex() == -1 and not dialog.record_button.isEnabled()  # nothing preset
    form.set_condition(ConditionGrade.DAMAGED)
    assert dialog.record_button.isEnabled()
    assert form.disposition.currentData() == Disposition.CLAIM  # the grade's default
    form.set_disposition(Disposition.LIQUIDATE)
    form.set_condition(ConditionGrade.LIKE_NEW)  # a hand-picked disposition stays
    assert form.disposition.currentData() == Disposition.LIQUIDATE
    qtbot.keyClicks(form.note, "seal broken")
    photo = tmp_path / "bench-photo.png"
    photo.write_bytes(PNG)
    form.add_photos([str(photo), str(photo)])
    assert form.photos.count() == 1
    dialog.accept()
    qtbot.waitUntil(
        lambda: bool(rows(store, "SELECT 1 FROM mutations WHERE kind = 'inspection_recorded'")),
        timeout=WAIT_MS,
    )
    (payload,) = rows(store, "SELECT payload FROM mutations WHERE kind = 'inspection_recorded'")[0]
    line = json.loads(str(payload))["lines"][0]
    assert (line["condition"], line["disposition"], line["note"]) == ("like_new", "liquidate", "seal broken")
    (kept,) = line["photos"]
    assert Path(kept).parent == store.path.parent / "evidence" / str(rid) and Path(kept).read_bytes() == PNG
    assert rows(store, "SELECT status FROM returns WHERE id = :i", i=rid) == [("inspected",)]


def test_inspecting_a_return_not_yet_received_says_why(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    ((_rid, rma, _t),) = waiting_keys(store, 1)
    show_only(qtbot, window, rma)
    actions_of(window).inspect_selected()
    box = actions_of(window).receive_box
    qtbot.waitUntil(lambda: "before inspecting" in box.outcome.text(), timeout=WAIT_MS)
    assert box.outcome.text() == f"✗ return {rma} is in_transit; record its receipt before inspecting it"
    assert actions_of(window).dialog is None


def test_note_dialog_adds_a_note(qtbot: QtBot, window: MainWindow, store: Store) -> None:
    ((rid, rma, _t),) = waiting_keys(store, 1)
    show_only(qtbot, window, rma)
    actions = actions_of(window)
    qtbot.keyClick(window.returns_view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = actions.dialog
    assert isinstance(dialog, NoteDialog) and not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.editor, "Customer says the box was left in the rain.")
    assert dialog.ok.isEnabled()
    dialog.accept()
    qtbot.waitUntil(lambda: bool(actions.undo_stack), timeout=WAIT_MS)  # recorded, and the screen heard
    assert rows(store, "SELECT target_kind, target_id, text FROM notes") == [
        ("return", str(rid), "Customer says the box was left in the rain.")
    ]
    assert actions.undo_stack[-1].label == f"note on {rma}"


def test_undo_while_queued_removes_the_act_and_its_effect(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    ((rid, rma, _t),) = waiting_keys(store, 1)
    actions = actions_of(window)
    scan(qtbot, window, rma)
    qtbot.waitUntil(lambda: actions.undo_button.isEnabled(), timeout=WAIT_MS)
    assert rows(store, "SELECT status FROM returns WHERE id = :i", i=rid) == [("received",)]
    assert "Undo the receipt of" in actions.undo_button.toolTip()
    qtbot.keyClick(actions.receive_box.edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # empty box
    qtbot.waitUntil(lambda: not actions.undo_stack, timeout=WAIT_MS)
    assert rows(store, "SELECT count(*) FROM mutations") == [(0,)]
    assert rows(store, "SELECT count(*) FROM outbox") == [(0,)]
    assert rows(store, "SELECT status, received_at FROM returns WHERE id = :i", i=rid) == [
        ("in_transit", None)
    ]
    assert window.statusBar().currentMessage() == f"Undone: the receipt of {rma}"
    assert not actions.undo_button.isEnabled() and actions.undo_button.toolTip() == UNDO_TIP  # nothing left


def test_undo_after_the_act_was_sent_is_refused_with_the_reason(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    ((rid, rma, _t),) = waiting_keys(store, 1)
    actions = actions_of(window)
    scan(qtbot, window, rma)
    qtbot.waitUntil(lambda: actions.undo_button.isEnabled(), timeout=WAIT_MS)
    with store.writing() as s:  # the sync worker claims it and starts sending
        assert len(claim_due(s, datetime.now(UTC), limit=10)) == 1
    window.sync.round_finished.emit()  # what the worker says after a round
    qtbot.waitUntil(lambda: not actions.undo_button.isEnabled(), timeout=WAIT_MS)
    assert actions.undo_button.toolTip() == f"Cannot undo: the receipt of {rma} was already sent (sending)"
    qtbot.keyClick(window.returns_view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (
        window.statusBar().currentMessage() == f"Cannot undo: the receipt of {rma} was already sent (sending)"
    )
    assert rows(store, "SELECT status FROM returns WHERE id = :i", i=rid) == [("received",)]
    assert rows(store, "SELECT count(*) FROM mutations") == [(1,)]


def test_every_control_has_a_name_and_a_tooltip(window: MainWindow) -> None:
    actions = actions_of(window)
    controls = [
        actions.receive_box.edit,
        actions.receive_button,
        actions.inspect_button,
        actions.note_button,
        actions.undo_button,
    ]
    for control in controls:
        assert control.accessibleName() and control.toolTip(), control
    assert actions.receive_box.edit.placeholderText() == "Scan or type a tracking number, RMA or order id"


def test_acts_without_a_selection_say_what_to_select(qtbot: QtBot, window: MainWindow, store: Store) -> None:
    window.returns_view.table.clearSelection()
    window.returns_view.table.setCurrentIndex(window.returns_view.model.index(-1, -1))
    qtbot.keyClick(window.returns_view.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert (
        window.statusBar().currentMessage()
        == "Select the returns to mark received (Shift or Ctrl for several)"
    )
    qtbot.keyClick(window.returns_view.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "Select a return to inspect first"
    assert actions_of(window).dialog is None
    assert rows(store, "SELECT count(*) FROM mutations") == [(0,)]
