"""The restock plan for every SKU: read the inputs once, then plan (and re-plan on a new setting) fast.

Reading is the costly half (at a million returns the inspection history alone is a scan of 900,000
rows), planning the cheap one (5,000 SKUs in well under a second, in plain Python through
``domain.restock``: per SKU a 29-day walk, no pandas needed). So the screen reads ``RestockInputs`` once
per refresh and re-plans from them when the seller changes the horizon, lead time, cover or safety.

Where inbound returns are expected (DOMAIN.md "Restock planning"; ``domain.restock`` has the maths):

- in transit with an ETA: on the ETA's day (a passed ETA: today);
- in transit without an ETA: ``NO_ETA_DAYS`` from today (the carrier has the parcel; a week is the
  store's usual transit, and the explanation says "no ETA");
- delivered or received, not yet inspected: today (the unit is in the building);
- authorized, not shipped: units × the share of authorized returns that shipped over the last
  ``SHIP_HISTORY_DAYS`` days, on the day that history's mean authorization-to-delivery time gives
  (``NO_ETA_DAYS`` without history; a share of ``NO_HISTORY_SHIP_SHARE`` without history).

Sales per day = units sold over the last ``SALES_WINDOW_DAYS`` days of daily sales / that many days.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from seller_desk.analytics.sellable import SellableRates, learn_rates
from seller_desk.domain.restock import Arrival, RestockSettings, SkuInputs, SkuPlan, plan_sku
from seller_desk.store.queries import restock as q

SALES_WINDOW_DAYS = 28
SHIP_HISTORY_DAYS = 60
NO_ETA_DAYS = 7
NO_HISTORY_SHIP_SHARE = 0.5
EPOCH = date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class RestockInputs:
    today: date
    stock: list[q.StockRow]
    sold_units: dict[str, int]
    inbound: list[q.InboundRow]
    ship_share: float
    authorized_delay_days: int
    rates: SellableRates


@dataclass(frozen=True, slots=True)
class PlanRow:
    sku: str
    title: str
    category: str
    plan: SkuPlan


def day_number(day: date) -> int:
    return (day - EPOCH).days


def read_inputs(conn: sqlite3.Connection, today: date | None = None) -> RestockInputs:
    """Everything the plan needs, in one pass of SQL per input (``store.queries.restock``)."""
    today = today or datetime.now(UTC).date()
    stock = q.stock_rows(conn)
    sold, _last = q.sales_totals(conn, day_number(today), SALES_WINDOW_DAYS)
    since = datetime.combine(today - timedelta(days=SHIP_HISTORY_DAYS), datetime.min.time(), UTC)
    history = q.ship_history(conn, int(since.timestamp()))
    share = history.shipped / history.decided if history.decided else NO_HISTORY_SHIP_SHARE
    delay = NO_ETA_DAYS if history.mean_days_to_delivery is None else round(history.mean_days_to_delivery)
    category_of = {row.sku: row.category for row in stock}
    rates = learn_rates(q.inspection_counts(conn), category_of)
    return RestockInputs(today, stock, sold, q.inbound_rows(conn), share, delay, rates)


def arrivals_by_sku(inputs: RestockInputs) -> dict[str, list[Arrival]]:
    """Each inbound row as an ``Arrival`` (day, expected units, P(sellable)), grouped by SKU."""
    category_of = {row.sku: row.category for row in inputs.stock}
    today = day_number(inputs.today)
    found: dict[str, list[Arrival]] = defaultdict(list)
    for row in inputs.inbound:
        units = float(row.units)
        if row.status == "in_transit":
            day = NO_ETA_DAYS if row.eta_day is None else row.eta_day - today
            source = "no ETA, assumed" if row.eta_day is None else "in transit"
            source = "in transit, ETA passed" if day < 0 else source
        elif row.status == "authorized":
            day, units = inputs.authorized_delay_days, units * inputs.ship_share
            source = f"authorized, × {inputs.ship_share:.2f} ship share"
        else:
            day, source = 0, f"{row.status}, awaiting inspection"
        p = inputs.rates.rate(row.sku, category_of.get(row.sku, ""), row.reason)
        found[row.sku].append(Arrival(day, units, p, row.reason, source))
    return found


def plan_all(inputs: RestockInputs, settings: RestockSettings) -> list[PlanRow]:
    """The plan of every SKU, most urgent first: earliest stock-out, then the largest reorder."""
    arrivals = arrivals_by_sku(inputs)
    rows = []
    for stock in inputs.stock:
        sku_inputs = SkuInputs(
            sku=stock.sku,
            on_hand=stock.on_hand,
            sales_per_day=inputs.sold_units.get(stock.sku, 0) / SALES_WINDOW_DAYS,
            lead_time_days=stock.lead_time_days,
            inbound_po_units=stock.inbound_po_units,
            arrivals=tuple(arrivals.get(stock.sku, ())),
        )
        rows.append(
            PlanRow(stock.sku, stock.title, stock.category, plan_sku(sku_inputs, settings, inputs.today))
        )
    rows.sort(key=urgency)
    return rows


def urgency(row: PlanRow) -> tuple[int, float, int, str]:
    """Sort key, most urgent first: SKUs that run out before those that never do, sooner first."""
    cover = row.plan.days_of_cover
    return (cover is None, cover or 0.0, -row.plan.reorder, row.sku)
