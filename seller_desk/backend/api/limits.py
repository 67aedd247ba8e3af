"""What the API refuses before any service sees it: oversized bodies and text no database can store.

``BodySizeLimit``: FastAPI reads a body whole before validating it, so without a cap one request could
hold the server's memory. A declared ``Content-Length`` above the cap is refused at once; a body
without one (chunked) is read here up to the cap, then handed on, and refused as soon as it passes
the cap. The answer is ``413`` with the wire's ``ErrorBody``.

``check_storable``: JSON may carry a NUL character (``\\u0000``) or a lone UTF-16 surrogate (``\\ud800``).
PostgreSQL rejects NUL in text columns and neither database can encode a lone surrogate, so such
input would otherwise surface as a 500 from deep inside a transaction; likewise a time such as
9999-12-31T23:59-23:59, valid ISO 8601 but past year 9999 in UTC, where timestamps are stored. It is a
client's bad input: ``400`` naming the field.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from seller_desk.backend.errors import bad_request
from seller_desk.wire import ErrorBody, ErrorCode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 1024 * 1024


class BodySizeLimit:
    """``streamed``: paths whose route streams its own body to disk with its own cap (report imports)."""

    def __init__(
        self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES, streamed: frozenset[str] = frozenset()
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.streamed = streamed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in self.streamed:
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None:
            if declared > self.max_bytes:
                await self._refuse(send)
                return
            await self.app(scope, receive, send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body.extend(message.get("body", b""))
            if len(body) > self.max_bytes:
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(bytes(body), receive), send)

    async def _refuse(self, send: Send) -> None:
        error = ErrorBody(
            error=ErrorCode.PAYLOAD_TOO_LARGE,
            message=f"the request body is larger than {self.max_bytes} bytes",
            field="body",
        )
        payload = json.dumps(error.model_dump(mode="json")).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                   (b"connection", b"close")]  # fmt: skip
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _bad_text(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _bad_time(moment: datetime) -> bool:
    """A time that cannot make the round trip through epoch seconds (beyond year 1 or 9999 in UTC)."""
    try:
        utc = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        datetime.fromtimestamp(int(utc.timestamp()), UTC)
    except (OverflowError, ValueError, OSError):
        return True
    return False


def check_storable(value: Any, path: str = "") -> None:
    """Raise ``400`` at the first value under ``value`` that no database column can hold: text with
    a NUL or a lone surrogate (object keys too), or a time outside years 1-9999 once in UTC."""
    where = path or "body"
    if isinstance(value, str):
        if _bad_text(value):
            raise bad_request(f"{where}: text with a NUL character or a lone surrogate", where)
    elif isinstance(value, datetime):
        if _bad_time(value):
            raise bad_request(f"{where}: a time outside the years 1-9999 (UTC)", where)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            check_storable(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and _bad_text(key):
                raise bad_request(f"{where}: a key with a NUL character or a lone surrogate", where)
            check_storable(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_storable(item, f"{path}.{index}" if path else str(index))
