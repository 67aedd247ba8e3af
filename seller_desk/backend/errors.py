"""The errors the backend's services raise on purpose.

``ApiError`` is an answer that refuses a request: an HTTP status and the wire's ``ErrorBody``.
Services raise it for every refusal they can name (a conflict, a bad field, a foreign target); the
API layer turns it into a response as is. Anything else that escapes a service is a server fault:
the transaction rolls back, nothing is stored, and the client retries.

``IngestError`` is an upstream record the backend cannot take (ingest has no HTTP caller yet: the
simulator and importers call it in process), naming the record and why.
"""

from __future__ import annotations

from typing import Any

from seller_desk.wire import ErrorBody, ErrorCode


class IngestError(ValueError):
    pass


class ApiError(Exception):
    def __init__(self, status: int, body: ErrorBody, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {body.error.value}: {body.message}")
        self.status = status
        self.body = body
        self.headers = headers or {}

    def json_body(self) -> dict[str, Any]:
        return self.body.model_dump(mode="json")


def bad_request(message: str, field: str | None = None) -> ApiError:
    return ApiError(400, ErrorBody(error=ErrorCode.BAD_REQUEST, message=message, field=field))


def unauthorized(message: str) -> ApiError:
    body = ErrorBody(error=ErrorCode.UNAUTHORIZED, message=message, field="Authorization")
    return ApiError(401, body, {"WWW-Authenticate": "Bearer"})


def forbidden(message: str, field: str | None = None) -> ApiError:
    return ApiError(403, ErrorBody(error=ErrorCode.FORBIDDEN, message=message, field=field))


def not_found(message: str, field: str | None = None) -> ApiError:
    return ApiError(404, ErrorBody(error=ErrorCode.NOT_FOUND, message=message, field=field))


def conflict(reason: str, message: str, snapshot: dict[str, Any] | None) -> ApiError:
    body = ErrorBody(
        error=ErrorCode.CONFLICT, message=message, field="target", reason=reason, server_snapshot=snapshot
    )
    return ApiError(409, body)


def in_progress(message: str) -> ApiError:
    body = ErrorBody(error=ErrorCode.IN_PROGRESS, message=message, field="Idempotency-Key")
    return ApiError(409, body, {"Retry-After": "1"})


def key_reused(message: str, field: str = "Idempotency-Key") -> ApiError:
    return ApiError(422, ErrorBody(error=ErrorCode.KEY_REUSED, message=message, field=field))


def must_refetch(message: str) -> ApiError:
    return ApiError(410, ErrorBody(error=ErrorCode.MUST_REFETCH, message=message, field="cursor"))
