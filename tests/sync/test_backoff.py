"""Backoff: full jitter inside ``[0, min(cap, base * 2**n)]``; ``Retry-After`` replaces the draw."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from seller_desk.sync.backoff import (
    BASE_S,
    CAP_S,
    MAX_RETRY_AFTER_S,
    backoff_delay,
    ceiling,
    parse_retry_after,
    retry_delay,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@given(attempt=st.integers(min_value=0, max_value=10_000), seed=st.integers(0, 2**32 - 1))
def test_delay_is_within_full_jitter_bounds(attempt: int, seed: int) -> None:
    delay = backoff_delay(attempt, random.Random(seed))
    assert 0.0 <= delay <= min(CAP_S, BASE_S * 2.0 ** min(attempt, 64))


@given(attempt=st.integers(min_value=0, max_value=100))
def test_ceiling_doubles_from_one_second_up_to_five_minutes(attempt: int) -> None:
    assert ceiling(attempt) == min(300.0, 2.0**attempt)
    assert ceiling(attempt + 1) >= ceiling(attempt)


def test_jitter_spreads_the_draws() -> None:
    rng = random.Random(1)
    draws = [backoff_delay(8, rng) for _ in range(200)]
    assert min(draws) < 30 and max(draws) > 220  # spread over [0, 256], not clustered at the ceiling


@given(
    after=st.floats(min_value=0, max_value=10 * MAX_RETRY_AFTER_S, allow_nan=False),
    attempt=st.integers(0, 50),
)
def test_retry_after_replaces_the_draw(after: float, attempt: int) -> None:
    assert retry_delay(attempt, random.Random(0), after) == min(after, MAX_RETRY_AFTER_S)


def test_parse_retry_after() -> None:
    assert parse_retry_after("120", NOW) == 120.0
    assert parse_retry_after("Sun, 01 Mar 2026 12:00:30 GMT", NOW) == 30.0
    assert parse_retry_after("Sun, 01 Mar 2026 11:00:00 GMT", NOW) == 0.0  # in the past: now
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after(None, NOW) is None
