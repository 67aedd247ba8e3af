"""Each SKU's stock position today, consistent with what it sold: the restock planner's inputs.

Sales per day is the mean of the last 28 days of `daily_sales`, exactly, so the planner's demand
matches the sales chart. On hand is a few weeks of cover with a long tail, a handful of SKUs are
already out of stock and a few are badly overstocked; lead times come from the category (apparel from
overseas takes two months, books a week or two) and some SKUs have a purchase order on its way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seller_desk.demo.catalogue import CATEGORIES, Catalogue

WINDOW = 28


@dataclass(slots=True)
class Stock:
    on_hand: np.ndarray
    lead_time_days: np.ndarray
    sales_per_day: np.ndarray
    inbound_po_units: np.ndarray


def stock_positions(rng: np.random.Generator, cat: Catalogue, units: np.ndarray) -> Stock:
    n = len(cat)
    per_day = np.round(units[:, -WINDOW:].sum(axis=1) / WINDOW, 2)
    cover_days = np.exp(np.log(35) + 0.6 * rng.standard_normal(n))
    cover_days = np.where(rng.random(n) < 0.05, cover_days * 4, cover_days)  # overstocked
    on_hand = np.rint(per_day * cover_days).astype(np.int64)
    on_hand = np.where(per_day == 0, rng.integers(0, 15, n), on_hand)
    on_hand = np.where(rng.random(n) < 0.07, 0, on_hand)  # out of stock
    lo = np.array([c.lead_time[0] for c in CATEGORIES])[cat.category]
    hi = np.array([c.lead_time[1] for c in CATEGORIES])[cat.category]
    lead = lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)
    po = np.where(rng.random(n) < 0.2, np.rint(per_day * rng.uniform(20, 60, n)), 0).astype(np.int64)
    return Stock(on_hand=on_hand, lead_time_days=lead, sales_per_day=per_day, inbound_po_units=po)
