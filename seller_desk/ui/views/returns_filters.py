"""The Returns screen's filter bar: quick filters with live counts, menus, a date range and the search.

Two rows. The first answers "what needs me today" — one exclusive button per quick filter, each with
the number of returns it holds (``store.queries.returns_quick``). The second narrows by status, reason,
category, marketplace, channel, carrier and request date, beside the search box. The bar owns no data:
it turns its controls into a ``ReturnsFilter`` and says when that changed; the view hands the filter to
the model. Its state is a plain dict so the view can remember it between runs.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from seller_desk.domain.enums import CanonicalReason, ReturnStatus
from seller_desk.store.queries.returns import ReturnsFilter
from seller_desk.store.queries.returns_choices import FilterChoices
from seller_desk.store.queries.returns_quick import QuickFilter
from seller_desk.ui.formatting import reason_label, status_label
from seller_desk.ui.views.filter_widgets import PeriodPicker, QuickFilterRow, menu_combo
from seller_desk.ui.views.returns_pin import PinnedScope

SEARCH_PAUSE_MS = 300
QUICK_LABELS = {
    QuickFilter.ARRIVING_TODAY: "Arriving today",
    QuickFilter.ARRIVING_WEEK: "Arriving in 7 days",
    QuickFilter.STALLED: "Stalled",
    QuickFilter.LOST_OR_EXCEPTION: "Lost or exception",
    QuickFilter.AWAITING_RECEIPT: "Delivered, not received",
    QuickFilter.AWAITING_INSPECTION: "Received, not inspected",
}
QUICK_TIPS = {
    QuickFilter.ARRIVING_TODAY: "Not yet delivered, with an ETA today (local time)",
    QuickFilter.ARRIVING_WEEK: "Not yet delivered, with an ETA within the next seven days",
    QuickFilter.STALLED: "In transit with no carrier scan for 5 days or more",
    QuickFilter.LOST_OR_EXCEPTION: "Lost, or in transit with a carrier exception, a failed delivery attempt "
    "or a return to sender",
    QuickFilter.AWAITING_RECEIPT: "The carrier delivered them: scan them in at the bench",
    QuickFilter.AWAITING_INSPECTION: "Received at the bench and waiting for inspection",
}
OPEN_STATUSES = ("requested", "authorized", "in_transit", "delivered")
STATUS_CHOICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("All statuses", ()),
    ("Open — not yet received", OPEN_STATUSES),
    *((status_label(s), (str(s),)) for s in ReturnStatus),
)
PERIODS = (("Any time", None), ("Last 7 days", 7), ("Last 30 days", 30), ("Last 90 days", 90),
           ("Last 12 months", 365), ("Between dates…", -1))  # fmt: skip
CUSTOM_PERIOD = len(PERIODS) - 1


class ReturnsFilterBar(QWidget):
    """``changed`` fires when the filter the controls describe changes (search after a typing pause)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False
        self.quick = QuickFilterRow(
            self, tuple(QuickFilter), QUICK_LABELS, QUICK_TIPS,
            all_label="All returns", all_tip="Every return the filters below allow", counted="returns",
        )  # fmt: skip
        self.quick_group, self.quick_buttons = self.quick.group, self.quick.buttons

        self.status = menu_combo(self, "Status filter", "All statuses", "Show returns in this status")
        self.status.clear()
        for label, statuses in STATUS_CHOICES:
            self.status.addItem(label, statuses)
        self.reason = menu_combo(self, "Reason filter", "All reasons", "Canonical return reason")
        for reason in CanonicalReason:
            self.reason.addItem(reason_label(reason.value, reason.value), reason.value)
        self.category = menu_combo(self, "Category filter", "All categories", "Catalogue category of the SKU")
        self.marketplace = menu_combo(
            self, "Marketplace filter", "All marketplaces", "Marketplace of the order"
        )
        self.channel = menu_combo(self, "Channel filter", "All channels", "FBA: Amazon ships; MFN: you ship")
        self.carrier = menu_combo(self, "Carrier filter", "All carriers", "Carrier of the return parcel")
        self.dates = PeriodPicker(
            self,
            PERIODS,
            name="Requested when",
            tip="When the customer asked to return",
            edit_names=("Requested from", "Requested until"),
            span_days=30,
        )
        self.period, self.date_from, self.date_to = self.dates.menu, self.dates.date_from, self.dates.date_to
        self.search = QLineEdit(self)
        self.search.setAccessibleName("Search returns")
        self.search.setPlaceholderText("RMA, order id, tracking number or SKU")
        self.search.setToolTip("Find returns by an exact RMA, order id, tracking number or SKU (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.clear_button = QPushButton("Clear filters", self)
        self.clear_button.setAccessibleName("Clear filters")
        self.clear_button.setToolTip("Show every return again")
        self.pinned = PinnedScope(self)  # a chart's drill-down: one SKU, exact UTC bounds
        self.export_button = QPushButton("Export…", self)
        self.export_button.setAccessibleName("Export the list")
        self.export_button.setToolTip("Save the returns this filter shows as CSV or an Excel workbook")

        menus = QHBoxLayout()
        menus.setSpacing(6)
        for widget in (self.status, self.reason, self.category, self.marketplace, self.channel, self.carrier,
                       self.period, self.date_from, self.date_to):  # fmt: skip
            menus.addWidget(widget)
        menus.addWidget(self.pinned)
        menus.addWidget(self.search, 1)
        menus.addWidget(self.clear_button)
        menus.addWidget(self.export_button)
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
        for combo in (self.status, self.reason, self.category, self.marketplace, self.channel, self.carrier):
            combo.currentIndexChanged.connect(self._emit)
        self.period.currentIndexChanged.connect(self._on_period)
        self.date_from.dateChanged.connect(self._emit)
        self.date_to.dateChanged.connect(self._emit)
        self.clear_button.clicked.connect(self.clear)
        self.pinned.removed.connect(self._emit)

    # -- the filter ------------------------------------------------------------------------------------
    def current_filter(self) -> ReturnsFilter:
        requested_from, requested_to = self.dates.bounds()
        return self.pinned.apply(
            ReturnsFilter(
                statuses=tuple(self.status.currentData() or ()),
                reason=self.reason.currentData(),
                category=self.category.currentData(),
                marketplace=self.marketplace.currentData(),
                channel=self.channel.currentData(),
                carrier=self.carrier.currentData(),
                requested_from=requested_from,
                requested_to=requested_to,
                search=self.search.text(),
                quick=self.current_quick(),
            )
        )

    def current_quick(self) -> QuickFilter | None:
        return self.quick.current()

    def clear(self, *, search: str = "") -> None:
        """Every control back to "all" (the search to ``search``), then one ``changed``."""
        self._quiet = True
        try:
            self._reset(search)
        finally:
            self._quiet = False
        self._emit()

    def _reset(self, search: str) -> None:
        self.quick_buttons[None].setChecked(True)
        for combo in (self.status, self.reason, self.category, self.marketplace, self.channel,
                      self.carrier, self.period):  # fmt: skip
            combo.setCurrentIndex(0)
        self.search.setText(search)
        self._search_timer.stop()
        self.pinned.unpin()

    def drill_down(self, f: ReturnsFilter, text: str) -> None:
        """Show exactly the returns ``f`` selects (a chart's bar or cell): the menus take its reason,
        category, marketplace and channel, the pinned scope its SKU and exact bounds; one ``changed``."""
        self._quiet = True
        try:
            self._reset("")
            for combo, value in ((self.reason, f.reason), (self.category, f.category),
                                 (self.marketplace, f.marketplace), (self.channel, f.channel)):  # fmt: skip
                if value is not None and combo.findData(value) < 0:
                    combo.addItem(value, value)  # the menu fills later; keep the choice meanwhile
                combo.setCurrentIndex(0 if value is None else combo.findData(value))
            self.pinned.pin(
                sku=f.sku, start=f.requested_from, end=f.requested_to, text=text, unmapped=f.reason_unmapped
            )
        finally:
            self._quiet = False
        self._emit()

    # -- live data -------------------------------------------------------------------------------------
    def set_counts(self, counts: dict[QuickFilter, int]) -> None:
        self.quick.set_counts(counts)

    def set_choices(self, choices: FilterChoices) -> None:
        """Fill the menus with the values present; a remembered choice stays selected."""
        self._quiet = True
        try:
            menus = (
                (self.category, choices.categories),
                (self.marketplace, choices.marketplaces),
                (self.channel, choices.channels),
                (self.carrier, choices.carriers),
            )
            for combo, values in menus:
                wanted = combo.currentData()
                first = combo.itemText(0)
                combo.clear()
                combo.addItem(first, None)
                for value in sorted({*values, *([wanted] if wanted else [])}):
                    combo.addItem(value.capitalize() if combo is self.category else value, value)
                combo.setCurrentIndex(max(0, combo.findData(wanted)) if wanted else 0)
        finally:
            self._quiet = False

    # -- remembered between runs -----------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {
            "quick": None if self.current_quick() is None else str(self.current_quick()),
            "status": self.status.currentIndex(),
            "reason": self.reason.currentData(),
            "category": self.category.currentData(),
            "marketplace": self.marketplace.currentData(),
            "channel": self.channel.currentData(),
            "carrier": self.carrier.currentData(),
            "period": self.period.currentIndex(),
            "from": self.date_from.date().toString("yyyy-MM-dd"),
            "to": self.date_to.date().toString("yyyy-MM-dd"),
            "search": self.search.text(),
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Put back a remembered ``state`` without firing ``changed``; unknown values are ignored."""
        self._quiet = True
        try:
            quick = state.get("quick")
            if quick in {q.value for q in QuickFilter}:
                self.quick_buttons[QuickFilter(quick)].setChecked(True)
            index = state.get("status")
            if isinstance(index, int) and 0 <= index < self.status.count():
                self.status.setCurrentIndex(index)
            for combo, key in ((self.reason, "reason"), (self.category, "category"),
                               (self.marketplace, "marketplace"), (self.channel, "channel"),
                               (self.carrier, "carrier")):  # fmt: skip
                value = state.get(key)
                if isinstance(value, str):
                    if combo.findData(value) < 0:
                        combo.addItem(value, value)  # the menu fills later; keep the choice meanwhile
                    combo.setCurrentIndex(combo.findData(value))
            for edit, key in ((self.date_from, "from"), (self.date_to, "to")):
                date = QDate.fromString(str(state.get(key, "")), "yyyy-MM-dd")
                if date.isValid():
                    edit.setDate(date)
            period = state.get("period")
            if isinstance(period, int) and 0 <= period < self.period.count():
                self.period.setCurrentIndex(period)
            self.dates.show_dates()
            self.search.setText(str(state.get("search", "")))
            self._search_timer.stop()
        finally:
            self._quiet = False

    # -- plumbing --------------------------------------------------------------------------------------
    def _on_quick_toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self._emit()

    def _on_period(self) -> None:
        self.dates.show_dates()
        if not self._quiet:
            self.pinned.unpin()  # a period chosen replaces the drill-down's bounds
        self._emit()

    def _emit(self) -> None:
        if self._quiet:  # a menu refilled under the seller's hands: a pending search must still run
            return
        self._search_timer.stop()
        self.changed.emit()
