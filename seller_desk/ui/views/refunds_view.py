"""The Refunds screen: the refund queue in tabs with live counts, the most urgent refund clock first,
the selected request in detail, and the acts on it (refunds_actions.py).

Every read runs in a worker (the model's pages, the detail), results come back by signals. The queue
reloads after each act and after each sync round that brought changes, keeping the selection on the
same request when it is still in the tab; the tab, search and column layout are remembered with the
other screens' (``window.ini``).
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from seller_desk.store.queries.refund_queue import TAB_TITLES, QueueTab
from seller_desk.ui.models.refunds_columns import COLUMNS
from seller_desk.ui.models.refunds_model import RefundsTableModel
from seller_desk.ui.theme import readable
from seller_desk.ui.views.list_table import prepare_list_table
from seller_desk.ui.views.refund_detail_pane import RefundDetailPane
from seller_desk.ui.views.refunds_actions import RefundsActions
from seller_desk.workers import Op
from seller_desk.workers.refunds import RequestDetail, load_request_detail
from seller_desk.workers.returns_actions import Refused

TABS = tuple(QueueTab)
SETTINGS_TAB, SETTINGS_HEADER = "refunds/tab", "refunds/header"


class RefundsView(QWidget):
    """``ready`` fires when the first page is on screen (for screenshots and probes)."""

    ready = Signal()
    title = "Refunds"

    def __init__(self, parent: QWidget | None = None, *, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._ready = False
        self._keep: int | None = None  # the request to select again after a reload
        self._detail_generation = 0
        self.model = RefundsTableModel(self)
        self.tab_bar = QTabBar(self)
        self.tab_bar.setAccessibleName("Refund queue views")
        for tab in TABS:
            self.tab_bar.addTab(TAB_TITLES[tab])
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Order id, RMA or request id")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search refund requests")
        self.search.setMinimumWidth(
            self.search.fontMetrics().horizontalAdvance("Order id, RMA or request id") + 40
        )
        self.table = QTableView(self)
        self.table.setAccessibleName("Refund requests")
        header = prepare_list_table(self.table, self.model, COLUMNS, stretch=len(COLUMNS) - 1,
                                    selection=QAbstractItemView.SelectionMode.ExtendedSelection)  # fmt: skip
        self.detail = RefundDetailPane(self)
        self.actions = RefundsActions(self)
        self.count_label = QLabel("", self)
        self._lay_out()
        self._restore(header)
        self._search_later = QTimer(self)
        self._search_later.setSingleShot(True)
        self._search_later.setInterval(250)
        self._search_later.timeout.connect(lambda: self.model.set_search(self.search.text()))
        self.search.textChanged.connect(lambda _t: self._search_later.start())
        self.tab_bar.currentChanged.connect(self._on_tab)
        self.model.counts_changed.connect(self._show_counts)
        self.model.first_page_loaded.connect(self._on_first_page)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table.doubleClicked.connect(lambda _i: self.actions.decide())
        self.actions.acted.connect(self.reload)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, activated=self.search.setFocus)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, activated=self.actions.decide)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.tab_bar, 1)
        top.addWidget(self.search)
        top.addWidget(self.count_label)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.actions)
        layout.addWidget(splitter, 1)

    def _restore(self, header: object) -> None:
        if self._settings is None:
            return
        tab = str(self._settings.value(SETTINGS_TAB, QueueTab.PENDING.value))
        if tab in {t.value for t in TABS}:
            self.tab_bar.setCurrentIndex(TABS.index(QueueTab(tab)))
            self.model.set_tab(QueueTab(tab))
        state = self._settings.value(SETTINGS_HEADER)
        if state is not None:
            self.table.horizontalHeader().restoreState(state)

    def remember(self) -> None:
        if self._settings is not None:
            self._settings.setValue(SETTINGS_TAB, self.model.tab().value)
            self._settings.setValue(SETTINGS_HEADER, self.table.horizontalHeader().saveState())

    # --- public ---------------------------------------------------------------------------------------

    def start(self) -> None:
        self.model.start()

    def is_ready(self) -> bool:
        return self._ready

    def reload(self) -> None:
        self._keep = self.actions.current_request_id()
        self.model.reload()

    def refresh_if_idle(self) -> None:
        """After a sync round that brought changes: states and sync states moved; read again."""
        self.reload()

    def show_request(self, request_id: int, *, tab: QueueTab | None = None, decide: bool = False) -> None:
        """Show one request (from the Sync screen's "Decide again" or an attention item): go to the tab
        that holds it, search for its id, and open the decision dialog if asked."""
        if tab is not None:
            self.tab_bar.setCurrentIndex(TABS.index(tab))
        self.search.setText(str(request_id))
        self.model.set_search(str(request_id))
        self._keep = request_id
        if decide:
            self.actions.decide(request_id)

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.table.selectionModel().selectedRows()})

    # --- reactions ------------------------------------------------------------------------------------

    def _on_tab(self, index: int) -> None:
        self.model.set_tab(TABS[index])
        self.actions.set_tab(TABS[index])

    def _show_counts(self, counts: dict[QueueTab, int]) -> None:
        for number, tab in enumerate(TABS):
            n = counts.get(tab, 0)
            self.tab_bar.setTabText(number, f"{TAB_TITLES[tab]} ({n:,})")
            if tab == QueueTab.CONFLICTS:
                colour = QColor(readable("#8b0000")) if n else QColor()  # invalid: the palette's own
                self.tab_bar.setTabTextColor(number, colour)

    def _on_first_page(self) -> None:
        total = self.model.total()
        self.count_label.setText(f"{total:,} request{'' if total == 1 else 's'}")
        row = self.model.row_of(self._keep) if self._keep is not None else -1
        self._keep = None
        if row >= 0:
            self.table.selectRow(row)
        elif self.model.rowCount():
            self.table.selectRow(0)
        else:
            self.detail.clear()
            self._become_ready()

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.selected_rows()
        current = self.model.row_at(rows[0]) if rows else None
        self.actions.set_selection([r for n in rows if (r := self.model.row_at(n)) is not None])
        if current is None:
            self.detail.clear()
            return
        self._detail_generation += 1
        generation, request_id = self._detail_generation, current.request_id
        op = Op(self, lambda ctx: load_request_detail(ctx, request_id))
        op.success(lambda d: self._on_detail(generation, d)).run_in_background()

    def _on_detail(self, generation: int, detail: RequestDetail | Refused) -> None:
        if generation != self._detail_generation:
            return
        if isinstance(detail, Refused):
            self.detail.show_message(str(detail))
        else:
            self.detail.show_detail(detail)
        self._become_ready()

    def _become_ready(self) -> None:
        """Ready once the first page and its first request's detail are on screen."""
        if not self._ready:
            self._ready = True
            self.ready.emit()
