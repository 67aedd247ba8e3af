"""What seeding does to the store around the rows: refusals, replace, indexes, pragmas, counts."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from seller_desk.demo import SeedError, seed_store
from seller_desk.store.models import Base
from seller_desk.store.uow import Store

from .support import TODAY, dump, seeded


def _count(path: Path, table: str) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        con.close()


def test_summary_counts_match_the_tables(big: tuple[Path, dict[str, Any]]) -> None:
    path, summary = big
    assert summary["returns"] == 20_000
    assert summary["seed"] == 7
    assert summary["today"] == TODAY.isoformat()
    assert summary["seconds"] > 0
    assert set(summary["rows"]) >= {
        "returns",
        "orders",
        "order_lines",
        "shipments",
        "tracking_events",
        "skus",
    }
    for table, rows in summary["rows"].items():
        assert _count(path, table) == rows, table
    assert summary["rows"]["returns"] == 20_000
    assert summary["rows"]["skus"] == 100  # one SKU per 200 returns


def test_foreign_keys_hold(db: sqlite3.Connection) -> None:
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_every_model_index_exists_again_and_statistics_were_gathered(db: sqlite3.Connection) -> None:
    present = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    expected = {str(ix.name) for table in Base.metadata.tables.values() for ix in table.indexes}
    assert expected <= present
    analysed = {table for (table,) in db.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}
    assert {"returns", "tracking_events", "refund_requests"} <= analysed


def test_store_is_back_in_wal_mode_without_scratch_files(big: tuple[Path, dict[str, Any]]) -> None:
    path, _ = big
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        con.close()
    assert not list(path.parent.glob("*.seed-scratch*"))


def test_demo_facts_are_recorded_in_app_meta(db: sqlite3.Connection) -> None:
    info = json.loads(db.execute("SELECT value FROM app_meta WHERE key = 'demo_seed'").fetchone()[0])
    assert info["seed"] == 7
    assert info["returns"] == 20_000
    assert info["today"] == TODAY.isoformat()
    assert len(info["problem_skus"]) >= 2


def test_a_seeded_store_refuses_a_second_seed_without_replace(empty_store: Store) -> None:
    seed_store(empty_store, returns=500, seed=1, today=TODAY)
    before = dump(empty_store.path)
    with pytest.raises(SeedError, match=r"already holds 500 returns; pass --replace to overwrite"):
        seed_store(empty_store, returns=800, seed=2, today=TODAY)
    assert dump(empty_store.path) == before


def test_replace_swaps_the_history(tmp_path: Path) -> None:
    path, _ = seeded(tmp_path / "replaced", 600, seed=1)
    fresh, _ = seeded(tmp_path / "fresh", 900, seed=3)
    from seller_desk.store.migrate import open_store

    store = open_store(path)
    try:
        summary = seed_store(store, returns=900, seed=3, today=TODAY, replace=True)
    finally:
        store.close()
    assert summary["rows"]["returns"] == 900
    assert dump(path) == dump(fresh)


def test_replace_keeps_the_store_identity_and_leaves_no_scratch(empty_store: Store) -> None:
    seed_store(empty_store, returns=300, seed=1, today=TODAY)
    con = sqlite3.connect(empty_store.path)
    now = int(datetime.now(UTC).timestamp())
    con.execute("INSERT INTO app_meta (key, value) VALUES ('device_id', 'desk-42')")
    con.execute(
        "INSERT INTO audit (at, what, target) VALUES (?, 'refund.approve', 'refund_request:1')", (now,)
    )
    con.execute(
        "INSERT INTO mutations (id, kind, target, payload, status, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        ("0b6f4f7e-0000-4000-8000-000000000002", "note", "return:1", "{}", "settled", now),
    )
    con.commit()
    con.close()
    seed_store(empty_store, returns=400, seed=2, today=TODAY, replace=True)
    con = sqlite3.connect(empty_store.path)
    try:
        assert con.execute("SELECT value FROM app_meta WHERE key = 'device_id'").fetchone() == ("desk-42",)
        assert (
            json.loads(con.execute("SELECT value FROM app_meta WHERE key = 'demo_seed'").fetchone()[0])[
                "returns"
            ]
            == 400
        )
        assert con.execute("SELECT count(*) FROM audit").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM mutations").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM returns").fetchone()[0] == 400
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        con.close()
    leftovers = [p.name for p in empty_store.path.parent.iterdir() if ".seed-" in p.name]
    assert leftovers == []


def test_replace_is_refused_while_local_changes_wait_to_sync(empty_store: Store) -> None:
    seed_store(empty_store, returns=300, seed=1, today=TODAY)
    con = sqlite3.connect(empty_store.path)
    now = int(datetime.now(UTC).timestamp())
    con.execute(
        "INSERT INTO mutations (id, kind, target, payload, status, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        ("0b6f4f7e-0000-4000-8000-000000000001", "note", "return:1", "{}", "queued", now),
    )
    con.commit()
    con.close()
    with pytest.raises(SeedError, match="not yet synced"):
        seed_store(empty_store, returns=300, seed=2, today=TODAY, replace=True)
    assert _count(empty_store.path, "mutations") == 1
    assert _count(empty_store.path, "returns") == 300


def test_seed_needs_at_least_one_return(empty_store: Store) -> None:
    with pytest.raises(SeedError, match="at least 1"):
        seed_store(empty_store, returns=0, today=TODAY)


def test_a_failed_replace_leaves_the_old_store_untouched(
    empty_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from seller_desk.demo import tables, writer

    seed_store(empty_store, returns=300, seed=1, today=TODAY)
    before = dump(empty_store.path)

    def broken(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(writer, "PARALLEL_MIN_RETURNS", 0)  # a helper is already running when it fails
    monkeypatch.setattr(tables, "rest_tables", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        seed_store(empty_store, returns=500, seed=2, today=TODAY, replace=True)
    assert dump(empty_store.path) == before
    assert [p.name for p in empty_store.path.parent.iterdir() if ".seed-" in p.name] == []
