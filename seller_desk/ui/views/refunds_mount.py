"""Building the Refunds screen in place of its stand-in once the Returns list has painted (start-up
never pays for it), and wiring it to the rest of the window: sync rounds reload it, each act nudges
the sync worker, the Sync screen's "Decide again" opens the request in it, and the enabled auto-approve
rules run after each sync round that brought changes.
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
    window.sync.data_changed.connect(lambda _changes: auto_approve(window, view))
    view.actions.rules_changed.connect(lambda: auto_approve(window, view))
    window.views[NAME] = view
    window.tabs.blockSignals(True)
    window.tabs.removeTab(index)
    window.tabs.insertTab(index, view, view.title)
    window.tabs.setCurrentIndex(current)
    window.tabs.blockSignals(False)
    pending.deleteLater()
    auto_approve(window, view)
    return view


def auto_approve(window: MainWindow, view: RefundsView) -> None:
    """Apply the enabled auto-approve rules in the background (after a pull brought changes, at start,
    after a rule changed), then reload the queue and send what they approved."""
    from seller_desk.workers import Op
    from seller_desk.workers.refunds import run_auto_approve

    def done(approved: dict[str, int]) -> None:
        view.refresh_if_idle()
        if approved:
            said = ", ".join(f"{n:,} by {name}" for name, n in approved.items())
            window.statusBar().showMessage(f"Auto-approved {said}; queued to sync", 15_000)
            window.sync.nudge()

    Op(view, run_auto_approve).success(done).run_in_background()
