"""A tab's stand-in while its screen waits to be built after the Returns list's first paint.

Building a screen costs its imports (the Sync screen pulls in the ORM models and its queries, ~0.1 s)
on the GUI thread. Start-up spends that only on what the seller sees first; the stand-in holds the tab's
place and title meanwhile, and says so should the seller click it in that first second.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PendingView(QWidget):
    """Holds a tab until ``MainWindow`` swaps the real screen in; never ready itself."""

    ready = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        label = QLabel(f"Opening {title}…", self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setAccessibleName(f"{title}: opening")
        layout = QVBoxLayout(self)
        layout.addWidget(label)

    def start(self) -> None:
        """Nothing to read: the screen that replaces it starts its own reads."""

    def is_ready(self) -> bool:
        return False
