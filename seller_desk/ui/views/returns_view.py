"""The Returns screen: a status filter, an exact-match search, and the paged table of returns.

Every control only changes the model's filter or sort; the model reads in the background. The
search waits for a short pause in typing (or Enter), so each keystroke does not start a query.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from seller_desk.domain.enums import ReturnStatus
from seller_desk.store.queries.returns import ReturnsFilter
from seller_desk.ui.formatting import status_label
from seller_desk.ui.models.returns_columns import COLUMNS, DEFAULT_SORT_COLUMN, TITLE_COLUMN
from seller_desk.ui.models.returns_model import ReturnsTableModel
from seller_desk.ui.views.return_detail import ReturnDetailPane
from seller_desk.ui.views.returns_detail_link import DetailFollower, detail_splitter

SEARCH_PAUSE_MS = 300
CELL_PADDING = 12  # the delegate's text margins plus a little air
SORT_ARROW = 12  # room for the header's sort indicator
OPEN_STATUSES = (
    ReturnStatus.REQUESTED,
    ReturnStatus.AUTHORIZED,
    ReturnStatus.IN_TRANSIT,
    ReturnStatus.DELIVERED,
)
STATUS_CHOICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("All statuses", ()),
    ("Open — not yet received", tuple(OPEN_STATUSES)),
    *((status_label(s), (str(s),)) for s in ReturnStatus),
)


class ReturnsView(QWidget):
    """``ready`` fires when the first page of real rows is on screen (for screenshots and probes)."""

    ready = Signal()
    title = "Returns"

    def __init__(self, parent: QWidget | None = None, *, config_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.model = ReturnsTableModel(self)
        self._ready = False

        self.status_filter = QComboBox(self)
        self.status_filter.setAccessibleName("Status filter")
        self.status_filter.setToolTip("Show returns in this status")
        for label, statuses in STATUS_CHOICES:
            self.status_filter.addItem(label, statuses)
        self.status_filter.setMinimumContentsLength(22)

        self.search = QLineEdit(self)
        self.search.setAccessibleName("Search returns")
        self.search.setPlaceholderText("Search an exact RMA, order id, tracking number or SKU")
        self.search.setClearButtonEnabled(True)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_PAUSE_MS)

        self.table = QTableView(self)
        self.table.setAccessibleName("Returns list")
        self._setup_table()

        self.empty_note = QLabel(self)
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_note.setWordWrap(True)
        self.empty_note.setAccessibleName("No returns")
        self.empty_note.hide()

        filters = QHBoxLayout()
        filters.addWidget(QLabel("Status:", self))
        filters.addWidget(self.status_filter)
        filters.addSpacing(12)
        filters.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addLayout(filters)
        list_area = QWidget(self)
        list_layout = QVBoxLayout(list_area)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.empty_note, 1)
        self.detail = ReturnDetailPane(self)
        layout.addWidget(detail_splitter(self, list_area, self.detail, config_dir), 1)
        DetailFollower(self.table, self.model, self.detail)

        self.status_filter.currentIndexChanged.connect(self._apply_filter)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_filter)
        self._search_timer.timeout.connect(self._apply_filter)
        self.model.first_page_loaded.connect(self._on_first_page)

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setCornerButtonEnabled(False)
        table.verticalHeader().hide()
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        metrics = table.fontMetrics()
        for i, column in enumerate(COLUMNS):
            title_width = metrics.horizontalAdvance(column.title) + (SORT_ARROW if column.sort_key else 0)
            header.resizeSection(i, max(metrics.horizontalAdvance(column.sample), title_width) + CELL_PADDING)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(DEFAULT_SORT_COLUMN, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._on_sort_indicator)
        table.setSortingEnabled(True)

    def start(self) -> None:
        """Begin loading (separate from construction so the window can show first)."""
        self.model.start()

    def is_ready(self) -> bool:
        return self._ready

    def current_filter(self) -> ReturnsFilter:
        statuses = self.status_filter.currentData() or ()
        return ReturnsFilter(statuses=tuple(statuses), search=self.search.text())

    def _apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())

    def _on_sort_indicator(self, column: int, _order: Qt.SortOrder) -> None:
        """Header clicks on columns the store cannot sort by keep the indicator where it was."""
        if COLUMNS[column].sort_key is None:
            current = self.model.current_sort()
            back = next(i for i, c in enumerate(COLUMNS) if c.sort_key == current.key)
            order = Qt.SortOrder.DescendingOrder if current.descending else Qt.SortOrder.AscendingOrder
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(back, order)
            header.blockSignals(False)

    def _on_first_page(self) -> None:
        empty = self.model.rowCount() == 0
        if empty:
            self.empty_note.setText(
                "No returns match this filter."
                if self.model.current_filter() != ReturnsFilter()
                else "No returns in this store yet. They arrive with the first sync or import "
                "(for demo data: seller-desk seed --returns 10000)."
            )
        self.table.setVisible(not empty)
        self.empty_note.setVisible(empty)
        if not self._ready:
            self._ready = True
            self.ready.emit()
