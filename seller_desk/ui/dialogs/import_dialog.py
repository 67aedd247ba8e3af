"""The import window: which file, how far (by bytes), Cancel; then what became of each file and every
rejected row, with the rejected rows saved to CSV on request.

It never blocks: the files are read and written by ``workers.imports`` on the I/O lane. It stays open
beside the main window (not modal), so the seller can keep looking at returns; while a file is being
written the store's other writes wait for it (one transaction per file).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seller_desk.importers.records import FORMAT_LABELS
from seller_desk.workers import Lane, Op
from seller_desk.workers.imports import ImportProgress, import_files

SHOWN_ERRORS = 500
SUMMARY_COLUMNS = ("File", "Format", "Rows", "New", "Updated", "Unchanged", "Rejected", "Saved")
ERROR_COLUMNS = ("File", "Line", "Column", "Problem")
Done = Callable[[list[dict[str, Any]], str | None], None]


class ImportDialog(QDialog):
    """``ImportDialog(paths, config_dir, on_done, parent).start()``; ``on_done(summaries, backend)``
    runs on the GUI thread once files were imported (also after a cancel, for the files before it)."""

    def __init__(
        self, paths: Sequence[Path], config_dir: Path, on_done: Done, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import Amazon reports")
        self.setAccessibleName("Import Amazon reports")
        self.paths, self._config_dir, self._on_done = list(paths), config_dir, on_done
        self.summaries: list[dict[str, Any]] = []
        self.backend: str | None = None
        self._op: Op[list[dict[str, Any]]] | None = None
        self.heading = QLabel(
            f"Importing {len(self.paths):,} file{'s' if len(self.paths) != 1 else ''}…", self
        )
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.current = QLabel("", self)
        self.current.setAccessibleName("Current file")
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.setAccessibleName("Progress of the current file")
        self.summary = _table(SUMMARY_COLUMNS, self, "What became of each file")
        self.summary.horizontalHeader().setStretchLastSection(False)
        self.summary.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.errors = _table(ERROR_COLUMNS, self, "Rejected rows")
        self.errors_label = QLabel("", self)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop: the file being imported is rolled back, earlier files stay")
        self.save_button = QPushButton("Save rejected rows as CSV…", self)
        self.close_button = QPushButton("Close", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        for widget in (self.heading, self.current, self.bar, self.summary, self.errors_label):
            layout.addWidget(widget)
        layout.addWidget(self.errors, 1)
        layout.addLayout(buttons)
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button.clicked.connect(self._save_errors)
        self.close_button.clicked.connect(self.close)
        self._show_finished(False)
        self.resize(900, 520)

    # -- running ---------------------------------------------------------------------------------------
    def start(self) -> None:
        work = import_files(self.paths, config_dir=self._config_dir)
        self._op = Op(self, work, lane=Lane.IO)
        self._op.progress(self._on_progress).success(self._finish).failure(self._on_failed)
        self._op.cancelled(lambda: self._finish(self.summaries, cancelled=True))
        self._op.run_in_background()

    def cancel(self) -> None:
        if self._op is not None and not self._op.finished:
            self.current.setText(self.current.text() + " — cancelling…")
            self.cancel_button.setEnabled(False)
            self._op.cancel()

    @property
    def running(self) -> bool:
        return self._op is not None and not self._op.finished

    def _on_progress(self, step: ImportProgress) -> None:
        self.summaries, self.backend = list(step.finished), step.backend
        if step.file_index >= step.file_count:
            return
        where = f"to {step.backend}" if step.backend else "into this desktop's store"
        self.current.setText(f"File {step.file_index + 1} of {step.file_count}: <b>{step.name}</b> {where}")
        self.bar.setValue(int(1000 * step.done_bytes / step.size) if step.size else 0)
        self._fill(self.summaries)

    def _finish(self, summaries: list[dict[str, Any]], *, cancelled: bool = False) -> None:
        self.summaries = list(summaries)
        done = len(self.summaries)
        if cancelled:
            left = len(self.paths) - done
            self.heading.setText(f"<b>Cancelled.</b> {done:,} file{'s' if done != 1 else ''} imported; "
                                 f"{left:,} not (the one under way was rolled back).")  # fmt: skip
        else:
            rejected = sum(_rejected(s) for s in self.summaries)
            verdict = "every row imported" if not rejected else f"{rejected:,} rows rejected (listed below)"
            sent = f" Sent to {self.backend}: the rows arrive with the next sync." if self.backend else ""
            self.heading.setText(f"<b>Done.</b> {done:,} file{'s' if done != 1 else ''}, {verdict}.{sent}")
        self.bar.setValue(1000 if not cancelled else self.bar.value())
        self._fill(self.summaries)
        self._show_finished(True)
        if self.summaries:
            self._on_done(self.summaries, self.backend)

    def _on_failed(self, error: BaseException) -> None:
        self.heading.setText(f"<b>The import stopped:</b> {error}")
        self._fill(self.summaries)
        self._show_finished(True)

    def _show_finished(self, finished: bool) -> None:
        self.cancel_button.setVisible(not finished)
        self.close_button.setVisible(finished)
        self.save_button.setVisible(finished)
        self.save_button.setEnabled(any(s["errors"] for s in self.summaries))
        self.bar.setVisible(not finished)
        self.current.setVisible(not finished)

    # -- results ---------------------------------------------------------------------------------------
    def _fill(self, summaries: list[dict[str, Any]]) -> None:
        self.summary.setRowCount(len(summaries))
        for row, s in enumerate(summaries):
            label = FORMAT_LABELS.get(s["format"] or "", "not a report")
            saved = "yes" if s["committed"] else "no"
            cells = (Path(s["file"]).name, label, s["rows"], s["imported"], s["updated"], s["skipped"],
                     _rejected(s), saved)  # fmt: skip
            for column, value in enumerate(cells):
                self.summary.setItem(row, column, _cell(value))
        shown_rows = max(1, min(len(summaries), 6))  # as tall as its files, the errors get the rest
        self.summary.setFixedHeight(
            self.summary.horizontalHeader().height()
            + shown_rows * self.summary.verticalHeader().defaultSectionSize()
            + 4
        )
        errors = [(Path(s["file"]).name, e) for s in summaries for e in s["errors"]]
        shown = errors[:SHOWN_ERRORS]
        self.errors.setRowCount(len(shown))
        for row, (name, e) in enumerate(shown):
            for column, value in enumerate((name, e["line"], e["column"] or "", e["message"])):
                self.errors.setItem(row, column, _cell(value))
        more = f" (the first {SHOWN_ERRORS:,}; save them all as CSV)" if len(errors) > SHOWN_ERRORS else ""
        self.errors_label.setText(f"Rejected rows: {len(errors):,}{more}" if errors else "No rejected rows.")

    def _save_errors(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, "Save rejected rows", "rejected-rows.csv", "CSV (*.csv)"
        )
        if name:
            self.write_errors(Path(name))

    def write_errors(self, path: Path) -> None:
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(("file", "line", "column", "message"))
            for s in self.summaries:
                for e in s["errors"]:
                    writer.writerow((s["file"], e["line"], e["column"] or "", e["message"]))


def _rejected(summary: dict[str, Any]) -> int:
    return len({e["line"] for e in summary["errors"]})


def _table(columns: Sequence[str], parent: QWidget, name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(list(columns))
    table.setAccessibleName(name)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _cell(value: object) -> QTableWidgetItem:
    item = QTableWidgetItem(
        f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)
    )
    if isinstance(value, int):
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item
