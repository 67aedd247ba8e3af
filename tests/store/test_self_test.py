"""The store's part of ``--smoke``: a new store from every migration, and a real upgrade run on a copy
of an older store that leaves the original exactly as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from seller_desk.store import migrate
from seller_desk.store.errors import NewerStoreError
from seller_desk.store.migrations import HEAD_REVISION
from seller_desk.store.self_test import SelfTestFailed, fresh_store, upgrade_copy

OLDER = f"{int(HEAD_REVISION) - 1:04d}"


def _store_at(path: Path, revision: str) -> None:
    """A store built by the migrations up to ``revision`` only, as an older version left it."""
    migrate._upgrade(path, revision)


def test_a_fresh_store_has_every_table(tmp_path: Path) -> None:
    store, check = fresh_store(tmp_path)
    store.close()
    assert check.detail.startswith(f"schema {HEAD_REVISION}, ")
    with sqlite3.connect(tmp_path / "smoke.sqlite3") as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION


def test_an_older_store_is_upgraded_on_a_copy_and_left_alone(tmp_path: Path) -> None:
    seller = tmp_path / "seller.sqlite3"
    _store_at(seller, OLDER)
    before = seller.read_bytes()
    check = upgrade_copy(seller, tmp_path / "scratch")
    assert f"schema {OLDER} to {HEAD_REVISION}" in check.detail
    assert seller.read_bytes() == before  # only the copy moved on
    with sqlite3.connect(tmp_path / "scratch" / "copy.sqlite3") as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION


def test_no_store_yet_is_a_skip_not_a_failure(tmp_path: Path) -> None:
    assert upgrade_copy(tmp_path / "absent.sqlite3", tmp_path / "scratch").detail.startswith("skipped")


def test_a_damaged_store_is_named(tmp_path: Path) -> None:
    seller = tmp_path / "seller.sqlite3"
    seller.write_bytes(b"not a database at all, just text" * 100)
    with pytest.raises(SelfTestFailed, match=f"{seller}: the store cannot be copied"):
        upgrade_copy(seller, tmp_path / "scratch")


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    seller = tmp_path / "seller.sqlite3"
    _store_at(seller, HEAD_REVISION)
    with sqlite3.connect(seller) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(NewerStoreError, match="newer version"):
        upgrade_copy(seller, tmp_path / "scratch")
