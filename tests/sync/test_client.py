"""The client maps every answer of the backend to one typed result (httpx.MockTransport)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from seller_desk.sync.client import SyncClient
from seller_desk.sync.results import (
    Applied,
    ChangesReceived,
    Conflict,
    InProgress,
    KeyReused,
    MustRefetch,
    NotFound,
    ProtocolError,
    Rejected,
    Retryable,
    Unauthorized,
)
from seller_desk.wire import MutationIn

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MUTATION_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")


def body() -> MutationIn:
    return MutationIn(
        mutation_id=MUTATION_ID,
        kind="note",
        target="order:7",
        payload={"text": "called the buyer"},
        base_version=3,
        device_id="dev-1",
    )


def client_for(handler: Callable[[httpx.Request], httpx.Response]) -> SyncClient:
    return SyncClient("https://backend.test/", "tok", transport=httpx.MockTransport(handler), now=lambda: NOW)


def answer(status: int, payload: Any = None, headers: dict[str, str] | None = None) -> SyncClient:
    def handler(request: httpx.Request) -> httpx.Response:
        if payload is None:
            return httpx.Response(status, headers=headers)
        return httpx.Response(status, json=payload, headers=headers)

    return client_for(handler)


OUTCOME = {"mutation_id": str(MUTATION_ID), "status": "applied", "target": "order:7", "server_version": 4}


def err(code: str, **extra: Any) -> dict[str, Any]:
    return {"error": code, "message": f"{code} happened", **extra}


@pytest.mark.parametrize("status", [200, 201])
def test_applied_first_time_and_replayed(status: int) -> None:
    result = answer(status, OUTCOME).post_mutation("k1", body())
    assert isinstance(result, Applied)
    assert result.status == status and result.outcome.server_version == 4


@pytest.mark.parametrize(
    ("status", "payload", "headers", "expected"),
    [
        (409, err("in_progress"), {"Retry-After": "2"}, InProgress),
        (
            409,
            err("conflict", reason="decided_elsewhere", server_snapshot={"state": "approved"}),
            None,
            Conflict,
        ),
        (422, err("key_reused"), None, KeyReused),
        (422, {"detail": [{"loc": ["body"], "msg": "bad"}]}, None, Rejected),
        (400, err("bad_request"), None, Rejected),
        (403, err("forbidden"), None, Rejected),
        (404, err("not_found"), None, Rejected),
        (413, err("payload_too_large"), None, Rejected),
        (401, err("unauthorized"), None, Unauthorized),
        (429, err("rate_limited"), {"Retry-After": "7"}, Retryable),
        (500, None, None, Retryable),
        (502, None, None, Retryable),
        (503, None, {"Retry-After": "3"}, Retryable),
    ],
)
def test_post_answers_map_to_results(
    status: int, payload: Any, headers: dict[str, str] | None, expected: type
) -> None:
    result = answer(status, payload, headers).post_mutation("k1", body())
    assert isinstance(result, expected), result


def test_conflict_carries_reason_and_snapshot() -> None:
    payload = err("conflict", reason="customer_cancelled", server_snapshot={"state": "cancelled", "id": 9})
    result = answer(409, payload).post_mutation("k1", body())
    assert result == Conflict("customer_cancelled", result.message, {"state": "cancelled", "id": 9})
    assert "409" in result.message


def test_retry_after_seconds_and_http_date() -> None:
    result = answer(429, err("rate_limited"), {"Retry-After": "7"}).post_mutation("k", body())
    assert isinstance(result, Retryable) and result.retry_after == 7.0
    later = format_datetime(NOW + timedelta(seconds=90), usegmt=True)
    result = answer(503, None, {"Retry-After": later}).post_mutation("k", body())
    assert isinstance(result, Retryable) and result.retry_after == 90.0
    result = answer(409, err("in_progress"), {"Retry-After": "2"}).post_mutation("k", body())
    assert isinstance(result, InProgress) and result.retry_after == 2.0


def test_timeouts_and_network_errors_are_retryable() -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    slow = client_for(timeout).post_mutation("k", body())
    assert isinstance(slow, Retryable) and not slow.unreachable
    down = client_for(refused).post_mutation("k", body())
    assert isinstance(down, Retryable) and down.unreachable
    assert isinstance(client_for(refused).get_changes(None, 10), Retryable)


def test_unreadable_success_is_asked_again_never_dropped() -> None:
    result = answer(201, {"what": "is this"}).post_mutation("k", body())
    assert isinstance(result, Retryable)


def test_post_sends_key_token_and_the_exact_body() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json=OUTCOME)

    client = client_for(handler)
    client.post_mutation("key-123", body())
    client.set_token("fresh")
    client.post_mutation("key-123", body())
    first, second = seen
    assert first.url == "https://backend.test/v1/mutations"
    assert first.headers["Idempotency-Key"] == "key-123"
    assert first.headers["Authorization"] == "Bearer tok"
    assert second.headers["Authorization"] == "Bearer fresh"
    assert first.content == second.content  # the same bytes on every retry
    assert json.loads(first.content)["mutation_id"] == str(MUTATION_ID)


def test_get_changes_passes_cursor_and_limit_and_parses_the_page() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"changes": [], "next_cursor": "c2", "has_more": False})

    client = client_for(handler)
    result = client.get_changes("c1", 250)
    assert isinstance(result, ChangesReceived) and result.page.next_cursor == "c2"
    assert dict(seen[0].url.params) == {"cursor": "c1", "limit": "250", "format": "tabular"}
    client.get_changes(None, 5)
    assert dict(seen[1].url.params) == {"limit": "5", "format": "tabular"}


def test_get_changes_errors() -> None:
    assert isinstance(answer(410, err("must_refetch")).get_changes("old", 10), MustRefetch)
    assert isinstance(answer(401, err("unauthorized")).get_changes(None, 10), Unauthorized)
    assert isinstance(answer(503).get_changes(None, 10), Retryable)
    assert isinstance(answer(400, err("bad_request")).get_changes("x", 10), Rejected)
    malformed = answer(200, {"changes": "nope", "next_cursor": "1", "has_more": False}).get_changes(None, 1)
    assert isinstance(malformed, ProtocolError) and "changes" in malformed.message


def test_get_mutation_reconciles() -> None:
    assert isinstance(answer(200, OUTCOME).get_mutation("k"), Applied)
    assert isinstance(answer(404, err("not_found")).get_mutation("k"), NotFound)
    assert isinstance(answer(401, err("unauthorized")).get_mutation("k"), Unauthorized)
    assert isinstance(answer(409, err("in_progress")).get_mutation("k"), InProgress)
