"""The push claim walks indexes in queue order (no sort of the queue), and migration 0003 gives rows
queued before it their queue position."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from seller_desk.store import push_queue
from seller_desk.store.engine import create_store_engine
from seller_desk.store.migrate import MIGRATIONS_DIR, open_store

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def _queue(conn: Any, n: int, target: str, status: str = "queued") -> None:
    conn.execute(
        text(
            "INSERT INTO mutations (id, kind, target, payload, status, created_at) "
            "VALUES (:id, 'note', :target, '{\"text\": \"x\"}', :status, 0)"
        ),
        {"id": f"m-{n}", "target": target, "status": status},
    )
    seq = conn.execute(
        text(
            "INSERT INTO outbox (mutation_id, idempotency_key, attempts) VALUES (:id, :key, 0) RETURNING seq"
        ),
        {"id": f"m-{n}", "key": f"key-{n}"},
    ).scalar_one()
    conn.execute(text("UPDATE mutations SET queue_seq = :seq WHERE id = :id"), {"seq": seq, "id": f"m-{n}"})


def test_the_claim_uses_the_queue_index_and_sorts_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path / "desk.sqlite3")
    try:
        with store.writing() as session:
            conn = session.connection()
            for n in range(300):
                _queue(conn, n, f"order:{n % 40 + 1}")
            conn.execute(text("ANALYZE"))
        plans: list[str] = []
        with store.reading() as session:
            conn = session.connection()
            for force, exclude in ((False, frozenset[str]()), (True, frozenset({"m-1", "m-2"}))):
                query = push_queue.claim_query(NOW, 50, exclude, force)
                compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
                params = compiled.construct_params()
                values = tuple(str(params[name]) for name in compiled.positiontup or ())  # any value plans
                rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", values).all()
                plans.append("\n".join(str(row[-1]) for row in rows))
        for plan in plans:
            assert "TEMP B-TREE" not in plan, plan  # no sort of the queue
            assert "USING INDEX ix_mutations_status_queue_seq" in plan, plan
            assert "ix_mutations_target_status_queue_seq" in plan, plan
            assert "SCAN" not in plan, plan  # every table reached through an index
    finally:
        store.close()


def test_the_claim_takes_the_oldest_of_each_target_with_nothing_in_flight(tmp_path: Path) -> None:
    store = open_store(tmp_path / "desk.sqlite3")
    try:
        with store.writing() as session:
            conn = session.connection()
            _queue(conn, 1, "order:1", status="sending")
            _queue(conn, 2, "order:1")  # waits: its target has one in flight
            _queue(conn, 3, "order:2")
            _queue(conn, 4, "order:2")  # waits: an earlier one of its target is queued
            _queue(conn, 5, "order:3", status="acknowledged")
            _queue(conn, 6, "order:3")
        with store.writing() as session:
            claimed = push_queue.claim_due(session, NOW, limit=10)
        assert [c.mutation_id for c in claimed] == ["m-3", "m-6"]
        assert [c.idempotency_key for c in claimed] == ["key-3", "key-6"]
    finally:
        store.close()


def test_migration_0003_gives_queued_rows_their_outbox_seq(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = create_store_engine(path)
    try:
        with engine.connect() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0002")
            for n, target in enumerate(("order:1", "order:2")):
                conn.execute(
                    text(
                        "INSERT INTO mutations (id, kind, target, payload, status, created_at) "
                        "VALUES (:id, 'note', :target, '{}', 'queued', 0)"
                    ),
                    {"id": f"m-{n}", "target": target},
                )
                conn.execute(
                    text("INSERT INTO outbox (mutation_id, idempotency_key, attempts) VALUES (:id, :k, 0)"),
                    {"id": f"m-{n}", "k": f"k-{n}"},
                )
            conn.commit()
    finally:
        engine.dispose()
    store = open_store(path)
    try:
        with store.reading() as session:
            rows = session.execute(
                text("SELECT m.id, m.queue_seq, o.seq FROM mutations m JOIN outbox o ON o.mutation_id = m.id")
            ).all()
        assert rows and all(queue_seq == seq for _, queue_seq, seq in rows)
        with store.writing() as session:
            assert [c.mutation_id for c in push_queue.claim_due(session, NOW, limit=10)] == ["m-0", "m-1"]
    finally:
        store.close()
