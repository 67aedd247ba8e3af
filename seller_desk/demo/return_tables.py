"""Returns, their lines and inspections, and the refund tables, as store tables.

The returns row is the list's workhorse: it carries copies of the order (id, marketplace, channel),
the primary line (SKU, ASIN, quantity, reasons) and the parcel (carrier, tracking number and status,
last scan, ETA). Unknown raw reason codes keep their text and get `reason` NULL. Labels and
resolutions appear once the return is authorized; ETAs only while the parcel is on its way.
"""

from __future__ import annotations

import numpy as np

from seller_desk.demo import ids, inspections, reasons
from seller_desk.demo.calendar import DAY, monday
from seller_desk.demo.catalogue import CHANNELS
from seller_desk.demo.columns import Table, constant, number, pooled, text
from seller_desk.demo.comments import POOL as COMMENT_POOL
from seller_desk.demo.history import History
from seller_desk.demo.lifecycle import LABEL_TYPES, NONE, PAID_BY, RESOLUTIONS, STATUSES, S
from seller_desk.demo.markets import CARRIER_NAMES, CURRENCIES, MARKETPLACE_CODES
from seller_desk.demo.refund_lines import COMPONENTS
from seller_desk.demo.refunds import REASON_POOL, SOURCES, STATES
from seller_desk.demo.tracking import STATUS_POOL
from seller_desk.domain.enums import ReturnStatus

ETA_SOURCES = ("carrier", "history")


def _ids(n: int) -> np.ndarray:
    return np.arange(1, n + 1, dtype=np.int64)


def _stored_reason(reason: np.ndarray, raw: np.ndarray) -> np.ndarray:
    """The canonical reason, or -1 (NULL) where the raw code is one no table knows."""
    result: np.ndarray = np.where(raw >= reasons.UNKNOWN_BASE, -1, reason)
    return result


def rma_ids(h: History) -> np.ndarray:
    """Amazon RMA ids for seller-fulfilled returns, FBA license plates for the others."""
    channel = h.orders.channel[: len(h.returned.sku)]
    out = np.zeros(len(channel), dtype="S13")
    for value, make in ((0, ids.rmas), (1, ids.license_plates)):
        rows = np.flatnonzero(channel == value)
        out[rows] = make(h.rngs["ids"], np.arange(len(rows)))
    return out


def returns_table(h: History, copies: dict[str, np.ndarray], rma: np.ndarray) -> Table:
    r, o, lc, ob, cat = h.returned, h.orders, h.plan, h.observed, h.catalogue
    n, as_of = len(r.sku), h.window.as_of
    status = ob.status
    labelled = (lc.label_at >= 0) & (lc.label_at <= as_of)
    open_request = status == S[ReturnStatus.REQUESTED]
    resolution = np.where(open_request | (status == S[ReturnStatus.REJECTED]), -1, lc.resolution)

    shipment_id = np.full(n, NONE)
    carrier = np.full(n, -1)
    tracking_number = np.zeros(n, dtype="S22")
    tracking_status = np.full(n, -1)
    last_scan = np.full(n, NONE)
    rows = copies["rows"]
    shipment_id[rows] = np.arange(1, len(rows) + 1)
    carrier[rows] = copies["carrier"]
    tracking_number[rows] = copies["tracking_number"]
    tracking_status[rows] = copies["status"]
    last_scan[rows] = copies["last_scan_at"]
    eta = np.full(n, NONE)
    eta_source = np.full(n, -1)
    moving = status[rows] == S[ReturnStatus.IN_TRANSIT]
    by_carrier = copies["carrier_eta"] >= 0
    eta[rows[moving]] = np.where(by_carrier, copies["carrier_eta"], copies["history_eta"])[moving]
    eta_source[rows[moving]] = np.where(by_carrier, 0, 1)[moving]

    first = r.lines
    quantity = h.return_lines.quantity[first]
    return Table(
        "returns",
        n,
        [
            number("id", _ids(n)),
            text("rma", rma),
            number("order_pk", _ids(n)),
            text("order_id", o.order_id[:n]),
            pooled("marketplace", cat.marketplace[r.sku], MARKETPLACE_CODES),
            pooled("channel", cat.channel[r.sku], CHANNELS),
            pooled("currency", cat.marketplace[r.sku], CURRENCIES),
            pooled("status", status, STATUSES),
            pooled("sku", r.sku, cat.sku),
            pooled("asin", r.sku, cat.asin),
            number("quantity", quantity),
            pooled("reason", _stored_reason(r.reason, r.raw), reasons.REASONS),
            pooled("reason_raw", r.raw, reasons.RAW_POOL),
            pooled("customer_comment", r.comment, COMMENT_POOL),
            number("in_policy", lc.in_policy),
            number("requested_at", r.requested_at),
            number("week", monday(r.requested_at // DAY)),
            number("authorized_at", ob.authorized_at, nullable=True),
            number("shipped_at", ob.shipped_at, nullable=True),
            number("delivered_at", ob.delivered_at, nullable=True),
            number("received_at", ob.received_at, nullable=True),
            number("inspected_at", ob.inspected_at, nullable=True),
            number("closed_at", ob.closed_at, nullable=True),
            number("shipment_id", shipment_id, nullable=True),
            pooled("carrier", carrier, CARRIER_NAMES),
            text("tracking_number", tracking_number),
            pooled("tracking_status", tracking_status, STATUS_POOL),
            number("last_scan_at", last_scan, nullable=True),
            number("eta", eta, nullable=True),
            pooled("eta_source", eta_source, ETA_SOURCES),
            pooled("label_type", np.where(labelled, lc.label_type, -1), LABEL_TYPES),
            number("label_cost_minor", np.where(labelled, lc.label_cost, 0)),
            pooled("label_paid_by", np.where(labelled, lc.paid_by, -1), PAID_BY),
            pooled("resolution", resolution, RESOLUTIONS),
            number("a_to_z_claim", h.refunds.a_to_z),
            number("safet_claim", h.refunds.safet),
            number("value_minor", r.value),
            constant("server_version", "0"),
        ],
    )


def line_tables(h: History, rma: np.ndarray) -> list[Table]:
    rl, o, cat, g = h.return_lines, h.orders, h.catalogue, h.inspected
    sku = o.line_sku[rl.line]
    il = h.inspected_lines
    ret = rl.ret[il]
    photos = np.full(len(il), None, dtype=object)
    for i in np.flatnonzero(g.evidence).tolist():
        name = rma[ret[i]].decode()
        photos[i] = f'["evidence/{name}-1.jpg", "evidence/{name}-2.jpg"]'
    return [
        Table(
            "return_lines",
            len(rl.ret),
            [
                number("id", _ids(len(rl.ret))),
                number("return_id", rl.ret + 1),
                number("order_line_id", rl.line + 1),
                pooled("sku", sku, cat.sku),
                number("quantity", rl.quantity),
                pooled("reason", _stored_reason(rl.reason, rl.raw), reasons.REASONS),
                pooled("reason_raw", rl.raw, reasons.RAW_POOL),
                pooled("customer_comment", rl.comment, COMMENT_POOL),
                number("in_policy", h.plan.in_policy[rl.ret]),
            ],
        ),
        Table(
            "inspections",
            len(il),
            [
                number("return_id", ret + 1),
                number("return_line_id", il + 1),
                pooled("sku", sku[il], cat.sku),
                pooled("condition", g.condition, inspections.CONDITIONS),
                pooled("disposition", g.disposition, inspections.DISPOSITIONS),
                pooled("note", g.note, inspections.NOTE_POOL),
                text("photos", photos),
                number("inspected_at", h.observed.inspected_at[ret]),
                pooled("inspected_by", g.inspector, inspections.INSPECTOR_POOL),
                constant("mutation_id", "NULL"),
            ],
        ),
    ]


def refund_tables(h: History) -> list[Table]:
    q, m, o = h.requests, h.money, h.orders
    k = len(q.state)
    order_ids = o.order_id[h.request_order]
    return [
        Table(
            "refund_requests",
            k,
            [
                number("id", _ids(k)),
                number("order_pk", h.request_order + 1),
                text("order_id", order_ids),
                number(
                    "return_id", np.where(h.request_return >= 0, h.request_return + 1, NONE), nullable=True
                ),
                pooled("state", q.state, STATES),
                pooled("source", q.source, SOURCES),
                pooled("reason", q.reason, REASON_POOL),
                pooled("currency", o.marketplace[h.request_order], CURRENCIES),
                number("requested_minor", m.requested),
                number("refunded_minor", m.refunded),
                number("needs_authorization", q.needs_auth),
                number("a_to_z_claim", q.a_to_z),
                number("created_at", q.created_at),
                number("due_at", q.due_at, nullable=True),
                number("updated_at", q.updated_at),
                constant("server_version", "0"),
            ],
        ),
        Table(
            "refund_request_lines",
            len(m.line_request),
            [
                number("refund_request_id", m.line_request + 1),
                number("order_line_id", m.line_order_line + 1),
                number("quantity", m.line_quantity),
                pooled("component", m.line_component, COMPONENTS),
                number("amount_minor", m.line_amount),
            ],
        ),
        Table(
            "refund_payments",
            len(m.pay_request),
            [
                number("refund_request_id", m.pay_request + 1),
                number("order_line_id", m.pay_order_line + 1),
                pooled("component", m.pay_component, COMPONENTS),
                number("amount_minor", m.pay_amount),
                number("settled", m.pay_settled),
                number("executed_at", m.pay_executed_at, nullable=True),
            ],
        ),
    ]
