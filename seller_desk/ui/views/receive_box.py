"""The Receive box: a line edit made for a barcode scanner at the bench.

A scanner "types" a whole code in a few milliseconds and presses Enter, and the next parcel may be
scanned before the first receipt is written. So Enter only *queues* the key and clears the box at
once (focus stays for the next scan); the queue is worked off one key at a time, in scan order, each
key its own background transaction. Nothing typed is ever dropped, and the outcomes read in the order
the parcels were scanned. The last receipts of this session stay listed beside the box.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QListView, QListWidget, QVBoxLayout, QWidget

from seller_desk.ui.tones import set_tone
from seller_desk.workers import Op
from seller_desk.workers.returns_actions import Act, Refused, current_user, receive_key, refusal_as_value

if TYPE_CHECKING:
    from seller_desk.store.receiving import Received

RECENT_SHOWN = 10
PLACEHOLDER = "Scan or type a tracking number, RMA or order id"


class ReceiveBox(QWidget):
    """``acted`` carries each recorded receipt (for undo and the list's reload)."""

    acted = Signal(object)  # Act
    idle = Signal()  # the queue ran dry: every scanned key has its outcome

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._queue: deque[str] = deque()
        self._busy = False
        self._user = current_user()
        self.received_count = 0

        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(PLACEHOLDER)
        self.edit.setAccessibleName("Receive box")
        self.edit.setToolTip(
            "Scan the parcel's barcode (or type its tracking number, RMA or order id) and press Enter to "
            "mark the return received (F6 or Ctrl+L comes here)"
        )
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance(PLACEHOLDER) + 40)

        self.outcome = QLabel(self)
        self.outcome.setAccessibleName("Last receipt")
        self.outcome.setToolTip("What the last scan did")
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.setWordWrap(True)

        self.recent = QListWidget(self)
        self.recent.setAccessibleName("Received this session")
        self.recent.setToolTip(f"The last {RECENT_SHOWN} returns received here in this session, newest first")
        # One line, newest at the left: the table keeps its rows; older receipts slide off the right.
        self.recent.setFlow(QListView.Flow.LeftToRight)
        self.recent.setWrapping(False)
        self.recent.setSpacing(4)
        self.recent.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.recent.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.recent.setFixedHeight(self.recent.fontMetrics().height() + 14)
        self.recent_label = QLabel("Received here:", self)
        self.recent_label.hide()
        self.recent.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&Receive:", self)
        label.setBuddy(self.edit)  # Alt+R, and screen readers name the box by its label
        row.addWidget(label)
        row.addWidget(self.edit)
        row.addWidget(self.outcome, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        recent_row = QHBoxLayout()
        recent_row.setContentsMargins(0, 0, 0, 0)
        recent_row.addWidget(self.recent_label)
        recent_row.addWidget(self.recent, 1)
        layout.addLayout(recent_row)

        self.edit.returnPressed.connect(self._on_enter)
        self.edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """An empty box lets Ctrl+Z through to the screen's Undo (the last receipt), not to itself."""
        if (
            watched is self.edit
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Undo)
            and not self.edit.text()
        ):
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    def pending(self) -> int:
        """Keys scanned but not yet answered (the one being recorded included)."""
        return len(self._queue) + (1 if self._busy else 0)

    def focus_box(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def submit(self, key: str) -> None:
        """Queue one key as if scanned (the Enter handler, and scripts)."""
        key = key.strip()
        if not key:
            return
        self._queue.append(key)
        self._show_pending()
        self._next()

    def _on_enter(self) -> None:
        key = self.edit.text()
        self.edit.setText("")  # not clear(): setText drops the edit's own undo, so Ctrl+Z undoes the receipt
        self.submit(key)

    def _next(self) -> None:
        if self._busy:
            return
        if not self._queue:
            self.idle.emit()
            return
        self._busy = True
        key = self._queue.popleft()
        op = Op(self, refusal_as_value(lambda ctx: receive_key(ctx, key, self._user)))
        op.success(self._on_outcome).failure(self._on_refused).run_in_background()

    def _on_outcome(self, outcome: Received | Refused) -> None:
        if isinstance(outcome, Refused):
            self._on_refused(outcome)
        else:
            self._on_received(outcome)

    def _on_received(self, done: Received) -> None:
        self._busy = False
        self.received_count += 1
        self.say(f"✓ {done.rma} received", ok=True)
        shown = done.rma if done.key.upper() == done.rma.upper() else f"{done.rma}  ({done.key})"
        self.recent.insertItem(0, f"{datetime.now():%H:%M:%S}  {shown}")
        self.recent.item(0).setToolTip(
            f"Received {done.rma} (scanned {done.key!r}) at {datetime.now():%H:%M:%S}"
        )
        while self.recent.count() > RECENT_SHOWN:
            self.recent.takeItem(self.recent.count() - 1)
        self.recent.show()
        self.recent_label.show()
        self.acted.emit(Act(f"receipt of {done.rma}", (done.mutation_id,)))
        self._next()

    def _on_refused(self, error: BaseException | Refused) -> None:
        self._busy = False
        self.say(f"✗ {error}", ok=False)
        self._next()

    def say(self, text: str, *, ok: bool) -> None:
        """Show an outcome beside the box: green for done, a warning colour for refused."""
        waiting = len(self._queue)
        self.outcome.setText(text + (f"   ({waiting} more scanned, recording…)" if waiting else ""))
        set_tone(self.outcome, "ok" if ok else "refused")

    def _show_pending(self) -> None:
        if self._busy and self._queue:
            self.outcome.setText(f"Recording… ({len(self._queue)} more waiting)")
            set_tone(self.outcome, None)
