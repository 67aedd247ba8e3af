"""Helpers for the demo tests: seed a real store in a directory, digest its tables."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from seller_desk.demo import seed_store
from seller_desk.demo.writer import MIRROR_TABLES
from seller_desk.store.migrate import open_store

TODAY = date(2026, 11, 22)
AS_OF = (TODAY - date(1970, 1, 1)).days * 86_400


def seeded(directory: Path, returns: int, seed: int = 1, **kwargs: Any) -> tuple[Path, dict[str, Any]]:
    """Seed a fresh store in `directory`; returns the database path and the summary."""
    store = open_store(directory / "seller-desk.sqlite3")
    try:
        summary = seed_store(store, returns=returns, seed=seed, today=TODAY, **kwargs)
    finally:
        store.close()
    return store.path, summary


def dump(path: Path) -> dict[str, str]:
    """A digest of every seeded table's full contents (and the demo's app_meta entry), in row order."""
    con = sqlite3.connect(path)
    try:
        digests = {}
        for table in (*MIRROR_TABLES, "app_meta"):
            h = hashlib.sha256()
            for row in con.execute(f"SELECT * FROM {table} ORDER BY rowid"):
                h.update(repr(row).encode())
            digests[table] = h.hexdigest()
        return digests
    finally:
        con.close()
