"""The plan for every SKU of the hand-built store: arrivals placed and weighted as documented."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import pytest

from seller_desk.analytics.restock import NO_ETA_DAYS, RestockInputs, plan_all, read_inputs
from seller_desk.domain.restock import RestockSettings
from tests.fixtures.restock_data import TODAY, build_restock_store


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> RestockInputs:
    path: Path = build_restock_store(tmp_path_factory.mktemp("restock"))
    with sqlite3.connect(path) as conn:
        return read_inputs(conn, TODAY)


def test_inputs_carry_the_ship_share_and_delay_from_history(inputs: RestockInputs) -> None:
    assert inputs.ship_share == pytest.approx(0.75)
    assert inputs.authorized_delay_days == 5


def test_plan_places_and_weights_each_inbound_return(inputs: RestockInputs) -> None:
    rows = {row.sku: row for row in plan_all(inputs, RestockSettings())}
    tee = rows["TEE-1"].plan
    p_size = inputs.rates.rate("TEE-1", "apparel", "size_fit")
    p_unwanted = inputs.rates.rate("TEE-1", "apparel", "unwanted")
    assert tee.sales_per_day == 2.0
    assert tee.inbound_units == pytest.approx(3 + 0.75)  # the authorized unit × the ship share
    assert tee.expected_sellable == pytest.approx(3 * p_size + 0.75 * p_unwanted)
    assert tee.with_returns[3] - tee.without_returns[3] == pytest.approx(3 * p_size)  # due on day 3
    assert tee.with_returns[5] - tee.without_returns[5] == pytest.approx(tee.expected_sellable)  # day 5
    demand = 2 * (10 + 14) + 2 * 7
    assert tee.reorder == math.ceil(demand - 20 - tee.expected_sellable)

    mug = rows["MUG-1"].plan
    days = sorted((a.day, a.source) for a in mug.explanation.arrivals)
    expected = [(0, "delivered, awaiting inspection"), (3, "in transit"), (NO_ETA_DAYS, "no ETA, assumed")]
    assert days == expected
    assert mug.with_returns[0] > 5  # the delivered unit counts today


def test_plan_is_most_urgent_first_and_a_sku_without_stock_row_gets_the_default_lead_time(
    inputs: RestockInputs,
) -> None:
    rows = plan_all(inputs, RestockSettings(default_lead_time_days=21))
    assert [row.sku for row in rows] == ["MUG-1", "TEE-1", "TEE-2"]
    assert rows[2].plan.lead_time_days == 21
    assert rows[2].plan.days_of_cover is None  # TEE-2 sells nothing
