"""Open any returns report: detect its format from its first line, then stream its records.

Detection never trusts the file name: a line starting with ``<`` is the XML report; otherwise the
header's columns say which flat file it is (columns only the MFN file has, such as Amazon RMA ID, or
only the FBA file, such as license-plate-number). A file that is neither is refused with the columns
it has.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from seller_desk.importers import fba, mfn_flat
from seller_desk.importers.mfn_xml import MfnXmlRows
from seller_desk.importers.records import ReportFormat, ReturnItem, RowError
from seller_desk.importers.row_reader import FileRefused, RowReader
from seller_desk.importers.text_lines import TextLines
from seller_desk.importers.vocabulary import squash


def detect(first_line: str) -> ReportFormat | None:
    if first_line.lstrip().startswith("<"):
        return ReportFormat.MFN_XML
    columns = {squash(cell) for cell in first_line.split("\t")}
    if columns & fba.SIGNATURE:
        return ReportFormat.FBA
    if columns & mfn_flat.SIGNATURE:
        return ReportFormat.MFN_FLAT
    return None


_READERS: dict[ReportFormat, type[RowReader]] = {
    ReportFormat.MFN_FLAT: mfn_flat.MfnFlatRows,
    ReportFormat.MFN_XML: MfnXmlRows,
    ReportFormat.FBA: fba.FbaRows,
}


@dataclass
class Report:
    """One open report file. Iterate it once for (record or None, errors) per row; ``rows`` counts
    data rows seen, ``position``/``size`` are bytes for a progress bar."""

    path: Path
    format: ReportFormat | None
    size: int
    _lines: TextLines
    _pending: Iterator[tuple[int, str]]
    rows: int = 0
    refused: RowError | None = field(default=None)

    @property
    def position(self) -> int:
        return self._lines.position

    def __iter__(self) -> Iterator[tuple[ReturnItem | None, list[RowError]]]:
        if self.format is None:
            return
        reader = _READERS[self.format]()
        try:
            for item, errors in reader.rows(self._pending):
                self.rows += 1
                yield item, errors
        except FileRefused as exc:
            self.refused = exc.error
            yield None, [exc.error]

    def close(self) -> None:
        self._lines.close()

    def __enter__(self) -> Report:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_report(path: Path) -> Report:
    """Open ``path`` and detect its format (raises OSError when it cannot be read)."""
    lines = TextLines.open(path)
    numbered = iter(lines)
    first: tuple[int, str] | None = None
    for number, text in numbered:
        if text.strip():
            first = (number, text)
            break
    size = path.stat().st_size
    if first is None:
        report = Report(path, None, size, lines, iter(()))
        report.refused = RowError(1, None, "the file is empty")
        return report
    found = detect(first[1])
    report = Report(path, found, size, lines, itertools.chain([first], numbered))
    if found is None:
        shown = ", ".join(c.strip() for c in first[1].split("\t")[:8] if c.strip())[:200]
        report.refused = RowError(
            first[0],
            None,
            f"not a returns report this app reads (MFN flat, MFN XML or FBA); it starts {shown!r}",
        )
    return report
