"""One SKU's projected stock with and without returns in transit, over the plan's horizon.

Two step lines (stock is counted at the end of each day), the gap between them shaded: that gap is what
counting returns adds. A marker on each line where it first reaches zero says when the shelf empties
either way, and a dashed line at the lead time shows the last day an order placed today cannot help.
Drawn on a ``Figure`` given by the caller (the screen's canvas, or one made here for a file): no pyplot.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from seller_desk.domain.restock import SkuPlan

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WITH_COLOUR = "#1f77b4"  # blue: the plan the screen's numbers use
WITHOUT_COLOUR = "#d62728"  # red: what a planner that ignores returns would see
LEAD_COLOUR = "#7f7f7f"


def new_figure(width: float = 6.4, height: float = 3.2, dpi: int = 100) -> Figure:
    """A free-standing figure (files, tests); the screen draws on its canvas's own."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=dpi, layout="constrained")


def first_empty_day(series: Sequence[float]) -> int | None:
    for day, stock in enumerate(series):
        if stock <= 0:
            return day
    return None


def draw_projection(figure: Figure, plan: SkuPlan, title: str = "") -> None:
    """Clear ``figure`` and draw ``plan``'s projection on one axes."""
    figure.clear()
    axes = figure.add_subplot()
    days = list(range(len(plan.with_returns)))
    axes.step(days, plan.without_returns, where="post", color=WITHOUT_COLOUR, lw=1.8, label="Without returns")
    axes.step(
        days, plan.with_returns, where="post", color=WITH_COLOUR, lw=2.2, label="With returns in transit"
    )
    axes.fill_between(
        days, plan.without_returns, plan.with_returns, step="post", color=WITH_COLOUR, alpha=0.15, lw=0
    )
    for series, colour, name in (
        (plan.without_returns, WITHOUT_COLOUR, "Out of stock without returns"),
        (plan.with_returns, WITH_COLOUR, "Out of stock"),
    ):
        day = first_empty_day(series)
        if day is not None:
            axes.plot([day], [0], marker="v", ms=10, color=colour, ls="none", label=name, clip_on=False)
    if 0 < plan.lead_time_days < len(days):
        axes.axvline(plan.lead_time_days, color=LEAD_COLOUR, ls="--", lw=1, label="Lead time")
    axes.set_xlim(0, len(days) - 1)
    axes.set_ylim(bottom=0, top=max(1.0, max(plan.with_returns) * 1.1))
    axes.set_xlabel("Days from today")
    axes.set_ylabel("Units in stock")
    axes.set_title(title or plan.sku, fontsize=10, loc="left")
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize=8, loc="upper right", frameon=False)
    if max(plan.with_returns) <= 0:
        axes.text(
            0.5, 0.5, "Out of stock for the whole horizon:\nreturns on their way sell as they arrive",
            transform=axes.transAxes, ha="center", va="center", fontsize=9, color=LEAD_COLOUR,
        )  # fmt: skip
