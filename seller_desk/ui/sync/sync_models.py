"""Thin table models for the Sync screen: a list of plain rows, formatted per column on demand.

The rows come from one background read (``workers.sync_lists``); ``set_rows`` swaps the whole list
in, which is right for lists capped at a few hundred rows. ``data()`` only formats: no database here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, NamedTuple, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from seller_desk.store.queries.sync_view import SYNC_RUN, ConflictRow, HistoryRow, QueueRow
from seller_desk.ui.sync import wording as w

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class Column(NamedTuple, Generic[R]):
    title: str
    text: Callable[[R], str]
    sample: str  # the widest typical value, for the initial column width
    align: Qt.AlignmentFlag = LEFT
    tooltip: Callable[[R], str] | None = None
    alarming: Callable[[R], bool] | None = None  # shown in the warning colour when true


class RowsModel(QAbstractTableModel, Generic[R]):
    def __init__(self, columns: Sequence[Column[R]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: list[R] = []
        self._alarm = QBrush(QColor(179, 38, 30))

    def set_rows(self, rows: list[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip else column.text(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.alarming is not None and column.alarming(row):
            return self._alarm
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None


def _attempts(row: QueueRow) -> str:
    return str(row.attempts) if row.attempts else "–"


def _next_try(row: QueueRow) -> str:
    if row.status != "queued" or row.next_attempt_at is None:
        return ""
    return f"next try {w.local_time(row.next_attempt_at)}"


QUEUE_COLUMNS: tuple[Column[QueueRow], ...] = (
    Column(
        "State",
        lambda r: w.STATE_LABELS.get(r.status, r.status),
        "Sending…",
        alarming=lambda r: r.status == "rejected",
    ),
    Column("Act", lambda r: w.kind_label(r.kind), "Refund decision"),
    Column("On", lambda r: r.target_name or w.target_label(r.target), "Refund for order 123-1234567-1234567"),
    Column("What", lambda r: w.act_summary(r.kind, r.payload), "Reject — not returned in time"),
    Column("Created", lambda r: w.local_time(r.created_at), "28 Nov 14:05"),
    Column("Attempts", _attempts, "Attempts", RIGHT),
    Column(
        "Last error",
        lambda r: r.last_error or _next_try(r),
        "the backend is unreachable",
        tooltip=lambda r: r.last_error or _next_try(r) or "No error",
        alarming=lambda r: r.status == "rejected",
    ),
)
CONFLICT_COLUMNS: tuple[Column[ConflictRow], ...] = (
    Column("Act", lambda r: w.kind_label(r.kind), "Refund decision"),
    Column("On", lambda r: r.target_name or w.target_label(r.target), "Refund for order 123-1234567-1234567"),
    Column("Your act", lambda r: w.act_summary(r.kind, r.payload), "Reject — item not returned"),
    Column("When", lambda r: w.local_time(r.created_at), "28 Nov 14:05"),
    Column(
        "Why it conflicts",
        lambda r: w.reason_label(r.reason),
        "The marketplace refunded it already",
        tooltip=lambda r: r.message or w.reason_label(r.reason),
        alarming=lambda r: True,
    ),
    Column(
        "Backend's version",
        lambda r: w.snapshot_summary(r.server_snapshot),
        "now cancelled, requested $1,234.56, version 4",
    ),
)


def _outcome(row: HistoryRow) -> str:
    return w.run_summary(row.detail) if row.what == SYNC_RUN else w.event_label(row.what)[1]


HISTORY_COLUMNS: tuple[Column[HistoryRow], ...] = (
    Column("When", lambda r: w.local_time(r.at), "28 Nov 14:05"),
    Column("Act", lambda r: "Sync" if r.what == SYNC_RUN else w.event_label(r.what)[0], "Refund decision"),
    Column("On", lambda r: r.target_name or w.target_label(r.target), "Refund for order 123-1234567-1234567"),
    Column("By", lambda r: r.user or "", "Jordan Smith"),
    Column("Outcome", _outcome, "Conflict discarded (backend's version kept)"),
)
