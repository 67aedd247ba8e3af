"""The sync engine: push what is due, pull until drained, and a loop for the background worker.

``sync_once()`` is the whole protocol step (the CLI's ``sync --once``, the GUI's "Sync now");
``run()`` repeats it: at once after a nudge (a new act recorded, the network back), on a timer while
online, and with growing pauses while the backend is unreachable, so the first successful probe
after an outage pushes and pulls everything at once. Clock, sleep and randomness are injected, so a
test drives hours of retries deterministically. No Qt here: the GUI's worker calls these methods on
its I/O thread and shows ``status()``.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from seller_desk.store import mirror, push_queue
from seller_desk.store.meta import device_id as stored_device_id
from seller_desk.store.uow import Store
from seller_desk.sync.client import SyncClient
from seller_desk.sync.clock import Clock, SystemClock
from seller_desk.sync.pull import DEFAULT_PAGE_LIMIT, Puller, PullListener, PullReport, no_listener
from seller_desk.sync.push import CLAIM_BATCH, KillHook, Pusher, PushReport, TokenRefresh, no_kill

log = logging.getLogger(__name__)

PULL_INTERVAL_S = 30.0
OFFLINE_PROBE_MIN_S = 2.0


@dataclass(frozen=True, slots=True)
class SyncSummary:
    push: PushReport
    pull: PullReport

    @property
    def unreachable(self) -> bool:
        return self.push.unreachable or self.pull.unreachable

    @property
    def error(self) -> str | None:
        return self.pull.error or self.push.last_error

    @property
    def ok(self) -> bool:
        """Both directions reached the backend and the feed is drained."""
        return self.pull.drained and not self.unreachable and not self.push.unauthorized


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the status bar and ``seller-desk status`` show about sync."""

    online: bool | None  # None: not tried yet
    last_sync_at: datetime | None
    pending: int  # queued + sending
    conflicts: int  # unresolved
    rejected: int
    last_error: str | None


class SyncEngine:
    def __init__(
        self,
        store: Store,
        client: SyncClient,
        clock: Clock | None = None,
        *,
        device_id: str | None = None,
        token_refresher: Callable[[], str | None] | None = None,
        rng: random.Random | None = None,
        page_limit: int = DEFAULT_PAGE_LIMIT,
        concurrency: int = 1,
        push_batch: int = CLAIM_BATCH,
        kill: KillHook = no_kill,
        pull_interval: float = PULL_INTERVAL_S,
        on_pull_page: PullListener = no_listener,
        on_round: Callable[[SyncSummary | None], None] | None = None,
    ) -> None:
        """``on_pull_page`` hears every committed page of a pull; ``on_round`` hears each round of
        ``run()`` end (its summary, or None when it failed with an exception). Both are called on the
        thread that runs the engine: the GUI's sync worker forwards them to the GUI thread."""
        self.store, self.client = store, client
        self.clock: Clock = clock or SystemClock()
        if device_id is None:
            with store.writing() as session:
                device_id = stored_device_id(session)
        self.device_id = device_id
        refresh = TokenRefresh(client, token_refresher)
        rng = rng or random.Random()
        self._pusher = Pusher(
            store,
            client,
            clock=self.clock,
            device_id=device_id,
            rng=rng,
            refresh=refresh,
            kill=kill,
            concurrency=concurrency,
            batch=push_batch,
        )
        self._stop = threading.Event()
        self._puller = Puller(
            store,
            client,
            clock=self.clock,
            refresh=refresh,
            limit=page_limit,
            kill=kill,
            on_page=on_pull_page,
            stopping=self._stop.is_set,  # quitting mid-pull: resume from the committed cursor next run
        )
        self._on_round = on_round
        self._force_next = False
        self._pull_interval = pull_interval
        self._started = False
        self._online: bool | None = None
        self._last_error: str | None = None
        self._offline_rounds = 0
        self._wake = threading.Event()

    def start(self) -> int:
        """Once per process: rows a dead run left ``sending`` go back to ``queued`` (same key)."""
        if self._started:
            return 0
        self._started = True
        reset = self._pusher.reset_in_flight()
        if reset:
            log.info("%d mutations were in flight when the last run stopped; queued again", reset)
        return reset

    def sync_once(self, *, force: bool = False) -> SyncSummary:
        """Push every due mutation (``force``: ignore backoff), then pull until drained."""
        self.start()
        pushed = self._pusher.push_due(force=force)
        pulled = PullReport() if pushed.unreachable else self._puller.pull_until_drained()
        summary = SyncSummary(pushed, pulled)
        self._online = not summary.unreachable
        self._last_error = summary.error
        self._offline_rounds = self._offline_rounds + 1 if summary.unreachable else 0
        mirror.record_error(self.store, summary.error)
        return summary

    # -- background loop -------------------------------------------------------------------------------
    def nudge(self, *, force: bool = False) -> None:
        """Sync now: a new act was recorded, or the network came back. ``force`` (the seller's "Sync
        now") also sends acts still waiting out their backoff, as ``sync --once`` does."""
        if force:
            self._force_next = True
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    @property
    def pull_interval(self) -> float:
        return self._pull_interval

    def set_pull_interval(self, seconds: float) -> None:
        """Pull every ``seconds`` from now on (the seller's Settings). The wait under way ends at once, so
        a shorter interval takes effect now rather than after the longer one; that costs one round."""
        if not seconds > 0:
            raise ValueError(f"the pull interval must be positive, got {seconds!r}")
        self._pull_interval = float(seconds)
        self._wake.set()

    def run(self, *, max_rounds: int | None = None) -> None:
        """Sync until ``stop()``; never dies of an error (it is logged, shown, and retried later)."""
        rounds = 0
        while not self._stop.is_set() and (max_rounds is None or rounds < max_rounds):
            rounds += 1
            self._wake.clear()
            force, self._force_next = self._force_next, False
            summary = self.run_round(force=force)
            if self._on_round is not None:
                self._on_round(summary)
            if self._stop.is_set():
                break
            self.clock.sleep(self._next_delay(), self._wake)

    def run_round(self, *, force: bool = False) -> SyncSummary | None:
        """One round of the loop: ``sync_once``, but an error ends the round instead of the worker.

        The error that matters most is the store's ``database is locked``: the GUI (an import, a bulk
        approval) held the write lock past the busy timeout (SYNC.md fault 13). Whatever this round
        committed stays; rows it left ``sending`` go back to ``queued`` under their keys next round,
        and the backend replays what it already applied. None when the round failed.
        """
        try:
            return self.sync_once(force=force)
        except Exception as exc:
            log.exception("sync round failed")
            self._last_error = f"sync failed: {exc}"
            self._offline_rounds += 1
            self._started = False  # rows this round left ``sending`` are queued again next round
            return None

    def _next_delay(self) -> float:
        if self._offline_rounds:
            return min(self._pull_interval, OFFLINE_PROBE_MIN_S * 2.0 ** min(self._offline_rounds - 1, 10))
        with self.store.reading() as session:
            due = push_queue.next_due_at(session)
        if due is None:
            return self._pull_interval
        wait = (due - self.clock.now()).total_seconds()
        return max(0.0, min(self._pull_interval, wait))

    # -- status ------------------------------------------------------------------------------------------
    def status(self) -> SyncStatus:
        with self.store.reading() as session:
            counts = push_queue.counts(session)
            conflicts = push_queue.open_conflicts(session)
            last_sync = push_queue.last_pull_at(session)
        return SyncStatus(
            online=self._online,
            last_sync_at=last_sync,
            pending=counts["queued"] + counts["sending"],
            conflicts=conflicts,
            rejected=counts["rejected"],
            last_error=self._last_error,
        )
