"""Run something once the Returns list has painted its first rows: what the seller came to see first.

Work that can wait (the other screens' first reads, the sync engine's imports and first round) shares
the GIL and the database thread with the start-up; begun at once it made the first paint 0.3 s later.
A fallback timer runs it anyway should that paint never come (a hidden window, a failed read).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView

from seller_desk.ui.models.returns_model import ReturnsTableModel

FALLBACK_MS = 1500


class AfterFirstPaint(QObject):
    """Calls ``then`` once: after the first paint of ``table`` that follows ``model``'s first page."""

    def __init__(
        self, table: QAbstractItemView, model: ReturnsTableModel, then: Callable[[], None], *,
        fallback_ms: int = FALLBACK_MS,
    ) -> None:  # fmt: skip
        super().__init__(table)
        self._table, self._model, self._then = table, model, then
        self._done = False
        self._page_shown = False
        model.first_page_loaded.connect(self._on_first_page)
        QTimer.singleShot(fallback_ms, self, self._run)

    def _on_first_page(self) -> None:
        if not self._page_shown and not self._done:
            self._page_shown = True
            self._table.viewport().installEventFilter(self)
            self._table.viewport().update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._page_shown and not self._done and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._run)  # after the paint, not inside it
        return False

    def cancel(self) -> None:
        """Never run (the window is closing)."""
        if not self._done:
            self._done = True
            self._table.viewport().removeEventFilter(self)
            self._model.first_page_loaded.disconnect(self._on_first_page)

    def _run(self) -> None:
        if not self._done:
            self.cancel()
            self._then()
