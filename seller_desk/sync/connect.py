"""Connecting this desktop to a team backend: ask the backend about the token, then remember both.

Shared by ``seller-desk connect`` and the first-run welcome (``ui/dialogs/backend_form.py``), so a
token is judged the same way wherever it is typed. The check is one ``GET /v1/changes?limit=1``: it
proves the URL, the TLS trust and the token at once, so a mistyped token is reported now (401), not
at the first sync. A failed check saves nothing. What is saved goes where every sync looks: the URL
and CA file in the store (``connection.remember``), the token in the keyring or the private file
(``credentials``).

Everything here blocks (HTTP, the keyring, a store write): the GUI runs it on an I/O thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from seller_desk.store.uow import Store
from seller_desk.sync.connection import Backend, BackendSettingsError, check_token, normalize_url, open_client
from seller_desk.sync.connection import remember as remember_backend
from seller_desk.sync.credentials import CredentialStore
from seller_desk.sync.results import ChangesReceived, Retryable, Unauthorized


class CheckFailed(BackendSettingsError):
    """The backend did not accept the connection; nothing was saved. The message says why."""


class TokenRefused(CheckFailed):
    """401: the backend does not know this token (mistyped, revoked, or for another backend)."""


class BackendUnreachable(CheckFailed):
    """No connection could be made at all: a wrong address, the backend down, or no network."""


@dataclass(frozen=True, slots=True)
class Connected:
    """What was saved: the backend's URL, this desktop's device id, and where the token went
    ("keyring" or the private file's path)."""

    url: str
    device_id: str
    token_stored_in: str


def clean_token(text: str) -> str:
    """The token as issued: surrounding whitespace (a pasted newline) dropped, inner spaces refused."""
    token = text.strip()
    if not token or any(c.isspace() for c in token):
        raise BackendSettingsError(
            "the token is empty or contains spaces; give exactly the token you were issued"
        )
    return token


def backend_at(url: str, ca_file: str | Path | None = None) -> Backend:
    """The backend as typed: the URL normalized (or refused), the CA file made absolute."""
    ca = Path(ca_file).expanduser().resolve() if ca_file else None
    return Backend(normalize_url(url), ca)


def check_backend(backend: Backend, token: str) -> None:
    """Ask the backend once; raises ``TokenRefused``, ``BackendUnreachable`` or ``CheckFailed``."""
    with open_client(backend, token) as client:
        answer = check_token(client)
    if isinstance(answer, Unauthorized):
        raise TokenRefused(
            f"the backend at {backend.url} refused this token (401 Unauthorized); nothing was saved. "
            "Check the token, or have a new one made with: seller-desk backend token create"
        )
    if isinstance(answer, Retryable) and answer.unreachable:
        raise BackendUnreachable(f"{answer.message}; nothing was saved")
    if not isinstance(answer, ChangesReceived):
        raise CheckFailed(f"the backend at {backend.url} did not answer as expected: {answer.message}")


def save_connection(store: Store, config_dir: Path, backend: Backend, token: str) -> Connected:
    """Keep the token for the backend's URL, then remember the backend in the store."""
    where = CredentialStore(config_dir).save(backend.url, token)
    device = remember_backend(store, backend)
    return Connected(backend.url, device, where)
