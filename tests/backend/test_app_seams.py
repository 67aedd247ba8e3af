"""``create_app``'s seams, on a real uvicorn in this process: the injected clock, a slow transaction
(SYNC.md fault 3: the client times out and retries), and a fault inside the transaction.

The server runs in a thread that each test starts and joins; requests still go over loopback.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
import uvicorn
from sqlalchemy import func, select

from seller_desk.backend.api import create_app
from seller_desk.backend.mutations.idempotency import request_hash
from seller_desk.backend.store import Database
from seller_desk.backend.store.models import Decision, IdempotencyKey, MutationRecord, Note
from seller_desk.bench.sync_feed import free_port
from seller_desk.wire import MutationIn
from tests.backend.shop import T0, Shop, approval, mutation


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@contextmanager
def serving(db_url: str, **options: Any) -> Iterator[str]:
    app = create_app(db_url, **options)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn-in-test")
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the in-process server did not start"
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def _shop(db_url: str, base_url: str) -> Shop:
    return Shop.open(Database(db_url), base_url)


def test_the_injected_clock_is_the_servers_now(sqlite_db_url: str) -> None:
    clock = FakeClock(T0 + timedelta(days=400))
    with serving(sqlite_db_url, clock=clock) as url:
        shop = _shop(sqlite_db_url, url)
        try:
            seeded = shop.seed()
            assert shop.post(mutation("note", f"order:{seeded.order_pk}", {"text": "hi"})).status_code == 201
            with shop.db.reading() as session:
                created = session.execute(
                    select(Note.created_at).where(Note.seller_id == shop.seller_id)
                ).scalar_one()
            assert created == clock.now

            body = approval(seeded.request_id, [(seeded.line_ids["L1"], "principal", 100)])
            with shop.db.writing() as session:  # a claim whose lease ends a minute after "now"
                digest = request_hash(MutationIn.model_validate(body))
                lease = clock.now + timedelta(minutes=1)
                key = IdempotencyKey(
                    seller_id=shop.seller_id, key="leased", request_hash=digest, state="in_progress"
                )
                key.created_at, key.locked_until = clock.now, lease
                session.add(key)
            assert shop.post(body, key="leased").status_code == 409
            clock.now += timedelta(minutes=2)
            assert shop.post(body, key="leased").status_code == 201
        finally:
            shop.close()
            shop.db.dispose()


def test_a_slow_transaction_answers_a_retry_with_in_progress_then_replays(sqlite_db_url: str) -> None:
    release = threading.Event()
    entered = threading.Event()

    def slow(mutation_in: MutationIn) -> None:
        entered.set()
        release.wait(timeout=20)

    with serving(sqlite_db_url, before_commit=slow) as url:
        shop = _shop(sqlite_db_url, url)
        try:
            seeded = shop.seed()
            body = approval(seeded.request_id, [(seeded.line_ids["L1"], "principal", 2000)])
            first: dict[str, httpx.Response] = {}
            sender = threading.Thread(target=lambda: first.setdefault("r", shop.post(body, key="slow")))
            sender.start()
            assert entered.wait(timeout=20)
            headers = {"Authorization": f"Bearer {shop.token}", "Idempotency-Key": "slow"}
            retry = httpx.post(f"{url}/v1/mutations", json=body, timeout=5, headers=headers)
            assert retry.status_code == 409
            assert retry.json()["error"] == "in_progress"
            asked = httpx.get(f"{url}/v1/mutations/slow", timeout=5, headers=headers)
            assert asked.status_code == 409, "not 404: the request did arrive"
            release.set()
            sender.join(timeout=30)
            assert first["r"].status_code == 201
            replay = shop.post(body, key="slow")
            assert replay.status_code == 200
            assert replay.json() == first["r"].json()
        finally:
            release.set()
            shop.close()
            shop.db.dispose()


def test_a_fault_inside_the_transaction_stores_nothing_and_the_retry_applies_once(sqlite_db_url: str) -> None:
    failures = {"left": 1}

    def flaky(mutation_in: MutationIn) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("the disk hiccuped")

    with serving(sqlite_db_url, before_commit=flaky) as url:
        shop = _shop(sqlite_db_url, url)
        try:
            seeded = shop.seed()
            changes = shop.change_count()
            body = approval(seeded.request_id, [(seeded.line_ids["L1"], "principal", 2000)])
            failed = shop.post(body, key=str(uuid.uuid4()))
            assert failed.status_code == 500
            assert failed.json()["error"] == "internal"
            assert shop.change_count() == changes

            def count(model: Any) -> int:
                with shop.db.reading() as session:
                    query = select(func.count()).select_from(model).where(model.seller_id == shop.seller_id)
                    return int(session.execute(query).scalar_one())

            assert count(Decision) == count(MutationRecord) == count(IdempotencyKey) == 0
            assert shop.post(body).status_code == 201
            assert count(Decision) == 1
        finally:
            shop.close()
            shop.db.dispose()
