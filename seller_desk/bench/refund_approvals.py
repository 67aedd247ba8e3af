"""Benchmarks of deciding refunds on the desktop: one approval, and a bulk approval of 1,000.

Both run against a store of their own holding 3,000 pending requests (two-line orders, each request
asking principal, shipping and tax), built with raw inserts after the real migrations, so the figures
do not depend on ``--rows``. Each approval goes the whole way the app goes: read the review facts,
draft, preview, policy checks, queue the mutation, commit (WAL, ``synchronous=FULL``).

Baselines, measured in the same run on a copy of the same store and connection pragmas: the raw
sqlite3 INSERTs of exactly the rows an approval writes (decision, mutation, outbox, two audit rows),
one transaction per approval for the single case and one ``executemany`` per table for the bulk.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from seller_desk.bench.registry import BenchContext, benchmark
from seller_desk.bench.results import Result
from seller_desk.paths import DB_FILENAME

REQUESTS = 3_000
SINGLES = 60
BULK = 1_000
NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)


def _build(path: Path) -> None:
    from seller_desk.store.migrate import open_store

    open_store(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    epoch = int(NOW.timestamp())
    orders, lines, requests, asked = [], [], [], []
    for i in range(1, REQUESTS + 1):
        orders.append((i, f"111-{i:07d}-0000001", "US", "MFN", epoch - 864_000, "USD"))
        for j in (1, 2):
            line = i * 10 + j
            lines.append((line, i, f"OI-{line}", f"SKU-{i % 400}", "Thing", 1, 1999 + j, 499, 160))
        requests.append((i, i, f"111-{i:07d}-0000001", "pending", "return", "USD", 2658, epoch - 3600,
                         epoch + 86_400 + i, epoch - 3600))  # fmt: skip
        line = i * 10 + 1
        asked += [(i, line, 1, "principal", 2000), (i, line, 1, "shipping", 499), (i, line, 1, "tax", 160)]
    with conn:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO orders (id, order_id, marketplace, channel, purchased_at, currency, "
            "server_version) VALUES (?, ?, ?, ?, ?, ?, 0)",
            orders,
        )
        conn.executemany(
            "INSERT INTO order_lines (id, order_pk, order_item_code, sku, title, quantity, "
            "principal_minor, shipping_minor, tax_minor, shipping_tax_minor, gift_wrap_minor, "
            "promotion_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0)",
            lines,
        )
        conn.executemany(
            "INSERT INTO refund_requests (id, order_pk, order_id, state, source, currency, "
            "requested_minor, created_at, due_at, updated_at, refunded_minor, "
            "needs_authorization, a_to_z_claim, server_version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0)",
            requests,
        )
        conn.executemany("INSERT INTO refund_request_lines (refund_request_id, order_line_id, quantity, "
                         "component, amount_minor) VALUES (?, ?, ?, ?, ?)", asked)  # fmt: skip
        conn.execute("COMMIT")
    conn.close()


def _approve_one(store: object, request_id: int) -> None:
    from seller_desk.domain.policies.review_checks import policy_checks
    from seller_desk.domain.refund_review import full_approval, preview
    from seller_desk.store.refund_review import load_review_facts, record_decision

    with store.writing() as session:  # type: ignore[attr-defined]
        facts = load_review_facts(session, request_id)
        draft = full_approval(facts)
        preview(facts, draft)
        record_decision(session, draft, user="bench", checks=policy_checks(facts, draft, NOW), now=NOW,
                        facts=facts)  # fmt: skip


def _raw_rows(conn: sqlite3.Connection, request_id: int, local_id: int, seq: int) -> list[tuple[str, tuple]]:
    mid = str(uuid.uuid4())
    at = int(NOW.timestamp())
    payload = '{"components":[],"currency":"USD","decision":"approve"}'
    return [
        ("INSERT INTO decisions (id, refund_request_id, mutation_id, kind, amount_minor, currency, "
         "components, restocking_fee_bp, decided_by, device_id, decided_at) "
         "VALUES (?, ?, ?, 'approve', 2659, 'USD', ?, 0, 'bench', 'dev', ?)",
         (local_id, request_id, mid, payload, at)),
        ("INSERT INTO mutations (id, kind, target, payload, base_version, status, created_at, created_by, "
         "local_effect, queue_seq) VALUES (?, 'refund_decision', ?, ?, 0, 'queued', ?, 'bench', ?, ?)",
         (mid, f"refund_request:{request_id}", payload, at, '{"rows":[]}', seq)),
        ("INSERT INTO outbox (seq, mutation_id, idempotency_key, attempts) VALUES (?, ?, ?, 0)",
         (seq, mid, uuid.uuid4().hex)),
        ("INSERT INTO audit (at, user, device, what, target, detail) VALUES (?, 'bench', 'dev', ?, ?, ?)",
         (at, "refund_decision.queued", f"refund_request:{request_id}", payload)),
        ("INSERT INTO audit (at, user, device, what, target, detail) VALUES (?, 'bench', 'dev', ?, ?, ?)",
         (at, "refund_decision.checks_shown", f"refund_request:{request_id}", payload)),
    ]  # fmt: skip


def _raw_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def _raw_single_ms(path: Path) -> float:
    conn = _raw_connection(path)
    times = []
    for n in range(SINGLES):
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for sql, params in _raw_rows(conn, 2_000 + n, -10_000 - n, 10_000 + n):
            conn.execute(sql, params)
        conn.execute("COMMIT")
        times.append(time.perf_counter() - started)
    conn.close()
    return statistics.median(times) * 1000


def _raw_bulk_s(path: Path) -> float:
    conn = _raw_connection(path)
    by_sql: dict[str, list[tuple]] = {}
    for n in range(BULK):
        for sql, params in _raw_rows(conn, 1 + n, -20_000 - n, 20_000 + n):
            by_sql.setdefault(sql, []).append(params)
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for sql, rows in by_sql.items():
        conn.executemany(sql, rows)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


@benchmark("refund_approvals")
def refund_approvals(ctx: BenchContext) -> list[Result]:
    from seller_desk.store.migrate import open_store
    from seller_desk.store.refund_bulk import approve_in_full

    base = ctx.work_dir / "refund-approvals"
    shutil.rmtree(base, ignore_errors=True)
    ours, raw = base / "ours" / DB_FILENAME, base / "raw" / DB_FILENAME
    ours.parent.mkdir(parents=True)
    raw.parent.mkdir(parents=True)
    _build(ours)
    shutil.copy(ours, raw)
    store = open_store(ours)
    try:
        singles = []
        for n in range(SINGLES):
            started = time.perf_counter()
            _approve_one(store, 2_000 + n)
            singles.append(time.perf_counter() - started)
        started = time.perf_counter()
        with store.writing() as session:
            summary = approve_in_full(session, list(range(1, BULK + 1)), user="bench", now=NOW + timedelta(1))
        bulk = time.perf_counter() - started
    finally:
        store.close()
    if summary.count != BULK:
        raise RuntimeError(f"bulk approval approved {summary.count} of {BULK}: {summary.refused[:3]}")
    single_is = "raw sqlite3: the same five INSERTs, one transaction, synchronous=FULL"
    return [
        Result("refund_approve_one_ms", statistics.median(singles) * 1000, "ms", _raw_single_ms(raw), 20.0,
               detail={"approvals": SINGLES, "p90_ms": round(sorted(singles)[int(SINGLES * 0.9)] * 1000, 2),
                       "baseline_is": single_is}),
        Result("refund_approve_bulk_s", bulk, "s", _raw_bulk_s(raw), 2.0,
               detail={"approvals": BULK,
                       "baseline_is": "raw sqlite3 executemany of the same rows, one transaction"}),
    ]  # fmt: skip
