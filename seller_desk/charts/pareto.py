"""Pareto of reasons: bars by count (largest first) and the cumulative share as a line on a second axis."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from seller_desk.charts.palette import Labeller, colour_of, plain_label

LINE_COLOUR = "#d62728"


def draw_pareto(fig: Figure, pareto: pd.DataFrame, *, label: Labeller = plain_label) -> None:
    fig.clear()
    ax = fig.add_subplot()
    x = np.arange(len(pareto))
    reasons = [str(r) for r in pareto["reason"]]
    ax.bar(x, pareto["returns"].to_numpy(), color=[colour_of(r) for r in reasons], width=0.8)
    ax.set_xticks(x, [label(r) for r in reasons], rotation=35, ha="right", fontsize=8)
    ax.set_ylabel("returns")
    ax.set_title("Reasons, largest first, with the cumulative share", fontsize=10, loc="left")
    ax.spines[["top"]].set_visible(False)
    line = ax.twinx()
    line.plot(x, pareto["cumulative"].to_numpy(), color=LINE_COLOUR, marker="o", markersize=3)
    line.set_ylim(0, 1.05)
    line.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    line.axhline(0.8, color=LINE_COLOUR, linewidth=0.6, linestyle=":")
    line.spines[["top"]].set_visible(False)
    fig.subplots_adjust(left=0.07, right=0.93, bottom=0.3, top=0.92)


def pareto_hit(pareto: pd.DataFrame, x: float, y: float) -> str | None:
    """The reason of the bar at data point (x, y) of the bars' axes."""
    i = round(x)
    if 0 <= i < len(pareto) and abs(x - i) <= 0.4 and 0 <= y <= float(pareto["returns"].iloc[i]):
        return str(pareto["reason"].iloc[i])
    return None
