"""The backend's notion of "now", injectable so tests can stand at any instant.

Every service function takes ``now`` as a parameter instead of reading the system clock; the app
factory reads its ``Clock`` once per request. Times are always aware UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)
