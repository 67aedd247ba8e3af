"""Empirical-Bayes P(sellable): few inspections stay near the category, many follow the SKU."""

from __future__ import annotations

import pytest

from seller_desk.analytics.sellable import NO_HISTORY_RATE, PRIOR_WEIGHT, learn_rates, shrink
from seller_desk.store.queries.restock import InspectionCount

CATEGORY_OF = {"GOOD": "toys", "FEW": "toys", "MANY": "toys", "BAD": "toys", "NEW": "toys", "LAMP": "home"}


def _rates(few: tuple[int, int], many: tuple[int, int]) -> dict[str, float]:
    counts = [
        InspectionCount("GOOD", "unwanted", 900, 1000),  # the category is 90 % sellable for "unwanted"
        InspectionCount("BAD", "unwanted", 4, 5),
        InspectionCount("FEW", "unwanted", *few),
        InspectionCount("MANY", "unwanted", *many),
    ]
    rates = learn_rates(counts, CATEGORY_OF)
    return {sku: rates.rate(sku, "toys", "unwanted") for sku in ("FEW", "MANY", "NEW")}


def test_shrink_is_the_posterior_mean_with_a_prior_worth_m_inspections() -> None:
    assert shrink(0, 0, 0.7) == pytest.approx(0.7)
    assert shrink(3, 4, 0.5) == pytest.approx((3 + PRIOR_WEIGHT * 0.5) / (4 + PRIOR_WEIGHT))


def test_few_inspections_stay_near_the_category_rate() -> None:
    rates = _rates(few=(0, 2), many=(0, 2))
    assert 0.7 < rates["FEW"] < 0.9  # two unsellable units do not make a 0 % SKU
    assert rates["NEW"] == pytest.approx(rates["FEW"] * 12 / 10, rel=0.01)  # never inspected: the category


def test_many_inspections_follow_the_skus_own_rate() -> None:
    rates = _rates(few=(0, 2), many=(100, 1000))
    assert rates["MANY"] == pytest.approx(0.1, abs=0.01)  # 10 % of 1,000, barely moved by the prior


def test_a_reason_the_category_never_saw_falls_back_to_the_category_then_the_store() -> None:
    counts = [InspectionCount("GOOD", "unwanted", 9, 10), InspectionCount("LAMP", "defective", 0, 10)]
    rates = learn_rates(counts, CATEGORY_OF)
    overall = 9 / 20
    toys = shrink(9, 10, overall)
    assert rates.rate("NEW", "toys", "defective") == pytest.approx(toys)
    assert rates.rate("X", "garden", "defective") == pytest.approx(overall)
    assert "0 of 0 inspected" in rates.evidence("NEW", "toys", "defective")
    assert learn_rates([], {}).rate("X", "toys", "unwanted") == NO_HISTORY_RATE
