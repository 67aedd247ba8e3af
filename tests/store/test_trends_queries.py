"""Trend aggregates: counts per week and month × reason agree with counting the rows one by one, the
weekly count reads only the (week, reason) index, and every bucket's Returns filter (reason, SKU, exact
UTC bounds) selects exactly the returns the bucket counted."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.queries.returns import ReturnsFilter, count_returns
from seller_desk.store.queries.trends import (
    TrendsFilter,
    day_to_utc,
    monday_of,
    money_totals,
    month_start,
    monthly_counts,
    next_month,
    sku_reason_counts,
    sku_weekly_counts,
    units_sold,
    weekly_counts,
    weekly_sql,
)
from tests.fixtures.returns_data import seed_returns
from tests.fixtures.trends_data import MONDAY, hand_store

N = 1_500


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = tmp_path_factory.mktemp("trends") / DB_FILENAME
    store = open_store(path)
    seed_returns(store, N)
    store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE returns SET reason = NULL WHERE id % 23 = 0")
    yield conn
    conn.close()


def _rows(conn: sqlite3.Connection) -> list[tuple[str, str | None, int, str, str, int]]:
    return conn.execute(
        "SELECT sku, reason, requested_at, marketplace, channel, quantity FROM returns"
    ).fetchall()


def test_week_and_month_arithmetic() -> None:
    assert datetime.fromtimestamp(monday_of(MONDAY + 6) * 86_400, UTC).date().isoformat() == "2025-11-10"
    assert monday_of(MONDAY) == MONDAY and monday_of(MONDAY - 1) == MONDAY - 7
    assert day_to_utc(month_start(MONDAY)) == datetime(2025, 11, 1, tzinfo=UTC)
    assert day_to_utc(next_month(MONDAY)) == datetime(2025, 12, 1, tzinfo=UTC)
    assert day_to_utc(next_month(month_start(MONDAY) + 40)) == datetime(2026, 1, 1, tzinfo=UTC)
    assert TrendsFilter(first_day=MONDAY + 2, end_day=MONDAY + 9).window() == (MONDAY, MONDAY + 14)
    with pytest.raises(ValueError, match="empty window"):
        TrendsFilter(first_day=5, end_day=5)
    with pytest.raises(ValueError, match="bucket"):
        TrendsFilter(bucket="day")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "f",
    [TrendsFilter(), TrendsFilter(marketplace="UK"), TrendsFilter(channel="FBA", category="sports"),
     TrendsFilter(sku="SSW-BLA-000")],
    ids=["all", "marketplace", "channel+category", "sku"],
)  # fmt: skip
def test_weekly_and_monthly_counts_equal_counting_rows(db: sqlite3.Connection, f: TrendsFilter) -> None:
    category = dict(db.execute("SELECT sku, category FROM skus"))
    kept = [
        r for r in _rows(db)
        if (f.marketplace in (None, r[3])) and (f.channel in (None, r[4])) and (f.sku in (None, r[0]))
        and (f.category in (None, category[r[0]]))
    ]  # fmt: skip
    by_week = Counter((monday_of(r[2] // 86_400), r[1]) for r in kept)
    by_month = Counter((month_start(r[2] // 86_400), r[1]) for r in kept)
    assert {(c.start_day, c.reason): c.returns for c in weekly_counts(db, f)} == by_week
    monthly = TrendsFilter(**{k: getattr(f, k) for k in ("sku", "category", "marketplace", "channel")},
                           bucket="month")  # fmt: skip
    assert {(c.start_day, c.reason): c.returns for c in monthly_counts(db, monthly)} == by_month
    per_sku: Counter[tuple[str, str | None]] = Counter()
    units: Counter[tuple[str, str | None]] = Counter()
    for r in kept:
        per_sku[(r[0], r[1])] += 1
        units[(r[0], r[1])] += r[5]
    got_returns: Counter[tuple[str, str | None]] = Counter()
    got_units: Counter[tuple[str, str | None]] = Counter()
    for c in sku_reason_counts(db, f, scan=f.sku is None):  # one row per currency too
        got_returns[(c.sku, c.reason)] += c.returns
        got_units[(c.sku, c.reason)] += c.units
    assert got_returns == per_sku and got_units == units


def test_window_is_whole_weeks_and_the_lookback_reaches_back(db: sqlite3.Connection) -> None:
    weeks = sorted({c.start_day for c in weekly_counts(db, TrendsFilter())})
    middle = weeks[len(weeks) // 2]
    f = TrendsFilter(first_day=middle + 3, end_day=middle + 10)  # Thursday to Thursday: two whole weeks
    got = {c.start_day for c in weekly_counts(db, f)}
    assert got <= {middle, middle + 7} and middle in got
    back = {c.start_day for c in weekly_counts(db, f, lookback_weeks=8)}
    assert min(back) >= middle - 56 and back >= got and len(back) > len(got)
    skus = [db.execute("SELECT sku FROM returns WHERE week = ?", (middle,)).fetchone()[0]]
    sku_rows = sku_weekly_counts(db, f, skus)
    expected = db.execute(
        "SELECT count(*) FROM returns WHERE sku = ? AND week >= ? AND week < ?",
        (skus[0], middle, middle + 14),
    ).fetchone()[0]
    assert sum(r.returns for r in sku_rows) == expected > 0


def test_the_weekly_count_reads_only_its_covering_index(db: sqlite3.Connection) -> None:
    sql, params = weekly_sql(TrendsFilter(first_day=20_000, end_day=20_100), lookback_weeks=8)
    plan = " ".join(str(row[3]) for row in db.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert "COVERING INDEX ix_returns_week_reason" in plan and "TEMP B-TREE" not in plan


def test_each_week_bucket_opens_exactly_its_returns(db: sqlite3.Connection) -> None:
    """The drill-down's ReturnsFilter (reason, SKU, UTC bounds of the week) counts what the bar counted."""
    sku = "SSW-BLA-000"
    buckets = [c for c in weekly_counts(db, TrendsFilter(sku=sku)) if c.reason is not None]
    assert len(buckets) > 20
    for c in buckets:
        f = ReturnsFilter(
            reason=c.reason, sku=sku, requested_from=day_to_utc(c.start_day),
            requested_to=day_to_utc(c.start_day + 7),
        )  # fmt: skip
        assert count_returns(db, f) == c.returns


def test_units_sold_and_money_on_hand_built_data(tmp_path: Path) -> None:
    store = hand_store(tmp_path)
    store.add_sku("A", "kitchen")
    store.add_sku("B", "toys")
    first = store.add_return("A", "defective", MONDAY, label_cost=650, label_paid_by="seller")
    second = store.add_return("A", "defective", MONDAY + 1, label_cost=500, label_paid_by="customer")
    store.add_return("B", "unwanted", MONDAY + 2, currency="EUR", marketplace="DE", label_cost=400,
                     label_paid_by="seller")  # fmt: skip
    store.add_return("A", "defective", MONDAY + 30, label_cost=999, label_paid_by="seller")  # outside
    store.add_refund(first, [("principal", 2000, True), ("principal", -400, True), ("tax", 160, True)])
    store.add_refund(second, [("principal", 1500, False)])  # approved, not yet paid: not refunded
    for day, units in ((MONDAY - 1, 100), (MONDAY, 7), (MONDAY + 6, 5), (MONDAY + 7, 1000)):
        store.add_sales("A", day, units)
    store.add_sales("B", MONDAY + 3, 9, marketplace="DE")
    f = TrendsFilter(first_day=MONDAY, end_day=MONDAY + 7)
    assert units_sold(store.conn, f) == {"A": 12, "B": 9}
    assert units_sold(store.conn, TrendsFilter(first_day=MONDAY, end_day=MONDAY + 7, marketplace="DE")) == {
        "B": 9
    }
    totals = {m.currency: m for m in money_totals(store.conn, f)}
    assert totals["USD"].refunded_minor == 2000 - 400 + 160
    assert totals["USD"].fees_kept_minor == 400
    assert totals["USD"].label_costs_minor == 650
    assert (totals["EUR"].refunded_minor, totals["EUR"].label_costs_minor) == (0, 400)
    everything = {
        m.currency: m for m in money_totals(store.conn, TrendsFilter(), scan=True)
    }  # payments first
    assert everything["USD"] == ("USD", 1760, 400, 650 + 999)
    store.conn.close()
