"""The detail pane's content: titled sections of rich text, and the parcel's progress line.

Built the first time a return is shown, not with the window: its modules (the sections' HTML, the
wording, the painted progress line, the facts it reads) stay off the path to the list's first paint.
``fill`` only sets text; every value it shows comes from one ``ReturnDetail`` read on the DB thread.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from seller_desk.store.queries.return_detail_facts import ReturnDetail
from seller_desk.store.queries.returns_quick import STALLED_AFTER_DAYS
from seller_desk.ui.views import return_detail_sections as sections
from seller_desk.ui.views.return_detail_wording import eta_text, tracking_label
from seller_desk.ui.views.tracking_progress import TrackingProgressLine


class ReturnDetailContent(QWidget):
    """One label per section (each with an accessible name), in reading order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        spacing = self.fontMetrics().height()
        self._layout.setContentsMargins(spacing // 2, spacing // 2, spacing // 2, spacing)
        self.header = self._text("Return header")
        self.reason = self._section("Why it came back", "Reason and customer's comment")
        self.return_lines = self._text("Returned items")
        self.order_lines = self._section("Order", "Order lines and amounts")
        self.tracking_heading = self._section("Return parcel", "Carrier and tracking number")
        self.progress = TrackingProgressLine(self)
        self._layout.addWidget(self.progress)
        self.eta = self._text("Arrival estimate")
        self.events = self._text("Tracking events")
        self.refunds = self._section("Refund requests", "Refund requests")
        self.dates = self._section("Dates and label", "Dates and return label")
        self.inspections = self._section("Inspections and notes", "Inspections and notes")
        self.history = self._section("History", "History of this return")
        self._layout.addStretch(1)

    def _text(self, accessible_name: str) -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        label.setAccessibleName(accessible_name)
        self._layout.addWidget(label)
        return label

    def _section(self, title: str, accessible_name: str) -> QLabel:
        heading = QLabel(title, self)
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        heading.setFont(font)
        heading.setContentsMargins(0, self.fontMetrics().height() // 2, 0, 0)
        self._layout.addWidget(heading)
        return self._text(accessible_name)

    def fill(
        self,
        d: ReturnDetail,
        stalled_after_days: int = STALLED_AFTER_DAYS,
        holiday_country: str | None = None,
    ) -> None:
        now = datetime.now(UTC)
        self.header.setText(sections.header_html(d, now, stalled_after_days, holiday_country))
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
