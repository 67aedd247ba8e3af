"""Quick filters of the Returns list: exact membership, local-day bounds, counts, and their indexes."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.queries import returns_quick
from seller_desk.store.queries._returns_sql import count_sql, page_sql
from seller_desk.store.queries.returns import (
    DEFAULT_SORT,
    ReturnsFilter,
    _layout,
    count_returns,
    page_returns,
)
from seller_desk.store.queries.returns_quick import (
    PARTIAL_INDEXES,
    QUICK_INDEX,
    QuickFilter,
    local_day_start,
    quick_counts,
    quick_params,
)
from tests.fixtures.returns_data import seed_returns

NOW = int(datetime(2026, 11, 18, 15, 0, tzinfo=ZoneInfo("Europe/Berlin")).timestamp())  # a Wednesday
DAY = 86_400
H = 3_600
# id: (status, tracking_status, eta offset from NOW, last scan offset from NOW) — the rest stay closed.
CASES = {
    1: ("in_transit", "in_transit", 2 * H, -1 * H),  # arriving today
    2: ("authorized", "info_received", 8 * H, None),  # today, 23:00 local: still today
    3: ("in_transit", "in_transit", 10 * H, -2 * DAY),  # tomorrow 01:00: this week, not today
    4: ("in_transit", "in_transit", 6 * DAY, -6 * DAY),  # in 6 days, and stalled (no scan for 6 days)
    5: ("in_transit", "exception", 8 * DAY, -1 * DAY),  # exception; beyond the week
    6: ("lost", "lost", None, -30 * DAY),  # lost
    7: ("delivered", "delivered", -1 * DAY, -1 * DAY),  # awaiting receipt (ETA past, delivered)
    8: ("received", "delivered", None, -3 * DAY),  # awaiting inspection
    9: ("in_transit", "in_transit", -1 * H, -4 * DAY),  # ETA an hour ago: today, not stalled (4 days)
    10: ("delivered", "delivered", 3 * H, None),  # delivered with an ETA today: not "arriving"
}
EXPECTED = {
    QuickFilter.ARRIVING_TODAY: {1, 2, 9},
    QuickFilter.ARRIVING_WEEK: {1, 2, 3, 4, 9},
    QuickFilter.STALLED: {4},
    QuickFilter.LOST_OR_EXCEPTION: {5, 6},
    QuickFilter.AWAITING_RECEIPT: {7, 10},
    QuickFilter.AWAITING_INSPECTION: {8},
}


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    monkeypatch.setattr(returns_quick, "now_epoch", lambda: NOW)
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def db(tmp_path: Path, berlin: None) -> Iterator[sqlite3.Connection]:
    store = open_store(tmp_path / DB_FILENAME)
    seed_returns(store, 60)
    store.close()
    conn = sqlite3.connect(tmp_path / DB_FILENAME)
    conn.execute("UPDATE returns SET status = 'closed', tracking_status = 'delivered', eta = NULL")
    for return_id, (status, tracking, eta, scan) in CASES.items():
        conn.execute(
            "UPDATE returns SET status = ?, tracking_status = ?, eta = ?, last_scan_at = ? WHERE id = ?",
            (status, tracking, None if eta is None else NOW + eta, None if scan is None else NOW + scan,
             return_id),
        )  # fmt: skip
    conn.commit()
    yield conn
    conn.close()


@pytest.mark.parametrize("quick", list(QuickFilter))
def test_each_quick_filter_lists_exactly_its_returns(db: sqlite3.Connection, quick: QuickFilter) -> None:
    f = ReturnsFilter(quick=quick)
    rows = page_returns(db, f, DEFAULT_SORT, None, 100)
    assert {r.id for r in rows} == EXPECTED[quick]
    assert count_returns(db, f) == len(EXPECTED[quick])


def test_counts_match_the_lists_and_combine_with_other_filters(db: sqlite3.Connection) -> None:
    assert quick_counts(db, NOW) == {q: len(ids) for q, ids in EXPECTED.items()}
    assert quick_counts(db) == quick_counts(db, NOW)  # the module clock is the one the lists use
    only_in_transit = ReturnsFilter(quick=QuickFilter.ARRIVING_TODAY, statuses=("in_transit",))
    assert {r.id for r in page_returns(db, only_in_transit, DEFAULT_SORT, None, 100)} == {1, 9}


def test_keyset_pages_through_a_quick_filter(db: sqlite3.Connection) -> None:
    f = ReturnsFilter(quick=QuickFilter.ARRIVING_WEEK)
    seen, key = [], None
    while True:
        page = page_returns(db, f, DEFAULT_SORT, key, 2)
        seen += [r.id for r in page]
        if len(page) < 2:
            break
        key = DEFAULT_SORT.key_of(page[-1])
    assert sorted(seen) == sorted(EXPECTED[QuickFilter.ARRIVING_WEEK]) and len(seen) == len(set(seen))


def test_local_day_bounds_follow_the_time_zone_across_a_dst_change(berlin: None) -> None:
    start = local_day_start(NOW)
    assert datetime.fromtimestamp(start, ZoneInfo("Europe/Berlin")).isoformat() == "2026-11-18T00:00:00+01:00"
    spring = int(datetime(2026, 3, 26, 12, tzinfo=ZoneInfo("Europe/Berlin")).timestamp())  # DST on 29 March
    week = quick_params(QuickFilter.ARRIVING_WEEK, spring)
    shown = [
        datetime.fromtimestamp(week[k], ZoneInfo("Europe/Berlin")).isoformat() for k in ("qf_from", "qf_to")
    ]
    assert shown == ["2026-03-26T00:00:00+01:00", "2026-04-02T00:00:00+02:00"]
    today = quick_params(QuickFilter.ARRIVING_TODAY, spring)
    assert today["qf_to"] - today["qf_from"] == DAY


def test_the_partial_indexes_exist_as_declared_and_carry_the_filters(db: sqlite3.Connection) -> None:
    stored = dict(
        db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'returns'")
    )
    for name, _columns, where in PARTIAL_INDEXES:
        assert stored[name].endswith(f"WHERE {where}"), stored[name]
    for quick in (QuickFilter.ARRIVING_TODAY, QuickFilter.STALLED, QuickFilter.LOST_OR_EXCEPTION):
        shape, params = _layout(ReturnsFilter(quick=quick), DEFAULT_SORT, None)
        params.update(limit=100, offset=0)
        for sql in (page_sql(shape, keys_only=False), count_sql(shape.filters)):
            plan = " ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            assert f"INDEX {QUICK_INDEX[quick]}" in plan, (quick, plan)
    with_search = ReturnsFilter(quick=QuickFilter.STALLED, search="RMA-1")
    assert QUICK_INDEX[QuickFilter.STALLED] not in count_sql(with_search.shape)  # the search arms lead


@pytest.mark.parametrize(("days", "stalled"), [(5, {4}), (3, {4, 9}), (7, set())])
def test_the_stalled_threshold_setting_decides_which_returns_are_stalled(
    db: sqlite3.Connection, days: int, stalled: set[int]
) -> None:
    """Return 4 has had no scan for 6 days, return 9 for 4: the seller's threshold picks them out in the
    quick filter, its count, the list's flag and the attention inbox alike."""
    from seller_desk.store.queries.attention import attention_items
    from seller_desk.store.queries.returns import ReturnFlag

    listed = ReturnsFilter(quick=QuickFilter.STALLED, stalled_after_days=days)
    assert {r.id for r in page_returns(db, listed, DEFAULT_SORT, None, 100)} == stalled
    assert count_returns(db, listed) == len(stalled)
    assert quick_counts(db, NOW, stalled_after_days=days)[QuickFilter.STALLED] == len(stalled)
    everything = page_returns(db, ReturnsFilter(stalled_after_days=days), DEFAULT_SORT, None, 100)
    assert {r.id for r in everything if r.flags & ReturnFlag.STALLED} == stalled
    inbox = attention_items(db, NOW, stalled_after_days=days)
    assert {i.return_id for i in inbox if i.kind == "stalled"} == stalled


def test_a_stalled_threshold_below_one_day_is_refused() -> None:
    with pytest.raises(ValueError, match="stalled_after_days"):
        ReturnsFilter(stalled_after_days=0)
