"""The client's side of token refresh: exchange the device token, use the access token, and on a
``401`` exchange again and resend the *same* request (key and bytes) once — never drop, never loop."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from seller_desk.sync.client import SyncClient
from seller_desk.sync.results import Applied, ChangesReceived, Retryable, Unauthorized
from tests.sync.test_client import NOW, OUTCOME, body, err

DEVICE = "device-token"


@dataclass
class TokenServer:
    """Issues ``access-N``; only the newest one is live (older ones are answered token_expired)."""

    exchange_status: int = 200
    device_ok: bool = True
    issued: int = 0
    seen: list[httpx.Request] = field(default_factory=list)

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if request.url.path == "/v1/auth/token":
            if self.exchange_status != 200:
                return httpx.Response(self.exchange_status, json=err("internal"))
            if bearer != DEVICE or not self.device_ok:
                return httpx.Response(401, json=err("unauthorized"))
            self.issued += 1
            grant = {"access_token": f"access-{self.issued}", "token_type": "bearer",
                     "expires_at": NOW.isoformat(), "expires_in": 60}  # fmt: skip
            return httpx.Response(200, json=grant)
        if bearer != f"access-{self.issued}":
            return httpx.Response(401, json=err("token_expired"))
        if request.url.path == "/v1/mutations":
            return httpx.Response(201, json=OUTCOME)
        return httpx.Response(200, json={"changes": [], "next_cursor": "c", "has_more": False})

    def client(self) -> SyncClient:
        transport = httpx.MockTransport(self.handler)
        return SyncClient("https://backend.test", DEVICE, transport=transport, exchange_tokens=True)

    def paths(self) -> list[str]:
        return [r.url.path for r in self.seen]


def test_the_access_token_is_used_and_an_expired_one_is_replaced_and_the_request_resent() -> None:
    server = TokenServer()
    client = server.client()
    assert isinstance(client.post_mutation("key-1", body()), Applied)
    assert server.paths() == ["/v1/auth/token", "/v1/mutations"]
    assert server.seen[1].headers["Authorization"] == "Bearer access-1"

    server.issued += 1  # the backend moved on: access-1 is now expired
    assert isinstance(client.post_mutation("key-2", body()), Applied)
    refused, exchanged, resent = server.seen[2:]
    assert [refused.url.path, exchanged.url.path, resent.url.path] == [
        "/v1/mutations", "/v1/auth/token", "/v1/mutations",
    ]  # fmt: skip
    assert resent.headers["Idempotency-Key"] == refused.headers["Idempotency-Key"] == "key-2"
    assert resent.content == refused.content
    assert resent.headers["Authorization"] == "Bearer access-3" and client.exchanges == 2


def test_a_backend_without_the_exchange_gets_the_device_token() -> None:
    def old_backend(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/auth/token":
            return httpx.Response(404, json=err("not_found"))
        assert request.headers["Authorization"] == f"Bearer {DEVICE}"
        return httpx.Response(200, json={"changes": [], "next_cursor": "c", "has_more": False})

    client = SyncClient(
        "https://backend.test", DEVICE, transport=httpx.MockTransport(old_backend), exchange_tokens=True
    )
    assert isinstance(client.get_changes(None, 5), ChangesReceived)
    assert isinstance(client.get_changes(None, 5), ChangesReceived)
    assert client.exchanges == 0


def test_a_refused_device_token_is_unauthorized_after_one_exchange_no_loop() -> None:
    server = TokenServer()
    client = server.client()
    assert isinstance(client.get_changes(None, 5), ChangesReceived)
    server.device_ok = False
    server.issued += 1  # access-1 expired, and the device was revoked
    assert isinstance(client.post_mutation("key-1", body()), Unauthorized)
    assert server.paths()[2:] == ["/v1/mutations", "/v1/auth/token"]
    assert isinstance(client.get_changes(None, 5), Unauthorized)
    assert server.paths()[4:] == ["/v1/auth/token"]  # no data request without a token


def test_a_failing_exchange_means_retry_later_never_a_rejection() -> None:
    for status in (400, 500, 503):
        server = TokenServer(exchange_status=status)
        answer = server.client().post_mutation("key-1", body())
        assert isinstance(answer, Retryable), (status, answer)
        assert "exchanging the device token" in answer.message
        assert server.paths() == ["/v1/auth/token"]


def test_a_new_device_token_drops_the_access_token() -> None:
    server = TokenServer()
    client = server.client()
    client.get_changes(None, 5)
    client.set_token(DEVICE)  # the keyring was re-read
    client.get_changes(None, 5)
    assert server.paths() == ["/v1/auth/token", "/v1/changes", "/v1/auth/token", "/v1/changes"]


def test_without_exchange_the_device_token_is_the_bearer() -> None:
    server = TokenServer()
    client = SyncClient("https://backend.test", DEVICE, transport=httpx.MockTransport(server.handler))
    assert isinstance(client.get_changes(None, 5), Unauthorized)  # this server wants access tokens
    assert server.paths() == ["/v1/changes"]
