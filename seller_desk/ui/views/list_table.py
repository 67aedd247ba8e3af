"""How the app's long lists (Returns, Shipments) look: whole-row selection, fixed row height from the
font, movable columns sized to their usual widest content, one column taking the spare width."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

CELL_PADDING = 12  # the delegate's text margins plus a little air
SORT_ARROW = 12  # room for the header's sort indicator


class ListColumn(Protocol):
    @property
    def title(self) -> str: ...

    @property
    def sample(self) -> str: ...


def prepare_list_table(
    table: QTableView,
    model: QAbstractItemModel,
    columns: Sequence[ListColumn],
    *,
    stretch: int,
    selection: QAbstractItemView.SelectionMode,
    sortable: Sequence[bool] = (),
) -> QHeaderView:
    """Set ``table`` up over ``model``; a column marked ``sortable`` gets room for the sort arrow.
    Returns the horizontal header for the caller's own settings (sorting, remembered layout)."""
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setCornerButtonEnabled(False)
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionsMovable(True)
    metrics = table.fontMetrics()
    for i, column in enumerate(columns):
        arrow = SORT_ARROW if i < len(sortable) and sortable[i] else 0
        width = max(metrics.horizontalAdvance(column.sample), metrics.horizontalAdvance(column.title) + arrow)
        header.resizeSection(i, width + CELL_PADDING)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return header
