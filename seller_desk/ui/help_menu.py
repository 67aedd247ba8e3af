"""The Help menu (Logs…, crash reports, About) and the notice shown when the app hits an unhandled error.

``crash.install`` may call ``CrashNotice.notify`` from any thread; the signal carries it to the GUI
thread, where one non-modal message says what happened, that the seller's decisions are safe, and
where the report is. A burst of errors updates the same message instead of stacking dialogs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QMessageBox

from seller_desk import __version__
from seller_desk.crash import CRASH_DIR

if TYPE_CHECKING:
    from seller_desk.ui.dialogs.log_dialog import LogDialog
    from seller_desk.ui.main_window import MainWindow


class CrashNotice(QObject):
    reported = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.box: QMessageBox | None = None
        self.count = 0
        self.reported.connect(self._show)

    def notify(self, report: Path) -> None:
        """Thread-safe: queue the notice to the GUI thread."""
        self.reported.emit(str(report))

    def _show(self, report: str) -> None:
        self.count += 1
        text = (
            "Seller Desk hit an unexpected error and carried on.\n\n"
            "Your work is safe: every decision, receipt and note shown as queued was saved before it "
            "was shown, and will sync as usual.\n\n"
            f"A report was saved to {report}"
            + (f"\n\n({self.count} errors since the app started.)" if self.count > 1 else "")
        )
        if self.box is None:
            self.box = QMessageBox(QMessageBox.Icon.Warning, "Seller Desk: unexpected error", text,
                                   QMessageBox.StandardButton.Close, self.window)  # fmt: skip
            folder = self.box.addButton("Open reports folder", QMessageBox.ButtonRole.ActionRole)
            folder.clicked.connect(lambda: _open(Path(report).parent))
            self.box.setModal(False)
            self.box.finished.connect(self._closed)
        else:
            self.box.setText(text)
        self.box.show()

    def _closed(self) -> None:
        self.box = None


class HelpMenu(QObject):
    """Installed once on the main window, after the File menu."""

    def __init__(self, window: MainWindow, log_dir: Path) -> None:
        super().__init__(window)
        self.window, self.log_dir = window, log_dir
        self.dialog: LogDialog | None = None
        menu = window.menuBar().addMenu("&Help")
        self.logs_action = QAction("&Logs…", window)
        self.logs_action.setToolTip("What the app recorded: syncs, imports, errors")
        self.logs_action.triggered.connect(self.show_logs)
        window.action_icons.add(self.logs_action, "logs")
        menu.addAction(self.logs_action)
        reports = QAction("&Crash reports folder", window)
        reports.triggered.connect(lambda: _open(log_dir / CRASH_DIR))
        menu.addAction(reports)
        menu.addSeparator()
        about = QAction("&About Seller Desk", window)
        about.triggered.connect(self.show_about)
        menu.addAction(about)
        self.crash_notice = CrashNotice(window)

    def show_logs(self) -> LogDialog:
        from seller_desk.ui.dialogs.log_dialog import LogDialog

        if self.dialog is None:
            self.dialog = LogDialog(self.log_dir, self.window)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.load()
        return self.dialog

    def show_about(self) -> None:
        QMessageBox.about(
            self.window,
            "About Seller Desk",
            f"Seller Desk {__version__}\n\nReturns, refunds, return-reason trends and restock planning "
            f"for marketplace sellers.\n\nLogs and crash reports: {self.log_dir}",
        )


def _open(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
