"""The main window: a tab per screen, and a status bar.

Tabs along the top rather than a list at the side: the Returns table needs the full width of a
1366-pixel screen for its thirteen columns. The window owns no data: each screen's model reads
through the task manager. The status bar reports the Returns list's count and loading state while
that screen is shown, and any background error nobody else handled.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from seller_desk.ui.views.placeholder_view import PLANNED_VIEWS, PlaceholderView
from seller_desk.ui.views.returns_view import ReturnsView
from seller_desk.workers import TaskManager

VIEW_NAMES = ("returns", *(planned.name for planned in PLANNED_VIEWS))
ERROR_SHOWN_MS = 15_000


class MainWindow(QMainWindow):
    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Seller Desk")
        self.setMinimumSize(QSize(960, 600))
        self.returns_view = ReturnsView(self)
        self.views: dict[str, ReturnsView | PlaceholderView] = {"returns": self.returns_view}
        for planned in PLANNED_VIEWS:
            self.views[planned.name] = PlaceholderView(planned, self)

        self.tabs = QTabWidget(self)
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

        model = self.returns_view.model
        model.count_changed.connect(self._show_count)
        model.loading_changed.connect(self._show_loading)
        model.load_failed.connect(self._show_error)
        tasks.op_failed.connect(self._show_error)
        self.tabs.currentChanged.connect(self._on_screen_changed)

    def start(self) -> None:
        """Start each screen's first load; call after ``show()`` so the frame paints first."""
        for view in self.views.values():
            view.start()

    def select_view(self, name: str) -> None:
        if name not in self.views:
            raise ValueError(f"no view {name!r}; views: {', '.join(VIEW_NAMES)}")
        self.tabs.setCurrentWidget(self.views[name])

    def current_view(self) -> ReturnsView | PlaceholderView:
        return list(self.views.values())[self.tabs.currentIndex()]

    def _on_screen_changed(self, _index: int) -> None:
        """The count and loading state describe the Returns list; other screens do not show them."""
        on_returns = self.current_view() is self.returns_view
        self.count_label.setVisible(on_returns)
        self.loading_label.setVisible(on_returns)

    def _show_count(self, count: int) -> None:
        self.count_label.setText(f"{count:,} return{'' if count == 1 else 's'}")

    def _show_loading(self, loading: bool) -> None:
        self.loading_label.setText("Loading…" if loading else "")

    def _show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, ERROR_SHOWN_MS)
