"""Attention: the inbox button in the status bar and the desktop notifications, over one background read.

``store.queries.attention`` says what needs the seller now (refund clocks at risk, parcels delivered
but not received, stalled, lost or in exception). The inbox lists it; choosing an item opens that
return. A desktop notification (the system tray's balloon, where the desktop has a tray) announces only
items not seen before in this run: the first read announces how many are waiting, later reads each new
one, and clicking the notification opens it. The read runs after each sync pull and every few minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QStyle, QSystemTrayIcon, QToolButton, QWidget

from seller_desk.store.queries.attention import AttentionItem
from seller_desk.store.queries.returns_quick import STALLED_AFTER_DAYS
from seller_desk.workers import Op
from seller_desk.workers.returns_list import load_attention

REFRESH_MS = 5 * 60_000
SHOWN_IN_MENU = 40
TITLES = {
    "refund_clock": "Refund clocks at risk",
    "awaiting_receipt": "Delivered, not received",
    "lost_or_exception": "Lost or exception",
    "stalled": "Stalled in transit",
}
ICON = Path(__file__).resolve().parents[2] / "resources" / "icons" / "seller-desk.svg"


class AttentionInbox(QToolButton):
    """``open_item`` fires with the item the seller chose."""

    open_item = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setAutoRaise(True)
        self.setAccessibleName("Attention inbox")
        self.setToolTip(
            "What needs you now: refund clocks at risk, parcels to receive, stalled or lost parcels"
        )
        self.menu_ = QMenu(self)
        self.setMenu(self.menu_)
        self.items: list[AttentionItem] = []
        self.show_items([])

    def show_items(self, items: list[AttentionItem]) -> None:
        self.items = items
        self.setText(f"⚑ {len(items):,} need attention" if items else "⚑ Nothing needs attention")
        self.menu_.clear()
        shown = 0
        for kind, title in TITLES.items():
            of_kind = [i for i in items if i.kind == kind]
            if not of_kind:
                continue
            self.menu_.addSection(f"{title} ({len(of_kind):,})")
            for item in of_kind[: max(1, SHOWN_IN_MENU // len(TITLES))]:
                action = QAction(item.text, self.menu_)
                action.triggered.connect(lambda _checked=False, chosen=item: self.open_item.emit(chosen))
                self.menu_.addAction(action)
                shown += 1
        if shown < len(items):
            more = self.menu_.addAction(f"… and {len(items) - shown:,} more: use the quick filters")
            more.setEnabled(False)


class AttentionNotifier(QObject):
    """Desktop notifications of new attention items; silent where the desktop has no system tray."""

    def __init__(self, parent: QWidget, open_item: Callable[[AttentionItem], None]) -> None:
        super().__init__(parent)
        self._open_item = open_item
        self._seen: set[str] | None = None  # None until the first read
        self._clicked: AttentionItem | None = None
        self.tray: QSystemTrayIcon | None = None
        self.announced: list[str] = []  # what was shown, newest last (the tests read it)
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon = (
                QIcon(str(ICON))
                if ICON.exists()
                else parent.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            )
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip("Seller Desk")
            self.tray.messageClicked.connect(self._on_clicked)
            self.tray.show()

    def update(self, items: list[AttentionItem]) -> None:
        keys = {i.key for i in items}
        if self._seen is None:
            self._seen = keys
            if items:
                self._announce("Seller Desk", f"{len(items):,} things need your attention", items[0])
            return
        new = [i for i in items if i.key not in self._seen]
        self._seen |= keys
        if len(new) == 1:
            self._announce(TITLES[new[0].kind], new[0].text, new[0])
        elif new:
            self._announce("Seller Desk", f"{len(new):,} new things need your attention", new[0])

    def _announce(self, title: str, text: str, item: AttentionItem) -> None:
        self._clicked = item
        self.announced.append(f"{title}: {text}")
        if self.tray is not None:
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 10_000)

    def _on_clicked(self) -> None:
        if self._clicked is not None:
            self._open_item(self._clicked)


class AttentionWatch(QObject):
    """Reads the inbox in the background now and then and hands it to the inbox and the notifier."""

    def __init__(self, inbox: AttentionInbox, notifier: AttentionNotifier, parent: QObject) -> None:
        super().__init__(parent)
        self._inbox, self._notifier = inbox, notifier
        self._reading: Op[list[AttentionItem]] | None = None
        self._stalled_after_days = STALLED_AFTER_DAYS  # the seller's setting
        self._read_again = False  # the threshold changed while a read was under way
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self._timer.start()
        self.refresh()

    def stop(self) -> None:
        self._timer.stop()

    def set_stalled_after_days(self, days: int) -> None:
        """Parcels count as stalled after ``days`` without a scan; the inbox reads again if it runs."""
        if days == self._stalled_after_days:
            return
        self._stalled_after_days = days
        if self._timer.isActive():
            self._read_again = self._reading is not None
            self.refresh()

    def refresh(self) -> None:
        if self._reading is not None:
            return
        read = partial(load_attention, stalled_after_days=self._stalled_after_days)
        self._reading = Op(self, read).success(self._show).failure(self._failed)
        self._reading.run_in_background()

    def _show(self, items: list[AttentionItem]) -> None:
        self._reading = None
        if self._read_again:  # read with the old threshold: the next read uses the new one
            self._read_again = False
            self.refresh()
            return
        self._inbox.show_items(items)
        self._notifier.update(items)

    def _failed(self, _exc: BaseException) -> None:
        self._reading = None
