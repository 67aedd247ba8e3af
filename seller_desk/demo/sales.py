"""Demand, units sold and which sales come back: one model so return rates add up.

Every SKU has an expected daily demand (popularity × its category's seasonal curve, from its launch
on). Each sold unit comes back with the SKU's return rate, after a lag (delivery plus the buyer's
deliberation; holiday purchases may wait until 31 January). The N returns are drawn from that
product, and units sold are the returned units plus an independent Poisson draw of the units kept:
so per category, returned units / units sold lands on the category's rate, and a day with a return
always has the sale behind it.

Planted problems ("a bad batch", "a supplier change") add defect returns to a few popular SKUs from a
change date on, so trend charts have a real spike to find.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seller_desk.demo.calendar import Window, days_until_jan31, demand_curve, holiday_purchase
from seller_desk.demo.catalogue import CATEGORIES, CATEGORY_INDEX, Catalogue

MAX_LAG = 100
OUTBOUND_DAYS = 8
OUTBOUND_SHARE = 0.03
PROBLEM_SHARE = 0.04


@dataclass(frozen=True, slots=True)
class Problems:
    """Planted product problems: SKU index, first and last day index (exclusive) and extra rate."""

    sku: np.ndarray
    since: np.ndarray
    until: np.ndarray
    extra_rate: np.ndarray


@dataclass(frozen=True, slots=True)
class ReturnDraw:
    """The sampled returns (unsorted): SKU, purchase day index, lag in days, planted-problem flag."""

    sku: np.ndarray
    day: np.ndarray
    lag: np.ndarray
    problem: np.ndarray


@dataclass(slots=True)
class Demand:
    units: np.ndarray  # SKU x day, units sold (kept units now; returned ones are added by orders)
    expected: np.ndarray  # SKU x day, expected units (for sales_per_day of young SKUs)


def plant_problems(rng: np.random.Generator, cat: Catalogue, days: int) -> Problems:
    """A few popular, established SKUs that develop a real defect problem (never books).

    The extra defect rate is large enough to be a clear spike (at least 0.8x the SKU's normal rate),
    but a category's overall return rate stays inside its stated range: each category has a headroom
    (95 % of its upper bound minus its volume-weighted normal rate) that its problems share.
    """
    volume = cat.popularity * np.maximum(days - cat.launch, 1)
    by_category = np.bincount(cat.category, weights=volume, minlength=len(CATEGORIES))
    normal = np.bincount(cat.category, weights=volume * cat.return_rate, minlength=len(CATEGORIES))
    upper = np.array([c.return_rate[1] for c in CATEGORIES])
    headroom = 0.95 * upper - normal / np.maximum(by_category, 1e-12)
    share = volume / np.maximum(by_category[cat.category], 1e-12)

    eligible = (cat.launch < days // 2) & (cat.category != CATEGORY_INDEX["books"])
    candidates = np.flatnonzero(eligible)
    threshold = np.quantile(cat.popularity[candidates], 0.6) if len(candidates) else 0.0
    candidates = candidates[cat.popularity[candidates] >= threshold]
    wanted = max(2, round(PROBLEM_SHARE * len(cat)))
    order = rng.permutation(candidates)
    chosen: list[tuple[int, int, int, float]] = []
    for s in order.tolist():
        if len(chosen) == wanted:
            break
        since = int(rng.integers(max(int(cat.launch[s]) + 60, int(days * 0.3)), days - 21))
        batch = rng.random() < 0.4  # a bad batch that sells through; else ongoing
        until = min(days, since + int(rng.integers(28, 71))) if batch else days
        c = int(cat.category[s])
        base = float(cat.return_rate[s])
        weight = share[s] * (until - since) / days
        extra = min(base * float(rng.uniform(1.0, 1.8)), headroom[c] / max(weight, 1e-12))
        if extra >= 0.8 * base:
            headroom[c] -= extra * weight
            chosen.append((s, since, until, extra))
    chosen.sort()
    return Problems(
        sku=np.array([c[0] for c in chosen], dtype=np.int64),
        since=np.array([c[1] for c in chosen], dtype=np.int64),
        until=np.array([c[2] for c in chosen], dtype=np.int64),
        extra_rate=np.array([c[3] for c in chosen]),
    )


def lag_cdfs(window: Window) -> np.ndarray:
    """Per purchase day, the CDF of the request lag in days (0 .. MAX_LAG)."""
    x = np.arange(MAX_LAG + 1, dtype=float)
    k, theta = 1.7, 6.5
    body = np.where(x >= 2, np.power(np.maximum(x - 1.5, 1e-9), k - 1) * np.exp(-(x - 1.5) / theta), 0.0)
    normal = body / body.sum()
    holiday = holiday_purchase(window)
    to_jan31 = days_until_jan31(window)
    pmf = np.tile(normal, (window.days, 1))
    for d in np.flatnonzero(holiday):
        hi = min(MAX_LAG, int(to_jan31[d]))
        lo = max(2, hi - 36)
        wave = np.zeros(MAX_LAG + 1)
        wave[lo : hi + 1] = 1.0
        pmf[d] = 0.55 * normal + 0.45 * wave / wave.sum()
    cdf: np.ndarray = np.cumsum(pmf, axis=1)
    return cdf


def demand_matrix(window: Window, cat: Catalogue) -> np.ndarray:
    """Relative expected units per SKU and day (scaled to the requested N later)."""
    curves = np.array([demand_curve(window, c.monthly, c.event_sensitivity) for c in CATEGORIES])
    day = np.arange(window.days)
    age = day[None, :] - cat.launch[:, None]
    ramp = np.where(age >= 0, 1.0 - np.exp(-np.maximum(age, 0) / 20.0), 0.0)
    matrix: np.ndarray = cat.popularity[:, None] * curves[cat.category] * ramp
    return matrix


def draw_returns(
    rng: np.random.Generator, window: Window, cat: Catalogue, problems: Problems, n: int
) -> tuple[ReturnDraw, Demand]:
    """Sample `n` returns and the units sold that explain them."""
    mu_rel = demand_matrix(window, cat)
    cdf = lag_cdfs(window)
    horizon = window.days - 1 - np.arange(window.days)  # latest lag that is requested before today
    censor = cdf[np.arange(window.days), np.clip(horizon, 0, MAX_LAG)] * (horizon >= 1)
    rate = np.repeat(cat.return_rate[:, None], window.days, axis=1)
    extra = np.zeros_like(rate)
    day = np.arange(window.days)
    for s, lo, hi, x in zip(problems.sku, problems.since, problems.until, problems.extra_rate, strict=True):
        extra[s] = np.where((day >= lo) & (day < hi), x, 0.0)
    weights = mu_rel * (rate + extra) * censor[None, :]
    flat = np.cumsum(weights.ravel())
    total = float(flat[-1])
    cell = np.searchsorted(flat, rng.random(n) * total, side="right")
    cell = np.minimum(cell, flat.size - 1)
    sku, d = np.divmod(cell, window.days)
    problem = rng.random(n) * (rate[sku, d] + extra[sku, d]) < extra[sku, d]
    lag = np.empty(n, dtype=np.int64)
    order = np.argsort(d, kind="stable")
    bounds = np.searchsorted(d[order], np.arange(window.days + 1))
    u = rng.random(n)
    for day_i in range(window.days):
        rows = order[bounds[day_i] : bounds[day_i + 1]]
        if len(rows):
            cap = min(MAX_LAG, int(horizon[day_i]))
            lag[rows] = np.searchsorted(cdf[day_i], u[rows] * cdf[day_i, cap], side="left")
    lag = np.clip(lag, 1, np.maximum(horizon[d], 1))
    scale = n / total
    expected = scale * mu_rel
    kept_rate = np.clip(1.0 - (rate + extra) * censor[None, :], 0.0, 1.0)
    units = rng.poisson(expected * kept_rate).astype(np.int64)
    return ReturnDraw(sku=sku, day=d, lag=lag, problem=problem), Demand(units=units, expected=expected)


def draw_outbound(rng: np.random.Generator, demand: Demand, n_returns: int) -> tuple[np.ndarray, np.ndarray]:
    """Recent sales still on their way to the buyer: (SKU, day index) per order, one unit each.

    Drawn from the units kept in the last days; a cell never ships more orders than it sold.
    """
    days = demand.units.shape[1]
    count = max(20, round(OUTBOUND_SHARE * n_returns))
    recent = demand.units[:, days - OUTBOUND_DAYS :].astype(float)
    if recent.sum() == 0:
        recent = demand.expected[:, days - OUTBOUND_DAYS :]
    flat = np.cumsum(recent.ravel())
    cell = np.minimum(np.searchsorted(flat, rng.random(count) * flat[-1], side="right"), flat.size - 1)
    sku, d = np.divmod(cell, OUTBOUND_DAYS)
    d = d + days - OUTBOUND_DAYS
    need = np.zeros_like(demand.units)
    np.add.at(need, (sku, d), 1)
    np.maximum(demand.units, need, out=demand.units)
    order = np.lexsort((sku, d))
    return sku[order], d[order]
