"""The Trends screen: returns per week or month by reason, return rate per SKU, the Pareto of reasons,
the reason × SKU heatmap, money, and the spikes — each chart a click away from the returns behind it.

Imported only when the seller first opens the tab (``MainWindow`` holds a stand-in until then): it
brings pandas and matplotlib's Qt backend. Every filter change reads in a worker (``workers.trends``);
a newer answer replaces an older one, and one that arrives after a newer request is dropped. A sync
that brings data reloads the screen if it is showing, or when it is next shown.
"""

from __future__ import annotations

import logging

from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from seller_desk.analytics.spikes import Spike
from seller_desk.analytics.trends import TrendsData
from seller_desk.charts.heatmap import draw_heatmap, heatmap_hit
from seller_desk.charts.pareto import draw_pareto, pareto_hit
from seller_desk.charts.ranking import draw_ranking, ranking_hit
from seller_desk.charts.stacked import StackedChart, draw_stacked, stacked_hit
from seller_desk.store.queries.returns import ReturnsFilter
from seller_desk.store.queries.trends import TrendsFilter
from seller_desk.ui.charts.canvas import ChartCanvas
from seller_desk.ui.views.trends_drill import drill_filter, label_of
from seller_desk.ui.views.trends_filters import TrendsFilterBar
from seller_desk.ui.views.trends_panels import (
    SPIKE_ROLE,
    fill_rates,
    fill_spikes,
    legend_label,
    legend_text,
    money_label,
    money_text,
    rate_table,
    spikes_list,
)
from seller_desk.workers import Lane, Op
from seller_desk.workers.trends import load_trend_choices, load_trends

log = logging.getLogger(__name__)


def chart_spikes(data: TrendsData) -> list[Spike]:
    """The spikes of the stacked chart's own series: all SKUs', or those of the SKU it is filtered to."""
    return [s for s in data.spikes if s.sku == data.filter.sku]


class TrendsView(QWidget):
    """``ready`` fires once the first real data is drawn; ``open_returns(filter, text)`` asks the
    window to show the Returns list filtered to a bar's returns; ``message`` is for the status bar."""

    ready = Signal()
    open_returns = Signal(object, str)
    message = Signal(str)
    title = "Trends"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: TrendsData | None = None
        self._ready = self._started = self._stale = False
        self._loading: Op[TrendsData] | None = None
        self._again = False
        self.filters = TrendsFilterBar(self)
        self.status = QLabel("Loading…", self)
        self.status.setAccessibleName("Trends status")
        self.weekly = ChartCanvas("Returns per week by reason", "returns-by-reason", self)
        self._stacked = StackedChart(self.weekly.figure, label=label_of, legend=False)  # kept: moves its bars
        self.legend = legend_label(self)
        weekly_tab = QWidget(self)
        weekly_layout = QHBoxLayout(weekly_tab)
        weekly_layout.setContentsMargins(0, 0, 0, 0)
        weekly_layout.addWidget(self.weekly, 1)
        weekly_layout.addWidget(self.legend)
        self.ranking = ChartCanvas("Return rate per SKU", "return-rate", self)
        self.pareto = ChartCanvas("Pareto of reasons", "reasons-pareto", self)
        self.heatmap = ChartCanvas("Reason by SKU", "reason-by-sku", self)
        self.rates = rate_table(self)
        rate_split = QSplitter(Qt.Orientation.Vertical, self)
        rate_split.addWidget(self.ranking)
        rate_split.addWidget(self.rates)
        rate_split.setSizes([320, 200])
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Trend charts")
        self.tabs.addTab(weekly_tab, "By reason over time")
        self.tabs.addTab(rate_split, "Return rate per SKU")
        self.tabs.addTab(self.pareto, "Pareto of reasons")
        self.tabs.addTab(self.heatmap, "Reason × SKU")
        self.money = money_label(self)
        self.spikes = spikes_list(self)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.money)
        side_layout.addWidget(QLabel("<b>Spikes</b>", side))
        side_layout.addWidget(self.spikes, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.tabs)
        split.addWidget(side)
        split.setStretchFactor(0, 1)
        split.setSizes([1000, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self.filters)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)

        self.filters.changed.connect(self.reload)
        self.weekly.clicked.connect(self._on_weekly_click)
        self.ranking.clicked.connect(self._on_ranking_click)
        self.pareto.clicked.connect(self._on_pareto_click)
        self.heatmap.clicked.connect(self._on_heatmap_click)
        self.spikes.itemClicked.connect(self._on_spike_clicked)
        for canvas in (self.weekly, self.ranking, self.pareto, self.heatmap):
            canvas.message.connect(self.message)

    # -- loading ---------------------------------------------------------------------------------------
    def start(self) -> None:
        """First read (and the filter menus' values); later calls do nothing."""
        if self._started:
            return
        self._started = True
        choices = Op(self, load_trend_choices, lane=Lane.IO).success(self.filters.set_choices)
        choices.failure(lambda exc: log.warning("could not read the trends filter menus: %s", exc))
        choices.run_in_background()
        self.reload()

    def is_ready(self) -> bool:
        return self._ready

    def current_filter(self) -> TrendsFilter:
        return self.filters.current_filter()

    def reload(self) -> None:
        """Read again for the current filter; one read at a time, the latest request wins (a read
        under way is cancelled at its next step and the new one starts when it has stopped)."""
        if self._loading is not None:
            self._again = True
            self._loading.cancel()
            return
        self._again = False
        self._stale = False
        self.status.setText("Updating…" if self.data is not None else "Loading…")
        f = self.current_filter()
        self._loading = Op(self, lambda ctx: load_trends(ctx, f), lane=Lane.IO)
        self._loading.progress(self._on_partial).success(self._on_loaded).failure(self._on_failed)
        self._loading.cancelled(self._on_cancelled).run_in_background()

    def refresh_if_shown(self, _changes: int = 0) -> None:
        """New data from a sync: reload now if the seller is looking, else when the screen is next shown."""
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self._started:
            self.reload()

    def _on_cancelled(self) -> None:
        self._loading = None
        if self._again:
            self.reload()

    def _on_partial(self, data: TrendsData) -> None:
        """The bucket counts, Pareto and overall spikes, before the per-SKU reads finish."""
        if self._again:
            return
        self.data = data  # clicks on the redrawn charts map through these counts
        f = data.filter
        self.weekly.draw(lambda _fig: self._stacked.show(data.buckets, f.bucket, chart_spikes(data)))
        self._show_weekly_extras(data)
        self.pareto.draw(lambda fig: draw_pareto(fig, data.pareto, label=label_of))
        self.pareto.data_for_csv = lambda: data.pareto
        self.status.setText(
            f"{data.total_returns:,} returns · reading rates per SKU, spikes per SKU and money…"
        )

    def _on_failed(self, exc: BaseException) -> None:
        self._loading = None
        self.status.setText(f"Could not read the trends: {exc}")
        if self._again:
            self.reload()

    def _on_loaded(self, data: TrendsData) -> None:
        self._loading = None
        if self._again:  # the filter changed meanwhile: this answer is already old
            self.reload()
            return
        self.show_data(data)

    def show_data(self, data: TrendsData) -> None:
        self.data = data
        f = data.filter
        self.weekly.draw(lambda _fig: self._stacked.show(data.buckets, f.bucket, chart_spikes(data)))
        self._show_weekly_extras(data)
        self.ranking.draw(lambda fig: draw_ranking(fig, data.rates))
        self.ranking.data_for_csv = lambda: data.rates
        self.pareto.draw(lambda fig: draw_pareto(fig, data.pareto, label=label_of))
        self.pareto.data_for_csv = lambda: data.pareto
        self.heatmap.draw(lambda fig: draw_heatmap(fig, data.matrix, label=label_of))
        self.heatmap.data_for_csv = lambda: data.matrix.reset_index()
        fill_rates(self.rates, data.rates)
        fill_spikes(self.spikes, data.spikes)
        self.money.setText(money_text(data.money))
        total = data.total_returns
        spikes = len(data.spikes)
        self.status.setText(
            f"{total:,} return{'' if total == 1 else 's'} in {len(data.buckets)} {f.bucket}s "
            f"(whole {f.bucket}s, UTC) · {spikes} spike{'' if spikes == 1 else 's'} · "
            "click a bar or cell to see its returns"
        )
        if not self._ready:
            self._ready = True
            self.ready.emit()

    def _show_weekly_extras(self, data: TrendsData) -> None:
        """The stacked chart's legend (a Qt label), its CSV, and its export figure with the legend drawn."""
        f = data.filter
        self.legend.setText(legend_text([str(r) for r in data.buckets.columns]))
        self.weekly.data_for_csv = lambda: data.buckets.reset_index()

        def exported() -> Figure:
            figure = Figure(figsize=(12, 5))
            draw_stacked(figure, data.buckets, f.bucket, chart_spikes(data), label=label_of)
            return figure

        self.weekly.figure_for_export = exported

    # -- clicks ----------------------------------------------------------------------------------------
    def _open(self, drilled: tuple[ReturnsFilter, str]) -> None:
        self.open_returns.emit(*drilled)

    def _on_weekly_click(self, x: float, y: float, _axes: int) -> None:
        if self.data is None:
            return
        hit = stacked_hit(self.data.buckets, x, y)
        if hit is not None:
            self._open(drill_filter(self.data.filter, reason=hit.reason, bucket_start=hit.start_day))

    def _on_ranking_click(self, x: float, y: float, _axes: int) -> None:
        if self.data is None:
            return
        sku = ranking_hit(self.data.rates, x, y)
        if sku is not None:
            self._open(drill_filter(self.data.filter, sku=sku))

    def _on_pareto_click(self, x: float, y: float, _axes: int) -> None:
        if self.data is None:
            return
        reason = pareto_hit(self.data.pareto, x, y)
        if reason is not None:
            self._open(drill_filter(self.data.filter, reason=reason))

    def _on_heatmap_click(self, x: float, y: float, axes: int) -> None:
        if self.data is None or axes != 0:
            return
        hit = heatmap_hit(self.data.matrix, x, y)
        if hit is not None:
            reason, sku, _count = hit
            self._open(drill_filter(self.data.filter, reason=reason, sku=sku))

    def _on_spike_clicked(self, item: QListWidgetItem) -> None:
        spike = item.data(SPIKE_ROLE)
        if self.data is not None and isinstance(spike, Spike):
            self._open(drill_filter(self.data.filter, reason=spike.reason, sku=spike.sku,
                                    bucket_start=spike.week, bucket="week"))  # fmt: skip
