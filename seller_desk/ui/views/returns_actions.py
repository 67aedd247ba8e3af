"""The Returns screen's action row: the Receive box, Mark received, Inspect, Add note and Undo.

Every act is a queued mutation written in the background (``workers.returns_actions``); when it is
recorded the list reloads (it shows the new status at once), the sync worker is nudged so the act is
sent soon, and the act goes on this session's undo stack. Undo takes back the newest act while its
mutations are still queued; once the sync worker has sent it the button turns off and says why (the
check runs after each act and after each sync round).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableView, QVBoxLayout, QWidget

from seller_desk.ui.views.receive_box import ReceiveBox
from seller_desk.workers import Lane, Op, OpContext
from seller_desk.workers.returns_actions import (
    Act,
    InspectionEntry,
    InspectionSubject,
    ReceiveSummary,
    Refused,
    add_note,
    current_user,
    keep_evidence,
    load_inspection_subject,
    receive_returns,
    record_inspection,
    refusal_as_value,
    undo_act,
    undo_blocker,
)

if TYPE_CHECKING:
    from seller_desk.ui.dialogs.inspection_dialog import InspectionDialog
    from seller_desk.ui.dialogs.note_dialog import NoteDialog
    from seller_desk.ui.models.returns_model import ReturnsTableModel
    from seller_desk.workers.sync_worker import SyncController

T = TypeVar("T")
MAX_BATCH = 1000  # per click: a bigger selection is almost surely a slip (and ~12 ms each, one fsync apiece)
UNDO_TIP = "Take back the last action while it is still waiting to be sent (Ctrl+Z)"


class ReturnsActions(QWidget):
    """``message`` carries each act's outcome for the status bar; ``acted`` each recorded act."""

    message = Signal(str)
    acted = Signal(object)  # Act

    def __init__(self, table: QTableView, model: ReturnsTableModel, parent: QWidget) -> None:
        super().__init__(parent)
        self.table, self.model = table, model
        self.sync: SyncController | None = None
        self.undo_stack: list[Act] = []
        self.undo_reason: str | None = None  # why the newest act cannot be undone, once it was sent
        self._user = current_user()
        self.dialog: InspectionDialog | NoteDialog | None = None  # the one open, for tests and focus

        self.receive_box = ReceiveBox(self)
        self.receive_button = self._button("Mark received", "Mark the selected returns received (Ctrl+R)")
        self.inspect_button = self._button(
            "Inspect…", "Record the inspection of the selected return (Ctrl+I)"
        )
        self.note_button = self._button("Add note…", "Add a note to the selected return (Ctrl+N)")
        self.undo_button = self._button("Undo", UNDO_TIP)
        self.undo_button.setEnabled(False)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.receive_button, self.inspect_button, self.note_button, self.undo_button):
            buttons.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.receive_box, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)

        self.receive_box.acted.connect(lambda act: self._on_acted(act, said=True))
        self.receive_button.clicked.connect(self.receive_selected)
        self.inspect_button.clicked.connect(self.inspect_selected)
        self.note_button.clicked.connect(self.note_selected)
        self.undo_button.clicked.connect(self.undo_last)
        for keys, slot in (
            ("Ctrl+R", self.receive_selected),
            ("Ctrl+I", self.inspect_selected),
            ("Ctrl+N", self.note_selected),
            ("Ctrl+Z", self.undo_last),
            ("F6", self.receive_box.focus_box),
            ("Ctrl+L", self.receive_box.focus_box),
        ):
            shortcut = QShortcut(QKeySequence(keys), parent)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.rstrip("…"))
        button.setToolTip(tip)
        return button

    def set_sync(self, controller: SyncController) -> None:
        """Nudge this worker after each act, and re-check Undo after each of its rounds."""
        self.sync = controller
        controller.round_finished.connect(self._check_undo)

    # --- selection ---------------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        found = (self.model.row_at(r) for r in rows)
        return [row.id for row in found if row is not None]

    def _one_selected(self, what: str) -> tuple[int, str] | None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is None:
            self._say(f"Select a return to {what} first", ok=False)
            return None
        return row.id, row.rma

    # --- acts --------------------------------------------------------------------------------------

    def receive_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self._say("Select the returns to mark received (Shift or Ctrl for several)", ok=False)
            return
        if len(ids) > MAX_BATCH:
            self._say(f"{len(ids):,} returns selected; mark at most {MAX_BATCH:,} received at once", ok=False)
            return
        self.receive_button.setEnabled(False)
        self.receive_box.say(f"Receiving {len(ids):,} return{'' if len(ids) == 1 else 's'}…", ok=True)
        self._run(lambda ctx: receive_returns(ctx, ids, self._user), self._on_received_many)

    def _on_received_many(self, summary: ReceiveSummary) -> None:
        self.receive_button.setEnabled(True)
        self._say(summary.text(), ok=not summary.refused)
        if summary.received:
            rmas = ", ".join(rma for _id, rma, _m in summary.received[:3])
            more = f" and {len(summary.received) - 3} more" if len(summary.received) > 3 else ""
            act = Act(f"receipt of {rmas}{more}", tuple(m for _i, _r, m in summary.received))
            self._on_acted(act, said=True)

    def inspect_selected(self) -> None:
        chosen = self._one_selected("inspect")
        if chosen is None:
            return
        self._run(lambda ctx: load_inspection_subject(ctx, chosen[0]), self._open_inspection)

    def _open_inspection(self, subject: InspectionSubject) -> None:
        from seller_desk.ui.dialogs.inspection_dialog import InspectionDialog  # with the first inspection

        dialog = InspectionDialog(subject, self)
        dialog.accepted.connect(lambda: self._record_inspection(subject, dialog.entries()))
        self._show_dialog(dialog)

    def _record_inspection(self, subject: InspectionSubject, entries: list[InspectionEntry]) -> None:
        def record(kept: list[InspectionEntry]) -> None:
            self._run(lambda ctx: record_inspection(ctx, subject.return_id, kept, self._user), self._on_acted)

        if any(entry.photos for entry in entries):  # copy photos on the I/O lane, then write
            self._run(lambda ctx: keep_evidence(ctx, subject.return_id, entries), record, lane=Lane.IO)
        else:
            record(entries)

    def note_selected(self) -> None:
        chosen = self._one_selected("add a note to")
        if chosen is None:
            return
        return_id, rma = chosen
        from seller_desk.ui.dialogs.note_dialog import NoteDialog

        dialog = NoteDialog(rma, self)

        def write() -> None:
            text = dialog.text()
            self._run(lambda ctx: add_note(ctx, return_id, text, self._user), self._on_acted)

        dialog.accepted.connect(write)
        self._show_dialog(dialog)

    def _show_dialog(self, dialog: InspectionDialog | NoteDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()  # window-modal, and the event loop keeps running (no exec())

    # --- undo --------------------------------------------------------------------------------------

    def undo_last(self) -> None:
        if not self.undo_stack:
            self._say("Nothing to undo in this session", ok=False)
            return
        if self.undo_reason is not None:
            self._say(f"Cannot undo: {self.undo_reason}", ok=False)
            return
        act = self.undo_stack[-1]
        self.undo_button.setEnabled(False)
        self._run(lambda ctx: undo_act(ctx, act, self._user), self._on_undone, refused=self._on_undo_failed)

    def _on_undone(self, act: Act) -> None:
        if self.undo_stack and self.undo_stack[-1] == act:
            self.undo_stack.pop()
        self._say(f"Undone: the {act.label}", ok=True)
        self.model.reload()
        self._check_undo()

    def _on_undo_failed(self, error: BaseException | Refused) -> None:
        self._say(f"Cannot undo: {error}", ok=False)
        self._check_undo()

    def _check_undo(self) -> None:
        """Ask the store whether the newest act is still queued; the button follows the answer."""
        if not self.undo_stack:
            self._show_undo(None)
            return
        act = self.undo_stack[-1]
        op: Op[Any] = Op(self, lambda ctx: undo_blocker(ctx, act))
        op.success(lambda reason: self._show_undo(reason if self.undo_stack[-1:] == [act] else None))
        op.run_in_background()

    def _show_undo(self, reason: str | None) -> None:
        self.undo_reason = reason
        has_act = bool(self.undo_stack)
        self.undo_button.setEnabled(has_act and reason is None)
        if not has_act:
            self.undo_button.setToolTip(UNDO_TIP)
        elif reason is None:
            self.undo_button.setToolTip(f"Undo the {self.undo_stack[-1].label} (Ctrl+Z); it is not sent yet")
        else:
            self.undo_button.setToolTip(f"Cannot undo: {reason}")

    # --- outcomes ----------------------------------------------------------------------------------

    def _on_acted(self, act: Act, *, said: bool = False) -> None:
        self.undo_stack.append(act)
        if not said:
            self._say(f"✓ Recorded the {act.label}; it is queued to sync", ok=True)
        self.model.reload()
        if self.sync is not None:
            self.sync.nudge()
        self._check_undo()
        self.acted.emit(act)

    def _run(
        self,
        fn: Callable[[OpContext], T],
        done: Callable[[T], None],
        *,
        refused: Callable[[BaseException | Refused], None] | None = None,
        lane: Lane = Lane.DB,
    ) -> None:
        """Run ``fn`` in the background; ``done`` gets its result, a refusal or a fault is said."""
        on_refused = refused or self._on_failed

        def finish(outcome: T | Refused) -> None:
            if isinstance(outcome, Refused):
                on_refused(outcome)
            else:
                done(outcome)

        op = Op(self, refusal_as_value(fn), lane=lane)
        op.success(finish).failure(on_refused).run_in_background()

    def _on_failed(self, error: BaseException | Refused) -> None:
        self.receive_button.setEnabled(True)
        self._say(f"✗ {error}", ok=False)

    def _say(self, text: str, *, ok: bool) -> None:
        self.receive_box.say(text, ok=ok)
        self.message.emit(text)
