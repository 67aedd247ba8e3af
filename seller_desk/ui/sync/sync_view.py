"""The Sync screen: what waits to be sent, what conflicts, what happened — and "Sync now".

Three lists, each a thin model over one background read (``workers.sync_lists``), reloaded whenever a
sync round ends or the seller acts here. A conflict is resolved in one of two ways: "Discard" keeps the
backend's version (the act's local effect was already taken back when the conflict came in), "Decide
again" takes the seller to the act's screen to make a new decision.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from seller_desk.store.queries.sync_view import ConflictRow
from seller_desk.ui.sync import wording as w
from seller_desk.ui.sync.sync_models import (
    CONFLICT_COLUMNS,
    HISTORY_COLUMNS,
    QUEUE_COLUMNS,
    Column,
    RowsModel,
)
from seller_desk.ui.tones import set_tone
from seller_desk.workers import Op
from seller_desk.workers.sync_lists import SyncLists, discard, load_sync_lists
from seller_desk.workers.sync_worker import SyncController, SyncMode, SyncSnapshot

CELL_PADDING = 16
LOCAL_ONLY_HELP = (
    "This desk is <b>not connected</b> to a tracking backend: your decisions are kept here and nothing "
    "is sent. Connect in <b>File → Settings…</b> (or <code>seller-desk connect</code>), or try it "
    "with <code>seller-desk --demo</code>."
)


class _Section(QWidget):
    """A titled table that shows a sentence instead when it has no rows."""

    def __init__(self, title: str, empty: str, model: RowsModel, parent: QWidget) -> None:
        super().__init__(parent)
        self._title, self.model = title, model
        self.heading = QLabel(self)
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setAccessibleName(title)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        metrics = self.table.fontMetrics()
        columns: tuple[Column, ...] = model.columns  # type: ignore[type-arg]
        for i, column in enumerate(columns):
            width = max(metrics.horizontalAdvance(column.sample), metrics.horizontalAdvance(column.title))
            header.resizeSection(i, width + CELL_PADDING)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.empty = QLabel(empty, self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty.setContentsMargins(8, 8, 8, 8)
        self.empty.setAccessibleName(f"{title}: empty")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.bar = QHBoxLayout()
        self.bar.addWidget(self.heading)
        self.bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.bar)
        layout.addWidget(self.stack, 1)
        self.refresh_heading()

    def refresh_heading(self) -> None:
        count = self.model.rowCount()
        self.heading.setText(f"<b>{self._title}</b>{f' ({count:,})' if count else ''}")
        self.stack.setCurrentWidget(self.table if count else self.empty)


class SyncView(QWidget):
    ready = Signal()
    decide_again_requested = Signal(str)  # the conflicting act's target, e.g. "refund_request:12"
    title = "Sync"

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._ready = False
        self._loading: Op[SyncLists] | None = None
        self._reload_again = False
        self._backend_url: str | None = None
        self._lists_shown = False

        self.connection = QLabel(self)
        self.connection.setWordWrap(True)
        self.connection.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.connection.setAccessibleName("Connection")
        self.sync_now = QPushButton("Sync now", self)
        self.sync_now.setToolTip("Send everything waiting (retries too) and fetch the latest changes")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setAccessibleName("Last sync error")
        set_tone(self.error, "banner")
        self.error.hide()

        self.queue = _Section(
            "Waiting to be sent",
            "Nothing is waiting: every decision you made here has reached the backend.",
            RowsModel(QUEUE_COLUMNS, self),
            self,
        )
        self.conflicts = _Section(
            "Conflicts to resolve",
            "No conflicts. When the backend refuses a decision because something changed meanwhile, it "
            "shows here for you to discard or decide again.",
            RowsModel(CONFLICT_COLUMNS, self),
            self,
        )
        self.discard_button = QPushButton("Discard", self)
        self.discard_button.setToolTip("Keep the backend's version and close this conflict")
        self.decide_again_button = QPushButton("Decide again…", self)
        self.decide_again_button.setToolTip("Open the act's screen to make a new decision")
        self.conflicts.bar.addWidget(self.discard_button)
        self.conflicts.bar.addWidget(self.decide_again_button)
        self.history = _Section(
            "History",
            "No history yet: acts accepted or refused by the backend are listed here.",
            RowsModel(HISTORY_COLUMNS, self),
            self,
        )

        top = QHBoxLayout()
        top.addWidget(self.connection, 1)
        top.addWidget(self.sync_now, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 6)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.queue, 3)
        layout.addWidget(self.conflicts, 2)
        layout.addWidget(self.history, 3)

        self.sync_now.clicked.connect(lambda: self.controller.nudge(force=True))
        self.discard_button.clicked.connect(self._discard_selected)
        self.decide_again_button.clicked.connect(self._decide_again_selected)
        self.conflicts.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        controller.state_changed.connect(self.show_state)
        controller.round_finished.connect(self.reload)
        self.show_state(controller.state())

    # --- loading --------------------------------------------------------------------------------------
    def start(self) -> None:
        self.reload()

    def is_ready(self) -> bool:
        return self._ready

    def reload(self) -> None:
        """Read the three lists in the background; a reload asked for meanwhile runs after this one."""
        if self._loading is not None and not self._loading.finished:
            self._reload_again = True
            return
        self._loading = Op(self, load_sync_lists).success(self._show_lists).run_in_background()

    def _show_lists(self, lists: SyncLists) -> None:
        self._backend_url = lists.backend_url
        self.queue.model.set_rows(lists.queue)
        self.conflicts.model.set_rows(lists.conflicts)
        self.history.model.set_rows(lists.history)
        for section in (self.queue, self.conflicts, self.history):
            section.refresh_heading()
        self._update_buttons()
        self.show_state(self.controller.state())
        if self._reload_again:
            self._reload_again = False
            self._loading = None
            self.reload()
        self._lists_shown = True
        self._check_ready()

    def _check_ready(self) -> None:
        """Ready once the lists and the sync worker's first report are both on screen."""
        if not self._ready and self._lists_shown and self.controller.heard:
            self._ready = True
            self.ready.emit()

    # --- state ----------------------------------------------------------------------------------------
    def show_state(self, state: SyncSnapshot) -> None:
        url = state.backend_url or self._backend_url
        if state.mode is SyncMode.LOCAL_ONLY and url is None:
            self.connection.setText(LOCAL_ONLY_HELP)
        else:
            words = {
                SyncMode.LOCAL_ONLY: "Reading the connection…",
                SyncMode.NOT_RUNNING: "Connected, not syncing in this window",
                SyncMode.CONNECTING: "Connecting…",
                SyncMode.ONLINE: "Online",
                SyncMode.OFFLINE: "Offline — retrying",
                SyncMode.UNAUTHORIZED: "The backend refused this desk's token",
            }[state.mode]
            pulled = ""
            if state.pulling is not None:
                pulled = f" · fetching changes: {state.pulling.changes:,} so far, more to come"
            self.connection.setText(
                f"<b>{words}</b> · backend {url} · last sync {w.age(state.last_sync_at)}{pulled}"
            )
        self.sync_now.setEnabled(state.syncing)
        self.error.setVisible(bool(state.last_error))
        self.error.setText(f"Last sync error: {state.last_error}" if state.last_error else "")
        self._check_ready()

    def _selected_conflict(self) -> ConflictRow | None:
        rows = self.conflicts.table.selectionModel().selectedRows()
        model: RowsModel[ConflictRow] = self.conflicts.model
        return model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        chosen = self._selected_conflict() is not None
        self.discard_button.setEnabled(chosen)
        self.decide_again_button.setEnabled(chosen)

    def _discard_selected(self) -> None:
        row = self._selected_conflict()
        if row is None:
            return
        self.discard_button.setEnabled(False)
        Op(self, lambda ctx: discard(ctx, row.mutation_id, None)).success(
            lambda _n: self.reload()
        ).run_in_background()

    def _decide_again_selected(self) -> None:
        row = self._selected_conflict()
        if row is not None:
            self.decide_again_requested.emit(row.target)
