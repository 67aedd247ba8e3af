"""Pull: a page and its cursor in one transaction; re-applying is harmless; 410 rebuilds the mirrors only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from seller_desk.store import mirror
from seller_desk.store.uow import Store
from seller_desk.sync.clock import FakeClock
from seller_desk.sync.engine import SyncEngine
from seller_desk.sync.pages import parse_page
from tests.sync.conftest import fresh_store, make_engine
from tests.sync.fakes import FakeBackend, FakeNetwork
from tests.sync.helpers import approval, decide, record, scalar, sql, status_of


class Killed(BaseException):
    """A simulated kill -9: nothing after it runs, not even ``except Exception`` blocks."""


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    return {t: sql(store, f"SELECT * FROM {t} ORDER BY 1, 2") for t in mirror.MIRROR_TABLES}


def server_page(backend: FakeBackend, cursor: str | None, limit: int) -> Any:
    response = backend.handle(
        httpx.Request(
            "GET",
            "http://x/v1/changes",
            params={"limit": limit, **({"cursor": cursor} if cursor else {})},
            headers={"Authorization": f"Bearer {backend.token}"},
        )
    )
    return parse_page(response.content)


def test_reapplying_a_page_is_harmless(store: Store, backend: FakeBackend, clock: FakeClock) -> None:
    page = server_page(backend, None, 1000)
    mirror.apply_page(store, page.tables, page.next_cursor, clock.now(), drained=True)
    once = dump(store)
    mirror.apply_page(store, page.tables, page.next_cursor, clock.now(), drained=True)
    assert dump(store) == once
    assert mirror.read_cursor(store) == page.next_cursor
    assert len(once["refund_requests"]) == len(backend.request_ids())


def test_kill_between_apply_and_cursor_write_leaves_nothing_half_applied(
    store: Store, network: FakeNetwork, clock: FakeClock, backend: FakeBackend
) -> None:
    """Fault 9: the page's rows and its cursor commit together or not at all; re-pulling converges."""
    calls = {"n": 0}

    def kill(point: str) -> None:
        if point == "pull.applied":
            calls["n"] += 1
            if calls["n"] == 2:
                raise Killed

    dying = make_engine(store, network, clock, page_limit=10, kill=kill)
    with pytest.raises(Killed):
        dying.sync_once()
    assert mirror.read_cursor(store) == "0:10"  # first page committed, second rolled back whole
    assert (
        scalar(store, "SELECT count(*) FROM orders") + scalar(store, "SELECT count(*) FROM order_lines") <= 10
    )
    restarted = make_engine(store, network, clock, page_limit=10)
    assert restarted.sync_once().ok
    assert scalar(store, "SELECT count(*) FROM refund_requests") == len(backend.request_ids())


def test_kill_after_each_commit_then_restart_converges(
    store: Store, network: FakeNetwork, clock: FakeClock, tmp_path: Path, template_dir: Path
) -> None:
    """Fault 9, every page: a run killed right after any page commit resumes from its cursor, and the
    mirrors end equal to those of a desktop that pulled without interruption."""

    def kill(point: str) -> None:
        if point == "pull.committed":
            raise Killed

    cursors: list[str | None] = []
    while not cursors or cursors[-1] != mirror.read_cursor(store) or len(cursors) == 1:
        cursors.append(mirror.read_cursor(store))
        with pytest.raises(Killed):
            make_engine(store, network, clock, page_limit=7, kill=kill).sync_once()
    assert len(cursors) > 3
    assert make_engine(store, network, clock, page_limit=7).sync_once().ok
    other = fresh_store(tmp_path / "other", base=template_dir)
    assert make_engine(other, network, clock, page_limit=1000).sync_once().ok
    assert dump(store) == dump(other)
    other.close()


def test_410_rebuilds_mirrors_and_leaves_the_outbox(
    store: Store, engine: SyncEngine, backend: FakeBackend, network: FakeNetwork, clock: FakeClock
) -> None:
    """Fault 10: an expired cursor is a full re-pull; pending mutations survive and still deliver."""
    engine.sync_once()
    mid = decide(store, 100, approval(11, 500, clock.now()), clock.now())
    receipt = record(
        store, "return_received", "return:2", {"received_at": clock.now().isoformat()}, clock.now()
    )
    outbox_before = sql(store, "SELECT seq, mutation_id, idempotency_key FROM outbox ORDER BY seq")
    backend.remove("refund_requests", 400)  # deleted while the desktop is away: the rebuild must drop it
    backend.put("returns", 2, last_scan_at=123)
    backend.compact()
    network.inject("5xx")  # the one batch carrying both pushes fails; the pull sees 410
    summary = engine.sync_once()
    assert summary.pull.rebuilt == 1 and summary.pull.drained
    assert sql(store, "SELECT seq, mutation_id, idempotency_key FROM outbox ORDER BY seq") == outbox_before
    assert scalar(store, "SELECT count(*) FROM refund_requests WHERE id = 400") == 0
    assert scalar(store, "SELECT count(*) FROM decisions WHERE id < 0") == 1  # the local decision stays shown
    assert scalar(store, "SELECT status FROM returns WHERE id = 2") == "received"  # overlay re-applied
    clock.advance(600)
    assert engine.sync_once().ok
    assert status_of(store, mid) == "acknowledged" and backend.applications[mid] == 1
    assert status_of(store, receipt) == "settled"


def test_a_compacted_feed_may_send_children_before_parents(
    store: Store, backend: FakeBackend, network: FakeNetwork, clock: FakeClock
) -> None:
    for n in (1, 2, 3):
        backend.put("orders", n, buyer_name=f"renamed {n}")  # parents now come after their lines
    backend.compact()
    desk = make_engine(store, network, clock, page_limit=3)
    assert desk.sync_once().ok
    assert (
        scalar(
            store,
            "SELECT count(*) FROM order_lines l LEFT JOIN orders o ON o.id = l.order_pk WHERE o.id IS NULL",
        )
        == 0
    )
    assert scalar(store, "PRAGMA foreign_keys") == 1
    desk.client.close()


def test_a_deleted_row_takes_its_children(store: Store, engine: SyncEngine, backend: FakeBackend) -> None:
    engine.sync_once()
    backend.remove("orders", 4)
    engine.sync_once()
    for table, column in [
        ("order_lines", "order_pk"),
        ("returns", "order_pk"),
        ("refund_requests", "order_pk"),
    ]:
        assert scalar(store, f"SELECT count(*) FROM {table} WHERE {column} = 4") == 0
    assert scalar(store, "SELECT count(*) FROM refund_request_lines WHERE refund_request_id = 400") == 0


def test_a_pull_never_loses_a_queued_local_effect(
    store: Store, engine: SyncEngine, backend: FakeBackend, network: FakeNetwork, clock: FakeClock
) -> None:
    engine.sync_once()
    mid = record(store, "return_received", "return:2", {"received_at": clock.now().isoformat()}, clock.now())
    decision = decide(store, 200, approval(21, 500, clock.now()), clock.now())
    backend.put("returns", 2, last_scan_at=999, carrier="UPS")  # the server rewrites the row meanwhile
    backend.put("refund_requests", 200, due_at=12345)
    network.inject("5xx")  # the one batch carrying both pushes fails
    engine.sync_once()
    assert sql(store, "SELECT status, carrier, last_scan_at FROM returns WHERE id = 2") == [
        ("received", "UPS", 999)
    ]
    assert scalar(store, "SELECT count(*) FROM decisions WHERE id < 0 AND mutation_id = :m", m=decision) == 1
    clock.advance(600)
    engine.sync_once()
    assert status_of(store, mid) == "settled"
    assert scalar(store, "SELECT local_effect FROM mutations WHERE id = :m", m=mid) is None
    assert (
        scalar(store, "SELECT status FROM returns WHERE id = 2") == "received"
    )  # now the server's own value


def test_a_malformed_page_is_refused_whole(store: Store, backend: FakeBackend, clock: FakeClock) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.params.get("cursor"):
            body = {
                "changes": [{"seq": 10**9, "entity": "order", "id": 1, "version": 1, "data": {"id": 1}}],
                "next_cursor": "x",
                "has_more": False,
            }
            return httpx.Response(200, json=body)
        return backend.handle(request)

    desk = make_engine(store, httpx.MockTransport(handler), clock, page_limit=10)
    desk.client.set_token(backend.token)
    summary = desk.sync_once()
    assert not summary.ok and "change 0" in (summary.error or "")
    assert mirror.read_cursor(store) == "0:10"
    assert mirror.last_error(store) == summary.error
    desk.client.close()
