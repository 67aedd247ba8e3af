"""SP-API rate limits: a token bucket per operation, and patience with 429s (AMAZON.md §4).

Each operation has its documented default rate (requests per second) and burst; a call takes a token
and waits for one when the bucket is empty. Amazon may change a limit and says so in
``x-amzn-RateLimit-Limit`` on each answer: the bucket takes the new rate. A 429 is retried after an
exponential backoff with full jitter (1 s base, doubling, 60 s cap), or after ``Retry-After`` when the
answer gives one, up to ``max_retries`` times. Clock, sleep and randomness are injectable, so tests
check the arithmetic without waiting.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sp_api.base.exceptions import SellingApiRequestThrottledException

T = TypeVar("T")

DEFAULT_LIMITS: Mapping[str, tuple[float, int]] = {  # operation: (requests per second, burst)
    "createReport": (0.0167, 15), "getReport": (2.0, 15), "getReportDocument": (0.0167, 15),
    "createFeedDocument": (0.5, 15), "createFeed": (0.0083, 15), "getFeed": (2.0, 15),
    "getFeedDocument": (0.0222, 10), "getOrders": (0.0167, 20), "getOrderItems": (0.5, 30),
    "listFinancialEventsByOrderId": (0.5, 30),
}  # fmt: skip
BACKOFF_BASE_S, BACKOFF_CAP_S = 1.0, 60.0


@dataclass
class TokenBucket:
    rate: float  # tokens per second
    burst: int
    clock: Callable[[], float] = time.monotonic
    tokens: float = field(default=-1.0)
    updated: float = field(default=0.0)

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = float(self.burst)
        self.updated = self.clock()

    def wait_time(self) -> float:
        """Seconds until a token is free (0 when one is), after refilling for the time gone by."""
        now = self.clock()
        self.tokens = min(float(self.burst), self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


class RateLimiter:
    """All the buckets of one seller's SP-API calls. ``call("getFeed", fn)`` respects them."""

    def __init__(
        self,
        limits: Mapping[str, tuple[float, int]] = DEFAULT_LIMITS,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[float], float] = lambda high: random.uniform(0, high),
        max_retries: int = 5,
    ) -> None:
        self._buckets = {op: TokenBucket(rate, burst, clock) for op, (rate, burst) in limits.items()}
        self._clock, self._sleep, self._jitter = clock, sleep, jitter
        self.max_retries = max_retries
        self._lock = threading.RLock()  # bucket() is also called with it held
        self.throttled = 0  # 429s met (status, tests)

    def bucket(self, operation: str) -> TokenBucket:
        with self._lock:
            return self._buckets.setdefault(operation, TokenBucket(1.0, 1, self._clock))

    def call(self, operation: str, fn: Callable[[], T]) -> T:
        for attempt in range(self.max_retries + 1):
            self._acquire(operation)
            try:
                result = fn()
            except SellingApiRequestThrottledException as exc:
                self.throttled += 1
                if attempt == self.max_retries:
                    raise
                self._sleep(self.backoff(attempt, _retry_after(getattr(exc, "headers", None))))
                continue
            self._learn(operation, getattr(result, "headers", None))
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        return self._jitter(min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**attempt))

    def _acquire(self, operation: str) -> None:
        bucket = self.bucket(operation)
        while True:
            with self._lock:
                wait = bucket.wait_time()
                if wait == 0:
                    bucket.take()
                    return
            self._sleep(wait)

    def _learn(self, operation: str, headers: Any) -> None:
        limit = _header(headers, "x-amzn-RateLimit-Limit")
        if limit is None:
            return
        try:
            rate = float(limit)
        except ValueError:
            return
        if rate > 0:
            with self._lock:
                self.bucket(operation).rate = rate


def _header(headers: Any, name: str) -> str | None:
    if headers is None:
        return None
    try:
        value = headers.get(name)
    except AttributeError:
        return None
    return None if value is None else str(value)


def _retry_after(headers: Any) -> float | None:
    value = _header(headers, "Retry-After")
    try:
        return None if value is None else max(0.0, float(value))
    except ValueError:
        return None
