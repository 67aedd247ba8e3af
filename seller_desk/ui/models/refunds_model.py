"""A thin table model over the refund queue, read a keyset page at a time as the seller scrolls.

One tab and one search at a time; ``rowCount`` is the rows read so far and ``fetchMore`` asks the DB
thread for the page after the last row's key. The first page of a tab comes with the tab's count and
every tab's count (for the tab bar), in one read. ``data()`` never touches the database: a row's cells
are formatted once, against the clock of the last first page. A newer tab or search supersedes older
reads (a generation number), and the old rows stay until the new first page arrives.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from seller_desk.store.queries.refund_queue import QueueRow, QueueTab
from seller_desk.ui.models.refunds_columns import (
    COLUMNS,
    DECISION_COLUMN,
    TIME_LEFT_COLUMN,
    format_row,
    urgency,
)
from seller_desk.ui.theme import readable_brush
from seller_desk.workers import Op
from seller_desk.workers.refunds import QueuePage, load_queue_page

PAGE_ROWS = 200

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENTS = tuple(int(c.align) for c in COLUMNS)
Index = QModelIndex | QPersistentModelIndex


URGENCY_COLORS = {2: "#b01e14", 1: "#aa5f00"}  # overdue (and conflicts), due soon


class RefundsTableModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    first_page_loaded = Signal()
    counts_changed = Signal(object)  # dict[QueueTab, int]
    load_failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tab = QueueTab.PENDING
        self._search = ""
        self._generation = 0
        self._shown_generation = 0
        self._rows: list[QueueRow] = []
        self._cells: list[tuple[str, ...] | None] = []
        self._total = 0
        self._fetching = False
        self._loading = False
        self._started = False
        self._now = datetime.now(UTC)

    # --- public API --------------------------------------------------------------------------------

    def start(self) -> None:
        self._started = True
        self._load()

    def tab(self) -> QueueTab:
        return self._tab

    def set_tab(self, tab: QueueTab) -> None:
        if tab != self._tab:
            self._tab = tab
            self._load()

    def set_search(self, text: str) -> None:
        if text.strip() != self._search:
            self._search = text.strip()
            self._load()

    def reload(self) -> None:
        self._load()

    def total(self) -> int:
        return self._total

    def row_at(self, row: int) -> QueueRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, request_id: int) -> int:
        for number, row in enumerate(self._rows):
            if row.request_id == request_id:
                return number
        return -1

    def is_loading(self) -> bool:
        return self._loading

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
            if column == TIME_LEFT_COLUMN and self._tab in (QueueTab.PENDING, QueueTab.CONFLICTS):
                color = URGENCY_COLORS.get(urgency(item, self._now))
                return None if color is None else readable_brush(color)
            if column == DECISION_COLUMN and item.local is not None and item.local.status == "conflict":
                return readable_brush(URGENCY_COLORS[2])
            return None
        cells = self._cells[row]
        if cells is None:
            cells = self._cells[row] = format_row(item, self._now)
        return cells[column]

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._fetching and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent) or not self._rows:
            return
        self._fetching = True
        self._set_loading(True)
        generation = self._shown_generation
        read = partial(load_queue_page, tab=self._tab, search=self._search, after=self._rows[-1].key,
                       limit=PAGE_ROWS)  # fmt: skip
        op = Op(self, read).success(partial(self._on_next_page, generation))
        op.failure(partial(self._on_failure, generation)).run_in_background()

    # --- loading -----------------------------------------------------------------------------------

    def _load(self) -> None:
        self._generation += 1
        if not self._started:
            return
        self._set_loading(True)
        generation = self._generation
        read = partial(load_queue_page, tab=self._tab, search=self._search, after=None, limit=PAGE_ROWS)
        op = Op(self, read).success(partial(self._on_first_page, generation))
        op.failure(partial(self._on_failure, generation)).run_in_background()

    def _on_first_page(self, generation: int, page: QueuePage) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._shown_generation = generation
        self._now = datetime.now(UTC)
        self._rows = list(page.rows)
        self._cells = [None] * len(self._rows)
        self._total = page.total
        self._fetching = False
        self.endResetModel()
        self._set_loading(False)
        self.counts_changed.emit(page.counts)
        self.first_page_loaded.emit()

    def _on_next_page(self, generation: int, page: QueuePage) -> None:
        if generation != self._shown_generation or generation != self._generation:
            return
        if not page.rows:
            self._total = len(self._rows)
        else:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self._cells.extend([None] * len(page.rows))
            self.endInsertRows()
        self._fetching = False
        self._set_loading(False)

    def _on_failure(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._fetching = False
            self._set_loading(False)
            self.load_failed.emit(f"Could not read the refund queue: {error}")

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)
