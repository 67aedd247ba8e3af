"""Swapping the Restock screen in for its tab's stand-in, the first time the seller opens that tab.

The screen imports matplotlib's Qt backend (≈ 0.5 s), so start-up never builds it: MainWindow calls
``mount_restock_view`` when the tab is first selected (screenshots select it before start). The screen
starts reading at once if the Returns list has painted, else with the other screens after that paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from seller_desk.ui.views.pending_view import PendingView

if TYPE_CHECKING:
    from seller_desk.ui.main_window import MainWindow

NAME = "restock"


def needs_mounting(window: MainWindow) -> bool:
    return window.current_view() is window.views[NAME] and isinstance(window.views[NAME], PendingView)


def mount_restock_view(window: MainWindow, *, first_painted: bool) -> None:
    from seller_desk.ui.views.restock_view import RestockView

    pending = window.views[NAME]
    index = window.tabs.indexOf(pending)
    view = RestockView(window, settings=window.settings)
    view.message.connect(lambda text: window.statusBar().showMessage(text, 15_000))
    window.sync.data_changed.connect(view.refresh_if_shown)
    window.views[NAME] = view
    window.tabs.blockSignals(True)
    window.tabs.removeTab(index)
    window.tabs.insertTab(index, view, view.title)
    window.tabs.setCurrentIndex(index)
    window.tabs.blockSignals(False)
    pending.deleteLater()
    if first_painted:
        view.start()
