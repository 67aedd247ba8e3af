"""The main window: a tab per screen, and a status bar.

Tabs along the top rather than a list at the side: the Returns table needs the full width of a
1366-pixel screen for its thirteen columns. The window owns no data: each screen's model reads
through the task manager. The status bar reports the Returns list's count and loading state while
that screen is shown, any background error nobody else handled, and — always, at its right end — the
sync indicator, which opens the Sync screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from PySide6.QtCore import QSettings, QSize, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from seller_desk.store.queries.attention import AttentionItem
from seller_desk.ui.attention import AttentionInbox, AttentionNotifier, AttentionWatch
from seller_desk.ui.first_paint import AfterFirstPaint
from seller_desk.ui.icons import ActionIcons, ScreenTabs
from seller_desk.ui.import_menu import ReportImports
from seller_desk.ui.settings_menu import SettingsMenu
from seller_desk.ui.sync.indicator import SyncIndicator
from seller_desk.ui.views import refunds_mount, restock_mount
from seller_desk.ui.views.pending_view import PendingView
from seller_desk.ui.views.placeholder_view import PLANNED_VIEWS, PlaceholderView
from seller_desk.ui.views.returns_view import ReturnsView
from seller_desk.ui.views.trends_tab import TrendsTab
from seller_desk.workers import TaskManager
from seller_desk.workers.sync_worker import SyncController

if TYPE_CHECKING:
    from seller_desk.ui.sync.sync_view import SyncView
    from seller_desk.ui.views.refunds_view import RefundsView
    from seller_desk.ui.views.restock_view import RestockView
    from seller_desk.ui.views.shipments_view import ShipmentsView
    from seller_desk.ui.views.trends_view import TrendsView

VIEW_NAMES = ("returns", *(planned.name for planned in PLANNED_VIEWS))
ERROR_SHOWN_MS = 15_000
AUTO_APPROVE_AFTER_MS = 3_000  # the first run of the seller's auto-approve rules waits for a settled start
UI_SETTINGS_FILE = "window.ini"  # filters, column layouts: what the seller arranged, kept per data dir
BUILT_VIEWS = ("returns", "shipments", "refunds", "sync", "trends", "restock")  # every planned view is built
View: TypeAlias = (
    "ReturnsView | PlaceholderView | PendingView | SyncView | ShipmentsView | TrendsView | RestockView"
    " | RefundsView"
)


class MainWindow(QMainWindow):
    def __init__(
        self, tasks: TaskManager, parent: QWidget | None = None, *, config_dir: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Seller Desk")
        self.setMinimumSize(QSize(960, 600))
        self._first_painted = False
        self._stopping = False
        self._sync_after_paint = False
        self._after_paint: AfterFirstPaint | None = None
        if config_dir is None:
            from seller_desk.paths import resolve_paths

            config_dir = resolve_paths().config_dir
        self.sync = SyncController(tasks, config_dir, self)
        self.settings = QSettings(str(config_dir / UI_SETTINGS_FILE), QSettings.Format.IniFormat, self)
        self.returns_view = ReturnsView(self, settings=self.settings)
        self.sync_view: SyncView | None = None  # built after the first paint: see ``_build_sync_view``
        self.refunds_view: RefundsView | None = None  # likewise (refunds_mount.py)
        self.views: dict[str, View] = {"returns": self.returns_view}
        for planned in PLANNED_VIEWS:
            built_later = planned.name in BUILT_VIEWS
            view = PendingView(planned.title, self) if built_later else PlaceholderView(planned, self)
            self.views[planned.name] = view

        self.tabs = ScreenTabs(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Screens")
        self.tabs.tabBar().setAccessibleName("Screens")
        for view in self.views.values():
            self.tabs.addTab(view, view.title)
        self.setCentralWidget(self.tabs)

        self.count_label = QLabel("", self)
        self.count_label.setAccessibleName("Number of returns")
        self.loading_label = QLabel("", self)
        self.loading_label.setAccessibleName("Loading state")
        self.statusBar().addWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.loading_label)
        self.inbox = AttentionInbox(self)
        self.statusBar().addPermanentWidget(self.inbox)
        self.notifier = AttentionNotifier(self, self.open_attention_item)
        self.attention = AttentionWatch(self.inbox, self.notifier, self)
        self.inbox.open_item.connect(self.open_attention_item)
        self.sync_indicator = SyncIndicator(self)
        self.statusBar().addPermanentWidget(self.sync_indicator)
        self.sync.state_changed.connect(self.sync_indicator.show_state)
        self.sync_indicator.open_requested.connect(lambda: self.select_view("sync"))
        self.sync.data_changed.connect(self._on_pulled)
        self.sync.data_changed.connect(lambda _changes: self.returns_view.detail.reload())
        self.returns_view.actions.set_sync(self.sync)  # each act nudges the worker; Undo follows its rounds
        self.returns_view.actions.message.connect(self._show_error)
        self.returns_view.exporter.message.connect(self._show_error)
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh.activated.connect(self.returns_view.model.reload)

        model = self.returns_view.model
        model.count_changed.connect(self._show_count)
        model.loading_changed.connect(self._show_loading)
        model.load_failed.connect(self._show_error)
        tasks.op_failed.connect(self._show_error)
        self.trends_tab = TrendsTab(self)
        self.tabs.currentChanged.connect(self._on_screen_changed)
        self.imports = ReportImports(self)
        self.settings_menu = SettingsMenu(self)  # Settings… before Quit; applies settings.json now
        self.action_icons = ActionIcons(self)  # the menus' icons, redrawn with the theme
        for action, name in ((self.imports.import_action, "import"), (self.settings_menu.action, "settings"),
                             (self.imports.quit_action, "quit")):  # fmt: skip
            self.action_icons.add(action, name)

    def start(self, *, defer_others: bool = True) -> None:
        """Start the Returns list's first read; the other screens' reads (and the sync worker, if asked
        for) wait for its first paint unless ``defer_others`` is off (screenshots of another screen).
        Call after ``show()`` so the frame paints first."""
        self.returns_view.start()
        if defer_others:
            self._after_paint = AfterFirstPaint(
                self.returns_view.table, self.returns_view.model, self._start_the_rest
            )
        else:
            self._start_the_rest()

    def _start_the_rest(self) -> None:
        if self._stopping or not TaskManager.is_installed():  # the first paint came as the window went away
            return
        _import_pydantic_once()
        self._build_sync_view()
        self._build_shipments_view()
        self.sync.data_changed.connect(lambda _changes: refunds_mount.auto_approve(self))
        QTimer.singleShot(AUTO_APPROVE_AFTER_MS, self, lambda: refunds_mount.auto_approve(self))
        self.returns_view.start_later()
        self.attention.start()
        for view in self.views.values():
            if view is not self.returns_view:
                view.start()
        self._first_painted = True
        if self._sync_after_paint:
            self.start_sync()

    def _build_sync_view(self) -> None:
        """Swap the Sync screen in for its stand-in, keeping the tab's place and the current tab."""
        from seller_desk.ui.sync.sync_view import SyncView

        pending = self.views["sync"]
        index, current = self.tabs.indexOf(pending), self.tabs.currentIndex()
        self.sync_view = SyncView(self.sync, self)
        self.sync_view.decide_again_requested.connect(self._decide_again)
        self.views["sync"] = self.sync_view
        self.tabs.blockSignals(True)  # the screen shown does not change: no count/label flicker
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, self.sync_view, self.sync_view.title)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        pending.deleteLater()

    def _build_shipments_view(self) -> None:
        """Swap the Shipments screen in for its stand-in, as ``_build_sync_view`` does."""
        from seller_desk.ui.views.shipments_view import ShipmentsView

        pending = self.views["shipments"]
        index, current = self.tabs.indexOf(pending), self.tabs.currentIndex()
        view = ShipmentsView(self)
        self.sync.data_changed.connect(view.refresh_if_idle)
        self.views["shipments"] = view
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, view, view.title)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        pending.deleteLater()

    def start_sync(self, *, sync: bool = True) -> None:
        """Start the sync worker; ``sync=False`` only shows the stored sync state and never touches the
        network (screenshots). ``--demo`` calls it once its backend is up."""
        self.sync.start(sync=sync)

    def start_sync_after_first_paint(self) -> None:
        """Start syncing once the Returns list has painted (see ``start``); at once if it already has."""
        if self._first_painted:
            self.start_sync()
        else:
            self._sync_after_paint = True

    def stop(self) -> bool:
        """Stop the sync worker and wait for it (on quit, before the task manager shuts down)."""
        self._stopping = True  # the task manager goes next: start nothing more
        if self._after_paint is not None:
            self._after_paint.cancel()
        self.returns_view.remember()
        if self.refunds_view is not None:
            self.refunds_view.remember()
        self.attention.stop()
        return self.sync.stop()

    def open_attention_item(self, item: AttentionItem) -> None:
        """Show what an inbox item or a notification is about: a refund clock opens its request on the
        Refunds screen (deciding is what it needs), anything else its return."""
        self.showNormal()
        self.raise_()
        self.activateWindow()
        if item.kind == "refund_clock":
            from seller_desk.store.queries.refund_queue import QueueTab  # the screen has loaded it already

            self.select_view("refunds")
            view = refunds_mount.ensure_refunds_view(self)
            view.show_request(int(item.key.partition(":")[2]), tab=QueueTab.PENDING)
            return
        if item.rma is None:
            self.select_view("refunds")
            self.statusBar().showMessage(f"{item.text}; it has no return to open", ERROR_SHOWN_MS)
            return
        self.select_view("returns")
        self.returns_view.show_return(item.rma)

    @property
    def first_painted(self) -> bool:
        return self._first_painted

    @property
    def stopping(self) -> bool:
        return self._stopping

    def select_view(self, name: str) -> None:
        if name not in self.views:
            raise ValueError(f"no view {name!r}; views: {', '.join(VIEW_NAMES)}")
        self.tabs.setCurrentWidget(self.views[name])

    def current_view(self) -> View:
        return list(self.views.values())[self.tabs.currentIndex()]

    def _on_screen_changed(self, _index: int) -> None:
        """The count and loading state describe the Returns list; other screens do not show them."""
        on_returns = self.current_view() is self.returns_view
        if refunds_mount.needs_mounting(self):  # the store's ORM models load when first needed
            refunds_mount.ensure_refunds_view(self)
        if restock_mount.needs_mounting(self):  # matplotlib loads when the seller first opens it
            restock_mount.mount_restock_view(self, first_painted=self._first_painted)
        self.trends_tab.open_if_current()  # pandas and matplotlib load when the seller first opens it
        self.count_label.setVisible(on_returns)
        self.loading_label.setVisible(on_returns)

    def _show_count(self, count: int) -> None:
        self.count_label.setText(f"{count:,} return{'' if count == 1 else 's'}")

    def _show_loading(self, loading: bool) -> None:
        self.loading_label.setText("Loading…" if loading else "")

    def _show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, ERROR_SHOWN_MS)

    def _on_pulled(self, changes: int) -> None:
        """New rows show at once while the seller watches the top of the list (an empty list, or the
        first rows with nothing selected); a list they have scrolled into or selected in is not reset
        under their eyes — the status bar offers F5 instead."""
        self.returns_view.index_comments()
        self.attention.refresh()
        table = self.returns_view.table
        watching_top = table.verticalScrollBar().value() == 0 and not table.selectionModel().hasSelection()
        if self.returns_view.model.rowCount() == 0 or watching_top:
            self.returns_view.model.reload()
        else:
            self.statusBar().showMessage(
                f"{changes:,} change{'' if changes == 1 else 's'} arrived from the backend; press F5 to "
                "refresh the list",
                ERROR_SHOWN_MS,
            )

    def _decide_again(self, target: str) -> None:
        """The Sync screen's "Decide again": open the request on the Refunds screen, with its dialog."""
        kind, _, ident = target.partition(":")
        if kind == "refund_request":
            from seller_desk.store.queries.refund_queue import QueueTab  # the screen has loaded it already

            self.select_view("refunds")
            view = refunds_mount.ensure_refunds_view(self)
            view.show_request(int(ident), tab=QueueTab.CONFLICTS, decide=True)


def _import_pydantic_once() -> None:
    """Import pydantic (and our wire models) here, once, before the workers that need it start.

    The sync worker and the store's refund and outbox code import pydantic lazily on their own threads;
    when two threads import pydantic's modules at once, Python's import locks can hand one of them a
    half-initialised pydantic module ("cannot import name 'import_string' from partially initialized
    module"), which a cold frozen launch hit once in eight. Importing it here first, right after the
    first paint and before those threads start, costs about 0.1 s once and makes the order certain.
    """
    import seller_desk.wire  # noqa: F401  (pulls in pydantic.main and pydantic_core)
