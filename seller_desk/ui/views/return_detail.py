"""The Returns screen's detail pane: one return's order, reason, tracking, refunds and history.

Reading is an ``Op`` on the DB lane (``workers/return_detail.py``); the GUI thread only lays out text.
Three rules keep it calm while the seller arrows through the list:

- ``show_return`` waits ``SELECT_PAUSE_MS`` for the selection to settle, so rows passed over on the way
  queue no read; a newer request cancels the older read if it has not started yet.
- Every read carries a generation; an answer for a return the seller has moved away from is dropped.
- "Loading…" appears only if a read takes longer than ``LOADING_DELAY_MS``; until then the previous
  content stays, so a fast read (a few ms) never flashes an empty pane.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from seller_desk.store.queries.return_detail_facts import ReturnDetail, ReturnNotFound
from seller_desk.ui.views import return_detail_sections as sections
from seller_desk.ui.views.return_detail_wording import eta_text, tracking_label
from seller_desk.ui.views.tracking_progress import TrackingProgressLine
from seller_desk.workers import Op
from seller_desk.workers.return_detail import read_return_detail

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
        self._build_content()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.scroll, 1)
        self.scroll.hide()
        # An explicit minimum (not the layout's, which changes as the note and the details swap) keeps
        # the window's size constraints still while the seller moves from return to return.
        metrics = self.fontMetrics()
        self.setMinimumSize(metrics.averageCharWidth() * MIN_WIDTH_CHARS, metrics.height() * 8)

    def _build_content(self) -> None:
        content = QWidget(self.scroll)
        self._layout = QVBoxLayout(content)
        spacing = self.fontMetrics().height()
        self._layout.setContentsMargins(spacing // 2, spacing // 2, spacing // 2, spacing)
        self.header = self._text("Return header")
        self.reason = self._section("Why it came back", "Reason and customer's comment")
        self.return_lines = self._text("Returned items")
        self.order_lines = self._section("Order", "Order lines and amounts")
        self.tracking_heading = self._section("Return parcel", "Carrier and tracking number")
        self.progress = TrackingProgressLine(content)
        self._layout.addWidget(self.progress)
        self.eta = self._text("Arrival estimate")
        self.events = self._text("Tracking events")
        self.refunds = self._section("Refund requests", "Refund requests")
        self.dates = self._section("Dates and label", "Dates and return label")
        self.inspections = self._section("Inspections and notes", "Inspections and notes")
        self.history = self._section("History", "History of this return")
        self._layout.addStretch(1)
        self.scroll.setWidget(content)

    def _text(self, accessible_name: str) -> QLabel:
        label = QLabel(self.scroll)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        label.setAccessibleName(accessible_name)
        self._layout.addWidget(label)
        return label

    def _section(self, title: str, accessible_name: str) -> QLabel:
        heading = QLabel(title, self.scroll)
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        heading.setFont(font)
        heading.setContentsMargins(0, self.fontMetrics().height() // 2, 0, 0)
        self._layout.addWidget(heading)
        return self._text(accessible_name)

    def sizeHint(self) -> QSize:
        return QSize(
            self.fontMetrics().averageCharWidth() * PREFERRED_WIDTH_CHARS, super().sizeHint().height()
        )

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
        self._fill(detail)
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

    # --- filling -------------------------------------------------------------------------------

    def _fill(self, d: ReturnDetail) -> None:
        now = datetime.now(UTC)
        self.header.setText(sections.header_html(d, now))
        self.reason.setText(sections.reason_html(d))
        self.return_lines.setText(sections.return_lines_html(d))
        self.order_lines.setText(sections.lines_html(d))
        shipment = d.shipment
        has_parcel = shipment is not None
        self.progress.setVisible(has_parcel)
        self.events.setVisible(has_parcel)
        if shipment is None:
            self.tracking_heading.setText(sections.no_parcel_text(d.status))
            self.eta.setText("")
        else:
            side = shipment.progress.side_state
            self.tracking_heading.setText(sections.tracking_heading_html(shipment))
            self.progress.set_progress(shipment.progress.reached, tracking_label(side) if side else None)
            self.eta.setText(eta_text(d.eta, d.eta_source, status=d.status, now=now))
            self.events.setText(sections.events_html(shipment))
        self.eta.setVisible(bool(self.eta.text()))
        self.refunds.setText(sections.refunds_html(d.refund_requests))
        self.dates.setText(sections.dates_html(d))
        self.inspections.setText(sections.inspections_html(d))
        self.history.setText(sections.history_html(d))
