"""The rows agree with each other: lifecycles, copies, money, sales and stock (20,000 returns)."""

from __future__ import annotations

import sqlite3

from seller_desk.domain.enums import RefundState, ReturnStatus

from .support import AS_OF

STEPS = (
    "requested_at",
    "authorized_at",
    "shipped_at",
    "delivered_at",
    "received_at",
    "inspected_at",
    "closed_at",
)


def _one(db: sqlite3.Connection, sql: str, *args: object) -> int:
    return int(db.execute(sql, args).fetchone()[0])


def test_every_return_status_and_refund_state_occurs(db: sqlite3.Connection) -> None:
    statuses = {s for (s,) in db.execute("SELECT DISTINCT status FROM returns")}
    states = {s for (s,) in db.execute("SELECT DISTINCT state FROM refund_requests")}
    assert statuses == {s.value for s in ReturnStatus}
    assert states == {s.value for s in RefundState}


def test_lifecycle_timestamps_are_monotonic_and_never_in_the_future(db: sqlite3.Connection) -> None:
    rows = db.execute(f"SELECT id, {', '.join(STEPS)} FROM returns").fetchall()
    for row in rows:
        seen = [t for t in row[1:] if t is not None]
        assert seen == sorted(seen), row
        assert seen[-1] <= AS_OF, row
    for table, column in (("tracking_events", "occurred_at"), ("shipments", "last_event_at"),
                          ("returns", "last_scan_at"), ("refund_requests", "updated_at"),
                          ("refund_payments", "executed_at"), ("inspections", "inspected_at"),
                          ("orders", "purchased_at")):  # fmt: skip
        assert _one(db, f"SELECT count(*) FROM {table} WHERE {column} > ?", AS_OF) == 0, table
    assert _one(db, "SELECT min(requested_at) FROM returns") >= AS_OF - 731 * 86_400


def test_status_matches_the_timestamps_it_implies(db: sqlite3.Connection) -> None:
    expected_set = {
        "closed": "closed_at", "inspected": "inspected_at", "received": "received_at",
        "delivered": "delivered_at", "in_transit": "shipped_at", "authorized": "authorized_at",
    }  # fmt: skip
    for status, column in expected_set.items():
        missing = _one(db, f"SELECT count(*) FROM returns WHERE status = ? AND {column} IS NULL", status)
        assert missing == 0, status
    assert (
        _one(db, "SELECT count(*) FROM returns WHERE status = 'requested' AND authorized_at IS NOT NULL") == 0
    )
    assert (
        _one(db, "SELECT count(*) FROM returns WHERE status = 'in_transit' AND delivered_at IS NOT NULL") == 0
    )
    assert _one(db, "SELECT count(*) FROM returns WHERE status = 'lost' AND delivered_at IS NOT NULL") == 0
    assert (
        _one(db, "SELECT count(*) FROM returns WHERE status = 'returnless' AND shipment_id IS NOT NULL") == 0
    )


def test_week_is_the_monday_of_the_request(db: sqlite3.Connection) -> None:
    wrong = (
        "SELECT count(*) FROM returns WHERE week != requested_at / 86400 - ((requested_at / 86400 + 3) % 7)"
    )
    assert _one(db, wrong) == 0
    assert _one(db, "SELECT count(*) FROM returns WHERE (week + 3) % 7 != 0") == 0


def test_return_copies_agree_with_orders_lines_and_shipments(db: sqlite3.Connection) -> None:
    assert _one(db, """SELECT count(*) FROM returns r JOIN orders o ON o.id = r.order_pk
        WHERE r.order_id != o.order_id OR r.marketplace != o.marketplace OR r.channel != o.channel
           OR r.currency != o.currency""") == 0  # fmt: skip
    assert (
        _one(
            db,
            """SELECT count(*) FROM returns r JOIN shipments s ON s.id = r.shipment_id
        WHERE r.carrier != s.carrier OR r.tracking_number != s.tracking_number
           OR r.tracking_status != s.status OR s.direction != 'inbound' OR s.order_pk != r.order_pk""",
        )
        == 0
    )
    assert _one(db, """SELECT count(*) FROM returns r WHERE r.sku != (SELECT rl.sku FROM return_lines rl
        WHERE rl.return_id = r.id ORDER BY rl.id LIMIT 1)""") == 0  # fmt: skip
    assert _one(db, "SELECT count(*) FROM returns WHERE shipment_id IS NULL AND carrier IS NOT NULL") == 0


def test_shipments_summarize_their_events(db: sqlite3.Connection) -> None:
    mismatched = """SELECT count(*) FROM shipments s JOIN (
        SELECT shipment_id, max(occurred_at) AS last, count(*) AS n FROM tracking_events GROUP BY shipment_id
    ) e ON e.shipment_id = s.id WHERE s.last_event_at != e.last"""
    assert _one(db, mismatched) == 0
    last_status = """SELECT count(*) FROM shipments s WHERE s.status != (
        SELECT t.status FROM tracking_events t WHERE t.shipment_id = s.id
        ORDER BY t.occurred_at DESC, t.id DESC LIMIT 1)"""
    assert _one(db, last_status) == 0
    assert (
        _one(db, "SELECT count(*) FROM shipments WHERE id NOT IN (SELECT shipment_id FROM tracking_events)")
        == 0
    )
    assert (
        _one(db, "SELECT count(*) FROM shipments WHERE delivered_at IS NOT NULL AND status != 'delivered'")
        == 0
    )
    backwards = """SELECT count(*) FROM (SELECT occurred_at - lag(occurred_at) OVER (
        PARTITION BY shipment_id ORDER BY id) AS step FROM tracking_events) WHERE step < 0"""
    assert _one(db, backwards) == 0


def test_in_transit_returns_have_an_eta_with_its_source(db: sqlite3.Connection) -> None:
    assert _one(db, "SELECT count(*) FROM returns WHERE status = 'in_transit'") > 0
    assert _one(db, "SELECT count(*) FROM returns WHERE status = 'in_transit' AND eta IS NULL") == 0
    assert {s for (s,) in db.execute("SELECT DISTINCT eta_source FROM returns WHERE eta IS NOT NULL")} == {
        "carrier", "history"}  # fmt: skip
    assert _one(db, "SELECT count(*) FROM returns WHERE eta IS NOT NULL AND status != 'in_transit'") == 0


def test_refunds_never_exceed_what_was_charged_per_line_and_component(db: sqlite3.Connection) -> None:
    charged = {
        "principal": "principal_minor", "shipping": "shipping_minor", "tax": "tax_minor",
        "shipping_tax": "shipping_tax_minor", "gift_wrap": "gift_wrap_minor", "promotion": "promotion_minor",
    }  # fmt: skip
    for component, column in charged.items():
        over = f"""SELECT count(*) FROM (
            SELECT p.order_line_id, sum(max(p.amount_minor, 0)) AS paid FROM refund_payments p
            WHERE p.component = ? GROUP BY p.order_line_id
        ) x JOIN order_lines l ON l.id = x.order_line_id WHERE x.paid > l.{column}"""
        assert _one(db, over, component) == 0, component
        asked = f"""SELECT count(*) FROM (
            SELECT order_line_id, sum(amount_minor) AS asked FROM refund_request_lines rl
            JOIN refund_requests r ON r.id = rl.refund_request_id
            WHERE component = ? AND r.state NOT IN ('rejected', 'cancelled') GROUP BY order_line_id
        ) x JOIN order_lines l ON l.id = x.order_line_id WHERE x.asked > l.{column}"""
        assert _one(db, asked, component) == 0, component
    # Magnitudes everywhere (the policies' and the wire's convention): no promotion is negative.
    for negative in (
        "SELECT count(*) FROM order_lines WHERE promotion_minor < 0",
        "SELECT count(*) FROM refund_request_lines WHERE component = 'promotion' AND amount_minor < 0",
        "SELECT count(*) FROM refund_payments WHERE component = 'promotion' AND amount_minor < 0",
    ):
        assert _one(db, negative) == 0, negative
    assert _one(db, "SELECT count(*) FROM refund_payments WHERE component = 'promotion'") > 0
    assert _one(db, "SELECT count(*) FROM refund_payments") > 0


_CREDIT = "CASE WHEN component = 'promotion' THEN -amount_minor ELSE amount_minor END"


def test_request_totals_add_up_and_payments_follow_the_state(db: sqlite3.Connection) -> None:
    """A request's totals are the signed net of its magnitudes: a promotion taken back counts negative."""
    assert (
        _one(
            db,
            f"""SELECT count(*) FROM refund_requests r WHERE requested_minor !=
        (SELECT coalesce(sum({_CREDIT}), 0) FROM refund_request_lines WHERE refund_request_id = r.id)""",
        )
        == 0
    )
    assert (
        _one(
            db,
            f"""SELECT count(*) FROM refund_requests r WHERE refunded_minor !=
        (SELECT coalesce(sum({_CREDIT}), 0) FROM refund_payments
         WHERE refund_request_id = r.id AND settled)""",
        )
        == 0
    )
    assert (
        _one(
            db,
            """SELECT count(*) FROM refund_payments p JOIN refund_requests r ON r.id = p.refund_request_id
        WHERE r.state NOT IN ('approved', 'submitted', 'completed', 'auto_refunded')""",
        )
        == 0
    )
    assert (
        _one(
            db,
            """SELECT count(*) FROM refund_payments p JOIN refund_requests r ON r.id = p.refund_request_id
        WHERE p.settled != (r.state IN ('completed', 'auto_refunded'))""",
        )
        == 0
    )
    assert _one(db, "SELECT count(*) FROM refund_requests WHERE refunded_minor < 0") == 0
    fee_rows = "SELECT count(*) FROM refund_payments WHERE component = 'principal' AND amount_minor < 0"
    assert _one(db, fee_rows) == _one(
        db,
        """SELECT count(DISTINCT refund_request_id) FROM refund_payments
        WHERE component = 'principal' AND amount_minor < 0""",
    )  # at most one fee per request


def test_restocking_fees_only_for_units_not_in_original_condition(db: sqlite3.Connection) -> None:
    fees = db.execute("""SELECT p.refund_request_id, -p.amount_minor, r.return_id FROM refund_payments p
        JOIN refund_requests r ON r.id = p.refund_request_id
        WHERE p.component = 'principal' AND p.amount_minor < 0""").fetchall()
    assert fees, "some partial refunds carry a restocking fee"
    for request_id, fee, return_id in fees:
        condition, photos = db.execute(
            "SELECT condition, photos FROM inspections WHERE return_id = ? ORDER BY id LIMIT 1", (return_id,)
        ).fetchone()
        assert condition not in ("new", "like_new"), request_id
        principal = _one(db, """SELECT sum(amount_minor) FROM refund_payments WHERE refund_request_id = ?
            AND component = 'principal' AND amount_minor > 0""", request_id)  # fmt: skip
        if fee * 5 >= principal:  # 20 % or more needs a photo
            assert photos, request_id


def test_pending_requests_are_due_on_the_sla_clock(db: sqlite3.Connection) -> None:
    rows = db.execute("""SELECT r.due_at, r.created_at, r.needs_authorization, t.delivered_at, t.status
        FROM refund_requests r JOIN returns t ON t.id = r.return_id WHERE r.state = 'pending'""").fetchall()
    assert rows
    for due, created, needs_auth, delivered, status in rows:
        if delivered is not None:
            assert delivered + 2 * 86_400 <= due <= delivered + 4 * 86_400
            assert (due // 86_400 + 3) % 7 < 5, "due on a business day"
        elif status == "requested" and needs_auth:
            assert due == created + 86_400


def test_daily_sales_cover_every_returned_unit_and_stock_matches_sales(db: sqlite3.Connection) -> None:
    short = """SELECT count(*) FROM (
        SELECT l.sku, o.purchased_at / 86400 AS day, sum(l.quantity) AS sold FROM returns r
        JOIN order_lines l ON l.order_pk = r.order_pk JOIN orders o ON o.id = r.order_pk GROUP BY 1, 2
    ) x LEFT JOIN daily_sales d ON d.sku = x.sku AND d.day = x.day WHERE coalesce(d.units, 0) < x.sold"""
    assert _one(db, short) == 0
    last = AS_OF // 86_400 - 28
    off = """SELECT count(*) FROM sku_stock s WHERE abs(s.sales_per_day - (
        SELECT coalesce(sum(units), 0) / 28.0 FROM daily_sales d
        WHERE d.sku = s.sku AND d.day >= ?)) > 0.006"""
    assert _one(db, off, last) == 0
    assert _one(db, "SELECT count(*) FROM skus WHERE sku NOT IN (SELECT sku FROM sku_stock)") == 0


def test_inspections_belong_to_inspected_returns(db: sqlite3.Connection) -> None:
    assert (
        _one(
            db,
            """SELECT count(*) FROM inspections i JOIN returns r ON r.id = i.return_id
        WHERE r.status NOT IN ('inspected', 'closed') OR i.inspected_at != r.inspected_at""",
        )
        == 0
    )
    assert (
        _one(
            db,
            """SELECT count(*) FROM returns r WHERE r.status = 'inspected'
        AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.return_id = r.id)""",
        )
        == 0
    )
