"""Ties the Returns table to its detail pane: a remembered splitter, and the pane following the row.

Kept out of ``returns_view.py`` so the screen's file only places two widgets. The pane follows the
table's *current* row (what the keyboard moves), not the selection set. A current row whose page is not
loaded yet has no id; the link waits for that page's ``dataChanged`` and follows it then. After the
model reloads (a sync pull, an action, F5) the pane reads its return again, since the return it shows
may have changed with it.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QModelIndex, QObject, QPersistentModelIndex, QSettings, Qt
from PySide6.QtWidgets import QSplitter, QTableView, QWidget

from seller_desk.ui.models.returns_model import ReturnsTableModel
from seller_desk.ui.views.return_detail import ReturnDetailPane

SPLITTER_KEY = "returns/detail_splitter"
Index = QModelIndex | QPersistentModelIndex


def detail_splitter(
    parent: QWidget, left: QWidget, pane: ReturnDetailPane, settings: QSettings | None
) -> QSplitter:
    """The list on the left, the pane on the right; with ``settings`` (the window's, per data dir) the
    split is saved when the seller moves it and restored at the next start."""
    splitter = QSplitter(Qt.Orientation.Horizontal, parent)
    splitter.setAccessibleName("Returns list and details")
    splitter.addWidget(left)
    splitter.addWidget(pane)
    splitter.setCollapsible(0, False)  # the list never disappears; the pane may be dragged shut
    splitter.setCollapsible(1, True)
    splitter.setStretchFactor(0, 1)
    splitter.setStretchFactor(1, 0)
    if settings is not None:
        saved = settings.value(SPLITTER_KEY)
        if isinstance(saved, QByteArray):
            splitter.restoreState(saved)

        def save(_pos: int, _index: int) -> None:
            assert settings is not None
            settings.setValue(SPLITTER_KEY, splitter.saveState())

        splitter.splitterMoved.connect(save)
    return splitter


class DetailFollower(QObject):
    """Shows the table's current return in the pane, and reloads the pane when the model reloads."""

    def __init__(self, table: QTableView, model: ReturnsTableModel, pane: ReturnDetailPane) -> None:
        super().__init__(pane)
        self._table = table
        self._model = model
        self._pane = pane
        self._waiting_row = -1  # a current row whose page was not loaded when it became current
        table.selectionModel().currentRowChanged.connect(self._on_current)
        model.dataChanged.connect(self._on_data)
        model.first_page_loaded.connect(pane.reload)

    def _on_current(self, current: Index, _previous: Index) -> None:
        self._follow(current.row() if current.isValid() else -1)

    def _follow(self, row: int) -> None:
        if row < 0:
            self._waiting_row = -1
            self._pane.show_return(None)
            return
        facts = self._model.row_at(row)
        if facts is None:
            self._waiting_row = row
            return
        self._waiting_row = -1
        self._pane.show_return(facts.id)

    def _on_data(self, top_left: Index, bottom_right: Index) -> None:
        if self._waiting_row >= 0 and top_left.row() <= self._waiting_row <= bottom_right.row():
            self._follow(self._waiting_row)
