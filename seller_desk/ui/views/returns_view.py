"""The Returns screen: the filter bar (quick filters with live counts, menus, search) over the paged
table of returns.

Every control only changes the model's filter or sort; the model reads in the background, and so do
the quick filters' counts (after each first page: a sync or an act changes them) and the menus'
values (once, on the I/O lane). With ``settings`` the filter and the columns' order, widths and sort
are remembered between runs, and the first read at start-up is already the remembered one.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from functools import partial
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QVBoxLayout, QWidget

from seller_desk.store.queries.returns import ReturnsFilter
from seller_desk.store.queries.returns_quick import STALLED_AFTER_DAYS
from seller_desk.ui.models.returns_columns import COLUMNS, DEFAULT_SORT_COLUMN, TITLE_COLUMN
from seller_desk.ui.models.returns_model import ReturnsTableModel
from seller_desk.ui.views.list_table import prepare_list_table
from seller_desk.ui.views.return_detail import ReturnDetailPane
from seller_desk.ui.views.returns_actions import ReturnsActions
from seller_desk.ui.views.returns_detail_link import DetailFollower, detail_splitter
from seller_desk.ui.views.returns_export import ReturnsExporter
from seller_desk.ui.views.returns_filters import ReturnsFilterBar
from seller_desk.workers import Lane, Op
from seller_desk.workers.returns_list import index_comments, load_filter_choices, load_quick_counts

log = logging.getLogger(__name__)

FILTER_KEY, HEADER_KEY = "returns/filter", "returns/header"


class ReturnsView(QWidget):
    """``ready`` fires when the first page of real rows is on screen (for screenshots and probes)."""

    ready = Signal()
    title = "Returns"

    def __init__(self, parent: QWidget | None = None, *, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._indexing: Op[int] | None = None
        self._index_again = False
        self._stalled_after_days = STALLED_AFTER_DAYS  # the seller's setting (``set_stalled_after_days``)
        self.filters = ReturnsFilterBar(self)
        self.filters.restore(self._remembered_filter())
        self.status_filter, self.search = self.filters.status, self.filters.search
        self.model = ReturnsTableModel(self, initial=self.current_filter())
        self._ready = False

        self._remember_later = QTimer(self)  # a column drag resizes many times: save once it settles
        self._remember_later.setSingleShot(True)
        self._remember_later.setInterval(500)
        self._remember_later.timeout.connect(self.remember)
        self.table = QTableView(self)
        self.table.setAccessibleName("Returns list")
        self._setup_table()

        self.actions = ReturnsActions(self.table, self.model, self)  # receive, inspect, note, undo

        self.empty_note = QLabel(self)
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_note.setWordWrap(True)
        self.empty_note.setAccessibleName("No returns")
        self.empty_note.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self.filters)
        layout.addWidget(self.actions)
        list_area = QWidget(self)
        list_layout = QVBoxLayout(list_area)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.empty_note, 1)
        self.detail = ReturnDetailPane(self)
        layout.addWidget(detail_splitter(self, list_area, self.detail, settings), 1)
        DetailFollower(self.table, self.model, self.detail)

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self._focus_search)
        for keys, step in (("Alt+Down", 1), ("Alt+Up", -1)):  # from the search or Receive box too
            move = QShortcut(QKeySequence(keys), self)
            move.activated.connect(lambda step=step: self.move_selection(step))
        self.exporter = ReturnsExporter(self)
        self.filters.export_button.clicked.connect(
            lambda: self.exporter.export(self.model.current_filter(), self.model.rowCount())
        )
        self.filters.changed.connect(self._apply_filter)
        self.model.first_page_loaded.connect(self._on_first_page)
        self.model.first_page_loaded.connect(self._load_counts)

    def _setup_table(self) -> None:
        table = self.table
        header = prepare_list_table(
            table, self.model, COLUMNS, stretch=TITLE_COLUMN,
            selection=QAbstractItemView.SelectionMode.ExtendedSelection,  # receive many at once
            sortable=[c.sort_key is not None for c in COLUMNS],
        )  # fmt: skip
        header.setSortIndicator(DEFAULT_SORT_COLUMN, Qt.SortOrder.DescendingOrder)
        remembered = self._settings.value(HEADER_KEY) if self._settings is not None else None
        if isinstance(remembered, QByteArray) and not header.restoreState(remembered):
            log.info("the remembered column layout no longer fits these columns; using the default")
        if COLUMNS[header.sortIndicatorSection()].sort_key is None:
            header.setSortIndicator(DEFAULT_SORT_COLUMN, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._on_sort_indicator)
        header.sectionMoved.connect(lambda *_: self.remember())
        header.sectionResized.connect(lambda *_: self._remember_later.start())
        table.setSortingEnabled(True)  # sorts the model by the (remembered) indicator before it starts

    def start(self) -> None:
        """Begin loading (separate from construction so the window can show first)."""
        self.model.start()

    def show_return(self, rma: str) -> None:
        """Open one return: the list narrowed to its RMA, its row selected, its detail beside it
        (the inbox and notifications use this)."""

        def select_it() -> None:
            self.model.first_page_loaded.disconnect(select_it)
            if self.model.rowCount():
                self.table.selectRow(0)
                self.table.setFocus()

        self.model.first_page_loaded.connect(select_it)
        self.filters.clear(search=rma)

    def start_later(self) -> None:
        """What can wait for the first paint: the filter menus' values (a full read, on the I/O lane)
        and the comment word index's catch-up."""
        op = Op(self, load_filter_choices, lane=Lane.IO).success(self.filters.set_choices)
        op.failure(lambda exc: log.warning("could not read the filter menus' values: %s", exc))
        op.run_in_background()
        self.index_comments()

    def index_comments(self) -> None:
        """Index customers' comments that arrived since the last run (after start-up and each pull);
        one catch-up at a time, and one more if asked meanwhile."""
        if self._indexing is not None:
            self._index_again = True
            return
        self._index_again = False
        self._indexing = Op(self, index_comments, lane=Lane.IO)
        self._indexing.success(self._on_indexed).failure(self._on_index_failed).run_in_background()

    def _on_indexed(self, count: int) -> None:
        self._indexing = None
        if count and self.search.text().strip():
            self.model.reload()  # a word search may find the comments indexed meanwhile
        if self._index_again:
            self.index_comments()

    def _on_index_failed(self, exc: BaseException) -> None:
        self._indexing = None
        log.warning("could not index customers' comments for the search: %s", exc)

    def is_ready(self) -> bool:
        return self._ready

    def current_filter(self) -> ReturnsFilter:
        """The bar's filter, with the seller's stalled threshold (the list's flag and quick filter)."""
        return replace(self.filters.current_filter(), stalled_after_days=self._stalled_after_days)

    def set_holiday_country(self, country: str | None) -> None:
        """The seller's holiday calendar (Settings), for the business-day flags of the detail pane."""
        self.detail.set_holiday_country(country)

    def set_stalled_after_days(self, days: int) -> None:
        """Flag and filter stalled parcels after ``days`` without a scan: the list, the quick filters'
        counts and the detail pane read again, in the background."""
        if days == self._stalled_after_days:
            return
        self._stalled_after_days = days
        self.detail.set_stalled_after_days(days)
        self.model.set_filter(self.current_filter())  # a new first page, then the counts with it

    def _apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())
        self.remember()

    def move_selection(self, step: int) -> None:
        """Select the next (``step`` 1) or previous (-1) return, keeping the keyboard focus where it is."""
        count = self.model.rowCount()
        if count == 0:
            return
        current = self.table.currentIndex().row()
        row = 0 if current < 0 else max(0, min(count - 1, current + step))
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _load_counts(self) -> None:
        counts = partial(load_quick_counts, stalled_after_days=self._stalled_after_days)
        Op(self, counts).success(self.filters.set_counts).run_in_background()

    # -- remembered between runs -----------------------------------------------------------------------
    def _remembered_filter(self) -> dict[str, Any]:
        if self._settings is None:
            return {}
        try:
            state = json.loads(str(self._settings.value(FILTER_KEY, "{}")))
        except ValueError:
            return {}
        return state if isinstance(state, dict) else {}

    def remember(self) -> None:
        """Save the filter and the column layout now (also called as the window stops)."""
        self._remember_later.stop()
        if self._settings is not None:
            self._settings.setValue(FILTER_KEY, json.dumps(self.filters.state()))
            self._settings.setValue(HEADER_KEY, self.table.horizontalHeader().saveState())

    def _on_sort_indicator(self, column: int, _order: Qt.SortOrder) -> None:
        """Header clicks on columns the store cannot sort by keep the indicator where it was."""
        self.remember()
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
                if self.model.current_filter() != ReturnsFilter(stalled_after_days=self._stalled_after_days)
                else "No returns in this store yet. They arrive with the first sync or import "
                "(for demo data: seller-desk seed --returns 10000)."
            )
        self.table.setVisible(not empty)
        self.empty_note.setVisible(empty)
        if not self._ready:
            self._ready = True
            self.ready.emit()
