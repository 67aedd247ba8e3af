"""Typed answers of the backend: every HTTP outcome the sync engine acts on is one of these.

The client maps status codes and error bodies to these values once, so the push worker and the pull
loop are plain ``match`` statements over meanings ("retry later, same key") rather than over numbers,
and no caller ever sees an ``httpx`` exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seller_desk.sync.pages import ParsedPage
from seller_desk.wire import MutationOutcome


@dataclass(frozen=True, slots=True)
class Applied:
    """201: applied now; 200: the stored response of an earlier application (a replay)."""

    status: int
    outcome: MutationOutcome


@dataclass(frozen=True, slots=True)
class InProgress:
    """409 in_progress: the same key is still being processed; retry later with the same key."""

    message: str
    retry_after: float | None = None


@dataclass(frozen=True, slots=True)
class KeyReused:
    """422 key_reused: the same key came with another body. A bug; surfaced, never retried."""

    message: str


@dataclass(frozen=True, slots=True)
class Conflict:
    """409 conflict: the backend refused the act because the world changed (``reason``)."""

    reason: str
    message: str
    snapshot: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    """400/403/404/413 (and other 4xx): refused for good; shown to the seller."""

    status: int
    message: str


@dataclass(frozen=True, slots=True)
class Unauthorized:
    """401: the token is missing, unknown or revoked; refresh it, then retry."""

    message: str


@dataclass(frozen=True, slots=True)
class Retryable:
    """429, 5xx, a timeout or a network error: try again later with the same key.

    ``unreachable`` is true when no connection could be made at all (the backend is down or we are
    offline); a timeout after connecting is not, because the server may have received the request.
    """

    message: str
    retry_after: float | None = None
    unreachable: bool = False


@dataclass(frozen=True, slots=True)
class MustRefetch:
    """410 must_refetch: the cursor is older than the backend's change log; rebuild the mirrors."""

    message: str


@dataclass(frozen=True, slots=True)
class NotFound:
    """404 on ``GET /v1/mutations/{key}``: the backend holds no outcome under that key."""

    message: str


@dataclass(frozen=True, slots=True)
class ChangesReceived:
    page: ParsedPage


@dataclass(frozen=True, slots=True)
class ProtocolError:
    """A 2xx answer that does not have the protocol's shape (e.g. a malformed changes page)."""

    message: str


@dataclass(frozen=True, slots=True)
class BatchUnsupported:
    """404/405 on ``POST /v1/mutations/batch``: a backend from before the batch endpoint."""

    message: str


@dataclass(frozen=True, slots=True)
class BatchRefused:
    """The batch as a whole was refused as bad input (400, 413, another 4xx): each item is then sent
    alone, so that only the item at fault is rejected and the others still flow."""

    message: str


PostResult = Applied | InProgress | KeyReused | Conflict | Rejected | Unauthorized | Retryable
ChangesResult = ChangesReceived | MustRefetch | Unauthorized | Retryable | Rejected | ProtocolError
BatchResult = list[PostResult] | Unauthorized | Retryable | BatchUnsupported | BatchRefused
LookupResult = Applied | InProgress | NotFound | Unauthorized | Retryable | Rejected | ProtocolError
