"""The Settings dialog's Backend section: the backend this store syncs with, and connecting another.

The connected URL is a store read and the token a keyring read, so the section shows "Reading…" and
fills in when ``read_backend`` answers on the I/O lane. Changing the URL or pasting a token does
nothing until the dialog's OK: then ``connect_backend`` checks them in the background and saves them if
the backend answered, reporting a refusal (a 401, an unreachable host) in the section with the field
named. An unchanged URL with an empty token field is no change at all.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from seller_desk.ui.tones import set_tone
from seller_desk.workers import Lane, Op
from seller_desk.workers.backend_connect import (
    TOKEN_FIELD,
    URL_FIELD,
    BackendChange,
    BackendInfo,
    BackendRefused,
    check_backend,
    read_backend,
    save_backend,
)

NOT_CONNECTED = "Not connected: this desktop works on its own (seller-desk connect, or a URL here)"


class BackendSection(QGroupBox):
    """``connect_backend(done, failed)`` checks and saves a change; ``cancel()`` drops a late answer."""

    def __init__(self, config_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__("Backend", parent)
        self._config_dir = config_dir
        self.info: BackendInfo | None = None  # None until the read answers
        self._ops: list[Op[object]] = []
        self._cancelled = False
        self.connected = QLabel("Reading…", self)
        self.connected.setAccessibleName("Connected backend")
        self.connected.setWordWrap(True)
        self.url = QLineEdit(self)
        self.url.setAccessibleName(URL_FIELD)
        self.url.setPlaceholderText("https://desk.example.com")
        self.url.setEnabled(False)  # until the read says what is connected now
        self.token = QLineEdit(self)
        self.token.setAccessibleName(TOKEN_FIELD)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setEnabled(False)
        self.note = QLabel("", self)
        self.note.setAccessibleName("Backend check")
        self.note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Connected to:", self.connected)
        form.addRow(f"{URL_FIELD}:", self.url)
        form.addRow(f"{TOKEN_FIELD}:", self.token)
        form.addRow("", self.note)

    def start(self) -> None:
        op = Op(self, partial(read_backend, config_dir=self._config_dir), lane=Lane.IO)
        op.success(self._show).failure(lambda exc: self._show_error(f"cannot read the backend: {exc}"))
        op.run_in_background()

    def _show(self, info: BackendInfo) -> None:
        self.info = info
        if info.url is None:
            self.connected.setText(NOT_CONNECTED)
        else:
            held = "token kept on this desktop" if info.has_token else "no token on this desktop"
            self.connected.setText(f"{info.url} ({held})")
        self.url.setText(info.url or "")
        self.url.setEnabled(True)
        self.token.setEnabled(True)
        self.token.setPlaceholderText(
            "unchanged" if info.has_token else "the device token (seller-desk backend token create)"
        )

    def pending_change(self) -> tuple[str, str | None] | None:
        """The URL and token to check (token None: the one held for that URL), or None: no change.

        Raises ``BackendRefused`` for input refused before asking anyone."""
        if self.info is None:
            return None  # the read has not answered: nothing was shown, so nothing was changed
        url, token = self.url.text().strip(), self.token.text().strip()
        if url == (self.info.url or "") and not token:
            return None
        if not url:
            raise BackendRefused(URL_FIELD, "give the backend's address, e.g. https://desk.example.com")
        if any(c.isspace() for c in token):
            raise BackendRefused(
                TOKEN_FIELD, "a token has no spaces; paste exactly the token you were issued"
            )
        return url, token or None

    def connect_backend(
        self, done: Callable[[BackendChange], None], failed: Callable[[BackendRefused], None]
    ) -> bool:
        """Check the pending change, then save it; False (and nothing runs) when there is none."""
        change = self.pending_change()
        if change is None or self.info is None:
            return False
        url, token = change
        self._cancelled = False
        set_tone(self.note, None)
        self.note.setText(f"Asking {url}…")
        check = partial(check_backend, url=url, token=token, current=self.info, config_dir=self._config_dir)
        op: Op[object] = Op(self, check, lane=Lane.IO)
        op.success(lambda checked: self._checked(checked, done, failed))
        op.failure(lambda exc: self._failed(exc, failed))
        self._run(op)
        return True

    def _checked(
        self,
        change: BackendChange | BackendRefused,
        done: Callable[[BackendChange], None],
        failed: Callable[[BackendRefused], None],
    ) -> None:
        if self._cancelled:
            return
        if isinstance(change, BackendRefused):
            self._failed(change, failed)
            return
        self.note.setText(f"{change.url} answered; saving…")
        op: Op[object] = Op(
            self, partial(save_backend, change=change, config_dir=self._config_dir), lane=Lane.IO
        )
        op.success(lambda _where: self._saved(change, done)).failure(lambda exc: self._failed(exc, failed))
        self._run(op)

    def _saved(self, change: BackendChange, done: Callable[[BackendChange], None]) -> None:
        self.note.setText(f"Connected to {change.url}")
        done(change)

    def _failed(self, exc: BaseException, failed: Callable[[BackendRefused], None]) -> None:
        if self._cancelled:
            return
        refused = exc if isinstance(exc, BackendRefused) else BackendRefused(URL_FIELD, str(exc))
        self._show_error(str(refused))
        (self.token if refused.field == TOKEN_FIELD else self.url).setFocus()
        failed(refused)

    def _show_error(self, text: str) -> None:
        set_tone(self.note, "error")
        self.note.setText(text)

    def _run(self, op: Op[object]) -> None:
        self._ops.append(op)
        op.run_in_background()

    def cancel(self) -> None:
        """The dialog was cancelled: a check still under way saves nothing."""
        self._cancelled = True
        for op in self._ops:
            op.cancel()
