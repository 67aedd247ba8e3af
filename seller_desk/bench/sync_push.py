"""Push benchmark: 10,000 queued refund decisions delivered to a real loopback backend.

The backend is ``seller-desk backend serve`` (SQLite) on 127.0.0.1, holding 2 × N pending refund
requests (orders ingested with the backend's own ingest helpers). A desktop pulls the feed, records N
rejections the way the app does (``store.outbox.record_mutation``: prechecks, mutation, outbox row,
local effect, audit, one transaction each), then the timed part: ``sync.push.Pusher`` as the engine
builds it (concurrency 1) sends every queued decision until none is due — claim 50, send them in one
``POST /v1/mutations/batch``, record the 50 answers; each step its own durable transaction.

The baseline sends the same kind of N single POSTs (rejections of the other N requests, each its own
mutation id and Idempotency-Key) with a bare ``httpx.Client`` loop and no outbox bookkeeping: what
the protocol cost per decision before the batch endpoint, with no desktop work at all.
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from seller_desk.bench.registry import BenchContext, benchmark
from seller_desk.bench.results import Result
from seller_desk.bench.sync_feed import LoopbackBackend, loopback_backend
from seller_desk.paths import DB_FILENAME

TARGET_S = 30.0
MAX_DECISIONS = 10_000  # at --rows 1,000,000: one decision per 100 rows, so tests can run it small
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _seed_requests(db_url: str, seller_id: int, count: int) -> list[int]:
    """``count`` orders of one line, each with a pending refund request; their request ids."""
    from seller_desk.backend.ingest import ingest_order, ingest_refund_request, ingesting
    from seller_desk.backend.store import Database
    from seller_desk.domain.entities import Order, OrderLine
    from seller_desk.domain.enums import Channel, ChargeComponent, RefundSource, RefundState
    from seller_desk.domain.money import Money
    from seller_desk.domain.return_entities import RefundRequest

    db = Database(db_url)
    ids: list[int] = []
    try:
        for start in range(0, count, 500):
            with ingesting(db, seller_id, datetime.now(UTC)) as writer:
                for n in range(start, min(count, start + 500)):
                    order_id = f"111-{n:07d}-0000000"
                    prices = {ChargeComponent.PRINCIPAL: Money(2000, "USD")}
                    line = OrderLine("L1", "SKU-1", "B0L1", "Item", 1, prices)
                    ingest_order(writer, Order(order_id, "US", Channel.MFN, T0, "USD", (line,)))
                    request = RefundRequest(
                        request_id=f"RR-{n:08d}", order_id=order_id, state=RefundState.PENDING,
                        source=RefundSource.CUSTOMER, reason="CR-DEFECTIVE", currency="USD",
                        requested={"L1": {ChargeComponent.PRINCIPAL: Money(2000, "USD")}},
                        created_at=T0 + timedelta(days=1),
                    )  # fmt: skip
                    ids.append(ingest_refund_request(writer, request))
    finally:
        db.dispose()
    return ids


def _rejection() -> dict[str, Any]:
    return {"decision": "reject", "currency": "USD", "reason": "item not returned",
            "decided_at": datetime.now(UTC).isoformat(), "decided_by": "bench"}  # fmt: skip


def _bare_loop(backend: LoopbackBackend, request_ids: list[int]) -> float:
    bodies = [
        {"mutation_id": str(uuid.uuid4()), "kind": "refund_decision", "target": f"refund_request:{rid}",
         "payload": _rejection(), "device_id": "bench-bare"}
        for rid in request_ids
    ]  # fmt: skip
    headers = {"Authorization": f"Bearer {backend.token}"}
    with httpx.Client(base_url=backend.base_url, headers=headers, timeout=30) as client:
        started = time.perf_counter()
        for body in bodies:
            response = client.post("/v1/mutations", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
            if response.status_code != 201:
                raise RuntimeError(f"the bare loop got {response.status_code}: {response.text[:300]}")
        return time.perf_counter() - started


def _desktop_push(backend: LoopbackBackend, directory: Path, request_ids: list[int]) -> tuple[float, Any]:
    from seller_desk.store.migrate import open_store
    from seller_desk.store.outbox import record_mutation
    from seller_desk.sync.client import SyncClient
    from seller_desk.sync.clock import SystemClock
    from seller_desk.sync.pull import Puller
    from seller_desk.sync.push import Pusher, TokenRefresh

    store = open_store(directory / DB_FILENAME)
    client = SyncClient(backend.base_url, backend.token)
    try:
        clock, refresh = SystemClock(), TokenRefresh(client, None)
        pulled = Puller(store, client, clock=clock, refresh=refresh).pull_until_drained()
        if not pulled.drained:
            raise RuntimeError(f"the desktop could not pull the requests: {pulled.error}")
        for rid in request_ids:
            with store.writing() as session:
                record_mutation(
                    session,
                    "refund_decision",
                    f"refund_request:{rid}",
                    _rejection(),
                    None,
                    "bench",
                    "bench-pc",
                )
        pusher = Pusher(
            store, client, clock=clock, device_id="bench-pc", rng=random.Random(1), refresh=refresh
        )
        started = time.perf_counter()
        report = pusher.push_due()
        return time.perf_counter() - started, report
    finally:
        client.close()
        store.close()


@benchmark("sync_push")
def push_decisions(ctx: BenchContext) -> list[Result]:
    from seller_desk.backend.store import sqlite_url

    count = max(1, min(ctx.rows // 100, MAX_DECISIONS))
    work = ctx.work_dir / "sync-push"
    work.mkdir(parents=True, exist_ok=True)
    db_url = sqlite_url(work / "backend.sqlite3")
    with loopback_backend(db_url, work / "server.log") as backend:
        request_ids = _seed_requests(db_url, backend.seller_id, 2 * count)
        bare = _bare_loop(backend, request_ids[count:])
        seconds, report = _desktop_push(backend, work / "desktop", request_ids[:count])
    if report.acknowledged != count:
        raise RuntimeError(f"the push did not deliver every decision: {report}")
    return [
        Result(
            "sync_push_seconds",
            seconds,
            "s",
            bare,
            TARGET_S if count >= MAX_DECISIONS else None,
            detail={
                "decisions": count,
                "acknowledged": report.acknowledged,
                "per_second": round(count / seconds),
                "backend": "SQLite, one uvicorn process on 127.0.0.1",
                "baseline_is": "the same number of decision POSTs from a bare httpx loop, no outbox",
            },
        )
    ]
