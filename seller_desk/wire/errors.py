"""Every non-2xx answer of the backend has this JSON body: a code, a sentence, and where."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorCode(StrEnum):
    BAD_REQUEST = "bad_request"  # 400: malformed JSON, unknown field, wrong type, rule broken for good
    UNAUTHORIZED = "unauthorized"  # 401: missing, unknown or revoked token
    TOKEN_EXPIRED = "token_expired"  # 401: an access token past its expiry; exchange the device token again
    FORBIDDEN = "forbidden"  # 403: the target belongs to another seller, or the act is not allowed
    NOT_FOUND = "not_found"  # 404
    IN_PROGRESS = "in_progress"  # 409: same idempotency key still running; retry later, same key
    CONFLICT = "conflict"  # 409: see ``reason`` and ``server_snapshot``
    MUST_REFETCH = "must_refetch"  # 410: cursor too old; rebuild mirrors
    PAYLOAD_TOO_LARGE = "payload_too_large"  # 413
    KEY_REUSED = "key_reused"  # 422: same idempotency key, different body
    RATE_LIMITED = "rate_limited"  # 429
    INTERNAL = "internal"  # 500: a fault of the server; retry with backoff, same key
    UNAVAILABLE = "unavailable"  # 503: the database is busy or unreachable; retry with backoff


ConflictReason = str  # decided_elsewhere | customer_cancelled | auto_refunded | claim_opened |
# version_mismatch | over_refund


class ErrorBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    error: ErrorCode
    message: str = Field(description="a sentence for a person: what was wrong and where")
    field: str | None = Field(default=None, description="dotted path of the offending field, if any")
    reason: str | None = Field(default=None, description="for 409 conflict: why")
    server_snapshot: dict[str, Any] | None = Field(default=None, description="for 409 conflict")
