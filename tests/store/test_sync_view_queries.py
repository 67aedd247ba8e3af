"""The Sync screen's queries over a store holding one act in every state (tests/fixtures/sync_states)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from seller_desk.paths import DB_FILENAME
from seller_desk.store import push_queue
from seller_desk.store.migrate import open_store
from seller_desk.store.queries.sync_view import (
    conflict_rows,
    discard_conflict,
    history_rows,
    queue_rows,
    record_sync_run,
    sync_run_facts,
)
from tests.fixtures.sync_states import build_sync_store


def scalar_rma(base: Path, target: str) -> str:
    with sqlite3.connect(base / DB_FILENAME) as conn:
        return str(
            conn.execute("SELECT rma FROM returns WHERE id = ?", (int(target.split(":")[1]),)).fetchone()[0]
        )


@pytest.fixture(scope="module")
def sync_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("sync-states")
    return base, build_sync_store(base)


def test_queue_lists_rejected_first_then_sending_then_waiting_in_send_order(
    sync_dir: tuple[Path, dict[str, str]],
) -> None:
    base, ids = sync_dir
    store = open_store(base / DB_FILENAME)
    try:
        with store.reading() as session:
            rows = queue_rows(session)
    finally:
        store.close()
    assert [r.mutation_id for r in rows] == [ids["rejected"], ids["sending"], ids["retried"], ids["queued"]]
    assert [r.status for r in rows] == ["rejected", "sending", "queued", "queued"]
    retried = rows[2]
    assert retried.attempts == 1 and retried.next_attempt_at is not None
    assert "unreachable" in (retried.last_error or "")
    assert "403" in (rows[0].last_error or "")
    assert rows[3].attempts == 0 and rows[3].last_error is None
    assert retried.payload["decision"] == "approve"
    assert (retried.target_name or "").startswith("Refund for order ")
    rma = scalar_rma(base, rows[0].target)
    assert rows[0].target_name == f"Return {rma}"


def test_conflicts_carry_the_reason_the_message_and_the_server_snapshot(
    sync_dir: tuple[Path, dict[str, str]],
) -> None:
    base, ids = sync_dir
    store = open_store(base / DB_FILENAME)
    try:
        with store.reading() as session:
            (row,) = conflict_rows(session)
            history = history_rows(session)
            facts = sync_run_facts(session)
    finally:
        store.close()
    assert row.mutation_id == ids["conflict"] and row.reason == "customer_cancelled"
    assert row.server_snapshot is not None and row.server_snapshot["state"] == "cancelled"
    assert "cancelled" in (row.message or "")
    whats = [h.what for h in history]
    assert whats == ["sync.run", "note.rejected", "refund_decision.conflict", "return_received.acknowledged"]
    assert all(not w.endswith(".queued") for w in whats)
    assert facts.has_cursor and facts.last_success_at is not None and facts.last_error is None


def test_discarding_resolves_the_conflict_once_and_audits_it(
    sync_dir: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    base, ids = sync_dir
    shutil.copyfile(base / DB_FILENAME, tmp_path / DB_FILENAME)
    store = open_store(tmp_path / DB_FILENAME)
    try:
        now = datetime.now(UTC)
        with store.writing() as session:
            assert discard_conflict(session, ids["conflict"], user="Jordan", now=now) == 1
        with store.writing() as session:
            assert discard_conflict(session, ids["conflict"], user="Jordan", now=now) == 0
        with store.reading() as session:
            assert conflict_rows(session) == []
            assert push_queue.open_conflicts(session) == 0
            whats = [h.what for h in history_rows(session)]
    finally:
        store.close()
    assert whats.count("refund_decision.conflict_discarded") == 1


def test_a_recorded_sync_round_heads_the_history(
    sync_dir: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    base, _ids = sync_dir
    shutil.copyfile(base / DB_FILENAME, tmp_path / DB_FILENAME)
    store = open_store(tmp_path / DB_FILENAME)
    try:
        with store.writing() as session:
            record_sync_run(
                session, datetime.now(UTC), "device-1", {"pulled": 40, "sent": 1, "acknowledged": 1}
            )
        with store.reading() as session:
            newest = history_rows(session)[0]
    finally:
        store.close()
    assert newest.what == "sync.run" and newest.detail == {"acknowledged": 1, "pulled": 40, "sent": 1}
