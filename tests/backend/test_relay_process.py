"""The relay in a real ``backend serve`` process, killed with SIGKILL where it hurts (SYNC.md 7 and 8).

The server runs the relay against a marketplace file (``--upstream``); the environment hook
``SELLER_DESK_RELAY_PAUSE`` holds it at a named point — the attempt committed but upstream not called
yet, or upstream called but its answer not committed — and the test kills the process there, restarts
it on the same files, and checks that the marketplace holds exactly one refund for the approval.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from seller_desk.backend.relay import loop
from seller_desk.backend.store import sqlite_url
from seller_desk.backend.upstream import SimulatedMarketplace
from tests.backend.live import LiveBackend
from tests.backend.relay_support import approve, ledger, refs_upstream, request_state
from tests.backend.shop import Shop


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _serve(tmp_path: Path, name: str, *faults: str) -> LiveBackend:
    args = ("--upstream", str(tmp_path / "marketplace.sqlite3"), "--upstream-faults", *(faults or ("none",)))
    return LiveBackend.start("sqlite", sqlite_url(tmp_path / "backend.sqlite3"), tmp_path / f"{name}.log",
                             extra_args=args)  # fmt: skip


def _kill(live: LiveBackend) -> None:
    live.process.kill()  # SIGKILL: no shutdown hook, no rollback, nothing flushed
    live.process.wait(timeout=10)
    live.db.dispose()


@pytest.mark.parametrize(("point", "recorded_before_kill"), [("after_claim", 0), ("after_submit", 1)])
def test_a_server_killed_between_commit_and_upstream_resumes_with_one_refund(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str, recorded_before_kill: int
) -> None:
    marketplace = SimulatedMarketplace(tmp_path / "marketplace.sqlite3")
    monkeypatch.setenv(loop.PAUSE_ENV, f"{point}=120")
    first = _serve(tmp_path, "first")
    shop = Shop.open(first.db, first.base_url)
    try:
        request_id = approve(shop)
        wait_for(lambda: ledger(first.db, shop.seller_id)[0]["state"] == "executing", "the attempt's commit")
        if recorded_before_kill:
            wait_for(lambda: len(refs_upstream(marketplace, shop.seller_name)) == 1, "the upstream refund")
        time.sleep(0.3)  # well inside the 120 s pause
        assert ledger(first.db, shop.seller_id)[0]["state"] == "executing"
        _kill(first)
        assert len(refs_upstream(marketplace, shop.seller_name)) == recorded_before_kill
        monkeypatch.delenv(loop.PAUSE_ENV)
        second = _serve(tmp_path, "second")
        try:
            wait_for(lambda: ledger(second.db, shop.seller_id)[0]["state"] == "executed", "the resumed relay")
            [entry] = ledger(second.db, shop.seller_id)
            assert entry["attempts"] == 2
            assert refs_upstream(marketplace, shop.seller_name) == [entry["upstream_ref"]]
            assert request_state(second.db, request_id) == "completed"
        finally:
            second.stop()
    finally:
        shop.close()
        if first.process.poll() is None:
            _kill(first)


def test_a_lost_upstream_answer_is_retried_after_reconciliation_by_a_real_server(tmp_path: Path) -> None:
    """Fault 8: with seed 7 the first submission is recorded and its answer lost; the retry
    reconciles, finds the refund under its reference, and does not resend."""
    marketplace = SimulatedMarketplace(tmp_path / "marketplace.sqlite3")
    live = _serve(tmp_path, "lossy", "lost=0.5,seed=7")
    shop = Shop.open(live.db, live.base_url)
    try:
        approve(shop)
        wait_for(lambda: ledger(live.db, shop.seller_id)[0]["state"] == "executed", "execution", timeout=30)
        [entry] = ledger(live.db, shop.seller_id)
        assert entry["attempts"] == 2
        assert refs_upstream(marketplace, shop.seller_name) == [entry["upstream_ref"]]
    finally:
        shop.close()
        live.stop()
