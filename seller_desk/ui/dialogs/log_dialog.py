"""Help → Logs…: the app's recent log lines, so a seller can see (and copy into a support request) what
happened without finding a hidden folder. The file is read on an I/O worker, never on the GUI thread;
"Warnings and errors" hides the routine INFO lines."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from seller_desk.logs import LOG_FILE, recent_lines
from seller_desk.workers import Lane, Op

SHOWN_LINES = 2_000
_SERIOUS = (" WARNING ", " ERROR ", " CRITICAL")


def serious_only(lines: list[str]) -> list[str]:
    """Warning, error and critical records, with the traceback lines that follow each."""
    kept: list[str] = []
    keeping = False
    for line in lines:
        if line[:4].isdigit():  # a record starts with its date; anything else continues the last one
            keeping = any(level in line[:40] for level in _SERIOUS)
        if keeping:
            kept.append(line)
    return kept


class LogDialog(QDialog):
    def __init__(self, log_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log_dir = log_dir
        self._lines: list[str] = []
        self.setWindowTitle("Seller Desk log")
        self.resize(980, 560)
        self.where = QLabel(f"{log_dir / LOG_FILE} (the last {SHOWN_LINES:,} lines)", self)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.level = QComboBox(self)
        self.level.addItems(["Everything", "Warnings and errors"])
        self.level.setAccessibleName("Which log lines to show")
        self.level.currentIndexChanged.connect(self._show)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setAccessibleName("Log lines")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.refresh_button = QPushButton("Refresh", self)
        self.folder_button = QPushButton("Open log folder", self)
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.refresh_button.clicked.connect(self.load)
        self.folder_button.clicked.connect(self.open_folder)
        top = QHBoxLayout()
        top.addWidget(self.where, 1)
        top.addWidget(self.level)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)

    def load(self) -> None:
        """Read the log's tail on an I/O worker; the lines appear when it is done."""
        self.text.setPlaceholderText("Reading the log…")
        self.refresh_button.setEnabled(False)
        log_dir = self.log_dir
        op = Op(self, lambda _ctx: recent_lines(log_dir, SHOWN_LINES), lane=Lane.IO)
        op.success(self._loaded).failure(self._failed).run_in_background()

    def _loaded(self, lines: list[str]) -> None:
        self._lines = lines
        self.refresh_button.setEnabled(True)
        self.text.setPlaceholderText("The log is empty: nothing has been logged yet.")
        self._show()

    def _failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.text.setPlainText(f"Could not read {self.log_dir / LOG_FILE}: {exc}")

    def _show(self) -> None:
        lines = serious_only(self._lines) if self.level.currentIndex() == 1 else self._lines
        self.text.setPlainText("\n".join(lines))
        self.text.moveCursor(QTextCursor.MoveOperation.End)

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_dir)))
