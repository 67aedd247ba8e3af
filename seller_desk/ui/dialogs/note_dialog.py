"""Add a note to a return: a small multi-line editor, queued to sync like every other act.

The OK button stays off while the note is blank, so an empty note is never sent; the wire's limit
(5,000 characters) is shown as a live count rather than discovered as a refusal.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

MAX_NOTE = 5000


class NoteDialog(QDialog):
    """Open with ``open()``; on ``accepted`` read ``text()``."""

    def __init__(self, rma: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Add a note — {rma}")
        self.setAccessibleName("Add a note")
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName(f"Note on {rma}")
        self.editor.setToolTip("The note is kept with the return and synced to the backend")
        self.editor.setPlaceholderText("What happened, what to do next…")
        self.editor.setTabChangesFocus(True)
        self.count = QLabel(self)
        self.count.setAccessibleName("Characters left")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Add note")
        self.ok.setAccessibleName("Add note")
        self.ok.setToolTip("Queue the note to sync")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Note on <b>{rma}</b>:", self))
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self.editor.textChanged.connect(self._on_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.resize(460, 260)
        self._on_text()

    def text(self) -> str:
        return self.editor.toPlainText().strip()

    def _on_text(self) -> None:
        length = len(self.editor.toPlainText().strip())
        self.count.setText(f"{MAX_NOTE - length:,} characters left")
        self.ok.setEnabled(0 < length <= MAX_NOTE)
