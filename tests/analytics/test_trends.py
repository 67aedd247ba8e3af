"""The trends frames on a hand-built store whose every answer is counted by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from seller_desk.analytics.trends import UNMAPPED, compute_trends
from seller_desk.store.queries.trends import TrendsFilter
from tests.fixtures.trends_data import MONDAY, HandStore, hand_store


@pytest.fixture
def store(tmp_path: Path) -> HandStore:
    s = hand_store(tmp_path)
    for sku, category in (("A", "kitchen"), ("B", "kitchen"), ("C", "toys"), ("D", "toys")):
        s.add_sku(sku, category, title=f"Thing {sku}")
    # Week 1: A defective ×3 (one of them 2 units), B unwanted ×1, C unmapped ×1.
    s.add_return("A", "defective", MONDAY)
    s.add_return("A", "defective", MONDAY + 1, quantity=2)
    s.add_return("A", "defective", MONDAY + 6)
    s.add_return("B", "unwanted", MONDAY + 2)
    s.add_return("C", None, MONDAY + 3)
    # Week 2 (nothing); week 3: A unwanted ×1, D defective ×2.
    s.add_return("A", "unwanted", MONDAY + 14)
    s.add_return("D", "defective", MONDAY + 15)
    s.add_return("D", "defective", MONDAY + 16)
    s.add_sales("A", MONDAY, 40)  # A: 5 units returned of 50 sold = 10 %
    s.add_sales("A", MONDAY + 15, 10)
    s.add_sales("B", MONDAY, 100)  # B: 1 %
    s.add_sales("D", MONDAY + 2, 4)  # D: 2 of 4 = 50 %, but too few sold to rank first
    return s


def test_weekly_buckets_are_zero_filled_and_ordered_by_total(store: HandStore) -> None:
    data = compute_trends(store.conn, TrendsFilter(first_day=MONDAY, end_day=MONDAY + 21))
    assert data.buckets.index.tolist() == [MONDAY, MONDAY + 7, MONDAY + 14]
    assert data.buckets.columns.tolist() == ["defective", "unwanted", UNMAPPED]
    assert data.buckets.to_numpy().tolist() == [[3, 1, 1], [0, 0, 0], [2, 1, 0]]
    assert data.total_returns == 8


def test_monthly_buckets(store: HandStore) -> None:
    data = compute_trends(store.conn, TrendsFilter(first_day=MONDAY, end_day=MONDAY + 21, bucket="month"))
    assert len(data.buckets) == 1  # 10 Nov – 30 Nov 2025: one month
    assert int(data.buckets.to_numpy().sum()) == 8


def test_return_rate_per_sku_is_units_returned_over_units_sold_ranked(store: HandStore) -> None:
    rates = compute_trends(store.conn, TrendsFilter(first_day=MONDAY, end_day=MONDAY + 21)).rates
    assert rates["sku"].tolist() == ["A", "B", "D", "C"]
    a = rates.set_index("sku").loc["A"]
    assert (a["returns"], a["units_returned"], a["units_sold"]) == (4, 5, 50)
    assert a["rate"] == pytest.approx(0.10)
    assert rates.set_index("sku").loc["B", "rate"] == pytest.approx(0.01)
    d = rates.set_index("sku").loc["D"]
    assert d["rate"] == pytest.approx(0.5) and not d["reliable"]
    assert np.isnan(rates.set_index("sku").loc["C", "rate"])  # nothing sold: no rate, not infinity
    assert rates.set_index("sku").loc["A", "title"] == "Thing A"


def test_pareto_shares_add_up(store: HandStore) -> None:
    pareto = compute_trends(store.conn, TrendsFilter(first_day=MONDAY, end_day=MONDAY + 21)).pareto
    assert pareto["reason"].tolist() == ["defective", "unwanted", UNMAPPED]
    assert pareto["returns"].tolist() == [5, 2, 1]
    assert pareto["cumulative"].tolist() == pytest.approx([5 / 8, 7 / 8, 1.0])


def test_reason_by_sku_matrix_keeps_the_top_skus(store: HandStore) -> None:
    data = compute_trends(store.conn, TrendsFilter(first_day=MONDAY, end_day=MONDAY + 21), top=2)
    assert data.matrix.columns.tolist() == ["A", "D"]  # 4 and 2 returns; B and C have 1 each
    assert data.matrix.loc["defective"].tolist() == [3, 2]
    assert data.matrix.loc["unwanted"].tolist() == [1, 0]


def test_filters_narrow_everything(store: HandStore) -> None:
    data = compute_trends(store.conn, TrendsFilter(first_day=MONDAY, end_day=MONDAY + 21, category="toys"))
    assert data.total_returns == 3
    assert set(data.rates["sku"]) == {"C", "D"}
    only_a = compute_trends(store.conn, TrendsFilter(first_day=MONDAY, end_day=MONDAY + 7, sku="A"))
    assert only_a.buckets.to_numpy().tolist() == [[3]]


def test_an_empty_window_gives_empty_frames(store: HandStore) -> None:
    data = compute_trends(store.conn, TrendsFilter(first_day=MONDAY + 700, end_day=MONDAY + 707))
    assert data.total_returns == 0 and data.rates.empty and data.pareto.empty and data.spikes == []
    assert data.buckets.index.tolist() == [MONDAY + 700]
