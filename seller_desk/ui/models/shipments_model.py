"""A thin table model over the Shipments list queries, read page by page as the seller scrolls.

Outbound parcels are read in one fixed order (most urgent first), so the model is Qt's incremental
kind: ``rowCount`` is the rows read so far, ``canFetchMore``/``fetchMore`` ask the DB thread for the
next keyset page after the last row's key when the view scrolls near the end, and the page's arrival
inserts its rows. ``data()`` never touches the database. The filter's full count is read with the
first page (one transaction) and published for the view's label.

A filter change bumps a generation; results of older generations are dropped, and the old rows stay
on screen until the new first page arrives, so typing in the search box does not blank the table.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from seller_desk.store.queries import shipments as shipment_queries
from seller_desk.store.queries.shipments import ShipmentRow, ShipmentsFilter
from seller_desk.ui.models.shipments_columns import (
    COLUMNS,
    DAYS_LATE_COLUMN,
    REFUND_COLUMN,
    STATUS_COLUMN,
    TROUBLE_STATUSES,
    format_row,
)
from seller_desk.ui.theme import readable_brush
from seller_desk.workers import Op
from seller_desk.workers.shipments_list import ShipmentsPage, load_first_shipments, load_next_shipments

PAGE_ROWS = 200

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENTS = tuple(int(c.align) for c in COLUMNS)
Index = QModelIndex | QPersistentModelIndex


ALERT_COLOR = "#b01e14"


class ShipmentsTableModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    first_page_loaded = Signal()  # after each new filter's first page is shown
    count_changed = Signal(int)
    load_failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = ShipmentsFilter()
        self._generation = 0
        self._shown_generation = 0
        self._rows: list[ShipmentRow] = []
        self._cells: list[tuple[str, ...] | None] = []
        self._count = 0
        self._fetching = False
        self._loading = False
        self._started = False
        self._now = shipment_queries.now_epoch()  # "days late" is judged at the time of the last first page

    # --- public API --------------------------------------------------------------------------------

    def start(self) -> None:
        self._started = True
        self._load()

    def current_filter(self) -> ShipmentsFilter:
        return self._filter

    def set_filter(self, f: ShipmentsFilter) -> None:
        if f != self._filter:
            self._filter = f
            self._load()

    def reload(self) -> None:
        self._load()

    def total(self) -> int:
        """How many shipments match the filter (rows read so far may be fewer)."""
        return self._count

    def is_loading(self) -> bool:
        return self._loading

    def row_at(self, row: int) -> ShipmentRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # --- Qt model interface ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == _DISPLAY:
            return COLUMNS[section].title
        if role == _TOOLTIP:
            return COLUMNS[section].tooltip
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role != _DISPLAY and role != _ALIGN and role != _FOREGROUND:
            return None
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._rows) or not 0 <= column < len(COLUMNS):
            return None
        if role == _ALIGN:
            return _ALIGNMENTS[column]
        item = self._rows[row]
        if role == _FOREGROUND:
            alert = (column == STATUS_COLUMN and item.status in TROUBLE_STATUSES) or (
                column in (DAYS_LATE_COLUMN, REFUND_COLUMN) and item.days_late(self._now) > 0
            )
            return readable_brush(ALERT_COLOR) if alert else None
        cells = self._cells[row]
        if cells is None:
            cells = self._cells[row] = format_row(item, self._now)
        return cells[column]

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._fetching and len(self._rows) < self._count

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent) or not self._rows:
            return
        self._fetching = True
        self._set_loading(True)
        generation = self._shown_generation
        read = partial(load_next_shipments, f=self._filter, after=self._rows[-1].key, limit=PAGE_ROWS)
        op = Op(self, read).success(partial(self._on_next_page, generation))
        op.failure(partial(self._on_failure, generation)).run_in_background()

    # --- loading -----------------------------------------------------------------------------------

    def _load(self) -> None:
        self._generation += 1
        if not self._started:
            return
        self._set_loading(True)
        generation = self._generation
        read = partial(load_first_shipments, f=self._filter, limit=PAGE_ROWS)
        op = Op(self, read).success(partial(self._on_first_page, generation))
        op.failure(partial(self._on_failure, generation)).run_in_background()

    def _on_first_page(self, generation: int, page: ShipmentsPage) -> None:
        if generation != self._generation:
            return  # superseded by a newer filter
        self.beginResetModel()
        self._shown_generation = generation
        self._now = shipment_queries.now_epoch()
        self._rows = list(page.rows)
        self._cells = [None] * len(self._rows)
        self._count = page.total
        self._fetching = False
        self.endResetModel()
        self._set_loading(False)
        self.count_changed.emit(self._count)
        self.first_page_loaded.emit()

    def _on_next_page(self, generation: int, page: ShipmentsPage) -> None:
        if generation != self._shown_generation or generation != self._generation:
            return
        rows = page.rows
        if not rows:
            self._count = len(self._rows)  # the store shrank since the count; stop asking
        else:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self._cells.extend([None] * len(rows))
            self.endInsertRows()
        # Only now: anything listening to the insertion (a view, Qt's model tester) may ask for more,
        # and must not ask again after the key of the rows that were just being inserted.
        self._fetching = False
        self._set_loading(False)

    def _on_failure(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._fetching = False
            self._set_loading(False)
            self.load_failed.emit(f"Could not read shipments: {error}")

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)
