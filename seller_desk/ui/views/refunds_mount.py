"""Building the Refunds screen in place of its stand-in once the Returns list has painted (start-up
never pays for it), and wiring it to the rest of the window: sync rounds reload it, each act nudges
the sync worker, and the Sync screen's "Decide again" opens the request in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seller_desk.ui.main_window import MainWindow
    from seller_desk.ui.views.refunds_view import RefundsView

NAME = "refunds"


def build_refunds_view(window: MainWindow) -> RefundsView:
    from seller_desk.ui.views.refunds_view import RefundsView

    pending = window.views[NAME]
    index, current = window.tabs.indexOf(pending), window.tabs.currentIndex()
    view = RefundsView(window, settings=window.settings)
    view.actions.set_sync(window.sync)
    window.sync.data_changed.connect(lambda _changes: view.refresh_if_idle())
    window.views[NAME] = view
    window.tabs.blockSignals(True)
    window.tabs.removeTab(index)
    window.tabs.insertTab(index, view, view.title)
    window.tabs.setCurrentIndex(current)
    window.tabs.blockSignals(False)
    pending.deleteLater()
    return view
