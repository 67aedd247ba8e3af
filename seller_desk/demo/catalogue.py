"""The demo catalogue: categories with their economics, and SKUs grouped into products.

Each category carries what makes it behave like itself on the screens: its price level and margin,
its return rate (apparel 15–30 %, electronics 5–10 %, books 1–3 %, …), its seasonal shape, its lead
time from the supplier, and how often a returned unit can be sold again. SKUs are variants (size,
colour, finish) of products, popularity follows a long tail, and some products launch during the
history so restock planning meets young SKUs too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seller_desk.demo import ids
from seller_desk.demo.markets import MARKETPLACES
from seller_desk.demo.words import BRANDS, PRODUCTS, SKU_PREFIX, variants

CHANNELS: tuple[str, ...] = ("MFN", "FBA")
FBA_SHARE = 0.4


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    name: str  # as stored in skus.category
    share: float  # of SKUs
    price_median: int  # USD cents
    return_rate: tuple[float, float]  # the category's range; SKUs are drawn inside it
    monthly: tuple[float, ...]  # demand shape, January .. December
    event_sensitivity: float  # exponent on Prime day / Black Friday spikes
    lead_time: tuple[int, int]  # days from purchase order to sellable stock
    sellable_factor: float  # scales P(sellable | reason) for this category


CATEGORIES: tuple[Category, ...] = (
    Category("apparel", "Apparel", 0.20, 2999, (0.15, 0.30),
             (0.85, 0.85, 1.0, 1.05, 1.05, 0.95, 0.95, 1.0, 1.1, 1.15, 1.15, 1.1), 1.0, (35, 75), 1.0),
    Category("shoes", "Shoes", 0.08, 5999, (0.15, 0.30),
             (0.85, 0.85, 1.0, 1.05, 1.05, 1.0, 0.95, 1.05, 1.1, 1.05, 1.1, 1.05), 0.9, (35, 70), 0.95),
    Category("electronics", "Electronics", 0.14, 3999, (0.05, 0.10),
             (0.9, 0.85, 0.9, 0.9, 0.9, 0.95, 1.0, 1.0, 1.05, 1.0, 1.2, 1.3), 1.3, (20, 50), 0.8),
    Category("home_kitchen", "Home & Kitchen", 0.14, 2799, (0.04, 0.08),
             (0.95, 0.9, 0.95, 1.0, 1.0, 0.95, 0.95, 0.95, 1.0, 1.05, 1.15, 1.2), 1.0, (25, 60), 0.9),
    Category("toys", "Toys & Games", 0.08, 2499, (0.03, 0.07),
             (0.65, 0.65, 0.75, 0.8, 0.8, 0.8, 0.85, 0.85, 0.9, 1.1, 1.6, 2.1), 1.4, (30, 70), 0.85),
    Category("beauty", "Beauty & Personal Care", 0.07, 1899, (0.02, 0.05),
             (1.0, 1.1, 1.0, 1.0, 1.1, 1.0, 0.95, 0.95, 0.95, 1.0, 1.1, 1.2), 0.9, (14, 35), 0.35),
    Category("sports", "Sports & Outdoors", 0.08, 2999, (0.05, 0.10),
             (1.2, 1.0, 1.05, 1.1, 1.2, 1.25, 1.2, 1.05, 0.95, 0.85, 0.85, 0.9), 0.8, (25, 55), 0.95),
    Category("jewelry", "Jewelry", 0.06, 3499, (0.07, 0.14),
             (0.9, 1.5, 0.9, 0.9, 1.2, 0.9, 0.85, 0.85, 0.9, 0.95, 1.2, 1.6), 1.1, (20, 45), 0.9),
    Category("books", "Books", 0.05, 1499, (0.01, 0.03),
             (1.05, 0.95, 0.95, 0.9, 0.9, 0.9, 0.95, 1.1, 1.15, 1.0, 1.05, 1.2), 0.6, (7, 21), 1.0),
    Category("pet", "Pet Supplies", 0.05, 2499, (0.03, 0.07),
             (1.0,) * 12, 0.7, (14, 40), 0.8),
    Category("tools", "Tools & Home Improvement", 0.05, 3999, (0.04, 0.08),
             (0.9, 0.9, 1.05, 1.15, 1.15, 1.1, 1.0, 0.95, 0.95, 0.95, 1.1, 1.2), 1.0, (20, 45), 0.85),
)  # fmt: skip
CATEGORY_KEYS: tuple[str, ...] = tuple(c.key for c in CATEGORIES)
CATEGORY_INDEX: dict[str, int] = {key: i for i, key in enumerate(CATEGORY_KEYS)}


def sku_count(returns: int) -> int:
    """About one SKU per 200 returns, between 40 and 5,000."""
    return int(min(5000, max(40, returns // 200)))


@dataclass(frozen=True, slots=True)
class Catalogue:
    """One entry per SKU, in lexical order of `sku` (so SKU-keyed indexes load in order)."""

    sku: list[str]
    asin: list[str]
    title: list[str]
    category: np.ndarray  # index into CATEGORIES
    marketplace: np.ndarray  # index into MARKETPLACES
    channel: np.ndarray  # index into CHANNELS
    price_minor: np.ndarray
    unit_cost_minor: np.ndarray
    popularity: np.ndarray  # relative demand, long-tailed
    return_rate: np.ndarray  # share of sold units that come back, before any planted problem
    launch: np.ndarray  # first day index (into the window) with sales

    def __len__(self) -> int:
        return len(self.sku)


def _counts(n: int) -> list[int]:
    """SKUs per category: proportional to the shares, at least two each, summing to `n`."""
    shares = np.array([c.share for c in CATEGORIES])
    counts = np.maximum(2, np.floor(shares * n).astype(int))
    order = np.argsort(-shares)
    i = 0
    while counts.sum() < n:
        counts[order[i % len(order)]] += 1
        i += 1
    while counts.sum() > n:
        j = order[i % len(order)]
        if counts[j] > 2:
            counts[j] -= 1
        i += 1
    return [int(c) for c in counts]


def _round_price(cents: np.ndarray) -> np.ndarray:
    """Shelf prices end in .99."""
    result: np.ndarray = (np.maximum(cents, 500) // 100) * 100 + 99
    return result


def _most_behind(mass: np.ndarray, share: np.ndarray, weight: float, rng: np.random.Generator) -> int:
    """The group (marketplace or channel) furthest below its share of volume; adds `weight` to it."""
    gap = share * (mass.sum() + weight) - mass + 1e-9 * rng.random(len(mass))
    chosen = int(np.argmax(gap))
    mass[chosen] += weight
    return chosen


def build_catalogue(rng: np.random.Generator, n: int, history_days: int) -> Catalogue:
    rows: list[tuple[str, str, int, int, int, float, float, float, int]] = []
    market_share = np.array([m.share for m in MARKETPLACES])
    channel_share = np.array([1.0 - FBA_SHARE, FBA_SHARE])
    for cat_index, (category, count) in enumerate(zip(CATEGORIES, _counts(n), strict=True)):
        options = variants(category.key)
        products: list[tuple[int, list[tuple[str, str, float]], float, float, int]] = []
        made = 0
        while made < count:
            k = min(count - made, int(rng.integers(1, min(len(options), 8) + 1)))
            chosen = np.sort(rng.choice(len(options), size=k, replace=False))
            brand = BRANDS[category.key][int(rng.integers(len(BRANDS[category.key])))]
            noun = PRODUCTS[category.key][int(rng.integers(len(PRODUCTS[category.key])))]
            popularity = float(np.exp(1.0 * rng.standard_normal()))
            price = category.price_median * float(np.exp(0.55 * rng.standard_normal()))
            lo, hi = category.return_rate
            rate = lo + (hi - lo) * float(rng.uniform(0.2, 0.6))
            launch = 0 if rng.random() < 0.75 else int(rng.integers(1, max(2, history_days - 45)))
            skus = [
                (
                    options[v][0],
                    f"{brand} {noun}, {options[v][1]}",
                    popularity * float(np.exp(0.5 * rng.standard_normal())),
                )
                for v in chosen.tolist()
            ]
            products.append((len(products) + 1, skus, min(price, 49_999), rate, launch))
            made += k
        # Biggest products first, each to the marketplace and channel furthest below its share of
        # sales volume: the split then holds for what sells, not just for SKU counts.
        market_mass = np.zeros(len(MARKETPLACES))
        channel_mass = np.zeros(2)

        def volume(p: tuple[int, list[tuple[str, str, float]], float, float, int]) -> float:
            return sum(pop for _, _, pop in p[1]) * (history_days - p[4]) / history_days

        for product in sorted(products, key=volume, reverse=True):
            number, skus, price, rate, launch = product
            market = _most_behind(market_mass, market_share, volume(product), rng)
            channel = _most_behind(channel_mass, channel_share, volume(product), rng)
            for code, title, pop in skus:
                sku = f"{SKU_PREFIX[category.key]}-{number:05d}-{code}"
                local_price = price * MARKETPLACES[market].price_factor
                rows.append((sku, title, cat_index, market, channel, local_price, pop, rate, launch))
    rows.sort(key=lambda r: r[0])
    price_minor = _round_price(np.array([r[5] for r in rows]).astype(np.int64))
    cost_ratio = rng.uniform(0.25, 0.45, len(rows))
    return Catalogue(
        sku=[r[0] for r in rows],
        asin=ids.asins(rng, len(rows)),
        title=[r[1] for r in rows],
        category=np.array([r[2] for r in rows], dtype=np.int64),
        marketplace=np.array([r[3] for r in rows], dtype=np.int64),
        channel=np.array([r[4] for r in rows], dtype=np.int64),
        price_minor=price_minor,
        unit_cost_minor=(price_minor * cost_ratio).astype(np.int64),
        popularity=np.array([r[6] for r in rows]),
        return_rate=np.array([r[7] for r in rows]),
        launch=np.array([r[8] for r in rows], dtype=np.int64),
    )
