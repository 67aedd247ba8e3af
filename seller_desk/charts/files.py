"""A chart to PNG or SVG, its data to CSV: what each chart's export offers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

IMAGE_FORMATS = (".png", ".svg")
PNG_DPI = 150


class ChartExportError(Exception):
    """The file cannot be written; names the file."""


def save_figure(fig: Figure, path: Path) -> None:
    """``fig`` as PNG (at ``PNG_DPI``) or SVG, chosen by the file's extension."""
    suffix = path.suffix.lower()
    if suffix not in IMAGE_FORMATS:
        raise ChartExportError(f"{path}: cannot save a chart as {suffix or 'a file without extension'}; "
                               "use .png or .svg")  # fmt: skip
    try:
        fig.savefig(path, format=suffix[1:], dpi=PNG_DPI if suffix == ".png" else None)
    except OSError as exc:
        raise ChartExportError(f"{path}: {exc.strerror or exc}") from exc


def save_csv(frame: pd.DataFrame, path: Path, *, index: bool = False) -> int:
    """The chart's data as UTF-8 CSV (with a byte-order mark, so Excel reads accents); rows written."""
    if path.suffix.lower() != ".csv":
        raise ChartExportError(f"{path}: chart data is written as .csv")
    try:
        frame.to_csv(path, index=index, encoding="utf-8-sig")
    except OSError as exc:
        raise ChartExportError(f"{path}: {exc.strerror or exc}") from exc
    return len(frame)
