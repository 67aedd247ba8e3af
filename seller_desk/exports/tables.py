"""Streaming a table of rows to CSV or XLSX, chosen by the file's extension, never holding it whole.

CSV is what scripts read: UTF-8 with a byte-order mark (so Excel opens accented titles right), ISO
times, money as a decimal string beside its currency. XLSX is what people open: openpyxl's write-only
workbook streams rows to disk as they come (memory stays flat at a million rows), money goes in as a
numeric cell holding the exact decimal text (never through a binary float), times as dates.
The file appears only when complete: rows go to a temporary file beside it, renamed at the end.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Generator, Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

FORMATS = {".csv": "CSV", ".xlsx": "Excel workbook"}
Cell = str | int | Decimal | datetime | None


class ExportError(Exception):
    """The file cannot be written (unknown extension, unwritable place); names the file."""


def export_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(
            f"{path}: cannot export to {suffix or 'a file without an extension'}; use .csv or .xlsx"
        )
    return suffix


PROGRESS_EVERY = 10_000
Steps = Generator[int, None, int]  # yields rows written so far now and then; returns the total


def write_table(
    path: Path, headers: Sequence[str], rows: Iterable[Sequence[Cell]], *, sheet: str = "Sheet1"
) -> int:
    """Write ``headers`` then ``rows`` to ``path`` (.csv or .xlsx); how many rows it wrote."""
    steps = table_steps(path, headers, rows, sheet=sheet)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return int(done.value)


def table_steps(
    path: Path, headers: Sequence[str], rows: Iterable[Sequence[Cell]], *, sheet: str = "Sheet1"
) -> Steps:
    """``write_table`` as a generator: it yields the count every ``PROGRESS_EVERY`` rows (a progress
    bar, a chance to cancel: closing the generator leaves no file behind)."""
    suffix = export_format(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"{path}: {exc.strerror or exc}") from exc
    os.close(fd)
    temp = Path(temp_name)
    try:
        writer = _write_csv if suffix == ".csv" else _write_xlsx
        count = yield from writer(temp, headers, rows, sheet)
        os.replace(temp, path)
    except OSError as exc:
        raise ExportError(f"{path}: {exc.strerror or exc}") from exc
    finally:
        temp.unlink(missing_ok=True)
    return count


def _write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Cell]], _sheet: str) -> Steps:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_cell(value) for value in row])
            count += 1
            if count % PROGRESS_EVERY == 0:
                yield count
    return count


def _csv_cell(value: Cell) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value


def _write_xlsx(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Cell]], sheet: str) -> Steps:
    from openpyxl import Workbook  # only when a spreadsheet is asked for: ~60 ms to import

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.freeze_panes = "A2"
    worksheet.append(list(headers))
    count = 0
    for row in rows:
        worksheet.append([_xlsx_cell(worksheet, value) for value in row])
        count += 1
        if count % PROGRESS_EVERY == 0:
            yield count
    workbook.save(path)
    return count


def _xlsx_cell(worksheet: Any, value: Cell) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones: the header says which one
    if isinstance(value, Decimal):
        # openpyxl prints numbers with "%.16g", through a float (83.99 became 83.98999999999999):
        # a numeric cell holding the decimal's own text keeps the file exact.
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(worksheet, value=str(value))
        cell.data_type = "n"
        return cell
    return value
