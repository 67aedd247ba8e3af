"""The Trends screen's filter bar: period, week or month, SKU, category, marketplace and channel.

The period menu is the Returns screen's kind (local days); ``current_filter`` turns it into UTC day
numbers, which the store widens to whole weeks or months (``TrendsFilter.window``), the buckets the
``week`` column and the charts count in.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from seller_desk.store.queries.trends import DAY_S, Bucket, TrendsFilter
from seller_desk.ui.views.filter_widgets import PeriodPicker, menu_combo

PERIODS = (("Last 26 weeks", 182), ("Last 12 weeks", 84), ("Last 52 weeks", 364), ("Last 2 years", 730),
           ("Any time", None), ("Between dates…", -1))  # fmt: skip
SKU_PAUSE_MS = 400


class TrendsFilterBar(QWidget):
    """``changed`` fires when the filter changes (the SKU after a typing pause)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dates = PeriodPicker(
            self, PERIODS, name="Trends period", tip="Which weeks or months to chart (whole weeks, UTC)",
            edit_names=("Trends from", "Trends until"), span_days=182,
        )  # fmt: skip
        self.bucket = QComboBox(self)
        self.bucket.setAccessibleName("Bucket")
        self.bucket.addItem("Per week", "week")
        self.bucket.addItem("Per month", "month")
        self.sku = QLineEdit(self)
        self.sku.setAccessibleName("SKU filter")
        self.sku.setPlaceholderText("SKU")
        self.sku.setToolTip("Only this SKU (exact)")
        self.sku.setClearButtonEnabled(True)
        self.sku.setMaximumWidth(180)
        self.category = menu_combo(self, "Trends category", "All categories", "Catalogue category of the SKU")
        self.marketplace = menu_combo(
            self, "Trends marketplace", "All marketplaces", "Marketplace of the order"
        )
        self.channel = menu_combo(self, "Trends channel", "All channels", "FBA: Amazon ships; MFN: you ship")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for widget in (self.dates.menu, self.dates.date_from, self.dates.date_to, self.bucket, self.sku,
                       self.category, self.marketplace, self.channel):  # fmt: skip
            layout.addWidget(widget)
        layout.addStretch(1)
        self._sku_timer = QTimer(self)
        self._sku_timer.setSingleShot(True)
        self._sku_timer.setInterval(SKU_PAUSE_MS)
        self._sku_timer.timeout.connect(self.changed)
        self.sku.textChanged.connect(lambda _t: self._sku_timer.start())
        self.sku.returnPressed.connect(self._emit_now)
        self.dates.menu.currentIndexChanged.connect(self._on_period)
        for combo in (self.bucket, self.category, self.marketplace, self.channel):
            combo.currentIndexChanged.connect(self._emit_now)
        self.dates.date_from.dateChanged.connect(self._emit_now)
        self.dates.date_to.dateChanged.connect(self._emit_now)

    def current_filter(self) -> TrendsFilter:
        start, end = self.dates.bounds()
        bucket: Bucket = "month" if self.bucket.currentData() == "month" else "week"
        return TrendsFilter(
            first_day=None if start is None else math.floor(start.timestamp() / DAY_S),
            end_day=None if end is None else math.ceil(end.timestamp() / DAY_S),
            sku=self.sku.text().strip() or None,
            category=self.category.currentData(),
            marketplace=self.marketplace.currentData(),
            channel=self.channel.currentData(),
            bucket=bucket,
        )

    def set_choices(self, choices: tuple[list[str], list[str], list[str]]) -> None:
        """Fill the menus with the values present, keeping what is selected; no ``changed``."""
        for combo, values in zip((self.category, self.marketplace, self.channel), choices, strict=True):
            wanted = combo.currentData()
            combo.blockSignals(True)
            first = combo.itemText(0)
            combo.clear()
            combo.addItem(first, None)
            for value in sorted({*values, *([wanted] if wanted else [])}):
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(wanted)) if wanted else 0)
            combo.blockSignals(False)

    def _on_period(self) -> None:
        self.dates.show_dates()
        self._emit_now()

    def _emit_now(self) -> None:
        self._sku_timer.stop()
        self.changed.emit()
