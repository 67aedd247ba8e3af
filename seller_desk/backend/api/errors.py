"""Every non-2xx answer carries the wire's ``ErrorBody`` with the offending field named.

* ``ApiError`` (raised by services and dependencies) is answered as is.
* Request validation (malformed JSON, unknown field or kind, wrong type, out-of-range amount, missing
  header) is ``400 bad_request`` with ``field`` the dotted path of the first error ("payload.
  components.0.amount_minor", "Idempotency-Key", "limit"; "items[3].mutation.target" in a batch) —
  not FastAPI's default 422, which this protocol reserves for ``key_reused``.
* Starlette's own HTTP errors (unknown path, wrong method) keep their status with an ErrorBody.
* A database that is busy or unreachable is ``503 unavailable`` with ``Retry-After``: retryable.
* Anything else is a server fault: logged with its traceback and answered ``500 internal``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from seller_desk.backend.errors import ApiError
from seller_desk.wire import ErrorBody, ErrorCode

log = logging.getLogger("seller_desk.backend.api")

_LOCATIONS = frozenset({"body", "query", "header", "path", "cookie"})
_STATUS_CODES = {401: ErrorCode.UNAUTHORIZED, 403: ErrorCode.FORBIDDEN, 404: ErrorCode.NOT_FOUND,
                 413: ErrorCode.PAYLOAD_TOO_LARGE, 429: ErrorCode.RATE_LIMITED}  # fmt: skip


def error_response(status: int, body: ErrorBody, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def field_of(loc: Sequence[Any]) -> str:
    """``('body', 'payload', 'components', 0, 'amount_minor')`` -> ``'payload.components.0.amount_minor'``."""
    parts = list(loc)
    if parts and parts[0] in _LOCATIONS:
        where = parts.pop(0)
        if not parts or (where == "body" and all(isinstance(p, int) for p in parts)):
            return "body"
    if len(parts) >= 2 and parts[0] == "items" and isinstance(parts[1], int):  # a batch's item: items[3]
        return ".".join([f"items[{parts[1]}]", *(str(p) for p in parts[2:])])
    return ".".join(str(p) for p in parts)


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.body, exc.headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    first = errors[0] if errors else {"loc": ("body",), "msg": "invalid request", "type": "value_error"}
    field = field_of(first.get("loc", ("body",)))
    if first.get("type") == "json_invalid":
        message = "the body is not valid JSON"
    else:
        message = f"{field}: {first.get('msg', 'invalid value')}"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return error_response(400, ErrorBody(error=ErrorCode.BAD_REQUEST, message=message, field=field))


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _STATUS_CODES.get(exc.status_code, ErrorCode.BAD_REQUEST)
    body = ErrorBody(error=code, message=str(exc.detail))
    return error_response(exc.status_code, body, dict(exc.headers or {}))


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable while serving %s %s: %s", request.method, request.url.path, exc)
    body = ErrorBody(error=ErrorCode.UNAVAILABLE, message="the database is busy or unreachable; retry later")
    return error_response(503, body, {"Retry-After": "2"})


async def _server_fault(request: Request, exc: Exception) -> JSONResponse:
    log.error("server fault on %s %s", request.method, request.url.path, exc_info=exc)
    body = ErrorBody(error=ErrorCode.INTERNAL, message="the server failed; nothing was stored; retry later")
    return error_response(500, body)


class ServerFaultMiddleware:
    """Answers an unexpected exception with ``500 internal`` itself and does not re-raise it.

    Starlette's outermost error middleware re-raises after sending its 500, and uvicorn then drops the
    connection; a client could see that as a reset before it read the answer (it did in CI). A fault
    after the response started cannot be answered again and is re-raised as before.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            if started:
                raise
            response = await _server_fault(Request(scope), exc)
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(Exception, _server_fault)
    app.add_middleware(ServerFaultMiddleware)
