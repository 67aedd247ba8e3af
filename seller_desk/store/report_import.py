"""Import one returns report file into the local store: one transaction per file, every bad row named.

The file is streamed (``importers.open_report``) and written in batches (``report_rows.BatchWriter``)
inside a single ``BEGIN IMMEDIATE`` transaction, so a crash, a cancel or a ``strict`` refusal leaves
the store exactly as it was, and memory stays flat whatever the file's size. By default the valid
rows are committed and the rejected ones reported; ``strict`` commits nothing when any row is bad
(every bad row is still reported, so the seller fixes them all at once).

This is the offline path: a desktop connected to a backend sends the file there instead, so the team
sees it (``POST /v1/imports``), and its rows come back through the pull like any other change.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seller_desk.importers import ReturnItem, RowError, open_report
from seller_desk.store.bulk_indexes import indexes_deferred, worth_deferring
from seller_desk.store.engine import writer
from seller_desk.store.report_rows import BatchWriter
from seller_desk.store.uow import Store

BATCH = 2_000
Progress = Callable[[int, int], None]  # bytes read, file size


class ImportCancelled(Exception):
    """The seller cancelled; the file's transaction was rolled back."""


@dataclass
class ImportOutcome:
    """What became of one file (CLI.md ``import --json``)."""

    file: str
    format: str | None
    rows: int = 0
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False

    @property
    def rejected(self) -> int:
        return len({e.line for e in self.errors})

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file, "format": self.format, "rows": self.rows, "imported": self.imported,
            "updated": self.updated, "skipped": self.skipped, "committed": self.committed,
            "errors": [e.as_json() for e in self.errors],
        }  # fmt: skip


def import_report(
    store: Store,
    path: Path,
    *,
    strict: bool = False,
    default_marketplace: str = "US",
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportOutcome:
    """Import ``path``; raises ``ImportCancelled`` when ``cancelled()`` turns true (nothing written)."""
    steps = import_steps(store, path, strict=strict, default_marketplace=default_marketplace)
    while True:
        try:
            done, size = next(steps)
        except StopIteration as finished:
            return finished.value  # type: ignore[no-any-return]
        if progress is not None:
            progress(done, size)
        if cancelled is not None and cancelled():
            steps.close()  # rolls the file's transaction back
            raise ImportCancelled("the import was cancelled; nothing from this file was saved")


def import_steps(
    store: Store, path: Path, *, strict: bool = False, default_marketplace: str = "US"
) -> Generator[tuple[int, int], None, ImportOutcome]:
    """The import as a generator: yields (bytes read, file size) after each batch, returns the outcome.
    Closing it before the end (a cancel) rolls the file's transaction back."""
    with open_report(path) as report:
        outcome = ImportOutcome(str(path), report.format.value if report.format else None)
        if report.refused is not None:
            outcome.errors.append(report.refused)
            return outcome
        with writer(store.engine).connect() as conn, conn.begin() as transaction:
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            with indexes_deferred(raw, worth_deferring(raw, report.size)):
                rows = BatchWriter(raw, default_marketplace)
                pending: list[ReturnItem] = []
                for item, errors in report:
                    outcome.errors.extend(errors)
                    if item is not None:
                        pending.append(item)
                    if len(pending) >= BATCH:
                        rows.write(pending)
                        pending.clear()
                        yield report.position, report.size
                rows.write(pending)
                yield report.size, report.size
                outcome.rows = report.rows
                if report.refused is not None or (strict and outcome.errors):
                    transaction.rollback()
                    return outcome
                outcome.imported, outcome.updated = rows.counts.imported, rows.counts.updated
                outcome.skipped = rows.counts.skipped
                outcome.committed = True
        return outcome
