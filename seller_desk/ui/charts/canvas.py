"""One chart on screen: matplotlib's ``FigureCanvasQTAgg`` over a ``Figure`` (no pyplot), as in
matplotlib's embedding_in_qt example, plus what every chart offers — a click in data coordinates and,
on right-click or the Export button, the picture as PNG or SVG and its data as CSV.

Importing this module imports matplotlib's Qt backend (≈ 0.5 s): only the Trends screen does, when the
seller first opens it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from matplotlib.backend_bases import MouseButton, MouseEvent
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QPoint, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMenu, QPushButton, QVBoxLayout, QWidget

from seller_desk.charts.files import ChartExportError, save_csv, save_figure

FILE_FILTERS = {"png": "PNG image (*.png)", "svg": "SVG drawing (*.svg)", "csv": "CSV data (*.csv)"}


class ChartCanvas(QWidget):
    """``clicked(x, y, axes)`` reports a left click inside an axes, in its data coordinates, with the
    axes' index in the figure. ``data_for_csv`` gives the frame the CSV export writes."""

    clicked = Signal(float, float, int)
    message = Signal(str)

    def __init__(self, name: str, file_stem: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = Figure(layout=None)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setParent(self)
        self.canvas.setAccessibleName(name)
        self._stem = file_stem
        self.data_for_csv: Callable[[], pd.DataFrame] | None = None
        # A figure of its own for PNG and SVG, when the one on screen leaves parts to Qt (a legend).
        self.figure_for_export: Callable[[], Figure] | None = None
        self._painter: Callable[[Figure], None] | None = None
        self.canvas.mpl_connect("button_press_event", self._on_press)
        self.export_button = QPushButton("Export…", self)
        self.export_button.setAccessibleName(f"Export {name}")
        self.export_button.setToolTip("Save this chart as PNG or SVG, or its data as CSV")
        self.export_button.clicked.connect(
            lambda: self._export_menu().exec(
                self.export_button.mapToGlobal(QPoint(0, self.export_button.height()))
            )
        )
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(bar)

    def draw(self, painter: Callable[[Figure], None]) -> None:
        """Redraw with ``painter(figure)`` (it clears and draws), now if the chart is on screen, else
        when it is next shown: a filter change renders the one chart the seller sees, not all four
        (the heatmap's labels alone take a few hundred ms)."""
        self._painter = painter
        if self.isVisible():
            self._paint_now()

    def ensure_drawn(self) -> None:
        """Build the figure now if it waits for its tab (before an export or a test reads it)."""
        if self._painter is not None:
            self._paint_now()

    def _paint_now(self) -> None:
        painter, self._painter = self._painter, None
        if painter is not None:
            painter(self.figure)
            self.canvas.draw_idle()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._paint_now()

    def first_axes_data(self, event: MouseEvent) -> tuple[float, float, int] | None:
        """The click in the data coordinates of the figure's first axes (the bars under a twin axis,
        the image beside its colour bar), if it fell inside any axes."""
        if event.inaxes is None or not self.figure.axes:
            return None
        main = self.figure.axes[0]
        x, y = main.transData.inverted().transform((event.x, event.y))
        return float(x), float(y), self.figure.axes.index(event.inaxes)

    def _on_press(self, event: MouseEvent) -> None:
        if event.button == MouseButton.RIGHT:
            self._export_menu().exec(
                self.canvas.mapToGlobal(QPoint(int(event.x), self.canvas.height() - int(event.y)))
            )
            return
        if event.button != MouseButton.LEFT:
            return
        hit = self.first_axes_data(event)
        if hit is not None:
            self.clicked.emit(*hit)

    def _export_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction("Save as PNG…", lambda: self.export("png"))
        menu.addAction("Save as SVG…", lambda: self.export("svg"))
        data = menu.addAction("Save data as CSV…", lambda: self.export("csv"))
        data.setEnabled(self.data_for_csv is not None)
        return menu

    def export(self, kind: str, path: Path | None = None) -> Path | None:
        """Write the chart (png, svg) or its data (csv) to ``path``, asking where when None."""
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Export chart", f"{self._stem}.{kind}", FILE_FILTERS[kind]
            )
            if not chosen:
                return None
            path = Path(chosen)
            if path.suffix.lower() != f".{kind}":
                path = path.with_suffix(f".{kind}")
        self.ensure_drawn()
        try:
            if kind == "csv":
                if self.data_for_csv is None:
                    raise ChartExportError("this chart has no data yet")
                rows = save_csv(self.data_for_csv(), path)
                self.message.emit(f"Saved {rows:,} rows to {path}")
            else:
                save_figure(self.figure if self.figure_for_export is None else self.figure_for_export(), path)
                self.message.emit(f"Saved the chart to {path}")
        except ChartExportError as exc:
            self.message.emit(f"Could not export: {exc}")
            return None
        return path
