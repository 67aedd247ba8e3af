"""The Shipments screen's detail pane: one parcel's timeline, its order, and refund requests on it.

The progress line across milestones is the return detail pane's ``TrackingProgressLine``, fed by the
same ``domain.tracking_progress`` rule, so an outbound parcel and a return parcel read the same way.

It shows ``ShipmentDetail`` facts read on the DB thread; it never reads itself. The timeline is the
carrier's events newest first (time, place, status, the carrier's words). Refund requests on the order
are listed with their state because late and lost deliveries turn into refund requests and A-to-z
claims: a seller looking at a late parcel must see that the buyer already asked.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seller_desk.store.queries import shipments as shipment_queries
from seller_desk.store.queries.shipment_detail import ShipmentDetail
from seller_desk.store.queries.shipments import days_late
from seller_desk.ui import formatting as fmt
from seller_desk.ui.models.shipments_columns import tracking_status_label
from seller_desk.ui.views.tracking_progress import TrackingProgressLine

EVENT_HEADERS = ("When", "Status", "Where")  # the carrier's own words are each row's tooltip
SOURCE_LABELS = {
    "customer": "Buyer's refund request",
    "return": "Refund for a return",
    "a_to_z": "A-to-z claim",
    "marketplace": "Marketplace refund",
}
EMPTY_TEXT = "Select a shipment to see its tracking timeline, its order and any refund request on it."


def _date(value: datetime | None) -> str:
    return "—" if value is None else fmt.local_datetime(int(value.timestamp()))


def _source_label(source: str, *, a_to_z: bool) -> str:
    return "A-to-z claim" if a_to_z else escape(SOURCE_LABELS.get(source, source))


class ShipmentDetailPane(QWidget):
    """``show_detail(detail)`` fills it; ``clear()`` returns it to the hint that says what to do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Shipment detail")
        self.heading = QLabel(EMPTY_TEXT, self)
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heading.setAccessibleName("Shipment summary")
        self.progress = TrackingProgressLine(self)  # the return detail's painted line, reused as is
        self.events = QTableWidget(0, len(EVENT_HEADERS), self)
        self.events.setAccessibleName("Tracking timeline")
        self.events.setHorizontalHeaderLabels(list(EVENT_HEADERS))
        self.events.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.events.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.events.verticalHeader().hide()
        self.events.setWordWrap(False)
        self.events.setAlternatingRowColors(True)
        rows = self.events.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.events.fontMetrics().height() + 8)
        columns = self.events.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(len(EVENT_HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.order = QLabel("", self)
        self.order.setWordWrap(True)
        self.order.setAccessibleName("Order")
        self.order.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refunds = QLabel("", self)
        self.refunds.setWordWrap(True)
        self.refunds.setAccessibleName("Refund requests on this order")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.progress)
        layout.addWidget(self.events, 1)
        layout.addWidget(self.order)
        layout.addWidget(self.refunds)
        self.detail: ShipmentDetail | None = None
        self.clear()

    def clear(self) -> None:
        self.detail = None
        self.heading.setText(EMPTY_TEXT)
        for widget in (self.progress, self.events, self.order, self.refunds):
            widget.hide()

    def show_detail(self, d: ShipmentDetail) -> None:
        self.detail = d
        status = tracking_status_label(d.status)
        promised, delivered = (
            None if t is None else int(t.timestamp()) for t in (d.promised_at, d.delivered_at)
        )
        late = days_late(d.status, promised, delivered, shipment_queries.now_epoch())
        late_text = (
            f" · <b style='color:#b01e14'>{late} day{'' if late == 1 else 's'} late</b>" if late else ""
        )
        self.heading.setText(
            f"<b>{escape(d.carrier)} {escape(d.tracking_number)}</b> — {escape(status)}{late_text}<br>"
            f"Shipped {_date(d.shipped_at)} · promised {_date(d.promised_at)} · carrier ETA "
            f"{_date(d.carrier_eta)} · delivered {_date(d.delivered_at)}"
        )
        side = d.progress.side_state
        self.progress.set_progress(d.progress.reached, tracking_status_label(side) if side else None)
        self.events.setRowCount(len(d.events))
        for i, e in enumerate(d.events):
            said = f"{e.text} ({e.raw_code})" if e.text else e.raw_code
            for j, text in enumerate(
                (_date(e.occurred_at), tracking_status_label(e.status), e.location or "")
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(said)
                self.events.setItem(i, j, item)
        lines = "".join(f"<br>{x.quantity} × {escape(x.title)} ({escape(x.sku)})" for x in d.lines)
        order = escape(d.order_id or "no order linked")
        buyer = f" · {escape(d.buyer_name)}" if d.buyer_name else ""
        self.order.setText(f"<b>Order {order}</b> · {escape(d.marketplace or '')}{buyer}{lines}")
        if d.refunds:
            items = "".join(
                f"<br>#{r.refund_request_id} {_source_label(r.source, a_to_z=r.a_to_z_claim)}: "
                f"<b>{escape(r.state.capitalize())}</b> · {fmt.money(r.requested_minor, r.currency)} asked, "
                f"{fmt.money(r.refunded_minor, r.currency)} refunded"
                for r in d.refunds
            )
            self.refunds.setText(f"<b>Refund requests on this order</b>{items}")
        else:
            self.refunds.setText("No refund request or A-to-z claim on this order.")
        for widget in (self.progress, self.events, self.order, self.refunds):
            widget.show()
