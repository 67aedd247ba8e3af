"""A thin table model over the Returns list queries: a million rows, never more than a few pages held.

ARCHITECTURE.md example 5 and its measured facts shape it:

- ``rowCount`` is the filter's count, read on the DB thread with the first page.
- Rows live in an LRU of pages (``PAGE_ROWS`` each). ``data()`` never touches the database: for a row
  whose page is missing it returns a placeholder and asks the DB thread for that page; the page's
  arrival emits ``dataChanged`` for exactly its rows.
- A page is read by keyset from the nearest row whose key is known — the previous page's last row
  when scrolling, else a sparse *anchor* (every ``ANCHOR_EVERY``-th key, built in slices in the
  background after the first page) — skipping the few rows in between with OFFSET. Before the
  anchors exist a far jump falls back to OFFSET from the nearest known key.
- A filter or sort change bumps a generation; results of older generations are discarded. The
  old rows stay on screen until the new first page arrives, so typing in the search box does not
  blank the table between keystrokes.
- ``data()`` checks the role against module-level ints first: a repaint asks ~1,500 times, mostly
  for roles the model does not serve (measured 22 ms → 8 ms per repaint).
"""

from __future__ import annotations

import bisect
import logging
from functools import partial
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from seller_desk.store.queries.returns import ReturnFlag, ReturnRow, ReturnsFilter, ReturnsSort, SortKey
from seller_desk.ui.models.returns_columns import COLUMNS, flag_notes, format_row
from seller_desk.ui.theme import readable_brush
from seller_desk.workers import Op
from seller_desk.workers.returns_list import FirstPage, load_anchors, load_count, load_first_page, load_page

log = logging.getLogger(__name__)

PAGE_ROWS = 200
MAX_PAGES = 64
ANCHOR_EVERY = 256
ANCHOR_SLICE = 128  # anchors per background read: ~8 ms at 1 M rows, so page reads wait little
ANCHOR_BUDGET_S = 0.012  # ...and a slice of costly anchors (a search, a category) stops after this
PLACEHOLDER = "Loading…"
UNAVAILABLE = "—"

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_HORIZONTAL = Qt.Orientation.Horizontal
_ALIGNMENTS = tuple(int(c.align) for c in COLUMNS)
_STATUS_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.title == "Status")
_LAST_COLUMN = len(COLUMNS) - 1
_STALLED = int(ReturnFlag.STALLED)
Index = QModelIndex | QPersistentModelIndex
STALLED_COLOR = "#b03a00"


class _Query(NamedTuple):
    filter: ReturnsFilter
    sort: ReturnsSort
    generation: int


class _Page:
    __slots__ = ("cells", "rows", "start", "used")

    def __init__(self, start: int, rows: list[ReturnRow], used: int) -> None:
        self.start = start
        self.rows = rows
        self.cells: list[tuple[str, ...] | None] = [None] * len(rows)
        self.used = used


class ReturnsTableModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    first_page_loaded = Signal()  # after each new filter/sort's first page is shown
    count_changed = Signal(int)
    load_failed = Signal(str)

    def __init__(self, parent: QObject | None = None, *, initial: ReturnsFilter | None = None) -> None:
        super().__init__(parent)
        self._active = _Query(initial or ReturnsFilter(), ReturnsSort(), 0)
        self._wanted = self._active
        self._count = 0
        self._pages: dict[int, _Page] = {}
        self._pending: set[int] = set()
        self._failed: set[int] = set()  # pages whose read failed: not retried until the next reload
        self._key_rows: list[int] = []  # sorted rows whose sort key is known
        self._keys: dict[int, SortKey] = {}
        self._anchor_row = -1
        self._clock = 0
        self._loading = False
        self._started = False  # a filter or sort set before ``start`` is only remembered

    # --- public API --------------------------------------------------------------------------------

    def start(self) -> None:
        """Load the first page of the initial filter (called once the model has its view)."""
        self._started = True
        self._load(self._wanted.filter, self._wanted.sort)

    def current_filter(self) -> ReturnsFilter:
        return self._wanted.filter

    def current_sort(self) -> ReturnsSort:
        return self._wanted.sort

    def set_filter(self, f: ReturnsFilter) -> None:
        if f != self._wanted.filter:
            self._load(f, self._wanted.sort)

    def set_sort(self, sort: ReturnsSort) -> None:
        if sort != self._wanted.sort:
            self._load(self._wanted.filter, sort)

    def reload(self) -> None:
        """Read the same filter and sort again (a sync brought new rows); old rows stay until then."""
        self._load(self._wanted.filter, self._wanted.sort)

    def is_loading(self) -> bool:
        return self._loading

    def anchors_ready(self) -> bool:
        """Every ``ANCHOR_EVERY``-th key of the current list is known: any jump is one short read."""
        return self._anchor_row + ANCHOR_EVERY >= self._count

    def row_at(self, row: int) -> ReturnRow | None:
        """The row's data if its page is loaded, else None (never reads the database)."""
        page = self._pages.get(row // PAGE_ROWS)
        if page is None or row - page.start >= len(page.rows):
            return None
        return page.rows[row - page.start]

    # --- Qt model interface ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != _HORIZONTAL or not 0 <= section < len(COLUMNS):
            return None
        if role == _DISPLAY:
            return COLUMNS[section].title
        if role == _TOOLTIP:
            return COLUMNS[section].tooltip
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role != _DISPLAY and role != _ALIGN and role != _FOREGROUND and role != _TOOLTIP:
            return None
        row = index.row()
        page = self._pages.get(row // PAGE_ROWS)
        if page is None:
            if role != _DISPLAY:
                return None
            page_index = row // PAGE_ROWS
            self._request(page_index)
            if index.column() != 0:
                return ""
            return UNAVAILABLE if page_index in self._failed else PLACEHOLDER
        page.used = self._clock
        i = row - page.start
        if i >= len(page.rows):
            return None  # the store shrank since the count; the next reload fixes the count
        column = index.column()
        if role == _DISPLAY:
            cells = page.cells[i]
            if cells is None:
                cells = page.cells[i] = format_row(page.rows[i])
            return cells[column]
        if role == _ALIGN:
            return _ALIGNMENTS[column]
        flags = page.rows[i].flags
        if not flags:
            return None
        if role == _FOREGROUND:
            if column == _STATUS_COLUMN and flags & _STALLED:
                return readable_brush(STALLED_COLOR)  # asked at paint time: the theme may change
            return None
        return flag_notes(page.rows[i])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column].sort_key if 0 <= column < len(COLUMNS) else None
        if key is not None:
            self.set_sort(ReturnsSort(key, order == Qt.SortOrder.DescendingOrder))

    # --- loading -------------------------------------------------------------------------------

    def _load(self, f: ReturnsFilter, sort: ReturnsSort) -> None:
        self._wanted = _Query(f, sort, self._wanted.generation + 1)
        if not self._started:
            return
        self._set_loading(True)
        wanted = self._wanted
        read = partial(load_first_page, f=f, sort=sort, limit=PAGE_ROWS)
        op = Op(self, read).success(partial(self._on_first_page, wanted))
        op.failure(partial(self._on_failure, wanted.generation)).run_in_background()

    def _on_first_page(self, query: _Query, first: FirstPage) -> None:
        if query.generation != self._wanted.generation:
            return  # superseded by a newer filter or sort
        self.beginResetModel()
        self._active = query
        self._count = first.count if first.count is not None else len(first.rows)
        self._pages.clear()
        self._pending.clear()
        self._failed.clear()
        self._key_rows.clear()
        self._keys.clear()
        self._anchor_row = -1
        if first.rows:
            self._store_page(0, first.rows)
        self.endResetModel()
        if first.count is None:  # the rows first; the list grows to its length when the count comes
            self.first_page_loaded.emit()
            op = Op(self, partial(load_count, f=query.filter)).success(
                partial(self._on_count, query.generation)
            )
            op.failure(partial(self._on_failure, query.generation)).run_in_background()
            return
        self._set_loading(False)
        self.count_changed.emit(self._count)
        self.first_page_loaded.emit()
        if self._count > 2 * PAGE_ROWS:
            self._request_anchors()

    def _on_count(self, generation: int, count: int) -> None:
        if generation != self._active.generation or generation != self._wanted.generation:
            return
        if count > self._count:
            self.beginInsertRows(QModelIndex(), self._count, count - 1)
            self._count = count
            self.endInsertRows()
        elif count < self._count:  # the store changed between the two reads: keep the rows that exist
            self.beginRemoveRows(QModelIndex(), count, self._count - 1)
            self._count = count
            self.endRemoveRows()
        self._settle()
        self.count_changed.emit(self._count)
        if self._count > 2 * PAGE_ROWS:
            self._request_anchors()

    def _request(self, page_index: int) -> None:
        if page_index in self._pending or page_index in self._failed:
            return
        self._pending.add(page_index)
        self._set_loading(True)
        start = page_index * PAGE_ROWS
        at = bisect.bisect_left(self._key_rows, start) - 1
        if at < 0:
            after, offset = None, start  # no key before this page yet: OFFSET from the list's start
        else:
            known = self._key_rows[at]
            after, offset = self._keys[known], start - known - 1
        q = self._active
        read = partial(load_page, f=q.filter, sort=q.sort, after=after, offset=offset, limit=PAGE_ROWS)
        op = Op(self, read).success(partial(self._on_page, q.generation, page_index))
        op.failure(partial(self._on_page_failure, q.generation, page_index)).run_in_background()

    def _on_page(self, generation: int, page_index: int, rows: list[ReturnRow]) -> None:
        if generation != self._active.generation:
            return
        self._pending.discard(page_index)
        start = page_index * PAGE_ROWS
        self._store_page(page_index, rows)
        if rows:
            self.dataChanged.emit(self.index(start, 0), self.index(start + len(rows) - 1, _LAST_COLUMN))
        self._settle()

    def _store_page(self, page_index: int, rows: list[ReturnRow]) -> None:
        self._clock += 1
        start = page_index * PAGE_ROWS
        self._pages[page_index] = _Page(start, rows, self._clock)
        if rows:
            self._remember_key(start + len(rows) - 1, self._active.sort.key_of(rows[-1]))
        if len(self._pages) > MAX_PAGES:
            oldest = min(self._pages, key=lambda p: self._pages[p].used)
            del self._pages[oldest]

    def _remember_key(self, row: int, key: SortKey) -> None:
        if row not in self._keys:
            bisect.insort(self._key_rows, row)
        self._keys[row] = key

    def _request_anchors(self) -> None:
        q = self._active
        after = self._keys.get(self._anchor_row) if self._anchor_row >= 0 else None
        read = partial(
            load_anchors,
            f=q.filter,
            sort=q.sort,
            every=ANCHOR_EVERY,
            after=after,
            max_keys=ANCHOR_SLICE,
            budget_s=ANCHOR_BUDGET_S,
        )
        op = Op(self, read).success(partial(self._on_anchors, q.generation))
        op.failure(partial(self._on_failure, q.generation)).run_in_background()

    def _on_anchors(self, generation: int, keys: list[SortKey]) -> None:
        if generation != self._active.generation:
            return
        for key in keys:
            self._anchor_row += ANCHOR_EVERY
            self._remember_key(self._anchor_row, key)
        if keys and self._anchor_row + ANCHOR_EVERY < self._count:
            self._request_anchors()

    def _on_failure(self, generation: int, error: BaseException) -> None:
        """The first page or the anchors failed: say so; the list keeps what it shows."""
        if generation == self._wanted.generation:
            self._set_loading(False)
            self.load_failed.emit(f"Could not read returns: {error}")

    def _on_page_failure(self, generation: int, page_index: int, error: BaseException) -> None:
        if generation != self._active.generation:
            return
        self._pending.discard(page_index)
        self._failed.add(page_index)
        start = page_index * PAGE_ROWS
        last = min(start + PAGE_ROWS, self._count) - 1
        if last >= start:
            self.dataChanged.emit(self.index(start, 0), self.index(last, _LAST_COLUMN))
        self._settle()
        self.load_failed.emit(f"Could not read returns: {error}")

    def _settle(self) -> None:
        if not self._pending and self._wanted.generation == self._active.generation:
            self._set_loading(False)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)
