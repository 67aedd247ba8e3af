"""What a seller would recognize: reason mixes, rates, planted problems, seasons, ages and shapes."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date

from seller_desk.demo.catalogue import CATEGORIES

from .support import AS_OF

DAY = 86_400
DEFECT_LIKE = "('defective', 'not_as_described', 'quality')"


def _share(db: sqlite3.Connection, category: str, reason: str) -> float:
    total, hits = db.execute(
        """SELECT count(*), sum(r.reason = ?) FROM returns r JOIN skus s ON s.sku = r.sku
           WHERE s.category = ?""",
        (reason, category),
    ).fetchone()
    return float(hits) / total


def test_reason_mix_depends_on_the_category(db: sqlite3.Connection) -> None:
    assert _share(db, "Apparel", "size_fit") > 3 * _share(db, "Electronics", "size_fit")
    assert _share(db, "Apparel", "size_fit") > 0.3
    assert _share(db, "Electronics", "defective") > _share(db, "Apparel", "defective") + 0.1
    assert _share(db, "Home & Kitchen", "damaged_in_transit") > _share(db, "Apparel", "damaged_in_transit")


def test_return_rate_per_category_stays_in_its_range(db: sqlite3.Connection) -> None:
    returned = dict(db.execute(
        "SELECT s.category, sum(rl.quantity) FROM return_lines rl JOIN skus s ON s.sku = rl.sku GROUP BY 1"
    ).fetchall())  # fmt: skip
    sold = dict(db.execute(
        "SELECT s.category, sum(d.units) FROM daily_sales d JOIN skus s ON s.sku = d.sku GROUP BY 1"
    ).fetchall())  # fmt: skip
    rate = {c: returned[c] / sold[c] for c in sold}
    stated = {
        "Apparel": (0.15, 0.30),
        "Shoes": (0.15, 0.30),
        "Electronics": (0.05, 0.10),
        "Books": (0.01, 0.03),
    }
    for category in CATEGORIES:
        lo, hi = stated.get(category.name, category.return_rate)
        assert lo <= rate[category.name] <= hi, (category.name, rate[category.name])


def test_planted_problem_skus_break_after_their_change_date(db: sqlite3.Connection) -> None:
    info = json.loads(db.execute("SELECT value FROM app_meta WHERE key = 'demo_seed'").fetchone()[0])
    checked = 0
    for problem in info["problem_skus"]:
        since = problem["since_day"] * DAY
        until = (problem["until_day"] or AS_OF // DAY) * DAY
        before = db.execute(
            f"SELECT avg(reason IN {DEFECT_LIKE}), count(*) FROM returns WHERE sku = ? AND requested_at < ?",
            (problem["sku"], since),
        ).fetchone()
        during = db.execute(
            f"""SELECT avg(reason IN {DEFECT_LIKE}), count(*) FROM returns
                WHERE sku = ? AND requested_at >= ? + 14 * 86400 AND requested_at < ?""",
            (problem["sku"], since, until),
        ).fetchone()
        if before[1] >= 20 and during[1] >= 20:
            assert during[0] > before[0] + 0.1, problem
            checked += 1
    assert checked >= 2


def test_old_returns_are_settled_and_recent_ones_are_on_their_way(db: sqlite3.Connection) -> None:
    old = dict(
        db.execute(
            "SELECT status, count(*) FROM returns WHERE requested_at < ? GROUP BY 1", (AS_OF - 90 * DAY,)
        )
    )
    assert not {"requested", "authorized", "in_transit", "delivered"} & set(old)
    assert (old["closed"] + old["inspected"]) / sum(old.values()) > 0.8
    recent = dict(
        db.execute(
            "SELECT status, count(*) FROM returns WHERE requested_at >= ? GROUP BY 1", (AS_OF - 7 * DAY,)
        )
    )
    assert {"requested", "authorized", "in_transit", "delivered"} <= set(recent)
    stalled = db.execute(
        "SELECT count(*) FROM returns WHERE status = 'in_transit' AND last_scan_at < ?", (AS_OF - 5 * DAY,)
    ).fetchone()[0]
    assert stalled > 0, "some parcels have had no scan for five days"


def test_timelines_are_short_when_old_and_full_when_recent(db: sqlite3.Connection) -> None:
    rows = db.execute(
        """SELECT s.shipped_at < ? AS old, max(n), avg(n) FROM shipments s JOIN (
        SELECT shipment_id, count(*) AS n FROM tracking_events GROUP BY shipment_id) e ON e.shipment_id = s.id
        WHERE s.direction = 'inbound' AND s.shipped_at IS NOT NULL GROUP BY 1""",
        (AS_OF - 100 * DAY,),
    ).fetchall()
    stats = {bool(old): (most, mean) for old, most, mean in rows}
    assert stats[True][0] <= 3
    assert 4 <= stats[False][1] <= 8
    assert stats[False][0] <= 8
    outbound = dict(
        db.execute("SELECT status, count(*) FROM shipments WHERE direction = 'outbound' GROUP BY 1")
    )
    assert {"in_transit", "delivered"} <= set(outbound)
    assert len(outbound) >= 5
    late = db.execute(
        """SELECT count(*) FROM shipments WHERE direction = 'outbound' AND promised_at < ?
        AND (delivered_at IS NULL OR delivered_at > promised_at)""",
        (AS_OF,),
    ).fetchone()[0]
    assert late > 0


def test_identifiers_have_their_real_shapes(db: sqlite3.Connection) -> None:
    shapes = {
        "UPS": r"1Z[0-9A-Z]{6}\d{10}", "USPS": r"92\d{20}", "FedEx": r"\d{12}",
        "Amazon Logistics": r"TBA\d{12}", "Royal Mail": r"[A-Z]{2}\d{9}GB", "DPD": r"15\d{12}",
        "DHL": r"00340434\d{12}",
    }  # fmt: skip
    seen = set()
    for carrier, number in db.execute("SELECT carrier, tracking_number FROM shipments"):
        assert re.fullmatch(shapes[carrier], number), (carrier, number)
        seen.add(carrier)
    assert {"UPS", "USPS", "Royal Mail", "DHL"} <= seen
    assert db.execute("SELECT count(*) FROM shipments WHERE carrier = 'USPS' AND order_pk IN "
                      "(SELECT id FROM orders WHERE marketplace != 'US')").fetchone()[0] == 0  # fmt: skip
    for order_id, market in db.execute("SELECT order_id, marketplace FROM orders"):
        assert re.fullmatch(r"\d{3}-\d{7}-\d{7}", order_id)
        assert order_id[0] == {"US": "1", "UK": "2", "DE": "3"}[market]
    for (asin,) in db.execute("SELECT asin FROM skus"):
        assert re.fullmatch(r"B0[0-9A-Z]{8}", asin)
    for rma, channel in db.execute("SELECT rma, channel FROM returns LIMIT 2000"):
        assert re.fullmatch(r"[0-9A-Za-z]{8}RRMA" if channel == "MFN" else r"LPN[0-9A-Z]{10}", rma)


def test_sales_follow_the_calendar(db: sqlite3.Connection) -> None:
    def units(first: date, days: int) -> float:
        start = (first - date(1970, 1, 1)).days
        row = db.execute(
            "SELECT sum(units) FROM daily_sales WHERE day >= ? AND day < ?", (start, start + days)
        )
        return float(row.fetchone()[0]) / days

    assert units(date(2025, 12, 1), 14) > 1.3 * units(date(2026, 2, 2), 14)  # holiday season
    assert units(date(2026, 7, 14), 2) > 1.8 * units(date(2026, 6, 16), 14)  # Prime day
    weekend = db.execute("SELECT avg(u) FROM (SELECT day, sum(units) u FROM daily_sales "
                         "WHERE (day + 3) % 7 >= 5 GROUP BY day)").fetchone()[0]  # fmt: skip
    weekday = db.execute("SELECT avg(u) FROM (SELECT day, sum(units) u FROM daily_sales "
                         "WHERE (day + 3) % 7 < 5 GROUP BY day)").fetchone()[0]  # fmt: skip
    assert weekend > weekday


def test_holiday_purchases_come_back_in_january(db: sqlite3.Connection) -> None:
    def per_day(first: date, days: int) -> float:
        start = (first - date(1970, 1, 1)).days * DAY
        row = db.execute("SELECT count(*) FROM returns WHERE requested_at >= ? AND requested_at < ?",
                         (start, start + days * DAY))  # fmt: skip
        return float(row.fetchone()[0]) / days

    assert per_day(date(2026, 1, 2), 14) > 1.2 * per_day(date(2026, 3, 2), 14)


def test_inspections_teach_restock_what_sells_again(db: sqlite3.Connection) -> None:
    rows = db.execute("""SELECT r.reason, avg(i.disposition = 'restock'), avg(i.disposition = 'claim'),
        count(*) FROM inspections i JOIN returns r ON r.id = i.return_id GROUP BY 1""").fetchall()
    restock = {reason: (share, claim) for reason, share, claim, _ in rows}
    assert restock["size_fit"][0] > 0.7
    assert restock["defective"][0] < 0.15
    assert restock["damaged_in_transit"][1] > 0.4
    by_category = """SELECT avg(i.disposition = 'restock') FROM inspections i
        JOIN skus s ON s.sku = i.sku WHERE s.category = ?"""
    beauty = db.execute(by_category, ("Beauty & Personal Care",)).fetchone()[0]
    apparel = db.execute(by_category, ("Apparel",)).fetchone()[0]
    assert beauty < 0.75 * apparel  # opened cosmetics rarely go back on the shelf


def test_comments_quantities_and_claims_look_like_real_returns(db: sqlite3.Connection) -> None:
    comment, single, a_to_z, safet = db.execute(
        """SELECT avg(customer_comment IS NOT NULL), avg(quantity = 1), avg(a_to_z_claim),
           avg(safet_claim) FROM returns"""
    ).fetchone()
    assert 0.3 <= comment <= 0.5
    assert single > 0.85
    assert 0 < a_to_z < 0.01
    assert 0 < safet < 0.05
    sources = {s for (s,) in db.execute("SELECT DISTINCT source FROM refund_requests")}
    assert sources == {"return", "customer", "a_to_z", "marketplace"}
    assert db.execute("SELECT count(*) FROM refund_requests WHERE needs_authorization").fetchone()[0] > 0
