"""Send a returns report to the connected backend (``POST /v1/imports``) instead of the local store.

A desktop connected to a backend is a replica: its mirror tables are written by the pull alone, with
the backend's ids, so a report imported locally would collide with them. The file goes to the backend,
which imports it for the whole team, and its rows come back with the next pull. The body is streamed
from disk in 1 MiB chunks (a 100 MB report is never held whole), reporting progress and stopping at
the next chunk when cancelled; the answer is the same summary ``store.report_import`` gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from seller_desk.sync.client import SyncClient
from seller_desk.sync.results import Rejected, Retryable

CHUNK = 1 << 20
UPLOAD_TIMEOUT_S = 900.0  # the backend answers once the whole file is imported


class UploadCancelled(Exception):
    """The seller cancelled while the file was being sent; the backend imports nothing of it."""


@dataclass
class _FileBody:
    """The file's bytes, re-readable (a retry after a token refresh sends them again)."""

    path: Path
    progress: Callable[[int, int], None] | None
    cancelled: Callable[[], bool] | None

    def __iter__(self) -> Iterator[bytes]:
        size = self.path.stat().st_size
        sent = 0
        with self.path.open("rb") as source:
            while chunk := source.read(CHUNK):
                if self.cancelled is not None and self.cancelled():
                    raise UploadCancelled("the import was cancelled while sending; nothing was imported")
                sent += len(chunk)
                yield chunk
                if self.progress is not None:
                    self.progress(sent, size)


def upload_report(
    client: SyncClient,
    path: Path,
    *,
    strict: bool = False,
    marketplace: str = "US",
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> dict[str, Any] | Rejected | Retryable:
    """The backend's summary of the file, or why it was refused (``Rejected``) or could not be sent."""
    params = {"name": path.name, "strict": "true" if strict else "false", "marketplace": marketplace}
    body = _FileBody(path, progress, cancelled)
    response = client.upload("/v1/imports", body, params, UPLOAD_TIMEOUT_S)
    if not isinstance(response, httpx.Response):
        return response
    if response.status_code == 200:
        summary: dict[str, Any] = response.json()
        summary["file"] = str(path)
        return summary
    try:
        message = str(response.json().get("message") or response.reason_phrase)
    except ValueError:
        message = response.reason_phrase
    if response.status_code == 429 or response.status_code >= 500:
        return Retryable(f"the backend could not import {path.name} now ({response.status_code}): {message}")
    return Rejected(response.status_code, message)
