"""The selected SKU's projection chart and its "why this number?" explanation, side by side.

The chart is matplotlib's ``FigureCanvasQTAgg`` over a ``Figure`` (no pyplot), redrawn with
``draw_idle``. Importing this module imports matplotlib's Qt backend (≈ 0.5 s), so only the Restock
screen imports it, when the seller first opens that screen.
"""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QSizePolicy, QWidget

from seller_desk.analytics.restock import PlanRow
from seller_desk.charts.restock import draw_projection

EMPTY_TEXT = "Select a SKU to see its projected stock and why the suggested reorder is what it is."


class RestockDetail(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = Figure(layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setParent(self)
        self.canvas.setAccessibleName("Projected stock chart")
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumWidth(360)
        self.explanation = QPlainTextEdit(self)
        self.explanation.setReadOnly(True)
        self.explanation.setAccessibleName("Why this number?")
        self.explanation.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.explanation.setPlaceholderText(EMPTY_TEXT)
        self.explanation.setMinimumWidth(380)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas, 3)
        layout.addWidget(self.explanation, 2)
        self.shown_sku: str | None = None

    def show_row(self, row: PlanRow | None, horizon: int) -> None:
        """Draw ``row``'s projection and explanation; None clears both."""
        if row is None:
            self.shown_sku = None
            self.figure.clear()
            self.explanation.setPlainText("")
            self.canvas.draw_idle()
            return
        self.shown_sku = row.sku
        draw_projection(self.figure, row.plan, f"{row.sku} — {row.title}")
        self.canvas.draw_idle()
        self.explanation.setPlainText(explanation_text(row, horizon))


def explanation_text(row: PlanRow, horizon: int) -> str:
    """The explanation of the reorder, then how the other numbers of the row were found."""
    plan = row.plan
    lines = [plan.explanation.text(), ""]
    if plan.days_of_cover is None:
        lines.append("Days of cover: no sales in the last 28 days, so the stock never runs out.")
    else:
        lines.append(
            f"Days of cover {plan.days_of_cover:.1f}: on hand {plan.on_hand} plus sellable returns as they "
            f"arrive, at {plan.sales_per_day:.2f}/day; stock-out {plan.stockout:%d %b %Y}."
        )
    lines.append(
        f"Within {horizon} days: {plan.inbound_units:.1f} units expected back, {plan.expected_sellable:.1f} "
        f"sellable; stock at day {horizon}: {plan.projected_at_horizon:.1f} with returns, "
        f"{plan.without_returns[-1]:.1f} without."
    )
    return "\n".join(lines)
