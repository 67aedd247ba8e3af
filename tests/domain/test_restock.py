"""Restock maths on small hand-built SKUs whose answers can be worked out on paper."""

from __future__ import annotations

from datetime import date

import pytest

from seller_desk.domain.restock import Arrival, RestockSettings, SkuInputs, plan_sku, project

TODAY = date(2026, 11, 22)
SETTINGS = RestockSettings(
    horizon_days=10, default_lead_time_days=5, cover_target_days=3, safety_stock_days=2
)


def test_without_returns_stock_runs_out_on_the_day_cover_ends() -> None:
    plan = plan_sku(SkuInputs("A", on_hand=10, sales_per_day=4.0, lead_time_days=None), SETTINGS, TODAY)
    assert plan.with_returns[:4] == (10, 6, 2, 0)  # sales that find no stock are lost, not owed
    assert plan.days_of_cover == pytest.approx(2.5)
    assert plan.stockout == date(2026, 11, 25)  # day 3 ends with an empty shelf
    assert plan.with_returns == plan.without_returns
    # demand 4 × (5 + 3) = 32, safety 4 × 2 = 8, minus 10 on hand = 30
    assert plan.reorder == 30
    assert plan.lead_time_days == 5


def test_returns_in_transit_push_the_stockout_back_and_cut_the_reorder() -> None:
    arrivals = (
        Arrival(day=2, units=4.0, p_sellable=0.5, reason="size_fit", source="in transit"),
        Arrival(day=-3, units=2.0, p_sellable=1.0, reason="unwanted", source="in transit"),  # ETA passed
        Arrival(day=20, units=9.0, p_sellable=1.0, reason="unwanted", source="in transit"),  # after window
    )
    inputs = SkuInputs("B", on_hand=10, sales_per_day=4.0, lead_time_days=5, arrivals=arrivals)
    plan = plan_sku(inputs, SETTINGS, TODAY)
    # day 0: 10 + 2 = 12; day 1: 8; day 2: 8 + 2 − 4 = 6; day 3: 2; day 4 short: cover 3 + 2/4
    assert plan.with_returns[:5] == (12, 8, 6, 2, 0)
    assert plan.without_returns[:4] == (10, 6, 2, 0)
    assert plan.days_of_cover == pytest.approx(3.5)
    assert plan.stockout == date(2026, 11, 26)
    assert plan.inbound_units == pytest.approx(6.0)  # within the 10-day horizon
    assert plan.expected_sellable == pytest.approx(4.0)
    # 32 + 8 − 10 − 0 − 4 (sellable within 5 + 3 days) = 26
    assert plan.reorder == 26


def test_explanation_terms_add_up_to_the_suggestion() -> None:
    arrivals = (Arrival(day=1, units=3.0, p_sellable=0.6, reason="defective", source="in transit"),)
    inputs = SkuInputs(
        "C", on_hand=7, sales_per_day=2.5, lead_time_days=4, inbound_po_units=5, arrivals=arrivals
    )
    plan = plan_sku(inputs, SETTINGS, TODAY)
    terms = {term.label: term.value for term in plan.explanation.terms}
    assert terms == pytest.approx(
        {
            "demand": 2.5 * 7,
            "safety stock": 5.0,
            "on hand": -7.0,
            "open purchase orders": -5.0,
            "expected sellable returns": -1.8,
        }
    )
    assert plan.explanation.raw == pytest.approx(sum(terms.values()))
    assert plan.reorder == 9  # 17.5 + 5 − 7 − 5 − 1.8 = 8.7, rounded up to whole units
    text = plan.explanation.text()
    assert "Suggested reorder: 9 units" in text
    assert "3.0 × P(sellable 0.60) = 1.8  defective, in transit, day 1" in text


def test_reorder_is_never_negative_and_a_sku_that_does_not_sell_never_runs_out() -> None:
    plan = plan_sku(SkuInputs("D", on_hand=50, sales_per_day=0.0, lead_time_days=3), SETTINGS, TODAY)
    assert plan.reorder == 0
    assert plan.days_of_cover is None
    assert plan.stockout is None
    assert "No sales" in plan.explanation.text()


def test_an_empty_shelf_is_out_of_stock_today() -> None:
    plan = plan_sku(SkuInputs("E", on_hand=0, sales_per_day=1.0, lead_time_days=3), SETTINGS, TODAY)
    assert plan.days_of_cover == 0
    assert plan.stockout == TODAY


def test_cover_beyond_the_horizon_extends_at_the_same_rate() -> None:
    series, cover = project(100, 2.0, [0.0] * 11)
    assert series[-1] == 80
    assert cover == pytest.approx(50.0)


def test_settings_refuse_nonsense_with_the_setting_named() -> None:
    with pytest.raises(ValueError, match="horizon_days"):
        RestockSettings(horizon_days=0)
    with pytest.raises(ValueError, match="safety_stock_days"):
        RestockSettings(safety_stock_days=-1)
