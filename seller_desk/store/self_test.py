"""The store's part of ``seller-desk --smoke``: can this build create a store, and upgrade the seller's?

A frozen bundle that lost its Alembic migrations, or SQLite's FTS5, or a driver, fails here with the
reason, before a seller meets it. Nothing touches the seller's own file: the upgrade runs on a copy
taken with SQLite's online backup API (so a store open in another window, WAL included, copies
consistently), in a scratch directory the caller removes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from seller_desk.store.migrate import copy_database, open_store
from seller_desk.store.migrations import HEAD_REVISION
from seller_desk.store.uow import Store

# Tables each later check needs; a store missing one was built from an incomplete set of migrations.
EXPECTED_TABLES = ("returns", "return_lines", "orders", "order_lines", "shipments", "refund_requests",
                   "mutations", "outbox", "returns_fts")  # fmt: skip


class SelfTestFailed(Exception):
    """A check failed; the message says which and why."""


@dataclass(frozen=True, slots=True)
class StoreCheck:
    name: str
    detail: str


def fresh_store(scratch: Path) -> tuple[Store, StoreCheck]:
    """A new store in ``scratch``, built by every migration from nothing; the caller closes it."""
    store = open_store(scratch / "smoke.sqlite3")
    found = _schema(store.path)
    missing = [t for t in EXPECTED_TABLES if t not in found]
    if missing:
        store.close()
        raise SelfTestFailed(f"a new store lacks the tables {', '.join(missing)}: migrations are missing")
    return store, StoreCheck("new store", f"schema {HEAD_REVISION}, {len(found)} tables")


def upgrade_copy(seller_store: Path, scratch: Path) -> StoreCheck:
    """Copy the seller's store and bring the copy up to this build's schema (the seller's file is only
    read). A store written by a newer version is reported, not failed: this build must not open it."""
    if not seller_store.exists():
        return StoreCheck("upgrade of a copy", f"skipped: no store at {seller_store}")
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / "copy.sqlite3"
    try:
        copy_database(seller_store, copy, read_only=True)
    except sqlite3.DatabaseError as exc:
        raise SelfTestFailed(f"{seller_store}: the store cannot be copied ({exc})") from exc
    before = _revision(copy)
    store = open_store(copy, backup_dir=scratch / "backups")
    try:
        returns = _count(store.path, "returns")
    finally:
        store.close()
    return StoreCheck("upgrade of a copy", f"{seller_store}: schema {before} to {HEAD_REVISION}, "
                                           f"{returns:,} returns readable")  # fmt: skip


def _schema(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def _revision(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return "none"
    finally:
        conn.close()
    return "none" if row is None else str(row[0])


def _count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def holiday_calendars(year: int) -> StoreCheck:
    """Every marketplace's holiday calendar loads (the bundle keeps only their countries' files)."""
    from seller_desk.domain.marketplaces import MARKETPLACES
    from seller_desk.domain.policies.clocks import holiday_dates

    countries = sorted({m.country for m in MARKETPLACES.values()})
    empty = [c for c in countries if not holiday_dates(c, year)]
    if empty:
        raise SelfTestFailed(f"no public holidays found for {', '.join(empty)} in {year}")
    return StoreCheck("holiday calendars", f"{len(countries)} countries for {year}")
