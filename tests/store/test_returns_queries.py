"""The Returns list queries: keyset pages add up to the plain ORDER BY, and every page uses an index."""

from __future__ import annotations

import random
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seller_desk.domain.enums import CanonicalReason, ReturnStatus
from seller_desk.paths import DB_FILENAME
from seller_desk.store.comment_index import catch_up_batch
from seller_desk.store.migrate import open_store
from seller_desk.store.queries import returns_quick
from seller_desk.store.queries.returns import (
    INDEXED_SORT_KEYS,
    SORT_KEYS,
    ReturnFlag,
    ReturnRow,
    ReturnsFilter,
    ReturnsSort,
    anchor_keys,
    count_returns,
    page_returns,
)
from seller_desk.store.queries.returns_quick import QUICK_TERMS, QuickFilter, quick_params
from tests.fixtures.returns_data import CATEGORIES, DEFAULT_NOW, make_skus, seed_returns

N = 1_500
ASIN_OF_A_SEEDED_SKU = make_skus(random.Random(1))[0][1]  # seed_returns(seed=1) makes the same catalogue
ALL_SORTS = [ReturnsSort(key, desc) for key in SORT_KEYS for desc in (True, False)]
INDEXED_SORTS = [s for s in ALL_SORTS if s.key in INDEXED_SORT_KEYS]  # the plan tests: no sort step


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """A small store with ties on ``requested_at`` (every 5th return at midnight) and NULL reasons."""
    path = tmp_path_factory.mktemp("queries") / DB_FILENAME
    store = open_store(path)
    seed_returns(store, N)
    store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE returns SET requested_at = requested_at - requested_at % 86400 WHERE id % 5 = 0")
    conn.execute("UPDATE returns SET reason = NULL WHERE id % 23 = 0")
    while catch_up_batch(conn, batch=97):  # the comment index, in several batches
        pass
    with pytest.MonkeyPatch.context() as patch:  # the quick filters' "today" is the data's today
        patch.setattr(returns_quick, "now_epoch", lambda: DEFAULT_NOW)
        yield conn
    conn.close()


def _quick_ids(conn: sqlite3.Connection, quick: QuickFilter | None) -> set[int] | None:
    """The quick filter's members straight from its terms (no index hint, no keys, no arms)."""
    if quick is None:
        return None
    sql = f"SELECT id FROM returns WHERE {' AND '.join(QUICK_TERMS[quick])}"
    params = {k: v for k, v in quick_params(quick, DEFAULT_NOW).items() if f":{k}" in sql}
    return {row[0] for row in conn.execute(sql, params)}


def _reference(conn: sqlite3.Connection, f: ReturnsFilter, sort: ReturnsSort) -> list[int]:
    """The ids ``f`` selects in ``sort`` order, filtered and sorted in Python (NULLs first)."""
    rows = conn.execute(
        "SELECT id, rma, order_id, tracking_number, sku, reason, status, marketplace, channel, carrier, "
        "requested_at, customer_comment, (SELECT asin FROM skus WHERE skus.sku = returns.sku), quantity, "
        "last_scan_at, eta, value_minor FROM returns"
    ).fetchall()
    q = f.search
    quick = _quick_ids(conn, f.quick)
    category_of = dict(conn.execute("SELECT sku, category FROM skus"))
    lo = f.requested_from.timestamp() if f.requested_from else None
    hi = f.requested_to.timestamp() if f.requested_to else None
    kept = [
        r
        for r in rows
        if (not f.statuses or r[6] in f.statuses)
        and all(
            v is None or r[i] == v
            for i, v in ((5, f.reason), (4, f.sku), (7, f.marketplace), (8, f.channel), (9, f.carrier))
        )
        and (lo is None or r[10] >= lo)
        and (hi is None or r[10] < hi)
        and (not q or any(v in (q, q.upper()) for v in (*r[1:5], r[12])) or _words_match(q, r[11]))
        and (quick is None or r[0] in quick)
        and (f.category is None or category_of.get(r[4]) == f.category)
        and (not f.reason_unmapped or r[5] is None)
    ]
    column = {"requested_at": None, "status": 6, "sku": 4, "reason": 5, "rma": 1, "order_id": 2,
              "tracking_number": 3, "carrier": 9, "quantity": 13, "last_scan_at": 14, "eta": 15,
              "value_minor": 16}[sort.key]  # fmt: skip

    def key(r: tuple[Any, ...]) -> tuple[Any, ...]:
        lead = () if column is None else (r[column] is not None, r[column] or "")
        return (*lead, r[10], r[0])

    return [r[0] for r in sorted(kept, key=key, reverse=sort.descending)]


def _fold(text: str) -> str:
    """Lower case without accents, as FTS5's unicode61 tokenizer with remove_diacritics sees words."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _words_match(q: str, comment: str | None) -> bool:
    """Every word of ``q`` is a word of the comment, the last one as a prefix (a plain Python model)."""
    words = re.findall(r"\w+", _fold(q))
    have = re.findall(r"\w+", _fold(comment or ""))
    if not words:
        return False
    return all(w in have for w in words[:-1]) and any(h.startswith(words[-1]) for h in have)


def _all_pages(conn: sqlite3.Connection, f: ReturnsFilter, sort: ReturnsSort, size: int) -> list[ReturnRow]:
    rows: list[ReturnRow] = []
    after = None
    while True:
        page = page_returns(conn, f, sort, after, size)
        rows += page
        if len(page) < size:
            return rows
        after = sort.key_of(page[-1])


@pytest.mark.parametrize("sort", ALL_SORTS, ids=str)
def test_keyset_pages_concatenate_to_the_full_order(db: sqlite3.Connection, sort: ReturnsSort) -> None:
    f = ReturnsFilter()
    assert [r.id for r in _all_pages(db, f, sort, 97)] == _reference(db, f, sort)
    assert count_returns(db, f) == N


# exact keys as typed and upper-cased, comment words (accents folded, the last a prefix), an ASIN
SEARCHES = [
    "",
    "SSW-BLA-000",
    "ssw-bla-000",
    "cracked",
    "ecran fiss",
    "strap BROKE",
    "two",
    "B0NOSUCH",
    "the",
]
statuses = st.lists(st.sampled_from([s.value for s in ReturnStatus]), max_size=4).map(tuple)
filters = st.builds(
    ReturnsFilter,
    statuses=statuses,
    reason=st.none() | st.sampled_from([r.value for r in CanonicalReason][:6]),
    sku=st.none() | st.sampled_from(["SSW-BLA-000", "WEW-BLA-001", "NOPE"]),
    marketplace=st.none() | st.sampled_from(["US", "UK"]),
    channel=st.none() | st.just("FBA"),
    carrier=st.none() | st.sampled_from(["UPS", "Royal Mail"]),
    requested_from=st.none() | st.just(datetime.fromtimestamp(DEFAULT_NOW - 200 * 86400, UTC)),
    requested_to=st.none() | st.just(datetime.fromtimestamp(DEFAULT_NOW - 20 * 86400, UTC)),
    search=st.sampled_from([*SEARCHES, ASIN_OF_A_SEEDED_SKU]),
    quick=st.none() | st.sampled_from(list(QuickFilter)),
    category=st.none() | st.sampled_from([*CATEGORIES[:2], "no-such-category"]),
)


@pytest.mark.parametrize("sort", ALL_SORTS, ids=str)
def test_unmapped_reasons_with_a_sku_and_exact_bounds_page_in_order(
    db: sqlite3.Connection, sort: ReturnsSort
) -> None:
    """A chart's "unmapped codes" bar: reason NULL, optionally one SKU, UTC bounds to the second."""
    lo, hi = (datetime.fromtimestamp(DEFAULT_NOW - d * 86400, UTC) for d in (400, 30))
    narrow = ReturnsFilter(reason_unmapped=True, sku="SSW-BLA-000", requested_from=lo, requested_to=hi)
    for f in (ReturnsFilter(reason_unmapped=True), narrow):
        expected = _reference(db, f, sort)
        assert expected and [r.id for r in _all_pages(db, f, sort, 7)] == expected
        assert count_returns(db, f) == len(expected)
        assert all(r.reason is None for r in page_returns(db, f, sort, None, 50))
    with pytest.raises(ValueError, match="exclude each other"):
        ReturnsFilter(reason="defective", reason_unmapped=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=filters, sort=st.sampled_from(ALL_SORTS), size=st.sampled_from([1, 7, 50, 400]))
def test_keyset_pages_match_reference_for_any_filter(
    db: sqlite3.Connection, f: ReturnsFilter, sort: ReturnsSort, size: int
) -> None:
    expected = _reference(db, f, sort)
    assert [r.id for r in _all_pages(db, f, sort, size)] == expected
    assert count_returns(db, f) == len(expected)


@pytest.mark.parametrize("sort", ALL_SORTS, ids=str)
def test_anchor_keys_are_every_kth_key_and_offsets_from_them_land_on_the_right_row(
    db: sqlite3.Connection, sort: ReturnsSort
) -> None:
    f = ReturnsFilter(statuses=("closed", "in_transit"))
    rows = _all_pages(db, f, sort, 500)
    anchors = anchor_keys(db, f, sort, 64)
    assert anchors == [sort.key_of(r) for r in rows[63::64]]
    sliced = anchor_keys(db, f, sort, 64, after_key=anchors[1], max_keys=3)
    assert sliced == anchors[2:5]
    # A jump: row 200 = 74 rows after the anchor of row 127 (anchors[1]).
    assert page_returns(db, f, sort, anchors[1], 3, offset=72)[0] == rows[200]


def test_row_carries_title_money_and_flags(db: sqlite3.Connection) -> None:
    db.execute("UPDATE returns SET a_to_z_claim = 1, in_policy = 0 WHERE id = 7")
    row = page_returns(
        db,
        ReturnsFilter(search=db.execute("SELECT rma FROM returns WHERE id=7").fetchone()[0]),
        ReturnsSort(),
        None,
        10,
    )[0]
    assert row.id == 7
    assert row.title
    assert "–" in row.title
    assert row.flags & ReturnFlag.A_TO_Z
    assert row.flags & ReturnFlag.OUT_OF_POLICY
    assert not row.flags & ReturnFlag.SAFET
    assert row.value_minor > 0
    assert len(row.currency) == 3


# --- query plans --------------------------------------------------------------------------------

PLAN_FILTERS = {
    "none": ReturnsFilter(),
    "one status": ReturnsFilter(statuses=("in_transit",)),
    "open statuses": ReturnsFilter(statuses=("authorized", "delivered", "in_transit", "requested")),
    "sku": ReturnsFilter(sku="SSW-BLA-000"),
    "reason": ReturnsFilter(reason="defective"),
    "sku + statuses": ReturnsFilter(sku="SSW-BLA-000", statuses=("closed", "lost")),
    "dates": ReturnsFilter(
        requested_from=datetime(2025, 1, 1, tzinfo=UTC), requested_to=datetime(2026, 1, 1, tzinfo=UTC)
    ),
    "marketplace + channel + carrier": ReturnsFilter(marketplace="UK", channel="FBA", carrier="DPD"),
    "search": ReturnsFilter(search="ssw-bla-000"),
}
# Filters that pin a different index than the sort's: SQLite sorts the (small) filtered set instead.
SORTS_A_FILTER_SORTS_ITSELF = {
    ("sku", "status"),
    ("sku", "reason"),
    ("reason", "status"),
    ("reason", "sku"),
    ("sku + statuses", "status"),
    ("sku + statuses", "reason"),
}


def _plan(conn: sqlite3.Connection, f: ReturnsFilter, sort: ReturnsSort, after: Any) -> list[str]:
    from seller_desk.store.queries._returns_sql import page_sql
    from seller_desk.store.queries.returns import _layout

    shape, params = _layout(f, sort, after)
    params.update(limit=200, offset=0, stalled_before=0)
    return [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + page_sql(shape, keys_only=False), params)]


@pytest.mark.parametrize("fname", list(PLAN_FILTERS))
@pytest.mark.parametrize("sort", INDEXED_SORTS, ids=str)
@pytest.mark.parametrize("keyed", [False, True], ids=["first page", "after a key"])
def test_every_page_reads_an_index_in_order(
    db: sqlite3.Connection, fname: str, sort: ReturnsSort, keyed: bool
) -> None:
    f = PLAN_FILTERS[fname]
    after = None
    if keyed:
        first = page_returns(db, f, sort, None, 1)
        after = (
            sort.key_of(first[0])
            if first
            else (("closed",) if sort.key != "requested_at" else ()) + (DEFAULT_NOW, 10)
        )
    plan = _plan(db, f, sort, after)
    text = "\n".join(plan)
    steps = [step for step in plan if " returns " in step + " "]
    # Never the whole table: each step seeks an index, or walks the sort's own index in order.
    assert all("USING" in step and ("INDEX" in step or "PRIMARY KEY" in step) for step in steps), text
    if sort.key == "requested_at" and fname in ("one status", "open statuses", "sku", "reason"):
        assert all(step.startswith("SEARCH") for step in steps), text  # the filter's index, seeked
    if fname == "search" or (fname, sort.key) in SORTS_A_FILTER_SORTS_ITSELF:
        return
    assert "TEMP B-TREE" not in text, text


def test_plans_hold_with_statistics_too(tmp_path: Path) -> None:
    """After ``ANALYZE`` (which a user's SQLite may have run) the planner must still pick the index."""
    path = tmp_path / DB_FILENAME
    store = open_store(path)
    seed_returns(store, 2_000)
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("ANALYZE")
    for fname in ("none", "one status", "open statuses", "dates"):
        for sort in INDEXED_SORTS:
            plan = _plan(conn, PLAN_FILTERS[fname], sort, None)
            assert "TEMP B-TREE" not in "\n".join(plan), (fname, sort, plan)
    conn.close()


def test_a_search_alone_sorts_its_ids_by_date_from_the_narrow_index(db: sqlite3.Connection) -> None:
    from seller_desk.store.queries._returns_sql import ID_DATE_INDEX, count_sql, page_sql
    from seller_desk.store.queries.returns import _layout

    f = ReturnsFilter(search="cracked")
    shape, params = _layout(f, ReturnsSort(), None)
    params.update(limit=50, offset=0)
    for sql in (page_sql(shape, keys_only=False), page_sql(shape, keys_only=True), count_sql(f.shape)):
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, params)]
        assert any(f"COVERING INDEX {ID_DATE_INDEX}" in step for step in plan), plan
    with_status = ReturnsFilter(search="cracked", statuses=("closed",))
    assert ID_DATE_INDEX not in count_sql(with_status.shape)  # other terms need the row anyway
