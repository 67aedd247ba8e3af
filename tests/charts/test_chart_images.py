"""Chart pictures, checked by their pixels: a known bar segment has its reason's colour, the spike
marker sits above the spiking bar, the heatmap's largest cell is its darkest; clicks map back to data;
each chart saves as PNG and SVG, its data as CSV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.image import imread

from seller_desk.analytics.spikes import Spike
from seller_desk.charts.files import ChartExportError, save_csv, save_figure
from seller_desk.charts.heatmap import draw_heatmap, heatmap_hit
from seller_desk.charts.palette import SPIKE_COLOUR, colour_of
from seller_desk.charts.pareto import draw_pareto, pareto_hit
from seller_desk.charts.ranking import draw_ranking, ranking_hit
from seller_desk.charts.stacked import StackedChart, draw_stacked, stacked_hit

MONDAY = 20_402
DPI = 100


def _buckets() -> pd.DataFrame:
    weeks = [MONDAY + 7 * i for i in range(12)]
    frame = pd.DataFrame({"defective": [10] * 12, "unwanted": [5] * 12}, index=pd.Index(weeks, name="start"))
    frame.loc[MONDAY + 70, "defective"] = 40  # week 10 spikes
    return frame


def _render(fig: Figure) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[:, :, :3].astype(np.float64) / 255


def _pixel(fig: Figure, image: np.ndarray, ax_index: int, x: float, y: float) -> np.ndarray:
    px, py = fig.axes[ax_index].transData.transform((x, y))
    return image[round(image.shape[0] - py), round(px)]


def test_stacked_bars_pixels_and_spike_marker() -> None:
    fig = Figure(figsize=(8, 4), dpi=DPI)
    spike = Spike(MONDAY + 70, "defective", None, 40, 10.0, 1e-9)
    draw_stacked(fig, _buckets(), "week", [spike])
    image = _render(fig)
    assert _pixel(fig, image, 0, 3, 5) == pytest.approx(to_rgb(colour_of("defective")), abs=0.02)
    assert _pixel(fig, image, 0, 3, 12.5) == pytest.approx(to_rgb(colour_of("unwanted")), abs=0.02)
    ax = fig.axes[0]
    marker = ax.collections[-1].get_offsets()  # the scatter of spike markers
    assert marker.tolist() == [[10.0, pytest.approx(45 + 45 * 0.03)]]
    assert _pixel(fig, image, 0, *marker[0]) == pytest.approx(to_rgb(SPIKE_COLOUR), abs=0.05)
    assert _pixel(fig, image, 0, 3, 46) == pytest.approx((1.0, 1.0, 1.0))  # no marker over a calm week
    bars = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bars) == 15 and len(ax.patches) == 0  # one collection per canonical reason, no rectangles
    assert sorted(len(c.get_paths()) for c in bars if len(c.get_paths())) == [12, 12]  # the two shown


def test_stacked_hit_finds_the_segment() -> None:
    buckets = _buckets()
    assert stacked_hit(buckets, 10.1, 39.0) == (MONDAY + 70, "defective", 40)
    assert stacked_hit(buckets, 10.0, 41.0) == (MONDAY + 70, "unwanted", 5)
    assert stacked_hit(buckets, 10.0, 46.0) is None  # above the bar
    assert stacked_hit(buckets, 10.5, 5.0) is None  # between bars
    assert stacked_hit(buckets, 12.0, 5.0) is None


def test_heatmap_largest_cell_is_darkest_and_clicks_map_back() -> None:
    matrix = pd.DataFrame([[1, 9], [0, 3]], index=["defective", "unwanted"], columns=["A", "B"])
    fig = Figure(figsize=(5, 3), dpi=DPI)
    draw_heatmap(fig, matrix)
    image = _render(fig)
    hot, cold = _pixel(fig, image, 0, 1.3, -0.3), _pixel(fig, image, 0, 0.3, 1.3)  # off the numbers
    assert hot.sum() < cold.sum() and cold == pytest.approx((1.0, 0.96, 0.94), abs=0.03)
    assert heatmap_hit(matrix, 1.2, -0.1) == ("defective", "B", 9)
    assert heatmap_hit(matrix, 2.6, 0) is None


def test_pareto_and_ranking_hits() -> None:
    pareto = pd.DataFrame({"reason": ["defective", "unwanted"], "returns": [8, 2], "share": [0.8, 0.2],
                           "cumulative": [0.8, 1.0]})  # fmt: skip
    fig = Figure(figsize=(5, 3), dpi=DPI)
    draw_pareto(fig, pareto)
    image = _render(fig)
    assert _pixel(fig, image, 0, 1, 1) == pytest.approx(to_rgb(colour_of("unwanted")), abs=0.02)
    assert pareto_hit(pareto, 1.1, 1.5) == "unwanted" and pareto_hit(pareto, 1.1, 3) is None
    rates = pd.DataFrame({"sku": ["A", "B", "C"], "rate": [0.5, 0.1, np.nan], "reliable": [True, True, False],
                          "units_returned": [5, 1, 1], "units_sold": [10, 10, 0]})  # fmt: skip
    draw_ranking(fig, rates)
    assert len(fig.axes[0].patches) == 2  # only reliable rates are ranked
    assert ranking_hit(rates, 0.2, 0.1) == "A" and ranking_hit(rates, 0.2, 1.0) is None


def test_exports_write_png_svg_and_csv(tmp_path: Path) -> None:
    fig = Figure(figsize=(6, 3), dpi=DPI)
    draw_stacked(fig, _buckets(), "week", [])
    save_figure(fig, tmp_path / "c.png")
    save_figure(fig, tmp_path / "c.svg")
    png = imread(tmp_path / "c.png")
    assert png.shape[:2] == (450, 900)  # 150 dpi
    assert "<svg" in (tmp_path / "c.svg").read_text()
    assert save_csv(_buckets().reset_index(), tmp_path / "c.csv") == 12
    assert (tmp_path / "c.csv").read_text(encoding="utf-8-sig").splitlines()[0] == "start,defective,unwanted"
    with pytest.raises(ChartExportError, match=r"c\.jpg.*\.png or \.svg"):
        save_figure(fig, tmp_path / "c.jpg")
    with pytest.raises(ChartExportError, match="nowhere"):
        save_figure(fig, tmp_path / "nowhere" / "c.png")


def test_a_kept_chart_moves_its_bars_for_new_data() -> None:
    fig = Figure(figsize=(8, 4), dpi=DPI)
    chart = StackedChart(fig)
    chart.show(_buckets(), "week", [])
    axes, bars = fig.axes[0], list(fig.axes[0].collections)
    higher = _buckets()[["unwanted", "defective"]] * 2  # same reasons, another order, taller
    chart.show(higher, "week", [Spike(MONDAY, "unwanted", None, 10, 1.0, 1e-6)])
    assert fig.axes == [axes] and list(axes.collections) == bars  # updated in place, nothing rebuilt
    image = _render(fig)
    assert _pixel(fig, image, 0, 3, 5) == pytest.approx(to_rgb(colour_of("unwanted")), abs=0.02)
    assert _pixel(fig, image, 0, 3, 25) == pytest.approx(to_rgb(colour_of("defective")), abs=0.02)
    assert axes.get_ylim()[1] == pytest.approx(90 * 1.1)
    assert [t.get_text() for t in axes.get_legend().get_texts()][:2] == ["Unwanted", "Defective"]
    assert bars[-1].get_offsets().tolist() == [[0.0, pytest.approx(30 + 90 * 0.03)]]
    chart.show(_buckets()[["defective"]], "month", [])  # another reason set, months: still the same axes
    assert fig.axes == [axes] and list(axes.collections) == bars
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["Defective", "Spike"]
    assert axes.get_title(loc="left") == "Returns per month by reason"
    assert sum(len(c.get_paths()) for c in bars[:-1]) == 12  # one bar per bucket, only defective's
