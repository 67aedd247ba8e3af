"""The restock chart's pixels: the with-returns line is drawn above the without line once returns land."""

from __future__ import annotations

from datetime import date

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb

from seller_desk.charts.restock import (
    WITH_COLOUR,
    WITHOUT_COLOUR,
    draw_projection,
    first_empty_day,
    new_figure,
)
from seller_desk.domain.restock import Arrival, RestockSettings, SkuInputs, plan_sku


def _rows_of(image: np.ndarray, column: int, colour: str) -> np.ndarray:
    target = np.array(to_rgb(colour)) * 255
    distance = np.abs(image[:, column, :3].astype(float) - target).sum(axis=1)
    return np.flatnonzero(distance < 40)


def test_with_returns_line_is_above_the_without_line_after_the_returns_arrive() -> None:
    arrivals = (Arrival(day=3, units=30.0, p_sellable=1.0, reason="unwanted", source="in transit"),)
    inputs = SkuInputs("TEE-1", on_hand=60, sales_per_day=4.0, lead_time_days=10, arrivals=arrivals)
    plan = plan_sku(inputs, RestockSettings(horizon_days=28), date(2026, 11, 22))
    figure = new_figure()
    draw_projection(figure, plan)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    image = np.asarray(canvas.buffer_rgba())
    height = image.shape[0]
    axes = figure.axes[0]
    for day in (6.5, 12.5):  # mid-step, between arrivals and stock-outs
        x, _ = axes.transData.transform((day, 0))
        column = int(x + 0.5)
        with_rows, without_rows = (
            _rows_of(image, column, WITH_COLOUR),
            _rows_of(image, column, WITHOUT_COLOUR),
        )
        assert len(with_rows) and len(without_rows), f"both lines are drawn at day {day}"
        assert with_rows.min() < without_rows.min(), f"with-returns line above at day {day}"
        # and where the data says: 30 units above, within a couple of pixels
        _, y_with = axes.transData.transform((day, plan.with_returns[int(day)]))
        assert abs((height - y_with) - with_rows.min()) < 4
    assert first_empty_day(plan.without_returns) == 15
    assert first_empty_day(plan.with_returns) == 23
    labels = [text.get_text() for text in axes.get_legend().get_texts()]
    assert "Out of stock" in labels and "Out of stock without returns" in labels
