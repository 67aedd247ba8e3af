"""The Returns screen's detail pane: one return's order, reason, tracking, refunds and history.

Reading is an ``Op`` on the DB lane (``workers/return_detail.py``); the GUI thread only lays out text.
The content (``return_detail_content.py``) and the modules behind it load with the first return shown,
off the path to the list's first paint. Three rules keep the pane calm while the seller arrows through
the list:

- ``show_return`` waits ``SELECT_PAUSE_MS`` for the selection to settle, so rows passed over on the way
  queue no read; a newer request cancels the older read if it has not started yet.
- Every read carries a generation; an answer for a return the seller has moved away from is dropped.
- "Loading…" appears only if a read takes longer than ``LOADING_DELAY_MS``; until then the previous
  content stays, so a fast read (a few ms) never flashes an empty pane.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from seller_desk.store.queries.returns_quick import STALLED_AFTER_DAYS
from seller_desk.workers import Op

if TYPE_CHECKING:
    from seller_desk.store.queries.return_detail_facts import ReturnDetail
    from seller_desk.ui.views.return_detail_content import ReturnDetailContent

SELECT_PAUSE_MS = 100
LOADING_DELAY_MS = 300
HINT = "Select a return to see its details"
MIN_WIDTH_CHARS = 36  # the pane stays readable down to ~36 average characters (≈ 260 px at 9 pt)
PREFERRED_WIDTH_CHARS = 70  # ≈ 420 px at the default font: the list keeps the rest of a 1366 screen


class ReturnDetailPane(QWidget):
    """``shown(return_id)`` fires each time a return's detail is on screen (tests, screenshots)."""

    shown = Signal(int)
    load_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Return details")
        self._wanted: int | None = None
        self._shown: int | None = None
        self.stalled_after_days = STALLED_AFTER_DAYS  # the seller's setting (``set_stalled_after_days``)
        self.holiday_country: str | None = None  # the seller's holiday calendar; None: the marketplace's
        self._generation = 0
        self._op: Op[ReturnDetail] | None = None
        self._debounce = QTimer(self, singleShot=True, interval=SELECT_PAUSE_MS)
        self._debounce.timeout.connect(self._read)
        self._loading_delay = QTimer(self, singleShot=True, interval=LOADING_DELAY_MS)
        self._loading_delay.timeout.connect(lambda: self._show_note("Loading…"))

        self.note = QLabel(HINT, self)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Detail pane message")
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setAccessibleName("Return details")
        self.content: ReturnDetailContent | None = None  # built with the first return shown
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.scroll, 1)
        self.scroll.hide()
        # An explicit minimum (not the layout's, which changes as the note and the details swap) keeps
        # the window's size constraints still while the seller moves from return to return.
        metrics = self.fontMetrics()
        self.setMinimumSize(metrics.averageCharWidth() * MIN_WIDTH_CHARS, metrics.height() * 8)

    def sizeHint(self) -> QSize:
        width = self.fontMetrics().averageCharWidth() * PREFERRED_WIDTH_CHARS
        return QSize(width, super().sizeHint().height())

    # --- public API --------------------------------------------------------------------------------

    def show_return(self, return_id: int | None) -> None:
        """Show ``return_id`` once the selection settles; ``None`` shows the hint at once."""
        if return_id is None:
            self._wanted = None
            self._cancel_read()
            self._shown = None
            self._show_note(HINT)
            return
        if return_id == self._wanted:
            return
        self._wanted = return_id
        self._generation += 1  # an answer already on its way is for a row the seller left
        self._debounce.start()

    def set_stalled_after_days(self, days: int) -> None:
        """The seller's stalled threshold changed: the header's "No scan for N+ days" follows it."""
        if days != self.stalled_after_days:
            self.stalled_after_days = days
            self.reload()

    def set_holiday_country(self, country: str | None) -> None:
        """The seller's holiday calendar changed: the header's business-day flags count with it."""
        if country != self.holiday_country:
            self.holiday_country = country
            self.reload()

    def reload(self) -> None:
        """Read the shown return again now (a sync pull or an action changed it)."""
        if self._wanted is not None:
            self._debounce.stop()
            self._read()

    def return_id(self) -> int | None:
        """The return whose detail is on screen (None while the hint or a message shows)."""
        return None if self.scroll.isHidden() else self._shown

    # --- reading -----------------------------------------------------------------------------------

    def _cancel_read(self) -> None:
        self._debounce.stop()
        self._loading_delay.stop()
        self._generation += 1
        if self._op is not None:
            self._op.cancel()
            self._op = None

    def _read(self) -> None:
        from seller_desk.workers.return_detail import read_return_detail

        wanted = self._wanted
        if wanted is None:
            return
        self._cancel_read()
        generation = self._generation
        self._loading_delay.start()
        self._op = Op(self, partial(read_return_detail, return_id=wanted))
        self._op.success(partial(self._on_read, generation)).failure(partial(self._on_failed, generation))
        self._op.run_in_background()

    def _on_read(self, generation: int, detail: ReturnDetail) -> None:
        if generation != self._generation:
            return
        self._loading_delay.stop()
        self._op = None
        same = detail.return_id == self._shown
        position = self.scroll.verticalScrollBar().value()
        if self.content is None:
            from seller_desk.ui.views.return_detail_content import ReturnDetailContent

            self.content = ReturnDetailContent(self.scroll)
            self.scroll.setWidget(self.content)
        self.content.fill(detail, self.stalled_after_days, self.holiday_country)
        self._shown = detail.return_id
        self.note.hide()
        self.scroll.show()
        self.scroll.verticalScrollBar().setValue(position if same else 0)
        self.shown.emit(detail.return_id)

    def _on_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading_delay.stop()
        self._op = None
        self._shown = None
        from seller_desk.store.queries.return_detail_facts import ReturnNotFound

        if isinstance(error, ReturnNotFound):
            message = "This return is no longer in the local store (a sync may have removed it)."
        else:
            message = f"Could not read this return: {error}"
        self._show_note(message)
        self.load_failed.emit(message)

    def _show_note(self, text: str) -> None:
        self.note.setText(text)
        self.scroll.hide()
        self.note.show()
