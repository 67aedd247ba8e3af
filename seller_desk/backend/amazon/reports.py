"""Pulling the returns reports from the Reports API into the backend (AMAZON.md §4).

A pull covers a period in windows of at most 60 days (a request may cover no more). For each window:
createReport, then getReport until ``DONE``, ``CANCELLED`` or ``FATAL``. ``CANCELLED`` is how Amazon
says there was no data: nothing to import, no error. ``DONE`` names a document whose URL is valid for
five minutes: it is fetched at once, fetched again with a fresh URL if it already expired (403), and
gunzipped when compressed. Each document goes to ``on_report`` — the backend's report import
(``into_backend``), the same reader and ingest as a file a seller uploads.
"""

from __future__ import annotations

import logging
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from seller_desk.backend.amazon.clients import SpApi
from seller_desk.backend.amazon.rate_limits import RateLimiter
from seller_desk.backend.report_imports import import_report_file
from seller_desk.backend.store import Database

log = logging.getLogger(__name__)
RETURNS_REPORTS = (
    "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE",
    "GET_XML_RETURNS_DATA_BY_RETURN_DATE",
    "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA",
)
MAX_WINDOW = timedelta(days=60)
OnReport = Callable[[str, bytes], Any]


class ReportFailed(Exception):
    """Amazon could not produce the report (FATAL), or it never finished in time."""


def windows(
    since: datetime, until: datetime, size: timedelta = MAX_WINDOW
) -> Iterator[tuple[datetime, datetime]]:
    """Consecutive [start, end) windows covering [since, until), none longer than ``size``."""
    start = since
    while start < until:
        end = min(until, start + size)
        yield start, end
        start = end


class ReportPuller:
    def __init__(
        self,
        api: SpApi,
        *,
        limits: RateLimiter | None = None,
        poll_interval_s: float = 30.0,
        patience_s: float = 3600.0,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api = api
        self.limits = limits or RateLimiter(sleep=sleep)
        self.poll_interval_s, self.patience_s = poll_interval_s, patience_s
        self._sleep, self._monotonic = sleep, monotonic

    def pull(self, report_type: str, since: datetime, until: datetime, on_report: OnReport) -> int:
        """Every window's document handed to ``on_report``; how many there were (empty windows: none)."""
        handed = 0
        for start, end in windows(since, until):
            create = partial(self.api.reports.create_report, reportType=report_type,
                             dataStartTime=start.isoformat(), dataEndTime=end.isoformat())  # fmt: skip
            created = self.limits.call("createReport", create)
            report_id = str(created.payload["reportId"])
            status, document_id = self._wait_for(report_id)
            if status == "CANCELLED":
                log.info("%s %s..%s: no data", report_type, start.date(), end.date())
                continue
            if status == "FATAL" or not document_id:
                raise ReportFailed(f"{report_type} for {start.date()}..{end.date()} failed ({status})")
            on_report(report_type, self._document(str(document_id)))
            handed += 1
        return handed

    def _wait_for(self, report_id: str) -> tuple[str, Any]:
        deadline = self._monotonic() + self.patience_s
        while True:
            answer = self.limits.call("getReport", lambda: self.api.reports.get_report(report_id)).payload
            status = str(answer.get("processingStatus", ""))
            if status in ("DONE", "CANCELLED", "FATAL"):
                return status, answer.get("reportDocumentId")
            if self._monotonic() >= deadline:
                raise ReportFailed(f"report {report_id} still {status} after {self.patience_s:.0f} s")
            self._sleep(self.poll_interval_s)

    def _document(self, document_id: str) -> bytes:
        for attempt in (1, 2):
            info = self.limits.call(
                "getReportDocument", lambda: self.api.reports.get_report_document(document_id)
            )
            payload = info.payload
            response = httpx.get(payload["url"], timeout=120)
            if response.status_code == 403 and attempt == 1:
                log.info("report document %s: the URL expired; asking for a fresh one", document_id)
                continue
            response.raise_for_status()
            data = response.content
            if str(payload.get("compressionAlgorithm", "")).upper() == "GZIP":
                data = zlib.decompress(data, 16 + zlib.MAX_WBITS)
            return data
        raise AssertionError("unreachable")  # pragma: no cover


def into_backend(
    db: Database, seller_id: int, clock: Callable[[], datetime], marketplace: str = "US"
) -> OnReport:
    """``on_report`` for a seller: each document imported like an uploaded file; its summary returned."""

    def ingest(report_type: str, data: bytes) -> dict[str, Any]:
        with tempfile.TemporaryDirectory(prefix="seller-desk-report-") as folder:
            path = Path(folder) / report_type
            path.write_bytes(data)
            summary = import_report_file(db, seller_id, clock, path, report_type, strict=False,
                                         marketplace=marketplace)  # fmt: skip
        log.info("%s: %s rows, %s new, %s updated, %s rejected", report_type, summary["rows"],
                 summary["imported"], summary["updated"], len(summary["errors"]))  # fmt: skip
        return summary

    return ingest
