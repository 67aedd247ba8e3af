"""What the API refuses before any service sees it: oversized bodies and text no database can store.

``BodySizeLimit``: FastAPI reads a body whole before validating it, so without a cap one request could
hold the server's memory. A declared ``Content-Length`` above the cap is refused at once; a body
without one (chunked) is read here up to the cap, then handed on, and refused as soon as it passes
the cap. The answer is ``413`` with the wire's ``ErrorBody``.

``check_text``: JSON may carry a NUL character (``\\u0000``) or a lone UTF-16 surrogate (``\\ud800``).
PostgreSQL rejects NUL in text columns and neither database can encode a lone surrogate, so such
input would otherwise surface as a 500 from deep inside a transaction. It is a client's bad input:
``400`` naming the field.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from seller_desk.backend.errors import bad_request
from seller_desk.wire import ErrorBody, ErrorCode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 1024 * 1024


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
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


def _bad(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_text(value: Any, path: str = "") -> None:
    """Raise ``400`` at the first string (or object key) under ``value`` that cannot be stored."""
    if isinstance(value, str):
        if _bad(value):
            raise bad_request(
                f"{path or 'body'}: text with a NUL character or a lone surrogate", path or "body"
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _bad(key):
                raise bad_request(
                    f"{path or 'body'}: a key with a NUL character or a lone surrogate", path or "body"
                )
            check_text(item, child)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_text(item, f"{path}.{index}" if path else str(index))
