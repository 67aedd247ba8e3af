"""The Shipments screen: outbound parcels most urgent first, the quick filters, and a detail pane.

Left of the splitter the filter bar over the list; right, the selected parcel's timeline, order and
refund requests. Every control only changes the model's filter; the model reads in the background,
and so do the quick filters' counts (after each first page, so a sync shows), the menus' values and
the detail of the selected parcel (the newest selection wins; older answers are dropped).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from seller_desk.store.queries.shipment_detail import ShipmentDetail
from seller_desk.store.queries.shipments import ShipmentQuick, ShipmentsFilter
from seller_desk.ui.models.shipments_columns import COLUMNS, STRETCH_COLUMN
from seller_desk.ui.models.shipments_model import ShipmentsTableModel
from seller_desk.ui.views.list_table import prepare_list_table
from seller_desk.ui.views.shipment_detail_pane import ShipmentDetailPane
from seller_desk.ui.views.shipments_filters import ShipmentsFilterBar
from seller_desk.workers import Lane, Op
from seller_desk.workers.shipments_list import load_detail, load_shipment_choices, load_shipment_quick_counts

log = logging.getLogger(__name__)

DETAIL_WIDTH = 330  # leaves the list ~1 000 px at 1366: room for its eleven columns
NO_SHIPMENTS = (
    "No outbound shipments in this store yet. Order shipments arrive with the first sync from your "
    "tracking backend (for demo data: seller-desk seed --returns 10000)."
)
NO_MATCH = "No shipments match this filter. Choose All shipments or Clear filters to see every parcel."
QUICK_EMPTY = {  # a quick filter alone that holds nothing is good news, not a filter to undo
    ShipmentQuick.LATE: "No late deliveries: every parcel is on time so far.",
    ShipmentQuick.EXCEPTION: "No carrier exceptions right now.",
    ShipmentQuick.LOST: "No parcel is reported lost.",
    ShipmentQuick.IN_TRANSIT: "Nothing is on its way to a buyer right now.",
}


class ShipmentsView(QWidget):
    """``ready`` fires when the first page is on screen (for screenshots and probes)."""

    ready = Signal()
    detail_shown = Signal(int)  # a shipment's detail is on screen (its id)
    title = "Shipments"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filters = ShipmentsFilterBar(self)
        self.model = ShipmentsTableModel(self)
        self._ready = False
        self._detail_wanted: int | None = None

        self.table = QTableView(self)
        self.table.setAccessibleName("Shipments list")
        self._setup_table()
        self.count_label = QLabel("", self)
        self.count_label.setAccessibleName("Number of shipments")
        self.empty_note = QLabel(self)
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_note.setWordWrap(True)
        self.empty_note.setAccessibleName("No shipments")
        self.empty_note.hide()
        self.detail = ShipmentDetailPane(self)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.empty_note, 1)
        left_layout.addWidget(self.count_label)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)  # a wider window widens the list; the pane keeps its width
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([1000, DETAIL_WIDTH])
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self.filters)
        layout.addWidget(self.splitter, 1)

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self._focus_search)
        self.filters.changed.connect(lambda: self.model.set_filter(self.filters.current_filter()))
        self.model.first_page_loaded.connect(self._on_first_page)
        self.model.count_changed.connect(self._show_count)
        self.model.load_failed.connect(self.count_label.setText)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

    def _setup_table(self) -> None:
        prepare_list_table(
            self.table, self.model, COLUMNS, stretch=STRETCH_COLUMN,
            selection=QAbstractItemView.SelectionMode.SingleSelection,
        )  # fmt: skip

    def start(self) -> None:
        """Begin loading: the first page, then (after it) the counts; the menus' values on the I/O lane."""
        self.model.start()
        op = Op(self, load_shipment_choices, lane=Lane.IO).success(self.filters.set_choices)
        op.failure(lambda exc: log.warning("could not read the shipment filter menus' values: %s", exc))
        op.run_in_background()

    def is_ready(self) -> bool:
        return self._ready

    def current_filter(self) -> ShipmentsFilter:
        return self.filters.current_filter()

    def refresh_if_idle(self) -> None:
        """A sync brought changes: re-read while the seller only watches the top of the list (nothing
        selected, not scrolled); a list they are working in is left as it is until they change a filter."""
        at_top = self.table.verticalScrollBar().value() == 0
        if self.model.rowCount() == 0 or (at_top and not self.table.selectionModel().hasSelection()):
            self.model.reload()

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _focus_search(self) -> None:
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def _show_count(self, count: int) -> None:
        self.count_label.setText(f"{count:,} shipment{'' if count == 1 else 's'}")

    def _on_first_page(self) -> None:
        empty = self.model.rowCount() == 0
        if empty:
            self.empty_note.setText(self._empty_text(self.model.current_filter()))
        self.table.setVisible(not empty)
        self.empty_note.setVisible(empty)
        self.detail.clear()
        op = Op(self, load_shipment_quick_counts).success(self._on_counts)
        op.failure(self._on_counts_failed)
        op.run_in_background()

    def _on_counts_failed(self, error: BaseException) -> None:
        log.warning("could not count the shipments' quick filters: %s", error)
        self._on_counts({})

    def _on_counts(self, counts: dict[ShipmentQuick, int]) -> None:
        """Ready once the first rows *and* the quick filters' counts show (what a screenshot should hold)."""
        self.filters.set_counts(counts)
        if not self._ready:
            self._ready = True
            self.ready.emit()

    @staticmethod
    def _empty_text(f: ShipmentsFilter) -> str:
        if f == ShipmentsFilter():
            return NO_SHIPMENTS
        if f.quick is not None and f == ShipmentsFilter(quick=f.quick):
            return QUICK_EMPTY[f.quick]
        return NO_MATCH

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        item = self.model.row_at(rows[0].row()) if rows else None
        if item is None:
            self._detail_wanted = None
            self.detail.clear()
            return
        self._detail_wanted = item.id
        op = Op(self, lambda ctx: load_detail(ctx, item.id)).success(self._on_detail)
        op.failure(lambda exc: self.count_label.setText(f"Could not read shipment {item.id}: {exc}"))
        op.run_in_background()

    def _on_detail(self, detail: ShipmentDetail) -> None:
        if detail.shipment_id != self._detail_wanted:
            return  # the seller selected another parcel meanwhile
        self.detail.show_detail(detail)
        self.detail_shown.emit(detail.shipment_id)
