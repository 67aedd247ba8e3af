"""The HTTP client of the sync protocol: three calls, each answered with a typed result.

* ``get_changes(cursor, limit)`` → ``ChangesReceived`` (a parsed page) | ``MustRefetch`` | ...
* ``post_mutation(key, body)`` → ``Applied`` | ``InProgress`` | ``KeyReused`` | ``Conflict`` | ...
* ``get_mutation(key)`` → the stored outcome, to reconcile after a long outage.

No exception of ``httpx`` leaves this module: timeouts and network errors become ``Retryable`` (with
``unreachable`` when no connection was made), so the engine's state machine has one input type. The
bearer token can be replaced while the client lives (token refresh on 401), and HTTPS verifies against
the system's CAs or a given CA file (a backend with a private certificate authority).
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
from pydantic import ValidationError

from seller_desk import __version__
from seller_desk.sync.backoff import parse_retry_after
from seller_desk.sync.pages import MalformedPage, parse_page
from seller_desk.sync.results import (
    Applied,
    ChangesReceived,
    ChangesResult,
    Conflict,
    InProgress,
    KeyReused,
    LookupResult,
    MustRefetch,
    NotFound,
    PostResult,
    ProtocolError,
    Rejected,
    Retryable,
    Unauthorized,
)
from seller_desk.wire import ErrorBody, ErrorCode, MutationIn, MutationOutcome

# Connecting should be quick or not at all; a page of changes or a mutation may take the server a while.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0, pool=5.0)
_UNREACHABLE = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def _verify(ca_file: str | Path | None) -> ssl.SSLContext | bool:
    if ca_file is None:
        return True
    return ssl.create_default_context(cafile=str(ca_file))


class SyncClient:
    """One backend, one device token. Thread-safe for concurrent calls (httpx's client is)."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        ca_file: str | Path | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._now = now
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            verify=_verify(ca_file),
            transport=transport,
            headers={"User-Agent": f"seller-desk/{__version__}", "Accept": "application/json"},
        )

    @property
    def token(self) -> str | None:
        return self._token

    def set_token(self, token: str | None) -> None:
        self._token = token

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- calls -----------------------------------------------------------------------------------------
    def get_changes(self, cursor: str | None, limit: int) -> ChangesResult:
        # The tabular form is several times cheaper to decode; a backend that ignores it sends objects.
        params: dict[str, str | int] = {"limit": limit, "format": "tabular"}
        if cursor is not None:
            params["cursor"] = cursor
        response = self._request("GET", "/v1/changes", params=params)
        if not isinstance(response, httpx.Response):
            return response
        if response.status_code == 200:
            try:
                return ChangesReceived(parse_page(response.content))
            except MalformedPage as exc:
                return ProtocolError(f"GET /v1/changes: {exc}")
        error = self._error(response)
        if isinstance(error, (Conflict, InProgress, KeyReused, NotFound)):
            return Rejected(response.status_code, self._message(response))
        return error

    def post_mutation(self, key: str, body: MutationIn) -> PostResult:
        response = self._request(
            "POST",
            "/v1/mutations",
            content=body.model_dump_json().encode(),
            headers={"Idempotency-Key": key, "Content-Type": "application/json"},
        )
        if not isinstance(response, httpx.Response):
            return response
        if response.status_code in (200, 201):
            outcome = self._outcome(response)
            # A success we cannot read is still a success on the server: ask again (same key, replay).
            return outcome if outcome is not None else Retryable("unreadable answer to POST /v1/mutations")
        error = self._error(response)
        if isinstance(error, (MustRefetch, NotFound)):
            return Rejected(response.status_code, error.message)
        return error

    def get_mutation(self, key: str) -> LookupResult:
        response = self._request("GET", f"/v1/mutations/{key}")
        if not isinstance(response, httpx.Response):
            return response
        if response.status_code in (200, 201):
            outcome = self._outcome(response)
            return outcome if outcome is not None else ProtocolError("unreadable stored outcome")
        error = self._error(response)
        if isinstance(error, (Conflict, KeyReused, MustRefetch)):
            return Rejected(response.status_code, error.message)
        return error  # InProgress: the key's request is still running on the backend

    # -- plumbing --------------------------------------------------------------------------------------
    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response | Retryable:
        headers = dict(kwargs.pop("headers", {}))
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        try:
            return self._http.request(method, path, headers=headers, **kwargs)
        except _UNREACHABLE as exc:
            return Retryable(f"cannot reach {self.base_url}: {exc or type(exc).__name__}", unreachable=True)
        except httpx.TimeoutException as exc:
            return Retryable(f"{method} {path} timed out ({type(exc).__name__})")
        except httpx.HTTPError as exc:
            return Retryable(f"{method} {path} failed: {exc or type(exc).__name__}")

    @staticmethod
    def _outcome(response: httpx.Response) -> Applied | None:
        try:
            return Applied(response.status_code, MutationOutcome.model_validate_json(response.content))
        except ValidationError:
            return None

    @staticmethod
    def _body(response: httpx.Response) -> ErrorBody | None:
        try:
            return ErrorBody.model_validate_json(response.content)
        except ValidationError:
            return None

    def _message(self, response: httpx.Response) -> str:
        body = self._body(response)
        text = body.message if body is not None else response.text[:300].strip()
        return f"{response.status_code} {response.reason_phrase}: {text}".rstrip(": ")

    def _error(
        self, response: httpx.Response
    ) -> Conflict | InProgress | KeyReused | MustRefetch | NotFound | Rejected | Retryable | Unauthorized:
        status = response.status_code
        body = self._body(response)
        code = body.error if body is not None else None
        message = self._message(response)
        retry_after = parse_retry_after(response.headers.get("Retry-After"), self._now())
        if status == 401:
            return Unauthorized(message)
        if status == 409:
            if code == ErrorCode.CONFLICT and body is not None and body.reason:
                return Conflict(body.reason, message, body.server_snapshot)
            return InProgress(message, retry_after)  # in_progress, or a 409 we cannot read: same key later
        if status == 410:
            return MustRefetch(message)
        if status == 422 and code == ErrorCode.KEY_REUSED:
            return KeyReused(message)
        if status == 404:
            return NotFound(message)
        if status == 429 or status >= 500:
            return Retryable(message, retry_after)
        if 400 <= status < 500:
            return Rejected(status, message)
        return Retryable(f"unexpected answer {message}", retry_after)
