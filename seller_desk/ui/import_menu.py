"""How reports get into the app: File → Import Amazon reports… (Ctrl+O) and files dropped on the window.

Both open an ``ImportDialog`` for the chosen files. Afterwards the screens that show returns reload,
or, when the files went to the backend, the sync worker is nudged to pull them at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog

from seller_desk.ui.dialogs.import_dialog import ImportDialog

if TYPE_CHECKING:
    from seller_desk.ui.main_window import MainWindow

REPORT_FILTERS = "Returns reports (*.txt *.tsv *.csv *.xml *.gz);;All files (*)"


class ReportImports(QObject):
    """Installed once on the main window (``ReportImports(window)``)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: ImportDialog | None = None
        menu = window.menuBar().addMenu("&File")
        self.import_action = QAction("&Import Amazon reports…", window)
        self.import_action.setShortcut(QKeySequence("Ctrl+O"))  # Ctrl+I is Inspect on the Returns screen
        self.import_action.setToolTip(
            "Read MFN flat, MFN XML or FBA returns reports downloaded from Seller Central"
        )
        self.import_action.triggered.connect(self.choose_files)
        menu.addAction(self.import_action)
        menu.addSeparator()
        self.quit_action = QAction("&Quit", window)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.triggered.connect(window.close)
        menu.addAction(self.quit_action)
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self.window, "Import Amazon returns reports", "", REPORT_FILTERS
        )
        if names:
            self.start([Path(n) for n in names])

    def start(self, paths: list[Path]) -> ImportDialog | None:
        """Open the import window for ``paths`` (one import at a time: a second waits for the first)."""
        if self.dialog is not None and self.dialog.running:
            self.window.statusBar().showMessage(
                "An import is already under way; wait for it to finish", 10_000
            )
            self.dialog.raise_()
            return None
        self.dialog = ImportDialog(paths, self.window.sync.config_dir, self._imported, self.window)
        self.dialog.show()
        self.dialog.start()
        return self.dialog

    def _imported(self, summaries: list[dict[str, Any]], backend: str | None) -> None:
        if backend is not None:
            self.window.sync.nudge(force=True)
            return
        if any(s["committed"] and (s["imported"] or s["updated"]) for s in summaries):
            view = self.window.returns_view
            view.model.reload()
            view.index_comments()
            self.window.attention.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            drag: QDragEnterEvent = event  # type: ignore[assignment]
            if _local_files(drag):
                drag.acceptProposedAction()
                return True
        elif event.type() == QEvent.Type.Drop:
            drop: QDropEvent = event  # type: ignore[assignment]
            paths = _local_files(drop)
            if paths:
                drop.acceptProposedAction()
                self.start(paths)
                return True
        return super().eventFilter(watched, event)


def _local_files(event: QDropEvent) -> list[Path]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [
        Path(url.toLocalFile())
        for url in mime.urls()
        if url.isLocalFile() and Path(url.toLocalFile()).is_file()
    ]
