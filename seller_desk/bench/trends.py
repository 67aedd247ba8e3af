"""Trends benchmarks (issue 6): the weekly × reason aggregation and a chart redraw after a filter change.

``trends_weekly`` times ``store.queries.trends.weekly_counts`` — the SQL, the rows into Python — for all
time and for the last 52 weeks, against the best of several raw sqlite3 statements for the same answer
measured on the same connection in the same run: the GROUP BY on the covering ``(week, reason)`` index,
the same forced ``INDEXED BY``, and the ``strftime`` grouping over the ``(reason, requested_at)`` index
(the one without a stored week column). Targets: ≤ 150 ms, and ≤ 1.5× that best.

``trends_redraw`` times what the screen does on the GUI thread when a filter's data arrives: clear the
figure, draw the stacked weekly bars (one PolyCollection per reason, spike markers) and render it with
Agg at the window's chart size, alternating between two filters' real data from the store. Its baseline
is the same picture drawn with one ``bar`` call per reason (a Rectangle per bar), the way to avoid.
The chart is kept between filter changes, as the screen keeps it (``StackedChart``); rebuilding it
from a cleared figure and the other three charts' redraws are reported beside it. Target: ≤ 150 ms.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Callable
from typing import Any

from seller_desk.bench.registry import BenchContext, benchmark
from seller_desk.bench.results import Result
from seller_desk.bench.returns_list import median_s
from seller_desk.paths import DB_FILENAME

WEEKLY_TARGET_MS = 150.0
WEEKLY_RATIO_TARGET = 1.5
REDRAW_TARGET_MS = 150.0
FIGURE_INCHES = (9.0, 5.6)  # the weekly chart's canvas at 1366×768 (beside its legend), 100 dpi
RAW_CANDIDATES = {
    "covering index": "SELECT week, reason, count(*) FROM returns{where} GROUP BY week, reason",
    "forced index": "SELECT week, reason, count(*) FROM returns INDEXED BY ix_returns_week_reason{where} "
    "GROUP BY week, reason",
    "strftime": "SELECT strftime('%Y-%W', requested_at, 'unixepoch') AS w, reason, count(*) FROM returns"
    "{where_t} GROUP BY w, reason",
}


def _raw_best_ms(raw: sqlite3.Connection, first_week: int | None) -> tuple[float, str, dict[str, float]]:
    where = "" if first_week is None else f" WHERE week >= {first_week}"
    where_t = "" if first_week is None else f" WHERE requested_at >= {first_week * 86_400}"
    timings = {
        name: median_s(lambda sql=sql: raw.execute(sql.format(where=where, where_t=where_t)).fetchall(), 5)
        * 1000
        for name, sql in RAW_CANDIDATES.items()
    }
    best = min(timings, key=lambda name: timings[name])
    return timings[best], best, timings


@benchmark("trends_weekly")
def trends_weekly(ctx: BenchContext) -> list[Result]:
    from seller_desk.store.queries.trends import TrendsFilter, monday_of, weekly_counts

    data_dir = ctx.seeded_store()
    raw = sqlite3.connect(data_dir / DB_FILENAME)
    results = []
    try:
        latest = raw.execute("SELECT max(week) FROM returns").fetchone()[0] or 0
        cases = {
            "all time": TrendsFilter(),
            "last 52 weeks": TrendsFilter(first_day=monday_of(latest) - 51 * 7),
        }
        for name, f in cases.items():
            ours = median_s(lambda f=f: weekly_counts(raw, f), 9) * 1000
            best, best_name, timings = _raw_best_ms(raw, f.first_day)
            rows = len(weekly_counts(raw, f))
            detail = {
                "rows": rows,
                "raw_ms": {k: round(v, 2) for k, v in timings.items()},
                "best_raw": best_name,
            }
            results.append(
                Result(f"trends_weekly[{name}]", ours, "ms", best, WEEKLY_TARGET_MS, detail=detail)
            )
            results.append(
                Result(f"trends_weekly_ratio[{name}]", ours, "ms", best, WEEKLY_RATIO_TARGET, "ratio", detail)
            )
    finally:
        raw.close()
    return results


def _median_ms(fn: Callable[[int], Any], repeat: int) -> float:
    fn(0)
    samples = []
    for i in range(repeat):
        started = time.perf_counter()
        fn(i)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


@benchmark("trends_redraw")
def trends_redraw(ctx: BenchContext) -> list[Result]:
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from seller_desk.analytics.trends import compute_trends
    from seller_desk.charts.heatmap import draw_heatmap
    from seller_desk.charts.palette import colour_of
    from seller_desk.charts.pareto import draw_pareto
    from seller_desk.charts.ranking import draw_ranking
    from seller_desk.charts.stacked import StackedChart, draw_stacked
    from seller_desk.store.queries.trends import TrendsFilter

    data_dir = ctx.seeded_store()
    raw = sqlite3.connect(data_dir / DB_FILENAME)
    try:
        category = raw.execute(
            "SELECT category FROM skus GROUP BY category ORDER BY count(*) DESC"
        ).fetchone()
        latest = raw.execute("SELECT max(week) FROM returns").fetchone()[0] or 0
        two_years = latest - 103 * 7
        started = time.perf_counter()
        frames = [
            compute_trends(raw, TrendsFilter(first_day=two_years)),
            compute_trends(
                raw, TrendsFilter(first_day=two_years, category=category[0] if category else None)
            ),
        ]
        compute_s = (time.perf_counter() - started) / 2
    finally:
        raw.close()
    fig = Figure(figsize=FIGURE_INCHES, dpi=100)
    canvas = FigureCanvasAgg(fig)

    def redraw(painter: Callable[[Figure, Any], None]) -> Callable[[int], None]:
        def run(i: int) -> None:
            painter(fig, frames[i % 2])
            canvas.draw()

        return run

    def per_bar(figure: Figure, data: Any) -> None:  # the baseline: a Rectangle artist per bar
        figure.clear()
        ax = figure.add_subplot()
        bottom = np.zeros(len(data.buckets))
        for reason in data.buckets.columns:
            values = data.buckets[reason].to_numpy()
            ax.bar(np.arange(len(values)), values, bottom=bottom, color=colour_of(reason), width=0.8)
            bottom = bottom + values

    chart = StackedChart(fig, legend=False)  # as the screen keeps it (legend in Qt): bars move, Agg renders

    def overall(d: Any) -> list[Any]:
        return [s for s in d.spikes if s.sku is None]

    stacked = _median_ms(redraw(lambda _f, d: chart.show(d.buckets, "week", overall(d))), 9)
    rebuilt = _median_ms(redraw(lambda f, d: draw_stacked(f, d.buckets, "week", overall(d))), 5)
    baseline = _median_ms(redraw(per_bar), 3)
    others = {
        "ranking": _median_ms(redraw(lambda f, d: draw_ranking(f, d.rates)), 5),
        "pareto": _median_ms(redraw(lambda f, d: draw_pareto(f, d.pareto)), 5),
        "heatmap": _median_ms(redraw(lambda f, d: draw_heatmap(f, d.matrix)), 5),
    }
    detail = {
        "weeks": len(frames[0].buckets), "reasons": len(frames[0].buckets.columns),
        "baseline_is": "ax.bar per reason (one Rectangle per bar)",
        "other_charts_ms": {k: round(v, 1) for k, v in others.items()},
        "stacked_rebuilt_from_scratch_ms": round(rebuilt, 1),
        "compute_trends_s": round(compute_s, 3),
    }  # fmt: skip
    return [Result("trends_redraw", stacked, "ms", baseline, REDRAW_TARGET_MS, detail=detail)]
