"""The relay in-process, against the simulated marketplace's real file, on SQLite and PostgreSQL.

The invariant everywhere: one upstream refund per approval, whatever fails and wherever the relay
stops (SYNC.md faults 7 and 8), and the refund request's state reaches desktops through the feed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from seller_desk.backend.ingest import set_refund_state
from seller_desk.backend.relay import Relay
from seller_desk.backend.upstream import FaultPlan
from seller_desk.domain.enums import RefundState
from tests.backend.relay_support import (
    FAST,
    Crash,
    approve,
    ledger,
    marketplace,
    refs_upstream,
    relay_for,
    request_state,
)
from tests.backend.shop import Shop


def test_an_approval_is_executed_once_and_the_request_completes_in_the_feed(
    shop: Shop, tmp_path: Path
) -> None:
    request_id = approve(shop)
    _, cursor = shop.pull_all()
    seen: list[str] = []

    def feed_states(_point: str, _entry: int) -> None:
        seen.extend(_request_states(shop, cursor))

    upstream = marketplace(tmp_path)
    relay = relay_for(shop, upstream, pause=feed_states)
    assert relay.run_once() == 1
    assert relay.run_once() == 0
    [entry] = ledger(shop.db, shop.seller_id)
    assert (entry["state"], entry["attempts"]) == ("executed", 1)
    assert entry["executed_at"] is not None
    assert refs_upstream(upstream, shop.seller_name) == [entry["upstream_ref"]]
    assert entry["upstream_ref"] == "sd-" + entry["mutation_id"].replace("-", "")
    assert request_state(shop.db, request_id) == "completed"
    assert seen[0] == "submitted"  # visible to desktops before upstream is even called
    assert _request_states(shop, cursor) == ["submitted", "completed"]


def _request_states(shop: Shop, cursor: str) -> list[str]:
    response = shop.changes(cursor)
    assert response.status_code == 200, response.text
    changes = response.json()["changes"]
    return [c["data"]["state"] for c in changes if c["entity"] == "refund_request" and c["data"]]


@pytest.mark.parametrize(
    ("faults", "recorded_by_failure"),
    [
        (FaultPlan(fail=1.0), 0),  # refused before recording
        (FaultPlan(lost=1.0), 1),  # recorded, answer lost
        (FaultPlan(timeout=1.0, seed=3), None),  # timed out, recorded or not
        (FaultPlan(report_fail=1.0), 0),  # the reconciliation report itself failed
    ],
    ids=["refused", "lost-answer", "timeout", "report-failed"],
)
def test_a_failed_attempt_is_retried_after_reconciliation_with_one_refund(
    shop: Shop, tmp_path: Path, faults: FaultPlan, recorded_by_failure: int | None
) -> None:
    request_id = approve(shop)
    upstream = marketplace(tmp_path, faults)
    relay = relay_for(shop, upstream)
    relay.run_once()
    [entry] = ledger(shop.db, shop.seller_id)
    assert (entry["state"], entry["attempts"]) == ("failed", 1)
    assert entry["last_error"]
    assert request_state(shop.db, request_id) == "submitted"
    recorded = len(refs_upstream(upstream, shop.seller_name))
    if recorded_by_failure is not None:
        assert recorded == recorded_by_failure
    upstream.faults = FaultPlan()
    relay.run_once()
    [entry] = ledger(shop.db, shop.seller_id)
    assert (entry["state"], entry["attempts"]) == ("executed", 2)
    assert refs_upstream(upstream, shop.seller_name) == [entry["upstream_ref"]]
    assert request_state(shop.db, request_id) == "completed"


@pytest.mark.parametrize(("point", "recorded"), [("after_claim", 0), ("after_submit", 1)])
def test_a_relay_killed_mid_attempt_is_resumed_by_the_next_one(
    shop: Shop, tmp_path: Path, point: str, recorded: int
) -> None:
    """Fault 7: the attempt is committed (``executing``), then the process dies."""
    approve(shop)
    upstream = marketplace(tmp_path)

    def die(at: str, _entry: int) -> None:
        if at == point:
            raise Crash(at)

    with pytest.raises(Crash):
        relay_for(shop, upstream, pause=die).run_once()
    [entry] = ledger(shop.db, shop.seller_id)
    assert entry["state"] == "executing"
    assert len(refs_upstream(upstream, shop.seller_name)) == recorded
    relay_for(shop, upstream).run_once()  # a new process: no memory of the old one
    [entry] = ledger(shop.db, shop.seller_id)
    assert (entry["state"], entry["attempts"]) == ("executed", 2)
    assert refs_upstream(upstream, shop.seller_name) == [entry["upstream_ref"]]


def test_the_relay_gives_up_after_max_attempts_and_the_request_fails(shop: Shop, tmp_path: Path) -> None:
    request_id = approve(shop)
    upstream = marketplace(tmp_path, FaultPlan(fail=1.0))
    relay = relay_for(shop, upstream)
    for _ in range(FAST.max_attempts):
        assert relay.run_once() == 1
    assert relay.run_once() == 0
    [entry] = ledger(shop.db, shop.seller_id)
    assert (entry["state"], entry["attempts"]) == ("failed", FAST.max_attempts)
    assert request_state(shop.db, request_id) == "failed"
    assert refs_upstream(upstream, shop.seller_name) == []


def test_backoff_delays_the_next_attempt(shop: Shop, tmp_path: Path) -> None:
    approve(shop)
    clock = [100.0]
    settings = FAST.__class__(max_attempts=5, backoff_base_s=10.0, backoff_cap_s=25.0)
    relay = relay_for(shop, marketplace(tmp_path, FaultPlan(fail=1.0)), settings=settings,
                      monotonic=lambda: clock[0])  # fmt: skip
    assert relay.run_once() == 1
    clock[0] += 9.9
    assert relay.run_once() == 0
    clock[0] += 0.2
    assert relay.run_once() == 1  # after 10 s; the next wait is 20 s, then capped at 25 s
    assert [settings.backoff(n) for n in (1, 2, 3, 4)] == [10.0, 20.0, 25.0, 25.0]


@pytest.mark.parametrize("ending", [RefundState.CANCELLED, RefundState.AUTO_REFUNDED, "claim"])
def test_a_request_that_ended_upstream_is_never_executed(
    shop: Shop, tmp_path: Path, ending: RefundState | str
) -> None:
    request_id = approve(shop)
    with shop.writer() as writer:
        if ending == "claim":
            set_refund_state(writer, request_id, a_to_z_claim=True)
        else:
            assert isinstance(ending, RefundState)
            set_refund_state(writer, request_id, ending)
    upstream = marketplace(tmp_path)
    relay_for(shop, upstream).run_once()
    [entry] = ledger(shop.db, shop.seller_id)
    assert entry["state"] == "cancelled"
    assert entry["attempts"] == 0
    assert refs_upstream(upstream, shop.seller_name) == []
    assert request_state(shop.db, request_id) in ("cancelled", "auto_refunded")


def test_random_faults_still_give_exactly_one_refund_per_approval(shop: Shop, tmp_path: Path) -> None:
    for _ in range(6):
        approve(shop, amount=1000)
    faults = FaultPlan(fail=0.25, lost=0.25, timeout=0.2, report_fail=0.1, seed=11)
    upstream = marketplace(tmp_path, faults)
    relay = relay_for(shop, upstream, settings=FAST.__class__(max_attempts=50, backoff_base_s=0.0))
    for _ in range(60):
        if all(e["state"] == "executed" for e in ledger(shop.db, shop.seller_id)):
            break
        relay.run_once()
    entries = ledger(shop.db, shop.seller_id)
    assert [e["state"] for e in entries] == ["executed"] * 6
    assert sorted(refs_upstream(upstream, shop.seller_name)) == sorted(e["upstream_ref"] for e in entries)
    assert sum(e["attempts"] for e in entries) > 6  # faults did happen


class _BrokenReports:
    """An upstream whose report raises something that is not an UpstreamError (a connector's bug, a
    full disk): the relay must treat it as a failed attempt, not die or spin."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.broken = True

    def submit_refund(self, submission: Any) -> Any:
        return self.inner.submit_refund(submission)

    def refunds_for_order(self, seller: str, order_id: str) -> Any:
        if self.broken:
            raise OSError("disk I/O error")
        return self.inner.refunds_for_order(seller, order_id)


def test_an_unexpected_upstream_error_is_a_failed_attempt(shop: Shop, tmp_path: Path) -> None:
    approve(shop)
    upstream = _BrokenReports(marketplace(tmp_path))
    relay = Relay(shop.db, upstream, FAST, seller_id=shop.seller_id)
    assert relay.run_once() == 1
    [entry] = ledger(shop.db, shop.seller_id)
    assert entry["state"] == "failed" and "disk I/O error" in entry["last_error"]
    upstream.broken = False
    relay.run_once()
    [entry] = ledger(shop.db, shop.seller_id)
    assert (entry["state"], entry["attempts"]) == ("executed", 2)
    assert refs_upstream(upstream.inner, shop.seller_name) == [entry["upstream_ref"]]
