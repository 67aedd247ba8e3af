"""The detail pane's read (``store/queries/return_detail.py``) against hand-built rows with known answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Connection

from seller_desk.domain.enums import TrackingStatus
from seller_desk.domain.tracking_progress import Milestone
from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.queries.return_detail import (
    AUDIT_SQL,
    DECISIONS_SQL,
    EVENTS_SQL,
    INSPECTIONS_SQL,
    MUTATIONS_SQL,
    NOTES_SQL,
    ORDER_LINES_SQL,
    REFUNDS_SQL,
    RETURN_LINES_SQL,
    RETURN_SQL,
    load_return_detail,
)
from seller_desk.store.queries.return_detail_facts import ReturnDetail, ReturnNotFound
from tests.fixtures.return_detail_data import (
    BARE_ID,
    BARE_RMA,
    DETAILED_ID,
    DETAILED_RMA,
    EVENTS,
    T0,
    add_detailed_returns,
)
from tests.fixtures.returns_data import seed_returns


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connection]:
    store = open_store(tmp_path_factory.mktemp("detail") / DB_FILENAME)
    seed_returns(store, 200)
    add_detailed_returns(store)
    with store.engine.connect() as connection:
        yield connection
    store.close()


@pytest.fixture(scope="module")
def detail(conn: Connection) -> ReturnDetail:
    return load_return_detail(conn, DETAILED_ID)


def test_return_fields_and_money_are_exact(detail: ReturnDetail) -> None:
    assert (detail.rma, detail.status, detail.currency, detail.value_minor) == (
        DETAILED_RMA, "delivered", "GBP", 7599,
    )  # fmt: skip
    assert (detail.label_type, detail.label_cost_minor, detail.label_paid_by) == ("prepaid", 315, "seller")
    assert (detail.a_to_z_claim, detail.safet_claim, detail.in_policy) == (True, False, True)
    assert detail.requested_at == T0 - timedelta(hours=24)
    assert detail.received_at is None
    assert (detail.reason, detail.reason_raw) == ("damaged_in_transit", "DAMAGED_BY_CARRIER")
    assert (detail.eta, detail.eta_source) == (T0 + timedelta(hours=72), "carrier")


def test_order_lines_carry_charged_components_and_refunds(detail: ReturnDetail) -> None:
    order = detail.order
    assert (order.order_id, order.marketplace, order.channel, order.currency) == (
        "203-1111111-2222222", "UK", "MFN", "GBP",
    )  # fmt: skip
    kettle, mug = order.lines
    assert (kettle.sku, kettle.principal_minor, kettle.shipping_minor, kettle.tax_minor) == (
        "KETTLE-1", 3999, 499, 800,
    )  # fmt: skip
    assert kettle.promotion_minor == 500
    assert kettle.charged_minor == 3999 + 499 + 800 - 500
    assert (kettle.refunded_minor, kettle.refund_pending_minor) == (499, 3499)
    assert (mug.sku, mug.quantity, mug.charged_minor, mug.refunded_minor) == ("MUG-2", 2, 2160, 0)


def test_return_lines_have_titles_reasons_and_comments(detail: ReturnDetail) -> None:
    first, second = detail.lines
    assert (first.sku, first.title, first.quantity) == ("KETTLE-1", "Glass Kettle 1.7 l", 1)
    assert first.customer_comment == "Arrived <cracked> & leaking"
    assert (second.sku, second.quantity, second.reason, second.reason_raw, second.in_policy) == (
        "MUG-2", 2, "unwanted", "UNWANTED_ITEM", False,
    )  # fmt: skip


def test_timeline_is_newest_first_and_progress_reaches_delivered_after_an_exception(
    detail: ReturnDetail,
) -> None:
    shipment = detail.shipment
    assert shipment is not None
    assert (shipment.carrier, shipment.tracking_number) == ("Royal Mail", "RM123456785GB")
    assert [e.raw_code for e in shipment.events] == [code for _, _, code, _, _ in reversed(EVENTS)]
    newest = shipment.events[0]
    assert (newest.occurred_at, newest.status, newest.location) == (
        T0 + timedelta(hours=70), "delivered", "Bristol, GB",
    )  # fmt: skip
    assert shipment.events[1].status == TrackingStatus.EXCEPTION
    assert shipment.progress.reached == Milestone.DELIVERED
    assert shipment.progress.side_state is None  # delivered after the exception: back on the line


def test_refund_requests_with_the_queued_local_decision(detail: ReturnDetail) -> None:
    mine, by_order = sorted(detail.refund_requests, key=lambda r: r.linked_by_order)
    assert (mine.refund_request_id, mine.state, mine.requested_minor, mine.linked_by_order) == (
        DETAILED_ID, "pending", 7599, False,
    )  # fmt: skip
    assert mine.due_at == T0 + timedelta(hours=118)
    assert mine.decision is not None
    assert (mine.decision.kind, mine.decision.amount_minor, mine.decision.sync_state) == (
        "approve", 7100, "queued",
    )  # fmt: skip
    assert (by_order.source, by_order.refunded_minor, by_order.a_to_z_claim, by_order.decision) == (
        "a_to_z", 499, True, None,
    )  # fmt: skip


def test_inspections_notes_and_history(detail: ReturnDetail) -> None:
    (inspection,) = detail.inspections
    assert (inspection.condition, inspection.disposition) == ("damaged", "claim")
    assert inspection.note == "Glass cracked"
    assert inspection.photos == ("/photos/k1.jpg", "/photos/k2.jpg")
    assert [n.text for n in detail.notes] == ["Claim filed", "Customer called"]
    assert [(h.what, h.user, h.device, h.sync_state) for h in detail.history] == [
        ("refund_decision.queued", "sam", "dev-1", "queued"),
        ("return_received.settled", "kim", "dev-2", None),
    ]
    assert all(h.what != "sync.run" for h in detail.history)


def test_a_return_with_no_shipment_and_an_unmapped_reason(conn: Connection) -> None:
    bare = load_return_detail(conn, BARE_ID)
    assert (bare.rma, bare.shipment, bare.eta, bare.reason, bare.reason_raw) == (
        BARE_RMA, None, None, None, "CR-EXT-0042",
    )  # fmt: skip
    assert bare.refund_requests == () and bare.inspections == ()
    assert [n.text for n in bare.notes] == ["not this one"]
    (line,) = bare.lines
    assert (line.sku, line.order_line_id, line.title) == ("MUG-2", None, None)  # no such SKU row seeded
    assert bare.order.lines == ()


def test_a_seeded_return_without_lines_loads(conn: Connection) -> None:
    seeded = load_return_detail(conn, 7)
    assert seeded.return_id == 7 and seeded.lines == () and seeded.order.lines == ()


def test_it_reads_inside_a_transaction_the_caller_already_opened(conn: Connection) -> None:
    conn.exec_driver_sql("SELECT 1")  # SQLAlchemy 2 autobegins here
    assert conn.in_transaction()
    assert load_return_detail(conn, BARE_ID).rma == BARE_RMA
    conn.rollback()


def test_a_missing_return_is_named(conn: Connection) -> None:
    with pytest.raises(ReturnNotFound, match="return 123456789 is not in the local store"):
        load_return_detail(conn, 123_456_789)


@pytest.mark.parametrize(
    "sql",
    [RETURN_SQL, ORDER_LINES_SQL, RETURN_LINES_SQL, EVENTS_SQL, REFUNDS_SQL, DECISIONS_SQL,
     INSPECTIONS_SQL, NOTES_SQL, AUDIT_SQL, MUTATIONS_SQL],
    ids=lambda s: str(s).split("FROM", 1)[1].split()[0],
)  # fmt: skip
def test_every_query_seeks_an_index(conn: Connection, sql: object) -> None:
    """No full scan of any table: each step of the plan is a SEARCH (or a scan of a temporary result)."""
    params = {"rid": 1, "opk": 1, "sid": 1, "tid": "1", "ids": [1, 2], "targets": ["return:1"], "limit": 5}
    dbapi = conn.connection.driver_connection
    assert dbapi is not None
    expanded = str(sql).replace("IN (__[POSTCOMPILE_ids])", "IN (1, 2)")
    expanded = expanded.replace("IN (__[POSTCOMPILE_targets])", "IN ('return:1')")
    plan = [row[3] for row in dbapi.execute("EXPLAIN QUERY PLAN " + expanded, params)]
    scans = [step for step in plan if step.startswith("SCAN") and "SUBQUERY" not in step]
    assert plan and not scans, plan
