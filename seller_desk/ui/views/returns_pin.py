"""A drill-down's exact scope on the Returns filter bar: what a chart's bar counted and the menus cannot
say — one SKU, unmapped reason codes, and exact UTC bounds (a week is Monday 00:00 UTC to the next
Monday, as the ``week`` column buckets it, not local days). Shown as one line of text with a button
that removes it. A reason picked from the menu afterwards wins over "unmapped codes".
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from seller_desk.store.queries.returns import ReturnsFilter


class PinnedScope(QWidget):
    """Hidden until ``pin``; ``removed`` fires when the seller removes it."""

    removed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sku: str | None = None
        self.requested_from: datetime | None = None
        self.requested_to: datetime | None = None
        self.unmapped = False
        self.label = QLabel(self)
        self.label.setAccessibleName("Drill-down scope")
        self.remove_button = QToolButton(self)
        self.remove_button.setText("✕")
        self.remove_button.setAccessibleName("Remove the drill-down scope")
        self.remove_button.setToolTip("Show returns of any SKU and date again")
        self.remove_button.setAutoRaise(True)
        self.remove_button.clicked.connect(self._on_remove)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.label)
        layout.addWidget(self.remove_button)
        self.hide()

    @property
    def active(self) -> bool:
        return (
            self.sku is not None or self.requested_from is not None or self.requested_to is not None
            or self.unmapped
        )  # fmt: skip

    def pin(
        self,
        *,
        sku: str | None,
        start: datetime | None,
        end: datetime | None,
        text: str,
        unmapped: bool = False,
    ) -> None:
        self.sku, self.requested_from, self.requested_to, self.unmapped = sku, start, end, unmapped
        self.label.setText(text)
        self.setToolTip(text)
        self.setVisible(self.active)

    def unpin(self) -> None:
        """Forget the scope without a signal (the bar emits its own change)."""
        self.pin(sku=None, start=None, end=None, text="")

    def apply(self, f: ReturnsFilter) -> ReturnsFilter:
        """``f`` narrowed to the scope (its SKU and bounds replace the menus' date range)."""
        if not self.active:
            return f
        return dataclasses.replace(
            f, sku=self.sku, requested_from=self.requested_from, requested_to=self.requested_to,
            reason_unmapped=self.unmapped and f.reason is None,
        )  # fmt: skip

    def _on_remove(self) -> None:
        self.unpin()
        self.removed.emit()
