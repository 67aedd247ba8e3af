"""The status bar's sync indicator: connection, last sync, pending acts, pull progress, and errors.

One flat button, so the whole indicator is one click target: clicking it opens the Sync screen, where
the last error is shown in full and the lists explain every number. The age ("synced 2 min ago") is
re-worded every 30 s by a timer; nothing here reads the store — the sync worker sends snapshots.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from seller_desk.ui.sync import wording as w
from seller_desk.ui.theme import readable
from seller_desk.workers.sync_worker import SyncMode, SyncSnapshot

AGE_REFRESH_MS = 30_000
MODE_WORDS = {
    SyncMode.LOCAL_ONLY: ("○", "Local only"),
    SyncMode.NOT_RUNNING: ("○", "Not syncing"),
    SyncMode.CONNECTING: ("◌", "Connecting…"),
    SyncMode.ONLINE: ("●", "Online"),
    SyncMode.OFFLINE: ("●", "Offline"),
    SyncMode.UNAUTHORIZED: ("●", "Token refused"),
}
MODE_COLOURS = {
    SyncMode.ONLINE: "#1e7d32",
    SyncMode.OFFLINE: "#b06000",
    SyncMode.UNAUTHORIZED: "#b3261e",
}


class SyncIndicator(QPushButton):
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlat(True)
        self.setAccessibleName("Sync status")
        self._state = SyncSnapshot(SyncMode.LOCAL_ONLY)
        self._timer = QTimer(self)
        self._timer.setInterval(AGE_REFRESH_MS)
        self._timer.timeout.connect(self._render)
        self._timer.start()
        self.clicked.connect(self.open_requested)
        self._render()

    def state(self) -> SyncSnapshot:
        return self._state

    def show_state(self, state: SyncSnapshot) -> None:
        self._state = state
        self._render()

    def _render(self) -> None:
        s = self._state
        dot, word = MODE_WORDS[s.mode]
        parts = [f"{dot} {word}"]
        if s.pulling is not None:
            parts.append(f"fetching {s.pulling.changes:,} changes…")
        elif s.mode not in (SyncMode.LOCAL_ONLY, SyncMode.CONNECTING):
            parts.append(f"synced {w.age(s.last_sync_at)}")
        if s.pending:
            parts.append(f"{s.pending:,} pending")
        if s.conflicts:
            parts.append(f"{s.conflicts:,} conflict{'' if s.conflicts == 1 else 's'}")
        if s.rejected:
            parts.append(f"{s.rejected:,} rejected")
        if s.last_error:
            parts.append("⚠ error")
        self.setText("  ·  ".join(parts))
        colour = MODE_COLOURS.get(s.mode)
        self.setStyleSheet(
            f"QPushButton {{ color: {readable(colour)}; padding: 0 6px; }}"
            if colour
            else "QPushButton { padding: 0 6px; }"
        )
        tip = [f"Backend: {s.backend_url}" if s.backend_url else "Not connected to a backend"]
        if s.last_error:
            tip.append(f"Last error: {s.last_error}")
        tip.append("Click to open the Sync screen")
        self.setToolTip("\n".join(tip))
