"""P(sellable | SKU, reason) learned from past inspections, shrunk toward the category when data is thin.

A SKU with two inspected "size/fit" returns, both restocked, has not shown a 100 % sellable rate; its
category has. Empirical Bayes with a beta prior centred on the category's rate does what a seller would:

    p(SKU, reason) = (k + m · p_cat(category, reason)) / (n + m)

where n is the SKU's inspected units for that reason, k the sellable ones, and ``m`` = ``PRIOR_WEIGHT``
= 10: the category's rate counts as much as ten of the SKU's own inspections. With n = 0 the estimate
is the category's rate; with n = 200 it is within 5 % of the SKU's own. The category's rate per reason
is shrunk the same way toward the category's all-reason rate, and that toward the rate of the whole
store, so a reason the category has never seen still gets a sensible figure. An empty history gives
``NO_HISTORY_RATE`` (a coin toss, said as such in the explanation).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from seller_desk.store.queries.restock import InspectionCount

PRIOR_WEIGHT = 10.0
NO_HISTORY_RATE = 0.5


def shrink(sellable: float, inspected: float, prior: float, weight: float = PRIOR_WEIGHT) -> float:
    """(k + m·p) / (n + m): the posterior mean of a beta prior worth ``weight`` observations."""
    return (sellable + weight * prior) / (inspected + weight)


@dataclass(frozen=True, slots=True)
class SellableRates:
    """The learned rates with what they were learned from, so a plan can say "from 12 inspections"."""

    by_sku_reason: Mapping[tuple[str, str], tuple[int, int]]  # (sellable, inspected)
    category_reason: Mapping[tuple[str, str], float]
    category: Mapping[str, float]
    overall: float

    def category_rate(self, category: str, reason: str) -> float:
        rate = self.category_reason.get((category, reason))
        if rate is not None:
            return rate
        return self.category.get(category, self.overall)

    def rate(self, sku: str, category: str, reason: str) -> float:
        k, n = self.by_sku_reason.get((sku, reason), (0, 0))
        return shrink(k, n, self.category_rate(category, reason))

    def evidence(self, sku: str, category: str, reason: str) -> str:
        """In words: how the rate for this SKU and reason was found."""
        k, n = self.by_sku_reason.get((sku, reason), (0, 0))
        prior = self.category_rate(category, reason)
        return f"{k} of {n} inspected sellable, shrunk toward {category} {prior:.2f} (m={PRIOR_WEIGHT:g})"


def learn_rates(counts: Iterable[InspectionCount], category_of: Mapping[str, str]) -> SellableRates:
    """Fold the per-SKU counts into SKU, category-reason, category and store-wide rates."""
    by_sku_reason: dict[tuple[str, str], tuple[int, int]] = {}
    cat_reason: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    cat: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    total = [0, 0]
    for row in counts:
        by_sku_reason[(row.sku, row.reason)] = (row.sellable, row.inspected)
        category = category_of.get(row.sku, "")
        for bucket in (cat_reason[(category, row.reason)], cat[category], total):
            bucket[0] += row.sellable
            bucket[1] += row.inspected
    overall = total[0] / total[1] if total[1] else NO_HISTORY_RATE
    category_rates = {c: shrink(k, n, overall) for c, (k, n) in cat.items()}
    category_reason_rates = {
        (c, reason): shrink(k, n, category_rates[c]) for (c, reason), (k, n) in cat_reason.items()
    }
    return SellableRates(by_sku_reason, category_reason_rates, category_rates, overall)
