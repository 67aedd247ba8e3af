"""The Settings dialog's backend section, off the GUI thread: which backend this store syncs with, and
connecting another once it has answered.

Connecting asks what ``seller-desk connect`` asks: one ``GET /v1/changes?limit=1`` proves the URL,
the TLS trust and the token together, and nothing is saved unless it answers with changes. Checking and
saving are two ops so that the dialog's Cancel, pressed while the check is under way, saves nothing.
Everything here runs on the I/O lane: the request can take a timeout's worth of seconds, the keyring
can block on a desktop prompt, and the sync modules (httpx) load there rather than on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from seller_desk.workers.ops import OpContext

URL_FIELD, TOKEN_FIELD = "Backend URL", "Token"


class BackendRefused(Exception):
    """The backend, or the URL or token given for it, cannot be used; ``field`` names which input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True, slots=True)
class BackendInfo:
    """The backend this store syncs with (``url`` None: none, the desktop works alone)."""

    url: str | None
    ca_file: Path | None = None
    has_token: bool = False


@dataclass(frozen=True, slots=True)
class BackendChange:
    """A checked backend, ready to be remembered: the normalized URL and the token that worked."""

    url: str
    token: str
    ca_file: Path | None


def read_backend(ctx: OpContext, config_dir: Path) -> BackendInfo:
    """The remembered backend (a store read) and whether this desktop holds its token (the keyring)."""
    from seller_desk.sync.connection import remembered
    from seller_desk.sync.credentials import CredentialStore

    backend = remembered(ctx.store)
    if backend is None:
        return BackendInfo(None)
    token = CredentialStore(config_dir).load(backend.url)
    return BackendInfo(backend.url, backend.ca_file, bool(token))


def check_backend(
    ctx: OpContext, url: str, token: str | None, current: BackendInfo, config_dir: Path
) -> BackendChange | BackendRefused:
    """Ask the backend at ``url`` with ``token`` (None: the token this desktop holds for that URL).

    A refusal is an answer, not a failure: it is returned (naming the input to correct), so the op does
    not log it as an error. The CA file of the current backend is kept when the new URL is on the same
    host (a new token, a new path); another host starts without one.
    """
    try:
        return _check(url, token, current, config_dir)
    except BackendRefused as refused:
        return refused


def _check(url: str, token: str | None, current: BackendInfo, config_dir: Path) -> BackendChange:
    from seller_desk.sync.connection import (
        Backend,
        BackendSettingsError,
        check_token,
        normalize_url,
        open_client,
    )
    from seller_desk.sync.credentials import CredentialStore
    from seller_desk.sync.results import ChangesReceived, Retryable, Unauthorized

    try:
        normalized = normalize_url(url)
    except BackendSettingsError as exc:
        raise BackendRefused(URL_FIELD, str(exc)) from None
    if token is None:
        token = CredentialStore(config_dir).load(normalized)
        if not token:
            raise BackendRefused(TOKEN_FIELD, f"this desktop holds no token for {normalized}; paste one")
    ca_file = current.ca_file if current.url and _same_host(current.url, normalized) else None
    backend = Backend(normalized, ca_file)
    try:
        with open_client(backend, token) as client:
            answer = check_token(client)
    except BackendSettingsError as exc:
        raise BackendRefused(URL_FIELD, str(exc)) from None
    if isinstance(answer, Unauthorized):
        raise BackendRefused(
            TOKEN_FIELD,
            f"the backend at {normalized} refused this token (401 Unauthorized). Check the token, or have "
            "a new one made with: seller-desk backend token create",
        )
    if isinstance(answer, Retryable) and answer.unreachable:
        raise BackendRefused(URL_FIELD, f"{answer.message}; is the address right and the backend running?")
    if not isinstance(answer, ChangesReceived):
        raise BackendRefused(
            URL_FIELD, f"the backend at {normalized} did not answer as expected: {answer.message}"
        )
    return BackendChange(normalized, token, ca_file)


def save_backend(ctx: OpContext, change: BackendChange, config_dir: Path) -> str:
    """Keep the token (keyring, else the private file) and remember the backend in the store; returns
    where the token went."""
    from seller_desk.sync.connection import Backend, remember
    from seller_desk.sync.credentials import CredentialStore

    where = CredentialStore(config_dir).save(change.url, change.token)
    remember(ctx.store, Backend(change.url, change.ca_file))
    return where


def _same_host(first: str, second: str) -> bool:
    a, b = urlsplit(first), urlsplit(second)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)
