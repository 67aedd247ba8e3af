"""The parts of "connect" that need no backend: reading a typed token and a typed address, shared by
``seller-desk connect`` and the first-run welcome (the checks against a backend are in
tests/sync/test_cli_sync.py and tests/ui/test_welcome_dialog.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from seller_desk.sync.connect import backend_at, clean_token
from seller_desk.sync.connection import BackendSettingsError


def test_a_pasted_token_loses_its_surrounding_whitespace() -> None:
    assert clean_token("  abc.DEF-123\n") == "abc.DEF-123"


@pytest.mark.parametrize("typed", ["", "   \n", "abc def", "abc\tdef"])
def test_an_empty_or_spaced_token_is_refused(typed: str) -> None:
    with pytest.raises(BackendSettingsError, match="empty or contains spaces"):
        clean_token(typed)


def test_an_address_is_normalized_and_the_ca_file_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    backend = backend_at(" https://desk.example.com/api/ ", "ca.pem")
    assert backend.url == "https://desk.example.com/api"
    assert backend.ca_file == tmp_path.resolve() / "ca.pem"
    assert backend_at("http://127.0.0.1:8000", None).ca_file is None
    assert backend_at("http://127.0.0.1:8000", "").ca_file is None


def test_an_address_without_a_scheme_is_refused() -> None:
    with pytest.raises(BackendSettingsError, match="is not a backend URL"):
        backend_at("desk.example.com")
