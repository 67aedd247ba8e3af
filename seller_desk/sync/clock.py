"""Time as the sync engine sees it: injectable, so tests run hours of backoff in microseconds.

Every decision the engine makes about time (when a retry is due, how long to wait, what to stamp on
an acknowledgement) goes through a ``Clock``; nothing in ``seller_desk.sync`` calls ``time.sleep`` or
``datetime.now`` itself.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    def sleep(self, seconds: float, wake: threading.Event | None = None) -> None:
        """Wait ``seconds``, returning early when ``wake`` is set."""
        ...


class SystemClock:
    """The real clock; ``sleep`` waits on the wake event so a nudge or a stop interrupts it at once."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float, wake: threading.Event | None = None) -> None:
        if wake is None:
            time.sleep(max(0.0, seconds))
        else:
            wake.wait(max(0.0, seconds))


class FakeClock:
    """A clock that only moves when told to (or when something sleeps on it)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        self.slept: list[float] = []

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)

    def sleep(self, seconds: float, wake: threading.Event | None = None) -> None:
        self.slept.append(seconds)
        self.advance(max(0.0, seconds))
