"""The device token: in the OS keyring when one works, else in a 0600 file in the config directory."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null

from seller_desk.sync.credentials import SERVICE, CredentialStore

URL = "https://desk.example.com"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.items:
            raise keyring.errors.PasswordDeleteError("absent")
        del self.items[(service, username)]


class LockedKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("locked")


def test_a_working_keyring_holds_the_token_under_service_and_url(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    store = CredentialStore(tmp_path / "config", ring)
    assert store.save(URL, "secret") == "keyring"
    assert ring.items == {(SERVICE, URL): "secret"}
    assert store.load(URL) == "secret" and store.load("https://other") is None
    assert not store.file.exists()
    store.delete(URL)
    assert store.load(URL) is None


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), LockedKeyring()])
def test_without_a_usable_keyring_a_private_file(tmp_path: Path, backend: KeyringBackend) -> None:
    store = CredentialStore(tmp_path / "config", backend)
    assert store.save(URL, "secret") == str(store.file)
    assert stat.S_IMODE(store.file.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.file.parent.stat().st_mode) == 0o700
    assert json.loads(store.file.read_text()) == {URL: "secret"}
    assert store.load(URL) == "secret"
    store.save("https://second", "two")
    assert store.load(URL) == "secret" and store.load("https://second") == "two"
    store.delete(URL)
    assert store.load(URL) is None and store.load("https://second") == "two"


def test_moving_to_a_keyring_removes_the_file_copy(tmp_path: Path) -> None:
    CredentialStore(tmp_path, fail.Keyring()).save(URL, "old")
    ring = MemoryKeyring()
    CredentialStore(tmp_path, ring).save(URL, "new")
    assert json.loads((tmp_path / "credentials.json").read_text()) == {}
    assert CredentialStore(tmp_path, ring).load(URL) == "new"


def test_a_file_readable_by_others_is_restricted(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path, fail.Keyring())
    store.save(URL, "secret")
    store.file.chmod(0o644)
    assert store.load(URL) == "secret"
    assert stat.S_IMODE(store.file.stat().st_mode) == 0o600


def test_a_damaged_file_reads_as_empty(tmp_path: Path) -> None:
    (tmp_path / "credentials.json").write_text("{nope")
    (tmp_path / "credentials.json").chmod(0o600)
    assert CredentialStore(tmp_path, fail.Keyring()).load(URL) is None
