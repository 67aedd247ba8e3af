"""The restock plan as a table to export: the screen's columns, plus what a script needs to check them.

Rates and quantities are decimals rounded for people (units to one decimal, sales per day to two);
the suggested reorder is whole units; the stock-out date is an ISO day (blank: the SKU does not sell).
"Why" is the suggestion's explanation on one line, its terms adding up to the figure before rounding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from seller_desk.analytics.restock import PlanRow
from seller_desk.exports.tables import Cell, write_table

HEADERS = (
    "SKU", "Title", "Category", "On hand", "Sales per day", "Inbound returns (expected)", "Expected sellable",
    "Projected stock at horizon", "Stock-out date", "Days of cover", "Lead time (days)", "Suggested reorder",
    "Why",
)  # fmt: skip


def _decimal(value: float | None, places: int = 1) -> Decimal | None:
    return None if value is None else round(Decimal(repr(value)), places)


def why(row: PlanRow) -> str:
    """The explanation's terms on one line: "+48.0 demand (…); −20.0 on hand (…); … = 26.0 → 26"."""
    ex = row.plan.explanation
    terms = "; ".join(f"{_signed(term.value)} {term.label} ({term.detail})" for term in ex.terms)
    return f"{terms} = {ex.raw:.1f} → {ex.result}"


def _signed(value: float) -> str:
    return f"{value:+.1f}".replace("-", "−")


def restock_rows(rows: Iterable[PlanRow]) -> Iterator[tuple[Cell, ...]]:
    for row in rows:
        plan = row.plan
        yield (
            row.sku, row.title, row.category, plan.on_hand, _decimal(plan.sales_per_day, 2),
            _decimal(plan.inbound_units), _decimal(plan.expected_sellable),
            _decimal(plan.projected_at_horizon), None if plan.stockout is None else plan.stockout.isoformat(),
            _decimal(plan.days_of_cover),
            plan.lead_time_days, plan.reorder, why(row),
        )  # fmt: skip


def export_restock(rows: Iterable[PlanRow], path: Path) -> int:
    """Write the plan to ``path`` (.csv or .xlsx); how many SKUs it wrote."""
    return write_table(path, HEADERS, restock_rows(rows), sheet="Restock")
