"""The Trends screen's background reads, as ``Op`` functions.

They run on the I/O lane: at a million returns the per-SKU and money aggregates read for a second or
so, and the DB lane must stay free for the Returns list's pages meanwhile (WAL lets both read).
pandas is imported here, inside the function, on the worker thread: never on the start-up path.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

from seller_desk.store.queries.returns import dbapi
from seller_desk.store.queries.trends import TrendsFilter, trend_choices
from seller_desk.workers.ops import OpContext

if TYPE_CHECKING:
    from seller_desk.analytics.trends import TrendsData


def load_trends(ctx: OpContext, f: TrendsFilter) -> Generator[TrendsData, None, TrendsData]:
    """Every frame the screen draws for ``f``, read in one transaction so the charts agree. It yields
    the bucket counts first (progress: the weekly chart can redraw while the per-SKU reads go on), and
    a cancel between the two steps stops it (a newer filter wins)."""
    from seller_desk.analytics.trends import trends_steps

    conn = ctx.connection()
    with conn.begin():
        return (yield from trends_steps(dbapi(conn), f))


def import_chart_modules(_ctx: OpContext) -> None:
    """Import what the Trends screen needs (pandas, matplotlib and its Qt backend: ~1 s) off the GUI
    thread, so opening the tab for the first time does not freeze the window."""
    import importlib

    for name in ("seller_desk.analytics.trends", "matplotlib.figure", "matplotlib.backends.backend_qtagg"):
        importlib.import_module(name)


def load_trend_choices(ctx: OpContext) -> tuple[list[str], list[str], list[str]]:
    """Categories, marketplaces and channels for the filter menus."""
    return trend_choices(dbapi(ctx.connection()))
