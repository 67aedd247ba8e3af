"""A returns report sent to the backend (``POST /v1/imports``): read with the desktop's importers,
written through the feed writer in one transaction per file, answered with the CLI's summary.

The rules match the desktop's offline import: valid rows are written and bad ones reported, or with
``strict`` nothing is written when any row is bad; a file that is no returns report at all writes
nothing. Each RMA is written inside a savepoint, so a record the domain refuses (an invariant the
row readers cannot see) becomes that row's error instead of failing the whole file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from seller_desk.backend.errors import IngestError
from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.backend.ingest.report_items import ItemCounts, ingest_report_items
from seller_desk.backend.store import Database
from seller_desk.domain.errors import DomainError
from seller_desk.importers import ReturnItem, RowError, open_report

BATCH = 500


class _StrictRefusal(Exception):
    """Roll the file's transaction back: strict mode and a bad row, or a header the file cannot be read
    by."""


def import_report_file(
    db: Database, seller_id: int, now: Callable[[], datetime], path: Path, name: str, *, strict: bool,
    marketplace: str,
) -> dict[str, Any]:  # fmt: skip
    """Import ``path`` (uploaded as ``name``) for the seller; the summary as ``import --json`` prints it."""
    counts = ItemCounts()
    errors: list[RowError] = []
    with open_report(path) as report:
        summary: dict[str, Any] = {"file": name, "format": report.format.value if report.format else None}
        if report.refused is not None:
            errors.append(report.refused)
            return {**summary, "rows": 0, "imported": 0, "updated": 0, "skipped": 0, "committed": False,
                    "errors": [e.as_json() for e in errors]}  # fmt: skip
        try:
            with db.writing() as session:
                writer = FeedWriter.open(session, seller_id, now())
                pending: list[ReturnItem] = []
                for item, row_errors in report:
                    errors.extend(row_errors)
                    if item is not None:
                        pending.append(item)
                    if len(pending) >= BATCH:
                        _write(writer, pending, marketplace, counts, errors)
                _write(writer, pending, marketplace, counts, errors)
                if report.refused is not None or (strict and errors):
                    raise _StrictRefusal
            committed = True
        except _StrictRefusal:
            committed, counts = False, ItemCounts()
        rows = report.rows
    tally = {"imported": counts.imported, "updated": counts.updated, "skipped": counts.skipped}
    return {**summary, "rows": rows, **tally, "committed": committed, "errors": [e.as_json() for e in errors]}


def _write(
    writer: FeedWriter,
    pending: list[ReturnItem],
    marketplace: str,
    counts: ItemCounts,
    errors: list[RowError],
) -> None:
    by_rma: dict[str, list[ReturnItem]] = {}
    for item in pending:
        by_rma.setdefault(item.rma, []).append(item)
    for items in by_rma.values():
        try:
            with writer.session.begin_nested():
                ingest_report_items(writer, items, marketplace, counts)
        except (IngestError, DomainError) as exc:
            errors.extend(RowError(item.line, None, str(exc)) for item in items)
    pending.clear()
