"""The Trends screen in the main window: built (with pandas and matplotlib) only when first opened,
drawn from the store, and a click on a bar segment or heatmap cell opens the Returns list filtered to
exactly the returns behind it."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from seller_desk.analytics.trends import UNMAPPED
from seller_desk.store.queries.returns import ReturnsFilter
from seller_desk.store.queries.trends import TrendsFilter
from seller_desk.ui.charts.canvas import ChartCanvas
from seller_desk.ui.main_window import MainWindow
from seller_desk.ui.views.pending_view import PendingView
from seller_desk.ui.views.trends_drill import drill_filter
from seller_desk.ui.views.trends_view import TrendsView, chart_spikes

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
ANY_TIME = 4  # the period menu's "Any time" (the seeded returns end 2026-05-01)


def test_the_main_window_does_not_import_pandas_or_matplotlib() -> None:
    code = (
        "import sys; import seller_desk.ui.main_window, seller_desk.app; "
        "print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def _open_trends(qtbot: QtBot, window: MainWindow) -> TrendsView:
    assert isinstance(window.views["trends"], PendingView)  # the placeholder until first opened
    window.select_view("trends")
    assert isinstance(window.current_view(), PendingView)  # "Opening Trends…" while the imports run
    qtbot.waitUntil(lambda: isinstance(window.views["trends"], TrendsView), timeout=20_000)
    view = window.views["trends"]
    assert isinstance(view, TrendsView) and window.current_view() is view
    qtbot.waitUntil(view.is_ready, timeout=20_000)
    with qtbot.waitSignal(view.filters.changed):
        view.filters.dates.menu.setCurrentIndex(ANY_TIME)
    qtbot.waitUntil(
        lambda: view.data is not None and view.data.complete and view.data.filter.first_day is None,
        timeout=20_000,
    )
    assert view.data is not None and view.data.total_returns == 3_000
    return view


def _click(qtbot: QtBot, chart: ChartCanvas, x: float, y: float) -> None:
    """A left click at data point (x, y) of the chart's first axes (the canvas's own pixels)."""
    qtbot.waitUntil(lambda: bool(chart.figure.axes), timeout=5_000)  # drawn once its tab shows
    chart.canvas.draw()
    px, py = chart.figure.axes[0].transData.transform((x, y))
    ratio = chart.canvas.device_pixel_ratio
    point = QPoint(round(px / ratio), round(chart.canvas.height() - py / ratio))
    qtbot.mouseClick(chart.canvas, Qt.MouseButton.LeftButton, pos=point)


def _week_bounds(start_day: int) -> tuple[datetime, datetime]:
    start = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=start_day)
    return start, start + timedelta(days=7)


def test_clicking_a_bar_segment_opens_exactly_its_returns(qtbot: QtBot, window: MainWindow) -> None:
    view = _open_trends(qtbot, window)
    assert view.data is not None
    buckets = view.data.buckets
    i = int(buckets["defective"].to_numpy().argmax())
    below = float(buckets.iloc[i, : list(buckets.columns).index("defective")].sum())
    count = int(buckets["defective"].iloc[i])
    _click(qtbot, view.weekly, i, below + count / 2)
    qtbot.waitUntil(lambda: window.current_view() is window.returns_view, timeout=5_000)
    start, end = _week_bounds(int(buckets.index[i]))
    assert window.returns_view.current_filter() == ReturnsFilter(
        reason="defective", requested_from=start, requested_to=end
    )
    qtbot.waitUntil(lambda: window.count_label.text() == f"{count:,} returns", timeout=10_000)
    assert window.returns_view.model.rowCount() == count
    assert "week of" in window.returns_view.filters.pinned.label.text()


def test_clicking_a_heatmap_cell_opens_that_reason_and_sku(qtbot: QtBot, window: MainWindow) -> None:
    view = _open_trends(qtbot, window)
    assert view.data is not None
    matrix = view.data.matrix
    view.tabs.setCurrentWidget(view.heatmap)
    row = list(matrix.index).index("defective")
    sku = str(matrix.columns[0])
    count = int(matrix.iat[row, 0])
    assert count > 0
    _click(qtbot, view.heatmap, 0, row)
    qtbot.waitUntil(lambda: window.current_view() is window.returns_view, timeout=5_000)
    f = window.returns_view.current_filter()
    assert (f.reason, f.sku, f.requested_from, f.requested_to) == ("defective", sku, None, None)
    qtbot.waitUntil(lambda: window.count_label.text() == f"{count:,} returns", timeout=10_000)
    window.returns_view.filters.pinned.remove_button.click()  # the scope can be removed again
    assert window.returns_view.current_filter() == ReturnsFilter(reason="defective")


def test_each_chart_exports_png_svg_and_its_data(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    view = _open_trends(qtbot, window)
    assert view.data is not None
    for chart in (view.weekly, view.ranking, view.pareto, view.heatmap):
        for kind in ("png", "svg", "csv"):
            with qtbot.waitSignal(chart.message) as said:
                assert chart.export(kind, tmp_path / f"{chart.canvas.accessibleName()}.{kind}") is not None
            assert str(said.args[0]).startswith("Saved")
    weekly = tmp_path / "Returns per week by reason.svg"
    assert "Spike" in weekly.read_text()  # the exported picture carries its legend, drawn by matplotlib
    rows = (tmp_path / "Returns per week by reason.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == len(view.data.buckets) + 1 and rows[0].startswith("start,")


def test_a_sync_reloads_the_screen_when_it_is_next_shown(qtbot: QtBot, window: MainWindow) -> None:
    view = _open_trends(qtbot, window)
    window.select_view("returns")
    loaded = view.data
    window.sync.data_changed.emit(3)  # new rows arrived while the seller looked elsewhere
    assert view.data is loaded and view._stale
    window.select_view("trends")
    qtbot.waitUntil(
        lambda: view.data is not loaded and view.data is not None and view.data.complete, timeout=20_000
    )
    assert not view._stale


def test_a_sku_filter_marks_that_skus_spikes_on_the_chart(qtbot: QtBot, window: MainWindow) -> None:
    view = _open_trends(qtbot, window)
    assert view.data is not None
    sku = str(view.data.rates["sku"].iloc[0])
    view.filters.sku.setText(sku)
    qtbot.waitUntil(lambda: view.data is not None and view.data.complete and view.data.filter.sku == sku,
                    timeout=20_000)  # fmt: skip
    data = view.data
    assert data is not None and all(s.sku == sku for s in data.spikes)
    assert chart_spikes(data) == data.spikes
    assert data.total_returns == int(data.rates.set_index("sku").loc[sku, "returns"])


def test_the_unmapped_codes_segment_opens_the_returns_with_no_canonical_reason(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = _open_trends(qtbot, window)
    assert view.data is not None
    buckets = view.data.buckets
    column = list(buckets.columns).index(UNMAPPED)
    i = int(buckets[UNMAPPED].to_numpy().argmax())
    below = float(buckets.iloc[i, :column].sum())
    count = int(buckets[UNMAPPED].iloc[i])
    _click(qtbot, view.weekly, i, below + count / 2)
    qtbot.waitUntil(lambda: window.current_view() is window.returns_view, timeout=5_000)
    start, end = _week_bounds(int(buckets.index[i]))
    assert window.returns_view.current_filter() == ReturnsFilter(
        reason_unmapped=True, requested_from=start, requested_to=end
    )
    qtbot.waitUntil(
        lambda: window.count_label.text() == f"{count:,} return{'' if count == 1 else 's'}", timeout=10_000
    )
    assert "Unmapped codes" in window.returns_view.filters.pinned.label.text()


def test_drill_filters_use_utc_bucket_bounds_and_carry_the_trends_filter() -> None:
    f = TrendsFilter(
        first_day=20_402, end_day=20_430, marketplace="UK", channel="FBA", category="toys", bucket="month"
    )
    returns_filter, text = drill_filter(f, reason="defective", bucket_start=20_393)  # 1 Nov 2025
    assert returns_filter == ReturnsFilter(
        reason="defective", marketplace="UK", channel="FBA", category="toys",
        requested_from=datetime(2025, 11, 1, tzinfo=UTC), requested_to=datetime(2025, 12, 1, tzinfo=UTC),
    )  # fmt: skip
    assert text == "From Trends: Defective, November 2025 (UTC)"
    whole, text = drill_filter(f, sku="A-1")  # the whole window: widened to whole months
    assert (whole.sku, whole.requested_from, whole.requested_to) == (
        "A-1", datetime(2025, 11, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC),
    )  # fmt: skip
    assert text == "From Trends: A-1, 01 Nov 2025 – 31 Dec 2025 (UTC)"
