"""Returns per week (or month) stacked by reason, one ``PolyCollection`` per reason.

A ``bar`` call per reason makes one Rectangle artist per bar: 1,560 of them for two years × 15 reasons,
≈ 0.8 s to build and 1.2 s to redraw (ARCHITECTURE.md); one collection of quadrilaterals per reason
draws the same picture in tens of milliseconds. Spikes (weekly, all SKUs) are one scatter of triangles
above their bars. ``stacked_hit`` maps a click in data coordinates back to the bar segment under it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from seller_desk.analytics.spikes import Spike
from seller_desk.charts.palette import SPIKE_COLOUR, Labeller, colour_of, plain_label
from seller_desk.store.queries.trends import day_to_utc

BAR_WIDTH = 0.8


class SegmentHit(NamedTuple):
    start_day: int  # the bucket's first day (days since epoch, UTC)
    reason: str
    returns: int


def tick_labels(days: list[int], bucket: str) -> list[str]:
    """``3 Nov`` (weeks) or ``Nov`` (months), with the year under the first tick and where it changes."""
    labels, year = [], None
    for day in days:
        when = day_to_utc(day)
        text = when.strftime("%b") if bucket == "month" else f"{when.day} {when:%b}"
        labels.append(text if when.year == year else f"{text}\n{when.year}")
        year = when.year
    return labels


def draw_stacked(
    fig: Figure, buckets: pd.DataFrame, bucket: str, spikes: list[Spike], *, label: Labeller = plain_label
) -> None:
    """Draw ``buckets`` (buckets × reasons) on ``fig``, cleared first; spike markers when weekly."""
    fig.clear()
    ax = fig.add_subplot()
    counts = buckets.to_numpy(dtype=np.float64)
    n = counts.shape[0]
    x = np.arange(n, dtype=np.float64)
    left, right = x - BAR_WIDTH / 2, x + BAR_WIDTH / 2
    bottom = np.zeros(n)
    for j, reason in enumerate(buckets.columns):
        top = bottom + counts[:, j]
        quads = np.stack(
            [np.column_stack([left, bottom]), np.column_stack([left, top]),
             np.column_stack([right, top]), np.column_stack([right, bottom])], axis=1,
        )  # fmt: skip
        ax.add_collection(PolyCollection(quads, facecolors=[colour_of(reason)], edgecolors="none",
                                         label=label(reason)))  # fmt: skip
        bottom = top
    totals = bottom
    if bucket == "week" and spikes and n:
        row_of = {int(day): i for i, day in enumerate(buckets.index)}
        marks = [row_of[s.week] for s in spikes if s.sku is None and s.week in row_of]
        if marks:
            rows = np.array(sorted(set(marks)))
            pad = max(float(totals.max()) * 0.03, 0.5)
            ax.scatter(rows, totals[rows] + pad, marker="v", s=36, color=SPIKE_COLOUR, zorder=3,
                       label="Spike", linewidths=0)  # fmt: skip
    ax.set_xlim(-0.6, max(n, 1) - 0.4)
    ax.set_ylim(0, max(float(totals.max()) * 1.1, 1.0) if n else 1.0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    step = max(1, -(-n // 10))
    ticks = list(range(0, n, step))
    ax.set_xticks(ticks, tick_labels([int(buckets.index[i]) for i in ticks], bucket), fontsize=8)
    ax.set_ylabel("returns")
    ax.set_title(f"Returns per {bucket} by reason", fontsize=10, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    if len(buckets.columns):
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    fig.subplots_adjust(left=0.06, right=0.80, bottom=0.1, top=0.92)


def stacked_hit(buckets: pd.DataFrame, x: float, y: float) -> SegmentHit | None:
    """The bar segment at data point (x, y), or None between bars and above them."""
    i = round(x)
    if not 0 <= i < len(buckets.index) or abs(x - i) > BAR_WIDTH / 2 or y < 0:
        return None
    row = buckets.iloc[i].to_numpy()
    tops = np.cumsum(row)
    j = int(np.searchsorted(tops, y, side="right"))
    if j >= len(row) or row[j] == 0:
        return None
    return SegmentHit(int(buckets.index[i]), str(buckets.columns[j]), int(row[j]))
