"""The HTTP client of the sync protocol: four calls, each answered with a typed result.

* ``get_changes(cursor, limit)`` → ``ChangesReceived`` (a parsed page) | ``MustRefetch`` | ...
* ``post_mutation(key, body)`` → ``Applied`` | ``InProgress`` | ``KeyReused`` | ``Conflict`` | ...
* ``post_mutations_batch([(key, body), ...])`` → one such answer per item, in order, or what befell
  the whole batch (``Retryable``, ``Unauthorized``, ``BatchUnsupported`` on 404/405, ``BatchRefused``);
* ``get_mutation(key)`` → the stored outcome, to reconcile after a long outage.

No exception of ``httpx`` leaves this module: timeouts and network errors become ``Retryable`` (with
``unreachable`` when no connection was made), so the engine's state machine has one input type. HTTPS
verifies against the system's CAs or a given CA file (a backend with a private certificate authority).

Tokens: the client holds the device token (from the keyring). With ``exchange_tokens`` (what
``connection.open_client`` makes) it trades it at ``POST /v1/auth/token`` for a short-lived access token
and sends that instead; when a call using the access token is answered ``401`` (``token_expired``, or a
restarted backend that no longer knows its signature) it exchanges again and sends the *same* request —
same Idempotency-Key, same body — once more. The backend checks the token before it looks at a request,
so the refused attempt did nothing and nothing is dropped or doubled. A backend without the exchange
(``404``) is called with the device token itself. The device token can be replaced while the client
lives (``set_token``: the engine re-reads the keyring on a 401 that the exchange cannot fix).
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable, Iterable, Sequence
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
    BatchRefused,
    BatchResult,
    BatchUnsupported,
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
from seller_desk.wire import (
    AccessTokenOut,
    ErrorBody,
    ErrorCode,
    MutationBatchIn,
    MutationBatchItem,
    MutationBatchOut,
    MutationIn,
    MutationOutcome,
)

# Connecting should be quick or not at all; a page of changes or a mutation may take the server a while.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0, pool=5.0)
_UNREACHABLE = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
TOKEN_PATH = "/v1/auth/token"
BATCH_PATH = "/v1/mutations/batch"


def _verify(ca_file: str | Path | None) -> ssl.SSLContext | bool:
    if ca_file is None:
        return True
    return ssl.create_default_context(cafile=str(ca_file))


class SyncClient:
    """One backend, one device token. Thread-safe for concurrent calls (httpx's client is; the access
    token is exchanged under a lock, once for all the threads that met the same expired one)."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        ca_file: str | Path | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        exchange_tokens: bool = False,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._now = now
        self._exchange_tokens = exchange_tokens
        self._access: str | None = None  # None: exchange before the next call
        self._access_lock = threading.Lock()
        self.exchanges = 0  # how many access tokens this client obtained (status, tests)
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
        with self._access_lock:
            self._token = token
            self._access = None

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
        return self._post_answer(response)

    def post_mutations_batch(self, items: Sequence[tuple[str, MutationIn]]) -> BatchResult:
        """``POST /v1/mutations/batch``: each item's answer mapped exactly as ``post_mutation`` maps
        the single answer; or what befell the whole batch (every item then shares it)."""
        batch = MutationBatchIn(items=[MutationBatchItem(idempotency_key=k, mutation=m) for k, m in items])
        response = self._request(
            "POST",
            BATCH_PATH,
            content=batch.model_dump_json().encode(),
            headers={"Content-Type": "application/json"},
        )
        if not isinstance(response, httpx.Response):
            return response
        status = response.status_code
        if status == 200:
            try:
                results = MutationBatchOut.model_validate_json(response.content).results
            except ValidationError:
                results = []
            if [r.idempotency_key for r in results] != [k for k, _ in items]:
                return Retryable(f"unreadable answer to POST {BATCH_PATH}")  # resent under the same keys
            return [self._post_answer(httpx.Response(r.status, json=r.body)) for r in results]
        if status in (404, 405):
            return BatchUnsupported(self._message(response))
        error = self._error(response)
        if isinstance(error, (Unauthorized, Retryable)):
            return error
        return BatchRefused(self._message(response))

    def _post_answer(self, response: httpx.Response) -> PostResult:
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

    def upload(
        self, path: str, content: Iterable[bytes], params: dict[str, str], timeout: float
    ) -> httpx.Response | Retryable:
        """POST a streamed body (``content`` is iterated again if the call is retried after a 401)."""
        headers = {"Content-Type": "application/octet-stream"}
        return self._request("POST", path, content=content, params=params, headers=headers, timeout=timeout)

    # -- plumbing --------------------------------------------------------------------------------------
    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response | Retryable:
        headers = dict(kwargs.pop("headers", {}))
        for attempt in (1, 2):
            bearer = self._bearer()
            if isinstance(bearer, (httpx.Response, Retryable)):
                return bearer  # the exchange itself was refused (401) or failed (retry later)
            if bearer:
                headers["Authorization"] = f"Bearer {bearer}"
            response = self._send(method, path, headers=headers, **kwargs)
            if (
                attempt == 1
                and isinstance(response, httpx.Response)
                and response.status_code == 401
                and self._forget_access(bearer)
            ):
                continue  # exchange again, then the same request once more (same key, same body)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response | Retryable:
        try:
            return self._http.request(method, path, **kwargs)
        except _UNREACHABLE as exc:
            return Retryable(f"cannot reach {self.base_url}: {exc or type(exc).__name__}", unreachable=True)
        except httpx.TimeoutException as exc:
            return Retryable(f"{method} {path} timed out ({type(exc).__name__})")
        except httpx.HTTPError as exc:
            return Retryable(f"{method} {path} failed: {exc or type(exc).__name__}")

    # -- access tokens ---------------------------------------------------------------------------------
    def _bearer(self) -> str | httpx.Response | Retryable | None:
        """What goes after ``Bearer``: the access token (exchanged now if there is none yet)."""
        if not self._exchange_tokens or not self._token:
            return self._token
        with self._access_lock:
            if self._access is None:
                got = self._exchange(self._token)
                if not isinstance(got, str):
                    return got
                self._access = got
            return self._access

    def _forget_access(self, used: str | None) -> bool:
        """After a 401: drop the access token ``used`` so the next call exchanges again; False when
        ``used`` was the device token itself (nothing an exchange could fix)."""
        if not self._exchange_tokens or used is None or used == self._token:
            return False
        with self._access_lock:
            if self._access == used:
                self._access = None
        return True

    def _exchange(self, device_token: str) -> str | httpx.Response | Retryable:
        """A fresh access token; the device token itself when the backend has no exchange (404)."""
        response = self._send(
            "POST", TOKEN_PATH, headers={"Authorization": f"Bearer {device_token}"}, content=b""
        )
        if not isinstance(response, httpx.Response):
            return response
        if response.status_code == 404:
            return device_token  # a backend from before the exchange: the device token is the bearer
        if response.status_code == 401:
            return response  # the device token itself is refused: the caller reports Unauthorized
        if response.status_code != 200:
            # Never let a failed exchange read as the call's own answer (a 400 would reject a mutation).
            after = parse_retry_after(response.headers.get("Retry-After"), self._now())
            return Retryable(f"exchanging the device token: {self._message(response)}", after)
        try:
            grant = AccessTokenOut.model_validate_json(response.content)
        except ValidationError:
            return Retryable(f"unreadable answer to POST {TOKEN_PATH}")
        self.exchanges += 1
        return grant.access_token

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
