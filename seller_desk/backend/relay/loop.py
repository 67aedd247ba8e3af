"""The relay loop: reconcile, then submit, then record — never a transaction open across a call.

For each due ledger entry (``steps.due_entries``), one attempt is:

1. ``begin_attempt``: ``executing``, attempts + 1, request ``submitted`` — committed;
2. ask upstream what it has refunded for the order; if a refund carries this entry's reference, the
   refund was already executed by an earlier attempt (a lost answer, or a crash after the call):
   record it as executed without resending;
3. otherwise submit, and on success record ``executed`` (request ``completed``);
4. on an error (refused, lost answer, timeout, report unavailable) record ``failed`` with the error and
   retry after an exponential, capped backoff — step 2 runs again first, which is what makes a lost
   answer harmless; after ``max_attempts`` the entry is failed for good (request ``failed``).

A crash anywhere leaves the entry ``pending``, ``executing`` or ``failed``, all of which the next run
picks up and reconciles first. The backoff is kept in memory: after a restart every unfinished entry is
retried at once, which is what a restart should do. One relay per database: two processes serving the
same database must not both run it.

Test hooks: ``pause`` is called at named points (``after_claim``: the attempt is committed, upstream
not yet called; ``after_submit``: upstream answered, the outcome not yet committed).
``SELLER_DESK_RELAY_PAUSE="after_claim=30"`` makes a server's relay sleep there, so a real-process
test can SIGKILL it in the window SYNC.md fault 7 is about.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from seller_desk.backend.clock import Clock, system_clock
from seller_desk.backend.relay.steps import (
    Attempt,
    begin_attempt,
    due_entries,
    finish_executed,
    record_failure,
)
from seller_desk.backend.store import Database
from seller_desk.backend.upstream import Upstream, UpstreamRefused

log = logging.getLogger(__name__)

PauseHook = Callable[[str, int], None]
PAUSE_ENV = "SELLER_DESK_RELAY_PAUSE"


@dataclass(frozen=True, slots=True)
class RelaySettings:
    max_attempts: int = 8
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 60.0
    poll_interval_s: float = 0.5

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1, 2, 4, … capped)."""
        return float(min(self.backoff_cap_s, self.backoff_base_s * 2 ** max(0, attempt - 1)))


def pause_hook_from_env(environ: dict[str, str] | None = None) -> PauseHook | None:
    """The hook ``SELLER_DESK_RELAY_PAUSE="POINT=SECONDS[,POINT=SECONDS]"`` asks for, if any."""
    spec = (environ if environ is not None else dict(os.environ)).get(PAUSE_ENV, "")
    pauses: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        point, _, seconds = item.partition("=")
        pauses[point] = float(seconds or "30")
    if not pauses:
        return None

    def pause(point: str, entry_id: int) -> None:
        if point in pauses:
            log.warning("relay paused at %s for ledger entry %d (%s)", point, entry_id, PAUSE_ENV)
            time.sleep(pauses[point])

    return pause


class Relay:
    """Executes ledger entries on ``upstream``; ``run_once`` for tests, ``run`` in a server thread."""

    def __init__(
        self,
        db: Database,
        upstream: Upstream,
        settings: RelaySettings | None = None,
        *,
        clock: Clock = system_clock,
        monotonic: Callable[[], float] = time.monotonic,
        pause: PauseHook | None = None,
        seller_id: int | None = None,
    ) -> None:
        """``seller_id`` limits the relay to one seller's entries (tests sharing one database)."""
        self.db = db
        self.upstream = upstream
        self.settings = settings or RelaySettings()
        self.clock = clock
        self.monotonic = monotonic
        self.pause = pause
        self.seller_id = seller_id
        self._not_before: dict[int, float] = {}

    def run(self, stop: threading.Event) -> None:
        """Work until ``stop`` is set; a database error is logged and retried on the next round."""
        while not stop.is_set():
            try:
                self.run_once(stop)
            except Exception:  # the loop must outlive a bad round (database restart, disk full, …)
                log.exception("relay round failed; retrying")
            stop.wait(self.settings.poll_interval_s)

    def run_once(self, stop: threading.Event | None = None) -> int:
        """One attempt at every entry due now; the number of attempts made."""
        attempts = 0
        for entry_id in due_entries(self.db, self.settings.max_attempts, self.seller_id):
            if stop is not None and stop.is_set():
                break
            if self._not_before.get(entry_id, 0.0) > self.monotonic():
                continue
            if self.attempt(entry_id):
                attempts += 1
        return attempts

    def attempt(self, entry_id: int) -> bool:
        """One attempt at ``entry_id`` (see the module doc); False when it needed none."""
        attempt = begin_attempt(self.db, entry_id, self.clock(), self.settings.max_attempts)
        if attempt is None:
            self._not_before.pop(entry_id, None)
            return False
        self._hook("after_claim", entry_id)
        try:
            if not self._already_refunded(attempt):
                self.upstream.submit_refund(attempt.submission)
        except Exception as exc:  # UpstreamError, or anything a connector lets through: retry later
            self._failed(attempt, exc)
            return True
        self._hook("after_submit", entry_id)
        finish_executed(self.db, entry_id, self.clock())
        self._not_before.pop(entry_id, None)
        log.info("ledger entry %d executed upstream as %s", entry_id, attempt.submission.upstream_ref)
        return True

    def _already_refunded(self, attempt: Attempt) -> bool:
        sub = attempt.submission
        reported = self.upstream.refunds_for_order(sub.seller, sub.order_id)
        return any(refund.upstream_ref == sub.upstream_ref for refund in reported)

    def _failed(self, attempt: Attempt, exc: Exception) -> None:
        # A definite refusal is final at once: the next claim sees the request failed and stops.
        final = attempt.attempt >= self.settings.max_attempts or isinstance(exc, UpstreamRefused)
        error = f"attempt {attempt.attempt}: {type(exc).__name__}: {exc}"
        record_failure(self.db, attempt.entry_id, error, self.clock(), final=final)
        wait = self.settings.backoff(attempt.attempt)
        self._not_before[attempt.entry_id] = self.monotonic() + wait
        if final:
            log.error("ledger entry %d failed for good after %d attempts: %s", attempt.entry_id,
                      attempt.attempt, exc)  # fmt: skip
        else:
            log.warning("ledger entry %d: %s; retrying in %.1f s", attempt.entry_id, error, wait)

    def _hook(self, point: str, entry_id: int) -> None:
        if self.pause is not None:
            self.pause(point, entry_id)
