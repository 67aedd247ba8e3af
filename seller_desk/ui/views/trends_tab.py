"""The Trends tab's life in the main window: a stand-in until the seller first opens it, then the screen.

Opening it the first time costs ~1 s of imports (pandas, matplotlib and its Qt backend). They run in a
worker while the stand-in ("Opening Trends…") shows, so the window never freezes; then the screen is
built on the GUI thread in the stand-in's place, keeping whatever tab the seller is on by then. A window
not yet on screen (a screenshot) builds it at once. A click on a chart opens the Returns screen filtered
to the returns behind it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from seller_desk.store.queries.returns import ReturnsFilter
from seller_desk.ui.views.pending_view import PendingView
from seller_desk.workers import Lane, Op

if TYPE_CHECKING:
    from seller_desk.ui.main_window import MainWindow

MESSAGE_MS = 15_000


class TrendsTab(QObject):
    """Builds the Trends screen into ``window``'s "trends" tab on first opening."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._importing = False

    def open_if_current(self) -> None:
        """Call when the current tab changes: the first time it is the Trends stand-in, build."""
        window = self._window
        pending = window.views.get("trends")
        if window.current_view() is not pending or not isinstance(pending, PendingView) or self._importing:
            return
        if not window.isVisible():
            self._build()
            return
        from seller_desk.workers.trends import import_chart_modules

        self._importing = True
        op = Op(self, import_chart_modules, lane=Lane.IO).success(lambda _none: self._build())
        op.failure(self._on_import_failed).run_in_background()

    def _on_import_failed(self, exc: BaseException) -> None:
        self._importing = False
        self._window.statusBar().showMessage(f"Could not open the Trends screen: {exc}", MESSAGE_MS)

    def _build(self) -> None:
        from seller_desk.ui.views.trends_view import TrendsView

        window, tabs = self._window, self._window.tabs
        pending = window.views["trends"]
        index, current = tabs.indexOf(pending), tabs.currentIndex()
        view = TrendsView(window)
        view.open_returns.connect(self._open_returns)
        view.message.connect(lambda text: window.statusBar().showMessage(text, MESSAGE_MS))
        window.sync.data_changed.connect(view.refresh_if_shown)
        window.views["trends"] = view
        tabs.blockSignals(True)  # the screen shown does not change: no count/label flicker
        tabs.removeTab(index)
        tabs.insertTab(index, view, view.title)
        tabs.setCurrentIndex(current)
        tabs.blockSignals(False)
        pending.deleteLater()
        if window.returns_view.is_ready():  # else the window starts it with the other screens
            view.start()

    def _open_returns(self, returns_filter: ReturnsFilter, text: str) -> None:
        self._window.select_view("returns")
        self._window.returns_view.filters.drill_down(returns_filter, text)
