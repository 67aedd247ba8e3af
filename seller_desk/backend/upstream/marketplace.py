"""The simulated marketplace's refund desk: its own SQLite file, no idempotency, unreliable answers.

It is *upstream*: its record of executed refunds must outlive a crash of the backend and must never
roll back with the backend's transactions, so it lives in a separate file (``marketplace.sqlite3``
beside the backend's database by default) and commits each refund before answering.

Like Amazon's adjustment feed it has no idempotency — a second submission with the same reference is a
second refund — and it is unreliable on purpose, following a seeded ``FaultPlan``:

* ``fail``: refused before recording anything (a 5xx);
* ``lost``: the refund *is* recorded, then the answer is lost (the caller sees an error);
* ``timeout``: no answer within ``timeout_s``; the refund is recorded or not (half each);
* ``report_fail``: the "what was refunded" report fails;
* ``delay``: every answer takes a uniform time in ``delay`` seconds.

Reports (``refunds_for_order``) show every recorded refund with its reference, like a settlement
report, and are what the relay reconciles against.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from seller_desk.backend.upstream.protocol import (
    RefundSubmission,
    UpstreamError,
    UpstreamRefund,
    UpstreamTimeout,
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS refunds (
    refund_id INTEGER PRIMARY KEY,
    upstream_ref TEXT NOT NULL,          -- deliberately NOT unique: the marketplace has no idempotency
    seller TEXT NOT NULL,
    order_id TEXT NOT NULL,
    request_external_id TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS refunds_by_order ON refunds (seller, order_id);
"""


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """How unreliable the marketplace is; every draw comes from one RNG seeded with ``seed``."""

    fail: float = 0.0
    lost: float = 0.0
    timeout: float = 0.0
    report_fail: float = 0.0
    delay: tuple[float, float] = (0.0, 0.0)
    timeout_s: float = 2.0
    seed: int = 0

    @classmethod
    def lively(cls, seed: int = 0) -> FaultPlan:
        """The demo's marketplace: mostly fine, sometimes slow, now and then failing."""
        return cls(fail=0.05, lost=0.03, timeout=0.03, report_fail=0.02, delay=(0.05, 0.4), timeout_s=1.0,
                   seed=seed)  # fmt: skip

    @classmethod
    def parse(cls, spec: str) -> FaultPlan:
        """``fail=0.1,lost=0.05,timeout=0.05,report_fail=0,delay=0.05-0.4,timeout_s=1,seed=7``."""
        plan = cls()
        for item in filter(None, (part.strip() for part in spec.split(","))):
            name, sep, value = item.partition("=")
            try:
                if not sep:
                    raise ValueError("expected NAME=VALUE")
                if name == "delay":
                    low, _, high = value.partition("-")
                    plan = replace(plan, delay=(float(low), float(high or low)))
                elif name == "seed":
                    plan = replace(plan, seed=int(value))
                elif name in ("fail", "lost", "timeout", "report_fail"):
                    rate = float(value)
                    if not 0.0 <= rate <= 1.0:
                        raise ValueError("a rate is between 0 and 1")
                    plan = replace(plan, **{name: rate})  # type: ignore[arg-type]  # name is a rate field
                elif name == "timeout_s":
                    plan = replace(plan, timeout_s=float(value))
                else:
                    raise ValueError(
                        "unknown setting (fail, lost, timeout, report_fail, delay, timeout_s, seed)"
                    )
            except ValueError as exc:
                raise ValueError(f"upstream faults {spec!r}: {item!r}: {exc}") from None
        return plan


class SimulatedMarketplace:
    """An ``Upstream`` backed by its own SQLite file; safe to call from several threads."""

    def __init__(
        self,
        path: Path,
        faults: FaultPlan | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.path = Path(path)
        self.faults = faults or FaultPlan()
        self._sleep = sleep
        self._rng = random.Random(self.faults.seed)
        self._rng_lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            yield conn
        finally:
            conn.close()

    def _draw(self) -> tuple[float, float]:
        with self._rng_lock:
            low, high = self.faults.delay
            return self._rng.random(), self._rng.uniform(low, high) if high > 0 else 0.0

    # -- the Upstream protocol -------------------------------------------------------------------
    def submit_refund(self, submission: RefundSubmission) -> UpstreamRefund:
        roll, delay = self._draw()
        plan = self.faults
        if delay:
            self._sleep(delay)
        if roll < plan.fail:
            raise UpstreamError(f"marketplace refused {submission.upstream_ref}: service unavailable")
        roll -= plan.fail
        if roll < plan.timeout:
            if roll < plan.timeout / 2:
                self._record(submission)
            self._sleep(plan.timeout_s)
            raise UpstreamTimeout(f"marketplace did not answer for {submission.upstream_ref}")
        roll -= plan.timeout
        refund = self._record(submission)
        if roll < plan.lost:
            raise UpstreamError(f"connection reset while submitting {submission.upstream_ref}")
        return refund

    def refunds_for_order(self, seller: str, order_id: str) -> list[UpstreamRefund]:
        roll, delay = self._draw()
        if delay:
            self._sleep(delay)
        if roll < self.faults.report_fail:
            raise UpstreamError(f"the refund report for order {order_id} is not available yet")
        return self._select("WHERE seller = ? AND order_id = ?", (seller, order_id))

    # -- for operators and tests (no faults) -------------------------------------------------------
    def all_refunds(self) -> list[UpstreamRefund]:
        return self._select("", ())

    def _record(self, submission: RefundSubmission) -> UpstreamRefund:
        now = datetime.now(UTC)
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO refunds (upstream_ref, seller, order_id, request_external_id, amount_minor,"
                " currency, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (submission.upstream_ref, submission.seller, submission.order_id,
                 submission.request_external_id, submission.amount_minor, submission.currency,
                 now.isoformat()),
            )  # fmt: skip
            refund_id = int(cursor.lastrowid or 0)
        return UpstreamRefund(
            refund_id, submission.upstream_ref, submission.seller, submission.order_id,
            submission.request_external_id, submission.amount_minor, submission.currency, now,
        )  # fmt: skip

    def _select(self, where: str, params: tuple[str, ...]) -> list[UpstreamRefund]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT refund_id, upstream_ref, seller, order_id, request_external_id, amount_minor,"
                f" currency, recorded_at FROM refunds {where} ORDER BY refund_id",
                params,
            ).fetchall()
        return [
            UpstreamRefund(int(r[0]), r[1], r[2], r[3], r[4], int(r[5]), r[6], datetime.fromisoformat(r[7]))
            for r in rows
        ]
