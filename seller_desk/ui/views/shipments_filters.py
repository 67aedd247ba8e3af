"""The Shipments screen's filter bar: quick filters with live counts, menus, a shipped period, search.

The first row answers "which deliveries are going wrong" — one exclusive button per quick filter
(late, exception, lost, in transit) with the number of parcels it holds. The second narrows by status,
carrier, marketplace and when the parcel shipped, beside a search for an exact tracking number or
order id. The bar owns no data: it turns its controls into a ``ShipmentsFilter`` and says when that
changed; the view hands the filter to the model.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from seller_desk.domain.enums import TrackingStatus
from seller_desk.store.queries.shipments import ShipmentQuick, ShipmentsFilter
from seller_desk.ui.models.shipments_columns import tracking_status_label
from seller_desk.ui.views.filter_widgets import PeriodPicker, QuickFilterRow, menu_combo

SEARCH_PAUSE_MS = 300
QUICK_LABELS = {
    ShipmentQuick.LATE: "Late",
    ShipmentQuick.EXCEPTION: "Exception",
    ShipmentQuick.LOST: "Lost",
    ShipmentQuick.IN_TRANSIT: "In transit",
}
QUICK_TIPS = {
    ShipmentQuick.LATE: "Not delivered by the promised date, or delivered after it: buyers may ask for "
    "a refund or open an A-to-z claim",
    ShipmentQuick.EXCEPTION: "The carrier reports a problem (damaged, address, customs): contact the carrier",
    ShipmentQuick.LOST: "The carrier reports the parcel lost: refund or reship, and claim from the carrier",
    ShipmentQuick.IN_TRANSIT: "On its way: in transit, delayed, out for delivery, a failed attempt or "
    "waiting at a pick-up point",
}
PERIODS = (("Shipped any time", None), ("Shipped in the last 7 days", 7), ("Shipped in the last 30 days", 30),
           ("Shipped in the last 90 days", 90), ("Shipped between dates…", -1))  # fmt: skip
CUSTOM_PERIOD = len(PERIODS) - 1


class ShipmentsFilterBar(QWidget):
    """``changed`` fires when the filter the controls describe changes (search after a typing pause)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False
        self.quick = QuickFilterRow(
            self, tuple(ShipmentQuick), QUICK_LABELS, QUICK_TIPS, all_label="All shipments",
            all_tip="Every outbound parcel the filters below allow", counted="shipments",
        )  # fmt: skip
        self.quick_group, self.quick_buttons = self.quick.group, self.quick.buttons

        self.status = menu_combo(self, "Status filter", "All statuses", "The carrier's latest status")
        for status in TrackingStatus:
            self.status.addItem(tracking_status_label(status.value), status.value)
        self.carrier = menu_combo(self, "Carrier filter", "All carriers", "Carrier of the parcel")
        self.marketplace = menu_combo(
            self, "Marketplace filter", "All marketplaces", "Marketplace of the order"
        )
        self.dates = PeriodPicker(
            self,
            PERIODS,
            name="Shipped when",
            tip="When the parcel left",
            edit_names=("Shipped from", "Shipped until"),
            span_days=14,
        )
        self.period, self.date_from, self.date_to = self.dates.menu, self.dates.date_from, self.dates.date_to
        self.search = QLineEdit(self)
        self.search.setAccessibleName("Search shipments")
        self.search.setPlaceholderText("Tracking number or order id")
        self.search.setToolTip("Find a parcel by its exact tracking number or order id (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.clear_button = QPushButton("Clear filters", self)
        self.clear_button.setAccessibleName("Clear filters")
        self.clear_button.setToolTip("Show every outbound parcel again")

        menus = QHBoxLayout()
        menus.setSpacing(6)
        for widget in (
            self.status,
            self.carrier,
            self.marketplace,
            self.period,
            self.date_from,
            self.date_to,
        ):
            menus.addWidget(widget)
        menus.addWidget(self.search, 1)
        menus.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(self.quick.layout)
        layout.addLayout(menus)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_PAUSE_MS)
        self._search_timer.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._emit)
        self.quick_group.buttonToggled.connect(self._on_quick_toggled)
        for combo in (self.status, self.carrier, self.marketplace):
            combo.currentIndexChanged.connect(self._emit)
        self.period.currentIndexChanged.connect(self._on_period)
        self.date_from.dateChanged.connect(self._emit)
        self.date_to.dateChanged.connect(self._emit)
        self.clear_button.clicked.connect(self.clear)

    def current_filter(self) -> ShipmentsFilter:
        shipped_from, shipped_to = self.dates.bounds()
        status = self.status.currentData()
        return ShipmentsFilter(
            quick=self.current_quick(),
            statuses=(status,) if status else (),
            carrier=self.carrier.currentData(),
            marketplace=self.marketplace.currentData(),
            shipped_from=shipped_from,
            shipped_to=shipped_to,
            search=self.search.text(),
        )

    def _on_period(self) -> None:
        self.dates.show_dates()
        self._emit()

    def current_quick(self) -> ShipmentQuick | None:
        return self.quick.current()

    def select_quick(self, quick: ShipmentQuick | None) -> None:
        self.quick.select(quick)

    def set_counts(self, counts: dict[ShipmentQuick, int]) -> None:
        self.quick.set_counts(counts)

    def set_choices(self, choices: tuple[list[str], list[str]]) -> None:
        """Fill the carrier and marketplace menus, keeping what is selected."""
        self._quiet = True
        try:
            for combo, values in zip((self.carrier, self.marketplace), choices, strict=True):
                current = combo.currentData()
                while combo.count() > 1:
                    combo.removeItem(1)
                for value in values:
                    combo.addItem(value, value)
                combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
        finally:
            self._quiet = False

    def clear(self) -> None:
        """Every control back to "all", then one ``changed``."""
        self._quiet = True
        try:
            self.quick_buttons[None].setChecked(True)
            for combo in (self.status, self.carrier, self.marketplace, self.period):
                combo.setCurrentIndex(0)
            self.search.clear()
            self._search_timer.stop()
        finally:
            self._quiet = False
        self._emit()

    def _on_quick_toggled(self, _button: object, checked: bool) -> None:
        if checked:  # the button switched off fires too: one change per click
            self._emit()

    def _emit(self) -> None:
        if not self._quiet:
            self._search_timer.stop()
            self.changed.emit()
