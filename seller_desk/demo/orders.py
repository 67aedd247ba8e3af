"""Orders that matter, their lines and what was charged, component by component.

Only orders with a story get a row: every returned order, and recent orders still on their way to the
buyer. Charges are integer minor units per component, as the marketplace reports them: principal is
price × quantity, shipping is mostly free for Prime/FBA, tax follows the marketplace (US sales tax on
top, UK/DE VAT included in the price), gift wrap is occasional and a promotion is the size of its
discount (≥ 0, as everywhere in the store).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seller_desk.demo import ids
from seller_desk.demo.catalogue import Catalogue
from seller_desk.demo.markets import MARKETPLACES, buyer_name_pool

BUYER_POOLS = [buyer_name_pool(m.code) for m in MARKETPLACES]
BUYER_POOL: tuple[str, ...] = tuple(name for pool in BUYER_POOLS for name in pool)
_BUYER_OFFSETS = np.cumsum([0] + [len(p) for p in BUYER_POOLS])


@dataclass(slots=True)
class Orders:
    # per order
    order_id: np.ndarray  # fixed-width bytes
    marketplace: np.ndarray
    channel: np.ndarray
    purchased_at: np.ndarray
    buyer: np.ndarray  # index into BUYER_POOL
    tax_rate: np.ndarray
    # per line (lines of one order are contiguous, orders in order)
    line_order: np.ndarray  # order index (0-based)
    line_sku: np.ndarray
    line_qty: np.ndarray
    line_primary: np.ndarray  # bool: the line the return is about
    item_code: np.ndarray
    principal: np.ndarray
    shipping: np.ndarray
    tax: np.ndarray
    shipping_tax: np.ndarray
    gift_wrap: np.ndarray
    promotion: np.ndarray
    first_line: np.ndarray  # per order: index of its first line

    def __len__(self) -> int:
        return len(self.order_id)


def _pick_skus(rng: np.random.Generator, cat: Catalogue, like: np.ndarray) -> np.ndarray:
    """For each entry of `like` (a SKU index), another SKU of the same marketplace and channel."""
    group = cat.marketplace * 2 + cat.channel
    out = like.copy()
    for g in np.unique(group[like]):
        members = np.flatnonzero(group == g)
        rows = np.flatnonzero(group[like] == g)
        cdf = np.cumsum(cat.popularity[members])
        pick = np.searchsorted(cdf, rng.random(len(rows)) * cdf[-1], side="right")
        out[rows] = members[np.minimum(pick, len(members) - 1)]
    return out


def _tax(amount: np.ndarray, rate: np.ndarray, inclusive: np.ndarray) -> np.ndarray:
    """US sales tax is added on top; UK/DE VAT is the part of a VAT-inclusive price."""
    on_top = np.rint(amount * rate)
    included = np.rint(amount * rate / (1.0 + rate))
    result: np.ndarray = np.maximum(np.where(inclusive, included, on_top).astype(np.int64), 0)
    return result


def build_orders(
    rng: np.random.Generator,
    cat: Catalogue,
    primary_sku: np.ndarray,
    purchased_at: np.ndarray,
    returned: np.ndarray,
) -> Orders:
    """Orders in the given order; `returned` marks returned orders (they may have several lines)."""
    n = len(primary_sku)
    market = cat.marketplace[primary_sku]
    channel = cat.channel[primary_sku]
    qty = np.where(returned, rng.choice([1, 2, 3], size=n, p=[0.9, 0.08, 0.02]), 1)
    extra = np.where(returned, rng.choice([0, 1, 2], size=n, p=[0.88, 0.10, 0.02]), 0)
    lines_per = 1 + extra
    first_line = np.concatenate([[0], np.cumsum(lines_per)[:-1]])
    line_order = np.repeat(np.arange(n), lines_per)
    position = np.arange(len(line_order)) - first_line[line_order]
    primary = position == 0
    line_sku = np.where(primary, primary_sku[line_order], _pick_skus(rng, cat, primary_sku[line_order]))
    line_qty = np.where(primary, qty[line_order], 1)

    base = cat.price_minor[line_sku]
    discounted = (base * rng.uniform(0.8, 1.05, len(base))).astype(np.int64) // 100 * 100 + 99
    unit = np.where(rng.random(len(base)) < 0.1, np.minimum(discounted, base), base)
    principal = unit * line_qty
    promo_share = rng.choice([0.1, 0.15, 0.2], size=len(base))
    promotion = np.where(rng.random(len(base)) < 0.08, np.rint(principal * promo_share), 0).astype(np.int64)

    rates = np.zeros(n)
    for m_index, m in enumerate(MARKETPLACES):
        rows = np.flatnonzero(market == m_index)
        rates[rows] = rng.choice(m.tax_rates, size=len(rows), p=m.tax_weights)
    inclusive = np.array([m.code != "US" for m in MARKETPLACES])[market]
    fee = rng.integers(3, 8, n) * 100 + 99  # a shipping fee, charged once per order
    charged = np.where(channel == 1, rng.random(n) < 0.1, rng.random(n) < 0.45)
    shipping = np.where(primary & charged[line_order], fee[line_order], 0)
    gift_wrap = np.where(rng.random(len(base)) < 0.015, 399, 0)
    line_rate = rates[line_order]
    line_inclusive = inclusive[line_order]
    tax = _tax((principal - promotion).astype(float), line_rate, line_inclusive)
    shipping_tax = _tax(shipping.astype(float), line_rate, line_inclusive)

    prefixes = np.zeros((n, 3), dtype=np.uint8)
    for m_index, m in enumerate(MARKETPLACES):
        rows = np.flatnonzero(market == m_index)
        table = np.frombuffer("".join(m.order_prefixes).encode(), dtype=np.uint8).reshape(-1, 3)
        prefixes[rows] = table[rng.integers(0, len(table), len(rows))]
    pool_size = np.diff(_BUYER_OFFSETS)[market]
    buyer = _BUYER_OFFSETS[:-1][market] + (rng.random(n) * pool_size).astype(np.int64)

    return Orders(
        order_id=ids.order_ids(rng, np.arange(n), prefixes),
        marketplace=market,
        channel=channel,
        purchased_at=purchased_at,
        buyer=buyer,
        tax_rate=rates,
        line_order=line_order,
        line_sku=line_sku,
        line_qty=line_qty,
        line_primary=primary,
        item_code=ids.order_item_codes(rng, np.arange(len(line_order))),
        principal=principal,
        shipping=shipping,
        tax=tax,
        shipping_tax=shipping_tax,
        gift_wrap=gift_wrap,
        promotion=promotion,
        first_line=first_line,
    )
