"""Returns per week (or month) stacked by reason, one ``PolyCollection`` per reason.

A ``bar`` call per reason makes one Rectangle artist per bar: 1,560 of them for two years × 15 reasons,
≈ 0.8 s to build and 1.2 s to redraw (ARCHITECTURE.md); one collection of quadrilaterals per reason
draws the same picture in tens of milliseconds. Spikes are one scatter of triangles above their bars:
the caller passes the ones the chart's own series has (all SKUs, or the one SKU it is filtered to).
``stacked_hit`` maps a click in data coordinates back to the bar segment under it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from seller_desk.analytics.spikes import Spike
from seller_desk.analytics.trends import REASON_ORDER
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
    StackedChart(fig, label=label).show(buckets, bucket, spikes)


class StackedChart:
    """The stacked chart on one figure, kept between filter changes: new data moves the existing
    collections' vertices and markers (``set_verts``, ``set_offsets``) instead of building the axes,
    collections again — what a redraw after a filter change costs is then mostly Agg's rendering.
    Every canonical reason has its collection from the start (empty when absent), so a filter that
    shows other reasons only changes the legend."""

    def __init__(self, fig: Figure, *, label: Labeller = plain_label, legend: bool = True) -> None:
        self.fig, self._label, self._legend = fig, label, legend
        self._bars: dict[str, PolyCollection] = {}
        self._marks: PathCollection | None = None
        self._bucket = ""
        self._order: list[str] = []

    def show(self, buckets: pd.DataFrame, bucket: str, spikes: list[Spike]) -> None:
        reasons = [str(r) for r in buckets.columns]
        if self._marks is None or not set(reasons) <= set(self._bars):
            self._build(list(dict.fromkeys([*REASON_ORDER, *reasons])))
        ax = self.fig.axes[0]
        if bucket != self._bucket:
            self._bucket = bucket
            ax.set_title(f"Returns per {bucket} by reason", fontsize=10, loc="left")
        counts = buckets.to_numpy(dtype=np.float64)
        n = counts.shape[0]
        x = np.arange(n, dtype=np.float64)
        left, right = x - BAR_WIDTH / 2, x + BAR_WIDTH / 2
        bottom = np.zeros(n)
        for j, reason in enumerate(reasons):
            top = bottom + counts[:, j]
            quads = np.stack(
                [np.column_stack([left, bottom]), np.column_stack([left, top]),
                 np.column_stack([right, top]), np.column_stack([right, bottom])], axis=1,
            )  # fmt: skip
            self._bars[reason].set_verts(list(quads))
            bottom = top
        for reason in self._bars.keys() - set(reasons):
            self._bars[reason].set_verts([])
        totals = bottom
        marks = np.empty((0, 2))
        if bucket == "week" and spikes and n:
            row_of = {int(day): i for i, day in enumerate(buckets.index)}
            rows = np.array(sorted({row_of[s.week] for s in spikes if s.week in row_of}), int)
            if rows.size:
                pad = max(float(totals.max()) * 0.03, 0.5)
                marks = np.column_stack([rows, totals[rows] + pad])
        assert self._marks is not None
        self._marks.set_offsets(marks)
        if reasons != self._order and self._legend:
            self._order = reasons
            # Plain patches and a marker line as handles: legend entries drawn from the collections
            # themselves cost ~0.1 s per render (a handler per collection), these a few ms.
            handles: list[Artist] = [Patch(facecolor=colour_of(r), label=self._label(r)) for r in reasons]
            handles.append(Line2D([], [], marker="v", color=SPIKE_COLOUR, linestyle="none", label="Spike"))
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
        ax.set_xlim(-0.6, max(n, 1) - 0.4)
        ax.set_ylim(0, max(float(totals.max()) * 1.1, 1.0) if n else 1.0)
        step = max(1, -(-n // 10))
        ticks = list(range(0, n, step))
        ax.set_xticks(ticks, tick_labels([int(buckets.index[i]) for i in ticks], bucket), fontsize=8)

    def _build(self, reasons: list[str]) -> None:
        self.fig.clear()
        ax = self.fig.add_subplot()
        # Bars are axis-aligned rectangles: without antialiasing Agg fills them a third faster.
        self._bars = {
            reason: ax.add_collection(
                PolyCollection(
                    [],
                    facecolors=[colour_of(reason)],
                    edgecolors="none",
                    antialiased=False,
                    label=self._label(reason),
                )
            )
            for reason in reasons
        }
        self._marks = ax.scatter(
            [], [], marker="v", s=36, color=SPIKE_COLOUR, zorder=3, label="Spike", linewidths=0
        )
        self._bucket, self._order = "", []
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("returns")
        ax.spines[["top", "right"]].set_visible(False)
        # On screen the legend is a Qt label beside the canvas (``legend=False``): drawn by Agg it took
        # a third of every redraw (sixteen texts laid out again each time).
        self.fig.subplots_adjust(left=0.06, right=0.80 if self._legend else 0.98, bottom=0.1, top=0.92)


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
