"""The restock plan as a Qt table: one row per SKU, most urgent first, sortable by any column.

The plan is at most a few thousand SKUs, computed off the GUI thread, so the model simply holds the
list; sorting is a Python sort on each column's own key (numbers as numbers, "never runs out" last).
Each column says in its tooltip how its number is defined (DOMAIN.md "Restock planning").
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from seller_desk.analytics.restock import PlanRow, urgency

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
Index = QModelIndex | QPersistentModelIndex


class Column(NamedTuple):
    title: str
    align: Qt.AlignmentFlag
    sample: str
    text: Callable[[PlanRow], str]
    key: Callable[[PlanRow], Any]
    tooltip: str


def _units(value: float) -> str:
    return f"{value:,.1f}"


def _cover(row: PlanRow) -> str:
    cover = row.plan.days_of_cover
    return "no sales" if cover is None else f"{cover:,.1f}"


def _stockout(row: PlanRow) -> str:
    when = row.plan.stockout
    if when is None:
        return "—"
    return "today" if row.plan.days_of_cover == 0 else when.strftime("%d %b %Y")


_LAST = math.inf
COLUMNS: tuple[Column, ...] = (
    Column("SKU", LEFT, "APP-00033-OLV-XL", lambda r: r.sku, lambda r: r.sku, "Seller SKU"),
    Column("Title", LEFT, "Lumen & Loom Kids' Rain Jacket", lambda r: r.title, lambda r: r.title.lower(),
           "Product title"),
    Column("On hand", RIGHT, "12,345", lambda r: f"{r.plan.on_hand:,}", lambda r: r.plan.on_hand,
           "Sellable units in stock now"),
    Column("Sales/day", RIGHT, "123.45", lambda r: f"{r.plan.sales_per_day:,.2f}",
           lambda r: r.plan.sales_per_day, "Units sold per day over the last 28 days"),
    Column("Inbound returns", RIGHT, "1,234.5", lambda r: _units(r.plan.inbound_units),
           lambda r: r.plan.inbound_units,
           "Units of returns expected within the horizon: in transit by ETA, delivered but not yet "
           "inspected, and authorized ones × the share that historically ships"),
    Column("Exp. sellable", RIGHT, "1,234.5", lambda r: _units(r.plan.expected_sellable),
           lambda r: r.plan.expected_sellable,
           "Inbound returns × P(sellable | SKU, reason), learned from past inspections"),
    Column("Stock at horizon", RIGHT, "12,345.6", lambda r: _units(r.plan.projected_at_horizon),
           lambda r: r.plan.projected_at_horizon,
           "Projected stock at the end of the horizon, returns counted"),
    Column("Stock-out", LEFT, "28 Nov 2026", _stockout,
           lambda r: _LAST if r.plan.days_of_cover is None else r.plan.days_of_cover,
           "First day that ends with an empty shelf, returns counted"),
    Column("Cover (days)", RIGHT, "1,234.5", _cover,
           lambda r: _LAST if r.plan.days_of_cover is None else r.plan.days_of_cover,
           "How many days of sales the stock lasts, returns counted"),
    Column("Reorder", RIGHT, "12,345", lambda r: f"{r.plan.reorder:,}", lambda r: r.plan.reorder,
           "Suggested order: demand over lead time + cover target, plus safety stock, minus on hand, "
           "open orders and expected sellable returns. Select the row to see why."),
)  # fmt: skip
TITLE_COLUMN = 1
REORDER_COLUMN = len(COLUMNS) - 1


class RestockModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PlanRow] = []

    def set_rows(self, rows: list[PlanRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[PlanRow]:
        return list(self._rows)

    def row_at(self, row: int) -> PlanRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, sku: str) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.sku == sku), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(self._rows[index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == REORDER_COLUMN:
            return self._rows[index.row()].plan.explanation.text()
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section].tooltip
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``; SKU breaks ties so the order is stable across refreshes."""
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column].key

        def reorder(rows: list[PlanRow]) -> None:
            rows.sort(key=lambda row: row.sku)
            rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)

        self._relayout(reorder)

    def sort_by_urgency(self) -> None:
        self._relayout(lambda rows: rows.sort(key=urgency))

    def _relayout(self, reorder: Callable[[list[PlanRow]], None]) -> None:
        """Reorder the rows, moving persistent indexes (the selection) with their SKUs."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        skus = [self._rows[i.row()].sku if 0 <= i.row() < len(self._rows) else None for i in old]
        reorder(self._rows)
        where = {row.sku: i for i, row in enumerate(self._rows)}
        new = [
            self.index(where[sku], i.column()) if sku in where else QModelIndex()
            for sku, i in zip(skus, old, strict=True)
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()
