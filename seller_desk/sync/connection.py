"""Which backend this desktop talks to, with which token: remembered once by ``connect``, used by
every ``sync``. The URL and CA file live in the store's ``app_meta`` (they belong to this database's
replica); the token lives in the keyring, never in the store (``credentials``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from seller_desk.store.meta import BACKEND_CA_FILE, BACKEND_URL, device_id, get_meta, set_meta
from seller_desk.store.uow import Store
from seller_desk.sync.client import SyncClient
from seller_desk.sync.credentials import CredentialStore
from seller_desk.sync.results import ChangesResult


class BackendSettingsError(Exception):
    """The backend cannot be used as given; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Backend:
    url: str
    ca_file: Path | None


def normalize_url(url: str) -> str:
    """``https://host[:port][/prefix]`` without a trailing slash; refuses anything else."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BackendSettingsError(f"{url!r} is not a backend URL: give http://HOST:PORT or https://HOST")
    if parts.query or parts.fragment:
        raise BackendSettingsError(f"{url!r}: a backend URL has no query or fragment")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def remembered(store: Store) -> Backend | None:
    with store.reading() as session:
        url = get_meta(session, BACKEND_URL)
        ca = get_meta(session, BACKEND_CA_FILE)
    return None if url is None else Backend(url, Path(ca) if ca else None)


def remember(store: Store, backend: Backend) -> str:
    """Store the URL and CA file; returns this desktop's device id (made now if it had none)."""
    with store.writing() as session:
        set_meta(session, BACKEND_URL, backend.url)
        set_meta(session, BACKEND_CA_FILE, str(backend.ca_file) if backend.ca_file else None)
        return device_id(session)


def open_client(backend: Backend, token: str | None) -> SyncClient:
    if backend.ca_file is not None and not backend.ca_file.is_file():
        raise BackendSettingsError(f"{backend.ca_file}: the CA file does not exist")
    return SyncClient(backend.url, token, ca_file=backend.ca_file, exchange_tokens=True)


def check_token(client: SyncClient) -> ChangesResult:
    """One ``GET /v1/changes?limit=1``: proves the URL, the TLS trust and the token at once."""
    return client.get_changes(None, 1)


def token_for(credentials: CredentialStore, backend: Backend) -> str:
    token = credentials.load(backend.url)
    if not token:
        raise BackendSettingsError(
            f"no token for {backend.url} on this desktop; run: seller-desk connect --backend {backend.url} "
            "--token-file FILE"
        )
    return token
