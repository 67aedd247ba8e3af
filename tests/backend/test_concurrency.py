"""Many desktops (threads) hitting the live server at once: one approval, one ledger entry, always.

Each thread has its own HTTP connection and all are released together by a barrier, so the requests
really overlap inside the server (its thread pool, SQLite's write lock or PostgreSQL's row locks).
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from typing import Any

import httpx
from sqlalchemy import func, select

from seller_desk.backend.store.models import (
    Decision,
    LedgerEntry,
    MutationRecord,
    RefundApproval,
    RefundPayment,
)
from tests.backend.shop import P, Shop, approval

THREADS = 8


def _race(shop: Shop, requests: list[tuple[str, dict[str, Any]]]) -> list[httpx.Response]:
    barrier = threading.Barrier(len(requests))
    results: list[httpx.Response | BaseException] = [RuntimeError("not run")] * len(requests)

    def send(index: int, key: str, body: dict[str, Any]) -> None:
        with httpx.Client(base_url=shop.base_url, timeout=60) as client:
            barrier.wait(timeout=30)
            try:
                results[index] = client.post(
                    "/v1/mutations",
                    json=body,
                    headers={"Authorization": f"Bearer {shop.token}", "Idempotency-Key": key},
                )
            except BaseException as exc:  # surfaced below, in the test's thread
                results[index] = exc

    threads = [
        threading.Thread(target=send, args=(i, key, body), name=f"desktop-{i}")
        for i, (key, body) in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    responses = []
    for result in results:
        if isinstance(result, BaseException):
            raise result
        responses.append(result)
    return responses


def _stored(shop: Shop, request_id: int) -> dict[str, int]:
    with shop.db.reading() as session:

        def count(model: Any, column: Any) -> int:
            return int(
                session.execute(
                    select(func.count()).select_from(model).where(column == request_id)
                ).scalar_one()
            )

        return {
            "approvals": count(RefundApproval, RefundApproval.refund_request_id),
            "decisions": count(Decision, Decision.refund_request_id),
            "ledger": count(LedgerEntry, LedgerEntry.refund_request_id),
            "payments": count(RefundPayment, RefundPayment.refund_request_id),
        }


def test_the_same_key_sent_at_once_is_applied_once(shop: Shop) -> None:
    seeded = shop.seed()
    body = approval(seeded.request_id, [(seeded.line_ids["L1"], "principal", 2000)])
    responses = _race(shop, [("same-key", body)] * THREADS)
    statuses = Counter(r.status_code for r in responses)
    assert statuses[201] == 1, statuses
    assert set(statuses) <= {201, 200, 409}, statuses
    applied = next(r for r in responses if r.status_code == 201).json()
    for response in responses:
        if response.status_code == 200:
            assert response.json() == applied
        if response.status_code == 409:
            assert response.json()["error"] == "in_progress"
    assert _stored(shop, seeded.request_id) == {"approvals": 1, "decisions": 1, "ledger": 1, "payments": 1}
    assert shop.post(body, key="same-key").json() == applied


def test_different_desktops_approving_one_request_at_once_one_wins(shop: Shop) -> None:
    seeded = shop.seed()
    line = seeded.line_ids["L1"]
    requests = [
        (f"desk-{i}-{uuid.uuid4()}", approval(seeded.request_id, [(line, "principal", 1000 + i)]))
        for i in range(THREADS)
    ]
    responses = _race(shop, requests)
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 409: THREADS - 1}, statuses
    reasons = {r.json()["reason"] for r in responses if r.status_code == 409}
    assert reasons == {"decided_elsewhere"}
    assert _stored(shop, seeded.request_id) == {"approvals": 1, "decisions": 1, "ledger": 1, "payments": 1}
    with shop.db.reading() as session:
        recorded = session.execute(
            select(func.count()).select_from(MutationRecord).where(MutationRecord.seller_id == shop.seller_id)
        ).scalar_one()
    assert recorded == THREADS  # every mutation got its one, stored answer


def test_racing_requests_on_one_order_never_refund_more_than_charged(shop: Shop) -> None:
    seeded = shop.seed()
    line = seeded.line_ids["L1"]
    others = [shop.add_request(seeded.order_id, {"L1": {P: 800}}) for _ in range(THREADS - 1)]
    request_ids = [seeded.request_id, *others]
    requests = [(str(uuid.uuid4()), approval(rid, [(line, "principal", 800)])) for rid in request_ids]
    responses = _race(shop, requests)
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 2, 409: THREADS - 2}, statuses  # 2 x 8.00 of the 20.00 principal, then 4.00 left
    assert {r.json()["reason"] for r in responses if r.status_code == 409} == {"over_refund"}
    with shop.db.reading() as session:
        paid = session.execute(
            select(func.sum(RefundPayment.amount_minor)).where(RefundPayment.order_line_id == line)
        ).scalar_one()
    assert paid == 1600
