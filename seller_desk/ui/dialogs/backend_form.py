"""The welcome's "Connect to a team backend" page: URL, device token, optional CA file, then a check.

It does what ``seller-desk connect`` does (``seller_desk.sync.connect``): one request asks the backend
about the token, and only an accepted token is saved — to the keyring or the private file, with the
backend remembered in the store. The request, the keyring and the store write all run on an I/O
thread (an ``Op``): a backend that takes 30 seconds to time out must not freeze the window. While the
check runs the form is read-only; what went wrong is shown under it in a sentence, and the seller can
correct the form and try again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from seller_desk.ui.tones import set_tone
from seller_desk.workers import Lane, Op, OpContext

if TYPE_CHECKING:
    from seller_desk.sync.connect import Connected

CA_FILTERS = "PEM certificates (*.pem *.crt *.cer);;All files (*)"


class BackendForm(QWidget):
    """Emits ``connected(Connected)`` once the backend accepted the token and it was saved."""

    connected = Signal(object)  # seller_desk.sync.connect.Connected
    back_requested = Signal()

    def __init__(self, config_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Connect to a team backend")
        self._config_dir = config_dir
        self._op: Op[Connected] | None = None
        heading = QLabel("<h2 style='margin:0'>Connect to a team backend</h2>", self)
        intro = QLabel(
            "Your team's administrator gives you the backend's address and a device token for this "
            "computer. The token is checked with the backend before anything is saved.",
            self,
        )
        intro.setWordWrap(True)
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://desk.example.com")
        self.url.setAccessibleName("Backend URL")
        self.token = QLineEdit(self)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("the device token you were issued")
        self.token.setAccessibleName("Device token")
        self.ca_file = QLineEdit(self)
        self.ca_file.setPlaceholderText("only for a backend with its own certificate authority")
        self.ca_file.setAccessibleName("CA file (optional)")
        self.browse = QPushButton("&Browse…", self)
        self.browse.setAccessibleName("Choose the CA file")
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(_buddy("Backend &URL:", self.url, self), self.url)
        form.addRow(_buddy("Device &token:", self.token, self), self.token)
        form.addRow(_buddy("CA &file (optional):", self.ca_file, self), ca_row)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Connection check")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.back_button = QPushButton("B&ack", self)
        self.back_button.setAccessibleName("Back to the three ways in")
        self.connect_button = QPushButton("&Check and connect", self)
        self.connect_button.setAccessibleName("Check and connect")
        self.connect_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.connect_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # the welcome's margins frame both of its pages alike
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.browse.clicked.connect(self._choose_ca_file)
        self.back_button.clicked.connect(self.back_requested)
        self.connect_button.clicked.connect(self.check_and_connect)
        self.url.textChanged.connect(self._update_button)
        self.token.textChanged.connect(self._update_button)
        self._update_button()

    @property
    def checking(self) -> bool:
        return self._op is not None and not self._op.finished

    def check_and_connect(self) -> None:
        """Ask the backend on an I/O thread. Reading the form is done there too: it needs the HTTP
        client's modules, a third of a second to import that the window should not wait for."""
        if self.checking or not self.connect_button.isEnabled():
            return
        url, token, ca_file = self.url.text(), self.token.text(), self.ca_file.text().strip() or None
        config_dir = self._config_dir

        def check_then_save(ctx: OpContext) -> Connected:
            from seller_desk.sync.connect import backend_at, check_backend, clean_token, save_connection

            backend = backend_at(url, ca_file)
            cleaned = clean_token(token)
            check_backend(backend, cleaned)
            ctx.check_cancelled()  # the seller closed the welcome meanwhile: save nothing
            return save_connection(ctx.store, config_dir, backend, cleaned)

        self._set_busy(True)
        self._show_status(f"Checking the token with {url.strip()}…")
        self._op = Op(self, check_then_save, lane=Lane.IO)
        self._op.success(self._on_connected).failure(self._on_failed).run_in_background()

    def cancel(self) -> None:
        """Stop a check under way (the welcome closed); nothing is saved after it."""
        if self._op is not None:
            self._op.cancel()

    def _on_connected(self, connected: Connected) -> None:
        self._set_busy(False)
        self._show_status(f"Connected to {connected.url}.")
        self.connected.emit(connected)

    def _on_failed(self, error: BaseException) -> None:
        from seller_desk.sync.connect import TokenRefused  # loaded by the check already
        from seller_desk.sync.connection import BackendSettingsError

        self._set_busy(False)
        if isinstance(error, BackendSettingsError):
            self._show_problem(_sentence(str(error)))
        else:
            self._show_problem(f"The connection could not be saved: {error}")
        field = self.token if isinstance(error, TokenRefused) or "token" in str(error) else self.url
        field.setFocus()
        field.selectAll()

    def _choose_ca_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "The backend's CA certificate", "", CA_FILTERS)
        if name:
            self.ca_file.setText(name)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.url, self.token, self.ca_file):
            widget.setReadOnly(busy)
        self.browse.setEnabled(not busy)
        self.back_button.setEnabled(not busy)
        self.connect_button.setEnabled(not busy)
        if not busy:
            self._update_button()

    def _update_button(self) -> None:
        filled = bool(self.url.text().strip() and self.token.text().strip())
        self.connect_button.setEnabled(filled and not self.checking)

    def _show_status(self, text: str) -> None:
        set_tone(self.status, None)
        self.status.setText(text)

    def _show_problem(self, text: str) -> None:
        set_tone(self.status, "error")
        self.status.setText(text)


def _buddy(text: str, field: QWidget, parent: QWidget) -> QLabel:
    """A form label whose mnemonic (Alt+letter) moves the focus to its field."""
    label = QLabel(text, parent)
    label.setBuddy(field)
    return label


def _sentence(message: str) -> str:
    """The shared messages are written for a terminal (lower case first); the form shows sentences."""
    text = message[:1].upper() + message[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
