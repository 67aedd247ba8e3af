"""The generated history as store tables: which array feeds which column.

This is the one place that knows the store's column names. Ids are positions + 1; every denormalized
copy on `returns` (order id, marketplace, carrier, tracking number, last scan, ETA) is taken from the
same array as its source row, so the copies cannot disagree with the rows they copy.
"""

from __future__ import annotations

import json

import numpy as np

from seller_desk.demo import tracking
from seller_desk.demo.calendar import DAY
from seller_desk.demo.catalogue import CATEGORIES, CHANNELS
from seller_desk.demo.columns import Table, constant, number, pooled, text
from seller_desk.demo.history import History, Sales
from seller_desk.demo.lifecycle import NONE
from seller_desk.demo.markets import CARRIER_NAMES, CURRENCIES, MARKETPLACE_CODES
from seller_desk.demo.orders import BUYER_POOL
from seller_desk.demo.parcels import LOCATION_POOL, end_of_day_eta, numbers
from seller_desk.demo.return_tables import line_tables, refund_tables, returns_table, rma_ids
from seller_desk.demo.stock import stock_positions
from seller_desk.domain.enums import ShipmentDirection


def _ids(n: int) -> np.ndarray:
    return np.arange(1, n + 1, dtype=np.int64)


def catalogue_tables(s: Sales) -> list[Table]:
    """skus, sku_stock and daily_sales: final once phase one is done."""
    cat, w = s.catalogue, s.window
    stock = stock_positions(s.rngs["stock"], cat, s.units)
    s_idx, d_idx = np.nonzero(s.units)
    units = s.units[s_idx, d_idx]
    n = len(cat)
    return [
        Table(
            "skus",
            n,
            [
                text("sku", cat.sku),
                text("asin", cat.asin),
                text("title", cat.title),
                pooled("category", cat.category, [c.name for c in CATEGORIES]),
                pooled("currency", cat.marketplace, CURRENCIES),
                number("price_minor", cat.price_minor),
                number("unit_cost_minor", cat.unit_cost_minor),
            ],
        ),
        Table(
            "sku_stock",
            n,
            [
                text("sku", cat.sku),
                number("on_hand", stock.on_hand),
                number("lead_time_days", stock.lead_time_days),
                number("sales_per_day", stock.sales_per_day),
                number("inbound_po_units", stock.inbound_po_units),
                constant("updated_at", str(w.as_of)),
            ],
        ),
        Table(
            "daily_sales",
            len(s_idx),
            [
                pooled("sku", s_idx, cat.sku),
                number("day", w.first_day + d_idx),
                pooled("marketplace", cat.marketplace[s_idx], MARKETPLACE_CODES),
                pooled("channel", cat.channel[s_idx], CHANNELS),
                number("units", units),
                number("revenue_minor", units * cat.price_minor[s_idx]),
                pooled("currency", cat.marketplace[s_idx], CURRENCIES),
            ],
        ),
    ]


def order_tables(h: History) -> list[Table]:
    o, cat = h.orders, h.catalogue
    sku = o.line_sku
    return [
        Table(
            "orders",
            len(o),
            [
                number("id", _ids(len(o))),
                text("order_id", o.order_id),
                pooled("marketplace", o.marketplace, MARKETPLACE_CODES),
                pooled("channel", o.channel, CHANNELS),
                number("purchased_at", o.purchased_at),
                pooled("currency", o.marketplace, CURRENCIES),
                pooled("buyer_name", o.buyer, BUYER_POOL),
                constant("server_version", "0"),
            ],
        ),
        Table(
            "order_lines",
            len(sku),
            [
                number("id", _ids(len(sku))),
                number("order_pk", o.line_order + 1),
                text("order_item_code", o.item_code),
                pooled("sku", sku, cat.sku),
                pooled("asin", sku, cat.asin),
                pooled("title", sku, cat.title),
                number("quantity", o.line_qty),
                number("principal_minor", o.principal),
                number("shipping_minor", o.shipping),
                number("tax_minor", o.tax),
                number("shipping_tax_minor", o.shipping_tax),
                number("gift_wrap_minor", o.gift_wrap),
                number("promotion_minor", o.promotion),
            ],
        ),
    ]


def _seen(ts: np.ndarray, as_of: int) -> np.ndarray:
    result: np.ndarray = np.where((ts >= 0) & (ts <= as_of), ts, NONE)
    return result


def parcel_tables(h: History) -> tuple[list[Table], dict[str, np.ndarray]]:
    """Shipments and events, plus the per-return copies the returns table needs."""
    inb, outb, tl, as_of = h.inbound, h.outbound, h.timelines, h.window.as_of
    n_in, n_out = len(inb.rows), len(outb.rows)
    carrier = np.concatenate([inb.carrier, outb.carrier])
    rng = h.rngs["ids"]
    tracking_number = numbers(rng, carrier, np.zeros(len(CARRIER_NAMES), dtype=np.int64))
    p = h.timelines
    shipped = _seen(np.concatenate([inb.parcels.shipped_at, outb.parcels.shipped_at]), as_of)
    delivered = _seen(np.concatenate([inb.parcels.delivered_at, outb.parcels.delivered_at]), as_of)
    eta = end_of_day_eta(rng, carrier, shipped)
    order_pk = np.concatenate([inb.rows, len(h.returned.sku) + outb.rows]) + 1
    direction = np.concatenate([np.zeros(n_in, dtype=np.int64), np.ones(n_out, dtype=np.int64)])
    promised = np.concatenate([np.full(n_in, NONE), outb.promised_at])
    tables = [
        Table(
            "shipments",
            n_in + n_out,
            [
                number("id", _ids(n_in + n_out)),
                pooled("direction", direction, (ShipmentDirection.INBOUND, ShipmentDirection.OUTBOUND)),
                pooled("carrier", carrier, CARRIER_NAMES),
                text("tracking_number", tracking_number),
                number("order_pk", order_pk),
                pooled("status", p.last_status, tracking.STATUS_POOL),
                number("shipped_at", shipped, nullable=True),
                number("promised_at", promised, nullable=True),
                number("carrier_eta", eta, nullable=True),
                number("delivered_at", delivered, nullable=True),
                number("last_event_at", p.last_event_at, nullable=True),
                pooled("last_location", p.last_location, LOCATION_POOL),
                constant("server_version", "0"),
            ],
        ),
        Table(
            "tracking_events",
            len(tl.event_parcel),
            [
                number("shipment_id", tl.event_parcel + 1),
                number("occurred_at", tl.occurred_at),
                pooled("status", tl.status, tracking.STATUS_POOL),
                pooled("raw_code", tl.raw, tracking.RAW_POOL),
                pooled("location", tl.location, LOCATION_POOL),
                pooled("text", tl.text, tracking.TEXT_POOL),
            ],
        ),
    ]
    # History ETA: the median transit of each carrier's delivered returns.
    transit = delivered[:n_in] - shipped[:n_in]
    done = (delivered[:n_in] >= 0) & (shipped[:n_in] >= 0)
    median = np.array(
        [
            int(np.median(transit[done & (inb.carrier == c)]))
            if (done & (inb.carrier == c)).any()
            else 3 * DAY
            for c in range(len(CARRIER_NAMES))
        ]
    )
    copies = {"rows": inb.rows, "carrier": inb.carrier, "tracking_number": tracking_number[:n_in],
              "status": p.last_status[:n_in], "last_scan_at": p.last_scan_at[:n_in],
              "carrier_eta": eta[:n_in], "history_eta": shipped[:n_in] + median[inb.carrier]}  # fmt: skip
    return tables, copies


def meta(h: History, n: int) -> dict[str, str]:
    pr, w = h.problems, h.window
    problems = [
        {
            "sku": h.catalogue.sku[s],
            "since_day": int(w.first_day + a),
            "until_day": None if b >= w.days else int(w.first_day + b),
        }
        for s, a, b in zip(pr.sku.tolist(), pr.since.tolist(), pr.until.tolist(), strict=True)
    ]
    info = {"seed": h.seed, "returns": n, "today": w.today.isoformat(), "problem_skus": problems}
    return {"demo_seed": json.dumps(info, sort_keys=True)}


def rest_tables(h: History) -> tuple[list[Table], dict[str, str]]:
    """Every table but the catalogue ones, in load order, and the app_meta entries."""
    tables = order_tables(h)
    parcels, copies = parcel_tables(h)
    rma = rma_ids(h)
    tables += [*parcels, returns_table(h, copies, rma), *line_tables(h, rma), *refund_tables(h)]
    return tables, meta(h, len(h.returned.sku))
