"""Building the Refunds screen in place of its stand-in the first time it is needed — its tab opened, a
refund clock or a conflict to decide — so start-up never pays for it (it loads the store's ORM models,
~0.2 s and ~15 MB), and wiring it to the rest of the window: sync rounds reload it, each act nudges
the sync worker, the Sync screen's "Decide again" opens the request in it, and the enabled auto-approve
rules run after each sync round that brought changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seller_desk.ui.main_window import MainWindow
    from seller_desk.ui.views.refunds_view import RefundsView

NAME = "refunds"


def ensure_refunds_view(window: MainWindow) -> RefundsView:
    """The Refunds screen, built now if it was not yet (keeping the tab's place and the current tab)."""
    from seller_desk.ui.views.refunds_view import RefundsView

    if window.refunds_view is not None:
        return window.refunds_view
    pending = window.views[NAME]
    index, current = window.tabs.indexOf(pending), window.tabs.currentIndex()
    view = RefundsView(window, settings=window.settings)
    view.actions.set_sync(window.sync)
    view.actions.rules_changed.connect(lambda: auto_approve(window))
    window.refunds_view = view
    window.views[NAME] = view
    window.tabs.blockSignals(True)
    window.tabs.removeTab(index)
    window.tabs.insertTab(index, view, view.title)
    window.tabs.setCurrentIndex(current)
    window.tabs.blockSignals(False)
    pending.deleteLater()
    if window.first_painted:
        view.start()  # else it starts with the other screens after the first paint
    return view


def needs_mounting(window: MainWindow) -> bool:
    return window.refunds_view is None and window.current_view() is window.views[NAME]


def auto_approve(window: MainWindow) -> None:
    """Apply the enabled auto-approve rules in the background (after a pull brought changes, at start,
    after a rule changed), then reload the queue and send what they approved."""
    from seller_desk.workers import Op, TaskManager
    from seller_desk.workers.refunds import run_auto_approve

    if window.stopping or not TaskManager.is_installed():  # a late timer on a window being torn down
        return

    def done(approved: dict[str, int]) -> None:
        if window.refunds_view is not None:
            window.refunds_view.refresh_if_idle()
        if approved:
            said = ", ".join(f"{n:,} by {name}" for name, n in approved.items())
            window.statusBar().showMessage(f"Auto-approved {said}; queued to sync", 15_000)
            window.sync.nudge()

    Op(window, run_auto_approve).success(done).run_in_background()
