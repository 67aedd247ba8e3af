"""The main window's size, place and state, remembered in ``window.ini`` between runs.

``window.ini`` already keeps what the screens arrange (the Returns filter and columns, the detail
splitter, the Refunds columns, the Restock defaults); this adds only the window itself: Qt's
``saveGeometry`` (size, position, maximized or full screen, which screen) and ``saveState`` (tool
bars and docks, for when the window has some). It is saved when the window closes and when the
application quits without closing it (SIGTERM at a logout), and restored by ``app.py`` before the
window is first shown. Restoring checks the saved place against the screens present now (Qt moves a
window whose monitor has gone back onto one that exists), so a laptop off its dock still opens visibly.

Screenshots never use this: their size is given, and they leave the seller's layout alone.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings
from PySide6.QtWidgets import QApplication, QMainWindow

GEOMETRY_KEY, STATE_KEY = "window/geometry", "window/state"


class WindowLayout(QObject):
    """``WindowLayout(window, settings).restore_or_resize(w, h)`` before ``show()``."""

    def __init__(self, window: QMainWindow, settings: QSettings) -> None:
        super().__init__(window)
        self._window, self._settings = window, settings
        window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.save)

    def restore_or_resize(self, width: int, height: int) -> bool:
        """The remembered geometry and state; ``width`` × ``height`` when none is (or it is unusable)."""
        geometry = self._settings.value(GEOMETRY_KEY)
        restored = isinstance(geometry, QByteArray) and self._window.restoreGeometry(geometry)
        if not restored:
            self._window.resize(width, height)
        state = self._settings.value(STATE_KEY)
        if isinstance(state, QByteArray):
            self._window.restoreState(state)
        return restored

    def save(self) -> None:
        self._settings.setValue(GEOMETRY_KEY, self._window.saveGeometry())
        self._settings.setValue(STATE_KEY, self._window.saveState())
        self._settings.sync()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.save()
        return super().eventFilter(watched, event)
