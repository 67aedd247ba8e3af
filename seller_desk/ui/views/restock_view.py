"""The Restock screen: for every SKU, stock projected with the returns on their way, and what to order.

Top: the planning settings and Export. Middle: the plan, most urgent first (sortable by any column).
Bottom: for the selected SKU, projected stock with and without returns, and "why this number?".

Work happens off the GUI thread (``workers.restock``): opening the screen, or a sync that brought new
data while it is shown, reads the inputs and plans (seconds at a million returns); a new setting
re-plans from the inputs already read. Each answer carries a generation number, so a slow answer to an
old question never replaces a newer one. MainWindow builds this screen only when the seller first opens
its tab: this module imports matplotlib's Qt backend.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QItemSelection, QSettings, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from seller_desk.domain.restock import RestockSettings
from seller_desk.ui.models.restock_model import COLUMNS, TITLE_COLUMN, RestockModel
from seller_desk.ui.views.list_table import prepare_list_table
from seller_desk.ui.views.restock_detail import RestockDetail
from seller_desk.ui.views.restock_settings import RestockSettingsRow
from seller_desk.workers.ops import Op
from seller_desk.workers.restock import RestockResult, export_plan, read_and_plan, replan
from seller_desk.workers.taskman import Lane


class RestockView(QWidget):
    """``ready`` fires when the first plan is on screen; ``message`` reports exports and failures."""

    ready = Signal()
    message = Signal(str)
    computed = Signal()  # every time a plan is shown (tests wait on it)
    exported = Signal(str)

    title = "Restock"

    def __init__(self, parent: QWidget | None = None, *, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self._ready = False
        self._started = False
        self._stale = False
        self._generation = 0
        self._result: RestockResult | None = None
        self.today: date | None = None  # None: today in UTC at each read (tests fix it)
        self.settings_row = RestockSettingsRow(settings, self)
        self.settings_row.changed.connect(self._on_settings_changed)
        self.status = QLabel("", self)
        self.status.setAccessibleName("Restock plan state")
        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.setToolTip("Save the plan (every SKU, with the reason for each suggestion)")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._ask_export_path)
        top = QHBoxLayout()
        top.addWidget(self.settings_row, 1)
        top.addWidget(self.status)
        top.addWidget(self.export_button)

        self.model = RestockModel(self)
        self.table = QTableView(self)
        self.table.setAccessibleName("Restock plan")
        header = prepare_list_table(
            self.table,
            self.model,
            COLUMNS,
            stretch=TITLE_COLUMN,
            selection=QAbstractItemView.SelectionMode.SingleSelection,
            sortable=[True] * len(COLUMNS),
        )
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # most urgent first until a click
        self.table.setSortingEnabled(True)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.detail = RestockDetail(self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def start(self) -> None:
        """Read and plan now (MainWindow calls this once the screen exists)."""
        self._started = True
        self.refresh()

    def is_ready(self) -> bool:
        return self._ready

    def refresh(self) -> None:
        """Re-read every input and plan with the current settings."""
        self._stale = False
        self._generation += 1
        generation = self._generation
        self.status.setText("Planning…")
        settings, today = self.settings_row.current(), self.today
        Op(self, lambda ctx: read_and_plan(ctx, settings, today)).success(
            lambda result: self._show(result, generation)
        ).failure(self._failed).run_in_background()

    def refresh_if_shown(self, *_changes: object) -> None:
        """A sync brought new data: re-read now if the seller looks at the plan, else when they next do."""
        if not self._started:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _on_settings_changed(self, settings: RestockSettings) -> None:
        if self._result is None:
            return  # the first read is on its way and plans with the boxes' values when it starts
        self._generation += 1
        generation, inputs = self._generation, self._result.inputs
        self.status.setText("Planning…")
        Op(self, lambda _ctx: replan(inputs, settings), lane=Lane.IO).success(
            lambda result: self._show(result, generation)
        ).failure(self._failed).run_in_background()

    def _show(self, result: RestockResult, generation: int) -> None:
        if generation != self._generation:
            return  # an answer to an older question
        self._result = result
        if result.settings != self.settings_row.current():
            self._on_settings_changed(self.settings_row.current())  # changed while reading: re-plan
            return
        selected = self.detail.shown_sku
        self.model.set_rows(result.rows)
        header = self.table.horizontalHeader()
        if header.sortIndicatorSection() >= 0:
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        urgent = sum(1 for row in result.rows if row.plan.reorder > 0)
        self.status.setText(f"{len(result.rows):,} SKUs · {urgent:,} to reorder")
        self.export_button.setEnabled(bool(result.rows))
        row = self.model.row_of(selected) if selected else None
        self.table.selectRow(0 if row is None else row)
        if not result.rows:
            self.detail.show_row(None, result.settings.horizon_days)
        self.computed.emit()
        if not self._ready:
            self._ready = True
            self.ready.emit()

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        horizon = self._result.settings.horizon_days if self._result else RestockSettings().horizon_days
        self.detail.show_row(row, horizon)

    def select_sku(self, sku: str) -> None:
        row = self.model.row_of(sku)
        if row is not None:
            self.table.selectRow(row)

    def _failed(self, error: BaseException) -> None:
        self.status.setText("Planning failed")
        self.message.emit(f"Restock plan: {error}")

    def _ask_export_path(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, "Export the restock plan", "restock.csv", "CSV file (*.csv);;Excel workbook (*.xlsx)"
        )
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        """Write the plan as shown (its current order) to ``path`` in the background."""
        rows = self.model.rows()
        Op(self, lambda _ctx: export_plan(rows, path), lane=Lane.IO).success(
            lambda count: self._exported(path, count)
        ).failure(lambda error: self.message.emit(f"Export failed: {error}")).run_in_background()

    def _exported(self, path: Path, count: int) -> None:
        self.message.emit(f"Exported the restock plan of {count:,} SKUs to {path}")
        self.exported.emit(str(path))
