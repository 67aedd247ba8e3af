"""Return rate per SKU, ranked: horizontal bars of the highest rates, few enough for one ``barh``.

Only SKUs that sold at least ``MIN_UNITS_SOLD`` units in the window are ranked (the rate of 1 return
out of 2 sold says nothing); the table beside the chart lists the rest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

SHOWN = 20
BAR_COLOUR = "#1f77b4"


def ranked(rates: pd.DataFrame, shown: int = SHOWN) -> pd.DataFrame:
    """The rows the chart draws: reliable rates, highest first."""
    return rates[rates["reliable"] & rates["rate"].notna()].head(shown)


def draw_ranking(fig: Figure, rates: pd.DataFrame) -> None:
    fig.clear()
    ax = fig.add_subplot()
    rows = ranked(rates)
    y = np.arange(len(rows))
    ax.barh(y, rows["rate"].to_numpy(), color=BAR_COLOUR, height=0.7)
    ax.set_yticks(y, [f"{sku}" for sku in rows["sku"]], fontsize=8)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("units returned / units sold in the window")
    ax.set_title("Return rate per SKU (highest first)", fontsize=10, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    for i, (rate, returned, sold) in enumerate(zip(rows["rate"], rows["units_returned"], rows["units_sold"],
                                                   strict=True)):  # fmt: skip
        ax.text(rate, i, f"  {rate:.1%} ({returned:,}/{sold:,})", va="center", fontsize=7)
    if len(rows):
        ax.set_xlim(0, float(rows["rate"].max()) * 1.3)
    fig.subplots_adjust(left=0.2, right=0.97, bottom=0.16, top=0.92)


def ranking_hit(rates: pd.DataFrame, x: float, y: float) -> str | None:
    """The SKU of the bar at data point (x, y)."""
    rows = ranked(rates)
    i = round(y)
    if 0 <= i < len(rows) and abs(y - i) <= 0.35 and 0 <= x <= float(rows["rate"].iloc[i]):
        return str(rows["sku"].iloc[i])
    return None
