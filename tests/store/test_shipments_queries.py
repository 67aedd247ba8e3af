"""The Shipments list queries: known answers on hand-built parcels, keyset pages equal a Python
reference (property test), every page and count reads an index, and the detail of one parcel."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.queries._shipments_sql import (
    MOVING,
    arm_count_sql,
    arm_page_sql,
    arms,
    search_page_sql,
)
from seller_desk.store.queries.shipment_detail import ShipmentNotFound, load_shipment_detail
from seller_desk.store.queries.shipments import (
    A_TO_Z_LINKED,
    REFUND_LINKED,
    ShipmentQuick,
    ShipmentRow,
    ShipmentsFilter,
    count_shipments,
    page_shipments,
    quick_counts,
)
from tests.fixtures.shipments_data import (
    A_TO_Z_ORDER,
    CARRIERS,
    LATE_IDS,
    LATE_TRACKING,
    MARKETS,
    NOW,
    STATUSES,
    add_named_shipments,
    add_random_shipments,
)


def _open(path: Path) -> sqlite3.Connection:
    store = open_store(path)
    store.close()
    return sqlite3.connect(path, isolation_level=None)


@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    conn = _open(tmp_path_factory.mktemp("named") / DB_FILENAME)
    add_named_shipments(conn)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    conn = _open(tmp_path_factory.mktemp("many") / DB_FILENAME)
    conn.execute("BEGIN")
    add_named_shipments(conn)
    add_random_shipments(conn, 600)
    conn.execute("COMMIT")
    yield conn
    conn.close()


def _ids(conn: sqlite3.Connection, f: ShipmentsFilter) -> list[int]:
    return [r.id for r in page_shipments(conn, f, None, 1000, now=NOW)]


def test_default_order_is_most_urgent_first(named: sqlite3.Connection) -> None:
    # undelivered by promised date (lost 10 d ago first), then unpromised, then delivered by promise
    assert _ids(named, ShipmentsFilter()) == [4, 1, 3, 8, 2, 7, 5, 6]


@pytest.mark.parametrize(
    ("quick", "expected"),
    [
        (ShipmentQuick.LATE, [4, 1, 3, 5]),
        (ShipmentQuick.EXCEPTION, [3]),
        (ShipmentQuick.LOST, [4]),
        (ShipmentQuick.IN_TRANSIT, [1, 8, 2]),
    ],
)
def test_quick_filters_select_known_parcels(
    named: sqlite3.Connection, quick: ShipmentQuick, expected: list[int]
) -> None:
    assert _ids(named, ShipmentsFilter(quick=quick)) == expected
    assert count_shipments(named, ShipmentsFilter(quick=quick), now=NOW) == len(expected)


def test_quick_counts(named: sqlite3.Connection) -> None:
    assert quick_counts(named, now=NOW) == {
        ShipmentQuick.LATE: len(LATE_IDS),
        ShipmentQuick.EXCEPTION: 1,
        ShipmentQuick.LOST: 1,
        ShipmentQuick.IN_TRANSIT: 3,
    }


def test_days_late_and_refund_flags(named: sqlite3.Connection) -> None:
    rows = {r.id: r for r in page_shipments(named, ShipmentsFilter(), None, 100, now=NOW)}
    assert {sid: r.days_late(NOW) for sid, r in rows.items()} == {
        1: 2, 2: 0, 3: 1, 4: 10, 5: 2, 6: 0, 7: 0, 8: 0
    }  # fmt: skip
    assert rows[1].refund_flags == REFUND_LINKED | A_TO_Z_LINKED
    assert rows[4].refund_flags == REFUND_LINKED
    assert rows[2].refund_flags == 0
    assert (rows[1].order_id, rows[1].marketplace, rows[1].last_location) == (
        A_TO_Z_ORDER,
        "UK",
        "Bristol Depot, GB",
    )


def test_search_by_tracking_number_or_order_id(named: sqlite3.Connection) -> None:
    assert _ids(named, ShipmentsFilter(search=LATE_TRACKING.lower())) == [1]
    assert _ids(named, ShipmentsFilter(search=f"  {A_TO_Z_ORDER} ")) == [1]
    assert _ids(named, ShipmentsFilter(search="RM000000009GB")) == []  # the inbound parcel
    assert count_shipments(named, ShipmentsFilter(search=LATE_TRACKING), now=NOW) == 1


def test_other_filters(named: sqlite3.Connection) -> None:
    assert _ids(named, ShipmentsFilter(carrier="Evri")) == [4, 6]
    assert _ids(named, ShipmentsFilter(marketplace="DE")) == [3, 5]
    assert _ids(named, ShipmentsFilter(statuses=("delivered", "lost"))) == [4, 5, 6]
    after = datetime.fromtimestamp(NOW, UTC)
    assert _ids(named, ShipmentsFilter(shipped_from=after)) == []
    with pytest.raises(ValueError, match="naive datetime"):
        ShipmentsFilter(shipped_to=datetime(2026, 1, 1))


def _reference(conn: sqlite3.Connection, f: ShipmentsFilter) -> list[int]:
    """The ids ``f`` selects in urgency order, filtered and sorted in Python from the plain table."""
    rows = conn.execute(
        "SELECT s.id, s.status, s.promised_at, s.delivered_at, s.carrier, o.marketplace, s.shipped_at, "
        "s.tracking_number, o.order_id FROM shipments s JOIN orders o ON o.id = s.order_pk "
        "WHERE s.direction = 'outbound'"
    ).fetchall()

    def late(r: tuple) -> bool:  # type: ignore[type-arg]
        if r[2] is None:
            return False
        return r[2] < NOW if r[1] != "delivered" else r[3] is not None and r[3] > r[2]

    quick = {
        None: lambda r: True,
        ShipmentQuick.LATE: late,
        ShipmentQuick.EXCEPTION: lambda r: r[1] == "exception",
        ShipmentQuick.LOST: lambda r: r[1] == "lost",
        ShipmentQuick.IN_TRANSIT: lambda r: r[1] in MOVING,
    }[f.quick]
    lo = f.shipped_from.timestamp() if f.shipped_from else None
    hi = f.shipped_to.timestamp() if f.shipped_to else None
    kept = [
        r for r in rows
        if quick(r) and (not f.statuses or r[1] in f.statuses)
        and (f.carrier is None or r[4] == f.carrier) and (f.marketplace is None or r[5] == f.marketplace)
        and (lo is None or (r[6] is not None and r[6] >= lo))
        and (hi is None or (r[6] is not None and r[6] < hi))
        and (not f.search or f.search in (r[7], r[8]) or f.search.upper() in (r[7], r[8]))
    ]  # fmt: skip
    kept.sort(key=lambda r: (2 * (r[1] == "delivered") + (r[2] is None), r[2] or 0, r[0]))
    return [r[0] for r in kept]


def _all_pages(conn: sqlite3.Connection, f: ShipmentsFilter, size: int) -> list[int]:
    seen: list[ShipmentRow] = []
    after = None
    while True:
        page = page_shipments(conn, f, after, size, now=NOW)
        seen.extend(page)
        if len(page) < size:
            return [r.id for r in seen]
        after = page[-1].key


FILTERS = st.builds(
    ShipmentsFilter,
    quick=st.sampled_from([None, *ShipmentQuick]),
    statuses=st.lists(st.sampled_from(STATUSES), max_size=3).map(tuple),
    carrier=st.sampled_from([None, *CARRIERS]),
    marketplace=st.sampled_from([None, *MARKETS]),
    shipped_from=st.sampled_from([None, datetime.fromtimestamp(NOW - 10 * 86_400, UTC)]),
    shipped_to=st.sampled_from([None, datetime.fromtimestamp(NOW - 5 * 86_400, UTC)]),
    search=st.sampled_from(["", "TRK00000140", "trk00000203", "202-0000350-0000000", "nothing"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=FILTERS, size=st.integers(min_value=1, max_value=97))
def test_keyset_pages_equal_the_python_reference(
    many: sqlite3.Connection, f: ShipmentsFilter, size: int
) -> None:
    expected = _reference(many, f)
    assert _all_pages(many, f, size) == expected
    assert count_shipments(many, f, now=NOW) == len(expected)


def _plan(conn: sqlite3.Connection, sql: str) -> list[str]:
    params = {"now": NOW, "kp": NOW, "ki": 1, "kr": 0, "limit": 5, "q": "x", "qu": "X"}
    return [
        row[3]
        for row in conn.execute(
            f"EXPLAIN QUERY PLAN {sql}", {k: v for k, v in params.items() if f":{k}" in sql}
        )
    ]


@pytest.mark.parametrize("quick", [None, *ShipmentQuick])
def test_every_arm_seeks_its_index_in_order(many: sqlite3.Connection, quick: ShipmentQuick | None) -> None:
    shape = ShipmentsFilter(quick=quick).shape
    for arm in arms(shape):
        for keyed in (False, True):
            plan = _plan(many, arm_page_sql(shape, arm.rank, keyed))
            # SEARCH seeks a range; SCAN of a partial index walks only the rows it holds, in order
            reads = (f"SCAN s USING INDEX {arm.hint}", f"SEARCH s USING INDEX {arm.hint} (")
            assert any(step == reads[0] or step.startswith(reads[1]) for step in plan), plan
            assert arm.hint.startswith("ix_shipments_outbound_") or not any(
                s.startswith("SCAN") for s in plan
            )
            assert not any("TEMP B-TREE" in step or step == "SCAN s" for step in plan), plan
    count_plan = _plan(many, arm_count_sql(shape))
    assert all("INDEX ix_shipments_outbound_" in step for step in count_plan if step.startswith("SCAN s")), (
        count_plan
    )
    assert any(step.startswith(("SEARCH s", "SCAN s")) for step in count_plan), count_plan


def test_search_seeks_tracking_and_order_indexes(many: sqlite3.Connection) -> None:
    plan = " | ".join(_plan(many, search_page_sql(ShipmentsFilter(search="x").shape, False)))
    assert "ix_shipments_tracking_number_carrier" in plan and "ix_orders_order_id" in plan, plan
    assert "SCAN s" not in plan, plan


def test_detail_of_a_late_parcel_with_a_claim(
    named: sqlite3.Connection, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from sqlalchemy import create_engine

    path = named.execute("PRAGMA database_list").fetchone()[2]
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        detail = load_shipment_detail(conn, 1)
        assert [e.location for e in detail.events] == ["Bristol Depot, GB", "Manchester Hub, GB", "Leeds, GB"]
        assert detail.progress.reached.name == "IN_TRANSIT" and detail.progress.side_state is None
        assert (detail.order_id, detail.carrier, detail.status) == (A_TO_Z_ORDER, "Royal Mail", "in_transit")
        assert [(r.source, r.state, r.a_to_z_claim) for r in detail.refunds] == [("a_to_z", "pending", True)]
        assert [line.title for line in detail.lines] == ["Glass Kettle 1.7 l"]
        assert load_shipment_detail(conn, 2).refunds == ()
        lost = load_shipment_detail(conn, 4)  # no events mirrored: its own status still counts
        assert lost.events == () and lost.progress.side_state == "lost"
        assert [(r.source, r.state, r.a_to_z_claim) for r in lost.refunds] == [
            ("customer", "approved", False)
        ]
        with pytest.raises(ShipmentNotFound, match="shipment 999"):
            load_shipment_detail(conn, 999)
    engine.dispose()
