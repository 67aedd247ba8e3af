"""When to try again: exponential backoff with full jitter, and the server's ``Retry-After``.

Full jitter (a uniform draw between 0 and the exponential ceiling, AWS Architecture Blog "Exponential
Backoff And Jitter") spreads the retries of many desktops that lost the network at the same moment, so
they do not come back as one wave. A ``Retry-After`` from the server is a request, not a hint: when
present it replaces the drawn delay (bounded to an hour, so a bad header cannot park the queue).
"""

from __future__ import annotations

import random
from datetime import datetime
from email.utils import parsedate_to_datetime

BASE_S = 1.0
CAP_S = 300.0
MAX_RETRY_AFTER_S = 3600.0


def ceiling(attempt: int, *, base: float = BASE_S, cap: float = CAP_S) -> float:
    """The largest delay for the ``attempt``-th retry (0 for the first): ``min(cap, base * 2**attempt)``."""
    return min(cap, base * 2.0 ** min(max(attempt, 0), 64))


def backoff_delay(attempt: int, rng: random.Random, *, base: float = BASE_S, cap: float = CAP_S) -> float:
    """A delay drawn uniformly from ``[0, ceiling(attempt)]``."""
    return rng.uniform(0.0, ceiling(attempt, base=base, cap=cap))


def retry_delay(attempt: int, rng: random.Random, retry_after: float | None = None) -> float:
    """The server's ``Retry-After`` when it gave one, else the jittered backoff."""
    if retry_after is not None:
        return min(max(retry_after, 0.0), MAX_RETRY_AFTER_S)
    return backoff_delay(attempt, rng)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - now).total_seconds())
