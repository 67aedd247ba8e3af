"""Export the Returns list as filtered to CSV or XLSX: pick a file, watch the progress, cancel if need be.

The export reads through its own connection on the I/O lane (``workers.exports``); the window stays
live, and the progress dialog's Cancel stops it between steps without leaving a half-written file.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from seller_desk.store.queries.returns import ReturnsFilter
from seller_desk.workers import Lane, Op, Progress
from seller_desk.workers.exports import export_returns_op

FILTERS = "CSV (*.csv);;Excel workbook (*.xlsx)"


def ask_for_path(parent: QWidget) -> Path | None:
    """The seller's choice of file, with the extension of the type they picked; None if cancelled."""
    start = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
    name, chosen = QFileDialog.getSaveFileName(parent, "Export returns", str(start / "returns.csv"), FILTERS)
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        path = path.with_suffix(".xlsx" if "xlsx" in chosen else ".csv")
    return path


class ReturnsExporter(QObject):
    """``message`` carries the outcome for the status bar."""

    message = Signal(str)
    finished = Signal()

    def __init__(self, parent: QWidget, choose_path: Callable[[QWidget], Path | None] = ask_for_path) -> None:
        super().__init__(parent)
        self._parent = parent
        self.choose_path = choose_path  # tests give a path instead of a dialog
        self.running: Op[int] | None = None
        self.progress: QProgressDialog | None = None

    def export(self, f: ReturnsFilter, count: int) -> None:
        if self.running is not None:
            self.message.emit("An export is already running")
            return
        path = self.choose_path(self._parent)
        if path is None:
            return
        progress = QProgressDialog(
            f"Exporting {count:,} returns to {path.name}…", "Cancel", 0, max(count, 1), self._parent
        )
        progress.setWindowTitle("Export returns")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)  # a small export finishes before the dialog would show
        progress.setAccessibleName("Export progress")
        self.progress = progress
        op = Op(self, partial(export_returns_op, f=f, path=path, total=count), lane=Lane.IO)
        op.progress(self._on_progress).success(partial(self._done, path)).failure(self._failed)
        op.cancelled(self._on_cancelled)
        progress.canceled.connect(op.cancel)
        self.running = op.run_in_background()

    def _on_progress(self, step: Progress) -> None:
        if self.progress is not None:
            self.progress.setValue(min(step.done, self.progress.maximum()))

    def _done(self, path: Path, written: int) -> None:
        self._close()
        self.message.emit(f"Exported {written:,} return{'' if written == 1 else 's'} to {path}")

    def _failed(self, exc: BaseException) -> None:
        self._close()
        self.message.emit(f"Export failed: {exc}")

    def _on_cancelled(self) -> None:
        self._close()
        self.message.emit("Export cancelled; no file was written")

    def _close(self) -> None:
        self.running = None
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        self.finished.emit()
