"""Reason × SKU heatmap of return counts for the most-returned SKUs, one ``imshow`` image."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from seller_desk.charts.palette import Labeller, plain_label

CMAP = "Reds"


def draw_heatmap(fig: Figure, matrix: pd.DataFrame, *, label: Labeller = plain_label) -> None:
    fig.clear()
    ax = fig.add_subplot()
    values = matrix.to_numpy(dtype=np.float64)
    if values.size:
        image = ax.imshow(values, aspect="auto", cmap=CMAP, interpolation="nearest", vmin=0)
        fig.colorbar(image, ax=ax, label="returns", fraction=0.03, pad=0.01)
        peak = values.max() or 1.0
        for (i, j), value in np.ndenumerate(values):
            if value:
                ax.text(j, i, f"{int(value)}", ha="center", va="center", fontsize=6,
                        color="white" if value > peak * 0.6 else "black")  # fmt: skip
    ax.set_xticks(range(len(matrix.columns)), [str(s) for s in matrix.columns], rotation=45, ha="right",
                  fontsize=7)  # fmt: skip
    ax.set_yticks(range(len(matrix.index)), [label(str(r)) for r in matrix.index], fontsize=8)
    ax.set_title("Returns by reason for the most-returned SKUs", fontsize=10, loc="left")
    fig.subplots_adjust(left=0.16, right=0.93, bottom=0.28, top=0.93)


def heatmap_hit(matrix: pd.DataFrame, x: float, y: float) -> tuple[str, str, int] | None:
    """(reason, SKU, count) of the cell at data point (x, y)."""
    j, i = round(x), round(y)
    if 0 <= i < len(matrix.index) and 0 <= j < len(matrix.columns):
        return str(matrix.index[i]), str(matrix.columns[j]), int(matrix.iat[i, j])
    return None
