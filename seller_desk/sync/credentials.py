"""Where this device's backend token is kept: the OS keyring, else a private file.

The token is stored under service ``seller-desk`` with the backend URL as the user name, so one desktop
can hold tokens for several backends (a test backend and the team's). Where no usable keyring exists —
``keyring`` reports ``NoKeyringError``, or its chosen backend is the ``fail`` or ``null`` one (a headless
server, a container, a minimal Linux desktop without a Secret Service) — the token goes to
``<config dir>/credentials.json`` instead, created with mode 0600 in a 0700 directory and replaced
atomically. That file is as safe as the user's home directory; the keyring is preferred whenever it works.
Reading tries the keyring first, then the file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "seller-desk"
FILE_NAME = "credentials.json"
_UNUSABLE_BACKENDS = ("keyring.backends.fail", "keyring.backends.null")


class CredentialStore:
    def __init__(self, config_dir: Path, backend: KeyringBackend | None = None) -> None:
        self.config_dir = config_dir
        self._backend = backend

    @property
    def file(self) -> Path:
        return self.config_dir / FILE_NAME

    def _keyring(self) -> KeyringBackend | None:
        backend = self._backend if self._backend is not None else keyring.get_keyring()
        if type(backend).__module__ in _UNUSABLE_BACKENDS:
            return None
        return backend

    def save(self, url: str, token: str) -> str:
        """Store ``token`` for ``url``; returns where it went ("keyring" or the file's path)."""
        backend = self._keyring()
        if backend is not None:
            try:
                backend.set_password(SERVICE, url, token)
            except keyring.errors.KeyringError as exc:
                log.warning("the keyring refused the token (%s); using %s", exc, self.file)
            else:
                self._forget_in_file(url)
                return "keyring"
        tokens = self._read_file()
        tokens[url] = token
        self._write_file(tokens)
        return str(self.file)

    def load(self, url: str) -> str | None:
        backend = self._keyring()
        if backend is not None:
            try:
                found = backend.get_password(SERVICE, url)
            except keyring.errors.KeyringError as exc:
                log.warning("cannot read the keyring (%s); trying %s", exc, self.file)
            else:
                if found:
                    return found
        value = self._read_file().get(url)
        return value if isinstance(value, str) and value else None

    def delete(self, url: str) -> None:
        backend = self._keyring()
        if backend is not None:
            with contextlib.suppress(keyring.errors.KeyringError):  # nothing stored there is fine
                backend.delete_password(SERVICE, url)
        self._forget_in_file(url)

    # -- the file fallback ----------------------------------------------------------------------------------
    def _forget_in_file(self, url: str) -> None:
        tokens = self._read_file()
        if url in tokens:
            del tokens[url]
            self._write_file(tokens)

    def _read_file(self) -> dict[str, Any]:
        try:
            mode = self.file.stat().st_mode
        except FileNotFoundError:
            return {}
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            log.warning("%s was readable by others; restricting it to its owner", self.file)
            os.chmod(self.file, 0o600)
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("cannot read %s (%s); ignoring it", self.file, exc)
            return {}
        return data if isinstance(data, dict) else {}

    def _write_file(self, tokens: dict[str, Any]) -> None:
        self.config_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".credentials-", dir=self.config_dir)  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                os.fchmod(fh.fileno(), 0o600)
                json.dump(tokens, fh, indent=2, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
