"""The engine's hooks for the GUI: progress after every committed page, the end of each ``run()``
round, a forced nudge, and a stop that ends a long pull at a page boundary (resumed next run)."""

from __future__ import annotations

import itertools
import random

import httpx

from seller_desk.store import mirror
from seller_desk.store.uow import Store
from seller_desk.sync.client import SyncClient
from seller_desk.sync.clock import FakeClock
from seller_desk.sync.engine import SyncEngine, SyncSummary
from seller_desk.sync.pull import PullProgress
from tests.sync.conftest import BASE_URL
from tests.sync.fakes import FakeNetwork


def build(store: Store, network: FakeNetwork, clock: FakeClock, **hooks: object) -> SyncEngine:
    client = SyncClient(
        BASE_URL, network.backend.token, transport=httpx.MockTransport(network.handler), now=clock.now
    )
    return SyncEngine(store, client, clock, rng=random.Random(0), page_limit=4, **hooks)  # type: ignore[arg-type]


def test_progress_counts_committed_pages_until_the_last(
    store: Store, network: FakeNetwork, clock: FakeClock
) -> None:
    seen: list[PullProgress] = []
    engine = build(store, network, clock, on_pull_page=seen.append)
    summary = engine.sync_once()
    total = len(network.backend.log)
    assert summary.pull.drained and summary.pull.changes == total
    assert [p.pages for p in seen] == list(range(1, summary.pull.pages + 1))
    assert [p.has_more for p in seen] == [True] * (len(seen) - 1) + [False]
    assert seen[-1].changes == total and all(a.changes < b.changes for a, b in itertools.pairwise(seen))


def test_stop_during_a_pull_ends_it_at_a_page_boundary_and_the_next_run_resumes(
    store: Store, network: FakeNetwork, clock: FakeClock
) -> None:
    engine: SyncEngine | None = None

    def stop_after_first(progress: PullProgress) -> None:
        assert engine is not None
        if progress.pages == 1:
            engine.stop()

    engine = build(store, network, clock, on_pull_page=stop_after_first)
    first = engine.sync_once()
    assert first.pull.pages == 1 and not first.pull.drained
    cursor = mirror.read_cursor(store)
    assert cursor is not None
    again = build(store, network, clock).sync_once()
    assert again.pull.drained
    assert first.pull.changes + again.pull.changes == len(network.backend.log)


def test_run_reports_each_round_and_a_forced_nudge_is_used_once(
    store: Store, network: FakeNetwork, clock: FakeClock
) -> None:
    rounds: list[SyncSummary | None] = []
    engine = build(store, network, clock, on_round=rounds.append)
    engine.nudge(force=True)
    forced: list[bool] = []
    original = engine.sync_once

    def spy(*, force: bool = False) -> SyncSummary:
        forced.append(force)
        return original(force=force)

    engine.sync_once = spy  # type: ignore[method-assign]
    engine.run(max_rounds=2)
    assert forced == [True, False]
    assert len(rounds) == 2 and all(r is not None and r.ok for r in rounds)
